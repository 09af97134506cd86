/* lay_int.h: types shared by the layout stage's files (para.c, page.c, layout.c) only. */
#ifndef BRIEFC_LAY_INT_H
#define BRIEFC_LAY_INT_H

/* Included only by the layout stage (compiler/layout). */

#include <stdint.h>

#include "hyphen.h"
#include "layout.h"
#include "linebreak.h"

/* Characters no font covers named one by one in warnings; more are counted (README "Limits"). */
#define LAY_MAX_CHAR_WARNINGS 100

/* A run of text in one face, size and colour: the unit the PDF draws. */
struct lay_piece {
	const char *text; /* in the layout's arena */
	int face;
	double size, width, rise;
	struct style_color color;
	const char *link;
	int internal;
	int note; /* > 0: this piece is the mark of footnote note - 1 */
};

/* A paragraph's material: the line breaker's items and the pieces each box is made of. */
struct lay_para {
	struct lb_item *items;
	int nitems, icap;
	int *first_piece; /* per item: index of its first piece (boxes) */
	int *npieces;
	struct lay_piece *pieces;
	int npiece, pcap;
	struct arena arena;   /* the pieces' text */
	struct buf word;      /* the word being collected */
	int word_face;        /* its face in the current piece */
	int word_start_piece; /* first piece of the word */
	int in_word;
	int no_hyph;          /* the word has explicit break points: no patterns */
	int justified;        /* the block is justified: hyphenation applies */
	int has_notes;        /* some piece is a footnote's mark */
};

/* Text state while walking inline nodes. */
struct lay_ink {
	int font, bold, italic;
	double size, rise;
	struct style_color color;
	const char *link;
	int internal;
	const char *lang;
	int line;
};

/* A footnote: its mark's label, its text broken for the column, its height. */
struct lay_note {
	const char *label;
	const char *anchor;
	struct lay_para p;
	struct lb_result res;
	const struct style_block *b;
	double height;
	int done; /* set and freed (at a flush, once its frame is closed) */
};

enum lay_vkind {
	V_LINE,      /* a line of a paragraph */
	V_SPACE,     /* vertical space, dropped at the top of a frame */
	V_RULE,      /* a horizontal rule across the item's measure */
	V_ROW,       /* a table row (all its cells) */
	V_IMAGE,     /* a picture */
	V_FIGURE,    /* drawn material (a timeline row): boxes and labels relative to its top */
	V_PAGEBREAK, /* start a new page (front matter, contents) */
	V_BODY       /* the body starts here: page labels turn arabic (after a page break) */
};

struct lay_table;

/* Drawn material placed as one item: boxes with x from the frame's left edge and y from the
 * item's top (downwards), and one-line labels (paragraphs) at such positions. */
struct lay_fig {
	struct lay_box *boxes;
	int nboxes, cap;
	struct {
		struct lay_para *p;
		int from, to;     /* the items of p on this line of the label */
		double x, y, width, lead;
		const char *link; /* internal anchor the label links to, or NULL */
	} *labels;
	int nlabels, lcap;
};

/* An item of the vertical list the page builder fills frames with. */
struct lay_vitem {
	enum lay_vkind kind;
	double h;     /* height taken */
	int keep;     /* no frame break between this item and the next */
	int span;     /* spans every column (multi-column styles) */
	/* V_LINE */
	struct lay_para *p;
	int from, to;
	double ratio;
	double x0, width; /* from the frame's left edge */
	enum style_align align;
	int justify;
	double leading;
	struct lay_para *hang; /* a label hung in the margin (list items) */
	double hang_x;
	int toc; /* > 0: contents entry toc - 1 ends on this line: leaders and page number */
	struct lay_flow flow; /* what it is, for the dump */
	/* V_RULE */
	double lw;
	struct style_color color;
	/* V_ROW */
	struct lay_table *table;
	int row;
	/* V_IMAGE */
	const char *image; /* file */
	/* V_FIGURE */
	struct lay_fig *fig;
	/* recorded when placed */
	const char *anchor;
	int outline_level;
	const char *outline_title;
};

struct lay_tocent {
	const char *anchor;
	int page;          /* where the entry's last line went */
	double y, x_end;   /* its top and the end of its text */
	double x_left, x_right; /* the column it went into */
	double size, leading;
	int face;
	struct style_color color;
};

/* The frame being filled: a column of a page. */
struct lay_frame {
	int page;
	int col;
	double top, y, bottom; /* distances from the page's top edge */
	double notes_h;        /* footnotes already in this frame (with their separator) */
	int empty;
	int *notes;            /* footnotes to set at its foot */
	int nnotes, cap;
};

struct lay_ctx {
	struct layout *L;
	const struct style *s;
	struct fonts *f;
	const char *file;
	struct diags *d;
	struct hyph *hy;
	const char *doc_lang;
	unsigned char *warned; /* a bit per code point named in a warning (allocated on first use) */
	int nwarned;           /* distinct characters no font covers */
	const char *nolang[16];
	int nnolang;
	/* geometry */
	double left, right, top, bottom;
	int ncols;
	double col_gap, col_w;
	/* the vertical list waiting for the page builder, and what it points to */
	struct lay_vitem *v;
	int nv, vcap;
	struct lay_vitem *span; /* spanning items waiting for the columns after them */
	int nspan, span_cap;
	struct vec owned_paras; /* lay_para* to free once placed */
	struct vec tables;      /* lay_table* likewise */
	struct vec figs;        /* lay_fig* likewise */
	/* footnotes */
	struct lay_note *notes;
	int nnotes, notes_cap;
	/* contents entries */
	struct lay_tocent *toc;
	int ntoc, toc_cap;
	/* where the emitter draws (set by the page builder) */
	int page;
	double y;
	struct lay_frame fr;
	double col_x;        /* left edge of the current frame */
	double cols_top;     /* top of the columns on the current page (below spanning material) */
	double frame_bottom; /* bottom of the columns (raised when balancing) */
	double fill_tail;    /* what a chain running to the end of the items filled keeps with
	                      * after them (spanning items kept with column material), or 0 */
	struct lay_table *open_table; /* a table whose rows continue in the next frame */
	int body_started;
	double pending_space; /* space asked for below the last block */
	int nparas, ntables;  /* counters for the flow records */
	const struct layout *prev; /* the previous pass, for page references */
	int pagerefs;              /* page references met in this pass */
	/* streaming: finished pages go to the sink and lose their boxes */
	const struct lay_sink *sink; /* NULL: every page keeps its boxes and flow */
	int sunk;                    /* pages [0, sunk) handed over */
	int in_quote;                /* inside a quotation: no flushing (its keeps are set after) */
	int notes_freed;             /* footnotes [0, notes_freed) are set and freed */
	struct lay_box *spare_boxes; /* a streamed page's box array, for the next page */
	int spare_cap;
};

/* para.c */
void lay_para_free(struct lay_para *p);
void lay_para_build(struct lay_ctx *st, struct lay_para *p, const struct doc_node *n,
	const struct style_block *b, const char *label);
void lay_para_text(struct lay_ctx *st, struct lay_para *p, const struct style_block *b,
	const char *text);
void lay_para_measure(const struct lay_para *p, double *natural, double *minimum);
void lay_para_break(struct lay_ctx *st, struct lay_para *p, const struct style_block *b,
	double width, double first_indent, struct lb_result *res, int line);
/* Draws one line [from, to) with its top at st->y on st->page; returns the end of its text. */
double lay_para_emit(struct lay_ctx *st, const struct lay_para *p, int from, int to, double ratio,
	double x0, double width, enum style_align align, double leading, int justify);
struct lay_box *lay_box_new(struct lay_ctx *st, int page, enum lay_kind kind);

/* layout.c: a footnote met while building a paragraph; returns its number (1-based). */
int lay_note_add(struct lay_ctx *st, const struct doc_node *n);

/* page.c */
void lay_flow_add(struct lay_ctx *st, int page, struct lay_flow f);
struct lay_vitem *lay_v_push(struct lay_ctx *st, enum lay_vkind kind, double h);
void lay_pages_start(struct lay_ctx *st);
void lay_pages_flush(struct lay_ctx *st, int balance);
void lay_pages_span(struct lay_ctx *st);
void lay_pages_finish(struct lay_ctx *st);
/* Hands pages [st->sunk, upto) to the sink and frees their boxes (nothing with no sink). */
void lay_pages_sink(struct lay_ctx *st, int upto);
/* Hands page i's late boxes (added after the page was handed over: contents numbers, running
 * heads) to the sink and frees them (nothing with no sink). */
void lay_pages_sink_late(struct lay_ctx *st, int i);
void lay_anchor_add(struct lay_ctx *st, const char *name, int page, double y_from_top);
int lay_new_page(struct lay_ctx *st);
void lay_row_emit(struct lay_ctx *st, struct lay_table *t, int row, double x_left, double top);
double lay_row_height(const struct lay_table *t, int row);
int lay_table_header_rows(const struct lay_table *t);
int lay_table_last_row(const struct lay_table *t, int row);
int lay_table_id(const struct lay_table *t);
int lay_table_rows(const struct lay_table *t);
int lay_row_notes(const struct lay_table *t, int row, int *list, int max);
void lay_table_free(struct lay_table *t);

#endif
