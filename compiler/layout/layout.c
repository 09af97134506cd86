/* layout.c: lays the document tree out into pages of positioned boxes (device independent). */
#include "layout.h"
#include "hyphen.h"
#include "linebreak.h"
#include "../base/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- paragraph material: pieces of text and the items the line breaker sees ---- */

struct S_piece {
	const char *text; /* arena */
	int face;
	double size, width, rise;
	struct style_color color;
	const char *link;
	int internal;
};

struct S_para {
	struct lb_item *items;
	int nitems, icap;
	int *first_piece; /* per item: index of its first piece (boxes), and end = next box's */
	int *npieces;
	struct S_piece *pieces;
	int npiece, pcap;
	struct buf word;      /* the word being collected */
	int word_face;        /* its face in the current piece */
	int word_start_piece; /* first piece of the word */
	int in_word;
	int no_hyph;          /* the word has explicit break points: no patterns */
	int justified;        /* the block is justified: hyphenation applies */
};

/* Text state while walking inline nodes. */
struct S_ink {
	int font, bold, italic;
	double size, rise;
	struct style_color color;
	const char *link;
	int internal;
	const char *lang; /* language of the text (hyphenation) */
	int line; /* source line for diagnostics */
};

struct S_lay {
	struct layout *L;
	const struct style *s;
	struct fonts *f;
	const char *file;
	struct diags *d;
	/* current position */
	int page;
	double y;          /* distance of the next line's top from the page's top edge */
	double pending_space; /* vertical space requested before the next block */
	double left, right;   /* text block edges in points from the page's left edge */
	double top, bottom;   /* text block edges from the page's top edge */
	int at_top;        /* nothing placed on this page yet */
	uint32_t warned[64]; /* characters already warned about (small set) */
	int nwarned;
	struct hyph *hy;        /* NULL: no hyphenation */
	const char *doc_lang;
	const char *nolang[16]; /* languages already warned about (no patterns) */
	int nnolang;
};

static void S_para_free(struct S_para *p)
{
	free(p->items);
	free(p->first_piece);
	free(p->npieces);
	free(p->pieces);
	buf_free(&p->word);
	memset(p, 0, sizeof *p);
}

static void S_item(struct S_para *p, struct lb_item it, int first_piece, int npieces)
{
	if (p->nitems == p->icap) {
		p->icap = p->icap ? p->icap * 2 : 64;
		p->items = xrealloc(p->items, (size_t)p->icap * sizeof *p->items);
		p->first_piece = xrealloc(p->first_piece, (size_t)p->icap * sizeof *p->first_piece);
		p->npieces = xrealloc(p->npieces, (size_t)p->icap * sizeof *p->npieces);
	}
	p->items[p->nitems] = it;
	p->first_piece[p->nitems] = first_piece;
	p->npieces[p->nitems] = npieces;
	p->nitems++;
}

static struct S_piece *S_new_piece(struct S_para *p)
{
	if (p->npiece == p->pcap) {
		p->pcap = p->pcap ? p->pcap * 2 : 64;
		p->pieces = xrealloc(p->pieces, (size_t)p->pcap * sizeof *p->pieces);
	}
	struct S_piece *pc = &p->pieces[p->npiece++];
	memset(pc, 0, sizeof *pc);
	return pc;
}

/* Closes the text collected for the current piece. */
static void S_close_piece(struct S_lay *st, struct S_para *p, const struct S_ink *ink)
{
	if (p->word.len == 0)
		return;
	struct S_piece *pc = S_new_piece(p);
	pc->text = arena_strndup(&st->L->arena, p->word.data, p->word.len);
	pc->face = p->word_face;
	pc->size = ink->size;
	pc->rise = ink->rise;
	pc->color = ink->color;
	pc->link = ink->link;
	pc->internal = ink->internal;
	pc->width = font_text_width(st->f, pc->face, pc->size, p->word.data, p->word.len);
	p->word.len = 0;
	p->word.data[0] = '\0';
}

/* Whether a code point counts as a letter for hyphenation (not punctuation or digits). */
static int S_letter(uint32_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 1;
	if (c < 0xC0 || c == 0xD7 || c == 0xF7)
		return 0;
	return !(c >= 0x2000 && c <= 0x2BFF) && !(c >= 0x3000 && c <= 0x303F);
}

static int S_upper(uint32_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
		(c >= 0x410 && c <= 0x42F) || (c >= 0x531 && c <= 0x556);
}

/* Hyphenation points of a one-piece word: code point indices (from the piece's start)
 * after which it may break. Words with digits or symbols (numbers, URLs, identifiers)
 * and words in capitals are never hyphenated. */
static int S_hyph_points(struct S_lay *st, const char *text, const struct S_ink *ink, int *pts,
	int max)
{
	const char *end = text + strlen(text), *q = text;
	int ncp = 0, first = -1, last = -1, upper = 0, lower = 0;
	const char *core_s = NULL, *core_e = NULL;
	while (q < end) {
		const char *at = q;
		uint32_t c = utf8_next(&q, end);
		if (S_letter(c)) {
			if (first < 0) {
				first = ncp;
				core_s = at;
			}
			last = ncp;
			core_e = q;
			if (S_upper(c))
				upper++;
			else
				lower++;
		} else if (first >= 0 && c != 0x2019 && c != '\'') {
			/* a non-letter inside the word: only trailing punctuation is allowed */
			const char *r = q;
			while (r < end) {
				uint32_t d = utf8_next(&r, end);
				if (S_letter(d) || (d >= '0' && d <= '9'))
					return 0;
			}
			if (c >= '0' && c <= '9')
				return 0;
			break;
		} else if (c >= '0' && c <= '9') {
			return 0;
		}
		ncp++;
	}
	if (first < 0 || last - first + 1 < 5 || (upper >= 2 && lower == 0))
		return 0;
	const char *lang = ink->lang ? ink->lang : st->doc_lang;
	if (!hyph_has(st->hy, lang)) {
		int seen = 0;
		for (int i = 0; i < st->nnolang; i++)
			if (strcmp(st->nolang[i], lang) == 0)
				seen = 1;
		if (!seen && st->nnolang < 16) {
			st->nolang[st->nnolang++] = lang;
			diag_emit(st->d, D_NO_PATTERNS, st->file, ink->line, 0, lang);
		}
		return 0;
	}
	const struct style *s = st->s;
	int n = hyph_word(st->hy, lang, core_s, (size_t)(core_e - core_s), s->hyphen_min_left,
		s->hyphen_min_right, pts, max);
	for (int i = 0; i < n; i++)
		pts[i] += first;
	return n;
}

/* Adds a piece for text[a, b) of the model piece src, with width w in points. */
static void S_sub_piece(struct S_lay *st, struct S_para *p, const struct S_piece *src,
	const char *a, const char *b, double w)
{
	struct S_piece *pc = S_new_piece(p);
	*pc = *src;
	pc->text = arena_strndup(&st->L->arena, a, (size_t)(b - a));
	pc->width = w;
}

static void S_box_from(struct S_para *p, int first)
{
	double w = 0;
	for (int i = first; i < p->npiece; i++)
		w += p->pieces[i].width;
	if (p->npiece > first)
		S_item(p, (struct lb_item){.type = LB_BOX, .width = w}, first, p->npiece - first);
}

/* Closes the current word: kerns its pieces, finds its hyphenation points, and turns it
 * into boxes separated by hyphenation penalties. */
static void S_close_word(struct S_lay *st, struct S_para *p, const struct S_ink *ink)
{
	S_close_piece(st, p, ink);
	if (!p->in_word)
		return;
	p->in_word = 0;
	int first = p->word_start_piece, count = p->npiece - first;
	if (count <= 0)
		return;
	/* Take the word's pieces off the end and set them again, split where kerning moves a
	 * character or where the word may be hyphenated. */
	struct S_piece *orig = xmalloc((size_t)count * sizeof *orig);
	memcpy(orig, &p->pieces[first], (size_t)count * sizeof *orig);
	p->npiece = first;
	int hyph[64], nh = 0;
	if (count == 1 && st->hy != NULL && p->justified && !p->no_hyph && st->s->hyphenate)
		nh = S_hyph_points(st, orig[0].text, ink, hyph, 64);
	int box_first = p->npiece;
	double dx[512];
	for (int k = 0; k < count; k++) {
		const struct S_piece *src = &orig[k];
		size_t len = strlen(src->text);
		int ncp = st->s->kerning ? font_kerns(st->f, src->face, src->text, len, dx, 512) : 0;
		const char *q = src->text, *end = src->text + len, *seg = src->text;
		int cp = 0, hi = 0;
		double seg_units = 0;
		while (q < end) {
			uint32_t c = utf8_next(&q, end);
			int adv = font_advance(st->f, src->face, c);
			seg_units += adv > 0 ? adv : 0;
			cp++;
			if (q >= end)
				break;
			double kern = ncp ? dx[cp - 1] : 0;
			int at_hyph = hi < nh && hyph[hi] == cp;
			if (kern != 0 || at_hyph) {
				S_sub_piece(st, p, src, seg, q, (seg_units + kern) * src->size / 1000.0);
				seg = q;
				seg_units = 0;
			}
			if (at_hyph) {
				hi++;
				S_box_from(p, box_first);
				box_first = p->npiece;
				double hw = font_text_width(st->f, src->face, src->size, "-", 1);
				S_item(p, (struct lb_item){.type = LB_PENALTY, .width = hw,
					.penalty = st->s->hyphen_penalty, .flagged = 1}, 0, 0);
			}
		}
		if (q > seg || seg == src->text)
			S_sub_piece(st, p, src, seg, end, seg_units * src->size / 1000.0);
	}
	S_box_from(p, box_first);
	free(orig);
}

static void S_glue(struct S_lay *st, struct S_para *p, const struct S_ink *ink, int face)
{
	double sp = font_text_width(st->f, face, ink->size, " ", 1);
	if (sp <= 0)
		sp = ink->size / 4;
	/* Do not start a paragraph with glue, nor put two glues in a row. */
	if (p->nitems == 0 || p->items[p->nitems - 1].type == LB_GLUE)
		return;
	S_item(p, (struct lb_item){.type = LB_GLUE, .width = sp, .stretch = sp / 2, .shrink = sp / 3},
		0, 0);
}

static int S_warned(struct S_lay *st, uint32_t cp)
{
	for (int i = 0; i < st->nwarned; i++)
		if (st->warned[i] == cp)
			return 1;
	if (st->nwarned < 64)
		st->warned[st->nwarned++] = cp;
	return 0;
}

static int S_face_of(struct S_lay *st, const struct S_ink *ink)
{
	int face = font_face(st->f, ink->font, ink->bold, ink->italic);
	return face < 0 ? 0 : face;
}

/* Adds UTF-8 text in the current ink to the paragraph. */
static void S_add_text(struct S_lay *st, struct S_para *p, const struct S_ink *ink, const char *s)
{
	int base = S_face_of(st, ink);
	const char *q = s, *end = s + strlen(s);
	while (q < end) {
		const char *at = q;
		uint32_t cp = utf8_next(&q, end);
		if (cp == ' ' || cp == '\n' || cp == '\t') {
			S_close_word(st, p, ink);
			p->no_hyph = 0;
			S_glue(st, p, ink, base);
			continue;
		}
		if (cp == 0xA0 || cp == 0x202F) {
			/* a no-break space: glue that is no break (a penalty stands before it) */
			S_close_word(st, p, ink);
			p->no_hyph = 0;
			S_item(p, (struct lb_item){.type = LB_PENALTY, .penalty = LB_INF}, 0, 0);
			double w = font_text_width(st->f, base, ink->size, " ", 1);
			if (cp == 0x202F)
				S_item(p, (struct lb_item){.type = LB_GLUE, .width = w * 0.6}, 0, 0);
			else
				S_item(p, (struct lb_item){.type = LB_GLUE, .width = w, .stretch = w / 2,
					.shrink = w / 3}, 0, 0);
			continue;
		}
		if (cp == 0xAD) {
			/* a soft hyphen: a break that shows a hyphen; the word breaks only there */
			if (p->in_word) {
				p->no_hyph = 1;
				int face = p->word_face;
				S_close_word(st, p, ink);
				S_item(p, (struct lb_item){.type = LB_PENALTY,
					.width = font_text_width(st->f, face, ink->size, "-", 1),
					.penalty = st->s->hyphen_penalty, .flagged = 1}, 0, 0);
			}
			continue;
		}
		int face = font_cover(st->f, base, cp);
		char enc[4];
		size_t n = utf8_encode(cp, enc);
		if (face < 0) {
			if (!S_warned(st, cp)) {
				char shown[8] = {0};
				memcpy(shown, at, (size_t)(q - at) < 7 ? (size_t)(q - at) : 7);
				diag_emit(st->d, cp > 0xFFFF ? D_GLYPH_ASTRAL : D_GLYPH_MISSING, st->file,
					ink->line, 0, (unsigned)cp, shown);
			}
			face = base;
			enc[0] = ' ';
			n = 1;
		}
		if (!p->in_word) {
			p->in_word = 1;
			p->word_start_piece = p->npiece;
			p->word_face = face;
		} else if (face != p->word_face) {
			S_close_piece(st, p, ink);
			p->word_face = face;
		}
		buf_put(&p->word, enc, n);
		/* After a hard hyphen or dash inside a word, a break is allowed (not before). */
		if ((cp == '-' || cp == 0x2013 || cp == 0x2014 || cp == '/') && q < end &&
			*q != ' ' && p->word.len > n) {
			p->no_hyph = 1; /* a word with explicit hyphens breaks only at them */
			S_close_word(st, p, ink);
			S_item(p, (struct lb_item){.type = LB_PENALTY, .penalty = cp == '/' ? 200 : 50,
				.flagged = cp != '/'}, 0, 0);
		}
	}
}

static void S_inlines(struct S_lay *st, struct S_para *p, const struct doc_node *n, struct S_ink ink);

static void S_inline(struct S_lay *st, struct S_para *p, const struct doc_node *n, struct S_ink ink)
{
	if (n->line)
		ink.line = n->line;
	switch (n->type) {
	case DOC_TEXT:
		S_add_text(st, p, &ink, n->text);
		return;
	case DOC_EMPH:
		S_close_piece(st, p, &ink);
		ink.italic = !ink.italic;
		break;
	case DOC_STRONG:
		S_close_piece(st, p, &ink);
		ink.bold = 1;
		break;
	case DOC_LINK:
	case DOC_XREF:
		S_close_piece(st, p, &ink);
		ink.link = n->target;
		ink.internal = n->type == DOC_XREF;
		ink.color = st->s->link_color;
		break;
	case DOC_LANG:
		if (n->lang != NULL) {
			S_close_piece(st, p, &ink);
			ink.lang = n->lang;
		}
		break;
	case DOC_CITE:
		S_close_piece(st, p, &ink);
		ink.link = n->target;
		ink.internal = 1;
		ink.color = st->s->link_color;
		S_add_text(st, p, &ink, n->label);
		S_close_piece(st, p, &ink);
		return;
	case DOC_NOTEREF:
		S_close_piece(st, p, &ink);
		ink.link = n->target;
		ink.internal = 1;
		ink.color = st->s->link_color;
		ink.rise = ink.size * 0.33;
		ink.size *= 0.7;
		S_add_text(st, p, &ink, n->label);
		S_close_piece(st, p, &ink);
		return;
	default:
		break;
	}
	S_inlines(st, p, n, ink);
	S_close_piece(st, p, &ink);
}

static void S_inlines(struct S_lay *st, struct S_para *p, const struct doc_node *n, struct S_ink ink)
{
	for (const struct doc_node *c = n->first; c; c = c->next)
		S_inline(st, p, c, ink);
}

static struct S_ink S_ink_of(const struct style_block *b, int line)
{
	struct S_ink ink = {.font = b->font, .bold = b->bold, .italic = b->italic, .size = b->size,
		.color = b->color, .line = line};
	return ink;
}

/* Builds the items of a paragraph from its inline children, with an optional label first
 * (heading numbers), and closes it with the finishing glue and forced break. */
static void S_build(struct S_lay *st, struct S_para *p, const struct doc_node *n,
	const struct style_block *b, const char *label)
{
	struct S_ink ink = S_ink_of(b, n->line);
	ink.lang = n->lang;
	for (const struct doc_node *a = n->parent; ink.lang == NULL && a != NULL; a = a->parent)
		ink.lang = a->lang;
	p->justified = b->align == ALIGN_JUSTIFY;
	if (label != NULL) {
		S_add_text(st, p, &ink, label);
		S_close_word(st, p, &ink);
		/* a fixed gap that is no break */
		S_item(p, (struct lb_item){.type = LB_PENALTY, .penalty = LB_INF}, 0, 0);
		S_item(p, (struct lb_item){.type = LB_GLUE, .width = b->size * 0.6}, 0, 0);
	}
	S_inlines(st, p, n, ink);
	S_close_word(st, p, &ink);
	while (p->nitems > 0 && p->items[p->nitems - 1].type == LB_GLUE)
		p->nitems--;
	S_item(p, (struct lb_item){.type = LB_PENALTY, .penalty = LB_INF}, 0, 0);
	S_item(p, (struct lb_item){.type = LB_GLUE, .stretch = 1e6}, 0, 0);
	S_item(p, (struct lb_item){.type = LB_PENALTY, .penalty = -LB_INF}, 0, 0);
}

/* Natural width (one line) and minimum width (widest box) of a paragraph's material. */
static void S_measure(const struct S_para *p, double *natural, double *minimum)
{
	double w = 0, mn = 0;
	for (int i = 0; i < p->nitems; i++) {
		const struct lb_item *it = &p->items[i];
		if (it->type == LB_BOX) {
			w += it->width;
			if (it->width > mn)
				mn = it->width;
		} else if (it->type == LB_GLUE && it->stretch < 1e5) {
			w += it->width;
		}
	}
	*natural = w;
	*minimum = mn;
}

/* ---- pages ---- */

static struct lay_box *S_box(struct S_lay *st, int page, enum lay_kind kind)
{
	struct lay_page *pg = &st->L->pages[page];
	if (pg->nboxes == pg->cap) {
		pg->cap = pg->cap ? pg->cap * 2 : 128;
		pg->boxes = xrealloc(pg->boxes, (size_t)pg->cap * sizeof *pg->boxes);
	}
	struct lay_box *b = &pg->boxes[pg->nboxes++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	return b;
}

static void S_new_page(struct S_lay *st)
{
	struct layout *L = st->L;
	if (L->npages == L->cap) {
		L->cap = L->cap ? L->cap * 2 : 16;
		L->pages = xrealloc(L->pages, (size_t)L->cap * sizeof *L->pages);
	}
	memset(&L->pages[L->npages], 0, sizeof L->pages[0]);
	st->page = L->npages++;
	st->y = st->top;
	st->at_top = 1;
	st->pending_space = 0;
}

static void S_anchor(struct S_lay *st, const char *name, double y)
{
	struct layout *L = st->L;
	if (name == NULL)
		return;
	if (L->nanchors == L->anchors_cap) {
		L->anchors_cap = L->anchors_cap ? L->anchors_cap * 2 : 64;
		L->anchors = xrealloc(L->anchors, (size_t)L->anchors_cap * sizeof *L->anchors);
	}
	L->anchors[L->nanchors++] = (struct lay_anchor){.name = name, .page = st->page,
		.y = L->page_h - y};
}

/* Room left on the page below the cursor, after the pending space. */
static double S_room(const struct S_lay *st)
{
	return st->bottom - st->y - (st->at_top ? 0 : st->pending_space);
}

/* Moves to the next page if h does not fit (unless the page is still empty). */
static void S_need(struct S_lay *st, double h)
{
	if (!st->at_top && h > S_room(st) + 0.01)
		S_new_page(st);
}

static void S_take_space(struct S_lay *st)
{
	if (!st->at_top)
		st->y += st->pending_space;
	st->pending_space = 0;
}

/* Places one line of a broken paragraph with its top at st->y. */
static void S_emit_line(struct S_lay *st, const struct S_para *p, int from, int to, double ratio,
	double x0, double width, enum style_align align, double leading, int justify_line)
{
	/* Skip discardable items at the line's start. */
	while (from < to && p->items[from].type != LB_BOX)
		from++;
	double natural = 0;
	for (int i = from; i < to; i++) {
		const struct lb_item *it = &p->items[i];
		if (it->type == LB_BOX || (it->type == LB_GLUE && it->stretch < 1e5))
			natural += it->width;
	}
	double x = x0;
	double r = justify_line ? ratio : 0;
	if (!justify_line || align != ALIGN_JUSTIFY) {
		if (align == ALIGN_RIGHT)
			x += width - natural;
		else if (align == ALIGN_CENTER)
			x += (width - natural) / 2;
	}
	/* The baseline sits a fixed fraction into the line's box. */
	double size = 0;
	for (int i = from; i < to; i++)
		if (p->items[i].type == LB_BOX)
			for (int k = 0; k < p->npieces[i]; k++)
				if (p->pieces[p->first_piece[i] + k].size > size)
					size = p->pieces[p->first_piece[i] + k].size;
	if (size == 0)
		size = leading / 1.2;
	double baseline = st->y + (leading - size) / 2 + size * 0.8;
	double pdf_y = st->L->page_h - baseline;
	struct lay_box *link = NULL;
	for (int i = from; i < to; i++) {
		const struct lb_item *it = &p->items[i];
		if (it->type == LB_GLUE) {
			if (it->stretch >= 1e5)
				continue;
			double w = it->width + (r >= 0 ? r * it->stretch : r * it->shrink);
			if (link != NULL && i + 1 < to && p->items[i + 1].type == LB_BOX &&
				p->npieces[i + 1] > 0 && p->pieces[p->first_piece[i + 1]].link == link->target)
				link->w += w; /* the link continues over the space */
			x += w;
			continue;
		}
		if (it->type != LB_BOX)
			continue;
		for (int k = 0; k < p->npieces[i]; k++) {
			const struct S_piece *pc = &p->pieces[p->first_piece[i] + k];
			struct lay_box *b = S_box(st, st->page, LAY_TEXT);
			b->x = x;
			b->y = pdf_y + pc->rise;
			b->w = pc->width;
			b->face = pc->face;
			b->size = pc->size;
			b->color = pc->color;
			b->text = pc->text;
			if (pc->link != NULL) {
				if (link != NULL && link->target == pc->link && fabs(link->x + link->w - x) < 0.01) {
					link->w += pc->width;
				} else {
					link = S_box(st, st->page, LAY_LINK);
					link->x = x;
					link->y = pdf_y - pc->size * 0.25;
					link->w = pc->width;
					link->h = pc->size * 1.05;
					link->target = pc->link;
					link->internal = pc->internal;
				}
			} else {
				link = NULL;
			}
			x += pc->width;
		}
	}
	/* A line broken at a hyphenation point ends with a hyphen in the last piece's font. */
	if (to < p->nitems && p->items[to].type == LB_PENALTY && p->items[to].flagged &&
		p->items[to].width > 0) {
		int k = to - 1;
		while (k >= from && p->items[k].type != LB_BOX)
			k--;
		if (k >= from && p->npieces[k] > 0) {
			const struct S_piece *pc = &p->pieces[p->first_piece[k] + p->npieces[k] - 1];
			struct lay_box *b = S_box(st, st->page, LAY_TEXT);
			b->x = x;
			b->y = pdf_y + pc->rise;
			b->w = p->items[to].width;
			b->face = pc->face;
			b->size = pc->size;
			b->color = pc->color;
			b->text = "-";
			st->L->stats.hyphenated++;
		}
	}
	st->y += leading;
	st->at_top = 0;
}

/* The last resort for a word wider than the measure: it may break after any character,
 * at a high cost and without a hyphen (long words are mostly URLs and identifiers). */
static int S_split_wide(struct S_lay *st, struct S_para *p, double width)
{
	struct S_para q = {0};
	q.justified = p->justified;
	int split = 0;
	for (int i = 0; i < p->nitems; i++) {
		const struct lb_item *it = &p->items[i];
		if (it->type != LB_BOX || it->width <= width) {
			int first = q.npiece;
			for (int k = 0; k < (it->type == LB_BOX ? p->npieces[i] : 0); k++)
				*S_new_piece(&q) = p->pieces[p->first_piece[i] + k];
			S_item(&q, *it, first, q.npiece - first);
			continue;
		}
		split++;
		int started = 0;
		for (int k = 0; k < p->npieces[i]; k++) {
			const struct S_piece *src = &p->pieces[p->first_piece[i] + k];
			const char *a = src->text, *end = a + strlen(a);
			while (a < end) {
				const char *b = a;
				uint32_t c = utf8_next(&b, end);
				int adv = font_advance(st->f, src->face, c);
				if (started)
					S_item(&q, (struct lb_item){.type = LB_PENALTY, .penalty = 900}, 0, 0);
				started = 1;
				int first = q.npiece;
				S_sub_piece(st, &q, src, a, b, (adv > 0 ? adv : 0) * src->size / 1000.0);
				S_box_from(&q, first);
				a = b;
			}
		}
	}
	if (split == 0) {
		S_para_free(&q);
		return 0;
	}
	buf_free(&q.word);
	q.word = p->word;
	p->word = (struct buf){0};
	S_para_free(p);
	*p = q;
	return split;
}

/* Breaks a paragraph into lines for the given measure. */
static void S_break(struct S_lay *st, struct S_para *p, const struct style_block *b,
	double width, double first_indent, struct lb_result *res, int line)
{
	struct lb_params prm = lb_defaults(width);
	prm.width_first = width - first_indent;
	prm.tolerance = st->s->tolerance;
	prm.fitness_demerits = st->s->adj_demerits;
	prm.flagged_demerits = st->s->double_hyphen_demerits;
	prm.final_hyphen_demerits = st->s->final_hyphen_demerits;
	if (b->align != ALIGN_JUSTIFY) {
		/* Ragged: fixed word spaces, the line's end absorbs the difference. Badness still
		 * evens the line ends out, but no ragged line is ever infeasible for being short. */
		prm.ragged_stretch = b->size * 3;
		prm.tolerance = 1000;
	}
	for (int attempt = 0; attempt < 2; attempt++) {
		struct lb_item *items = p->items;
		struct lb_item *fixed = NULL;
		if (b->align != ALIGN_JUSTIFY) {
			fixed = xmalloc((size_t)p->nitems * sizeof *fixed);
			memcpy(fixed, p->items, (size_t)p->nitems * sizeof *fixed);
			for (int i = 0; i < p->nitems; i++)
				if (fixed[i].type == LB_GLUE && fixed[i].stretch < 1e5)
					fixed[i].stretch = fixed[i].shrink = 0;
			items = fixed;
		}
		lb_break(items, p->nitems, &prm, res);
		free(fixed);
		if (res->overfull == 0 || attempt == 1)
			break;
		int n = S_split_wide(st, p, fmin(prm.width_first, prm.width_rest));
		if (n == 0)
			break;
		diag_emit(st->d, D_WORD_BROKEN, st->file, line, 0, n);
		lb_result_free(res);
	}
	st->L->stats.lines += res->nlines;
	st->L->stats.emergency += res->emergency;
	for (int i = 0; i < res->nlines; i++) {
		if (res->lines[i].excess > 0.05) {
			st->L->stats.overfull++;
			diag_emit(st->d, D_OVERFULL, st->file, line, 0, res->lines[i].excess);
		} else if (b->align == ALIGN_JUSTIFY && i + 1 < res->nlines) {
			if (res->lines[i].ratio > 1)
				st->L->stats.loose++;
			else if (res->lines[i].ratio < -0.5)
				st->L->stats.tight++;
		}
	}
}

/* Lays out a paragraph-like block (para, heading, list item body) at the current position.
 * keep_after: extra height that must fit below the first lines (keep with next). */
static double S_paragraph(struct S_lay *st, const struct doc_node *n, const struct style_block *b,
	const char *label, double extra_left, const char *hang_label, double keep_after,
	const char *anchor)
{
	double top;
	struct S_para p = {0};
	S_build(st, &p, n, b, label);
	double x0 = st->left + b->indent_left + extra_left;
	double width = (st->right - b->indent_right) - x0;
	if (width < 36)
		width = 36;
	struct lb_result res;
	S_break(st, &p, b, width, b->first_indent, &res, n->line);
	st->pending_space = fmax(st->pending_space, b->space_before);
	int nl = res.nlines;
	/* Orphan control: the first two lines (or the whole of a shorter paragraph) stay together,
	 * and so do the heading and what keeps it company. */
	double first = b->leading * (nl >= 2 ? 2 : (nl ? nl : 1)) + keep_after;
	S_need(st, first);
	S_take_space(st);
	S_anchor(st, anchor, st->y);
	top = st->y;
	if (hang_label != NULL) {
		struct S_para lp = {0};
		struct style_block lb = *b;
		lb.align = ALIGN_LEFT;
		struct S_ink ink = S_ink_of(&lb, n->line);
		S_add_text(st, &lp, &ink, hang_label);
		S_close_word(st, &lp, &ink);
		double lw = lp.nitems ? lp.items[0].width : 0;
		if (lp.nitems) {
			double saved = st->y;
			S_emit_line(st, &lp, 0, 1, 0, x0 - lw - b->size * 0.5, lw, ALIGN_LEFT, b->leading, 0);
			st->y = saved;
		}
		S_para_free(&lp);
	}
	int from = 0;
	for (int i = 0; i < nl; i++) {
		/* Widow control: never leave the last line alone at the top of a page. */
		int left_after = nl - i;
		double need = b->leading * (left_after == 2 && nl >= 3 ? 2 : 1);
		if (!st->at_top && need > S_room(st) + 0.01)
			S_new_page(st);
		double fi = i == 0 ? b->first_indent : 0;
		int last = i == nl - 1;
		/* Justified lines take their ratio; the last line only when it must shrink. */
		int justify = b->align == ALIGN_JUSTIFY && (!last || res.lines[i].ratio < 0);
		S_emit_line(st, &p, from, res.lines[i].end, res.lines[i].ratio, x0 + fi, width - fi,
			b->align, b->leading, justify);
		from = res.lines[i].end + 1;
	}
	st->pending_space = b->space_after;
	lb_result_free(&res);
	S_para_free(&p);
	return top; /* the first line's top, on the page where the paragraph starts */
}

/* ---- tables ---- */

struct S_cell {
	struct S_para p;
	const struct style_block *b;
	struct lb_result res;
	const struct doc_node *n;
	double nat, min;
};

static void S_rule(struct S_lay *st, double x0, double x1, double w)
{
	struct lay_box *r = S_box(st, st->page, LAY_RULE);
	r->x = x0;
	r->y = st->L->page_h - st->y;
	r->w = x1 - x0;
	r->h = 0;
	r->size = w;
	r->color = st->s->rule_color;
}

static double S_row_height(struct S_lay *st, struct S_cell *cells, int ncols)
{
	double h = 0;
	for (int c = 0; c < ncols; c++) {
		double ch = cells[c].res.nlines * cells[c].b->leading;
		if (ch > h)
			h = ch;
	}
	return h + 2 * st->s->cell_padding;
}

static void S_place_row(struct S_lay *st, struct S_cell *cells, int ncols, const double *cx,
	const double *cw, double h, const char *anchor)
{
	double pad = st->s->cell_padding;
	double top = st->y;
	S_anchor(st, anchor, top);
	for (int c = 0; c < ncols; c++) {
		struct S_cell *cell = &cells[c];
		st->y = top + pad;
		enum style_align al = cell->b->align;
		if (cell->n->flags & DOC_ALIGN_RIGHT)
			al = ALIGN_RIGHT;
		else if (cell->n->flags & DOC_ALIGN_CENTER)
			al = ALIGN_CENTER;
		int from = 0;
		for (int i = 0; i < cell->res.nlines; i++) {
			S_emit_line(st, &cell->p, from, cell->res.lines[i].end, 0, cx[c] + pad, cw[c] - 2 * pad,
				al, cell->b->leading, 0);
			from = cell->res.lines[i].end + 1;
		}
	}
	st->y = top + h;
	st->at_top = 0;
}

static void S_table(struct S_lay *st, const struct doc_node *t)
{
	const struct style *s = st->s;
	const struct doc_node *caption = NULL;
	int nrows = 0, ncols = 0;
	for (const struct doc_node *r = t->first; r; r = r->next) {
		if (r->type == DOC_PARA) {
			caption = r;
			continue;
		}
		nrows++;
		int k = 0;
		for (const struct doc_node *c = r->first; c; c = c->next)
			k++;
		if (k > ncols)
			ncols = k;
	}
	if (nrows == 0 || ncols == 0)
		return;
	if (caption != NULL)
		S_paragraph(st, caption, style_block(s, "caption"), NULL, 0, NULL,
			3 * style_block(s, "cell")->leading, NULL);
	/* Build every cell once: measure for the column widths, then break. */
	struct S_cell *cells = xcalloc((size_t)nrows * (size_t)ncols, sizeof *cells);
	const struct doc_node **rows = xmalloc((size_t)nrows * sizeof *rows);
	double *nat = xcalloc((size_t)ncols, sizeof *nat), *mn = xcalloc((size_t)ncols, sizeof *mn);
	double *cw = xcalloc((size_t)ncols, sizeof *cw), *cx = xcalloc((size_t)ncols, sizeof *cx);
	int ri = 0;
	double pad = s->cell_padding;
	for (const struct doc_node *r = t->first; r; r = r->next) {
		if (r->type != DOC_ROW)
			continue;
		rows[ri] = r;
		int ci = 0;
		for (const struct doc_node *c = r->first; c; c = c->next, ci++) {
			struct S_cell *cell = &cells[ri * ncols + ci];
			cell->n = c;
			cell->b = style_block(s, c->cls ? c->cls : "cell");
			S_build(st, &cell->p, c, cell->b, NULL);
			S_measure(&cell->p, &cell->nat, &cell->min);
			if (cell->nat + 2 * pad > nat[ci])
				nat[ci] = cell->nat + 2 * pad;
			if (cell->min + 2 * pad > mn[ci])
				mn[ci] = cell->min + 2 * pad;
		}
		for (; ci < ncols; ci++) { /* short rows get empty cells */
			struct S_cell *cell = &cells[ri * ncols + ci];
			cell->n = r;
			cell->b = style_block(s, "cell");
		}
		ri++;
	}
	/* Column widths: natural if they fit, else share the room between minimum and natural. */
	double avail = st->right - st->left, snat = 0, smin = 0;
	for (int c = 0; c < ncols; c++)
		snat += nat[c], smin += mn[c];
	for (int c = 0; c < ncols; c++) {
		if (snat <= avail)
			cw[c] = nat[c] + (avail - snat) * (nat[c] / snat);
		else if (smin <= avail)
			cw[c] = mn[c] + (nat[c] - mn[c]) * ((avail - smin) / (snat - smin));
		else
			cw[c] = avail * (mn[c] / smin);
	}
	if (smin > avail)
		diag_emit(st->d, D_TABLE_WIDE, st->file, t->line, 0, ncols);
	cx[0] = st->left;
	for (int c = 1; c < ncols; c++)
		cx[c] = cx[c - 1] + cw[c - 1];
	for (int i = 0; i < nrows * ncols; i++) {
		struct S_cell *cell = &cells[i];
		if (cell->p.nitems == 0)
			continue;
		int c = i % ncols;
		S_break(st, &cell->p, cell->b, cw[c] - 2 * pad, 0, &cell->res, cell->n->line);
	}
	int nheader = 0;
	while (nheader < nrows && (rows[nheader]->flags & DOC_HEADER))
		nheader++;
	double header_h = 0;
	for (int r = 0; r < nheader; r++)
		header_h += S_row_height(st, &cells[r * ncols], ncols);

	st->pending_space = fmax(st->pending_space, 4);
	double first_h = header_h + (nheader < nrows ? S_row_height(st, &cells[nheader * ncols], ncols) : 0);
	S_need(st, first_h);
	S_take_space(st);
	double x0 = st->left, x1 = st->right;
	S_rule(st, x0, x1, s->rule_width * 1.6);
	for (int r = 0; r < nheader; r++)
		S_place_row(st, &cells[r * ncols], ncols, cx, cw, S_row_height(st, &cells[r * ncols], ncols),
			rows[r]->anchor);
	if (nheader > 0)
		S_rule(st, x0, x1, s->rule_width);
	for (int r = nheader; r < nrows; r++) {
		double h = S_row_height(st, &cells[r * ncols], ncols);
		if (h > st->bottom - st->y + 0.01 && st->y > st->top + header_h + 1) {
			/* continue on the next page, repeating the header rows */
			S_rule(st, x0, x1, s->rule_width);
			S_new_page(st);
			S_rule(st, x0, x1, s->rule_width * 1.6);
			for (int k = 0; k < nheader; k++)
				S_place_row(st, &cells[k * ncols], ncols, cx, cw,
					S_row_height(st, &cells[k * ncols], ncols), NULL);
			if (nheader > 0)
				S_rule(st, x0, x1, s->rule_width);
		}
		S_place_row(st, &cells[r * ncols], ncols, cx, cw, h, rows[r]->anchor);
	}
	S_rule(st, x0, x1, s->rule_width * 1.6);
	st->pending_space = 8;
	for (int i = 0; i < nrows * ncols; i++) {
		lb_result_free(&cells[i].res);
		S_para_free(&cells[i].p);
	}
	free(cells);
	free(rows);
	free(nat);
	free(mn);
	free(cw);
	free(cx);
}

/* ---- blocks ---- */

static void S_outline(struct S_lay *st, int level, const char *title, double top)
{
	struct layout *L = st->L;
	if (L->noutline == L->outline_cap) {
		L->outline_cap = L->outline_cap ? L->outline_cap * 2 : 32;
		L->outline = xrealloc(L->outline, (size_t)L->outline_cap * sizeof *L->outline);
	}
	L->outline[L->noutline++] = (struct lay_outline){.level = level, .title = title,
		.page = st->page, .y = L->page_h - top};
}

static void S_blocks(struct S_lay *st, const struct doc_node *n, struct doc *doc);

static void S_block(struct S_lay *st, const struct doc_node *n, struct doc *doc)
{
	const struct style *s = st->s;
	switch (n->type) {
	case DOC_SECTION: {
		const struct doc_node *h = n->first;
		const struct style_block *hb = style_block(s, h->cls ? h->cls : "h1");
		/* keep the heading with the first two lines of what follows */
		const struct style_block *body = style_block(s, "body");
		double keep = hb->space_after + 2 * body->leading;
		double top = S_paragraph(st, h, hb, h->label, 0, NULL, keep, n->anchor);
		/* The outline entry points at the heading's top. A heading is never split across
		 * pages (its lines are kept together), so its page is the current one. */
		char *title = doc_plain_text(doc, h);
		const char *full = h->label ? arena_printf(&st->L->arena, "%s %s", h->label, title)
			: arena_strdup(&st->L->arena, title);
		S_outline(st, n->level, full, top);
		for (const struct doc_node *c = h->next; c; c = c->next)
			S_block(st, c, doc);
		break;
	}
	case DOC_PARA:
		S_paragraph(st, n, style_block(s, n->cls ? n->cls : "body"), NULL, 0, NULL, 0, n->anchor);
		break;
	case DOC_LIST:
		for (const struct doc_node *c = n->first; c; c = c->next)
			S_paragraph(st, c, style_block(s, c->cls ? c->cls : "item"), NULL, s->list_indent,
				c->label, 0, c->anchor);
		st->pending_space = fmax(st->pending_space, style_block(s, "body")->space_after);
		break;
	case DOC_TABLE:
		S_table(st, n);
		break;
	case DOC_QUOTE:
		st->pending_space = fmax(st->pending_space, 4);
		S_blocks(st, n, doc);
		break;
	case DOC_RULE:
		S_take_space(st);
		S_rule(st, st->left, st->right, s->rule_width);
		st->y += 6;
		break;
	default:
		break;
	}
}

static void S_blocks(struct S_lay *st, const struct doc_node *n, struct doc *doc)
{
	for (const struct doc_node *c = n->first; c; c = c->next)
		S_block(st, c, doc);
}

/* ---- running heads ---- */

/* Expands a template's fields: {short-title}, {title}, {page}, {pages}, {section}, {date}. */
static char *S_expand(const char *tpl, const struct doc *doc, int page, int pages,
	const char *section)
{
	struct buf b = {0};
	for (const char *p = tpl; *p;) {
		const char *e;
		if (*p == '{' && (e = strchr(p, '}')) != NULL) {
			size_t n = (size_t)(e - p - 1);
			if (n == 11 && strncmp(p + 1, "short-title", n) == 0)
				buf_puts(&b, doc->short_title ? doc->short_title : "");
			else if (n == 5 && strncmp(p + 1, "title", n) == 0)
				buf_puts(&b, doc->title ? doc->title : "");
			else if (n == 4 && strncmp(p + 1, "page", n) == 0)
				buf_printf(&b, "%d", page);
			else if (n == 5 && strncmp(p + 1, "pages", n) == 0)
				buf_printf(&b, "%d", pages);
			else if (n == 7 && strncmp(p + 1, "section", n) == 0)
				buf_puts(&b, section ? section : "");
			else if (n == 4 && strncmp(p + 1, "date", n) == 0) {
				char d[64];
				date_format(doc->date, d, sizeof d);
				buf_puts(&b, d);
			} else
				buf_put(&b, p, n + 2);
			p = e + 1;
		} else {
			buf_putc(&b, *p++);
		}
	}
	return b.data ? b.data : xstrdup("");
}

/* Sets a one-line running head or foot: the template's parts split by '|' go left, centre
 * and right (one part alone is centred). */
static void S_running(struct S_lay *st, const char *tpl, const char *cls, double top,
	const struct doc *doc, int page, const char *section)
{
	if (tpl == NULL || tpl[0] == '\0')
		return;
	char *text = S_expand(tpl, doc, page + 1, st->L->npages, section);
	char *parts[3] = {NULL, NULL, NULL};
	int np = 0;
	char *save = text;
	for (char *q = text; np < 3; q++) {
		if (*q == '|' || *q == '\0') {
			int end = *q == '\0';
			*q = '\0';
			parts[np++] = save;
			save = q + 1;
			if (end)
				break;
		}
	}
	static const enum style_align one[] = {ALIGN_CENTER};
	static const enum style_align three[] = {ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT};
	const struct style_block *b = style_block(st->s, cls);
	int saved_page = st->page;
	double saved_y = st->y;
	int saved_top = st->at_top;
	st->page = page;
	for (int i = 0; i < np; i++) {
		if (parts[i][0] == '\0')
			continue;
		enum style_align al = np == 1 ? one[0] : np == 2 ? (i == 0 ? ALIGN_LEFT : ALIGN_RIGHT) : three[i];
		struct doc_node tmp = {.type = DOC_PARA};
		struct doc_node txt = {.type = DOC_TEXT, .text = parts[i]};
		tmp.first = tmp.last = &txt;
		struct S_para p = {0};
		struct style_block bb = *b;
		bb.align = al;
		S_build(st, &p, &tmp, &bb, NULL);
		st->y = top;
		/* a running head is one line: no breaking */
		int end = p.nitems - 1;
		S_emit_line(st, &p, 0, end, 0, st->left, st->right - st->left, al, b->leading, 0);
		S_para_free(&p);
	}
	st->page = saved_page;
	st->y = saved_y;
	st->at_top = saved_top;
	free(text);
}

struct layout *lay_run(const struct doc *doc, const struct style *s, struct fonts *f,
	const char *file, struct diags *d)
{
	struct layout *L = xcalloc(1, sizeof *L);
	L->page_w = s->page_w;
	L->page_h = s->page_h;
	struct S_lay st = {.L = L, .s = s, .f = f, .file = file, .d = d};
	st.left = s->margin_inner;
	st.right = s->page_w - s->margin_outer;
	st.top = s->margin_top;
	st.bottom = s->page_h - s->margin_bottom;
	st.doc_lang = doc->lang ? doc->lang : "en";
	st.hy = s->hyphenate ? hyph_open(NULL) : NULL;
	S_new_page(&st);
	S_blocks(&st, doc->root, (struct doc *)doc);

	/* Running heads need the page count and each page's section: set them last. */
	const char *section = NULL;
	int oi = 0;
	for (int pg = 0; pg < L->npages; pg++) {
		const char *first_here = NULL;
		while (oi < L->noutline && L->outline[oi].page == pg) {
			if (L->outline[oi].level == 1) {
				if (first_here == NULL)
					first_here = L->outline[oi].title;
				section = L->outline[oi].title;
			}
			oi++;
		}
		const char *shown = first_here ? first_here : section;
		if (pg > 0)
			S_running(&st, s->header, "header", s->header_offset, doc, pg, shown);
		S_running(&st, s->footer, "footer",
			s->page_h - s->footer_offset - style_block(s, "footer")->leading, doc, pg, shown);
	}
	hyph_close(st.hy);
	return L;
}

void lay_free(struct layout *l)
{
	if (l == NULL)
		return;
	for (int i = 0; i < l->npages; i++)
		free(l->pages[i].boxes);
	free(l->pages);
	free(l->anchors);
	free(l->outline);
	arena_free(&l->arena);
	free(l);
}

const struct lay_anchor *lay_anchor(const struct layout *l, const char *name)
{
	for (int i = 0; i < l->nanchors; i++)
		if (strcmp(l->anchors[i].name, name) == 0)
			return &l->anchors[i];
	return NULL;
}

void lay_dump(const struct layout *l, const struct fonts *f, FILE *out)
{
	fprintf(out, "layout pages=%d size=%.2fx%.2f\n", l->npages, l->page_w, l->page_h);
	for (int p = 0; p < l->npages; p++) {
		const struct lay_page *pg = &l->pages[p];
		fprintf(out, "page %d\n", p + 1);
		for (int i = 0; i < pg->nboxes; i++) {
			const struct lay_box *b = &pg->boxes[i];
			switch (b->kind) {
			case LAY_TEXT: {
				const char *file = f->faces[b->face].file;
				const char *base = strrchr(file, '/');
				fprintf(out, "  text %.2f %.2f w=%.2f %s %.1f \"%s\"\n", b->x, b->y, b->w,
					base ? base + 1 : file, b->size, b->text);
				break;
			}
			case LAY_RULE:
				fprintf(out, "  rule %.2f %.2f w=%.2f lw=%.2f\n", b->x, b->y, b->w, b->size);
				break;
			case LAY_LINK:
				fprintf(out, "  link %.2f %.2f %.2fx%.2f %s%s\n", b->x, b->y, b->w, b->h,
					b->internal ? "#" : "", b->target);
				break;
			}
		}
	}
	for (int i = 0; i < l->noutline; i++)
		fprintf(out, "outline %d p%d \"%s\"\n", l->outline[i].level, l->outline[i].page + 1,
			l->outline[i].title);
}
