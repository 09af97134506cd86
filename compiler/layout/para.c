/* para.c: a paragraph's material (pieces, boxes, glue, penalties), its breaking and its lines. */
#include "lay_int.h"
#include "../base/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct lay_box *lay_box_new(struct lay_ctx *st, int page, enum lay_kind kind)
{
	struct lay_page *pg = &st->L->pages[page];
	if (pg->nboxes == pg->cap) {
		pg->cap = pg->cap ? pg->cap * 2 : 16;
		pg->boxes = xrealloc(pg->boxes, (size_t)pg->cap * sizeof *pg->boxes);
	}
	struct lay_box *b = &pg->boxes[pg->nboxes++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	return b;
}

void lay_para_free(struct lay_para *p)
{
	free(p->items);
	free(p->first_piece);
	free(p->npieces);
	free(p->pieces);
	buf_free(&p->word);
	arena_free(&p->arena);
	memset(p, 0, sizeof *p);
}

static void S_item(struct lay_para *p, struct lb_item it, int first_piece, int npieces)
{
	if (p->nitems == p->icap) {
		p->icap = p->icap ? p->icap * 2 : 8; /* most paragraphs (table cells) are short */
		p->items = xrealloc(p->items, (size_t)p->icap * sizeof *p->items);
		p->first_piece = xrealloc(p->first_piece, (size_t)p->icap * sizeof *p->first_piece);
		p->npieces = xrealloc(p->npieces, (size_t)p->icap * sizeof *p->npieces);
	}
	p->items[p->nitems] = it;
	p->first_piece[p->nitems] = first_piece;
	p->npieces[p->nitems] = npieces;
	p->nitems++;
}

static struct lay_piece *S_new_piece(struct lay_para *p)
{
	if (p->npiece == p->pcap) {
		p->pcap = p->pcap ? p->pcap * 2 : 8;
		p->pieces = xrealloc(p->pieces, (size_t)p->pcap * sizeof *p->pieces);
	}
	struct lay_piece *pc = &p->pieces[p->npiece++];
	memset(pc, 0, sizeof *pc);
	return pc;
}

/* Closes the text collected for the current piece. */
static void S_close_piece(struct lay_ctx *st, struct lay_para *p, const struct lay_ink *ink)
{
	if (p->word.len == 0)
		return;
	struct lay_piece *pc = S_new_piece(p);
	pc->text = arena_strndup(&p->arena, p->word.data, p->word.len);
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

/* The code points that end a word: spaces (a break), and no-break spaces (a tie). */
static int S_space_cp(uint32_t c)
{
	return c == ' ' || c == '\n' || c == '\t';
}

static int S_tie_cp(uint32_t c)
{
	return c == 0xA0 || c == 0x202F;
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

/* The part of a one-piece word text[0, n) that hyphenation sees: its letters from the
 * first to the last, [*core_s, *core_e), which begins at code point *first of the piece.
 * Returns 0 for a word never hyphenated: with digits or symbols inside (numbers, URLs,
 * identifiers), in capitals, or of fewer than five letters. */
static int S_hyph_core(const char *text, size_t n, const char **core_s, const char **core_e,
	int *first)
{
	const char *end = text + n, *q = text;
	int ncp = 0, last = -1, upper = 0, lower = 0;
	*first = -1;
	while (q < end) {
		const char *at = q;
		uint32_t c = utf8_next(&q, end);
		if (S_letter(c)) {
			if (*first < 0) {
				*first = ncp;
				*core_s = at;
			}
			last = ncp;
			*core_e = q;
			if (S_upper(c))
				upper++;
			else
				lower++;
		} else if (*first >= 0 && c != 0x2019 && c != '\'') {
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
	return *first >= 0 && last - *first + 1 >= 5 && !(upper >= 2 && lower == 0);
}

/* Hyphenation points of a one-piece word: code point indices (from the piece's start)
 * after which it may break (S_hyph_core says which words have none). */
static int S_hyph_points(struct lay_ctx *st, const char *text, const struct lay_ink *ink, int *pts,
	int max)
{
	const char *core_s = NULL, *core_e = NULL;
	int first;
	if (!S_hyph_core(text, strlen(text), &core_s, &core_e, &first))
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

const char *lay_warm_hyphens(struct hyph *hy, const struct style *s, const char *lang,
	const char *text, const char *end, int *budget)
{
	const char *q = text, *w = text;
	while (w < end && *budget > 0) {
		/* the next word, ended as S_add_text ends it */
		const char *at = q;
		uint32_t c = q < end ? utf8_next(&q, end) : ' ';
		if (!S_space_cp(c) && !S_tie_cp(c))
			continue;
		const char *core_s = NULL, *core_e = NULL;
		int first, pts[64];
		if (at > w && S_hyph_core(w, (size_t)(at - w), &core_s, &core_e, &first)) {
			hyph_word(hy, lang, core_s, (size_t)(core_e - core_s), s->hyphen_min_left,
				s->hyphen_min_right, pts, 64);
			--*budget;
		}
		w = q;
	}
	return w < end ? w : end;
}

/* Adds a piece for text[a, b) of the model piece src, with width w in points. */
static void S_sub_piece(struct lay_ctx *st, struct lay_para *p, const struct lay_piece *src,
	const char *a, const char *b, double w)
{
	struct lay_piece *pc = S_new_piece(p);
	*pc = *src;
	pc->text = arena_strndup(&p->arena, a, (size_t)(b - a));
	pc->width = w;
}

static void S_box_from(struct lay_para *p, int first)
{
	double w = 0;
	for (int i = first; i < p->npiece; i++)
		w += p->pieces[i].width;
	if (p->npiece > first)
		S_item(p, (struct lb_item){.type = LB_BOX, .width = w}, first, p->npiece - first);
}

/* Closes the current word: kerns its pieces, finds its hyphenation points, and turns it
 * into boxes separated by hyphenation penalties. */
static void S_close_word(struct lay_ctx *st, struct lay_para *p, const struct lay_ink *ink)
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
	struct lay_piece small[8];
	struct lay_piece *orig = count <= 8 ? small : xmalloc((size_t)count * sizeof *orig);
	memcpy(orig, &p->pieces[first], (size_t)count * sizeof *orig);
	p->npiece = first;
	int hyph[64], nh = 0;
	if (count == 1 && st->hy != NULL && p->justified && !p->no_hyph && st->s->hyphenate)
		nh = S_hyph_points(st, orig[0].text, ink, hyph, 64);
	int box_first = p->npiece;
	double dx[512];
	for (int k = 0; k < count; k++) {
		const struct lay_piece *src = &orig[k];
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
		if (seg == src->text) {
			/* not split: the piece again, its text as it is (already the paragraph's) */
			struct lay_piece *pc = S_new_piece(p);
			*pc = *src;
			pc->width = seg_units * src->size / 1000.0;
		} else if (q > seg) {
			S_sub_piece(st, p, src, seg, end, seg_units * src->size / 1000.0);
		}
	}
	S_box_from(p, box_first);
	if (orig != small)
		free(orig);
}

static void S_glue(struct lay_ctx *st, struct lay_para *p, const struct lay_ink *ink, int face)
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

/* Whether a warning about cp is not to be given: each character is named once, and only
 * the first LAY_MAX_CHAR_WARNINGS of them (the rest are counted in one line at the end). */
static int S_warned(struct lay_ctx *st, uint32_t cp)
{
	if (cp > 0x10FFFF)
		return 1;
	if (st->warned == NULL)
		st->warned = xcalloc(0x110000 / 8, 1);
	unsigned char bit = (unsigned char)(1u << (cp & 7));
	if (st->warned[cp >> 3] & bit)
		return 1;
	st->warned[cp >> 3] |= bit;
	return st->nwarned++ >= LAY_MAX_CHAR_WARNINGS;
}

static int S_face_of(struct lay_ctx *st, const struct lay_ink *ink)
{
	int face = font_face(st->f, ink->font, ink->bold, ink->italic);
	return face < 0 ? 0 : face;
}

/* Adds UTF-8 text in the current ink to the paragraph. */
static void S_add_text(struct lay_ctx *st, struct lay_para *p, const struct lay_ink *ink, const char *s)
{
	int base = S_face_of(st, ink);
	const char *q = s, *end = s + strlen(s);
	while (q < end) {
		const char *at = q;
		uint32_t cp = utf8_next(&q, end);
		if (S_space_cp(cp)) {
			S_close_word(st, p, ink);
			p->no_hyph = 0;
			S_glue(st, p, ink, base);
			continue;
		}
		if (S_tie_cp(cp)) {
			/* a no-break space: glue that is no break (a penalty stands before it) */
			S_close_word(st, p, ink);
			p->no_hyph = 0;
			S_item(p, (struct lb_item){.type = LB_PENALTY, .penalty = LB_INF, .tie = 1}, 0, 0);
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
		/* (not inside "://" or "//": a URL breaks after a path's slash) */
		int slash_ok = cp != '/' || (*q != '/' && p->word.len > n &&
			p->word.data[p->word.len - n - 1] != '/' && p->word.data[p->word.len - n - 1] != ':');
		if ((cp == '-' || cp == 0x2013 || cp == 0x2014 || cp == '/') && q < end &&
			*q != ' ' && p->word.len > n && slash_ok) {
			p->no_hyph = 1; /* a word with explicit hyphens breaks only at them */
			S_close_word(st, p, ink);
			S_item(p, (struct lb_item){.type = LB_PENALTY, .penalty = cp == '/' ? 200 : 50,
				.flagged = cp != '/'}, 0, 0);
		}
	}
}

static void S_inlines(struct lay_ctx *st, struct lay_para *p, const struct doc_node *n, struct lay_ink ink);

/* A footnote's mark: attached to the word before it, linked to the note. */
static void S_add_mark(struct lay_ctx *st, struct lay_para *p, const struct lay_ink *ink,
	const char *label, int note)
{
	S_add_text(st, p, ink, label);
	S_close_piece(st, p, ink);
	if (p->npiece > 0) {
		p->pieces[p->npiece - 1].note = note;
		p->has_notes = 1;
	}
}

static void S_inline(struct lay_ctx *st, struct lay_para *p, const struct doc_node *n, struct lay_ink ink)
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
	case DOC_FOOTNOTE: {
		/* the mark: a raised number linking to the note; the note goes to the frame's foot */
		S_close_piece(st, p, &ink);
		int k = lay_note_add(st, n);
		ink.link = st->notes[k - 1].anchor;
		ink.internal = 1;
		ink.color = st->s->link_color;
		ink.rise = ink.size * 0.33;
		ink.size *= 0.7;
		S_add_mark(st, p, &ink, st->notes[k - 1].label, k);
		return;
	}
	case DOC_PAGEREF: {
		/* the page of the target as the previous pass placed it; "?" in the first */
		char num[32] = "?";
		const struct lay_anchor *a = st->prev ? lay_anchor(st->prev, n->target) : NULL;
		if (a != NULL)
			lay_page_label(st->prev, a->page, num, sizeof num);
		st->pagerefs++;
		S_add_text(st, p, &ink, num);
		return;
	}
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

static void S_inlines(struct lay_ctx *st, struct lay_para *p, const struct doc_node *n, struct lay_ink ink)
{
	for (const struct doc_node *c = n->first; c; c = c->next)
		S_inline(st, p, c, ink);
}

static struct lay_ink S_ink_of(const struct style_block *b, int line)
{
	struct lay_ink ink = {.font = b->font, .bold = b->bold, .italic = b->italic, .size = b->size,
		.color = b->color, .line = line};
	return ink;
}

/* Builds the items of a paragraph from its inline children, with an optional label first
 * (heading numbers), and closes it with the finishing glue and forced break. */
void lay_para_build(struct lay_ctx *st, struct lay_para *p, const struct doc_node *n,
	const struct style_block *b, const char *label)
{
	struct lay_ink ink = S_ink_of(b, n->line);
	ink.lang = n->lang;
	for (const struct doc_node *a = n->parent; ink.lang == NULL && a != NULL; a = a->parent)
		ink.lang = a->lang;
	p->justified = b->align == ALIGN_JUSTIFY;
	if (label != NULL) {
		S_add_text(st, p, &ink, label);
		S_close_word(st, p, &ink);
		/* a fixed gap that is no break (nor a tie, which may be one) */
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
void lay_para_measure(const struct lay_para *p, double *natural, double *minimum)
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

/* Places one line of a broken paragraph with its top at st->y. */
double lay_para_emit(struct lay_ctx *st, const struct lay_para *p, int from, int to, double ratio,
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
	/* The open link rectangle, by index: drawing a box may move the page's box array. */
	int link_i = -1;
#define S_LINK (&st->L->pages[st->page].boxes[link_i])
	for (int i = from; i < to; i++) {
		const struct lb_item *it = &p->items[i];
		if (it->type == LB_GLUE) {
			if (it->stretch >= 1e5)
				continue;
			double w = it->width + (r >= 0 ? r * it->stretch : r * it->shrink);
			if (link_i >= 0 && i + 1 < to && p->items[i + 1].type == LB_BOX &&
				p->npieces[i + 1] > 0 && p->pieces[p->first_piece[i + 1]].link == S_LINK->target)
				S_LINK->w += w; /* the link continues over the space */
			x += w;
			continue;
		}
		if (it->type != LB_BOX)
			continue;
		for (int k = 0; k < p->npieces[i]; k++) {
			const struct lay_piece *pc = &p->pieces[p->first_piece[i] + k];
			struct lay_box *b = lay_box_new(st, st->page, LAY_TEXT);
			b->x = x;
			b->y = pdf_y + pc->rise;
			b->w = pc->width;
			b->face = pc->face;
			b->size = pc->size;
			b->color = pc->color;
			b->text = arena_strdup(&st->L->pages[st->page].text, pc->text); /* the page's own */
			if (pc->link != NULL) {
				if (link_i >= 0 && S_LINK->target == pc->link && fabs(S_LINK->x + S_LINK->w - x) < 0.01) {
					S_LINK->w += pc->width;
				} else {
					struct lay_box *link = lay_box_new(st, st->page, LAY_LINK);
					link->x = x;
					link->y = pdf_y - pc->size * 0.25;
					link->w = pc->width;
					link->h = pc->size * 1.05;
					link->target = pc->link;
					link->internal = pc->internal;
					link_i = (int)(link - st->L->pages[st->page].boxes);
				}
			} else {
				link_i = -1;
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
			const struct lay_piece *pc = &p->pieces[p->first_piece[k] + p->npieces[k] - 1];
			struct lay_box *b = lay_box_new(st, st->page, LAY_TEXT);
			b->x = x;
			b->y = pdf_y + pc->rise;
			b->w = p->items[to].width;
			b->face = pc->face;
			b->size = pc->size;
			b->color = pc->color;
			b->text = "-";
		}
	}
#undef S_LINK
	return x;
}

/* The last resort for a word wider than the measure: it may break after any character,
 * at a high cost and without a hyphen (long words are mostly URLs and identifiers). */
static int S_split_wide(struct lay_ctx *st, struct lay_para *p, double width)
{
	struct lay_para q = {0};
	q.justified = p->justified;
	q.has_notes = p->has_notes;
	q.arena = p->arena; /* the pieces copied keep pointing into it: q takes it over */
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
			const struct lay_piece *src = &p->pieces[p->first_piece[i] + k];
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
	/* Ties (no-break spaces) may break too, at a high cost, before anything runs over; that
	 * is no news in a narrow table cell, so only words broken inside are reported. */
	int ties = 0;
	for (int i = 0; i + 1 < q.nitems; i++)
		if (q.items[i].type == LB_PENALTY && q.items[i].tie) {
			q.items[i].penalty = 3000;
			ties++;
		}
	if (split == 0 && ties == 0) {
		p->arena = q.arena; /* the same arena, perhaps with more blocks */
		q.arena = (struct arena){0};
		lay_para_free(&q);
		return 0;
	}
	buf_free(&q.word);
	q.word = p->word;
	p->word = (struct buf){0};
	p->arena = (struct arena){0};
	lay_para_free(p);
	*p = q;
	return split > 0 ? split : -1;
}

/* Breaks the paragraph's items into lines (lb_break): a ragged paragraph's word spaces
 * neither stretch nor shrink. */
static void S_break(const struct lay_para *p, const struct style_block *b,
	const struct lb_params *prm, struct lb_result *res)
{
	struct lb_item *fixed = NULL;
	if (b->align != ALIGN_JUSTIFY) {
		fixed = xmalloc((size_t)p->nitems * sizeof *fixed);
		memcpy(fixed, p->items, (size_t)p->nitems * sizeof *fixed);
		for (int i = 0; i < p->nitems; i++)
			if (fixed[i].type == LB_GLUE && fixed[i].stretch < 1e5)
				fixed[i].stretch = fixed[i].shrink = 0;
	}
	lb_break(fixed ? fixed : p->items, p->nitems, prm, res);
	free(fixed);
}

/* Breaks a paragraph into lines for the given measure. */
void lay_para_break(struct lay_ctx *st, struct lay_para *p, const struct style_block *b,
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
		S_break(p, b, &prm, res);
		if (res->overfull == 0 || attempt == 1)
			break;
		int n = S_split_wide(st, p, fmin(prm.width_first, prm.width_rest));
		if (n == 0)
			break;
		if (n > 0)
			diag_emit(st->d, D_WORD_BROKEN, st->file, line, 0, n);
		lb_result_free(res);
	}
	st->L->stats.lines += res->nlines;
	for (int i = 0; i + 1 < res->nlines; i++) {
		const struct lb_item *e = &p->items[res->lines[i].end];
		if (e->type == LB_PENALTY && e->flagged && e->width > 0)
			st->L->stats.hyphenated++;
	}
	st->L->stats.ties_broken += res->ties;
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


void lay_para_text(struct lay_ctx *st, struct lay_para *p, const struct style_block *b,
	const char *text)
{
	struct doc_node para = {.type = DOC_PARA};
	struct doc_node t = {.type = DOC_TEXT, .text = text, .parent = &para};
	para.first = para.last = &t;
	lay_para_build(st, p, &para, b, NULL);
}
