/* xmlread.h: safe parsing of untrusted XML from memory and RELAX NG validation, with diagnostics. */
#ifndef BRIEFC_XMLREAD_H
#define BRIEFC_XMLREAD_H

#include <stddef.h>
#include <libxml/tree.h>

#include "../base/diag.h"
#include "../base/util.h"

/* Input limits (README "Limits"). */
#define XMLREAD_MAX_BYTES ((size_t)64 << 20) /* 64 MiB per source or style file */
#define XMLREAD_MAX_DEPTH 256      /* elements nested below the root (libxml2's limit) */
#define XMLREAD_MAX_TEXT 10000000  /* bytes of one text node, comment or attribute value */
#define XMLREAD_MAX_NAME 50000     /* bytes of an element or attribute name */

/* Reads and parses the file at path: no DOCTYPE, no entities, no network, no external
 * loads, true line numbers. Returns NULL (with diagnostics) when the file cannot be read or
 * is not well formed. The caller frees the result with xmlFreeDoc. element_only (NULL, or a
 * list of names ending with NULL) names elements whose content is elements only: white
 * space directly inside them is not kept (a long source has a hundred thousand such
 * runs, each a node). */
xmlDocPtr xmlread_file(const char *path, const char *const *element_only, struct diags *d);
/* Same for bytes already in memory; name is used in diagnostics. */
xmlDocPtr xmlread_memory(const char *name, const char *data, size_t len,
	const char *const *element_only, struct diags *d);

/* Validates doc against the RELAX NG schema given as text. Returns 1 if valid. */
int xmlread_validate(xmlDocPtr doc, const char *name, const unsigned char *schema,
	size_t schema_len, struct diags *d);

/* Small readers of a parsed document's nodes, shared by the model and the transform. */
int xmlread_is(xmlNodePtr n, const char *name);   /* an element of that name */
int xmlread_line(xmlNodePtr n);                   /* its source line, 0 for NULL */
/* An attribute (or xml:lang, or the whole text content) copied into an arena; NULL when
 * absent (the text of a NULL node is ""). */
const char *xmlread_attr(struct arena *a, xmlNodePtr n, const char *name);
const char *xmlread_lang(struct arena *a, xmlNodePtr n);
const char *xmlread_text(struct arena *a, xmlNodePtr n);
/* The node after n in document order, within the root element: its first child when into
 * (and it is an element with children), else the next sibling of n or of its nearest
 * ancestor that has one; NULL past the root element. */
xmlNodePtr xmlread_next(xmlNodePtr n, int into);

/* One-time process set-up of libxml2 (refusing entity loader). Idempotent. */
void xmlread_init(void);

#endif
