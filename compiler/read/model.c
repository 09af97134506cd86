/* model.c: builds the domain model from a source document and runs the semantic checks. */
#include "model.h"
#include "xmlread.h"
#include "image.h"

#include <limits.h>

#include <stdlib.h>
#include <string.h>

extern const unsigned char briefc_schema_dossier[];
extern const size_t briefc_schema_dossier_len;

/* ---- identifier table ---- */

struct model_idslot {
	const char *id;
	const char *kind; /* "actor", "topic", "term", ... */
	int line;
	void *item;
};

struct S_build {
	struct model *m;
	struct diags *d;
	int errors;
};

static const struct model_idslot *S_lookup(const struct model *m, const char *id)
{
	return id ? bmap_get(&m->ids, id, strlen(id)) : NULL;
}

static void S_define(struct S_build *b, const char *id, const char *kind, int line, void *item)
{
	if (id == NULL)
		return;
	struct bmap_slot *s = bmap_slot(&b->m->ids, id, strlen(id));
	if (s->key != NULL) {
		diag_emit(b->d, D_DUP_ID, b->m->file, line, 0, id,
			((struct model_idslot *)s->value)->line);
		b->errors++;
		return;
	}
	bmap_claim(&b->m->ids, s, id, strlen(id));
	struct model_idslot *v = arena_alloc(&b->m->arena, sizeof *v);
	*v = (struct model_idslot){.id = id, .kind = kind, .line = line, .item = item};
	s->value = v;
}

/* ---- small readers ---- */

#define S_is xmlread_is
#define S_line xmlread_line

static const char *S_attr(struct S_build *b, xmlNodePtr n, const char *name)
{
	return xmlread_attr(&b->m->arena, n, name);
}

static const char *S_lang(struct S_build *b, xmlNodePtr n)
{
	return xmlread_lang(&b->m->arena, n);
}

static const char *S_text(struct S_build *b, xmlNodePtr n)
{
	return xmlread_text(&b->m->arena, n);
}

static xmlNodePtr S_child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (S_is(c, name))
			return c;
	return NULL;
}

/* Splits a space-separated list of identifiers. */
static struct model_ids S_ids(struct S_build *b, const char *list)
{
	struct model_ids r = {0};
	if (list == NULL)
		return r;
	int n = 1;
	for (const char *p = list; *p; p++)
		n += *p == ' ';
	r.v = arena_alloc(&b->m->arena, (size_t)n * sizeof *r.v);
	const char *p = list;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *s = p;
		while (*p && *p != ' ')
			p++;
		if (p > s)
			r.v[r.n++] = arena_strndup(&b->m->arena, s, (size_t)(p - s));
	}
	return r;
}

/* ---- reference checks, run once every identifier is known ---- */

static const struct model_idslot *S_need(struct S_build *b, int line, const char *what, const char *id,
	const char *kind)
{
	const struct model_idslot *s = S_lookup(b->m, id);
	if (s == NULL) {
		diag_emit(b->d, D_UNDEF_REF, b->m->file, line, 0, what, id);
		b->errors++;
		return NULL;
	}
	if (kind != NULL && strcmp(s->kind, kind) != 0) {
		diag_emit(b->d, D_WRONG_KIND, b->m->file, line, 0, id, s->kind, kind);
		b->errors++;
		return NULL;
	}
	return s;
}

static void S_need_all(struct S_build *b, int line, const char *what, struct model_ids ids,
	const char *kind)
{
	for (int i = 0; i < ids.n; i++)
		S_need(b, line, what, ids.v[i], kind);
}

static int S_date_ok(struct S_build *b, int line, const char *s, long *key)
{
	int y, mo, d, p;
	if (s == NULL)
		return 0;
	if (!date_parse(s, &y, &mo, &d, &p)) {
		diag_emit(b->d, D_BAD_DATE, b->m->file, line, 0, s);
		b->errors++;
		return 0;
	}
	if (key != NULL)
		*key = date_key(y, mo, d);
	return 1;
}

static void S_count_topics(struct S_build *b, struct model_ids t)
{
	for (int i = 0; i < t.n; i++) {
		const struct model_idslot *s = S_lookup(b->m, t.v[i]);
		if (s != NULL && strcmp(s->kind, "topic") == 0)
			((struct model_topic *)s->item)->count++;
	}
}

/* An image must lie inside the source's directory and decode cleanly. */
static void S_check_image(struct S_build *b, xmlNodePtr n, int line)
{
	struct model *m = b->m;
	const char *src = S_attr(b, n, "src");
	int bad = src[0] == '/' || strchr(src, '\\') != NULL || strncmp(src, "..", 2) == 0 ||
		strstr(src, "/../") != NULL || (strlen(src) >= 3 && strcmp(src + strlen(src) - 3, "/..") == 0);
	char dir[PATH_MAX], real[PATH_MAX], joined[PATH_MAX * 2];
	const char *slash = strrchr(m->file, '/');
	snprintf(joined, sizeof joined, "%.*s", slash ? (int)(slash - m->file) : 1, slash ? m->file : ".");
	if (!bad && realpath(joined, dir) != NULL) {
		snprintf(joined, sizeof joined, "%s/%s", dir, src);
		size_t dl = strlen(dir);
		if (realpath(joined, real) == NULL) {
			diag_emit(b->d, D_IMAGE_BAD, m->file, line, 0, src, "no such file");
			b->errors++;
			return;
		}
		/* symbolic links may not lead outside either */
		bad = strncmp(real, dir, dl) != 0 || (real[dl] != '/' && strcmp(dir, "/") != 0);
	} else {
		bad = 1;
	}
	if (bad) {
		diag_emit(b->d, D_IMAGE_PATH, m->file, line, 0, src);
		b->errors++;
		return;
	}
	struct img im;
	char err[256];
	if (img_load(real, &im, err, sizeof err) != 0) {
		diag_emit(b->d, D_IMAGE_BAD, m->file, line, 0, src, err);
		b->errors++;
		return;
	}
	if (m->nimages == m->images_cap) {
		m->images_cap = m->images_cap ? m->images_cap * 2 : 8;
		m->images = xrealloc(m->images, (size_t)m->images_cap * sizeof *m->images);
	}
	m->images[m->nimages++] = (struct model_image){.node = n,
		.path = arena_strdup(&m->arena, real), .w = im.w, .h = im.h};
	img_free(&im);
}

/* Checks every element's dates and inline references (rich text anywhere in the source). */
static void S_check_tree(struct S_build *b, xmlNodePtr n, int in_note)
{
	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		int line = S_line(n);
		const char *name = (const char *)n->name;
		static const char *date_attrs[] = {"date", "from", "to", "met-on"};
		long from = 0, to = 0;
		int has_from = 0, has_to = 0;
		/* xref's "to" is an identifier, not the end of a range */
		size_t ndates = strcmp(name, "xref") == 0 ? 0 : sizeof date_attrs / sizeof *date_attrs;
		for (size_t i = 0; i < ndates; i++) {
			const char *v = S_attr(b, n, date_attrs[i]);
			if (v == NULL)
				continue;
			long k;
			if (S_date_ok(b, line, v, &k)) {
				if (i == 1)
					from = k, has_from = 1;
				if (i == 2)
					to = k, has_to = 1;
			}
		}
		if (has_from && has_to && to < from) {
			diag_emit(b->d, D_RANGE_ORDER, b->m->file, line, 0,
				S_attr(b, n, "to"), S_attr(b, n, "from"));
			b->errors++;
		}
		if (strcmp(name, "date") == 0) {
			const char *v = S_attr(b, n, "value");
			if (v != NULL)
				S_date_ok(b, line, v, NULL);
			else
				S_date_ok(b, line, S_text(b, n), NULL);
		} else if (strcmp(name, "issued") == 0 || strcmp(name, "revised") == 0) {
			S_date_ok(b, line, S_text(b, n), NULL);
		} else if (strcmp(name, "xref") == 0) {
			S_need(b, line, "cross-reference target", S_attr(b, n, "to"), NULL);
		} else if (strcmp(name, "cite") == 0) {
			S_need_all(b, line, "reference", S_ids(b, S_attr(b, n, "ref")), "reference");
		} else if (strcmp(name, "actor") == 0 && xmlHasProp(n, (const xmlChar *)"ref")) {
			S_need(b, line, "actor", S_attr(b, n, "ref"), "actor");
		} else if (strcmp(name, "q") == 0 || strcmp(name, "quote") == 0) {
			const char *by = S_attr(b, n, "by");
			if (by != NULL)
				S_need(b, line, "speaker", by, "actor");
			const char *ref = S_attr(b, n, "ref");
			if (ref != NULL)
				S_need(b, line, "reference", ref, "reference");
		} else if (strcmp(name, "link") == 0) {
			const char *href = S_attr(b, n, "href");
			if (href == NULL || !(strncmp(href, "http://", 7) == 0 ||
				strncmp(href, "https://", 8) == 0 || strncmp(href, "mailto:", 7) == 0)) {
				diag_emit(b->d, D_BAD_URL, b->m->file, line, 0, href ? href : "");
				b->errors++;
			}
		} else if (strcmp(name, "note") == 0) {
			if (in_note) {
				diag_emit(b->d, D_NESTED_NOTE, b->m->file, line, 0);
				b->errors++;
			}
			S_check_tree(b, n->children, 1);
			continue;
		} else if (strcmp(name, "image") == 0) {
			S_check_image(b, n, line);
		} else if (strcmp(name, "role") == 0) {
			const char *of = S_attr(b, n, "of");
			if (of != NULL)
				S_need(b, line, "actor", of, "actor");
		}
		S_check_tree(b, n->children, in_note);
	}
}

/* ---- building ---- */

static struct model_when S_when(struct S_build *b, xmlNodePtr n)
{
	struct model_when w = {0};
	w.from = S_attr(b, n, "date");
	if (w.from == NULL) {
		w.from = S_attr(b, n, "from");
		w.to = S_attr(b, n, "to");
		w.is_range = w.from != NULL;
	}
	return w;
}

static void S_read_actors(struct S_build *b, xmlNodePtr sec)
{
	struct model *m = b->m;
	int n = 0;
	for (xmlNodePtr a = sec->children; a; a = a->next)
		n += S_is(a, "actor");
	m->actors = arena_alloc(&m->arena, (size_t)(n ? n : 1) * sizeof *m->actors);
	for (xmlNodePtr a = sec->children; a; a = a->next) {
		if (!S_is(a, "actor"))
			continue;
		struct model_actor *x = &m->actors[m->nactors++];
		x->id = S_attr(b, a, "id");
		x->line = S_line(a);
		x->member_of = S_ids(b, S_attr(b, a, "member-of"));
		const char *k = S_attr(b, a, "kind");
		x->kind = strcmp(k, "state") == 0 ? ACTOR_STATE
			: strcmp(k, "de-facto") == 0 ? ACTOR_DEFACTO
			: strcmp(k, "organisation") == 0 ? ACTOR_ORG
			: strcmp(k, "person") == 0 ? ACTOR_PERSON : ACTOR_GROUP;
		int nn = 0, nr = 0;
		for (xmlNodePtr c = a->children; c; c = c->next)
			nn += S_is(c, "name"), nr += S_is(c, "role");
		x->names = arena_alloc(&m->arena, (size_t)(nn + 1) * sizeof *x->names);
		x->roles = arena_alloc(&m->arena, (size_t)(nr + 1) * sizeof *x->roles);
		for (xmlNodePtr c = a->children; c; c = c->next) {
			if (S_is(c, "name")) {
				struct model_name *nm = &x->names[x->nnames++];
				nm->lang = S_lang(b, c);
				nm->text = S_text(b, c);
				nm->translit = S_attr(b, c, "translit");
				if (x->name == NULL && (nm->lang == NULL ||
					(m->lang != NULL && strcmp(nm->lang, m->lang) == 0)))
					x->name = nm->text;
			} else if (S_is(c, "role")) {
				x->roles[x->nroles++] = S_text(b, c);
			}
		}
		if (x->name == NULL)
			x->name = x->names[0].text;
		S_define(b, x->id, "actor", x->line, x);
	}
}

static void S_read_topics(struct S_build *b, xmlNodePtr sec)
{
	struct model *m = b->m;
	int n = 0;
	for (xmlNodePtr t = sec->children; t; t = t->next)
		n += S_is(t, "topic");
	m->topics = arena_alloc(&m->arena, (size_t)(n ? n : 1) * sizeof *m->topics);
	for (xmlNodePtr t = sec->children; t; t = t->next) {
		if (!S_is(t, "topic"))
			continue;
		struct model_topic *x = &m->topics[m->ntopics++];
		x->id = S_attr(b, t, "id");
		x->line = S_line(t);
		x->label = S_text(b, S_child(t, "label"));
		x->description = S_child(t, "description");
		S_define(b, x->id, "topic", x->line, x);
	}
}

static void S_read_agreement(struct S_build *b, xmlNodePtr ag)
{
	struct model *m = b->m;
	m->agreement_id = S_attr(b, ag, "id");
	S_define(b, m->agreement_id, "agreement", S_line(ag), NULL);
	m->agreement_name = S_text(b, S_child(ag, "name"));
	xmlNodePtr sg = S_child(ag, "signed");
	m->signed_date = S_attr(b, sg, "date");
	m->signed_place = S_attr(b, sg, "place");
	xmlNodePtr ef = S_child(ag, "effective");
	if (ef != NULL) {
		m->effective = S_attr(b, ef, "datetime");
		m->effective_tz = S_attr(b, ef, "tz");
		m->effective_tz_name = S_attr(b, ef, "tz-name");
	}
	m->parties = S_ids(b, S_text(b, S_child(ag, "parties")));
	m->agreement_summary = S_child(ag, "summary");
	int ns = 0, nt = 0;
	xmlNodePtr sigs = S_child(ag, "signatories");
	for (xmlNodePtr c = sigs ? sigs->children : NULL; c; c = c->next)
		ns += S_is(c, "signatory");
	for (xmlNodePtr c = ag->children; c; c = c->next)
		nt += S_is(c, "term");
	m->signatories = arena_alloc(&m->arena, (size_t)(ns + 1) * sizeof *m->signatories);
	m->terms = arena_alloc(&m->arena, (size_t)(nt + 1) * sizeof *m->terms);
	for (xmlNodePtr c = ag->children; c; c = c->next) {
		if (!S_is(c, "term"))
			continue;
		struct model_term *t = &m->terms[m->nterms++];
		t->id = S_attr(b, c, "id");
		t->line = S_line(c);
		t->n = atoi(S_attr(b, c, "n"));
		t->topics = S_ids(b, S_attr(b, c, "topics"));
		t->binds = S_ids(b, S_attr(b, c, "binds"));
		t->title = S_child(c, "title");
		t->body = c;
		int nd = 0;
		for (xmlNodePtr d = c->children; d; d = d->next)
			nd += S_is(d, "deadline");
		t->deadlines = arena_alloc(&m->arena, (size_t)(nd + 1) * sizeof *t->deadlines);
		for (xmlNodePtr d = c->children; d; d = d->next) {
			if (!S_is(d, "deadline"))
				continue;
			struct model_deadline *x = &t->deadlines[t->ndeadlines++];
			x->date = S_attr(b, d, "date");
			x->status = S_attr(b, d, "status");
			x->met_on = S_attr(b, d, "met-on");
			x->text = d;
		}
		S_define(b, t->id, "term", t->line, t);
	}
}

static void S_read_reactions(struct S_build *b, xmlNodePtr sec)
{
	struct model *m = b->m;
	int n = 0;
	for (xmlNodePtr c = sec->children; c; c = c->next)
		n += S_is(c, "reaction");
	m->reactions = arena_alloc(&m->arena, (size_t)(n + 1) * sizeof *m->reactions);
	m->reactions_intro = S_child(sec, "intro");
	for (xmlNodePtr c = sec->children; c; c = c->next) {
		if (!S_is(c, "reaction"))
			continue;
		struct model_reaction *r = &m->reactions[m->nreactions++];
		r->id = S_attr(b, c, "id");
		r->line = S_line(c);
		r->when = S_when(b, c);
		r->stance = S_attr(b, c, "stance");
		r->topics = S_ids(b, S_attr(b, c, "topics"));
		r->summary = S_child(c, "summary");
		r->body = c;
		S_define(b, r->id, "reaction", r->line, r);
	}
}

static void S_read_aftermath(struct S_build *b, xmlNodePtr sec)
{
	struct model *m = b->m;
	int n = 0;
	for (xmlNodePtr c = sec->children; c; c = c->next)
		n += S_is(c, "thread");
	m->threads = arena_alloc(&m->arena, (size_t)(n + 1) * sizeof *m->threads);
	m->aftermath_intro = S_child(sec, "intro");
	for (xmlNodePtr c = sec->children; c; c = c->next) {
		if (!S_is(c, "thread"))
			continue;
		struct model_thread *t = &m->threads[m->nthreads++];
		t->id = S_attr(b, c, "id");
		t->line = S_line(c);
		t->topics = S_ids(b, S_attr(b, c, "topics"));
		t->title = S_child(c, "title");
		t->intro = S_child(c, "intro");
		S_define(b, t->id, "thread", t->line, t);
		int ne = 0;
		for (xmlNodePtr e = c->children; e; e = e->next)
			ne += S_is(e, "event");
		t->events = arena_alloc(&m->arena, (size_t)(ne + 1) * sizeof *t->events);
		for (xmlNodePtr e = c->children; e; e = e->next) {
			if (!S_is(e, "event"))
				continue;
			struct model_event *v = &t->events[t->nevents++];
			v->id = S_attr(b, e, "id");
			v->thread = t;
			v->line = S_line(e);
			v->when = S_when(b, e);
			v->topics = S_ids(b, S_attr(b, e, "topics"));
			v->actors = S_ids(b, S_attr(b, e, "actors"));
			v->terms = S_ids(b, S_attr(b, e, "terms"));
			v->place = S_attr(b, e, "place");
			v->title = S_child(e, "title");
			v->body = e;
			int nf = 0;
			for (xmlNodePtr f = e->children; f; f = f->next)
				nf += S_is(f, "figure");
			v->figures = arena_alloc(&m->arena, (size_t)(nf + 1) * sizeof *v->figures);
			for (xmlNodePtr f = e->children; f; f = f->next) {
				if (!S_is(f, "figure"))
					continue;
				struct model_figure *g = &v->figures[v->nfigures++];
				g->label = S_attr(b, f, "label");
				g->value = S_attr(b, f, "value");
				g->unit = S_attr(b, f, "unit");
			}
			S_define(b, v->id, "event", v->line, v);
		}
	}
}

static void S_read_statements(struct S_build *b, xmlNodePtr sec)
{
	struct model *m = b->m;
	int n = 0;
	for (xmlNodePtr c = sec->children; c; c = c->next)
		n += S_is(c, "statement");
	m->statements = arena_alloc(&m->arena, (size_t)(n + 1) * sizeof *m->statements);
	m->statements_intro = S_child(sec, "intro");
	for (xmlNodePtr c = sec->children; c; c = c->next) {
		if (!S_is(c, "statement"))
			continue;
		struct model_statement *s = &m->statements[m->nstatements++];
		s->id = S_attr(b, c, "id");
		s->line = S_line(c);
		s->date = S_attr(b, c, "date");
		s->place = S_attr(b, c, "place");
		s->by = S_ids(b, S_attr(b, c, "by"));
		s->topics = S_ids(b, S_attr(b, c, "topics"));
		s->title = S_child(c, "title");
		s->body = c;
		S_define(b, s->id, "statement", s->line, s);
	}
}

static void S_read_references(struct S_build *b, xmlNodePtr sec)
{
	struct model *m = b->m;
	int n = 0;
	for (xmlNodePtr c = sec->children; c; c = c->next)
		n += S_is(c, "reference");
	m->references = arena_alloc(&m->arena, (size_t)(n + 1) * sizeof *m->references);
	for (xmlNodePtr c = sec->children; c; c = c->next) {
		if (!S_is(c, "reference"))
			continue;
		struct model_reference *r = &m->references[m->nreferences++];
		r->id = S_attr(b, c, "id");
		r->line = S_line(c);
		r->number = m->nreferences;
		r->title = S_text(b, S_child(c, "title"));
		xmlNodePtr x;
		if ((x = S_child(c, "publisher")) != NULL)
			r->publisher = S_text(b, x);
		if ((x = S_child(c, "date")) != NULL)
			r->date = S_text(b, x);
		if ((x = S_child(c, "url")) != NULL)
			r->url = S_text(b, x);
		S_define(b, r->id, "reference", r->line, r);
	}
}

static void S_read_meta(struct S_build *b, xmlNodePtr meta)
{
	struct model *m = b->m;
	m->title = S_child(meta, "title");
	m->subtitle = S_child(meta, "subtitle");
	m->abstract = S_child(meta, "abstract");
	xmlNodePtr x;
	if ((x = S_child(meta, "short-title")) != NULL)
		m->short_title = S_text(b, x);
	m->issued = S_text(b, S_child(meta, "issued"));
	if ((x = S_child(meta, "revised")) != NULL)
		m->revised = S_text(b, x);
	if ((x = S_child(meta, "classification")) != NULL)
		m->classification = S_text(b, x);
	int n = 0;
	for (x = meta->children; x; x = x->next)
		n += S_is(x, "author");
	m->authors = arena_alloc(&m->arena, (size_t)(n + 1) * sizeof *m->authors);
	for (x = meta->children; x; x = x->next)
		if (S_is(x, "author"))
			m->authors[m->nauthors++] = S_text(b, x);
	if (m->short_title == NULL)
		m->short_title = S_text(b, m->title);
}

/* Cross-checks that need every identifier: references resolve, dates are ordered. */
static void S_check(struct S_build *b, xmlNodePtr root)
{
	struct model *m = b->m;
	const char *f = m->file;
	S_check_tree(b, root, 0);

	xmlNodePtr actors = S_child(root, "actors");
	for (xmlNodePtr a = actors ? actors->children : NULL; a; a = a->next) {
		if (!S_is(a, "actor"))
			continue;
		const char *mo = S_attr(b, a, "member-of");
		S_need_all(b, S_line(a), "actor", S_ids(b, mo), "actor");
	}
	S_need_all(b, S_line(S_child(S_child(root, "agreement"), "parties")), "party",
		m->parties, "actor");
	xmlNodePtr sigs = S_child(S_child(root, "agreement"), "signatories");
	for (xmlNodePtr c = sigs ? sigs->children : NULL; c; c = c->next) {
		if (!S_is(c, "signatory"))
			continue;
		const struct model_idslot *s = S_need(b, S_line(c), "signatory", S_attr(b, c, "actor"), "actor");
		if (s != NULL)
			m->signatories[m->nsignatories++] = s->item;
		const char *forr = S_attr(b, c, "for");
		if (forr != NULL)
			S_need(b, S_line(c), "actor", forr, "actor");
	}

	long signed_key = 0;
	S_date_ok(b, S_line(S_child(S_child(root, "agreement"), "signed")), m->signed_date, &signed_key);
	if (m->effective != NULL) {
		char day[11];
		snprintf(day, sizeof day, "%.10s", m->effective);
		int hh = atoi(m->effective + 11), mi = atoi(m->effective + 14);
		int y, mo, d, p;
		if (!date_parse(day, &y, &mo, &d, &p) || hh > 23 || mi > 59 ||
			(strlen(m->effective) > 16 && atoi(m->effective + 17) > 59)) {
			diag_emit(b->d, D_BAD_DATETIME, f,
				S_line(S_child(S_child(root, "agreement"), "effective")), 0, m->effective);
			b->errors++;
		}
	}
	for (int i = 0; i < m->nterms; i++) {
		struct model_term *t = &m->terms[i];
		if (t->n != i + 1) {
			char num[24];
			snprintf(num, sizeof num, "%d", t->n);
			diag_emit(b->d, D_TERM_NUMBER, f, t->line, 0, num, i + 1);
			b->errors++;
		}
		S_need_all(b, t->line, "topic", t->topics, "topic");
		S_need_all(b, t->line, "actor", t->binds, "actor");
		S_count_topics(b, t->topics);
		for (int k = 0; k < t->ndeadlines; k++) {
			int y, mo, d, p;
			struct model_deadline *x = &t->deadlines[k];
			if (signed_key > 0 && date_parse(x->date, &y, &mo, &d, &p)) {
				/* A deadline at month precision is before the signing only if its month is. */
				long key = date_key(y, p >= 2 ? mo : 12, p == 3 ? d : 31);
				if (key < signed_key) {
					diag_emit(b->d, D_DEADLINE_EARLY, f, S_line(x->text), 0, x->date,
						m->signed_date);
					b->errors++;
				}
			}
		}
	}
	for (int i = 0; i < m->nreactions; i++) {
		struct model_reaction *r = &m->reactions[i];
		const struct model_idslot *s = S_need(b, r->line, "actor", S_attr(b, r->body, "actor"), "actor");
		r->actor = s ? s->item : NULL;
		S_need_all(b, r->line, "topic", r->topics, "topic");
		S_count_topics(b, r->topics);
	}
	for (int i = 0; i < m->nthreads; i++) {
		struct model_thread *t = &m->threads[i];
		S_need_all(b, t->line, "topic", t->topics, "topic");
		S_count_topics(b, t->topics);
		for (int k = 0; k < t->nevents; k++) {
			struct model_event *v = &t->events[k];
			S_need_all(b, v->line, "topic", v->topics, "topic");
			S_need_all(b, v->line, "actor", v->actors, "actor");
			S_need_all(b, v->line, "term", v->terms, "term");
			S_count_topics(b, v->topics);
		}
	}
	for (int i = 0; i < m->nstatements; i++) {
		struct model_statement *s = &m->statements[i];
		S_need_all(b, s->line, "actor", s->by, "actor");
		S_need_all(b, s->line, "topic", s->topics, "topic");
		S_count_topics(b, s->topics);
	}
	for (int i = 0; i < m->ntopics; i++) {
		if (m->topics[i].count == 0)
			diag_emit(b->d, D_UNUSED_TOPIC, f, m->topics[i].line, 0, m->topics[i].id);
	}
}

static struct model *S_build(const char *name, xmlDocPtr doc, struct diags *d)
{
	if (!xmlread_validate(doc, name, briefc_schema_dossier, briefc_schema_dossier_len, d)) {
		xmlFreeDoc(doc);
		return NULL;
	}
	struct model *m = xcalloc(1, sizeof *m);
	m->doc = doc;
	struct S_build b = {.m = m, .d = d};
	m->file = arena_strdup(&m->arena, name);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	m->id = S_attr(&b, root, "id");
	m->lang = S_lang(&b, root);
	if (m->lang == NULL)
		m->lang = "en";
	S_define(&b, m->id, "dossier", S_line(root), NULL);
	for (xmlNodePtr c = root->children; c; c = c->next) {
		if (S_is(c, "meta"))
			S_read_meta(&b, c);
		else if (S_is(c, "actors"))
			S_read_actors(&b, c);
		else if (S_is(c, "topics"))
			S_read_topics(&b, c);
		else if (S_is(c, "agreement"))
			S_read_agreement(&b, c);
		else if (S_is(c, "background"))
			m->background = c;
		else if (S_is(c, "overview"))
			m->overview = c;
		else if (S_is(c, "reactions"))
			S_read_reactions(&b, c);
		else if (S_is(c, "aftermath"))
			S_read_aftermath(&b, c);
		else if (S_is(c, "statements"))
			S_read_statements(&b, c);
		else if (S_is(c, "references"))
			S_read_references(&b, c);
	}
	S_check(&b, root);
	if (b.errors > 0) {
		model_free(m);
		return NULL;
	}
	return m;
}

/* The source's elements that hold elements only (dossier.rng): the white space between their
 * children is layout of the file, not text. (Names that are also inline elements, such as
 * actor and summary, are not listed; tests/suite_reports.py checks the list against the
 * schema.) */
static const char *const S_element_only[] = {"dossier", "meta", "actors", "topics",
	"agreement", "signatories", "term", "reactions", "reaction", "aftermath", "thread",
	"event", "statements", "statement", "references", "reference", "background", "overview",
	"intro", "list", "table", "row", "quote", "image", NULL};

struct model *model_load(const char *path, struct diags *d)
{
	xmlDocPtr doc = xmlread_file(path, S_element_only, d);
	return doc ? S_build(path, doc, d) : NULL;
}

struct model *model_load_memory(const char *name, const char *data, size_t len, struct diags *d)
{
	xmlDocPtr doc = xmlread_memory(name, data, len, S_element_only, d);
	return doc ? S_build(name, doc, d) : NULL;
}

void model_free(struct model *m)
{
	if (m == NULL)
		return;
	xmlFreeDoc(m->doc);
	bmap_free(&m->ids, NULL); /* (the slots are in the arena) */
	free(m->images);
	arena_free(&m->arena);
	free(m);
}

static void *S_find_kind(const struct model *m, const char *id, const char *kind)
{
	const struct model_idslot *s = S_lookup(m, id);
	return s && strcmp(s->kind, kind) == 0 ? s->item : NULL;
}

const struct model_actor *model_actor(const struct model *m, const char *id)
{
	return S_find_kind(m, id, "actor");
}

const struct model_topic *model_topic(const struct model *m, const char *id)
{
	return S_find_kind(m, id, "topic");
}

const struct model_term *model_term(const struct model *m, const char *id)
{
	return S_find_kind(m, id, "term");
}

const struct model_reference *model_reference(const struct model *m, const char *id)
{
	return S_find_kind(m, id, "reference");
}

const struct model_reaction *model_reaction(const struct model *m, const char *id)
{
	return S_find_kind(m, id, "reaction");
}

const struct model_statement *model_statement(const struct model *m, const char *id)
{
	return S_find_kind(m, id, "statement");
}

const struct model_thread *model_thread(const struct model *m, const char *id)
{
	return S_find_kind(m, id, "thread");
}

const struct model_event *model_event(const struct model *m, const char *id)
{
	return S_find_kind(m, id, "event");
}

const char *model_kind_of(const struct model *m, const char *id)
{
	const struct model_idslot *s = S_lookup(m, id);
	return s ? s->kind : NULL;
}

const struct model_image *model_image(const struct model *m, xmlNodePtr node)
{
	for (int i = 0; i < m->nimages; i++)
		if (m->images[i].node == node)
			return &m->images[i];
	return NULL;
}
