/* transform.h: turns the agreement's domain model into the generic document tree. */
#ifndef BRIEFC_TRANSFORM_H
#define BRIEFC_TRANSFORM_H

#include "doc.h"
#include "../read/model.h"

/* What report to make. Only the full briefing exists so far; topics and dated snapshots
 * select from the same model (issue: reports from one source). */
struct xf_options {
	const char *date;  /* the document's date (ISO); NULL: the source's revised/issued date */
	int numbering;     /* how sections are numbered (enum style_numbering; 0: 1, 1.1) */
};

/* Builds the full briefing. The tree does not refer to the model: it may outlive it. */
struct doc *xf_briefing(const struct model *m, const struct xf_options *opt);

#endif
