/* patterns.c: libhyphen's pattern files read into libhyphen's own dictionary, in an arena:
 * the dictionary hnj_hyphen_load makes, state for state, in a fraction of its time. */
#include "patterns.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* libhyphen's line buffers: the character set line and a pattern line (fgets sizes) */
#define S_CSET 20
#define S_LINE 100

/* How the dictionary is built. A state is a string of pattern letters (a pattern or a
 * prefix of one), numbered as it is first met; a transition goes from a prefix to the
 * string one letter longer. libhyphen's dictionary has, per state, the digits of its
 * pattern (match), its non-standard replacement, the state of its longest proper suffix
 * (fallback) and its transitions in the order they were added. */
struct S_state {
	const char *key; /* (in the arena) */
	size_t klen;
	char *match, *repl;
	signed char replindex, replcut;
};

struct S_trans {
	int from, to;
	char ch;
};

struct S_slot {
	uint32_t state; /* its number + 1; 0: free */
	uint32_t hash;
};

struct S_level {
	struct arena *a;    /* the dictionary's */
	struct arena keys;  /* the states' strings, needed only while building */
	HyphenDict *dict;
	struct S_state *st;
	int nst, stcap;
	struct S_trans *tr;
	int ntr, trcap;
	struct S_slot *slots; /* the states by key */
	size_t scap;
};

/* The state of key (hash h), or -1; *at (when not NULL) is its slot, or the free slot
 * where it would go. */
static int S_find(const struct S_level *L, const char *key, size_t n, uint32_t h, size_t *at)
{
	if (L->scap == 0) /* (no table yet: S_state makes it) */
		return -1;
	size_t i = h & (L->scap - 1);
	for (; L->slots[i].state != 0; i = (i + 1) & (L->scap - 1)) {
		if (L->slots[i].hash != h)
			continue;
		const struct S_state *s = &L->st[L->slots[i].state - 1];
		if (s->klen == n && memcmp(s->key, key, n) == 0)
			break;
	}
	if (at != NULL)
		*at = i;
	return (int)L->slots[i].state - 1;
}

/* The state of key, made (with no pattern yet) when it has none; *made says which. */
static int S_state(struct S_level *L, const char *key, size_t n, int *made)
{
	uint32_t h = (uint32_t)hash_bytes(key, n);
	size_t at;
	int k = S_find(L, key, n, h, &at);
	*made = k < 0;
	if (k >= 0)
		return k;
	if (2 * ((size_t)L->nst + 1) > L->scap) {
		size_t cap = L->scap ? L->scap * 2 : 4096;
		struct S_slot *old = L->slots;
		size_t oldcap = L->scap;
		L->slots = xcalloc(cap, sizeof *L->slots);
		L->scap = cap;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].state != 0) {
				size_t j = old[i].hash & (cap - 1);
				while (L->slots[j].state != 0)
					j = (j + 1) & (cap - 1);
				L->slots[j] = old[i];
			}
		free(old);
		S_find(L, key, n, h, &at);
	}
	if (L->nst == L->stcap) {
		L->stcap = L->stcap ? 2 * L->stcap : 1024;
		L->st = xrealloc(L->st, (size_t)L->stcap * sizeof *L->st);
	}
	L->st[L->nst] = (struct S_state){.key = arena_strndup(&L->keys, key, n), .klen = n};
	L->slots[at] = (struct S_slot){.state = (uint32_t)L->nst + 1, .hash = h};
	return L->nst++;
}

static void S_trans(struct S_level *L, int from, int to, char ch)
{
	if (L->ntr == L->trcap) {
		L->trcap = L->trcap ? 2 * L->trcap : 1024;
		L->tr = xrealloc(L->tr, (size_t)L->trcap * sizeof *L->tr);
	}
	L->tr[L->ntr++] = (struct S_trans){from, to, ch};
}

/* Drops one line end ("\n", "\r", "\r\n") as libhyphen does for a replacement. */
static void S_chomp(char *s)
{
	size_t k = strlen(s);
	if (k > 0 && (s[k - 1] == '\r' || s[k - 1] == '\n'))
		s[k - 1] = '\0';
	if (k > 1 && s[k - 2] == '\r')
		s[k - 2] = '\0';
}

/* One line (NUL-terminated, its line end kept): a keyword or a pattern. */
static void S_line(struct S_level *L, char *buf)
{
	HyphenDict *d = L->dict;
	static const struct {
		const char *word;
		size_t n;
	} keys[] = {{"LEFTHYPHENMIN", 13}, {"RIGHTHYPHENMIN", 14}, {"COMPOUNDLEFTHYPHENMIN", 21},
		{"COMPOUNDRIGHTHYPHENMIN", 22}};
	char *mins[] = {&d->lhmin, &d->rhmin, &d->clhmin, &d->crhmin};
	for (int k = 0; k < 4; k++)
		if (strncmp(buf, keys[k].word, keys[k].n) == 0) {
			*mins[k] = (char)atoi(buf + keys[k].n);
			return;
		}
	if (strncmp(buf, "NOHYPHEN", 8) == 0) {
		/* a comma-separated list, its last character (the line end) dropped, the commas
		 * after the first character made NULs and counted */
		char *p = buf + 8;
		while (*p == ' ' || *p == '\t')
			p++;
		/* (a second NOHYPHEN line replaces the list, but libhyphen 2.8.8 adds its
		 * count to the first's) */
		char *nh = arena_strdup(L->a, p);
		size_t n = strlen(nh);
		if (n > 0) {
			nh[--n] = '\0';
			for (size_t q = n; q-- > 1;)
				if (nh[q] == ',') {
					d->nohyphenl++;
					nh[q] = '\0';
				}
		}
		d->nohyphen = nh;
		return;
	}
	/* a replacement: "pattern/repl" or "pattern/repl,index,cut" */
	signed char replindex = 0, replcut = 0;
	char *repl = strchr(buf, '/');
	if (repl != NULL) {
		char *index = strchr(repl + 1, ',');
		*repl = '\0';
		if (index != NULL) {
			char *index2 = strchr(index + 1, ',');
			*index = '\0';
			if (index2 != NULL) {
				*index2 = '\0';
				replindex = (signed char)(atoi(index + 1) - 1);
				replcut = (signed char)atoi(index2 + 1);
			}
		} else {
			S_chomp(repl + 1);
			replcut = (signed char)strlen(buf);
		}
		repl = arena_strdup(L->a, repl + 1);
	}
	/* letters into word, the digit before each letter (and after the last) into pattern */
	char word[S_LINE], pattern[S_LINE];
	int j = 0;
	pattern[0] = '0';
	for (int i = 0; (unsigned char)buf[i] > ' ' && j < S_LINE - 2; i++) {
		if (buf[i] >= '0' && buf[i] <= '9') {
			pattern[j] = buf[i];
		} else {
			word[j] = buf[i];
			pattern[++j] = '0';
		}
	}
	word[j] = '\0';
	pattern[j + 1] = '\0';
	int skip = 0;
	if (repl == NULL) {
		while (pattern[skip] == '0')
			skip++; /* (leading zeros say nothing) */
	} else {
		if (word[0] == '.')
			skip++;
		if (d->utf8) {
			/* the replacement's index and length, given in characters, made bytes */
			int pu = -1, ps = -1;
			size_t len = strlen(word);
			for (size_t pc = word[0] == '.' ? 1 : 0; pc < len + 1; pc++) {
				if (((unsigned char)word[pc] >> 6) != 2)
					pu++;
				if (ps < 0 && replindex == pu) {
					ps = replindex;
					replindex = (signed char)pc;
				}
				if (ps >= 0 && pu - ps == replcut) {
					replcut = (signed char)(pc - (size_t)replindex);
					break;
				}
			}
			if (word[0] == '.')
				replindex--;
		}
	}
	int made;
	int state = S_state(L, word, (size_t)j, &made);
	struct S_state *s = &L->st[state];
	s->match = arena_strdup(L->a, pattern + skip);
	s->repl = repl;
	s->replindex = replindex;
	s->replcut = replcut ? replcut : (signed char)j;
	/* the prefixes not yet known, each with its transition to the next longer one */
	for (; made && j > 0; j--) {
		int last = state;
		state = S_state(L, word, (size_t)(j - 1), &made);
		S_trans(L, state, last, word[j - 1]);
	}
}

static void S_begin(struct S_level *L, struct arena *a)
{
	*L = (struct S_level){.a = a};
	L->dict = arena_alloc(a, sizeof *L->dict);
	int made;
	S_state(L, "", 0, &made);
}

/* The state reached from state f by letter ch, or -1 (root: f's table of 256). */
static int S_goto(const HyphenDict *d, const int *root, int f, char ch)
{
	if (f == 0)
		return root[(unsigned char)ch];
	const HyphenState *h = &d->states[f];
	for (int k = 0; k < h->num_trans; k++)
		if (h->trans[k].ch == ch)
			return h->trans[k].new_state;
	return -1;
}

/* The level's dictionary, finished: its states with their transitions (in the order they
 * were added) and fallbacks. A state's fallback, the state of its longest proper suffix,
 * comes from its parent's as in Aho and Corasick's automaton: every prefix of a state is a
 * state, so the suffixes that are states are found by following fallbacks, shortest
 * states first. */
static HyphenDict *S_finish(struct S_level *L)
{
	HyphenDict *d = L->dict;
	int n = L->nst;
	d->num_states = n;
	d->states = arena_alloc(L->a, (size_t)n * sizeof *d->states);
	int *count = xcalloc((size_t)n, sizeof *count);
	int *parent = xmalloc((size_t)n * sizeof *parent);
	char *via = xmalloc((size_t)n);
	for (int i = 0; i < L->ntr; i++) {
		count[L->tr[i].from]++;
		parent[L->tr[i].to] = L->tr[i].from; /* (one transition leads to each state) */
		via[L->tr[i].to] = L->tr[i].ch;
	}
	size_t deepest = 0;
	for (int i = 0; i < n; i++) {
		HyphenState *h = &d->states[i];
		const struct S_state *s = &L->st[i];
		h->match = s->match;
		h->repl = s->repl;
		h->replindex = s->replindex;
		h->replcut = s->replcut;
		h->fallback_state = -1;
		h->trans = count[i] ? arena_alloc(L->a, (size_t)count[i] * sizeof *h->trans) : NULL;
		if (s->klen > deepest)
			deepest = s->klen;
	}
	int root[256];
	for (int c = 0; c < 256; c++)
		root[c] = -1;
	for (int i = 0; i < L->ntr; i++) {
		HyphenState *h = &d->states[L->tr[i].from];
		h->trans[h->num_trans++] = (HyphenTrans){.ch = L->tr[i].ch, .new_state = L->tr[i].to};
		if (L->tr[i].from == 0)
			root[(unsigned char)L->tr[i].ch] = L->tr[i].to;
	}
	/* the states by length (counting sort), then their fallbacks in that order */
	int *start = xcalloc(deepest + 2, sizeof *start), *order = xmalloc((size_t)n * sizeof *order);
	for (int i = 0; i < n; i++)
		start[L->st[i].klen + 1]++;
	for (size_t k = 1; k <= deepest + 1; k++)
		start[k] += start[k - 1];
	for (int i = 0; i < n; i++)
		order[start[L->st[i].klen]++] = i;
	for (int k = 1; k < n; k++) { /* (order[0] is the root, "") */
		int s = order[k], f = parent[s], t = -1;
		while (f != 0 && t < 0) {
			f = d->states[f].fallback_state;
			t = S_goto(d, root, f, via[s]);
		}
		d->states[s].fallback_state = t >= 0 && t != s ? t : 0;
	}
	free(start);
	free(order);
	free(count);
	free(parent);
	free(via);
	free(L->st);
	free(L->tr);
	free(L->slots);
	arena_free(&L->keys);
	return d;
}

/* The next line as fgets with a buffer of size bytes gives it: at most size - 1 bytes,
 * through the line end. Returns 0 at the end of the data. */
static int S_next(const char *data, size_t len, size_t *pos, char *buf, size_t size)
{
	if (*pos >= len)
		return 0;
	size_t n = 0;
	while (n < size - 1 && *pos < len) {
		char c = data[(*pos)++];
		buf[n++] = c;
		if (c == '\n')
			break;
	}
	buf[n] = '\0';
	return 1;
}

HyphenDict *pat_load(const char *path, struct arena *a)
{
	size_t len = 0, pos = 0;
	char *data = file_slurp(path, &len); /* (a read error: NULL, never the part read) */
	if (data == NULL)
		return NULL;
	HyphenDict *dict[2];
	int nextlevel = 0;
	for (int k = 0; k < 2; k++) {
		struct S_level L;
		S_begin(&L, a);
		HyphenDict *d = L.dict;
		if (k == 0) {
			if (S_next(data, len, &pos, d->cset, S_CSET))
				for (int i = 0; i < S_CSET; i++)
					if (d->cset[i] == '\r' || d->cset[i] == '\n')
						d->cset[i] = '\0';
			d->utf8 = strcmp(d->cset, "UTF-8") == 0;
		} else {
			memcpy(d->cset, dict[0]->cset, sizeof d->cset - 1);
			d->utf8 = dict[0]->utf8;
		}
		if (k == 0 || nextlevel) {
			char buf[S_LINE];
			/* (a line longer than the buffer comes in pieces, each read as a line, as
			 * libhyphen 2.8.8 reads it; later versions skip such lines) */
			while (S_next(data, len, &pos, buf, sizeof buf)) {
				if (strncmp(buf, "NEXTLEVEL", 9) == 0) {
					nextlevel = 1;
					break;
				}
				if (buf[0] != '%')
					S_line(&L, buf);
			}
		} else {
			/* no second level in the file: libhyphen's own first level, which breaks
			 * compounds at hyphens and apostrophes (and en dashes in UTF-8) */
			char lines[][32] = {"NOHYPHEN ',-\n", "1-1\n", "1'1\n", "1\xe2\x80\x93" "1\n",
				"1\xe2\x80\x99" "1\n"};
			if (d->utf8)
				strcpy(lines[0], "NOHYPHEN ',\xe2\x80\x93,\xe2\x80\x99,-\n");
			for (int i = 0; i < (d->utf8 ? 5 : 3); i++)
				S_line(&L, lines[i]);
		}
		dict[k] = S_finish(&L);
	}
	free(data);
	if (nextlevel) {
		dict[0]->nextlevel = dict[1];
		return dict[0];
	}
	/* the file's patterns are the second level, under the default first */
	HyphenDict *first = dict[1], *file = dict[0];
	first->nextlevel = file;
	first->lhmin = file->lhmin;
	first->rhmin = file->rhmin;
	first->clhmin = file->clhmin ? file->clhmin : file->lhmin ? file->lhmin : 3;
	first->crhmin = file->crhmin ? file->crhmin : file->rhmin ? file->rhmin : 3;
	return first;
}
