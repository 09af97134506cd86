/* style.h: the style sheet (page geometry, fonts, block styles) read and checked from XML. */
#ifndef BRIEFC_STYLE_H
#define BRIEFC_STYLE_H

#include "../base/diag.h"

enum style_align { ALIGN_JUSTIFY, ALIGN_LEFT, ALIGN_RIGHT, ALIGN_CENTER };

/* The contents: on pages of its own; with the front matter when it fits on its first page,
 * else on pages of its own (the body on a new page either way); in the flow; none. */
enum style_toc { TOC_OWN_PAGE, TOC_FRONT, TOC_INLINE, TOC_NONE };

/* How headings of levels 1 and 2 are numbered: 1 / 1.1, I / I.1, A / A.1, or not at all. */
enum style_numbering { NUM_DECIMAL, NUM_ROMAN, NUM_ALPHA, NUM_NONE };

struct style_color {
	double r, g, b;
};

/* How a block of a given class is set. Lengths are in PostScript points. */
struct style_block {
	char *cls;
	int font;       /* index into style.fonts */
	int bold, italic;
	double size, leading;
	enum style_align align;
	double space_before, space_after;
	double indent_left, indent_right, first_indent;
	struct style_color color;
	int keep_with_next;
};

struct style_font {
	char *id;
	char *family;
};

struct style {
	char *name;
	double page_w, page_h;
	double margin_top, margin_bottom, margin_inner, margin_outer;
	double header_offset, footer_offset;
	struct style_font *fonts;
	int nfonts;
	char **fallback; /* families tried, in order, for characters the block's font lacks */
	int nfallback;
	struct style_block *blocks;
	int nblocks;
	double rule_width, cell_padding, list_indent, tolerance;
	int hyphenate, kerning;          /* on unless the style turns them off */
	int hyphen_min_left, hyphen_min_right;
	double hyphen_penalty;
	double adj_demerits, double_hyphen_demerits, final_hyphen_demerits; /* line breaking costs */
	struct style_color link_color, rule_color;
	char *header, *footer; /* templates with {short-title}, {page}, {pages}, {section} */
	int first_page_plain;  /* no running head on the first page */
	int columns;           /* 1 or 2 */
	double column_gap;
	char *span;            /* block classes that span all columns ("h1") */
	enum style_toc toc_mode;
	int toc_depth;
	enum style_numbering numbering;
	int orphans, widows;   /* lines kept together at a paragraph's start and end */
};

/* Reads a style from path (or the built-in default when path is NULL), validating a file
 * against the embedded schema (a built-in style, part of briefc, is not validated again)
 * and checking every value. Returns NULL with diagnostics. */
struct style *style_load(const char *path, struct diags *d);
void style_free(struct style *s);
/* The i-th built-in style's XML (its name into *name, its length into *len); NULL past the
 * last. They are not validated when loaded (a unit test validates every one). */
const unsigned char *style_builtin(int i, const char **name, size_t *len);
/* SHA-256 of the style's bytes as named on the command line (a file, or a built-in style by
 * name; NULL: the default built-in). Returns -1 if it cannot be read. */
int style_digest(const char *path, char hex[65]);

/* The style for a block class; classes the sheet lacks use "body". Never NULL. */
const struct style_block *style_block(const struct style *s, const char *cls);

#endif
