/* tlplace.h: where a timeline's markers and labels go: rows, positions, label lanes. */
#ifndef BRIEFC_TLPLACE_H
#define BRIEFC_TLPLACE_H

#define TL_LANES 5 /* label rows above the axis before a timeline row is full */

/* An item of a timeline: its dates and its label's width (in), where the layout puts it
 * (out). Positions are in the same unit as the widths, from the row's left edge. */
struct tl_item {
	long day, end;   /* days (date_days); end: last day of a range, else day */
	double lw;       /* the label's width */
	int lines;       /* its lines (0 or 1: one; a label wider than the axis is wrapped) */
	double x, xe;    /* the marker, and the range's end */
	double lx;       /* the label's left edge */
	int lane;        /* 0: nearest the axis */
};

/* Lays out the first items of it[0..n) (by date) that fit on one row of an axis from x0 to
 * x1, their labels in at most TL_LANES lanes (a label of several lines takes as many lanes,
 * lane the lowest): each label starts just right of its marker (or
 * ends just left of it when it would run past the axis), so that its leader runs beside it,
 * and sits above every marker under it, so that no leader crosses its words. axis_end (0:
 * none) stretches the last row to that day. Returns how many items the row holds (at least
 * one) and sets their positions and lanes, the row's first and last day and its lanes. */
int tl_row(struct tl_item *it, int n, double x0, double x1, long axis_end, long *lo, long *hi,
	int *lanes);

struct doc_node;
/* The dated items of a timeline node by date, those of one date in the source's order:
 * *items their nodes, *at their days and last days (their labels' widths and lines left to
 * the caller), both malloc'd (NULL when there are none). Returns how many. */
int tl_items(const struct doc_node *tl, const struct doc_node ***items, struct tl_item **at);

/* Whether a month tick at x, its label w wide, gets its label on a row width wide: where it
 * clears the last label shown (whose right edge *last_end keeps; -1e9 before the first)
 * and the row's edges. */
int tl_tick_shown(double x, double w, double width, double *last_end);

/* Whether row r of a timeline's rows keeps with what follows it (the next row; after the
 * last, the legend): rows break across pages like lines of text, a timeline of three rows
 * or fewer kept whole, a longer one leaving two rows at least on each page. */
int tl_row_keeps(int r, int rows);

#endif
