/* take.c: a batch's jobs taken by its processes from a table in shared memory. */
#include "take.h"

#include <string.h>

/* Takes place k for this process: 1, or 0 when another process has it. */
static int S_claim(struct take *t, int k)
{
	return !atomic_load_explicit(&t->taken[k], memory_order_relaxed) &&
		atomic_exchange(&t->taken[k], 1) == 0;
}

static int S_same_date(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

int take_next(struct take *t)
{
	while (t->low < t->n && atomic_load(&t->taken[t->low]))
		t->low++;
	if (t->low >= t->n)
		return -1;
	const char *date = t->date[t->order[t->low]];
	int k = -1;
	for (int i = t->low; k < 0 && i < t->n && S_same_date(t->date[t->order[i]], date); i++)
		if (t->mine[t->kind[t->order[i]]] && S_claim(t, i))
			k = i;
	for (int i = t->low; k < 0 && i < t->n; i++)
		if (S_claim(t, i))
			k = i;
	if (k < 0)
		return -1;
	t->mine[t->kind[t->order[k]]] = 1;
	return t->order[k];
}
