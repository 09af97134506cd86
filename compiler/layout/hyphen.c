/* hyphen.c: hyphenation points from libhyphen's patterns, chosen by language, memoised. */
#include "hyphen.h"
#include "../base/util.h"
#include "patterns.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hyphen.h>

#define S_DEFAULT_DIR "/usr/share/hyphen"

struct S_lang {
	char *tag;          /* as asked for: "en", "en-GB" */
	HyphenDict *dict;   /* NULL: no patterns for it */
	struct arena arena; /* the dictionary's memory (pat_load) */
};

/* A memoised word: its n hyphenation points. */
struct S_points {
	int n;
	int at[];
};

struct hyph {
	char *dir;
	struct S_lang *langs;
	int nlangs;
	struct bmap memo; /* (language, word, minimums) -> struct S_points */
};

struct hyph *hyph_open(const char *dir)
{
	struct hyph *h = xcalloc(1, sizeof *h);
	h->dir = xstrdup(dir ? dir : S_DEFAULT_DIR);
	return h;
}

void hyph_close(struct hyph *h)
{
	if (h == NULL)
		return;
	for (int i = 0; i < h->nlangs; i++) {
		free(h->langs[i].tag);
		arena_free(&h->langs[i].arena);
	}
	free(h->langs);
	bmap_free(&h->memo, free);
	free(h->dir);
	free(h);
}

/* Tries hyph_ll_CC.dic, hyph_ll.dic and, for a bare language, the first hyph_ll_*.dic
 * that Debian ships (en -> en_US). Only letters, digits and '-' reach a file name. */
static HyphenDict *S_load(struct hyph *h, const char *tag, struct arena *mem)
{
	char ll[16] = "", cc[16] = "";
	size_t i = 0;
	for (; tag[i] && tag[i] != '-' && tag[i] != '_' && i < sizeof ll - 1; i++) {
		char c = tag[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			return NULL;
		ll[i] = (char)(c | 0x20);
	}
	ll[i] = '\0';
	if (tag[i] == '-' || tag[i] == '_') {
		const char *r = tag + i + 1;
		size_t k = 0;
		for (; r[k] && r[k] != '-' && k < sizeof cc - 1; k++) {
			char c = r[k];
			if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
				return NULL;
			cc[k] = (char)(c & ~0x20);
		}
		cc[k] = '\0';
	}
	if (ll[0] == '\0')
		return NULL;
	static const char *defaults[][2] = {{"en", "US"}, {"de", "DE"}, {"fr", "FR"}, {"ru", "RU"},
		{"es", "ES"}, {"it", "IT"}, {"pt", "PT"}, {"nl", "NL"}};
	char path[512];
	const char *tries[3] = {NULL, NULL, NULL};
	char a[64], b[64], c[64];
	if (cc[0]) {
		snprintf(a, sizeof a, "hyph_%s_%s.dic", ll, cc);
		tries[0] = a;
	}
	snprintf(b, sizeof b, "hyph_%s.dic", ll);
	tries[1] = b;
	for (size_t k = 0; k < sizeof defaults / sizeof *defaults; k++)
		if (strcmp(defaults[k][0], ll) == 0) {
			snprintf(c, sizeof c, "hyph_%s_%s.dic", ll, defaults[k][1]);
			tries[2] = c;
		}
	for (int k = 0; k < 3; k++) {
		if (tries[k] == NULL)
			continue;
		snprintf(path, sizeof path, "%s/%s", h->dir, tries[k]);
		if (access(path, R_OK) == 0) {
			HyphenDict *d = pat_load(path, mem); /* (libhyphen's dictionary, read faster) */
			if (d != NULL)
				return d;
		}
	}
	return NULL;
}

static HyphenDict *S_dict(struct hyph *h, const char *lang)
{
	if (lang == NULL)
		return NULL;
	for (int i = 0; i < h->nlangs; i++)
		if (strcmp(h->langs[i].tag, lang) == 0)
			return h->langs[i].dict;
	h->langs = xrealloc(h->langs, (size_t)(h->nlangs + 1) * sizeof *h->langs);
	struct S_lang *l = &h->langs[h->nlangs];
	*l = (struct S_lang){.tag = xstrdup(lang)};
	l->dict = S_load(h, lang, &l->arena);
	return h->langs[h->nlangs++].dict;
}

size_t hyph_memoised(const struct hyph *h)
{
	return h->memo.n;
}

int hyph_has(struct hyph *h, const char *lang)
{
	return S_dict(h, lang) != NULL;
}

/* Lower case for the scripts whose case pairs are regular: ASCII, Latin-1, Latin
 * Extended-A, Cyrillic, Armenian. Other characters stay as they are. */
static uint32_t S_lower(uint32_t c)
{
	if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7))
		return c + 32;
	if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x138 && c != 0x149 && c != 0x178)
		return (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E) ? (c & 1 ? c + 1 : c) : (c | 1);
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	if (c >= 0x531 && c <= 0x556)
		return c + 48;
	return c;
}

int hyph_word(struct hyph *h, const char *lang, const char *word, size_t n, int min_left,
	int min_right, int *points, int max)
{
	HyphenDict *dict = S_dict(h, lang);
	if (dict == NULL || n == 0 || n > 200)
		return 0;
	/* memo key: language, NUL, word, NUL, the two minimums (bytes); on the stack when it
	 * fits, since most words are found */
	if (min_left < 0 || min_left > 255 || min_right < 0 || min_right > 255)
		return 0;
	size_t ll = strlen(lang);
	char stack[64 + 1 + 200 + 3];
	char *key = ll <= 64 ? stack : xmalloc(ll + 1 + n + 3);
	size_t klen = 0;
	memcpy(key, lang, ll + 1);
	klen = ll + 1;
	memcpy(key + klen, word, n);
	klen += n;
	key[klen++] = '\0';
	key[klen++] = (char)min_left;
	key[klen++] = (char)min_right;
	struct bmap_slot *slot = bmap_slot(&h->memo, key, klen);
	if (slot->key != NULL) {
		const struct S_points *pt = slot->value;
		int k = pt->n < max ? pt->n : max;
		memcpy(points, pt->at, (size_t)k * sizeof *points);
		if (key != stack)
			free(key);
		return k;
	}
	/* lower-case copy, counting code points */
	struct buf low = {0};
	const char *p = word, *end = word + n;
	int ncp = 0;
	while (p < end) {
		char enc[4];
		uint32_t c = S_lower(utf8_next(&p, end));
		buf_put(&low, enc, utf8_encode(c, enc));
		ncp++;
	}
	char *hyphens = xcalloc(low.len + 5, 1);
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	struct S_points *pt = xmalloc(sizeof *pt + (size_t)(ncp + 1) * sizeof pt->at[0]);
	int found = 0, *all = pt->at;
	if (hnj_hyphen_hyphenate3(dict, low.data, (int)low.len, hyphens, NULL, &rep, &pos, &cut,
		min_left, min_right, min_left, min_right) == 0 && rep == NULL) {
		/* With a UTF-8 dictionary the vector is indexed by code point: an odd value at i
		 * allows a break after code point i. */
		for (int i = min_left - 1; i < ncp - min_right; i++)
			if (i >= 0 && (hyphens[i] & 1))
				all[found++] = i + 1;
	}
	if (rep != NULL) {
		for (size_t i = 0; i < low.len; i++)
			free(rep[i]);
		free(rep);
	}
	free(pos);
	free(cut);
	free(hyphens);
	buf_free(&low);
	pt->n = found;
	bmap_claim(&h->memo, slot, key, klen); /* (the slot holds: nothing was added since) */
	slot->value = pt;
	if (key != stack)
		free(key);
	int k = found < max ? found : max;
	memcpy(points, all, (size_t)k * sizeof *points);
	return k;
}
