/* driver.h: runs the pipeline (read, check, transform, layout, render, write) for one source. */
#ifndef BRIEFC_DRIVER_H
#define BRIEFC_DRIVER_H

#include <stdio.h>

#include "base/diag.h"

enum drv_dump { DUMP_NONE, DUMP_TREE, DUMP_LAYOUT };

struct drv_options {
	const char *source;
	const char *style;  /* NULL: the built-in default (styles/briefing.xml) */
	const char *outdir; /* NULL: "output" */
	int pdf, tex;
	enum drv_dump dump;
	int quiet;          /* do not print the paths written */
	int stats;          /* print typesetting statistics (lines, hyphens, loose, overfull) */
};

/* briefc build: returns an exit code (enum exit_code); diagnostics are printed to err. */
int drv_build(const struct drv_options *o, FILE *out, FILE *err);
/* briefc check: validation of the source and the style only. */
int drv_check(const struct drv_options *o, FILE *err);

#endif
