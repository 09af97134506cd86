/* doc.h: the generic document tree (sections, paragraphs, lists, tables, inline spans). */
#ifndef BRIEFC_DOC_H
#define BRIEFC_DOC_H

#include <stdio.h>

#include "../base/util.h"

enum doc_type {
	/* blocks */
	DOC_DOCUMENT,
	DOC_SECTION,  /* level 1..3; children: HEADING then blocks */
	DOC_HEADING,  /* inline children; label = "3.2" */
	DOC_PARA,     /* inline children; cls selects the style (body, title, meta, ...) */
	DOC_LIST,     /* children: ITEM; flag ordered */
	DOC_ITEM,     /* inline children; label = "1." or bullet */
	DOC_TABLE,    /* children: ROW (and a PARA of class caption first) */
	DOC_ROW,      /* children: CELL; flag header */
	DOC_CELL,     /* inline children; align */
	DOC_QUOTE,    /* children: PARA (cls quote) then optional PARA attribution */
	DOC_RULE,     /* a horizontal rule */
	/* inlines */
	DOC_TEXT,     /* text */
	DOC_EMPH,
	DOC_STRONG,
	DOC_LINK,     /* target = URI */
	DOC_XREF,     /* target = id of a node with that anchor */
	DOC_NOTEREF,  /* label = note number; target = anchor of the note */
	DOC_CITE,     /* label = "[3]"; target = anchor of the reference */
	DOC_LANG,     /* a span in another language (lang) */
	DOC_FOOTNOTE, /* a footnote: its children are the note's text; label = its number */
	DOC_PAGEREF,  /* the printed page number of target ("p. 7"), known after layout */
	/* blocks added with pagination */
	DOC_TOC,      /* the table of contents (entries are made by the layout) */
	DOC_IMAGE,    /* a picture: target = file path; children: the caption's inline content */
	DOC_TIMELINE, /* a time axis of dated items: children are DOC_ITEM with date (and
	               * date_end for a range), cls = event|deadline|statement|signing, target =
	               * the anchor of what it marks, inline children = its label */
};

enum doc_flag {
	DOC_GENERATED = 1, /* made by briefc, not from the source's text */
	DOC_ORDERED = 2,
	DOC_HEADER = 4,
	DOC_ALIGN_RIGHT = 8,
	DOC_ALIGN_CENTER = 16
};

struct doc_node {
	struct doc_node *parent, *first, *last, *next;
	const char *text;   /* DOC_TEXT */
	const char *cls;    /* style class for blocks */
	const char *label;  /* heading number, list label, note number */
	const char *anchor; /* a target other nodes link to */
	const char *target; /* link target: URI (LINK) or anchor (XREF, NOTEREF, CITE) */
	const char *lang;   /* xml:lang of the span or block, NULL: inherited */
	union {             /* (a long document has a million nodes: the rare fields share room) */
		struct {
			double width;   /* DOC_IMAGE: part of the measure it takes (0..1) */
			int px_w, px_h; /* DOC_IMAGE: size in pixels */
		};
		struct {
			const char *date, *date_end; /* DOC_ITEM of a DOC_TIMELINE: ISO dates */
		};
	};
	enum doc_type type : 8;
	unsigned level : 8; /* section level */
	unsigned flags : 16;
	int line;           /* source line that produced it (0: none) */
};

/* The tree owns all its memory in one arena. */
struct doc {
	struct arena arena;
	struct doc_node *root;
	const char *title, *short_title, *lang;
	const char *author, *subject, *keywords, *date; /* document information */
	const char *classification;
	const char *as_of; /* "Situation as of 11 January 2021" in a dated snapshot, else NULL */
};

struct doc *doc_new(void);
void doc_free(struct doc *d);
struct doc_node *doc_add(struct doc *d, struct doc_node *parent, enum doc_type type, int line);
struct doc_node *doc_add_text(struct doc *d, struct doc_node *parent, const char *text, int line);
/* Copies every string the tree points to into its own arena, so that it no longer needs the
 * model it was made from (which may then be freed). */
void doc_detach(struct doc *d);
/* The concatenated text of a subtree (for outline titles and running heads). */
char *doc_plain_text(struct doc *d, const struct doc_node *n);
/* A table's rows, widest row's cells and caption paragraph (NULL when none). */
void doc_table_size(const struct doc_node *table, int *rows, int *cols,
	const struct doc_node **caption);
/* Text dump for golden tests (--dump tree). */
void doc_dump(const struct doc *d, FILE *out);
const char *doc_type_name(enum doc_type t);
int doc_is_inline(enum doc_type t);

#endif
