/* patterns.c: libhyphen's pattern files read into libhyphen's own dictionary, in an arena:
 * the dictionary hnj_hyphen_load makes, state for state, in a fraction of its time. */
#include "patterns.h"

#include <stdlib.h>
#include <string.h>

/* libhyphen's line buffers: the character set line and a pattern line (fgets sizes) */
#define S_CSET 20
#define S_LINE 100

/* How the dictionary is built. A state is a string of pattern letters (a pattern or a
 * prefix of one), numbered as it is first met; a transition goes from a prefix to the
 * string one letter longer. libhyphen's dictionary has, per state, the digits of its
 * pattern (match), its non-standard replacement, the state of its longest proper suffix
 * (fallback) and its transitions in the order they were added. While it is built, the
 * states are a trie (each knows its first child and its next sibling; the children of the
 * root and of its children, the many, are in tables by letter): a pattern's states are
 * found by walking its letters, with no strings kept. */
struct S_state {
	char *match, *repl;
	signed char replindex, replcut;
	char ch;            /* its last letter */
	int depth;          /* its length */
	int child, sibling; /* its first longer string known, the next of its parent's; -1 */
};

struct S_trans {
	int from, to;
	char ch;
};

struct S_level {
	struct arena *a; /* the dictionary's */
	HyphenDict *dict;
	struct S_state *st;
	int nst, stcap;
	struct S_trans *tr;
	int ntr, trcap;
	int root[256];  /* the root's children by letter; -1 */
	int *two[256];  /* the children of the root's child by letter, by letter (or NULL) */
};

/* The state one letter ch longer than state from, or -1. */
static int S_child(const struct S_level *L, int from, char ch)
{
	if (from == 0)
		return L->root[(unsigned char)ch];
	if (L->st[from].depth == 1) {
		const int *t = L->two[(unsigned char)L->st[from].ch];
		return t ? t[(unsigned char)ch] : -1;
	}
	int c = L->st[from].child;
	while (c >= 0 && L->st[c].ch != ch)
		c = L->st[c].sibling;
	return c;
}

/* A new state of length depth ending in ch, with no pattern yet and not yet linked into
 * the trie (S_line links it). */
static int S_new(struct S_level *L, int depth, char ch)
{
	if (L->nst == L->stcap) {
		L->stcap = L->stcap ? 2 * L->stcap : 1024;
		L->st = xrealloc(L->st, (size_t)L->stcap * sizeof *L->st);
	}
	L->st[L->nst] = (struct S_state){.ch = ch, .depth = depth, .child = -1, .sibling = -1};
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
	/* (the keywords begin with C, L, N or R; patterns, nearly every line, are not compared) */
	int key = buf[0] == 'C' || buf[0] == 'L' || buf[0] == 'N' || buf[0] == 'R';
	for (int k = 0; key && k < 4; k++)
		if (strncmp(buf, keys[k].word, keys[k].n) == 0) {
			*mins[k] = (char)atoi(buf + keys[k].n);
			return;
		}
	if (key && strncmp(buf, "NOHYPHEN", 8) == 0) {
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
	/* The longest prefix of the word already a state; the states of the longer ones are
	 * made as libhyphen makes them: the whole word's first, then shorter and shorter, each
	 * with its transition from the next shorter. */
	int e = 0, at = 0;
	for (int c; e < j && (c = S_child(L, at, word[e])) >= 0; e++)
		at = c;
	int state = at;
	if (e < j) {
		int first = L->nst;
		for (int k = j; k > e; k--)
			S_new(L, k, word[k - 1]);
		for (int k = j; k > e; k--) {
			int to = first + (j - k), from = k - 1 > e ? to + 1 : at;
			S_trans(L, from, to, word[k - 1]);
			if (from == 0) {
				L->root[(unsigned char)word[k - 1]] = to;
			} else if (L->st[from].depth == 1) {
				int **t = &L->two[(unsigned char)L->st[from].ch];
				if (*t == NULL) {
					*t = xmalloc(256 * sizeof **t);
					for (int c = 0; c < 256; c++)
						(*t)[c] = -1;
				}
				(*t)[(unsigned char)word[k - 1]] = to;
			} else {
				L->st[to].sibling = L->st[from].child;
				L->st[from].child = to;
			}
		}
		state = first;
	}
	struct S_state *s = &L->st[state];
	s->match = arena_strdup(L->a, pattern + skip);
	s->repl = repl;
	s->replindex = replindex;
	s->replcut = replcut ? replcut : (signed char)j;
}

static void S_begin(struct S_level *L, struct arena *a)
{
	*L = (struct S_level){.a = a};
	L->dict = arena_alloc(a, sizeof *L->dict);
	for (int c = 0; c < 256; c++)
		L->root[c] = -1;
	S_new(L, 0, 0); /* (the root, "") */
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
		if ((size_t)s->depth > deepest)
			deepest = (size_t)s->depth;
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
		start[L->st[i].depth + 1]++;
	for (size_t k = 1; k <= deepest + 1; k++)
		start[k] += start[k - 1];
	for (int i = 0; i < n; i++)
		order[start[L->st[i].depth]++] = i;
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
	for (int c = 0; c < 256; c++)
		free(L->two[c]);
	return d;
}

/* The next line as fgets with a buffer of size bytes gives it: at most size - 1 bytes,
 * through the line end. Returns 0 at the end of the data. */
static int S_next(const char *data, size_t len, size_t *pos, char *buf, size_t size)
{
	if (*pos >= len)
		return 0;
	size_t n = len - *pos < size - 1 ? len - *pos : size - 1;
	const char *nl = memchr(data + *pos, '\n', n);
	if (nl != NULL)
		n = (size_t)(nl - (data + *pos)) + 1;
	memcpy(buf, data + *pos, n);
	buf[n] = '\0';
	*pos += n;
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
