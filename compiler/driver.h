/* driver.h: runs the pipeline (read, check, transform, layout, render, write) for a source:
 * one report, a set of topic reports and dated snapshots in parallel, or an archive. */
#ifndef BRIEFC_DRIVER_H
#define BRIEFC_DRIVER_H

#include <stdio.h>

#include "base/diag.h"

#define BRIEFC_VERSION "0.2.0"

enum drv_dump { DUMP_NONE, DUMP_TREE, DUMP_LAYOUT };

struct drv_options {
	const char *source;
	const char *style;  /* NULL: the built-in default (styles/briefing.xml) */
	const char *outdir; /* NULL: "output" (build) or "output/archive" (archive) */
	int pdf, tex;
	enum drv_dump dump;
	int quiet;          /* do not print the paths written */
	int stats;          /* print typesetting statistics (lines, hyphens, loose, overfull) */
	const char **topics; /* --topic, repeatable: one report on their union */
	int ntopics;
	int all_topics;     /* the full briefing and a report on every topic */
	const char **dates; /* --as-of, repeatable (and the dates of --every) */
	int ndates;
	int jobs;           /* reports made at once (0: the number of processors) */
	int shard_i, shard_n; /* --shard I/N: only the I-th of N slices of the work (0: all) */
	int replace;        /* archive: replace a snapshot whose inputs changed */
};

/* Each returns an exit code (enum exit_code); diagnostics are printed to err. */
int drv_build(const struct drv_options *o, FILE *out, FILE *err);
int drv_check(const struct drv_options *o, FILE *err);
/* briefc topics: the source's topics with their labels and item counts. */
int drv_topics(const struct drv_options *o, FILE *out, FILE *err);
/* briefc archive: the full briefing and every topic report, PDF and .tex, for each date,
 * under DIR/<stem>/<date>/ with a manifest; immutable unless o->replace. */
int drv_archive(const struct drv_options *o, FILE *out, FILE *err);
/* briefc archive --verify DIR/<stem>/<date>: checks every file against the manifest. */
int drv_verify(const char *dir, FILE *out, FILE *err);

/* The dates from --every day|week|month --from A --to B (ISO, inclusive), malloc'd; NULL
 * with a message in err when the arguments are wrong. */
const char **drv_series(const char *every, const char *from, const char *to, int *n,
	char *err, size_t errsize);

#endif
