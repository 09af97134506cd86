/* patterns.h: libhyphen's pattern files read into libhyphen's own dictionary, in an arena:
 * the dictionary hnj_hyphen_load makes, state for state, in a fraction of its time. */
#ifndef BRIEFC_PATTERNS_H
#define BRIEFC_PATTERNS_H

#include <hyphen.h>

#include "../base/util.h"

/* Reads the pattern file at path as libhyphen 2.8.8 (Debian 12's) reads
 * it: its character set, LEFTHYPHENMIN and the other keywords, patterns with their
 * non-standard replacements, a second level after NEXTLEVEL or else libhyphen's default
 * first level (hyphens and apostrophes). Everything is allocated in a, and freed with it: never give the result to
 * hnj_hyphen_free. NULL when the file cannot be read. */
HyphenDict *pat_load(const char *path, struct arena *a);

#endif
