/* linebreak.c: Knuth–Plass total-fit line breaking over boxes, glue and penalties. */
#include "linebreak.h"
#include "../base/util.h"

#include <math.h>
#include <stdlib.h>

struct lb_params lb_defaults(double width)
{
	struct lb_params p = {
		.width_first = width,
		.width_rest = width,
		.tolerance = 3,
		.line_penalty = 10,
		.flagged_demerits = 3000,
		.fitness_demerits = 3000,
		.final_hyphen_demerits = 5000,
		.short_last_fraction = 0.1,
		.short_last_demerits = 2000,
		.ragged_stretch = 0,
		/* more than any hyphen, less than a line stretched far past the tolerance:
		 * "14 April | 2021" reads better than a line of gaps */
		.tie_penalty = 1000,
	};
	return p;
}

/* A feasible breakpoint reached with the least demerits for its fitness class. */
struct S_node {
	int pos;       /* item index of the break, -1 for the paragraph start */
	int line;      /* number of lines up to here */
	int fitness;   /* 0 tight, 1 decent, 2 loose, 3 very loose */
	double width, stretch, shrink; /* running totals after the break */
	double demerits;
	double ratio, excess;
	int prev;      /* index of the previous node in the node pool */
	int active;
	int next_active;
};

struct S_pool {
	struct S_node *v;
	int n, cap;
};

static int S_new(struct S_pool *p)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->v = xrealloc(p->v, (size_t)p->cap * sizeof *p->v);
	}
	return p->n++;
}

/* Badness of a line set with adjustment ratio r (TeX's 100 r^3, capped). */
static double S_badness(double r)
{
	double a = fabs(r);
	return a > 10 ? 100000 : 100 * a * a * a;
}

static int S_fitness(double r)
{
	if (r < -0.5)
		return 0;
	if (r <= 0.5)
		return 1;
	if (r <= 1)
		return 2;
	return 3;
}

/* A break's penalty in a pass: a tie's is tie_penalty when ties may break. */
static double S_penalty(const struct lb_params *p, const struct lb_item *brk, int ties)
{
	return brk->tie && ties ? p->tie_penalty : brk->penalty;
}

/* Demerits of a line: badness plus line penalty, squared, plus the break's penalty. */
static double S_demerits(const struct lb_params *p, double r, const struct lb_item *brk,
	double pen)
{
	double d = p->line_penalty + S_badness(r);
	d *= d;
	if (brk->type == LB_PENALTY) {
		if (pen >= 0)
			d += pen * pen;
		else if (pen > -LB_INF)
			d -= pen * pen;
	}
	return d;
}

/* Totals after a break at pos: discardable items that follow it (glue, penalties) vanish. */
static void S_after(const struct lb_item *it, int n, int pos, const double *sw, const double *sy,
	const double *sz, double *w, double *y, double *z)
{
	int i = pos + 1;
	while (i < n && it[i].type != LB_BOX) {
		if (it[i].type == LB_PENALTY && it[i].penalty <= -LB_INF)
			break;
		i++;
	}
	*w = sw[i];
	*y = sy[i];
	*z = sz[i];
}

static int S_run(const struct lb_item *it, int n, const struct lb_params *p, double tolerance,
	int allow_overfull, int ties, struct lb_result *res)
{
	/* Prefix sums: s?[i] = total of items [0, i) that are glue (or box for width). */
	double *sw = xmalloc((size_t)(n + 1) * sizeof *sw);
	double *sy = xmalloc((size_t)(n + 1) * sizeof *sy);
	double *sz = xmalloc((size_t)(n + 1) * sizeof *sz);
	sw[0] = sy[0] = sz[0] = 0;
	for (int i = 0; i < n; i++) {
		sw[i + 1] = sw[i] + (it[i].type == LB_PENALTY ? 0 : it[i].width);
		sy[i + 1] = sy[i] + (it[i].type == LB_GLUE ? it[i].stretch : 0);
		sz[i + 1] = sz[i] + (it[i].type == LB_GLUE ? it[i].shrink : 0);
	}
	struct S_pool pool = {0};
	int start = S_new(&pool);
	pool.v[start] = (struct S_node){.pos = -1, .fitness = 1, .prev = -1, .active = 1,
		.next_active = -1};
	int head = start; /* active list */
	int result = -1;

	for (int b = 0; b < n; b++) {
		const struct lb_item *brk = &it[b];
		int legal = 0;
		double pen = brk->type == LB_PENALTY ? S_penalty(p, brk, ties) : 0;
		if (brk->type == LB_PENALTY && pen < LB_INF)
			legal = 1;
		else if (brk->type == LB_GLUE && b > 0 && it[b - 1].type == LB_BOX)
			legal = 1;
		if (!legal)
			continue;
		int forced = brk->type == LB_PENALTY && brk->penalty <= -LB_INF;
		double best[4] = {INFINITY, INFINITY, INFINITY, INFINITY};
		int best_from[4] = {-1, -1, -1, -1};
		double best_ratio[4] = {0}, best_excess[4] = {0};
		double least = INFINITY;
		int prev_active = -1;
		int last_dropped = -1;
		double last_dropped_ratio = 0, last_dropped_excess = 0;
		for (int a = head; a >= 0;) {
			struct S_node *A = &pool.v[a];
			int next = A->next_active;
			double target = A->line == 0 ? p->width_first : p->width_rest;
			double w = sw[b] - A->width + (brk->type == LB_PENALTY ? brk->width : 0);
			double r, excess = 0;
			if (w < target) {
				double st = sy[b] - A->stretch + p->ragged_stretch;
				r = st > 0 ? (target - w) / st : LB_INF;
			} else if (w > target) {
				double sh = sz[b] - A->shrink;
				r = sh > 0 ? (target - w) / sh : -LB_INF;
				if (r < -1)
					excess = w - sh - target;
			} else {
				r = 0;
			}
			if (r < -1 || forced) {
				/* deactivate a */
				A->active = 0;
				if (prev_active < 0)
					head = next;
				else
					pool.v[prev_active].next_active = next;
				if (r < -1) {
					last_dropped = a;
					last_dropped_ratio = r;
					last_dropped_excess = excess;
				}
			} else {
				prev_active = a;
			}
			if (r >= -1 && r <= tolerance) {
				double d = S_demerits(p, r, brk, pen);
				int fit = S_fitness(r);
				if (abs(fit - A->fitness) > 1)
					d += p->fitness_demerits;
				if (brk->type == LB_PENALTY && brk->flagged && A->pos >= 0 &&
					it[A->pos].type == LB_PENALTY && it[A->pos].flagged)
					d += p->flagged_demerits;
				if (forced && b == n - 1) {
					/* the paragraph's last line: no hyphen just before it, and not a runt */
					if (A->pos >= 0 && it[A->pos].type == LB_PENALTY && it[A->pos].flagged)
						d += p->final_hyphen_demerits;
					if (A->line > 0 && w < p->short_last_fraction * target)
						d += p->short_last_demerits;
				}
				d += A->demerits;
				if (d < best[fit]) {
					best[fit] = d;
					best_from[fit] = a;
					best_ratio[fit] = r;
					best_excess[fit] = 0;
				}
				if (d < least)
					least = d;
			}
			a = next;
		}
		/* No node survives and none could reach here: accept an overfull line. */
		if (allow_overfull && head < 0 && least == INFINITY && last_dropped >= 0) {
			struct S_node *A = &pool.v[last_dropped];
			best[1] = A->demerits + 1e9;
			best_from[1] = last_dropped;
			best_ratio[1] = last_dropped_ratio < -1 ? -1 : last_dropped_ratio;
			best_excess[1] = last_dropped_excess;
			least = best[1];
		}
		if (least == INFINITY)
			continue;
		double aw, ay, az;
		S_after(it, n, b, sw, sy, sz, &aw, &ay, &az);
		for (int fit = 0; fit < 4; fit++) {
			if (best_from[fit] < 0 || best[fit] > least + p->fitness_demerits)
				continue;
			int k = S_new(&pool);
			struct S_node *from = &pool.v[best_from[fit]];
			pool.v[k] = (struct S_node){.pos = b, .line = from->line + 1, .fitness = fit,
				.width = aw, .stretch = ay, .shrink = az, .demerits = best[fit],
				.ratio = best_ratio[fit], .excess = best_excess[fit],
				.prev = best_from[fit], .active = 1, .next_active = head};
			head = k;
			if (forced && b == n - 1 && (result < 0 || pool.v[k].demerits < pool.v[result].demerits))
				result = k;
		}
	}
	int ok = result >= 0;
	if (ok) {
		int nl = pool.v[result].line;
		res->lines = xmalloc((size_t)(nl ? nl : 1) * sizeof *res->lines);
		res->nlines = nl;
		res->overfull = 0;
		res->ties = 0;
		for (int k = result, i = nl - 1; k >= 0 && pool.v[k].pos >= 0; k = pool.v[k].prev, i--) {
			res->lines[i].end = pool.v[k].pos;
			res->ties += it[pool.v[k].pos].type == LB_PENALTY && it[pool.v[k].pos].tie;
			res->lines[i].ratio = pool.v[k].ratio;
			res->lines[i].excess = pool.v[k].excess;
			if (pool.v[k].excess > 0)
				res->overfull++;
		}
	}
	free(pool.v);
	free(sw);
	free(sy);
	free(sz);
	return ok;
}

void lb_break(const struct lb_item *items, int n, const struct lb_params *p, struct lb_result *r)
{
	r->lines = NULL;
	r->nlines = 0;
	r->overfull = 0;
	r->emergency = 0;
	r->ties = 0;
	if (n == 0)
		return;
	if (S_run(items, n, p, p->tolerance, 0, 0, r))
		return;
	/* Nothing fits the tolerance: may ties break (at a cost) before it is raised? */
	int ties = 0;
	for (int i = 0; i < n && !ties && p->tie_penalty > 0; i++)
		ties = items[i].type == LB_PENALTY && items[i].tie;
	if (ties && S_run(items, n, p, p->tolerance, 0, 1, r))
		return;
	r->emergency = 1;
	if (S_run(items, n, p, 100, 0, 0, r))
		return;
	S_run(items, n, p, LB_INF, 1, 0, r);
}

void lb_result_free(struct lb_result *r)
{
	free(r->lines);
	r->lines = NULL;
	r->nlines = 0;
}
