/* layout.h: lays the document tree out into pages of positioned boxes (device independent). */
#ifndef BRIEFC_LAYOUT_H
#define BRIEFC_LAYOUT_H

#include <stdio.h>

#include "font.h"
#include "../base/diag.h"
#include "../read/style.h"
#include "../transform/doc.h"

enum lay_kind {
	LAY_TEXT, /* text at (x, y) = left end of the baseline */
	LAY_RULE, /* a line from (x, y) to (x + w, y + h), width size */
	LAY_LINK, /* a clickable rectangle (x, y) .. (x + w, y + h) to target */
	LAY_IMAGE /* a picture (file target, checked when the source was read) in (x, y, w, h) */
};

/* Coordinates are PDF points with the origin at the bottom left of the page. */
struct lay_box {
	enum lay_kind kind;
	double x, y, w, h;
	int face;           /* LAY_TEXT */
	double size;        /* font size, or rule width */
	struct style_color color;
	const char *text;   /* UTF-8, LAY_TEXT */
	const char *target; /* LAY_LINK: URI, or anchor name when internal */
	int internal;
};

/* What the page builder put on a page, in order: for tests of keeps, widows and orphans. */
struct lay_flow {
	char kind;       /* 'l' line, 'r' table row, 'n' footnote */
	int id;          /* paragraph, table or note number */
	int line, lines; /* line (or row) number from 1, and how many */
	const char *cls; /* the block's style class */
};

struct lay_page {
	struct lay_box *boxes;
	int nboxes, cap;
	struct lay_flow *flow; /* kept only when no sink takes the pages (dumps, tests) */
	int nflow, flowcap;
	struct arena text;     /* the boxes' text */
};

struct lay_anchor {
	const char *name;
	int page;
	double y;
};

struct lay_outline {
	int level;
	const char *title;
	int page;
	double y;
};

struct lay_stats {
	int lines, overfull, emergency, loose, tight, hyphenated;
	int ties_broken; /* no-break spaces broken at, a paragraph having no better way */
};

struct layout {
	struct arena arena;
	double page_w, page_h;
	struct lay_page *pages;
	int npages, cap;
	struct lay_anchor *anchors;
	int nanchors, anchors_cap;
	struct lay_outline *outline;
	int noutline, outline_cap;
	struct lay_stats stats;
	int body_page; /* index of the first body page: earlier pages are front matter (roman) */
	struct bmap anchor_index; /* name -> the first anchor of that name (lay_anchor) */
};

/* Where finished pages go. With a sink, lay_run hands each page over as soon as nothing more
 * can land on it and then frees its boxes, so that a long document never holds more than a
 * page or two of boxes: page(ctx, l, i, 0). Material known only at the end (contents page
 * numbers, running heads with the page count) follows as page(ctx, l, i, 1) on pages
 * already handed over, in page order, with only the new boxes. */
struct lay_sink {
	void (*page)(void *ctx, const struct layout *l, int page, int late);
	void *ctx;
};

/* The printed number of a page (index from 0): "ii" in the front matter, "3" in the body. */
void lay_page_label(const struct layout *l, int page, char *out, size_t n);

/* Lays out the whole document. Diagnostics (missing glyphs, overfull lines) go to d, with the
 * source file name for their positions. Never fails on content. With sink NULL every page
 * keeps its boxes and its flow (for lay_dump); otherwise the pages go to the sink and the
 * layout returned keeps the page count, anchors, outline and statistics. */
struct layout *lay_run(const struct doc *doc, const struct style *s, struct fonts *f,
	const char *file, struct diags *d, const struct lay_sink *sink);
void lay_free(struct layout *l);
/* The anchor's page and position (the first of that name), or NULL; from an index made when
 * lay_run has placed the pages. */
const struct lay_anchor *lay_anchor(const struct layout *l, const char *name);
/* Finds, ahead of any layout, the hyphenation points of the words of [text, end) (UTF-8, in
 * language lang, which must have patterns) that paragraphs in style s would ask for, so
 * that the hyphenator has them memoised: at most *budget words, counted down. Returns
 * where it stopped: end, or the next word's start once the budget is spent. */
const char *lay_warm_hyphens(struct hyph *hy, const struct style *s, const char *lang,
	const char *text, const char *end, int *budget);
/* Text dump for golden tests (--dump layout). */
void lay_dump(const struct layout *l, const struct fonts *f, FILE *out);

#endif
