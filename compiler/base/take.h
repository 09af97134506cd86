/* take.h: a batch's jobs taken by its processes from a table in shared memory. */
#ifndef BRIEFC_TAKE_H
#define BRIEFC_TAKE_H

#include <stdatomic.h>

/* One process's view of the table. The n places of the order are taken a date at a time
 * (the first date with a job left); within it, a process takes a job of a kind it has
 * made before when one is left, else the first left. A series' reports draw the same
 * words and glyphs date after date: a process that makes the same reports finds them in
 * its own memos and font cache instead of making them again. */
struct take {
	atomic_uchar *taken;      /* shared by the processes: a flag a place, set by its taker */
	const int *order;         /* the job at each place (the same in every process) */
	const char *const *date;  /* per job: its date (NULL: none; the same date as another NULL) */
	const int *kind;          /* per job: its kind, 0 to n - 1 (the same report at another date) */
	int n;
	int low;                  /* every place before it is taken */
	unsigned char *mine;      /* per kind: this process has taken one */
};

/* The next job for this process, or -1 when none is left. */
int take_next(struct take *t);

#endif
