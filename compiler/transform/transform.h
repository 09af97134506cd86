/* transform.h: turns the agreement's domain model into the generic document tree. */
#ifndef BRIEFC_TRANSFORM_H
#define BRIEFC_TRANSFORM_H

#include "doc.h"
#include "../read/model.h"

/* What report to make. Only the full briefing exists so far; topics and dated snapshots
 * select from the same model (issue: reports from one source). */
struct xf_options {
	const char *date;    /* the document's date (ISO); NULL: the source's revised/issued date */
	int numbering;       /* how sections are numbered (enum style_numbering; 0: 1, 1.1) */
	const char **topics; /* a topic report: only items tagged with one of these */
	int ntopics;
	const char *as_of;   /* a dated snapshot: the situation at the end of this day (ISO) */
	int consume;         /* the model's last use: free the source's block elements (p, list,
	                      * table, image, quote) once they are nodes of the tree, so that the
	                      * source's XML tree shrinks as the document tree grows. The model
	                      * may then only be freed. */
};

/* Builds the briefing, a topic report or a dated snapshot (or both) as opt asks. The tree
 * does not refer to the model: it may outlive it. */
struct doc *xf_briefing(const struct model *m, const struct xf_options *opt);

/* Items (terms, reactions, events, statements) a topic report on id would hold. */
int xf_topic_items(const struct model *m, const char *id);

#endif
