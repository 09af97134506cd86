/* transform.c: turns the agreement's domain model into the generic document tree. */
#include "transform.h"
#include "../read/style.h"
#include "../read/xmlread.h"

#include <stdlib.h>
#include <string.h>

struct S_xf {
	const struct model *m;
	struct doc *d;
	int sec[4];             /* section counters per level */
	int numbering;          /* enum style_numbering */
	int nnotes;
	int nsections;
	const struct xf_options *opt;
	long as_of;          /* date key of the snapshot's day, 0: none */
	int cite_count;
	long consumed;
};

#define S_is xmlread_is
#define S_line xmlread_line

static const char *S_attr(struct S_xf *x, xmlNodePtr n, const char *name)
{
	return xmlread_attr(&x->d->arena, n, name);
}

static const char *S_lang(struct S_xf *x, xmlNodePtr n)
{
	return xmlread_lang(&x->d->arena, n);
}

static const char *S_date(struct S_xf *x, const char *iso)
{
	char buf[64];
	date_format(iso, buf, sizeof buf);
	return arena_strdup(&x->d->arena, buf);
}

static int S_all(const char *s, size_t n, const char *set)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strchr(set, s[i]) == NULL)
			return 0;
	return 1;
}

/* Length of a token without trailing punctuation. */
static size_t S_core(const char *s, size_t n)
{
	while (n > 0 && strchr(".,;:)!?", s[n - 1]) != NULL)
		n--;
	return n;
}

static int S_in(const char *s, size_t n, const char *const *words)
{
	for (; *words; words++)
		if (strlen(*words) == n && strncmp(s, *words, n) == 0)
			return 1;
	return 0;
}

/* English ties: the spaces of "11 January 2021", "5 km", "point 6" become no-break spaces,
 * as a typesetter would tie them. */
static void S_ties(struct buf *b)
{
	static const char *const months[] = {"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November", "December", NULL};
	static const char *const units[] = {"km", "m", "cm", "mm", "kg", "t", "ha", "%", "km²", NULL};
	static const char *const before_number[] = {"term", "terms", "point", "points", "page",
		"p.", "No.", "Article", "article", "paragraph", "section", "Term", "Point", NULL};
	char *s = b->data;
	size_t n = b->len;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != ' ')
			continue;
		size_t a = i;
		while (a > 0 && s[a - 1] != ' ' && (unsigned char)s[a - 1] != 0xA0)
			a--;
		size_t e = i + 1;
		while (e < n && s[e] != ' ')
			e++;
		const char *prev = s + a, *next = s + i + 1;
		size_t pn = i - a, nn = S_core(next, e - i - 1);
		int tie = (pn <= 2 && S_all(prev, pn, "0123456789") && S_in(next, nn, months)) ||
			(S_in(prev, pn, months) && nn == 4 && S_all(next, 4, "0123456789")) ||
			(S_all(prev, pn, "0123456789,.") && prev[0] != ',' && prev[0] != '.' && S_in(next, nn, units)) ||
			(S_in(prev, pn, before_number) && nn > 0 && next[0] >= '0' && next[0] <= '9');
		if (tie) {
			/* U+00A0 is two bytes: make room for the second */
			buf_putc(b, '\0');
			s = b->data;
			memmove(s + i + 2, s + i + 1, n - i - 1);
			s[i] = (char)0xC2;
			s[i + 1] = (char)0xA0;
			n++;
			s[n] = '\0';
			b->len = n;
			i++;
		}
	}
}

/* Adds text with XML white space collapsed to single spaces. */
static void S_text(struct S_xf *x, struct doc_node *parent, const char *s, int line)
{
	struct buf b = {0};
	int space = 0;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			space = 1;
			continue;
		}
		if (space)
			buf_putc(&b, ' ');
		space = 0;
		buf_putc(&b, *s);
	}
	if (space)
		buf_putc(&b, ' ');
	if (b.len > 0 && x->m->lang != NULL && strncmp(x->m->lang, "en", 2) == 0)
		S_ties(&b);
	if (b.len > 0)
		doc_add_text(x->d, parent, b.data, line);
	buf_free(&b);
}

static struct doc_node *S_gen_text(struct S_xf *x, struct doc_node *parent, const char *s)
{
	struct doc_node *t = doc_add_text(x->d, parent, s, 0);
	t->flags |= DOC_GENERATED;
	return t;
}

/* ---- what a report holds ---- */

static long S_key(const char *iso)
{
	int y, m, d, p;
	return iso && date_parse(iso, &y, &m, &d, &p) ? date_key(y, m, d) : 0;
}

static int S_topic_match(const struct S_xf *x, struct model_ids ids)
{
	if (x->opt == NULL || x->opt->ntopics == 0)
		return 1;
	for (int i = 0; i < ids.n; i++)
		for (int k = 0; k < x->opt->ntopics; k++)
			if (strcmp(ids.v[i], x->opt->topics[k]) == 0)
				return 1;
	return 0;
}

/* Dated on or before the snapshot's day (a month or a year counts from its first day). */
static int S_dated_ok(const struct S_xf *x, const char *from)
{
	return x->as_of == 0 || from == NULL || S_key(from) <= x->as_of;
}

static int S_term_in(const struct S_xf *x, const struct model_term *t)
{
	return S_topic_match(x, t->topics);
}

/* An undated reaction counts from the signing: it reacts to the agreement. */
static int S_reaction_in(const struct S_xf *x, const struct model_reaction *r)
{
	return S_topic_match(x, r->topics) &&
		S_dated_ok(x, r->when.from ? r->when.from : x->m->signed_date);
}

static int S_event_in(const struct S_xf *x, const struct model_event *e)
{
	return (S_topic_match(x, e->topics) || S_topic_match(x, e->thread->topics)) &&
		S_dated_ok(x, e->when.from);
}

static int S_thread_in(const struct S_xf *x, const struct model_thread *t)
{
	for (int k = 0; k < t->nevents; k++)
		if (S_event_in(x, &t->events[k]))
			return 1;
	return 0;
}

static int S_statement_in(const struct S_xf *x, const struct model_statement *s)
{
	return S_topic_match(x, s->topics) && S_dated_ok(x, s->date);
}

static int S_topic_report(const struct S_xf *x)
{
	return x->opt != NULL && x->opt->ntopics > 0;
}

/* Whether an actor appears in the report: always in the full briefing; in a topic report,
 * when an included item names it. */
static int S_actor_in(const struct S_xf *x, const char *id)
{
	const struct model *m = x->m;
	if (!S_topic_report(x))
		return 1;
	for (int i = 0; i < m->parties.n; i++)
		if (strcmp(m->parties.v[i], id) == 0)
			return 1;
	for (int i = 0; i < m->nsignatories; i++)
		if (strcmp(m->signatories[i]->id, id) == 0)
			return 1;
	for (int i = 0; i < m->nterms; i++)
		if (S_term_in(x, &m->terms[i]))
			for (int k = 0; k < m->terms[i].binds.n; k++)
				if (strcmp(m->terms[i].binds.v[k], id) == 0)
					return 1;
	for (int i = 0; i < m->nreactions; i++)
		if (S_reaction_in(x, &m->reactions[i]) && m->reactions[i].actor &&
			strcmp(m->reactions[i].actor->id, id) == 0)
			return 1;
	for (int i = 0; i < m->nthreads; i++)
		for (int k = 0; k < m->threads[i].nevents; k++) {
			const struct model_event *e = &m->threads[i].events[k];
			if (S_event_in(x, e))
				for (int a = 0; a < e->actors.n; a++)
					if (strcmp(e->actors.v[a], id) == 0)
						return 1;
		}
	for (int i = 0; i < m->nstatements; i++)
		if (S_statement_in(x, &m->statements[i]))
			for (int a = 0; a < m->statements[i].by.n; a++)
				if (strcmp(m->statements[i].by.v[a], id) == 0)
					return 1;
	return 0;
}

/* The anchor a cross-reference to id links to, or NULL when the report does not hold it. */
static const char *S_xref_anchor(struct S_xf *x, const char *id)
{
	const struct model *m = x->m;
	const char *kind = model_kind_of(m, id);
	if (kind == NULL)
		return NULL;
	if (strcmp(kind, "term") == 0)
		return S_term_in(x, model_term(m, id)) ? id : NULL;
	if (strcmp(kind, "actor") == 0)
		return S_actor_in(x, id) ? arena_printf(&x->d->arena, "actor-%s", id) : NULL;
	if (strcmp(kind, "reference") == 0)
		return arena_printf(&x->d->arena, "ref-%s", id);
	if (strcmp(kind, "agreement") == 0)
		return id;
	/* (looked up by identifier: a scan of the items for each reference made the transform
	 * quadratic in a long dossier's cross-references) */
	if (strcmp(kind, "reaction") == 0)
		return S_reaction_in(x, model_reaction(m, id)) ? id : NULL;
	if (strcmp(kind, "statement") == 0)
		return S_statement_in(x, model_statement(m, id)) ? id : NULL;
	if (strcmp(kind, "thread") == 0)
		return S_thread_in(x, model_thread(m, id)) ? id : NULL;
	if (strcmp(kind, "event") == 0) {
		const struct model_event *e = model_event(m, id);
		return S_event_in(x, e) ? id : NULL;
	}
	return NULL; /* topics and the dossier itself have no place to link to */
}

int xf_topic_items(const struct model *m, const char *id)
{
	const char *topics[1] = {id};
	struct xf_options o = {.topics = topics, .ntopics = 1};
	struct S_xf x = {.m = m, .opt = &o};
	int n = 0;
	for (int i = 0; i < m->nterms; i++)
		n += S_term_in(&x, &m->terms[i]);
	for (int i = 0; i < m->nreactions; i++)
		n += S_reaction_in(&x, &m->reactions[i]);
	for (int i = 0; i < m->nthreads; i++)
		for (int k = 0; k < m->threads[i].nevents; k++)
			n += S_event_in(&x, &m->threads[i].events[k]);
	for (int i = 0; i < m->nstatements; i++)
		n += S_statement_in(&x, &m->statements[i]);
	return n;
}

/* The words a cross-reference shows when the source gives none. */
static const char *S_xref_text(struct S_xf *x, const char *id)
{
	const struct model *m = x->m;
	const char *kind = model_kind_of(m, id);
	if (kind == NULL)
		return id;
	if (strcmp(kind, "term") == 0)
		return arena_printf(&x->d->arena, "term\u00A0%d", model_term(m, id)->n);
	if (strcmp(kind, "actor") == 0)
		return model_actor(m, id)->name;
	if (strcmp(kind, "topic") == 0)
		return model_topic(m, id)->label;
	if (strcmp(kind, "reference") == 0)
		return arena_printf(&x->d->arena, "[%d]", model_reference(m, id)->number);
	if (strcmp(kind, "reaction") == 0 && model_reaction(m, id)->actor != NULL)
		return arena_printf(&x->d->arena, "the reaction of %s", model_reaction(m, id)->actor->name);
	/* (found by identifier: a scan of the items for each reference was quadratic) */
	xmlNodePtr title = strcmp(kind, "thread") == 0 ? model_thread(m, id)->title
		: strcmp(kind, "event") == 0 ? model_event(m, id)->title
		: strcmp(kind, "statement") == 0 ? model_statement(m, id)->title : NULL;
	if (title != NULL) {
		xmlChar *t = xmlNodeGetContent(title);
		const char *r = arena_printf(&x->d->arena, "\u201C%s\u201D", t ? (const char *)t : "");
		xmlFree(t);
		return r;
	}
	return id;
}

static void S_inline(struct S_xf *x, struct doc_node *parent, xmlNodePtr n);

static void S_inline_children(struct S_xf *x, struct doc_node *parent, xmlNodePtr n)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		S_inline(x, parent, c);
}

static void S_inline(struct S_xf *x, struct doc_node *parent, xmlNodePtr n)
{
	struct doc *d = x->d;
	if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
		S_text(x, parent, (const char *)n->content, S_line(n));
		return;
	}
	if (n->type != XML_ELEMENT_NODE)
		return;
	const char *name = (const char *)n->name;
	int line = S_line(n);
	struct doc_node *s;
	if (strcmp(name, "em") == 0) {
		S_inline_children(x, doc_add(d, parent, DOC_EMPH, line), n);
	} else if (strcmp(name, "strong") == 0) {
		S_inline_children(x, doc_add(d, parent, DOC_STRONG, line), n);
	} else if (strcmp(name, "q") == 0) {
		s = doc_add(d, parent, DOC_LANG, line);
		s->lang = S_lang(x, n);
		S_gen_text(x, s, "\u201C");
		S_inline_children(x, s, n);
		S_gen_text(x, s, "\u201D");
	} else if (strcmp(name, "foreign") == 0) {
		s = doc_add(d, parent, DOC_LANG, line);
		s->lang = S_lang(x, n);
		S_inline_children(x, s, n);
	} else if (strcmp(name, "actor") == 0 || strcmp(name, "date") == 0) {
		xmlChar *t = xmlNodeGetContent(n);
		int empty = t == NULL || t[0] == '\0';
		if (!empty)
			S_inline_children(x, parent, n);
		else if (strcmp(name, "date") == 0)
			S_gen_text(x, parent, S_date(x, S_attr(x, n, "value")));
		else
			S_gen_text(x, parent, model_actor(x->m, S_attr(x, n, "ref"))->name);
		xmlFree(t);
	} else if (strcmp(name, "link") == 0) {
		s = doc_add(d, parent, DOC_LINK, line);
		s->target = S_attr(x, n, "href");
		xmlChar *t = xmlNodeGetContent(n);
		if (t == NULL || t[0] == '\0')
			S_gen_text(x, s, s->target);
		else
			S_inline_children(x, s, n);
		xmlFree(t);
	} else if (strcmp(name, "xref") == 0) {
		const char *to = S_attr(x, n, "to");
		const char *anchor = S_xref_anchor(x, to);
		if (anchor == NULL) {
			/* not in this report: its words, and a note saying so, without a link */
			s = doc_add(d, parent, DOC_EMPH, line);
			xmlChar *t = xmlNodeGetContent(n);
			if (t == NULL || t[0] == '\0')
				S_gen_text(x, s, S_xref_text(x, to));
			else
				S_inline_children(x, s, n);
			xmlFree(t);
			if (model_kind_of(x->m, to) != NULL && strcmp(model_kind_of(x->m, to), "topic") != 0)
				S_gen_text(x, parent, " (not in this report)");
			return;
		}
		s = doc_add(d, parent, DOC_XREF, line);
		s->target = anchor;
		const char *show = S_attr(x, n, "show");
		int page = show && strcmp(show, "text") != 0, text = !show || strcmp(show, "page") != 0;
		if (text) {
			xmlChar *t = xmlNodeGetContent(n);
			if (t == NULL || t[0] == '\0')
				S_gen_text(x, s, S_xref_text(x, s->target));
			else
				S_inline_children(x, s, n);
			xmlFree(t);
		}
		if (page) {
			S_gen_text(x, s, text ? " (p.\u00A0" : "p.\u00A0");
			struct doc_node *pr = doc_add(d, s, DOC_PAGEREF, line);
			pr->target = anchor;
			if (text)
				S_gen_text(x, s, ")");
		}
	} else if (strcmp(name, "cite") == 0) {
		const char *refs = S_attr(x, n, "ref");
		const char *p = refs;
		while (*p) {
			while (*p == ' ')
				p++;
			const char *e = p;
			while (*e && *e != ' ')
				e++;
			if (e > p) {
				char *id = arena_strndup(&d->arena, p, (size_t)(e - p));
				const struct model_reference *r = model_reference(x->m, id);
				s = doc_add(d, parent, DOC_CITE, line);
				s->target = arena_printf(&d->arena, "ref-%s", id);
				s->label = arena_printf(&d->arena, "[%d]", r ? r->number : 0);
				s->flags |= DOC_GENERATED;
			}
			p = e;
		}
	} else if (strcmp(name, "note") == 0) {
		/* a footnote: the mark here, the text at the foot of the page */
		s = doc_add(d, parent, DOC_FOOTNOTE, line);
		x->nnotes++;
		s->label = arena_printf(&d->arena, "%d", x->nnotes);
		s->anchor = arena_printf(&d->arena, "note-%d", x->nnotes);
		S_inline_children(x, s, n);
	} else {
		S_inline_children(x, parent, n); /* unknown inline: keep its text */
	}
}

static struct doc_node *S_para(struct S_xf *x, struct doc_node *parent, const char *cls, int line)
{
	struct doc_node *p = doc_add(x->d, parent, DOC_PARA, line);
	p->cls = cls;
	return p;
}

static void S_block(struct S_xf *x, struct doc_node *parent, xmlNodePtr c)
{
	struct doc *d = x->d;
	int line = S_line(c);
	if (S_is(c, "p")) {
		struct doc_node *p = S_para(x, parent, "body", line);
		p->lang = S_lang(x, c);
		S_inline_children(x, p, c);
	} else if (S_is(c, "list")) {
		struct doc_node *l = doc_add(d, parent, DOC_LIST, line);
		const char *ord = S_attr(x, c, "ordered");
		int ordered = ord && (strcmp(ord, "true") == 0 || strcmp(ord, "1") == 0);
		if (ordered)
			l->flags |= DOC_ORDERED;
		int k = 0;
		for (xmlNodePtr i = c->children; i; i = i->next) {
			if (!S_is(i, "item"))
				continue;
			struct doc_node *it = doc_add(d, l, DOC_ITEM, S_line(i));
			it->cls = "item";
			it->label = ordered ? arena_printf(&d->arena, "%d.", ++k) : "\u2022";
			S_inline_children(x, it, i);
		}
	} else if (S_is(c, "table")) {
		struct doc_node *t = doc_add(d, parent, DOC_TABLE, line);
		for (xmlNodePtr r = c->children; r; r = r->next) {
			if (S_is(r, "caption")) {
				S_inline_children(x, S_para(x, t, "caption", S_line(r)), r);
			} else if (S_is(r, "row")) {
				struct doc_node *row = doc_add(d, t, DOC_ROW, S_line(r));
				const char *h = S_attr(x, r, "header");
				if (h && (strcmp(h, "true") == 0 || strcmp(h, "1") == 0))
					row->flags |= DOC_HEADER;
				for (xmlNodePtr cl = r->children; cl; cl = cl->next) {
					if (!S_is(cl, "cell"))
						continue;
					struct doc_node *cell = doc_add(d, row, DOC_CELL, S_line(cl));
					cell->cls = (row->flags & DOC_HEADER) ? "th" : "cell";
					const char *al = S_attr(x, cl, "align");
					if (al && strcmp(al, "right") == 0)
						cell->flags |= DOC_ALIGN_RIGHT;
					else if (al && strcmp(al, "center") == 0)
						cell->flags |= DOC_ALIGN_CENTER;
					S_inline_children(x, cell, cl);
				}
			}
		}
	} else if (S_is(c, "image")) {
		const struct model_image *im = model_image(x->m, c);
		if (im == NULL)
			return;
		struct doc_node *g = doc_add(d, parent, DOC_IMAGE, line);
		/* only the file's name: the tree and its dumps carry no path of this machine */
		g->target = arena_strdup(&d->arena, im->path);
		g->px_w = im->w;
		g->px_h = im->h;
		const char *w = S_attr(x, c, "width");
		g->width = w ? atof(w) / 100.0 : 1.0;
		for (xmlNodePtr k = c->children; k; k = k->next)
			if (S_is(k, "caption"))
				S_inline_children(x, g, k);
	} else if (S_is(c, "quote")) {
		struct doc_node *q = doc_add(d, parent, DOC_QUOTE, line);
		q->lang = S_lang(x, c);
		for (xmlNodePtr p = c->children; p; p = p->next)
			if (S_is(p, "p"))
				S_inline_children(x, S_para(x, q, "quote", S_line(p)), p);
		const char *by = S_attr(x, c, "by"), *date = S_attr(x, c, "date");
		const char *ref = S_attr(x, c, "ref");
		if (by || date || ref) {
			struct doc_node *a = S_para(x, q, "attribution", line);
			a->flags |= DOC_GENERATED;
			struct buf b = {0};
			buf_puts(&b, "\u2014\u00A0");
			if (by)
				buf_puts(&b, model_actor(x->m, by)->name);
			if (date)
				buf_printf(&b, "%s%s", by ? ", " : "", S_date(x, date));
			S_gen_text(x, a, b.data);
			buf_free(&b);
			if (ref) {
				S_gen_text(x, a, " ");
				struct doc_node *ci = doc_add(d, a, DOC_CITE, line);
				ci->target = arena_printf(&d->arena, "ref-%s", ref);
				ci->label = arena_printf(&d->arena, "[%d]", model_reference(x->m, ref)->number);
				ci->flags |= DOC_GENERATED;
			}
		}
	}
}

/* The block children of n, in order; with consume, each is freed once it is made. */
static void S_blocks(struct S_xf *x, struct doc_node *parent, xmlNodePtr n)
{
	for (xmlNodePtr c = n ? n->children : NULL, next; c; c = next) {
		next = c->next;
		S_block(x, parent, c);
		if (x->opt && x->opt->consume && (c->type == XML_TEXT_NODE || S_is(c, "p") ||
			S_is(c, "list") || S_is(c, "table") || S_is(c, "image") || S_is(c, "quote"))) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
			/* the freed elements lie between ones still in use: their pages go back
			 * to the system now and then, or the tree would grow beside them */
			if (++x->consumed % 2048 == 0)
				mem_release();
		}
	}
}

/* A section number in a scheme: 3, III or C. */
static void S_number(int scheme, int n, char *out, size_t size)
{
	if (scheme == NUM_ROMAN) {
		roman_numeral(n, 1, out, size);
	} else if (scheme == NUM_ALPHA && n <= 26) {
		snprintf(out, size, "%c", 'A' + n - 1);
	} else {
		snprintf(out, size, "%d", n);
	}
}

/* A numbered section (levels 1 and 2 are numbered; 3 is not) with its heading. */
static struct doc_node *S_section(struct S_xf *x, struct doc_node *parent, int level,
	const char *anchor, const char *label, int line)
{
	struct doc *d = x->d;
	struct doc_node *s = doc_add(d, parent, DOC_SECTION, line);
	s->level = level;
	s->anchor = anchor;
	x->nsections++;
	if (anchor == NULL) /* every section can be linked to (contents, outline) */
		s->anchor = arena_printf(&d->arena, "sec-%d", x->nsections);
	struct doc_node *h = doc_add(d, s, DOC_HEADING, line);
	h->level = level;
	h->cls = level == 1 ? "h1" : level == 2 ? "h2" : "h3";
	x->sec[level]++;
	for (int i = level + 1; i < 4; i++)
		x->sec[i] = 0;
	if (label != NULL)
		h->label = label;
	else if (level <= 2 && x->numbering != NUM_NONE) {
		char top[16];
		S_number(x->numbering, x->sec[1], top, sizeof top);
		h->label = level == 1 ? arena_strdup(&d->arena, top)
			: arena_printf(&d->arena, "%s.%d", top, x->sec[2]);
	}
	return s;
}

static struct doc_node *S_heading(struct doc_node *section)
{
	return section->first;
}

static struct doc_node *S_section_gen(struct S_xf *x, struct doc_node *parent, int level,
	const char *anchor, const char *title)
{
	struct doc_node *s = S_section(x, parent, level, anchor, NULL, 0);
	s->flags |= DOC_GENERATED;
	S_gen_text(x, S_heading(s), title);
	return s;
}

static const char *S_names_of(struct S_xf *x, struct model_ids ids)
{
	struct buf b = {0};
	for (int i = 0; i < ids.n; i++) {
		const struct model_actor *a = model_actor(x->m, ids.v[i]);
		const struct model_topic *t = a ? NULL : model_topic(x->m, ids.v[i]);
		const struct model_term *tm = a || t ? NULL : model_term(x->m, ids.v[i]);
		/* topic labels may hold "and" themselves: a semicolon keeps them apart */
		if (i > 0)
			buf_puts(&b, t ? "; " : i == ids.n - 1 ? " and " : ", ");
		if (a)
			buf_puts(&b, a->name);
		else if (t)
			buf_puts(&b, t->label);
		else if (tm)
			buf_printf(&b, "term\u00A0%d", tm->n);
		else
			buf_puts(&b, ids.v[i]);
	}
	const char *s = arena_strdup(&x->d->arena, b.data ? b.data : "");
	buf_free(&b);
	return s;
}

static const char *S_when_text(struct S_xf *x, struct model_when w)
{
	if (w.from == NULL)
		return NULL;
	if (!w.is_range)
		return S_date(x, w.from);
	if (w.to == NULL)
		return arena_printf(&x->d->arena, "from %s (ongoing)", S_date(x, w.from));
	if (x->as_of && S_key(w.to) > x->as_of)
		return arena_printf(&x->d->arena, "from %s (ongoing on %s)", S_date(x, w.from),
			S_date(x, x->opt->as_of));
	return arena_printf(&x->d->arena, "%s \u2013 %s", S_date(x, w.from), S_date(x, w.to));
}

/* A "facts" line: generated, small, with label: value pairs separated by a middle dot. */
static void S_fact(struct S_xf *x, struct doc_node *p, const char *label, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	if (p->first != NULL)
		S_gen_text(x, p, " \u00B7 ");
	struct doc_node *s = doc_add(x->d, p, DOC_STRONG, 0);
	/* a two-word label never breaks inside ("In force") */
	struct buf b = {0};
	int spaces = 0;
	for (const char *c = label; *c; c++)
		spaces += *c == ' ';
	for (const char *c = label; *c; c++) {
		if (*c == ' ' && spaces == 1)
			buf_puts(&b, "\u00A0");
		else
			buf_putc(&b, *c);
	}
	S_gen_text(x, s, arena_strdup(&x->d->arena, b.data));
	buf_free(&b);
	S_gen_text(x, p, arena_printf(&x->d->arena, "\u00A0%s", value));
}

/* What this report is (a topic report, a snapshot), under the title. */
static void S_report_line(struct S_xf *x, struct doc_node *root)
{
	if (!S_topic_report(x) && !x->as_of)
		return;
	struct doc_node *p = S_para(x, root, "meta", 0);
	p->flags |= DOC_GENERATED;
	if (S_topic_report(x)) {
		struct buf b = {0};
		for (int k = 0; k < x->opt->ntopics; k++) {
			const struct model_topic *t = model_topic(x->m, x->opt->topics[k]);
			buf_printf(&b, "%s%s", k ? "; " : "", t ? t->label : x->opt->topics[k]);
		}
		S_fact(x, p, x->opt->ntopics > 1 ? "Topic report on" : "Topic report:",
			arena_strdup(&x->d->arena, b.data));
		buf_free(&b);
	}
	if (x->as_of) {
		x->d->as_of = arena_printf(&x->d->arena, "Situation as of %s", S_date(x, x->opt->as_of));
		S_fact(x, p, "Situation as of", S_date(x, x->opt->as_of));
	}
}

static void S_title_block(struct S_xf *x, struct doc_node *root)
{
	const struct model *m = x->m;
	S_inline_children(x, S_para(x, root, "title", S_line(m->title)), m->title);
	if (m->subtitle)
		S_inline_children(x, S_para(x, root, "subtitle", S_line(m->subtitle)), m->subtitle);
	struct doc_node *meta = S_para(x, root, "meta", 0);
	meta->flags |= DOC_GENERATED;
	S_fact(x, meta, "Issued", S_date(x, m->issued));
	if (m->revised)
		S_fact(x, meta, "Revised", S_date(x, m->revised));
	if (m->classification)
		S_fact(x, meta, "Classification", m->classification);
	if (m->nauthors > 0) {
		struct buf b = {0};
		for (int i = 0; i < m->nauthors; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", m->authors[i]);
		struct doc_node *au = S_para(x, root, "meta", 0);
		au->flags |= DOC_GENERATED;
		S_fact(x, au, m->nauthors > 1 ? "Authors" : "Author", arena_strdup(&x->d->arena, b.data));
		buf_free(&b);
	}
	S_report_line(x, root);
	if (m->abstract) {
		for (xmlNodePtr c = m->abstract->children; c; c = c->next)
			if (S_is(c, "p"))
				S_inline_children(x, S_para(x, root, "abstract", S_line(c)), c);
	}
}

/* A deadline's standing at the end of the snapshot's day. */
static const char *S_deadline_status(struct S_xf *x, const struct model_deadline *dl)
{
	long due = S_key(dl->date), met = S_key(dl->met_on);
	if (due > x->as_of) {
		if (dl->status && strcmp(dl->status, "met") == 0 && met && met <= x->as_of)
			return arena_printf(&x->d->arena, "met early, on %s", S_date(x, dl->met_on));
		return "pending";
	}
	if (dl->status == NULL)
		return "deadline passed";
	if (strcmp(dl->status, "met") == 0) {
		if (met == 0)
			return "deadline passed; met";
		return met <= x->as_of ? arena_printf(&x->d->arena, "met on %s", S_date(x, dl->met_on))
			: "deadline passed; not yet met";
	}
	if (strcmp(dl->status, "missed") == 0)
		return "deadline passed; missed";
	if (strcmp(dl->status, "extended") == 0)
		return "deadline passed; extended";
	return "deadline passed; still open";
}

static void S_agreement(struct S_xf *x, struct doc_node *root)
{
	const struct model *m = x->m;
	struct doc *d = x->d;
	struct doc_node *s = S_section_gen(x, root, 1, m->agreement_id, "The agreement");
	struct doc_node *f = S_para(x, s, "facts", 0);
	f->flags |= DOC_GENERATED;
	S_fact(x, f, "Name", m->agreement_name);
	S_fact(x, f, "Signed", m->signed_place
		? arena_printf(&d->arena, "%s, %s", S_date(x, m->signed_date), m->signed_place)
		: S_date(x, m->signed_date));
	if (m->effective) {
		char day[11];
		snprintf(day, sizeof day, "%.10s", m->effective);
		S_fact(x, f, "In force", arena_printf(&d->arena, "%.5s on %s%s%s (UTC%s)",
			m->effective + 11, S_date(x, day), m->effective_tz_name ? ", " : "",
			m->effective_tz_name ? m->effective_tz_name : "",
			strcmp(m->effective_tz, "Z") == 0 ? "" : m->effective_tz));
	}
	S_fact(x, f, "Parties", S_names_of(x, m->parties));
	struct buf b = {0};
	for (int i = 0; i < m->nsignatories; i++) {
		const struct model_actor *a = m->signatories[i];
		buf_printf(&b, "%s%s", i ? "; " : "", a->name);
		if (a->nroles > 0)
			buf_printf(&b, " (%s)", a->roles[0]);
	}
	S_fact(x, f, "Signatories", arena_strdup(&d->arena, b.data ? b.data : ""));
	buf_free(&b);
	S_blocks(x, s, m->agreement_summary);

	int nterms = 0;
	for (int i = 0; i < m->nterms; i++)
		nterms += S_term_in(x, &m->terms[i]);
	if (nterms == 0)
		return;
	struct doc_node *terms = S_section_gen(x, s, 2, NULL,
		nterms < m->nterms ? "Terms on this topic" : "Terms");
	for (int i = 0; i < m->nterms; i++) {
		const struct model_term *t = &m->terms[i];
		if (!S_term_in(x, t))
			continue;
		struct doc_node *ts = S_section(x, terms, 3, t->id,
			arena_printf(&d->arena, "Term %d", t->n), t->line);
		S_inline_children(x, S_heading(ts), t->title);
		struct doc_node *tf = S_para(x, ts, "facts", t->line);
		tf->flags |= DOC_GENERATED;
		S_fact(x, tf, "Topics", S_names_of(x, t->topics));
		S_fact(x, tf, "Binds", S_names_of(x, t->binds));
		for (int k = 0; k < t->ndeadlines; k++) {
			const struct model_deadline *dl = &t->deadlines[k];
			const char *v = S_date(x, dl->date);
			if (x->as_of)
				v = arena_printf(&d->arena, "%s (%s)", v, S_deadline_status(x, dl));
			else if (dl->status)
				v = arena_printf(&d->arena, "%s (%s%s%s)", v, dl->status,
					dl->met_on ? " on " : "", dl->met_on ? S_date(x, dl->met_on) : "");
			S_fact(x, tf, "Deadline", v);
			xmlChar *txt = xmlNodeGetContent(dl->text);
			if (txt && txt[0]) {
				S_gen_text(x, tf, ": ");
				S_inline_children(x, tf, dl->text);
			}
			xmlFree(txt);
		}
		S_blocks(x, ts, t->body);
	}
}

/* Reactions are grouped: the parties (and their people), other states, organisations. */
static int S_reaction_group(const struct model *m, const struct model_actor *a)
{
	if (a == NULL)
		return 3;
	const struct model_actor *home = a;
	if ((a->kind == ACTOR_PERSON || a->kind == ACTOR_GROUP) && a->member_of.n > 0) {
		/* A person or group counts with the first actor it is a member of. */
		const struct model_actor *h = model_actor(m, a->member_of.v[0]);
		if (h != NULL)
			home = h;
	}
	for (int i = 0; i < m->parties.n; i++)
		if (strcmp(m->parties.v[i], home->id) == 0)
			return 0;
	if (home->kind == ACTOR_DEFACTO)
		return 0;
	if (home->kind == ACTOR_STATE || home->kind == ACTOR_PERSON || home->kind == ACTOR_GROUP)
		return 1;
	return 2;
}

static void S_reactions(struct S_xf *x, struct doc_node *root)
{
	const struct model *m = x->m;
	struct doc *d = x->d;
	int n = 0;
	for (int i = 0; i < m->nreactions; i++)
		n += S_reaction_in(x, &m->reactions[i]);
	if (n == 0)
		return;
	struct doc_node *s = S_section_gen(x, root, 1, "reactions", "Reactions");
	S_blocks(x, s, m->reactions_intro);
	static const char *groups[] = {"The parties", "Other states", "Organisations", "Others"};
	for (int g = 0; g < 4; g++) {
		struct doc_node *gs = NULL;
		for (int i = 0; i < m->nreactions; i++) {
			const struct model_reaction *r = &m->reactions[i];
			if (S_reaction_group(m, r->actor) != g || !S_reaction_in(x, r))
				continue;
			if (gs == NULL)
				gs = S_section_gen(x, s, 2, NULL, groups[g]);
			struct doc_node *rs = S_section(x, gs, 3, r->id, NULL, r->line);
			S_gen_text(x, S_heading(rs), r->actor ? r->actor->name : "?");
			struct doc_node *f = S_para(x, rs, "facts", r->line);
			f->flags |= DOC_GENERATED;
			S_fact(x, f, "Date", S_when_text(x, r->when));
			S_fact(x, f, "Stance", r->stance);
			S_fact(x, f, "Topics", S_names_of(x, r->topics));
			if (r->summary)
				S_inline_children(x, doc_add(d, S_para(x, rs, "body", S_line(r->summary)),
					DOC_EMPH, S_line(r->summary)), r->summary);
			S_blocks(x, rs, r->body);
		}
	}
}

static void S_aftermath(struct S_xf *x, struct doc_node *root)
{
	const struct model *m = x->m;
	struct doc *d = x->d;
	int n = 0;
	for (int i = 0; i < m->nthreads; i++)
		n += S_thread_in(x, &m->threads[i]);
	if (n == 0)
		return;
	struct doc_node *s = S_section_gen(x, root, 1, "aftermath", "Aftermath");
	S_blocks(x, s, m->aftermath_intro);
	for (int i = 0; i < m->nthreads; i++) {
		const struct model_thread *t = &m->threads[i];
		if (!S_thread_in(x, t))
			continue;
		struct doc_node *ts = S_section(x, s, 2, t->id, NULL, t->line);
		S_inline_children(x, S_heading(ts), t->title);
		S_blocks(x, ts, t->intro);
		for (int k = 0; k < t->nevents; k++) {
			const struct model_event *e = &t->events[k];
			if (!S_event_in(x, e))
				continue;
			struct doc_node *es = S_section(x, ts, 3, e->id, NULL, e->line);
			struct doc_node *h = S_heading(es);
			S_gen_text(x, h, S_when_text(x, e->when));
			if (e->title) {
				S_gen_text(x, h, ": ");
				S_inline_children(x, h, e->title);
			}
			struct doc_node *f = S_para(x, es, "facts", e->line);
			f->flags |= DOC_GENERATED;
			S_fact(x, f, "Place", e->place);
			S_fact(x, f, "Actors", S_names_of(x, e->actors));
			S_fact(x, f, "Implements", S_names_of(x, e->terms));
			for (int g = 0; g < e->nfigures; g++) {
				const struct model_figure *fg = &e->figures[g];
				S_fact(x, f, arena_printf(&d->arena, "%s:", fg->label),
					fg->unit ? arena_printf(&d->arena, "%s\u00A0%s", fg->value, fg->unit) : fg->value);
			}
			if (f->first == NULL) {
				/* nothing to say: drop the empty paragraph */
				struct doc_node *prev = es->first;
				while (prev && prev->next != f)
					prev = prev->next;
				if (prev) {
					prev->next = NULL;
					es->last = prev;
				}
			}
			S_blocks(x, es, e->body);
		}
	}
}

static void S_statements(struct S_xf *x, struct doc_node *root)
{
	const struct model *m = x->m;
	int n = 0;
	for (int i = 0; i < m->nstatements; i++)
		n += S_statement_in(x, &m->statements[i]);
	if (n == 0)
		return;
	struct doc_node *s = S_section_gen(x, root, 1, "statements", "Follow-up statements");
	S_blocks(x, s, m->statements_intro);
	for (int i = 0; i < m->nstatements; i++) {
		const struct model_statement *st = &m->statements[i];
		if (!S_statement_in(x, st))
			continue;
		struct doc_node *ss = S_section(x, s, 2, st->id, NULL, st->line);
		S_inline_children(x, S_heading(ss), st->title);
		struct doc_node *f = S_para(x, ss, "facts", st->line);
		f->flags |= DOC_GENERATED;
		S_fact(x, f, "Date", S_date(x, st->date));
		S_fact(x, f, "Place", st->place);
		S_fact(x, f, "By", S_names_of(x, st->by));
		S_fact(x, f, "Topics", S_names_of(x, st->topics));
		S_blocks(x, ss, st->body);
	}
}

/* Who's who: every actor with its names in their original scripts and roles. */
static void S_actors(struct S_xf *x, struct doc_node *root)
{
	const struct model *m = x->m;
	struct doc *d = x->d;
	struct doc_node *s = S_section_gen(x, root, 1, "actors",
		S_topic_report(x) ? "Who\u2019s who in this report" : "Who\u2019s who");
	struct doc_node *t = doc_add(d, s, DOC_TABLE, 0);
	t->flags |= DOC_GENERATED;
	struct doc_node *hr = doc_add(d, t, DOC_ROW, 0);
	hr->flags |= DOC_HEADER;
	static const char *heads[] = {"Name", "In original script", "Role"};
	for (int i = 0; i < 3; i++) {
		struct doc_node *c = doc_add(d, hr, DOC_CELL, 0);
		c->cls = "th";
		S_gen_text(x, c, heads[i]);
	}
	for (int i = 0; i < m->nactors; i++) {
		const struct model_actor *a = &m->actors[i];
		if (!S_actor_in(x, a->id))
			continue;
		struct doc_node *row = doc_add(d, t, DOC_ROW, a->line);
		row->anchor = arena_printf(&d->arena, "actor-%s", a->id);
		struct doc_node *c = doc_add(d, row, DOC_CELL, a->line);
		c->cls = "cell";
		doc_add_text(d, c, a->name, a->line);
		c = doc_add(d, row, DOC_CELL, a->line);
		c->cls = "cell";
		int first = 1;
		for (int k = 0; k < a->nnames; k++) {
			const struct model_name *nm = &a->names[k];
			if (nm->text == a->name)
				continue;
			if (!first)
				S_gen_text(x, c, "; ");
			first = 0;
			struct doc_node *l = doc_add(d, c, DOC_LANG, a->line);
			l->lang = nm->lang;
			doc_add_text(d, l, nm->text, a->line);
		}
		c = doc_add(d, row, DOC_CELL, a->line);
		c->cls = "cell";
		for (int k = 0; k < a->nroles; k++) {
			if (k)
				S_gen_text(x, c, "; ");
			doc_add_text(d, c, a->roles[k], a->line);
		}
	}
}

static void S_references(struct S_xf *x, struct doc_node *root)
{
	const struct model *m = x->m;
	struct doc *d = x->d;
	if (m->nreferences > 0) {
		struct doc_node *s = S_section_gen(x, root, 1, "references", "References");
		for (int i = 0; i < m->nreferences; i++) {
			const struct model_reference *r = &m->references[i];
			struct doc_node *p = S_para(x, s, "reference", r->line);
			p->anchor = arena_printf(&d->arena, "ref-%s", r->id);
			p->label = arena_printf(&d->arena, "[%d]", r->number);
			S_gen_text(x, p, arena_printf(&d->arena, "[%d] ", r->number));
			struct doc_node *e = doc_add(d, p, DOC_EMPH, r->line);
			doc_add_text(d, e, r->title, r->line);
			if (r->publisher)
				doc_add_text(d, p, arena_printf(&d->arena, ". %s", r->publisher), r->line);
			if (r->date)
				S_gen_text(x, p, arena_printf(&d->arena, ", %s", S_date(x, r->date)));
			S_gen_text(x, p, ".");
			if (r->url) {
				S_gen_text(x, p, " ");
				struct doc_node *ln = doc_add(d, p, DOC_LINK, r->line);
				ln->target = r->url;
				doc_add_text(d, ln, r->url, r->line);
			}
		}
	}
}

/* One dated item of the timeline, with a generated label. */
static void S_tl_item(struct S_xf *x, struct doc_node *tl, const char *cls, const char *date,
	const char *end, const char *anchor, const char *label, xmlNodePtr title)
{
	struct doc_node *it = doc_add(x->d, tl, DOC_ITEM, 0);
	it->cls = cls;
	it->date = date;
	it->date_end = end;
	it->target = anchor;
	it->flags |= DOC_GENERATED;
	if (label)
		S_gen_text(x, it, label);
	if (title)
		S_inline_children(x, it, title);
}

/* The timeline: the signing, the terms' deadlines, and every dated event and statement the
 * report holds, on a time axis (drawn by the layout, and by TikZ in LaTeX). */
static void S_timeline(struct S_xf *x, struct doc_node *root)
{
	const struct model *m = x->m;
	struct doc *d = x->d;
	struct doc_node *s = S_section_gen(x, root, 1, "timeline", "Timeline");
	struct doc_node *tl = doc_add(d, s, DOC_TIMELINE, 0);
	tl->flags |= DOC_GENERATED;
	if (x->as_of)
		tl->date_end = x->opt->as_of; /* the axis runs to the snapshot's day */
	S_tl_item(x, tl, "signing", m->signed_date, NULL, m->agreement_id, "Agreement signed", NULL);
	for (int i = 0; i < m->nterms; i++) {
		const struct model_term *t = &m->terms[i];
		if (!S_term_in(x, t))
			continue;
		for (int k = 0; k < t->ndeadlines; k++)
			S_tl_item(x, tl, x->as_of && S_key(t->deadlines[k].date) > x->as_of ? "pending" : "deadline",
				t->deadlines[k].date, NULL, t->id,
				arena_printf(&d->arena, "Term %d deadline: ", t->n), t->title);
	}
	for (int i = 0; i < m->nthreads; i++) {
		const struct model_thread *t = &m->threads[i];
		for (int k = 0; k < t->nevents; k++) {
			const struct model_event *e = &t->events[k];
			if (!S_event_in(x, e))
				continue;
			const char *end = e->when.is_range ? e->when.to : NULL;
			if (end && x->as_of && S_key(end) > x->as_of)
				end = x->opt->as_of; /* still running on the snapshot's day */
			S_tl_item(x, tl, "event", e->when.from, end, e->id, NULL, e->title ? e->title : t->title);
		}
	}
	for (int i = 0; i < m->nstatements; i++) {
		const struct model_statement *st = &m->statements[i];
		if (S_statement_in(x, st))
			S_tl_item(x, tl, "statement", st->date, NULL, st->id, NULL, st->title);
	}
	struct doc_node *p = S_para(x, s, "legend", 0);
	p->flags |= DOC_GENERATED;
	S_gen_text(x, p, x->as_of ? "Squares mark events and statements, bars their duration; "
		"diamonds mark deadlines (hollow: still pending on the snapshot's day)."
		: "Squares mark events and statements, bars their duration; diamonds mark deadlines.");
}

/* A topic report opens with what its topics are and how much of the dossier they cover. */
static void S_about_topics(struct S_xf *x, struct doc_node *root)
{
	const struct model *m = x->m;
	struct doc *d = x->d;
	struct doc_node *s = S_section_gen(x, root, 1, "about",
		x->opt->ntopics > 1 ? "The topics of this report" : "The topic of this report");
	for (int k = 0; k < x->opt->ntopics; k++) {
		const struct model_topic *t = model_topic(m, x->opt->topics[k]);
		if (t == NULL)
			continue;
		struct doc_node *p = S_para(x, s, "body", t->line);
		struct doc_node *b = doc_add(d, p, DOC_STRONG, t->line);
		doc_add_text(d, b, t->label, t->line);
		if (t->description) {
			S_gen_text(x, p, ": ");
			S_inline_children(x, p, t->description);
		}
		S_gen_text(x, p, arena_printf(&d->arena, " (%d item%s in the full dossier.)",
			xf_topic_items(m, t->id), xf_topic_items(m, t->id) == 1 ? "" : "s"));
	}
	struct doc_node *p = S_para(x, s, "body", 0);
	p->flags |= DOC_GENERATED;
	S_gen_text(x, p, "This report holds only the terms, reactions, events and statements "
		"tagged with these topics; they keep their numbers from the full briefing, and "
		"references to the rest of the dossier are marked as not in this report.");
}

struct doc *xf_briefing(const struct model *m, const struct xf_options *opt)
{
	struct S_xf x = {.m = m, .d = doc_new(), .numbering = opt ? opt->numbering : 0, .opt = opt};
	struct doc *d = x.d;
	struct doc_node *root = d->root;
	if (opt && opt->as_of)
		x.as_of = S_key(opt->as_of);
	d->lang = arena_strdup(&d->arena, m->lang);
	d->date = arena_strdup(&d->arena, opt && opt->as_of ? opt->as_of
		: opt && opt->date ? opt->date : (m->revised ? m->revised : m->issued));
	S_title_block(&x, root);
	doc_add(d, root, DOC_TOC, 0)->flags |= DOC_GENERATED;
	d->title = doc_plain_text(d, root->first);
	d->short_title = arena_strdup(&d->arena, m->short_title);
	{
		struct buf b = {0};
		for (int i = 0; i < m->nauthors; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", m->authors[i]);
		d->author = arena_strdup(&d->arena, b.data ? b.data : "");
		buf_free(&b);
		for (int i = 0; i < m->ntopics; i++)
			if (!S_topic_report(&x) || S_topic_match(&x, (struct model_ids){&m->topics[i].id, 1}))
				buf_printf(&b, "%s%s", b.len ? ", " : "", m->topics[i].label);
		d->keywords = arena_strdup(&d->arena, b.data ? b.data : "");
		buf_free(&b);
		d->subject = arena_strdup(&d->arena, m->agreement_name);
		d->classification = m->classification ? arena_strdup(&d->arena, m->classification) : NULL;
	}
	if (S_topic_report(&x)) {
		S_about_topics(&x, root);
	} else {
		if (m->background) {
			struct doc_node *s = S_section_gen(&x, root, 1, "background", "Background");
			S_blocks(&x, s, m->background);
		}
		if (m->overview) {
			struct doc_node *s = S_section_gen(&x, root, 1, "overview", "Overview");
			S_blocks(&x, s, m->overview);
		}
	}
	S_agreement(&x, root);
	S_timeline(&x, root);
	S_reactions(&x, root);
	S_aftermath(&x, root);
	S_statements(&x, root);
	S_actors(&x, root);
	S_references(&x, root);
	return d;
}
