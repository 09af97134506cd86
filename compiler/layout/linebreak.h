/* linebreak.h: Knuth–Plass total-fit line breaking over boxes, glue and penalties. */
#ifndef BRIEFC_LINEBREAK_H
#define BRIEFC_LINEBREAK_H

#define LB_INF 10000.0 /* a penalty of LB_INF forbids a break; -LB_INF forces one */

enum lb_type { LB_BOX, LB_GLUE, LB_PENALTY };

struct lb_item {
	enum lb_type type;
	double width, stretch, shrink; /* stretch/shrink: glue only */
	double penalty;                /* penalty only */
	int flagged;                   /* penalty only: a hyphen break */
	int tie;                       /* penalty only: a no-break space, which may break at
	                                  tie_penalty when nothing else fits (below) */
};

struct lb_params {
	double width_first, width_rest; /* line widths in points */
	double tolerance;               /* largest adjustment ratio accepted (TeX: 2 to 10) */
	double line_penalty;            /* added to every line's badness (TeX: 10) */
	double flagged_demerits;        /* two hyphen lines in a row (TeX: 10000) */
	double fitness_demerits;        /* adjacent lines of very different tightness (TeX: 10000) */
	double final_hyphen_demerits;   /* a hyphen on the line before the last (TeX: 5000) */
	double short_last_fraction;     /* a last line narrower than this part of the measure ... */
	double short_last_demerits;     /* ... costs this much (0: no such cost) */
	double ragged_stretch;          /* extra stretch per line for ragged text (0: justified) */
	double tie_penalty;             /* a tie's cost in the pass tried when no breaks fit the
	                                   tolerance, before the emergency ones (0: ties hold) */
};

struct lb_line {
	int end;       /* index of the item where the line breaks (glue or penalty), or n-1 */
	double ratio;  /* adjustment ratio to apply to the line's glue */
	double excess; /* > 0: the line is wider than its measure by this much (overfull) */
};

struct lb_result {
	struct lb_line *lines; /* owned: free with lb_result_free */
	int nlines;
	int overfull;  /* lines that could not be made to fit */
	int emergency; /* 1 if the tolerance had to be raised */
	int ties;      /* lines that end at a tie */
};

/* Default parameters for a measure of width points. */
struct lb_params lb_defaults(double width);

/* Breaks items[0..n) (which must end with a forced break) into lines, choosing the set of
 * breaks with least total demerits. Always succeeds: when no feasible set exists at the
 * tolerance, it retries with an emergency tolerance, then accepts overfull lines. */
void lb_break(const struct lb_item *items, int n, const struct lb_params *p, struct lb_result *r);
void lb_result_free(struct lb_result *r);

#endif
