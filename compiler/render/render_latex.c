/* render_latex.c: the LaTeX backend: walks the document tree and writes a .tex for XeLaTeX or LuaLaTeX. */
#include "render_latex.h"
#include "latex_escape.h"
#include "../layout/font.h"
#include "../layout/tlplace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A style class the body uses: its TeX name and what the preamble must define for it. */
struct S_class {
	const char *cls;
	char name[48];    /* "Facts": \briefFactsFont, environment briefFacts */
	int env;          /* used as a paragraph of its own: needs an environment */
	int keep;         /* keep with what follows (a table's caption) */
};

enum S_family { FAM_RM, FAM_SF, FAM_TT, FAM_OWN };

struct S_tex {
	const struct doc *doc;
	const struct style *s;
	struct fonts *f;             /* to measure the timeline's labels; NULL: not measured */
	struct buf *b;               /* the body being written */
	struct S_class *cls;
	int ncls, capcls;
	const char **targets;        /* anchors something links to, sorted */
	size_t ntargets;
	enum S_family *family;       /* per style font: how the preamble names it */
	int lists, tables, quotes, rule, marks, notes, toc, multicols, maxlevel, tikz;
	int pages; /* a running head or foot shows {pages} (\briefPages) */
	int in_quote, env_depth, in_columns, notecount;
};

/* ---- small writers ---- */

static void S_num(struct buf *b, double v)
{
	char tmp[48];
	snprintf(tmp, sizeof tmp, "%.2f", v);
	char *e = tmp + strlen(tmp);
	while (e > tmp && e[-1] == '0')
		*--e = '\0';
	if (e > tmp && e[-1] == '.')
		*--e = '\0';
	buf_puts(b, strcmp(tmp, "-0") == 0 ? "0" : tmp);
}

/* A length in points, written in millimetres when it is a whole tenth of one, in inches
 * when it is a whole hundredth of one. */
static void S_len(struct buf *b, double pt)
{
	double mm = pt * 25.4 / 72.0, in = pt / 72.0;
	if (fabs(mm * 10 - floor(mm * 10 + 0.5)) < 1e-3 && fabs(mm) >= 0.05) {
		S_num(b, floor(mm * 10 + 0.5) / 10);
		buf_puts(b, "mm");
	} else if (fabs(in * 100 - floor(in * 100 + 0.5)) < 1e-4 && fabs(in) >= 0.005) {
		S_num(b, floor(in * 100 + 0.5) / 100);
		buf_puts(b, "in");
	} else {
		S_num(b, pt);
		buf_puts(b, "pt");
	}
}

static int S_black(struct style_color c)
{
	return c.r == 0 && c.g == 0 && c.b == 0;
}

static void S_hex(struct buf *b, struct style_color c)
{
	buf_printf(b, "%02X%02X%02X", (int)floor(c.r * 255 + 0.5), (int)floor(c.g * 255 + 0.5),
		(int)floor(c.b * 255 + 0.5));
}

static const char *S_align(enum style_align a)
{
	switch (a) {
	case ALIGN_LEFT: return "\\raggedright";
	case ALIGN_RIGHT: return "\\raggedleft";
	case ALIGN_CENTER: return "\\centering";
	default: return "";
	}
}

static void S_label(struct buf *b, const char *id)
{
	tex_esc_label(b, id);
}

/* ---- what the body uses ---- */

static int S_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void S_collect_targets(const struct doc_node *n, struct vec *v)
{
	if ((n->type == DOC_XREF || n->type == DOC_NOTEREF || n->type == DOC_CITE) && n->target)
		vec_push(v, (void *)n->target);
	for (const struct doc_node *c = n->first; c; c = c->next)
		S_collect_targets(c, v);
}

static int S_referenced(const struct S_tex *t, const char *anchor)
{
	return anchor != NULL && t->ntargets > 0 &&
		bsearch(&anchor, t->targets, t->ntargets, sizeof *t->targets, S_cmp) != NULL;
}

/* A class name as letters for TeX: "facts" -> "Facts", "toc-1" -> "TocOne". */
static void S_texname(const char *cls, char *out, size_t n)
{
	static const char *const digits[] = {"Zero", "One", "Two", "Three", "Four", "Five", "Six",
		"Seven", "Eight", "Nine"};
	size_t k = 0;
	int up = 1;
	for (const char *p = cls; *p && k + 6 < n; p++) {
		char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			out[k++] = up && c >= 'a' ? (char)(c - 'a' + 'A') : c;
			up = 0;
		} else if (c >= '0' && c <= '9') {
			const char *w = digits[c - '0'];
			memcpy(out + k, w, strlen(w));
			k += strlen(w);
			up = 1;
		} else {
			up = 1;
		}
	}
	if (k == 0)
		out[k++] = 'X';
	out[k] = '\0';
}

static struct S_class *S_use(struct S_tex *t, const char *cls, int env)
{
	struct S_class *c = NULL;
	for (int i = 0; i < t->ncls && c == NULL; i++)
		if (strcmp(t->cls[i].cls, cls) == 0)
			c = &t->cls[i];
	if (c == NULL) {
		char name[48];
		S_texname(cls, name, sizeof name);
		for (int i = 0; i < t->ncls && c == NULL; i++)
			if (strcmp(t->cls[i].name, name) == 0) /* two classes, one TeX name: share it */
				c = &t->cls[i];
		if (c == NULL) {
			if (t->ncls == t->capcls) {
				t->capcls = t->capcls ? 2 * t->capcls : 16;
				t->cls = xrealloc(t->cls, (size_t)t->capcls * sizeof *t->cls);
			}
			c = &t->cls[t->ncls++];
			memset(c, 0, sizeof *c);
			c->cls = cls;
			memcpy(c->name, name, sizeof name);
		}
	}
	if (env)
		c->env = 1;
	return c;
}

/* ---- inline content ---- */

static void S_inlines(struct S_tex *t, const struct doc_node *n, int flags);

static void S_inline(struct S_tex *t, const struct doc_node *n, int flags)
{
	struct buf *b = t->b;
	switch (n->type) {
	case DOC_TEXT:
		if (n->text)
			tex_esc_text(b, n->text, flags);
		return;
	case DOC_EMPH:
		buf_puts(b, "\\emph{");
		S_inlines(t, n, flags);
		buf_putc(b, '}');
		return;
	case DOC_STRONG:
		buf_puts(b, "\\textbf{");
		S_inlines(t, n, flags);
		buf_putc(b, '}');
		return;
	case DOC_LINK:
		if (n->target == NULL)
			break;
		buf_puts(b, "\\href{");
		tex_esc_url(b, n->target);
		buf_puts(b, "}{");
		if (n->first)
			S_inlines(t, n, flags | TEX_ESC_BREAK_SLASH);
		else
			tex_esc_text(b, n->target, TEX_ESC_BREAK_SLASH);
		buf_putc(b, '}');
		return;
	case DOC_XREF:
		if (n->target == NULL)
			break;
		buf_puts(b, "\\hyperref[");
		S_label(b, n->target);
		buf_puts(b, "]{");
		S_inlines(t, n, flags);
		buf_putc(b, '}');
		return;
	case DOC_NOTEREF:
		buf_puts(b, "\\textsuperscript{");
		if (n->target) {
			buf_puts(b, "\\hyperref[");
			S_label(b, n->target);
			buf_puts(b, "]{");
		}
		tex_esc_text(b, n->label ? n->label : "", 0);
		buf_puts(b, n->target ? "}}" : "}");
		return;
	case DOC_CITE:
		if (n->target) {
			buf_puts(b, "\\hyperref[");
			S_label(b, n->target);
			buf_puts(b, "]{");
		}
		if (n->first)
			S_inlines(t, n, flags);
		else
			tex_esc_text(b, n->label ? n->label : "", 0);
		if (n->target)
			buf_putc(b, '}');
		return;
	case DOC_FOOTNOTE: {
		/* LaTeX numbers footnotes 1, 2, 3 itself; a label out of that sequence is given */
		t->notes = 1;
		S_use(t, "note", 0);
		char want[16];
		snprintf(want, sizeof want, "%d", ++t->notecount);
		buf_puts(b, "\\footnote");
		if (n->label && strcmp(n->label, want) != 0 && strspn(n->label, "0123456789") == strlen(n->label)
			&& n->label[0] != '\0')
			buf_printf(b, "[%s]", n->label);
		buf_putc(b, '{');
		if (S_referenced(t, n->anchor)) {
			buf_puts(b, "\\label{");
			S_label(b, n->anchor);
			buf_puts(b, "}");
		}
		S_inlines(t, n, flags);
		buf_putc(b, '}');
		return;
	}
	case DOC_LANG:
		break;
	default:
		/* a page reference (a node type newer than this backend's switch): TeX knows the page */
		if (n->target && n->first == NULL && strcmp(doc_type_name(n->type), "pageref") == 0) {
			buf_puts(b, "\\pageref{");
			S_label(b, n->target);
			buf_putc(b, '}');
			return;
		}
		break;
	}
	/* a language span, a link without a target, or a kind of node this backend does not
	 * know: its content as it is */
	S_inlines(t, n, flags);
}

static void S_inlines(struct S_tex *t, const struct doc_node *n, int flags)
{
	for (const struct doc_node *c = n->first; c; c = c->next)
		S_inline(t, c, flags);
}

/* The text of a subtree as the outline and the running heads show it (no note marks). */
static void S_plain(const struct doc_node *n, struct buf *b)
{
	if (n->type == DOC_TEXT && n->text)
		buf_puts(b, n->text);
	if (n->type == DOC_NOTEREF || n->type == DOC_FOOTNOTE)
		return;
	for (const struct doc_node *c = n->first; c; c = c->next)
		S_plain(c, b);
}

/* ---- blocks ---- */

static void S_blocks(struct S_tex *t, const struct doc_node *n);
static void S_block(struct S_tex *t, const struct doc_node *n);

/* \phantomsection\label{...} for an anchor something links to. */
static void S_anchor(struct S_tex *t, const char *anchor)
{
	if (!S_referenced(t, anchor))
		return;
	buf_puts(t->b, "\\phantomsection\\label{");
	S_label(t->b, anchor);
	buf_puts(t->b, "}");
}

static int S_has_content(const struct doc_node *n)
{
	return n->first != NULL;
}

static void S_para(struct S_tex *t, const struct doc_node *n, const char *cls)
{
	struct buf *b = t->b;
	if (!S_has_content(n) && !S_referenced(t, n->anchor))
		return;
	if (cls == NULL)
		cls = n->cls ? n->cls : "body";
	if (strcmp(cls, "body") == 0 || (t->in_quote && strcmp(cls, "quote") == 0)) {
		S_anchor(t, n->anchor);
		S_inlines(t, n, TEX_ESC_SENTENCES);
		buf_puts(b, "\n\n");
	} else if (t->in_quote) {
		/* inside a quotation the quote environment sets the measure: font and alignment only */
		struct S_class *c = S_use(t, cls, 0);
		const char *al = S_align(style_block(t->s, cls)->align);
		buf_printf(b, "{\\brief%sFont%s ", c->name, al);
		S_anchor(t, n->anchor);
		S_inlines(t, n, TEX_ESC_SENTENCES);
		buf_puts(b, "\\par}\n\n");
	} else {
		struct S_class *c = S_use(t, cls, 1);
		buf_printf(b, "\\begin{brief%s}\n", c->name);
		S_anchor(t, n->anchor);
		S_inlines(t, n, TEX_ESC_SENTENCES);
		buf_printf(b, "\n\\end{brief%s}\n\n", c->name);
	}
}

/* Is the span class list of the style naming cls? */
static int S_spans(const struct S_tex *t, const char *cls)
{
	const char *list = t->s->span;
	size_t n = strlen(cls);
	if (list == NULL || n == 0)
		return 0;
	for (const char *p = list; (p = strstr(p, cls)) != NULL; p += n) {
		int start = p == list || p[-1] == ' ' || p[-1] == ',';
		int end = p[n] == '\0' || p[n] == ' ' || p[n] == ',';
		if (start && end)
			return 1;
	}
	return 0;
}

/* In a multi-column style, a block that spans the columns ends them and starts them again. */
static void S_span_begin(struct S_tex *t)
{
	if (t->in_columns && t->env_depth == 0) {
		buf_puts(t->b, "\\end{multicols}\n\n");
		t->in_columns = 0;
	}
}

static void S_span_end(struct S_tex *t)
{
	if (t->multicols && !t->in_columns && t->env_depth == 0) {
		buf_printf(t->b, "\\begin{multicols}{%d}\n\n", t->s->columns);
		t->in_columns = 1;
	}
}

static void S_heading(struct S_tex *t, const struct doc_node *h, int level, const char *anchor)
{
	static const char *const cmd[] = {"section", "subsection", "subsubsection", "paragraph"};
	struct buf *b = t->b;
	int lv = level < 1 ? 1 : level > 4 ? 4 : level;
	if (lv > t->maxlevel)
		t->maxlevel = lv;
	const char *cls = h->cls ? h->cls : lv == 1 ? "h1" : lv == 2 ? "h2" : "h3";
	/* (a heading before a timeline, which spans the columns, spans with it: the columns
	 * begin again after the timeline, not between the two) */
	int before_timeline = h->next != NULL && h->next->type == DOC_TIMELINE;
	int span = t->multicols && (S_spans(t, cls) || before_timeline);
	if (span)
		S_span_begin(t);
	buf_printf(b, "\\%s*{", cmd[lv - 1]);
	if (h->label && h->label[0]) {
		tex_esc_text(b, h->label, 0);
		buf_puts(b, "\\enspace ");
	}
	S_inlines(t, h, 0);
	buf_putc(b, '}');
	if (anchor) {
		/* \section* made an anchor already; the label names it */
		buf_puts(b, "\\label{");
		S_label(b, anchor);
		buf_putc(b, '}');
	}
	buf_putc(b, '\n');
	/* The contents (and with it the PDF outline) list the heading's plain text. */
	struct buf plain = {0};
	S_plain(h, &plain);
	buf_printf(b, "\\addcontentsline{toc}{%s}{", cmd[lv - 1]);
	if (h->label && h->label[0]) {
		buf_puts(b, "\\protect\\numberline{");
		tex_esc_pdfstr(b, h->label);
		buf_putc(b, '}');
	}
	tex_esc_pdfstr(b, plain.data ? plain.data : "");
	buf_puts(b, "}\n");
	if (lv == 1 && t->marks) {
		buf_puts(b, "\\markright{");
		if (h->label && h->label[0]) {
			tex_esc_pdfstr(b, h->label);
			buf_putc(b, ' ');
		}
		tex_esc_pdfstr(b, plain.data ? plain.data : "");
		buf_puts(b, "}\n");
	}
	buf_putc(b, '\n');
	buf_free(&plain);
	if (span && !before_timeline)
		S_span_end(t);
}

static int S_all_inline(const struct doc_node *n)
{
	for (const struct doc_node *c = n->first; c; c = c->next)
		if (!doc_is_inline(c->type))
			return 0;
	return 1;
}

/* ---- the timeline, drawn with TikZ ---- */

/* The lines a label (its date, a gap, its text) takes when its words fill lines of the given
 * width one after another. */
static int S_fit_lines(struct fonts *f, int face, double size, const char *text,
	const char *when, double width, double gap)
{
	double space = font_text_width(f, face, size, " ", 1);
	double x = font_text_width(f, face, size, when, strlen(when)) + gap - space;
	int lines = 1;
	for (const char *p = text; *p;) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		double ww = font_text_width(f, face, size, p, (size_t)(e - p));
		if (e > p && x + space + ww > width && x > 0) {
			lines++;
			x = ww;
		} else if (e > p) {
			x += space + ww;
		}
		p = e;
	}
	return lines;
}

/* \draw[how] (x0,y0) -- (x1,y1); */
static void S_draw_line(struct buf *b, const char *how, double x0, double y0, double x1, double y1)
{
	buf_printf(b, "\\draw[%s] (", how);
	S_num(b, x0);
	buf_putc(b, ',');
	S_num(b, y0);
	buf_puts(b, ") -- (");
	S_num(b, x1);
	buf_putc(b, ',');
	S_num(b, y1);
	buf_puts(b, ");\n");
}

/* One picture per row of items, the rows, markers and label lanes those of the PDF
 * (tl_row, on the same widths: the labels are measured in the fonts the .tex names): an
 * axis across the text block (a timeline spans the columns), month ticks, markers (squares
 * for events and statements, diamonds for deadlines, a dot for the signing), ranges as
 * bars, and each label beside its leader, above every marker under it. */
static void S_timeline(struct S_tex *t, const struct doc_node *n)
{
	struct buf *b = t->b;
	const struct style *s = t->s;
	const struct style_block *k = style_block(s, "timeline");
	const struct doc_node **items;
	struct tl_item *at;
	int count = tl_items(n, &items, &at);
	if (count == 0)
		return;
	t->tikz = 1;
	t->rule = 1;
	char font[sizeof t->cls->name]; /* (a copy: the labels may add classes, moving t->cls) */
	memcpy(font, S_use(t, "timeline", 0)->name, sizeof font);
	double width = s->page_w - s->margin_inner - s->margin_outer, x0 = 6, x1 = width - 6;
	double wrap = x1 - x0 - 3; /* (the axis, less the gap to the leader) */
	double lane_h = k->leading + 2, tick_size = k->size * 0.9, gap = k->size * 0.6;
	int face = t->f ? font_face(t->f, k->font, k->bold, k->italic) : -1;
	for (int i = 0; i < count; i++) {
		const struct doc_node *it = items[i];
		char when[64];
		date_format(it->date, when, sizeof when);
		/* (without fonts, as wide as the text block: a row an item) */
		struct buf text = {0};
		S_plain(it, &text);
		const char *words = text.data ? text.data : "";
		at[i].lw = face < 0 ? width : font_text_width(t->f, face, k->size, when, strlen(when)) +
			gap + font_text_width(t->f, face, k->size, words, strlen(words));
		if (at[i].lw > wrap) {
			/* wider than the axis: TeX wraps it to the axis's width, alone on its row; its
			 * lines counted here as a first fit of its words would make them */
			at[i].lines = face < 0 ? 1 : S_fit_lines(t->f, face, k->size, words, when, wrap, gap);
			at[i].lw = wrap;
		}
		buf_free(&text);
	}
	long axis_end = n->date_end ? date_days(n->date_end) : 0;
	if (t->multicols)
		S_span_begin(t);
	/* the rows placed first (a row's items keep their places): whether a row keeps with
	 * what follows hangs on how many there are */
	struct S_row {
		int to, lanes;
		long lo, hi;
	} *row = xmalloc((size_t)count * sizeof *row);
	int rows = 0;
	for (int from = 0; from < count; from = row[rows++].to) {
		struct S_row *w = &row[rows];
		w->to = from + tl_row(at + from, count - from, x0, x1, axis_end, &w->lo, &w->hi, &w->lanes);
	}
	for (int from = 0, to, r = 0; from < count; from = to, r++) {
		long lo = row[r].lo, hi = row[r].hi;
		int lanes = row[r].lanes;
		to = row[r].to;
		int keep = tl_row_keeps(r, rows);
		double axis_y = 4 + tick_size * 1.4;
		buf_printf(b, "\\par\\noindent\\begin{tikzpicture}[x=1pt, y=1pt, font=\\brief%sFont]\n",
			font);
		/* (the picture is the text block's width and its lanes' height, whatever it draws) */
		buf_puts(b, "\\path (0,0) rectangle (");
		S_num(b, width);
		buf_putc(b, ',');
		S_num(b, axis_y + 6 + lanes * lane_h);
		buf_puts(b, ");\n");
		S_draw_line(b, "briefRule, line width=0.8pt", x0 - 4, axis_y, x1 + 4, axis_y);
		/* month ticks, labelled where there is room */
		struct date_tick *tk;
		int ntk = date_ticks(items[from]->date, lo, hi, &tk);
		double last_end = -1e9, span = hi > lo ? (double)(hi - lo) : 1.0;
		for (int m = 0; m < ntk; m++) {
			double x = x0 + (x1 - x0) * (double)(tk[m].day - lo) / span;
			buf_puts(b, "\\draw[briefRule, line width=0.4pt] (");
			S_num(b, x);
			buf_putc(b, ',');
			S_num(b, axis_y - 3);
			buf_puts(b, ") -- +(0,-6)");
			char lab[32];
			snprintf(lab, sizeof lab, "%s %d", tk[m].abbr, tk[m].year);
			double w = face < 0 ? 8 * tick_size : font_text_width(t->f, face, tick_size, lab, strlen(lab));
			if (tl_tick_shown(x, w, width, &last_end)) {
				buf_printf(b, " node[below=6pt, inner sep=0, text=gray, font=\\brief%sFont\\fontsize{",
					font);
				S_num(b, tick_size);
				buf_puts(b, "}{");
				S_num(b, tick_size * 1.2);
				buf_printf(b, "}\\selectfont] {%s}", lab);
			}
			buf_puts(b, ";\n");
		}
		free(tk);
		for (int i = from; i < to; i++) {
			const struct doc_node *it = items[i];
			const struct tl_item *a = &at[i];
			const char *cls = it->cls ? it->cls : "event";
			double top = axis_y + 5 + a->lane * lane_h; /* the leader's end, the label's foot */
			if (a->end > a->day)
				S_draw_line(b, "briefLink, line width=3pt", a->x, axis_y, a->xe, axis_y);
			S_draw_line(b, "gray, line width=0.3pt", a->x, axis_y, a->x, top + k->leading - 2);
			int deadline = strcmp(cls, "deadline") == 0, pending = strcmp(cls, "pending") == 0;
			buf_puts(b, deadline || pending ? "\\filldraw[fill=" : "\\fill[");
			buf_puts(b, deadline ? "briefDeadline, draw=briefDeadline" : pending ? "white, draw=briefDeadline"
				: "briefLink");
			buf_puts(b, "] (");
			S_num(b, a->x);
			buf_putc(b, ',');
			S_num(b, axis_y);
			if (deadline || pending)
				buf_puts(b, ") +(0,3pt) -- +(3pt,0) -- +(0,-3pt) -- +(-3pt,0) -- cycle;\n");
			else if (strcmp(cls, "signing") == 0)
				buf_puts(b, ") circle (2.5pt);\n");
			else
				buf_puts(b, ") +(-2pt,-2pt) rectangle +(2pt,2pt);\n");
			/* the label: its left edge where the layout put it (its right edge, when it
			 * ends beside its leader, so that TeX's own widths change nothing there); a
			 * label of several lines stands on its lowest lane */
			int ends = a->lx + a->lw <= a->x;
			if (a->lines > 1) {
				buf_puts(b, "\\node[anchor=south west, inner sep=0, align=left, text width=");
				S_num(b, a->lw);
				buf_puts(b, "pt] at (");
				S_num(b, a->lx);
				buf_putc(b, ',');
				S_num(b, top);
			} else {
				buf_printf(b, "\\node[anchor=base %s, inner sep=0] at (", ends ? "east" : "west");
				S_num(b, ends ? a->lx + a->lw : a->lx);
				buf_putc(b, ',');
				S_num(b, top + 2);
			}
			buf_puts(b, ") {");
			char when[64];
			date_format(it->date, when, sizeof when);
			tex_esc_text(b, when, 0);
			buf_puts(b, "\\hspace{");
			S_num(b, gap);
			buf_puts(b, "pt}");
			for (const struct doc_node *c = it->first; c; c = c->next)
				S_inline(t, c, 0);
			buf_puts(b, "};\n");
		}
		buf_puts(b, keep ? "\\end{tikzpicture}\\par\\nopagebreak\\medskip\n\n"
			: "\\end{tikzpicture}\\par\\medskip\n\n");
	}
	if (t->multicols)
		S_span_end(t);
	free(row);
	free(at);
	free(items);
}

static int S_all_items(const struct doc_node *n)
{
	for (const struct doc_node *c = n->first; c; c = c->next)
		if (c->type != DOC_ITEM)
			return 0;
	return 1;
}

static void S_list(struct S_tex *t, const struct doc_node *n)
{
	struct buf *b = t->b;
	if (n->first == NULL)
		return;
	int ordered = (n->flags & DOC_ORDERED) != 0;
	const char *env = ordered ? "enumerate" : "itemize";
	/* items of a class other than "item" (notes, ...) set the whole list in its font */
	const char *icls = NULL;
	int same = 1;
	for (const struct doc_node *c = n->first; c; c = c->next) {
		if (c->type != DOC_ITEM)
			continue;
		const char *k = c->cls ? c->cls : "item";
		if (icls == NULL)
			icls = k;
		else if (strcmp(icls, k) != 0)
			same = 0;
	}
	t->lists = 1;
	buf_printf(b, "\\begin{%s}", env);
	if (icls && same && strcmp(icls, "item") != 0)
		buf_printf(b, "[before=\\brief%sFont]", S_use(t, icls, 0)->name);
	buf_putc(b, '\n');
	t->env_depth++;
	int k = 0;
	for (const struct doc_node *c = n->first; c; c = c->next) {
		buf_puts(b, "\\item");
		if (c->type != DOC_ITEM) {
			buf_puts(b, "[] ");
			if (doc_is_inline(c->type)) {
				S_inline(t, c, TEX_ESC_SENTENCES);
				buf_putc(b, '\n');
			} else {
				buf_putc(b, '\n');
				S_block(t, c);
			}
			continue;
		}
		k++;
		char want[16];
		snprintf(want, sizeof want, "%d.", k);
		int natural = c->label == NULL || (ordered ? strcmp(c->label, want) == 0
			: strcmp(c->label, "\u2022") == 0);
		if (!natural) {
			buf_puts(b, "[{");
			tex_esc_text(b, c->label, 0);
			buf_puts(b, "}]");
		}
		if (S_referenced(t, c->anchor)) {
			/* an enumerate item is an anchor already */
			buf_puts(b, natural && ordered ? "\\label{" : "\\phantomsection\\label{");
			S_label(b, c->anchor);
			buf_putc(b, '}');
		}
		buf_putc(b, ' ');
		if (S_all_inline(c)) {
			S_inlines(t, c, TEX_ESC_SENTENCES);
			buf_putc(b, '\n');
		} else {
			buf_putc(b, '\n');
			S_blocks(t, c);
		}
	}
	t->env_depth--;
	buf_printf(b, "\\end{%s}\n\n", env);
}

/* ---- tables ---- */

/* Characters and the longest word of a subtree's text, to estimate column widths. */
static void S_measure(const struct doc_node *n, int *chars, int *word, int *run)
{
	const char *s = NULL;
	if (n->type == DOC_TEXT)
		s = n->text;
	else if ((n->type == DOC_CITE || n->type == DOC_NOTEREF || n->type == DOC_FOOTNOTE) && n->label)
		s = n->label;
	if (s) {
		const char *p = s, *end = s + strlen(s);
		while (p < end) {
			uint32_t cp = utf8_next(&p, end);
			(*chars)++;
			if (cp == ' ' || cp == '-' || cp == '/') {
				*run = 0;
			} else if (++*run > *word) {
				*word = *run;
			}
		}
	}
	if (n->type == DOC_FOOTNOTE)
		return;
	for (const struct doc_node *c = n->first; c; c = c->next)
		S_measure(c, chars, word, run);
}

static char S_cell_align(const struct doc_node *c)
{
	return (c->flags & DOC_ALIGN_RIGHT) ? 'R' : (c->flags & DOC_ALIGN_CENTER) ? 'C' : 'L';
}

static void S_row(struct S_tex *t, const struct doc_node *r, const char *colal, int ncols,
	int anchors)
{
	struct buf *b = t->b;
	int ci = 0;
	for (const struct doc_node *c = r->first; c && ci < ncols; c = c->next, ci++) {
		if (ci > 0)
			buf_puts(b, " & ");
		if (c->type == DOC_CELL && c->cls && strcmp(c->cls, "cell") != 0)
			buf_printf(b, "\\brief%sFont ", S_use(t, c->cls, 0)->name);
		char al = S_cell_align(c);
		if (al != colal[ci])
			buf_puts(b, al == 'R' ? "\\raggedleft\\arraybackslash " : al == 'C'
				? "\\centering\\arraybackslash " : "\\raggedright\\arraybackslash ");
		if (ci == 0 && anchors)
			S_anchor(t, r->anchor);
		if (doc_is_inline(c->type))
			S_inline(t, c, 0);
		else
			S_inlines(t, c, 0);
	}
	buf_puts(b, "\\\\\n");
}

static void S_table(struct S_tex *t, const struct doc_node *n)
{
	struct buf *b = t->b;
	const struct style *s = t->s;
	int ncols, nrows;
	doc_table_size(n, &nrows, &ncols, NULL);
	int span = t->multicols; /* longtable works in one column only */
	if (span)
		S_span_begin(t);
	/* The caption is the table's first head, so that it never stays behind alone; any other
	 * paragraph goes before the table. */
	const struct doc_node *cap = NULL;
	for (const struct doc_node *c = n->first; c; c = c->next)
		if (c->type == DOC_PARA) {
			if (cap == NULL && nrows > 0 && ncols > 0 && S_has_content(c))
				cap = c;
			else
				S_para(t, c, c->cls ? c->cls : "caption");
		}
	if (nrows == 0 || ncols == 0) {
		if (span)
			S_span_end(t);
		return;
	}
	t->tables = 1;
	S_use(t, "cell", 0);
	/* Column widths as the layout shares them out (natural widths if they fit, else between
	 * minimum and natural), estimated from the number of characters. */
	double pad = s->cell_padding;
	/* an average character of a sans serif font is about 0.55 em wide; a word's width is
	 * overestimated (0.62 em a character) so that it never overflows its column */
	double em = 0.55 * style_block(s, "cell")->size, wem = 0.62 * style_block(s, "cell")->size;
	double avail = s->page_w - s->margin_inner - s->margin_outer;
	double *nat = xcalloc((size_t)ncols, sizeof *nat), *mn = xcalloc((size_t)ncols, sizeof *mn);
	char *colal = xcalloc((size_t)ncols + 1, 1);
	int *seen = xcalloc((size_t)ncols, sizeof *seen);
	for (const struct doc_node *r = n->first; r; r = r->next) {
		if (r->type != DOC_ROW)
			continue;
		int ci = 0;
		for (const struct doc_node *c = r->first; c; c = c->next, ci++) {
			int chars = 0, word = 0, run = 0;
			S_measure(c, &chars, &word, &run);
			nat[ci] = fmax(nat[ci], chars * em + 2 * pad);
			mn[ci] = fmax(mn[ci], word * wem + 2 * pad);
			if (!(r->flags & DOC_HEADER)) {
				char al = S_cell_align(c);
				if (!seen[ci])
					colal[ci] = al;
				else if (colal[ci] != al)
					colal[ci] = 'L';
				seen[ci] = 1;
			}
		}
	}
	double snat = 0, smin = 0;
	for (int c = 0; c < ncols; c++) {
		if (!seen[c])
			colal[c] = 'L';
		mn[c] = fmax(mn[c], 2 * pad + wem);
		nat[c] = fmax(nat[c], mn[c]);
		snat += nat[c];
		smin += mn[c];
	}
	buf_puts(b, "\\begin{longtable}{");
	for (int c = 0; c < ncols; c++) {
		double w;
		if (snat <= avail)
			w = nat[c] + (avail - snat) * (nat[c] / snat);
		else if (smin <= avail)
			w = mn[c] + (nat[c] - mn[c]) * ((avail - smin) / (snat - smin));
		else
			w = avail * (mn[c] / smin);
		double frac = floor((w - 2 * pad) / avail * 1000) / 1000;
		buf_printf(b, "%c{%.3f}", colal[c], frac > 0.001 ? frac : 0.001);
	}
	buf_puts(b, "}\n");
	if (cap) {
		const char *ccls = cap->cls ? cap->cls : "caption";
		buf_printf(b, "\\multicolumn{%d}{@{}p{\\linewidth}@{}}{\\brief%sFont ", ncols,
			S_use(t, ccls, 0)->name);
		S_anchor(t, cap->anchor);
		S_inlines(t, cap, 0);
		buf_puts(b, "}\\\\");
		double after = style_block(s, ccls)->space_after;
		if (after > 0.005) {
			buf_putc(b, '[');
			S_len(b, after);
			buf_putc(b, ']');
		}
		buf_putc(b, '\n');
	}
	/* the header rows: the first head, and (after a caption) again as every page's head */
	const struct doc_node *body_rows = n->first;
	for (int pass = 0; pass < (cap ? 2 : 1); pass++) {
		buf_puts(b, "\\toprule\n");
		const struct doc_node *r = n->first;
		int header = 0;
		for (; r; r = r->next) {
			if (r->type != DOC_ROW)
				continue;
			if (!(r->flags & DOC_HEADER))
				break;
			S_row(t, r, colal, ncols, pass == 0);
			header = 1;
		}
		if (header)
			buf_puts(b, "\\midrule\n");
		buf_puts(b, cap && pass == 0 ? "\\endfirsthead\n" : "\\endhead\n");
		body_rows = r;
	}
	buf_puts(b, "\\midrule\n\\endfoot\n\\bottomrule\n\\endlastfoot\n");
	t->env_depth++;
	for (const struct doc_node *r = body_rows; r; r = r->next)
		if (r->type == DOC_ROW)
			S_row(t, r, colal, ncols, 1);
	t->env_depth--;
	buf_puts(b, "\\end{longtable}\n\n");
	free(nat);
	free(mn);
	free(colal);
	free(seen);
	if (span)
		S_span_end(t);
}

/* Counts the sections the contents lists (levels 1 to depth): those of level 1 in *top. */
static void S_toc_count(const struct doc_node *n, int depth, int *top, int *all)
{
	for (const struct doc_node *c = n->first; c; c = c->next)
		if (c->type == DOC_SECTION && c->level <= depth) {
			*top += c->level == 1;
			(*all)++;
			S_toc_count(c, depth, top, all);
		}
}

static void S_toc(struct S_tex *t)
{
	struct buf *b = t->b;
	if (t->s->toc_mode == TOC_NONE)
		return;
	t->toc = 1;
	S_span_begin(t);
	if (t->s->toc_mode == TOC_OWN_PAGE)
		buf_puts(b, "\\clearpage\n");
	if (t->s->toc_mode == TOC_FRONT) {
		/* with the front matter when its height fits in what is left of the page, as in
		 * the PDF: the heading (the h1 style's) and a line an entry, the article class's
		 * space before each top-level one (TeX lays it out: an estimate, from above) */
		int top = 0, all = 0;
		S_toc_count(t->doc->root, t->s->toc_depth < 1 ? 1 : t->s->toc_depth > 4 ? 4
			: t->s->toc_depth, &top, &all);
		const struct style_block *h = style_block(t->s, "h1");
		buf_puts(b, "\\briefContentsRoom{");
		S_num(b, h->space_before + h->leading + h->space_after);
		buf_printf(b, "pt}{%d}{%d}\n", top, all);
	}
	buf_puts(b, "\\pdfbookmark[1]{Contents}{contents}\n\\tableofcontents\n");
	if (t->s->toc_mode == TOC_OWN_PAGE || t->s->toc_mode == TOC_FRONT) {
		/* (the front matter's last number, for its pages' {pages}; the body's then: a label
		 * tex_esc_label never makes from an identifier, ':' and no hex digits) */
		buf_puts(b, t->pages ? "\\label{brief:front}\\clearpage\n\\pagenumbering{arabic}\n"
			"\\renewcommand\\briefPages{\\pageref*{LastPage}}\n"
			: "\\clearpage\n\\pagenumbering{arabic}\n");
	}
	buf_putc(b, '\n');
	S_span_end(t);
}

static void S_block(struct S_tex *t, const struct doc_node *n)
{
	struct buf *b = t->b;
	switch (n->type) {
	case DOC_SECTION: {
		const struct doc_node *c = n->first;
		if (c && c->type == DOC_HEADING) {
			S_heading(t, c, n->level, n->anchor);
			c = c->next;
		} else if (S_referenced(t, n->anchor)) {
			S_anchor(t, n->anchor);
			buf_putc(b, '\n');
		}
		for (; c; c = c->next)
			S_block(t, c);
		return;
	}
	case DOC_HEADING:
		S_heading(t, n, n->level ? n->level : n->parent && n->parent->level ? n->parent->level : 1,
			n->anchor);
		return;
	case DOC_PARA:
		S_para(t, n, NULL);
		return;
	case DOC_LIST:
		S_list(t, n);
		return;
	case DOC_TABLE:
		S_table(t, n);
		return;
	case DOC_QUOTE:
		t->quotes = 1;
		S_use(t, "quote", 0);
		buf_puts(b, "\\begin{quote}\n");
		t->in_quote++;
		t->env_depth++;
		S_blocks(t, n);
		t->env_depth--;
		t->in_quote--;
		/* the last paragraph's blank line is not needed before \end */
		if (b->len >= 2 && b->data[b->len - 1] == '\n' && b->data[b->len - 2] == '\n')
			b->data[--b->len] = '\0';
		buf_puts(b, "\\end{quote}\n\n");
		return;
	case DOC_RULE:
		t->rule = 1;
		buf_puts(b, "\\noindent\\textcolor{briefRule}{\\rule{\\linewidth}{");
		S_len(b, t->s->rule_width);
		buf_puts(b, "}}\n\n");
		return;
	case DOC_TOC:
		S_toc(t);
		return;
	case DOC_TIMELINE:
		S_timeline(t, n);
		return;
	case DOC_IMAGE:
		/* The .tex reads no file but its fonts: a picture is represented by its caption. */
		S_para(t, n, "caption");
		return;
	default:
		/* a kind of node this backend does not know: its content, as a paragraph, a list
		 * (when it is made of items: a timeline) or blocks */
		if (doc_is_inline(n->type)) {
			S_inline(t, n, TEX_ESC_SENTENCES);
			buf_puts(b, "\n\n");
		} else if (n->first && S_all_items(n)) {
			S_list(t, n);
		} else {
			S_blocks(t, n);
		}
		return;
	}
}

/* Children as blocks; a run of inline children makes a paragraph of its own. */
static void S_blocks(struct S_tex *t, const struct doc_node *n)
{
	const struct doc_node *c = n->first;
	while (c) {
		if (doc_is_inline(c->type)) {
			for (; c && doc_is_inline(c->type); c = c->next)
				S_inline(t, c, TEX_ESC_SENTENCES);
			buf_puts(t->b, "\n\n");
		} else {
			S_block(t, c);
			c = c->next;
		}
	}
}

/* ---- the preamble ---- */

static int S_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = hay; *p; p++) {
		size_t i = 0;
		while (i < n && p[i] && (p[i] | 0x20) == (needle[i] | 0x20))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

/* A family name for fontspec: the characters font names are made of, nothing TeX reads. */
static void S_family_name(struct buf *b, const char *family)
{
	for (const unsigned char *p = (const unsigned char *)family; *p; p++)
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			*p == ' ' || *p == '-' || *p == '.' || *p >= 0x80)
			buf_putc(b, (char)*p);
}

static void S_fontname(const struct S_tex *t, int font, char *out, size_t n)
{
	S_texname(t->s->fonts[font].id, out, n);
}

/* \normalfont, the family, series and shape, size and leading, colour. */
static void S_font_switch(struct buf *b, const struct S_tex *t, const struct style_block *k)
{
	buf_puts(b, "\\normalfont");
	int f = k->font >= 0 && k->font < t->s->nfonts ? k->font : 0;
	switch (t->family[f]) {
	case FAM_SF: buf_puts(b, "\\sffamily"); break;
	case FAM_TT: buf_puts(b, "\\ttfamily"); break;
	case FAM_OWN: {
		char name[48];
		S_fontname(t, f, name, sizeof name);
		buf_printf(b, "\\briefFont%s", name);
		break;
	}
	default: break;
	}
	if (k->bold)
		buf_puts(b, "\\bfseries");
	if (k->italic)
		buf_puts(b, "\\itshape");
	buf_puts(b, "\\fontsize{");
	S_num(b, k->size);
	buf_puts(b, "pt}{");
	S_num(b, k->leading);
	buf_puts(b, "pt}\\selectfont");
	if (!S_black(k->color)) {
		buf_puts(b, "\\color[HTML]{");
		S_hex(b, k->color);
		buf_putc(b, '}');
	}
}

static void S_fonts(struct buf *p, struct S_tex *t)
{
	const struct style *s = t->s;
	int nf = s->nfonts;
	int *used = xcalloc((size_t)(nf > 0 ? nf : 1), sizeof *used);
	const struct style_block *body = style_block(s, "body");
	int main = body->font >= 0 && body->font < nf ? body->font : 0;
	/* fonts of every class the document uses */
	static const char *const always[] = {"h1", "h2", "h3", "header", "footer", "note"};
	for (size_t i = 0; i < sizeof always / sizeof *always; i++) {
		int f = style_block(s, always[i])->font;
		if (f >= 0 && f < nf)
			used[f] = 1;
	}
	for (int i = 0; i < t->ncls; i++) {
		int f = style_block(s, t->cls[i].cls)->font;
		if (f >= 0 && f < nf)
			used[f] = 1;
	}
	const char *features = s->kerning ? "[Ligatures=TeXOff]" : "[Ligatures=TeXOff, Kerning=Off]";
	int sf = 0, tt = 0;
	for (int f = 0; f < nf; f++) {
		if (f == main) {
			t->family[f] = FAM_RM;
		} else if (!used[f]) {
			continue;
		} else if (!sf && (S_contains(s->fonts[f].family, "sans") || S_contains(s->fonts[f].id, "sans"))) {
			t->family[f] = FAM_SF;
			sf = 1;
		} else if (!tt && (S_contains(s->fonts[f].family, "mono") || S_contains(s->fonts[f].id, "mono"))) {
			t->family[f] = FAM_TT;
			tt = 1;
		} else {
			t->family[f] = FAM_OWN;
		}
	}
	/* main font first, then the others in the order of the style */
	buf_puts(p, "\\usepackage{fontspec}\n");
	if (nf > 0) {
		buf_puts(p, "\\setmainfont{");
		S_family_name(p, s->fonts[main].family);
		buf_printf(p, "}%s\n", features);
	}
	for (int f = 0; f < nf; f++) {
		if (f == main || !used[f])
			continue;
		if (t->family[f] == FAM_SF)
			buf_puts(p, "\\setsansfont{");
		else if (t->family[f] == FAM_TT)
			buf_puts(p, "\\setmonofont{");
		else {
			char name[48];
			S_fontname(t, f, name, sizeof name);
			buf_printf(p, "\\newfontfamily\\briefFont%s{", name);
		}
		S_family_name(p, s->fonts[f].family);
		buf_printf(p, "}%s\n", features);
	}
	free(used);
}

/* D:YYYYMMDDhhmmssZ from SOURCE_DATE_EPOCH, else from the document's date, as the PDF. */
static int S_pdfdate(const struct doc *doc, char *out, size_t n)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	if (e && *e && strspn(e, "0123456789") == strlen(e) && strlen(e) < 15) {
		time_t when = (time_t)strtoll(e, NULL, 10);
		struct tm tm;
		if (gmtime_r(&when, &tm) != NULL) {
			strftime(out, n, "D:%Y%m%d%H%M%SZ", &tm);
			return 1;
		}
	}
	int y, m = 1, d = 1, prec;
	if (doc->date && date_parse(doc->date, &y, &m, &d, &prec)) {
		if (prec < 2)
			m = 1;
		if (prec < 3)
			d = 1;
		snprintf(out, n, "D:%04d%02d%02d000000Z", y, m, d);
		return 1;
	}
	return 0;
}

/* One part of a running head or foot: its text escaped, its fields as TeX. */
static void S_template(struct buf *b, struct S_tex *t, const char *s, size_t n)
{
	const struct doc *doc = t->doc;
	struct buf lit = {0};
	for (size_t i = 0; i < n;) {
		const char *e = s[i] == '{' ? memchr(s + i, '}', n - i) : NULL;
		if (e == NULL) {
			buf_putc(&lit, s[i++]);
			continue;
		}
		size_t k = (size_t)(e - (s + i)) - 1;
		const char *f = s + i + 1;
		const char *text = NULL, *tex = NULL;
		char date[64];
		if (k == 11 && strncmp(f, "short-title", k) == 0)
			text = doc->short_title ? doc->short_title : "";
		else if (k == 5 && strncmp(f, "title", k) == 0)
			text = doc->title ? doc->title : "";
		else if (k == 14 && strncmp(f, "classification", k) == 0)
			text = doc->classification ? doc->classification : "";
		else if (k == 5 && strncmp(f, "as-of", k) == 0)
			text = doc->as_of ? doc->as_of : "";
		else if (k == 4 && strncmp(f, "date", k) == 0) {
			date[0] = '\0';
			if (doc->date)
				date_format(doc->date, date, sizeof date);
			text = date;
		} else if (k == 4 && strncmp(f, "page", k) == 0)
			tex = "\\thepage{}";
		else if (k == 5 && strncmp(f, "pages", k) == 0)
			tex = "\\briefPages{}";
		else if (k == 7 && strncmp(f, "section", k) == 0) {
			tex = "\\rightmark{}";
		}
		if (text == NULL && tex == NULL && (k == 0 || strspn(f, "abcdefghijklmnopqrstuvwxyz-") < k)) {
			buf_put(&lit, s + i, k + 2); /* not a field: text in braces */
		} else {
			if (lit.len) {
				tex_esc_text(b, lit.data, 0);
				lit.len = 0;
				lit.data[0] = '\0';
			}
			if (text)
				tex_esc_text(b, text, 0);
			else if (tex)
				buf_puts(b, tex);
			/* a field this backend does not know yet is left empty */
		}
		i += k + 2;
	}
	if (lit.len)
		tex_esc_text(b, lit.data, 0);
	buf_free(&lit);
}

/* Does the header or the footer use the field ("{section}")? */
static int S_heads_use(const struct style *s, const char *field)
{
	return (s->header && strstr(s->header, field) != NULL) ||
		(s->footer && strstr(s->footer, field) != NULL);
}

/* \fancyhead or \fancyfoot: the template's parts split by '|' go left, centre and right
 * (one part alone is centred, two go left and right). */
static void S_running(struct buf *p, struct S_tex *t, const char *tpl, const char *cmd,
	const char *font)
{
	if (tpl == NULL || tpl[0] == '\0')
		return;
	const char *parts[3];
	size_t lens[3];
	int np = 0;
	const char *from = tpl;
	for (const char *q = tpl;; q++) {
		if (*q == '|' || *q == '\0') {
			if (np < 3) {
				parts[np] = from;
				lens[np++] = (size_t)(q - from);
			}
			from = q + 1;
			if (*q == '\0')
				break;
		}
	}
	static const char *const three[] = {"L", "C", "R"};
	for (int i = 0; i < np; i++) {
		if (lens[i] == 0)
			continue;
		const char *where = np == 1 ? "C" : np == 2 ? (i == 0 ? "L" : "R") : three[i];
		buf_printf(p, "\\%s[%s]{%s ", cmd, where, font);
		S_template(p, t, parts[i], lens[i]);
		buf_puts(p, "}\n");
	}
}

static void S_preamble(struct buf *p, struct S_tex *t)
{
	const struct style *s = t->s;
	const struct doc *doc = t->doc;
	const struct style_block *body = style_block(s, "body");
	int has_head = s->header && s->header[0], has_foot = s->footer && s->footer[0];

	/* a comment that cannot end early: the title without its line ends */
	buf_puts(p, "% ");
	{
		struct buf title = {0};
		tex_esc_pdfstr(&title, doc->title ? doc->title : "");
		buf_puts(p, title.data ? title.data : "");
		buf_free(&title);
	}
	buf_puts(p, "\n% Written by briefc from the document tree. Compile it with xelatex or lualatex,\n"
		"% twice (the second run settles \"Page X of Y\", the contents and the outline).\n");
	double size = body->size;
	int cls_size = size < 10.5 ? 10 : size < 11.5 ? 11 : 12;
	buf_puts(p, "\\RequirePackage{fix-cm} % every font size scalable, the math fonts' too\n");
	buf_printf(p, "\\documentclass[%dpt]{article}\n", cls_size);
	buf_puts(p, "\\tracinglostchars=3 % a character the fonts lack is an error, not a gap\n");

	/* the page */
	buf_puts(p, "\\usepackage[");
	struct {
		const char *name;
		double w, h;
	} papers[] = {{"a4paper", 595.276, 841.890}, {"letterpaper", 612, 792}, {"a5paper", 419.528, 595.276}};
	int known = 0;
	for (size_t i = 0; i < sizeof papers / sizeof *papers; i++)
		if (fabs(s->page_w - papers[i].w) < 0.5 && fabs(s->page_h - papers[i].h) < 0.5) {
			buf_puts(p, papers[i].name);
			known = 1;
		}
	if (!known) {
		buf_puts(p, "paperwidth=");
		S_len(p, s->page_w);
		buf_puts(p, ", paperheight=");
		S_len(p, s->page_h);
	}
	buf_puts(p, ", top=");
	S_len(p, s->margin_top);
	buf_puts(p, ", bottom=");
	S_len(p, s->margin_bottom);
	buf_puts(p, ", left=");
	S_len(p, s->margin_inner);
	buf_puts(p, ", right=");
	S_len(p, s->margin_outer);
	const struct style_block *hb = style_block(s, "header"), *fb = style_block(s, "footer");
	double headheight = ceil(hb->leading + 2);
	double headsep = fmax(0, s->margin_top - s->header_offset - headheight);
	double footskip = fmax(fb->leading, s->margin_bottom - s->footer_offset - (fb->leading - fb->size));
	buf_puts(p, ",\n  headheight=");
	S_len(p, headheight);
	buf_puts(p, ", headsep=");
	S_len(p, floor(headsep * 100) / 100);
	buf_puts(p, ", footskip=");
	S_len(p, floor(footskip * 100) / 100);
	if (t->multicols) {
		buf_puts(p, ", columnsep=");
		S_len(p, s->column_gap);
	}
	buf_puts(p, "]{geometry}\n");

	/* fonts, colours and the packages the body needs; hyperref last */
	S_fonts(p, t);
	buf_puts(p, "\\usepackage{xcolor}\n");
	if (t->toc && s->toc_mode == TOC_FRONT) /* (the room the contents needs: its heading's
		height; the top-level entries, each with the space before it; the entries) */
		buf_puts(p, "\\usepackage{needspace}\n\\newcommand\\briefContentsRoom[3]{\\needspace{"
			"\\dimexpr #1+#2\\dimexpr 1em+1pt\\relax+#3\\baselineskip\\relax}}\n");
	buf_puts(p, "\\definecolor{briefLink}{HTML}{");
	S_hex(p, s->link_color);
	buf_puts(p, "}\n");
	if (t->rule) {
		buf_puts(p, "\\definecolor{briefRule}{HTML}{");
		S_hex(p, s->rule_color);
		buf_puts(p, "}\n");
	}
	if (has_head || has_foot)
		buf_puts(p, "\\usepackage{fancyhdr}\n");
	if (t->pages) /* (the body's last page; \briefPages is made the front matter's there) */
		buf_puts(p, "\\usepackage{lastpage}\n\\newcommand\\briefPages{\\pageref*{LastPage}}\n");
	if (t->lists)
		buf_puts(p, "\\usepackage{enumitem}\n");
	if (t->tables)
		buf_puts(p, "\\usepackage{array}\n\\usepackage{longtable}\n\\usepackage{booktabs}\n");
	if (t->multicols)
		buf_puts(p, "\\usepackage{multicol}\n");
	if (t->tikz)
		buf_puts(p, "\\usepackage{tikz}\n\\definecolor{briefDeadline}{HTML}{9E1F1F}\n");
	buf_puts(p, "\\usepackage{hyperref}\n\\hypersetup{\n");
	struct {
		const char *key, *value;
	} info[] = {{"pdftitle", doc->title}, {"pdfauthor", doc->author}, {"pdfsubject", doc->subject},
		{"pdfkeywords", doc->keywords}};
	for (size_t i = 0; i < sizeof info / sizeof *info; i++) {
		if (info[i].value == NULL || info[i].value[0] == '\0')
			continue;
		buf_printf(p, "  %s={", info[i].key);
		tex_esc_pdfstr(p, info[i].value);
		buf_puts(p, "},\n");
	}
	if (doc->lang && doc->lang[0]) {
		buf_puts(p, "  pdflang={");
		for (const char *q = doc->lang; *q; q++)
			if ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') || *q == '-')
				buf_putc(p, *q);
		buf_puts(p, "},\n");
	}
	char date[40];
	if (S_pdfdate(doc, date, sizeof date))
		buf_printf(p, "  pdfcreationdate={%s}, pdfmoddate={%s},\n", date, date);
	buf_puts(p, "  pdfcreator={briefc},\n"
		"  bookmarksnumbered=true, bookmarksdepth=3, bookmarksopen=true, bookmarksopenlevel=1,\n"
		"  colorlinks=true, allcolors=briefLink\n}\n");

	/* paragraphs and line breaking, as the style sets them */
	buf_puts(p, "\n% Body text: size and leading, paragraphs, line breaking\n");
	buf_puts(p, "\\renewcommand{\\normalsize}{\\fontsize{");
	S_num(p, body->size);
	buf_puts(p, "pt}{");
	S_num(p, body->leading);
	buf_puts(p, "pt}\\selectfont}\n");
	buf_puts(p, "\\setlength{\\parindent}{");
	S_len(p, body->first_indent);
	buf_puts(p, "}\n\\setlength{\\parskip}{");
	S_len(p, body->space_before + body->space_after);
	buf_puts(p, "}\n\\frenchspacing\n");
	double tol = 100 * s->tolerance * s->tolerance * s->tolerance;
	buf_printf(p, "\\tolerance=%d \\emergencystretch=2em\n", tol > 9999 ? 9999 : (int)floor(tol + 0.5));
	buf_printf(p, "\\hyphenpenalty=%d \\adjdemerits=%d \\doublehyphendemerits=%d \\finalhyphendemerits=%d\n",
		s->hyphenate ? (int)floor(s->hyphen_penalty + 0.5) : 10000, (int)floor(s->adj_demerits + 0.5),
		(int)floor(s->double_hyphen_demerits + 0.5), (int)floor(s->final_hyphen_demerits + 0.5));
	if (s->hyphen_min_left != 2 || s->hyphen_min_right != 3)
		buf_printf(p, "\\lefthyphenmin=%d \\righthyphenmin=%d\n", s->hyphen_min_left, s->hyphen_min_right);
	if (s->orphans >= 2 || s->widows >= 2)
		buf_printf(p, "\\clubpenalty=%d \\widowpenalty=%d\n", s->orphans >= 2 ? 10000 : 150,
			s->widows >= 2 ? 10000 : 150);

	/* headings: numbers are part of the heading text, so the starred forms are used */
	buf_puts(p, "\n% Headings (their numbers are part of the text)\n\\makeatletter\n");
	static const char *const cmd[] = {"section", "subsection", "subsubsection"};
	static const char *const hcls[] = {"h1", "h2", "h3"};
	int levels = t->maxlevel > 3 ? 3 : t->maxlevel;
	if (t->toc && levels < 1)
		levels = 1;
	for (int i = 0; i < levels; i++) {
		const struct style_block *k = style_block(s, hcls[i]);
		buf_printf(p, "\\renewcommand{\\%s}{\\@startsection{%s}{%d}{0pt}{-", cmd[i], cmd[i], i + 1);
		S_num(p, fmax(k->space_before, 0.01));
		buf_puts(p, "pt}{");
		S_num(p, fmax(k->space_after, 0.01));
		buf_puts(p, "pt}{");
		S_font_switch(p, t, k);
		buf_printf(p, "%s}}\n", k->align == ALIGN_JUSTIFY ? "\\raggedright" : S_align(k->align));
	}
	buf_puts(p, "\\makeatother\n");
	if (t->toc)
		buf_printf(p, "\\setcounter{tocdepth}{%d}\n", s->toc_depth < 1 ? 1 : s->toc_depth > 4 ? 4 : s->toc_depth);

	/* block styles */
	buf_puts(p, "\n% Block styles: font, size and leading, colour, alignment, indents, space\n");
	for (int i = 0; i < t->ncls; i++) {
		const struct S_class *c = &t->cls[i];
		const struct style_block *k = style_block(s, c->cls);
		buf_printf(p, "\\newcommand{\\brief%sFont}{", c->name);
		S_font_switch(p, t, k);
		buf_puts(p, "}\n");
		if (!c->env)
			continue;
		buf_printf(p, "\\newenvironment{brief%s}{\\par", c->name);
		if (k->space_before > 0) {
			buf_puts(p, "\\addvspace{");
			S_len(p, k->space_before);
			buf_putc(p, '}');
		}
		buf_printf(p, "\\brief%sFont%s", c->name, S_align(k->align));
		if (k->indent_left > 0) {
			buf_puts(p, "\\addtolength{\\leftskip}{");
			S_len(p, k->indent_left);
			buf_putc(p, '}');
		}
		if (k->indent_right > 0) {
			buf_puts(p, "\\addtolength{\\rightskip}{");
			S_len(p, k->indent_right);
			buf_putc(p, '}');
		}
		if (k->first_indent != body->first_indent) {
			buf_puts(p, "\\setlength{\\parindent}{");
			S_len(p, k->first_indent);
			buf_putc(p, '}');
		}
		buf_puts(p, "}{\\par");
		if (c->keep || k->keep_with_next)
			buf_puts(p, "\\nopagebreak");
		double after = k->space_after - (body->space_before + body->space_after);
		if (after > 0.005) {
			buf_puts(p, "\\addvspace{");
			S_len(p, after);
			buf_putc(p, '}');
		}
		buf_puts(p, "}\n");
	}
	if (t->notes) {
		buf_puts(p, "\\renewcommand{\\footnotesize}{\\briefNoteFont} % footnotes: the note style\n");
	}

	if (t->lists || t->tables || t->quotes) {
		buf_puts(p, "\n% Lists, tables, quotations\n");
		if (t->lists) {
			const struct style_block *it = style_block(s, "item");
			buf_puts(p, "\\setlist{leftmargin=");
			S_len(p, s->list_indent);
			buf_puts(p, ", itemsep=");
			S_len(p, it->space_before + it->space_after);
			buf_puts(p, ", parsep=0pt, topsep=0pt}\n");
		}
		if (t->tables) {
			buf_puts(p, "\\setlength{\\tabcolsep}{");
			S_len(p, s->cell_padding);
			buf_puts(p, "}\n\\setlength{\\heavyrulewidth}{");
			S_len(p, s->rule_width * 1.6);
			buf_puts(p, "}\n\\setlength{\\lightrulewidth}{");
			S_len(p, s->rule_width);
			buf_puts(p, "}\n\\setlength{\\LTpre}{");
			S_len(p, 4);
			buf_puts(p, "}\n\\setlength{\\LTpost}{");
			S_len(p, 8);
			buf_puts(p, "}\n");
			buf_puts(p, "\\newcolumntype{L}[1]{>{\\briefCellFont\\raggedright\\arraybackslash}p{#1\\linewidth}}\n"
				"\\newcolumntype{R}[1]{>{\\briefCellFont\\raggedleft\\arraybackslash}p{#1\\linewidth}}\n"
				"\\newcolumntype{C}[1]{>{\\briefCellFont\\centering\\arraybackslash}p{#1\\linewidth}}\n");
		}
		if (t->quotes) {
			const struct style_block *q = style_block(s, "quote");
			buf_puts(p, "\\renewenvironment{quote}{\\list{}{\\setlength{\\leftmargin}{");
			S_len(p, q->indent_left);
			buf_puts(p, "}\\setlength{\\rightmargin}{");
			S_len(p, q->indent_right);
			buf_puts(p, "}\\setlength{\\topsep}{");
			S_len(p, fmax(q->space_before, 0));
			buf_printf(p, "}}\\item\\relax\\briefQuoteFont%s}{\\endlist}\n", S_align(q->align));
		}
	}

	if (has_head || has_foot) {
		buf_puts(p, "\n% Running heads and feet ({section} is what \\markright says, not the contents)\n"
			"\\pagestyle{fancy}\n\\makeatletter\\let\\@mkboth\\@gobbletwo\\makeatother\n"
			"\\fancyhf{}\n\\renewcommand{\\headrulewidth}{0pt}\n");
		buf_puts(p, "\\newcommand{\\briefHeaderFont}{");
		S_font_switch(p, t, hb);
		buf_puts(p, "}\n\\newcommand{\\briefFooterFont}{");
		S_font_switch(p, t, fb);
		buf_puts(p, "}\n");
		S_running(p, t, s->header, "fancyhead", "\\briefHeaderFont");
		S_running(p, t, s->footer, "fancyfoot", "\\briefFooterFont");
		if (s->first_page_plain && has_head) {
			buf_puts(p, "\\fancypagestyle{plain}{\\fancyhf{}\n");
			S_running(p, t, s->footer, "fancyfoot", "\\briefFooterFont");
			buf_puts(p, "}\n");
		}
	}
}

int tex_render(const struct doc *doc, const struct style *s, struct fonts *f, struct diags *d,
	char **out, size_t *len)
{
	(void)d; /* nothing here can fail on an input: every string is escaped */
	struct S_tex t = {.doc = doc, .s = s, .f = f};
	struct vec targets = {0};
	S_collect_targets(doc->root, &targets);
	if (targets.n > 1) /* qsort's array may not be NULL, even when empty */
		qsort(targets.v, targets.n, sizeof *targets.v, S_cmp);
	t.targets = (const char **)targets.v;
	t.ntargets = targets.n;
	t.family = xcalloc((size_t)(s->nfonts > 0 ? s->nfonts : 1), sizeof *t.family);
	t.marks = S_heads_use(s, "{section}");
	t.pages = S_heads_use(s, "{pages}");
	t.multicols = s->columns > 1;

	struct buf body = {0};
	t.b = &body;
	buf_puts(&body, "\\begin{document}\n");
	if (s->first_page_plain && s->header && s->header[0])
		buf_puts(&body, "\\thispagestyle{plain}\n");
	int own_page_toc = 0;
	for (const struct doc_node *c = doc->root->first; c; c = c->next)
		if (c->type == DOC_TOC && (s->toc_mode == TOC_OWN_PAGE || s->toc_mode == TOC_FRONT))
			own_page_toc = 1;
	if (own_page_toc)
		buf_puts(&body, t.pages ? "\\pagenumbering{roman}\n"
			"\\renewcommand\\briefPages{\\pageref*{brief:front}}\n" : "\\pagenumbering{roman}\n");
	const struct style_block *bb = style_block(s, "body");
	if (bb->align != ALIGN_JUSTIFY)
		buf_printf(&body, "%s\n", S_align(bb->align));
	if (!S_black(bb->color)) {
		buf_puts(&body, "\\color[HTML]{");
		S_hex(&body, bb->color);
		buf_puts(&body, "}\n");
	}
	buf_putc(&body, '\n');
	S_span_end(&t);
	S_blocks(&t, doc->root);
	S_span_begin(&t);
	buf_puts(&body, "\\end{document}\n");

	struct buf all = {0};
	S_preamble(&all, &t);
	buf_puts(&all, "\n");
	buf_put(&all, body.data, body.len);
	buf_free(&body);
	vec_free(&targets);
	free(t.cls);
	free(t.family);
	*len = all.len;
	*out = all.data ? all.data : xstrdup("");
	return 0;
}
