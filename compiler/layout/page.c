/* page.c: the page builder: fills columns and pages from the vertical list, with keeps,
 * footnotes at the foot of their column, repeated table headers and balanced columns. */
#include "lay_int.h"
#include "../base/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define S_NOTE_SEP 10.0 /* space above the footnotes, with their short rule */

struct lay_vitem *lay_v_push(struct lay_ctx *st, enum lay_vkind kind, double h)
{
	if (st->nv == st->vcap) {
		st->vcap = st->vcap ? st->vcap * 2 : 256;
		st->v = xrealloc(st->v, (size_t)st->vcap * sizeof *st->v);
	}
	struct lay_vitem *it = &st->v[st->nv++];
	memset(it, 0, sizeof *it);
	it->kind = kind;
	it->h = h;
	return it;
}

int lay_new_page(struct lay_ctx *st)
{
	struct layout *L = st->L;
	if (L->npages == L->cap) {
		L->cap = L->cap ? L->cap * 2 : 16;
		L->pages = xrealloc(L->pages, (size_t)L->cap * sizeof *L->pages);
	}
	memset(&L->pages[L->npages], 0, sizeof L->pages[0]);
	if (st->spare_boxes != NULL) {
		L->pages[L->npages].boxes = st->spare_boxes;
		L->pages[L->npages].cap = st->spare_cap;
		st->spare_boxes = NULL;
	}
	return L->npages++;
}

void lay_anchor_add(struct lay_ctx *st, const char *name, int page, double y_from_top)
{
	struct layout *L = st->L;
	if (name == NULL)
		return;
	if (L->nanchors == L->anchors_cap) {
		L->anchors_cap = L->anchors_cap ? L->anchors_cap * 2 : 64;
		L->anchors = xrealloc(L->anchors, (size_t)L->anchors_cap * sizeof *L->anchors);
	}
	/* the name is the layout's own: the tree may be freed before the PDF is finished */
	L->anchors[L->nanchors++] = (struct lay_anchor){.name = arena_strdup(&L->arena, name),
		.page = page, .y = L->page_h - y_from_top};
}

static void S_outline(struct lay_ctx *st, int level, const char *title, int page, double top)
{
	struct layout *L = st->L;
	if (L->noutline == L->outline_cap) {
		L->outline_cap = L->outline_cap ? L->outline_cap * 2 : 32;
		L->outline = xrealloc(L->outline, (size_t)L->outline_cap * sizeof *L->outline);
	}
	L->outline[L->noutline++] = (struct lay_outline){.level = level, .title = title,
		.page = page, .y = L->page_h - top};
}

void lay_flow_add(struct lay_ctx *st, int page, struct lay_flow f)
{
	if (st->sink != NULL)
		return; /* only dumps read the flow */
	struct lay_page *pg = &st->L->pages[page];
	if (pg->nflow == pg->flowcap) {
		pg->flowcap = pg->flowcap ? pg->flowcap * 2 : 64;
		pg->flow = xrealloc(pg->flow, (size_t)pg->flowcap * sizeof *pg->flow);
	}
	pg->flow[pg->nflow++] = f;
}

/* ---- frames ---- */

static void S_frame_open(struct lay_ctx *st, int page, int col, double top, double bottom)
{
	struct lay_frame *fr = &st->fr;
	fr->page = page;
	fr->col = col;
	fr->top = fr->y = top;
	fr->bottom = bottom;
	fr->notes_h = 0;
	fr->empty = 1;
	fr->nnotes = 0;
	st->col_x = st->left + col * (st->col_w + st->col_gap);
}

/* Sets the frame's footnotes at its foot, under a short rule. */
static void S_frame_close(struct lay_ctx *st)
{
	struct lay_frame *fr = &st->fr;
	if (fr->nnotes == 0)
		return;
	double y = fr->bottom - fr->notes_h;
	struct lay_box *r = lay_box_new(st, fr->page, LAY_RULE);
	r->x = st->col_x;
	r->y = st->L->page_h - (y + S_NOTE_SEP / 2);
	r->w = st->col_w / 3;
	r->size = 0.4;
	r->color = st->s->rule_color;
	y += S_NOTE_SEP;
	for (int i = 0; i < fr->nnotes; i++) {
		struct lay_note *n = &st->notes[fr->notes[i]];
		lay_anchor_add(st, n->anchor, fr->page, y);
		lay_flow_add(st, fr->page, (struct lay_flow){.kind = 'n', .id = fr->notes[i] + 1,
			.line = 1, .lines = 1, .cls = "note"});
		int from = 0;
		for (int k = 0; k < n->res.nlines; k++) {
			int last = k == n->res.nlines - 1;
			st->page = fr->page;
			st->y = y;
			lay_para_emit(st, &n->p, from, n->res.lines[k].end, n->res.lines[k].ratio,
				st->col_x, st->col_w, n->b->align, n->b->leading,
				n->b->align == ALIGN_JUSTIFY && (!last || n->res.lines[k].ratio < 0));
			from = n->res.lines[k].end + 1;
			y += n->b->leading;
		}
		y += n->b->space_after;
	}
	fr->nnotes = 0;
}

static void S_next_frame(struct lay_ctx *st)
{
	struct lay_frame *fr = &st->fr;
	/* a table that goes on in the next frame is closed with a rule here */
	if (st->open_table != NULL) {
		struct lay_box *r = lay_box_new(st, fr->page, LAY_RULE);
		r->x = st->col_x;
		r->y = st->L->page_h - fr->y;
		r->w = st->col_w;
		r->size = st->s->rule_width;
		r->color = st->s->rule_color;
	}
	S_frame_close(st);
	if (fr->col + 1 < st->ncols) {
		S_frame_open(st, fr->page, fr->col + 1, st->cols_top, st->frame_bottom);
	} else {
		int page = lay_new_page(st);
		st->cols_top = st->top;
		S_frame_open(st, page, 0, st->top, st->bottom);
		st->frame_bottom = st->bottom;
	}
}

static void S_next_frame_page(struct lay_ctx *st)
{
	int page = st->fr.page;
	while (st->fr.page == page)
		S_next_frame(st);
}

/* Footnotes a line or row refers to, and their height if added to the current frame. */
static double S_notes_of(struct lay_ctx *st, const struct lay_vitem *it, int *list, int *n, int max)
{
	*n = 0;
	const struct lay_para *p = it->p;
	if (it->kind == V_LINE && p != NULL && p->has_notes) {
		for (int i = it->from; i < it->to && i < p->nitems; i++) {
			if (p->items[i].type != LB_BOX)
				continue;
			for (int k = 0; k < p->npieces[i]; k++) {
				int note = p->pieces[p->first_piece[i] + k].note;
				if (note > 0 && *n < max)
					list[(*n)++] = note - 1;
			}
		}
	} else if (it->kind == V_ROW) {
		*n = lay_row_notes(it->table, it->row, list, max);
	}
	double h = 0;
	for (int i = 0; i < *n; i++)
		h += st->notes[list[i]].height;
	if (*n > 0 && st->fr.nnotes == 0)
		h += S_NOTE_SEP;
	return h;
}

static void S_repeat_header(struct lay_ctx *st, struct lay_table *t)
{
	int nh = lay_table_header_rows(t);
	struct lay_box *r = lay_box_new(st, st->fr.page, LAY_RULE);
	r->x = st->col_x;
	r->y = st->L->page_h - st->fr.y;
	r->w = st->col_w;
	r->size = st->s->rule_width * 1.6;
	r->color = st->s->rule_color;
	for (int k = 0; k < nh; k++) {
		lay_flow_add(st, st->fr.page, (struct lay_flow){.kind = 'r', .id = lay_table_id(t),
			.line = k + 1, .lines = lay_table_rows(t), .cls = "th"});
		lay_row_emit(st, t, k, st->col_x, st->fr.y);
		st->fr.y += lay_row_height(t, k);
	}
	if (nh > 0) {
		r = lay_box_new(st, st->fr.page, LAY_RULE);
		r->x = st->col_x;
		r->y = st->L->page_h - st->fr.y;
		r->w = st->col_w;
		r->size = st->s->rule_width;
		r->color = st->s->rule_color;
	}
}

/* Draws one item at the frame's current position and moves down. */
static void S_place(struct lay_ctx *st, struct lay_vitem *it)
{
	struct lay_frame *fr = &st->fr;
	int notes[32], nn;
	double nh = S_notes_of(st, it, notes, &nn, 32);
	st->page = fr->page;
	if (it->kind == V_ROW && fr->empty && st->open_table == it->table &&
		it->row >= lay_table_header_rows(it->table))
		S_repeat_header(st, it->table);
	double top = fr->y;
	if (it->anchor)
		lay_anchor_add(st, it->anchor, fr->page, top);
	if (it->outline_title)
		S_outline(st, it->outline_level, it->outline_title, fr->page, top);
	st->page = fr->page;
	st->y = top;
	if (it->flow.kind)
		lay_flow_add(st, fr->page, it->flow);
	switch (it->kind) {
	case V_LINE: {
		if (it->hang != NULL && it->hang->nitems > 0)
			lay_para_emit(st, it->hang, 0, 1, 0, st->col_x + it->hang_x, 1000, ALIGN_LEFT,
				it->leading, 0);
		double xend = lay_para_emit(st, it->p, it->from, it->to, it->ratio, st->col_x + it->x0,
			it->width, it->align, it->leading, it->justify);
		if (it->toc > 0) {
			struct lay_tocent *e = &st->toc[it->toc - 1];
			e->page = fr->page;
			e->y = top;
			e->x_end = xend;
			e->x_left = st->col_x;
			e->x_right = st->col_x + st->col_w;
		}
		break;
	}
	case V_RULE: {
		struct lay_box *r = lay_box_new(st, fr->page, LAY_RULE);
		r->x = st->col_x + it->x0;
		r->y = st->L->page_h - (top + it->h / 2);
		r->w = it->width > 0 ? it->width : st->col_w;
		r->size = it->lw;
		r->color = it->color;
		break;
	}
	case V_ROW:
		lay_row_emit(st, it->table, it->row, st->col_x, top);
		break;
	case V_FIGURE: {
		struct lay_fig *g = it->fig;
		for (int i = 0; i < g->nboxes; i++) {
			struct lay_box *b = lay_box_new(st, fr->page, g->boxes[i].kind);
			*b = g->boxes[i];
			b->x += st->col_x;
			b->y = st->L->page_h - (top + g->boxes[i].y);
		}
		for (int i = 0; i < g->nlabels; i++) {
			st->page = fr->page;
			st->y = top + g->labels[i].y;
			struct lay_para *p = g->labels[i].p;
			double x = st->col_x + g->labels[i].x;
			double end = lay_para_emit(st, p, g->labels[i].from, g->labels[i].to, 0, x,
				g->labels[i].width, ALIGN_LEFT, g->labels[i].lead, 0);
			if (g->labels[i].link != NULL) {
				struct lay_box *ln = lay_box_new(st, fr->page, LAY_LINK);
				ln->x = x;
				ln->y = st->L->page_h - (st->y + g->labels[i].lead);
				ln->w = end - x;
				ln->h = g->labels[i].lead;
				ln->target = g->labels[i].link;
				ln->internal = 1;
			}
		}
		break;
	}
	case V_IMAGE: {
		struct lay_box *b = lay_box_new(st, fr->page, LAY_IMAGE);
		b->x = st->col_x + it->x0;
		b->w = it->width;
		b->h = it->h - 4;
		b->y = st->L->page_h - (top + 2 + b->h);
		b->target = it->image;
		break;
	}
	default:
		break;
	}
	st->open_table = it->kind == V_ROW && !lay_table_last_row(it->table, it->row) ? it->table
		: it->kind == V_RULE ? st->open_table : NULL;
	if (it->kind == V_RULE && it->keep == 0)
		st->open_table = NULL;
	for (int i = 0; i < nn; i++) {
		if (fr->nnotes == fr->cap) {
			fr->cap = fr->cap ? fr->cap * 2 : 8;
			fr->notes = xrealloc(fr->notes, (size_t)fr->cap * sizeof *fr->notes);
		}
		fr->notes[fr->nnotes++] = notes[i];
	}
	fr->notes_h += nh;
	fr->y += it->h;
	fr->empty = 0;
}

/* Fills frames with items [from, to): keeps hold chains together when they fit in a frame;
 * space at a frame's top is dropped. page_of, when given, records each item's page. */
static void S_fill(struct lay_ctx *st, int from, int to, int *page_of)
{
	int k = from;
	while (k < to) {
		struct lay_vitem *it = &st->v[k];
		struct lay_frame *fr = &st->fr;
		if (page_of)
			page_of[k - from] = fr->page;
		if (it->kind == V_PAGEBREAK) {
			if (!(fr->empty && fr->col == 0 && st->cols_top == fr->top))
				S_next_frame_page(st);
			k++;
			continue;
		}
		if (it->kind == V_BODY) {
			if (!st->body_started) {
				st->body_started = 1;
				st->L->body_page = fr->page;
			}
			k++;
			continue;
		}
		if (it->kind == V_SPACE) {
			if (!fr->empty) {
				if (fr->y + it->h > fr->bottom - fr->notes_h)
					S_next_frame(st);
				else
					fr->y += it->h;
			}
			k++;
			continue;
		}
		/* the chain of items kept with this one */
		double chain = 0;
		int notes[32], nn, e = k;
		for (; e < to; e++) {
			chain += st->v[e].h + S_notes_of(st, &st->v[e], notes, &nn, 32);
			if (!st->v[e].keep || st->v[e].kind == V_PAGEBREAK)
				break;
		}
		if (e == to)
			chain += st->fill_tail;
		double room = fr->bottom - fr->y - fr->notes_h;
		/* Only a frame as tall as a page's column takes what does not fit anyway; a column
		 * shortened by spanning material above it passes it on. */
		int fresh = fr->empty && fr->top <= st->top + 0.01;
		/* a chain that fits in a whole column moves on; a longer one is broken (measured
		 * against the page's column, not a balancing trial's shorter one) */
		if (!fresh && chain > room + 0.01 && chain <= st->bottom - st->top + 0.01) {
			S_next_frame(st);
			continue;
		}
		double need = it->h + S_notes_of(st, it, notes, &nn, 32);
		if (!fresh && need > room + 0.01) {
			S_next_frame(st);
			continue;
		}
		S_place(st, it);
		k++;
	}
}

/* A snapshot of everything placing can change, to try a placement and take it back. */
struct S_snap {
	int npages, nboxes, nflow, nanchors, noutline;
	struct lay_frame fr;
	int notes[64];
	double cols_top, frame_bottom, col_x;
	struct lay_table *open_table;
	int body_started, body_page;
};

static void S_save(struct lay_ctx *st, struct S_snap *s)
{
	s->npages = st->L->npages;
	s->nboxes = st->L->pages[st->fr.page].nboxes;
	s->nflow = st->L->pages[st->fr.page].nflow;
	s->nanchors = st->L->nanchors;
	s->noutline = st->L->noutline;
	s->fr = st->fr;
	for (int i = 0; i < st->fr.nnotes && i < 64; i++)
		s->notes[i] = st->fr.notes[i];
	s->cols_top = st->cols_top;
	s->frame_bottom = st->frame_bottom;
	s->col_x = st->col_x;
	s->open_table = st->open_table;
	s->body_started = st->body_started;
	s->body_page = st->L->body_page;
}

static void S_restore(struct lay_ctx *st, const struct S_snap *s)
{
	struct layout *L = st->L;
	while (L->npages > s->npages) {
		L->npages--;
		free(L->pages[L->npages].boxes);
		free(L->pages[L->npages].flow);
		arena_free(&L->pages[L->npages].text);
	}
	L->pages[s->fr.page].nboxes = s->nboxes;
	L->pages[s->fr.page].nflow = s->nflow;
	L->nanchors = s->nanchors;
	L->noutline = s->noutline;
	int *notes = st->fr.notes, cap = st->fr.cap;
	st->fr = s->fr;
	st->fr.notes = notes;
	st->fr.cap = cap;
	for (int i = 0; i < s->fr.nnotes && i < 64; i++)
		st->fr.notes[i] = s->notes[i];
	st->cols_top = s->cols_top;
	st->frame_bottom = s->frame_bottom;
	st->col_x = s->col_x;
	st->open_table = s->open_table;
	st->body_started = s->body_started;
	L->body_page = s->body_page;
}

/* Places items [0, nv) in columns of equal height on the current page, as far as they go:
 * what does not fit on this page fills pages normally first. */
static void S_fill_balanced(struct lay_ctx *st)
{
	int n = st->nv;
	if (n == 0)
		return;
	int *page_of = xmalloc((size_t)n * sizeof *page_of);
	struct S_snap snap;
	S_save(st, &snap);
	S_fill(st, 0, n, page_of);
	int last_page = st->fr.page;
	S_restore(st, &snap);
	int m = 0;
	while (m < n && page_of[m] < last_page)
		m++;
	free(page_of);
	if (m > 0) {
		S_fill(st, 0, m, NULL);
		if (st->fr.page < last_page || !st->fr.empty) {
			/* the rest goes on a fresh page, where it is balanced */
			while (st->fr.page < last_page)
				S_next_frame(st);
		}
	}
	if (st->fr.col != 0 || st->ncols < 2) {
		S_fill(st, m, n, NULL);
		return;
	}
	/* binary search of the smallest column height that holds the rest on this page */
	double top = st->fr.y, lo = 0, hi = st->bottom - top;
	S_save(st, &snap);
	for (int iter = 0; iter < 24 && hi - lo > 0.5; iter++) {
		double h = (lo + hi) / 2;
		st->fr.bottom = st->frame_bottom = top + h;
		st->cols_top = top;
		int page = st->fr.page;
		S_fill(st, m, n, NULL);
		int fits = st->fr.page == page;
		S_restore(st, &snap);
		if (fits)
			hi = h;
		else
			lo = h;
	}
	st->fr.bottom = st->frame_bottom = top + hi;
	st->cols_top = top;
	S_fill(st, m, n, NULL);
	/* what follows starts below the taller column */
	double end = top + hi;
	if (st->fr.col > 0 || st->fr.y > top) {
		S_frame_close(st);
		st->frame_bottom = st->bottom;
		S_frame_open(st, st->fr.page, 0, end, st->bottom);
		st->cols_top = end;
	}
}

static void S_place_span(struct lay_ctx *st);

void lay_pages_flush(struct lay_ctx *st, int balance)
{
	S_place_span(st);
	if (balance && st->ncols > 1)
		S_fill_balanced(st);
	else
		S_fill(st, 0, st->nv, NULL);
	st->nv = 0;
	for (size_t i = 0; i < st->owned_paras.n; i++) {
		lay_para_free(st->owned_paras.v[i]);
		free(st->owned_paras.v[i]);
	}
	st->owned_paras.n = 0;
	for (size_t i = 0; i < st->tables.n; i++)
		lay_table_free(st->tables.v[i]);
	st->tables.n = 0;
	for (size_t i = 0; i < st->figs.n; i++) {
		struct lay_fig *g = st->figs.v[i];
		free(g->boxes);
		free(g->labels);
		free(g);
	}
	st->figs.n = 0;
	/* the pages before the current one are finished */
	lay_pages_sink(st, st->fr.page);
	/* Footnotes set at the foot of a closed frame are done with (in one column, where no
	 * trial placement can take them back and no spanning material waits). */
	if (st->ncols == 1 && st->nspan == 0) {
		while (st->notes_freed < st->nnotes) {
			int i = st->notes_freed, pending = 0;
			for (int k = 0; k < st->fr.nnotes; k++)
				pending |= st->fr.notes[k] == i;
			if (pending)
				break;
			struct lay_note *n = &st->notes[i];
			lay_para_free(&n->p);
			lb_result_free(&n->res);
			n->done = 1;
			st->notes_freed++;
		}
	}
}

/* A page handed to the sink loses its boxes; its box array serves the next new page (no
 * regrowing it page after page). */
static void S_page_drop(struct lay_ctx *st, struct lay_page *pg)
{
	if (st->spare_boxes == NULL) {
		st->spare_boxes = pg->boxes;
		st->spare_cap = pg->cap;
	} else {
		free(pg->boxes);
	}
	pg->boxes = NULL;
	pg->nboxes = pg->cap = 0;
	arena_free(&pg->text);
}

void lay_pages_sink(struct lay_ctx *st, int upto)
{
	if (st->sink == NULL)
		return;
	for (; st->sunk < upto; st->sunk++) {
		st->sink->page(st->sink->ctx, st->L, st->sunk, 0);
		S_page_drop(st, &st->L->pages[st->sunk]);
	}
}

void lay_pages_sink_late(struct lay_ctx *st, int i)
{
	if (st->sink == NULL)
		return;
	if (st->L->pages[i].nboxes > 0)
		st->sink->page(st->sink->ctx, st->L, i, 1);
	S_page_drop(st, &st->L->pages[i]);
}

/* Spanning material (a heading across both columns) waits until the column material after
 * it is known: it is set full width below the columns, on a new page unless the first lines
 * that follow it fit under it. */
void lay_pages_span(struct lay_ctx *st)
{
	for (int i = 0; i < st->nv; i++) {
		if (st->nspan == st->span_cap) {
			st->span_cap = st->span_cap ? st->span_cap * 2 : 16;
			st->span = xrealloc(st->span, (size_t)st->span_cap * sizeof *st->span);
		}
		st->span[st->nspan++] = st->v[i];
	}
	st->nv = 0;
}

static void S_place_span(struct lay_ctx *st)
{
	if (st->nspan == 0)
		return;
	/* What must go below the columns on this page, or else all of it on the next: the
	 * spanning items' first chain (up to the first that does not keep with the next: a
	 * timeline's heading and first row, whose other rows may go on), and when that chain
	 * ends the run, the column material kept with it (a spanning heading is never left
	 * without the text it heads). */
	double h = 0, chain = 0;
	int i = 0;
	for (; i < st->nspan; i++) {
		h += st->span[i].h;
		if (!st->span[i].keep && st->span[i].kind != V_SPACE)
			break;
	}
	int whole = i >= st->nspan - 1;
	int k = 0;
	while (k < st->nv && st->v[k].kind == V_SPACE)
		k++;
	for (; k < st->nv; k++) {
		chain += st->v[k].h;
		if (!st->v[k].keep)
			break;
	}
	int page = st->fr.page;
	if (st->cols_top > st->top + 0.01 && st->cols_top + h + (whole ? chain : 0) > st->bottom) {
		S_frame_close(st);
		page = lay_new_page(st);
		st->cols_top = st->top;
	}
	int ncols = st->ncols;
	double col_w = st->col_w;
	st->ncols = 1;
	st->col_w = st->right - st->left;
	S_frame_open(st, page, 0, st->cols_top, st->bottom);
	st->fr.empty = st->cols_top <= st->top; /* keep the space between spanning blocks */
	/* the span items go through the filler on their own list */
	struct lay_vitem *v = st->v;
	int nv = st->nv, vcap = st->vcap;
	st->v = st->span;
	st->nv = st->nspan;
	st->fill_tail = whole ? 0 : chain; /* (the run's last chain keeps with that material) */
	S_fill(st, 0, st->nv, NULL);
	st->fill_tail = 0;
	st->span = st->v;
	st->v = v;
	st->nv = nv;
	st->vcap = vcap;
	st->nspan = 0;
	double end = st->fr.y;
	page = st->fr.page;
	S_frame_close(st);
	st->ncols = ncols;
	st->col_w = col_w;
	st->cols_top = end;
	st->frame_bottom = st->bottom;
	S_frame_open(st, page, 0, end, st->bottom);
}

void lay_pages_start(struct lay_ctx *st)
{
	int page = lay_new_page(st);
	st->cols_top = st->top;
	st->frame_bottom = st->bottom;
	S_frame_open(st, page, 0, st->top, st->bottom);
}

void lay_pages_finish(struct lay_ctx *st)
{
	lay_pages_flush(st, 1);
	S_frame_close(st);
	free(st->fr.notes);
	st->fr.notes = NULL;
	free(st->span);
	st->span = NULL;
}
