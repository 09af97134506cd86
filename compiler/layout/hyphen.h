/* hyphen.h: hyphenation points from libhyphen's patterns, chosen by language, memoised. */
#ifndef BRIEFC_HYPHEN_H
#define BRIEFC_HYPHEN_H

#include <stddef.h>

struct hyph;

/* dir: where the hyph_*.dic pattern files are (NULL: /usr/share/hyphen). */
struct hyph *hyph_open(const char *dir);
void hyph_close(struct hyph *h);

/* Whether patterns exist for a language tag ("en", "en-GB", "hy"). */
int hyph_has(struct hyph *h, const char *lang);

/* Finds the places a word may break. word is UTF-8 (n bytes) and must be a plain word:
 * letters only, as decided by the caller. Writes into points[] the number of code points
 * before each allowed break, ascending, at most max of them; returns how many. min_left and
 * min_right are the shortest fragments allowed at the start and the end. */
int hyph_word(struct hyph *h, const char *lang, const char *word, size_t n, int min_left,
	int min_right, int *points, int max);

/* How many words (with their language and minimums) are memoised. */
size_t hyph_memoised(const struct hyph *h);

#endif
