/* tlplace.c: where a timeline's markers and labels go: rows, positions, label lanes. */
#include "tlplace.h"
#include "../base/util.h"
#include "../transform/doc.h"

#include <math.h>
#include <stdlib.h>

/* Whether item k's marker stands under item i's label: then k's leader rises to its own
 * label through i's lane, and i must sit higher. */
static int S_under(const struct tl_item *i, const struct tl_item *k)
{
	return k->x >= i->lx - 2 && k->x <= i->lx + i->lw + 2;
}

/* The lanes a label takes: its lines. */
static int S_lines(const struct tl_item *it)
{
	return it->lines > 1 ? it->lines : 1;
}

/* Positions and lanes of it[0..n) on an axis from x0 to x1 spanning days lo to hi; returns
 * the number of lanes the labels need (TL_LANES + 1: more than a row holds). A label takes
 * the lowest lane where it overlaps no label and stands above every marker under it, so the
 * labels are placed once all the markers under them are. Two labels each over the other's
 * marker cannot both be above, and a label with room on neither side of its marker cannot
 * stand beside it: such items are not for one row. */
static int S_place(struct tl_item *it, int n, double x0, double x1, long lo, long hi)
{
	double span = hi > lo ? (double)(hi - lo) : 1.0;
	int lanes = 0;
	for (int i = 0; i < n; i++) {
		it[i].x = x0 + (x1 - x0) * (double)(it[i].day - lo) / span;
		it[i].xe = x0 + (x1 - x0) * (double)(it[i].end - lo) / span;
		it[i].lx = it[i].x + 3;
		if (it[i].lx + it[i].lw > x1)
			it[i].lx = it[i].x - 3 - it[i].lw;
		if (it[i].lx < x0) {
			/* beside its marker on neither side: alone on a row, where it can start at
			 * the marker (at x0) or, wider than the axis, run from x0 */
			if (n > 1)
				return TL_LANES + 1;
			it[i].lx = fmax(x0, fmin(it[i].x + 3, x1 - it[i].lw));
		}
		it[i].lane = -1;
	}
	for (int placed = 0; placed < n; placed++) {
		/* the leftmost label whose markers under it are all placed */
		int next = -1;
		for (int i = 0; i < n && next < 0; i++) {
			if (it[i].lane >= 0)
				continue;
			int ready = 1;
			for (int k = 0; k < n && ready; k++)
				ready = k == i || it[k].lane >= 0 || !S_under(&it[i], &it[k]);
			if (ready)
				next = i;
		}
		if (next < 0)
			return TL_LANES + 1; /* (labels over each other's markers: not on one row) */
		struct tl_item *t = &it[next];
		int lane = 0;
		for (int k = 0; k < n; k++)
			if (k != next && it[k].lane >= lane && S_under(t, &it[k]))
				lane = it[k].lane + 1;
		for (int moved = 1; moved;) {
			moved = 0;
			for (int k = 0; k < n; k++)
				if (k != next && it[k].lane >= 0 && it[k].lane < lane + S_lines(t) &&
					lane < it[k].lane + S_lines(&it[k]) && it[k].lx < t->lx + t->lw + 6 &&
					t->lx < it[k].lx + it[k].lw + 6) {
					lane = it[k].lane + S_lines(&it[k]);
					moved = 1;
				}
		}
		if (lane + S_lines(t) > TL_LANES && n > 1)
			return TL_LANES + 1;
		t->lane = lane;
		if (lane + S_lines(t) > lanes)
			lanes = lane + S_lines(t);
	}
	return lanes;
}

/* The days a row of it[0..n) spans: from the first item's day to the last day any of them
 * reaches (and axis_end, on the timeline's last row). */
static void S_span(const struct tl_item *it, int n, int last, long axis_end, long *lo, long *hi)
{
	*lo = it[0].day;
	*hi = it[0].end;
	for (int i = 0; i < n; i++)
		*hi = it[i].end > *hi ? it[i].end : *hi;
	if (last && axis_end > *hi)
		*hi = axis_end;
}

int tl_row(struct tl_item *it, int n, double x0, double x1, long axis_end, long *lo, long *hi,
	int *lanes)
{
	int to = 1;
	for (int t = 2; t <= n; t++) {
		S_span(it, t, t == n, axis_end, lo, hi);
		if (S_place(it, t, x0, x1, *lo, *hi) > TL_LANES)
			break;
		to = t;
	}
	S_span(it, to, to == n, axis_end, lo, hi);
	*lanes = S_place(it, to, x0, x1, *lo, *hi); /* (one item: its lines, however many) */
	return to;
}

/* A dated item and its place in the source, for sorting. */
struct S_dated {
	long day;
	int order;
	const struct doc_node *n;
};

static int S_cmp_dated(const void *a, const void *b)
{
	const struct S_dated *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

int tl_items(const struct doc_node *tl, const struct doc_node ***items, struct tl_item **at)
{
	int n = 0;
	for (const struct doc_node *c = tl->first; c; c = c->next)
		n += c->type == DOC_ITEM && c->date != NULL;
	*items = NULL;
	*at = NULL;
	if (n == 0)
		return 0;
	struct S_dated *d = xmalloc((size_t)n * sizeof *d);
	int k = 0;
	for (const struct doc_node *c = tl->first; c; c = c->next)
		if (c->type == DOC_ITEM && c->date != NULL) {
			d[k] = (struct S_dated){date_days(c->date), k, c};
			k++;
		}
	qsort(d, (size_t)n, sizeof *d, S_cmp_dated);
	*items = xmalloc((size_t)n * sizeof **items);
	*at = xcalloc((size_t)n, sizeof **at);
	for (int i = 0; i < n; i++) {
		(*items)[i] = d[i].n;
		(*at)[i].day = d[i].day;
		(*at)[i].end = d[i].n->date_end ? date_days(d[i].n->date_end) : d[i].day;
	}
	free(d);
	return n;
}

int tl_row_keeps(int r, int rows)
{
	return rows <= 3 || r == 0 || r >= rows - 2;
}

int tl_tick_shown(double x, double w, double width, double *last_end)
{
	if (x - w / 2 <= *last_end + 4 || x - w / 2 < 0 || x + w / 2 > width)
		return 0;
	*last_end = x + w / 2;
	return 1;
}
