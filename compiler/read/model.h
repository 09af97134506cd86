/* model.h: the agreement's domain model, built and checked from a validated source document. */
#ifndef BRIEFC_MODEL_H
#define BRIEFC_MODEL_H

#include <libxml/tree.h>

#include "../base/diag.h"
#include "../base/util.h"

/* Rich text stays as the source's element (p, list, table, quote and inline markup), which
 * the schema has already checked; the transform turns it into document-tree nodes. The model
 * owns the xmlDoc those elements live in. */
typedef xmlNodePtr model_rich;
struct model_idslot;

struct model_ids {
	const char **v;
	int n;
};

enum actor_kind { ACTOR_STATE, ACTOR_DEFACTO, ACTOR_ORG, ACTOR_PERSON, ACTOR_GROUP };

struct model_name {
	const char *lang; /* NULL: the document's language */
	const char *text;
	const char *translit;
};

struct model_actor {
	const char *id;
	enum actor_kind kind;
	const char *name; /* display name */
	struct model_name *names;
	int nnames;
	struct model_ids member_of;
	const char **roles; /* "President of Azerbaijan" */
	int nroles;
	int line;
};

struct model_topic {
	const char *id, *label;
	model_rich description; /* may be NULL */
	int count;              /* items tagged with it */
	int line;
};

/* A date or a range; from/to are ISO texts as written (to may be NULL: still running). */
struct model_when {
	const char *from, *to;
	int is_range;
};


struct model_deadline {
	const char *date, *status, *met_on;
	model_rich text;
};

struct model_term {
	const char *id;
	int n;
	struct model_ids topics, binds;
	model_rich title;
	struct model_deadline *deadlines;
	int ndeadlines;
	model_rich body; /* the <term> element: its block children are the text */
	int line;
};

struct model_reaction {
	const char *id;
	struct model_actor *actor;
	struct model_when when; /* from == NULL when undated */
	const char *stance;
	struct model_ids topics;
	model_rich summary, body;
	int line;
};

struct model_figure {
	const char *label, *value, *unit;
};

struct model_event {
	const char *id;
	const struct model_thread *thread; /* the thread that holds it */
	struct model_when when;
	struct model_ids topics, actors, terms;
	const char *place;
	model_rich title, body;
	struct model_figure *figures;
	int nfigures;
	int line;
};

struct model_thread {
	const char *id;
	struct model_ids topics;
	model_rich title, intro;
	struct model_event *events;
	int nevents;
	int line;
};

struct model_statement {
	const char *id, *date, *place;
	struct model_ids by, topics;
	model_rich title, body;
	int line;
};

struct model_image {
	xmlNodePtr node;
	const char *path; /* resolved, inside the source's directory */
	int w, h;         /* pixels */
};

struct model_reference {
	const char *id, *title, *publisher, *date, *url;
	int number; /* 1-based, in order of declaration */
	int line;
};

struct model {
	struct arena arena;
	xmlDocPtr doc;
	const char *file;
	const char *id, *lang;
	/* metadata */
	model_rich title, subtitle, abstract;
	const char *short_title, *issued, *revised, *classification;
	const char **authors;
	int nauthors;
	/* actors, topics */
	struct model_actor *actors;
	int nactors;
	struct model_topic *topics;
	int ntopics;
	/* the agreement */
	const char *agreement_id, *agreement_name;
	const char *signed_date, *signed_place;
	const char *effective, *effective_tz, *effective_tz_name;
	struct model_ids parties;
	struct model_actor **signatories;
	int nsignatories;
	model_rich agreement_summary;
	struct model_term *terms;
	int nterms;
	/* the rest of the dossier */
	model_rich background, overview;
	model_rich reactions_intro, aftermath_intro, statements_intro;
	struct model_reaction *reactions;
	int nreactions;
	struct model_thread *threads;
	int nthreads;
	struct model_statement *statements;
	int nstatements;
	struct model_reference *references;
	int nreferences;
	struct model_image *images;
	int nimages, images_cap;
	/* identifier -> struct model_idslot (private to model.c; the slots are in the arena) */
	struct bmap ids;
};

/* Reads, validates (schema and semantic checks) and builds the model of the source at path.
 * Reports every problem; returns NULL when any error was found. */
struct model *model_load(const char *path, struct diags *d);
/* Same, for a document already in memory (tests, fuzzing). */
struct model *model_load_memory(const char *name, const char *data, size_t len, struct diags *d);
void model_free(struct model *m);

const struct model_actor *model_actor(const struct model *m, const char *id);
const struct model_topic *model_topic(const struct model *m, const char *id);
const struct model_term *model_term(const struct model *m, const char *id);
const struct model_reference *model_reference(const struct model *m, const char *id);
const struct model_reaction *model_reaction(const struct model *m, const char *id);
const struct model_statement *model_statement(const struct model *m, const char *id);
const struct model_thread *model_thread(const struct model *m, const char *id);
const struct model_event *model_event(const struct model *m, const char *id);
/* What kind of thing an identifier names ("term", "event", ...), or NULL if undeclared. */
const char *model_kind_of(const struct model *m, const char *id);
/* The checked image an <image> element names, or NULL. */
const struct model_image *model_image(const struct model *m, xmlNodePtr node);

#endif
