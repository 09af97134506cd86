/* facets.h: a schema's pattern facets checked outside libxml2, each regular expression compiled once. */
#ifndef BRIEFC_FACETS_H
#define BRIEFC_FACETS_H

#include <stddef.h>
#include <libxml/tree.h>

#include "../base/diag.h"

/* libxml2's RELAX NG validator compiles a pattern facet's regular expression again for
 * every value it checks: on a long source that is most of the time validation takes.
 * facets_hoist reads a RELAX NG schema (XML syntax) and takes out of it the pattern facets
 * whose place in a document needs no context to find: the value of an attribute of named
 * elements, or the text of an element, when every place the schema gives that attribute of
 * that element (or that element's text) has the same pattern. Everywhere else the schema
 * keeps its facets. The result holds the schema to give libxml2 (the datatype left in
 * place, only its pattern taken out) and the patterns, compiled; facets_check then checks
 * a document's values against them. A schema that cannot be read this way (not XML, an
 * include, a pattern libxml2 does not compile) gives a result with no patterns taken out:
 * the schema to validate with is then the schema itself. */
struct facets;

/* NULL only when the schema text is not well-formed XML. */
struct facets *facets_hoist(const unsigned char *schema, size_t len);
/* The schema to hand to libxml2 (xmlRelaxNGNewDocParserCtxt copies it); owned by f. */
xmlDocPtr facets_schema(const struct facets *f);
/* How many patterns were taken out (for tests). */
int facets_count(const struct facets *f);
/* Checks every value of doc the taken-out patterns apply to; reports each mismatch as a
 * schema error of file name; returns their number. */
int facets_check(const struct facets *f, xmlDocPtr doc, const char *name, struct diags *d);
void facets_free(struct facets *f);

#endif
