/* layout.c: turns the document tree's blocks into the vertical list (paragraph lines, tables,
 * contents, footnotes), runs the page builder and sets the running heads. */
#include "lay_int.h"
#include "tlplace.h"
#include "../base/util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- footnotes ---- */

int lay_note_add(struct lay_ctx *st, const struct doc_node *n)
{
	if (st->nnotes == st->notes_cap) {
		st->notes_cap = st->notes_cap ? st->notes_cap * 2 : 16;
		st->notes = xrealloc(st->notes, (size_t)st->notes_cap * sizeof *st->notes);
	}
	struct lay_note *note = &st->notes[st->nnotes++];
	memset(note, 0, sizeof *note);
	int k = st->nnotes;
	note->label = n->label ? n->label : arena_printf(&st->L->arena, "%d", k);
	note->anchor = n->anchor ? n->anchor : arena_printf(&st->L->arena, "note-%d", k);
	note->b = style_block(st->s, "note");
	lay_para_build(st, &note->p, n, note->b, note->label);
	lay_para_break(st, &note->p, note->b, st->col_w, 0, &note->res, n->line);
	note->height = note->res.nlines * note->b->leading + note->b->space_after;
	return k;
}

/* ---- paragraphs into lines ---- */

static void S_space(struct lay_ctx *st, double before)
{
	double h = fmax(st->pending_space, before);
	st->pending_space = 0;
	if (h <= 0)
		return;
	int keep = st->nv > 0 && st->v[st->nv - 1].keep;
	lay_v_push(st, V_SPACE, h)->keep = keep;
}

struct S_opts {
	const char *label;      /* heading number before the text */
	const char *hang;       /* list label in the margin */
	double extra_left;      /* list indent */
	const char *anchor;
	int outline_level;      /* > 0: an outline entry */
	const char *outline_title;
	int keep_all;           /* the lines never part (headings, short quotes) */
	int keep_next;          /* the last line keeps with what follows */
	int toc;                /* contents entry number (1-based) */
	double right_reserve;   /* room kept free at the right (contents page numbers) */
};

static struct lay_para *S_owned_para(struct lay_ctx *st)
{
	struct lay_para *p = xcalloc(1, sizeof *p);
	vec_push(&st->owned_paras, p);
	return p;
}

/* Breaks a paragraph-like node and appends its lines to the vertical list. */
static void S_lines(struct lay_ctx *st, const struct doc_node *n, const struct style_block *b,
	const struct S_opts *o)
{
	struct lay_para *p = S_owned_para(st);
	lay_para_build(st, p, n, b, o->label);
	double x0 = b->indent_left + o->extra_left;
	double width = st->col_w - b->indent_right - x0 - o->right_reserve;
	if (width < 36)
		width = 36;
	struct lb_result res;
	lay_para_break(st, p, b, width, b->first_indent, &res, n->line);
	S_space(st, b->space_before);
	struct lay_para *hang = NULL;
	double hang_x = 0;
	if (o->hang != NULL) {
		hang = S_owned_para(st);
		struct style_block lb = *b;
		lb.align = ALIGN_LEFT;
		lay_para_text(st, hang, &lb, o->hang);
		double lw = hang->nitems ? hang->items[0].width : 0;
		hang_x = x0 - lw - b->size * 0.5;
	}
	int nl = res.nlines, from = 0;
	int para_id = ++st->nparas;
	int orphans = st->s->orphans, widows = st->s->widows;
	for (int i = 0; i < nl; i++) {
		int last = i == nl - 1;
		double fi = i == 0 ? b->first_indent : 0;
		struct lay_vitem *it = lay_v_push(st, V_LINE, b->leading);
		it->p = p;
		it->from = from;
		it->to = res.lines[i].end;
		it->ratio = res.lines[i].ratio;
		it->x0 = x0 + fi;
		it->width = width - fi;
		it->align = b->align;
		it->justify = b->align == ALIGN_JUSTIFY && (!last || res.lines[i].ratio < 0);
		it->leading = b->leading;
		it->flow = (struct lay_flow){.kind = 'l', .id = para_id, .line = i + 1, .lines = nl,
			.cls = b->cls};
		/* Orphans: the first lines stay together; widows: so do the last ones. */
		int keep_next = o->keep_next || b->keep_with_next;
		it->keep = o->keep_all ? !last || keep_next
			: last ? keep_next
			: (i + 1 < orphans) || (nl - 1 - i < widows);
		if (i == 0) {
			it->hang = hang;
			it->hang_x = hang_x;
			it->anchor = o->anchor;
			it->outline_level = o->outline_level;
			it->outline_title = o->outline_title;
		}
		if (last)
			it->toc = o->toc;
		from = res.lines[i].end + 1;
	}
	lb_result_free(&res);
	st->pending_space = b->space_after;
}

/* ---- tables ---- */

struct S_cell {
	struct lay_para p;
	const struct style_block *b;
	struct lb_result res;
	const struct doc_node *n;
	double nat, min;
};

struct lay_table {
	int nrows, ncols, nheader;
	struct S_cell *cells;
	const struct doc_node **rows;
	double *cx, *cw; /* column offsets from the frame's left edge, and widths */
	double *rh;      /* row heights */
	double pad;
	int id;
};

double lay_row_height(const struct lay_table *t, int row)
{
	return t->rh[row];
}

int lay_table_header_rows(const struct lay_table *t)
{
	return t->nheader;
}

int lay_table_id(const struct lay_table *t)
{
	return t->id;
}

int lay_table_rows(const struct lay_table *t)
{
	return t->nrows;
}

int lay_table_last_row(const struct lay_table *t, int row)
{
	return row == t->nrows - 1;
}

int lay_row_notes(const struct lay_table *t, int row, int *list, int max)
{
	int n = 0;
	for (int c = 0; c < t->ncols; c++) {
		const struct lay_para *p = &t->cells[row * t->ncols + c].p;
		for (int i = 0; i < p->npiece && n < max; i++)
			if (p->pieces[i].note > 0)
				list[n++] = p->pieces[i].note - 1;
	}
	return n;
}

void lay_row_emit(struct lay_ctx *st, struct lay_table *t, int row, double x_left, double top)
{
	for (int c = 0; c < t->ncols; c++) {
		struct S_cell *cell = &t->cells[row * t->ncols + c];
		if (cell->p.nitems == 0)
			continue;
		enum style_align al = cell->b->align;
		if (cell->n->flags & DOC_ALIGN_RIGHT)
			al = ALIGN_RIGHT;
		else if (cell->n->flags & DOC_ALIGN_CENTER)
			al = ALIGN_CENTER;
		int from = 0;
		double y = top + t->pad;
		for (int i = 0; i < cell->res.nlines; i++) {
			st->y = y;
			lay_para_emit(st, &cell->p, from, cell->res.lines[i].end, 0, x_left + t->cx[c] + t->pad,
				t->cw[c] - 2 * t->pad, al, cell->b->leading, 0);
			from = cell->res.lines[i].end + 1;
			y += cell->b->leading;
		}
	}
	if (row < t->nrows && t->rows[row]->anchor)
		lay_anchor_add(st, t->rows[row]->anchor, st->page, top);
}

void lay_table_free(struct lay_table *t)
{
	for (int i = 0; i < t->nrows * t->ncols; i++) {
		lb_result_free(&t->cells[i].res);
		lay_para_free(&t->cells[i].p);
	}
	free(t->cells);
	free(t->rows);
	free(t->cx);
	free(t->cw);
	free(t->rh);
	free(t);
}

static void S_rule(struct lay_ctx *st, double lw, int keep)
{
	struct lay_vitem *r = lay_v_push(st, V_RULE, 0);
	r->lw = lw;
	r->color = st->s->rule_color;
	r->keep = keep;
}

static void S_table(struct lay_ctx *st, const struct doc_node *tn)
{
	const struct style *s = st->s;
	const struct doc_node *caption;
	int nrows, ncols;
	doc_table_size(tn, &nrows, &ncols, &caption);
	if (nrows == 0 || ncols == 0)
		return;
	struct lay_table *t = xcalloc(1, sizeof *t);
	vec_push(&st->tables, t);
	st->ntables++;
	t->id = st->ntables;
	t->nrows = nrows;
	t->ncols = ncols;
	t->pad = s->cell_padding;
	t->cells = xcalloc((size_t)nrows * (size_t)ncols, sizeof *t->cells);
	t->rows = xmalloc((size_t)nrows * sizeof *t->rows);
	t->cx = xcalloc((size_t)ncols, sizeof *t->cx);
	t->cw = xcalloc((size_t)ncols, sizeof *t->cw);
	t->rh = xcalloc((size_t)nrows, sizeof *t->rh);
	double *nat = xcalloc((size_t)ncols, sizeof *nat), *mn = xcalloc((size_t)ncols, sizeof *mn);
	double pad = t->pad;
	int ri = 0;
	for (const struct doc_node *r = tn->first; r; r = r->next) {
		if (r->type != DOC_ROW)
			continue;
		t->rows[ri] = r;
		int ci = 0;
		for (const struct doc_node *c = r->first; c; c = c->next, ci++) {
			struct S_cell *cell = &t->cells[ri * ncols + ci];
			cell->n = c;
			cell->b = style_block(s, c->cls ? c->cls : "cell");
			lay_para_build(st, &cell->p, c, cell->b, NULL);
			lay_para_measure(&cell->p, &cell->nat, &cell->min);
			if (cell->nat + 2 * pad > nat[ci])
				nat[ci] = cell->nat + 2 * pad;
			if (cell->min + 2 * pad > mn[ci])
				mn[ci] = cell->min + 2 * pad;
		}
		for (; ci < ncols; ci++) {
			struct S_cell *cell = &t->cells[ri * ncols + ci];
			cell->n = r;
			cell->b = style_block(s, "cell");
		}
		ri++;
	}
	/* Column widths: natural if they fit, else share the room between minimum and natural. */
	double avail = st->col_w, snat = 0, smin = 0;
	for (int c = 0; c < ncols; c++)
		snat += nat[c], smin += mn[c];
	for (int c = 0; c < ncols; c++) {
		if (snat <= avail)
			t->cw[c] = nat[c] + (avail - snat) * (nat[c] / snat);
		else if (smin <= avail)
			t->cw[c] = mn[c] + (nat[c] - mn[c]) * ((avail - smin) / (snat - smin));
		else
			t->cw[c] = avail * (mn[c] / smin);
	}
	if (smin > avail)
		diag_emit(st->d, D_TABLE_WIDE, st->file, tn->line, 0, ncols);
	for (int c = 1; c < ncols; c++)
		t->cx[c] = t->cx[c - 1] + t->cw[c - 1];
	double total = 0;
	for (int r = 0; r < nrows; r++) {
		double h = 0;
		for (int c = 0; c < ncols; c++) {
			struct S_cell *cell = &t->cells[r * ncols + c];
			if (cell->p.nitems > 0)
				lay_para_break(st, &cell->p, cell->b, t->cw[c] - 2 * pad, 0, &cell->res,
					cell->n->line);
			double ch = cell->res.nlines * cell->b->leading;
			if (ch > h)
				h = ch;
		}
		t->rh[r] = h + 2 * pad;
		total += t->rh[r];
	}
	free(nat);
	free(mn);
	while (t->nheader < nrows && (t->rows[t->nheader]->flags & DOC_HEADER))
		t->nheader++;
	/* A table that fits in a frame is kept whole; a longer one breaks between rows. */
	int whole = total <= st->bottom - st->top;
	if (caption != NULL) {
		struct S_opts o = {.keep_all = 1, .keep_next = 1};
		S_lines(st, caption, style_block(s, "caption"), &o);
	}
	S_space(st, 4);
	S_rule(st, s->rule_width * 1.6, 1);
	for (int r = 0; r < nrows; r++) {
		struct lay_vitem *it = lay_v_push(st, V_ROW, t->rh[r]);
		it->table = t;
		it->row = r;
		it->flow = (struct lay_flow){.kind = 'r', .id = st->ntables, .line = r + 1,
			.lines = nrows, .cls = r < t->nheader ? "th" : "cell"};
		it->keep = whole || r < t->nheader || r == nrows - 1 || r == t->nheader;
		if (r == t->nheader - 1)
			S_rule(st, s->rule_width, 1);
	}
	S_rule(st, s->rule_width * 1.6, 0);
	st->pending_space = 8;
}

/* ---- contents ---- */

static void S_toc_collect(const struct doc_node *n, int depth, struct vec *out)
{
	for (const struct doc_node *c = n->first; c; c = c->next) {
		if (c->type != DOC_SECTION)
			continue;
		if (c->level <= depth) {
			if (c->anchor != NULL)
				vec_push(out, (void *)c);
			S_toc_collect(c, depth, out);
		}
	}
}

static void S_toc(struct lay_ctx *st, const struct doc *doc)
{
	const struct style *s = st->s;
	struct vec secs = {0};
	S_toc_collect(doc->root, s->toc_depth, &secs);
	struct doc_node title = {.type = DOC_HEADING};
	struct doc_node tt = {.type = DOC_TEXT, .text = "Contents"};
	title.first = title.last = &tt;
	struct S_opts o = {.keep_all = 1, .keep_next = 1, .anchor = "contents", .outline_level = 1,
		.outline_title = "Contents"};
	S_lines(st, &title, style_block(s, "h1"), &o);
	double reserve = font_text_width(st->f, font_face(st->f, 0, 0, 0), 10, "0000", 4) + 12;
	for (size_t i = 0; i < secs.n; i++) {
		const struct doc_node *sec = secs.v[i];
		const struct doc_node *h = sec->first;
		if (st->ntoc == st->toc_cap) {
			st->toc_cap = st->toc_cap ? st->toc_cap * 2 : 32;
			st->toc = xrealloc(st->toc, (size_t)st->toc_cap * sizeof *st->toc);
		}
		const struct style_block *b = style_block(s, sec->level == 1 ? "toc1" : "toc2");
		struct lay_tocent *e = &st->toc[st->ntoc++];
		memset(e, 0, sizeof *e);
		e->anchor = sec->anchor;
		e->size = b->size;
		e->leading = b->leading;
		e->face = font_face(st->f, b->font, b->bold, b->italic);
		e->color = b->color;
		e->page = -1;
		struct S_opts eo = {.label = h->label, .toc = st->ntoc, .right_reserve = reserve,
			.keep_all = 1};
		S_lines(st, h, b, &eo);
	}
	vec_free(&secs);
}

/* The contents made of items [first, nv), set with the front matter (toc="front"): kept
 * whole, so that it stays on the front matter's page when it fits in what is left there
 * and starts the next page when it does not; one taller than a page starts a page of its
 * own and runs on. */
static void S_toc_front(struct lay_ctx *st, int first)
{
	double h = 0;
	for (int i = first; i < st->nv; i++)
		h += st->v[i].h;
	if (h > st->bottom - st->top) {
		lay_v_push(st, V_PAGEBREAK, 0);
		struct lay_vitem brk = st->v[st->nv - 1];
		memmove(&st->v[first + 1], &st->v[first], (size_t)(st->nv - 1 - first) * sizeof *st->v);
		st->v[first] = brk;
		return;
	}
	for (int i = first; i + 1 < st->nv; i++)
		st->v[i].keep = 1;
}

/* Page numbers, dot leaders and links of the contents, once every page is known. */
static void S_toc_fill(struct lay_ctx *st)
{
	for (int i = 0; i < st->ntoc; i++) {
		struct lay_tocent *e = &st->toc[i];
		const struct lay_anchor *a = lay_anchor(st->L, e->anchor);
		if (e->page < 0 || a == NULL)
			continue;
		char num[32];
		lay_page_label(st->L, a->page, num, sizeof num);
		double nw = font_text_width(st->f, e->face, e->size, num, strlen(num));
		/* the baseline of the entry's last line, as lay_para_emit sets it */
		double baseline = st->L->page_h - (e->y + (e->leading - e->size) / 2 + e->size * 0.8);
		struct lay_box *b = lay_box_new(st, e->page, LAY_TEXT);
		b->x = e->x_right - nw;
		b->y = baseline;
		b->w = nw;
		b->face = e->face;
		b->size = e->size;
		b->color = e->color;
		b->text = arena_strdup(&st->L->arena, num);
		/* leaders on a grid, so that the dots of all entries line up */
		double step = e->size * 0.5;
		double x = ceil((e->x_end + step) / step) * step;
		double dotw = font_text_width(st->f, e->face, e->size, ".", 1);
		double num_x = b->x; /* (b may move: more boxes are added below) */
		for (; x + dotw < num_x - step; x += step) {
			struct lay_box *d = lay_box_new(st, e->page, LAY_TEXT);
			d->x = x;
			d->y = baseline;
			d->w = dotw;
			d->face = e->face;
			d->size = e->size;
			d->color = e->color;
			d->text = ".";
		}
		struct lay_box *ln = lay_box_new(st, e->page, LAY_LINK);
		ln->x = e->x_left;
		ln->y = baseline - e->size * 0.3;
		ln->w = e->x_right - e->x_left;
		ln->h = e->size * 1.2;
		ln->target = e->anchor;
		ln->internal = 1;
	}
}

/* ---- the timeline ---- */

/* A timeline item's label: its paragraph, and its lines when it is wider than the axis. */
struct S_tl {
	struct lay_para *label;
	struct lb_result wrap; /* (at.lines > 1) */
};

static struct lay_box *S_fig_box(struct lay_fig *g, enum lay_kind kind)
{
	if (g->nboxes == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 32;
		g->boxes = xrealloc(g->boxes, (size_t)g->cap * sizeof *g->boxes);
	}
	struct lay_box *b = &g->boxes[g->nboxes++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	return b;
}

static void S_fig_text(struct lay_ctx *st, struct lay_fig *g, const char *text, double x,
	double baseline, double size, struct style_color color, int face, int centred)
{
	double w = font_text_width(st->f, face, size, text, strlen(text));
	struct lay_box *b = S_fig_box(g, LAY_TEXT);
	b->x = centred ? x - w / 2 : x;
	b->y = baseline;
	b->w = w;
	b->face = face;
	b->size = size;
	b->color = color;
	b->text = text;
}

static void S_timeline(struct lay_ctx *st, const struct doc_node *tl)
{
	const struct style *s = st->s;
	const struct style_block *b = style_block(s, "timeline");
	const struct doc_node **items;
	struct tl_item *at; /* (placed by tl_row, row by row) */
	int n = tl_items(tl, &items, &at);
	if (n == 0)
		return;
	struct S_tl *it = xcalloc((size_t)n, sizeof *it);
	for (int k = 0; k < n; k++) {
		const struct doc_node *c = items[k];
		char when[64];
		date_format(c->date, when, sizeof when);
		it[k].label = S_owned_para(st);
		lay_para_build(st, it[k].label, c, b, arena_strdup(&st->L->arena, when));
		double mn, wrap = st->col_w - 12 - 3; /* (the axis, less the gap to the leader) */
		lay_para_measure(it[k].label, &at[k].lw, &mn);
		if (at[k].lw > wrap) {
			/* wider than the axis: in lines of its width, alone on its row */
			lay_para_break(st, it[k].label, b, wrap, 0, &it[k].wrap, c->line);
			at[k].lines = it[k].wrap.nlines;
			at[k].lw = wrap;
		}
	}
	long axis_end = tl->date_end ? date_days(tl->date_end) : 0;
	double x0 = 6, x1 = st->col_w - 6;
	double lane_h = b->leading + 2, tick_size = b->size * 0.9;
	struct style_color grey = {0.55, 0.55, 0.55}, red = {0.62, 0.12, 0.12};
	struct style_color axis = s->rule_color, mark = s->link_color;
	int face = font_face(st->f, b->font, b->bold, b->italic);
	int marks = font_face(st->f, 0, 0, 0);
	S_space(st, 6);
	int from = 0, rows = 0;
	int *row_item = xmalloc((size_t)n * sizeof *row_item); /* (each row's vertical item) */
	while (from < n) {
		/* as many items as fit in TL_LANES lanes of labels */
		long lo, hi;
		int lanes, to = from + tl_row(at + from, n - from, x0, x1, axis_end, &lo, &hi, &lanes);
		struct lay_fig *g = xcalloc(1, sizeof *g);
		vec_push(&st->figs, g);
		double axis_y = lanes * lane_h + 6;
		/* labels, lane 0 nearest the axis, with leaders down to their markers */
		for (int i = from; i < to; i++) {
			double top = axis_y - 5 - (at[i].lane + 1) * lane_h;
			int nl = at[i].lines > 1 ? at[i].lines : 1, first = 0;
			for (int j = 0; j < nl; j++) { /* (the first line highest, the last at the lane) */
				if (g->nlabels == g->lcap) {
					g->lcap = g->lcap ? g->lcap * 2 : 16;
					g->labels = xrealloc(g->labels, (size_t)g->lcap * sizeof *g->labels);
				}
				int last = nl > 1 ? it[i].wrap.lines[j].end : it[i].label->nitems - 1;
				g->labels[g->nlabels].p = it[i].label;
				g->labels[g->nlabels].from = first;
				g->labels[g->nlabels].to = last;
				g->labels[g->nlabels].x = at[i].lx;
				g->labels[g->nlabels].y = top - (nl - 1 - j) * lane_h;
				g->labels[g->nlabels].width = at[i].lw;
				g->labels[g->nlabels].lead = b->leading;
				g->labels[g->nlabels].link = items[i]->target;
				g->nlabels++;
				first = last + 1;
			}
			struct lay_box *l = S_fig_box(g, LAY_RULE);
			l->x = at[i].x;
			l->y = axis_y;
			l->w = 0;
			l->h = axis_y - (top + b->leading);
			l->size = 0.3;
			l->color = grey;
		}
		/* the axis, ranges as bars, markers */
		struct lay_box *a = S_fig_box(g, LAY_RULE);
		a->x = x0 - 4;
		a->y = axis_y;
		a->w = x1 - x0 + 8;
		a->size = 0.8;
		a->color = axis;
		for (int i = from; i < to; i++) {
			const char *cls = items[i]->cls ? items[i]->cls : "event";
			if (at[i].end > at[i].day) {
				struct lay_box *r = S_fig_box(g, LAY_RULE);
				r->x = at[i].x;
				r->y = axis_y;
				r->w = at[i].xe - at[i].x;
				r->size = 3;
				r->color = mark;
			}
			int deadline = strcmp(cls, "deadline") == 0, pending = strcmp(cls, "pending") == 0;
			const char *glyph = pending ? "\u25C7" : deadline ? "\u25C6"
				: strcmp(cls, "signing") == 0 ? "\u25CF" : "\u25A0";
			S_fig_text(st, g, glyph, at[i].x, axis_y + 2.5, 7, deadline || pending ? red : mark,
				font_cover(st->f, marks, 0x25C6) >= 0 ? font_cover(st->f, marks, 0x25C6) : marks, 1);
		}
		/* ticks at month starts, labelled where there is room */
		double last_end = -1e9;
		long span = hi > lo ? hi - lo : 1;
		struct date_tick *tk;
		int ntk = date_ticks(items[from]->date, lo, hi, &tk);
		for (int k = 0; k < ntk; k++) {
			double x = x0 + (x1 - x0) * (double)(tk[k].day - lo) / (double)span;
			struct lay_box *t = S_fig_box(g, LAY_RULE);
			t->x = x;
			t->y = axis_y + 3;
			t->h = 6;
			t->size = 0.4;
			t->color = axis;
			const char *lab = arena_printf(&st->L->arena, "%s %d", tk[k].abbr, tk[k].year);
			double w = font_text_width(st->f, face, tick_size, lab, strlen(lab));
			if (tl_tick_shown(x, w, st->col_w, &last_end))
				S_fig_text(st, g, lab, x, axis_y + 5 + tick_size, tick_size, grey, face, 1);
		}
		free(tk);
		row_item[rows++] = st->nv;
		struct lay_vitem *v = lay_v_push(st, V_FIGURE, axis_y + 8 + tick_size * 1.4);
		v->fig = g;
		v->flow = (struct lay_flow){.kind = 'f', .id = from + 1, .line = to, .lines = n,
			.cls = "timeline"};
		from = to;
	}
	for (int r = 0; r < rows; r++) /* (known once every row is made) */
		st->v[row_item[r]].keep = tl_row_keeps(r, rows);
	free(row_item);
	for (int i = 0; i < n; i++)
		lb_result_free(&it[i].wrap);
	free(it);
	free(at);
	free(items);
	st->pending_space = 6;
}

/* ---- blocks ---- */

static int S_spans(const struct lay_ctx *st, const char *cls)
{
	return st->ncols > 1 && cls != NULL && st->s->span != NULL && strstr(st->s->span, cls) != NULL;
}

static void S_blocks(struct lay_ctx *st, const struct doc_node *n, const struct doc *doc);

/* In one column the vertical list is placed between blocks once it holds a few dozen items
 * and nothing keeps its end with what follows: the material placed is freed, and finished
 * pages go to the sink. (Placing in batches gives the same pages: a keep chain never
 * crosses a batch's end.) Columns are balanced per section and keep flushing there. */
#define S_FLUSH_ITEMS 64

static void S_block(struct lay_ctx *st, const struct doc_node *n, const struct doc *doc)
{
	const struct style *s = st->s;
	if (st->ncols == 1 && !st->in_quote && st->nv >= S_FLUSH_ITEMS && !st->v[st->nv - 1].keep)
		lay_pages_flush(st, 0);
	switch (n->type) {
	case DOC_SECTION: {
		const struct doc_node *h = n->first;
		const struct style_block *hb = style_block(s, h->cls ? h->cls : "h1");
		/* (a section that opens with a timeline, which spans the columns: its heading
		 * spans with it, so that the two stay together) */
		int before_timeline = st->ncols > 1 && h->next != NULL && h->next->type == DOC_TIMELINE;
		int span = S_spans(st, h->cls) || before_timeline;
		if (n->level == 1 || span)
			lay_pages_flush(st, span); /* placed sections free their material */
		char *title = doc_plain_text((struct doc *)doc, h);
		struct S_opts o = {.label = h->label, .anchor = n->anchor, .keep_all = 1,
			.keep_next = 1, .outline_level = n->level,
			.outline_title = h->label ? arena_printf(&st->L->arena, "%s %s", h->label, title)
				: arena_strdup(&st->L->arena, title)};
		if (span) {
			double col_w = st->col_w;
			st->col_w = st->right - st->left;
			S_lines(st, h, hb, &o);
			st->col_w = col_w;
			st->v[st->nv - 1].keep = before_timeline; /* (columns: S_place_span keeps them) */
			lay_pages_span(st);
		} else {
			S_lines(st, h, hb, &o);
		}
		for (const struct doc_node *c = h->next; c; c = c->next)
			S_block(st, c, doc);
		break;
	}
	case DOC_PARA: {
		struct S_opts o = {.anchor = n->anchor};
		if (S_spans(st, n->cls)) {
			/* across all columns: the title block of a multi-column style */
			lay_pages_flush(st, 1);
			double col_w = st->col_w;
			st->col_w = st->right - st->left;
			S_lines(st, n, style_block(s, n->cls), &o);
			st->col_w = col_w;
			lay_pages_span(st);
			break;
		}
		S_lines(st, n, style_block(s, n->cls ? n->cls : "body"), &o);
		break;
	}
	case DOC_LIST:
		for (const struct doc_node *c = n->first; c; c = c->next) {
			struct S_opts o = {.hang = c->label, .extra_left = s->list_indent, .anchor = c->anchor};
			S_lines(st, c, style_block(s, c->cls ? c->cls : "item"), &o);
		}
		st->pending_space = fmax(st->pending_space, style_block(s, "body")->space_after);
		break;
	case DOC_TABLE:
		S_table(st, n);
		break;
	case DOC_QUOTE: {
		/* a quotation that fits in a frame is kept whole */
		st->pending_space = fmax(st->pending_space, 4);
		int first = st->nv;
		st->in_quote++;
		S_blocks(st, n, doc);
		st->in_quote--;
		double total = 0;
		for (int i = first; i < st->nv; i++)
			total += st->v[i].h;
		if (total <= st->bottom - st->top)
			for (int i = first; i + 1 < st->nv; i++)
				st->v[i].keep = 1;
		break;
	}
	case DOC_TOC:
		if (s->toc_mode == TOC_NONE) {
			lay_v_push(st, V_BODY, 0);
			break;
		}
		if (s->toc_mode == TOC_OWN_PAGE)
			lay_v_push(st, V_PAGEBREAK, 0);
		else if (s->toc_mode == TOC_INLINE)
			lay_v_push(st, V_BODY, 0);
		if (s->toc_mode != TOC_FRONT)
			st->pending_space = 0;
		int first = st->nv;
		S_toc(st, doc);
		if (s->toc_mode == TOC_FRONT)
			S_toc_front(st, first);
		if (s->toc_mode == TOC_OWN_PAGE || s->toc_mode == TOC_FRONT) {
			lay_v_push(st, V_PAGEBREAK, 0);
			lay_v_push(st, V_BODY, 0);
			st->pending_space = 0;
		}
		break;
	case DOC_TIMELINE:
		if (st->ncols > 1) {
			/* a timeline needs the page's width: across the columns, after the column
			 * material before it; a spanning heading just before it (its section's, which
			 * keeps with it) is set with it, in the same run of spanning material */
			if (st->nv > 0)
				lay_pages_flush(st, 1);
			int kept = st->nspan > 0 && st->span[st->nspan - 1].keep, first = st->nv;
			double col_w = st->col_w;
			st->col_w = st->right - st->left;
			S_timeline(st, n);
			st->col_w = col_w;
			if (kept && first < st->nv)
				st->v[first].keep = 1; /* (the space above the first row) */
			lay_pages_span(st);
		} else {
			S_timeline(st, n);
		}
		break;
	case DOC_IMAGE: {
		/* at 150 dpi unless the source gives a width; never wider than the column, nor
		 * taller than most of a page */
		double w = n->width < 1.0 ? st->col_w * n->width : fmin(st->col_w, n->px_w * 72.0 / 150);
		double h = w * n->px_h / (n->px_w > 0 ? n->px_w : 1);
		double maxh = (st->bottom - st->top) * 0.7;
		if (h > maxh) {
			w *= maxh / h;
			h = maxh;
		}
		S_space(st, 6);
		struct lay_vitem *it = lay_v_push(st, V_IMAGE, h + 4);
		it->image = n->target;
		it->width = w;
		it->x0 = (st->col_w - w) / 2;
		it->anchor = n->anchor;
		it->flow = (struct lay_flow){.kind = 'i', .id = 0, .line = 1, .lines = 1, .cls = "image"};
		if (n->first != NULL) {
			it->keep = 1;
			struct S_opts o = {0};
			const struct style_block *cb = style_block(s, "caption");
			struct style_block centred = *cb;
			centred.align = ALIGN_CENTER;
			S_lines(st, n, &centred, &o);
		}
		st->pending_space = fmax(st->pending_space, 6);
		break;
	}
	case DOC_RULE:
		S_space(st, 4);
		S_rule(st, s->rule_width, 0);
		st->pending_space = 6;
		break;
	default:
		break;
	}
}

static void S_blocks(struct lay_ctx *st, const struct doc_node *n, const struct doc *doc)
{
	for (const struct doc_node *c = n->first; c; c = c->next)
		S_block(st, c, doc);
}

/* ---- page labels and running heads ---- */

void lay_page_label(const struct layout *l, int page, char *out, size_t n)
{
	if (page < l->body_page)
		roman_numeral(page + 1, 0, out, n);
	else
		snprintf(out, n, "%d", page - l->body_page + 1);
}

/* Expands a template's fields: {short-title}, {title}, {page}, {pages} (the number of the
 * last page numbered as this one: of the front matter or of the body), {section}, {date},
 * {classification}, {as-of} ("Situation as of ..." in a dated snapshot, else nothing). */
static char *S_expand(const char *tpl, const struct doc *doc, const struct layout *l, int page,
	const char *section)
{
	struct buf b = {0};
	for (const char *p = tpl; *p;) {
		const char *e;
		if (*p == '{' && (e = strchr(p, '}')) != NULL) {
			size_t n = (size_t)(e - p - 1);
			char num[32];
			if (n == 11 && strncmp(p + 1, "short-title", n) == 0)
				buf_puts(&b, doc->short_title ? doc->short_title : "");
			else if (n == 5 && strncmp(p + 1, "title", n) == 0)
				buf_puts(&b, doc->title ? doc->title : "");
			else if (n == 4 && strncmp(p + 1, "page", n) == 0) {
				lay_page_label(l, page, num, sizeof num);
				buf_puts(&b, num);
			} else if (n == 5 && strncmp(p + 1, "pages", n) == 0) {
				/* the last number of this page's numbering: "ii" in the front matter */
				lay_page_label(l, page < l->body_page ? l->body_page - 1 : l->npages - 1, num,
					sizeof num);
				buf_puts(&b, num);
			}
			else if (n == 7 && strncmp(p + 1, "section", n) == 0)
				buf_puts(&b, section ? section : "");
			else if (n == 5 && strncmp(p + 1, "as-of", n) == 0)
				buf_puts(&b, doc->as_of ? doc->as_of : "");
			else if (n == 14 && strncmp(p + 1, "classification", n) == 0)
				buf_puts(&b, doc->classification ? doc->classification : "");
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
static void S_running(struct lay_ctx *st, const char *tpl, const char *cls, double top,
	const struct doc *doc, int page, const char *section)
{
	if (tpl == NULL || tpl[0] == '\0')
		return;
	char *text = S_expand(tpl, doc, st->L, page, section);
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
	static const enum style_align three[] = {ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT};
	const struct style_block *b = style_block(st->s, cls);
	for (int i = 0; i < np; i++) {
		if (parts[i][0] == '\0')
			continue;
		enum style_align al = np == 1 ? ALIGN_CENTER
			: np == 2 ? (i == 0 ? ALIGN_LEFT : ALIGN_RIGHT) : three[i];
		struct lay_para p = {0};
		struct style_block bb = *b;
		bb.align = al;
		lay_para_text(st, &p, &bb, parts[i]);
		st->page = page;
		st->y = top;
		lay_para_emit(st, &p, 0, p.nitems - 1, 0, st->left, st->right - st->left, al, b->leading, 0);
		lay_para_free(&p);
	}
	free(text);
}

static void S_running_heads(struct lay_ctx *st, const struct doc *doc)
{
	const struct style *s = st->s;
	struct layout *L = st->L;
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
		if (pg > 0 || !s->first_page_plain)
			S_running(st, s->header, "header", s->header_offset, doc, pg, shown);
		S_running(st, s->footer, "footer",
			s->page_h - s->footer_offset - style_block(s, "footer")->leading, doc, pg, shown);
		lay_pages_sink_late(st, pg); /* the page is complete */
	}
}

/* The anchors by name, the first of each name, once the pages are placed (the anchors are
 * final then: trial placements take theirs back before). */
static void S_index_anchors(struct layout *l)
{
	for (int i = 0; i < l->nanchors; i++) {
		const char *name = l->anchors[i].name;
		struct bmap_slot *slot = bmap_slot(&l->anchor_index, name, strlen(name));
		if (slot->key == NULL) {
			bmap_claim(&l->anchor_index, slot, name, strlen(name));
			slot->value = &l->anchors[i];
		}
	}
}

static struct layout *S_run(const struct doc *doc, const struct style *s, struct fonts *f,
	const char *file, struct diags *d, const struct layout *prev, int *pagerefs,
	const struct lay_sink *sink)
{
	struct layout *L = xcalloc(1, sizeof *L);
	L->page_w = s->page_w;
	L->page_h = s->page_h;
	struct lay_ctx st = {.L = L, .s = s, .f = f, .file = file, .d = d, .prev = prev,
		.sink = sink};
	st.left = s->margin_inner;
	st.right = s->page_w - s->margin_outer;
	st.top = s->margin_top;
	st.bottom = s->page_h - s->margin_bottom;
	st.ncols = s->columns > 1 ? s->columns : 1;
	st.col_gap = s->column_gap;
	st.col_w = (st.right - st.left - (st.ncols - 1) * st.col_gap) / st.ncols;
	st.doc_lang = doc->lang ? doc->lang : "en";
	st.hy = s->hyphenate ? font_hyphenator(f) : NULL; /* (the fonts own it) */
	lay_pages_start(&st);
	S_blocks(&st, doc->root, doc);
	lay_pages_finish(&st);
	S_index_anchors(L);
	if (!st.body_started)
		L->body_page = 0;
	lay_pages_sink(&st, L->npages);
	/* late material: the contents' page numbers, the running heads (which may count pages) */
	S_toc_fill(&st);
	S_running_heads(&st, doc); /* (hands each page's late material on as it is made) */
	if (st.nwarned > LAY_MAX_CHAR_WARNINGS)
		diag_emit(d, D_GLYPH_MORE, file, 0, 0, st.nwarned - LAY_MAX_CHAR_WARNINGS);
	free(st.warned);
	for (int i = 0; i < st.nnotes; i++) {
		if (st.notes[i].done)
			continue;
		lay_para_free(&st.notes[i].p);
		lb_result_free(&st.notes[i].res);
	}
	free(st.notes);
	free(st.spare_boxes);
	free(st.toc);
	free(st.v);
	vec_free(&st.owned_paras);
	vec_free(&st.tables);
	vec_free(&st.figs);
	*pagerefs = st.pagerefs;
	return L;
}

/* Whether every page reference of the new pass shows what the previous one placed. */
static int S_stable(const struct layout *a, const struct layout *b)
{
	if (a->nanchors != b->nanchors || a->body_page != b->body_page)
		return 0;
	for (int i = 0; i < a->nanchors; i++)
		if (a->anchors[i].page != b->anchors[i].page)
			return 0;
	return 1;
}

static int S_has_pagerefs(const struct doc_node *n)
{
	for (; n != NULL; n = n->next)
		if (n->type == DOC_PAGEREF || S_has_pagerefs(n->first))
			return 1;
	return 0;
}

static void S_discard(void *ctx, const struct layout *l, int page, int late)
{
	(void)ctx, (void)l, (void)page, (void)late;
}

struct layout *lay_run(const struct doc *doc, const struct style *s, struct fonts *f,
	const char *file, struct diags *d, const struct lay_sink *sink)
{
	/* Page references ("p. 7") need the pages of a finished layout: lay out again with the
	 * last pass's pages until nothing moves (at most four passes, as LaTeX would rerun).
	 * Streaming, the passes before the last drop their pages as they go, and one more pass
	 * with the last one's pages hands them to the sink (it sets the same pages). */
	int refs = 0;
	struct diags quiet = {0};
	const struct lay_sink discard = {S_discard, NULL};
	int passes = sink == NULL || S_has_pagerefs(doc->root);
	struct layout *l = S_run(doc, s, f, file, &quiet, NULL, &refs,
		passes ? (sink ? &discard : NULL) : sink);
	for (int pass = 1; passes && refs > 0 && pass < 4; pass++) {
		diag_free(&quiet);
		struct layout *next = S_run(doc, s, f, file, &quiet, l, &refs, sink ? &discard : NULL);
		int stable = S_stable(l, next);
		lay_free(l);
		l = next;
		if (stable)
			break;
	}
	if (sink != NULL && passes) {
		diag_free(&quiet);
		struct layout *last = S_run(doc, s, f, file, &quiet, l, &refs, sink);
		lay_free(l);
		l = last;
	}
	diag_move(d, &quiet); /* the last pass's diagnostics are the run's */
	return l;
}



void lay_free(struct layout *l)
{
	if (l == NULL)
		return;
	for (int i = 0; i < l->npages; i++) {
		free(l->pages[i].boxes);
		free(l->pages[i].flow);
		arena_free(&l->pages[i].text);
	}
	free(l->pages);
	free(l->anchors);
	bmap_free(&l->anchor_index, NULL); /* (its values are l->anchors) */
	free(l->outline);
	arena_free(&l->arena);
	free(l);
}

const struct lay_anchor *lay_anchor(const struct layout *l, const char *name)
{
	return bmap_get(&l->anchor_index, name, strlen(name));
}

void lay_dump(const struct layout *l, const struct fonts *f, FILE *out)
{
	fprintf(out, "layout pages=%d size=%.2fx%.2f body=%d\n", l->npages, l->page_w, l->page_h,
		l->body_page + 1);
	for (int p = 0; p < l->npages; p++) {
		const struct lay_page *pg = &l->pages[p];
		char label[32];
		lay_page_label(l, p, label, sizeof label);
		fprintf(out, "page %d label=%s\n", p + 1, label);
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
			case LAY_IMAGE: {
				const char *base = strrchr(b->target, '/');
				fprintf(out, "  image %.2f %.2f %.2fx%.2f %s\n", b->x, b->y, b->w, b->h,
					base ? base + 1 : b->target);
				break;
			}
			}
		}
		for (int i = 0; i < pg->nflow; i++) {
			const struct lay_flow *fl = &pg->flow[i];
			fprintf(out, "  flow %c%d %d/%d %s\n", fl->kind, fl->id, fl->line, fl->lines,
				fl->cls ? fl->cls : "-");
		}
	}
	for (int i = 0; i < l->nanchors; i++)
		fprintf(out, "anchor %s p%d %.2f\n", l->anchors[i].name, l->anchors[i].page + 1,
			l->anchors[i].y);
	for (int i = 0; i < l->noutline; i++)
		fprintf(out, "outline %d p%d \"%s\"\n", l->outline[i].level, l->outline[i].page + 1,
			l->outline[i].title);
}
