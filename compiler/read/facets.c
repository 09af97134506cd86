/* facets.c: a schema's pattern facets checked outside libxml2, each regular expression compiled once. */
#include "facets.h"
#include "xmlread.h"
#include "../base/util.h"

#include <stdint.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlregexp.h>

#define S_RNG_NS "http://relaxng.org/ns/structure/1.0"
#define S_XSD_NS "http://www.w3.org/2001/XMLSchema-datatypes"
#define S_MAX_DEPTH 64 /* defines referring to defines, followed to find an attribute's elements */

/* A value the schema gives a pattern: attribute attr of element elem, or (attr NULL) the
 * text of element elem (names in the schema document, whose <element> and <attribute>
 * nodes stay as long as it). */
struct S_rule {
	const xmlChar *elem, *attr;
	int pattern;  /* index into facets.patterns */
	int collapse; /* a token: white space collapsed before the match (string: as it is) */
};

struct facets {
	xmlDocPtr schema;
	struct S_rule *rules; /* sorted by element, then attribute */
	int nrules;
	xmlChar **patterns;   /* distinct, each compiled once into res */
	xmlRegexpPtr *res;
	int npatterns;
};

/* Where the schema gives a name a value: an <attribute> or an <element>, the name the
 * elements it belongs to (for an attribute), and the pattern its value has (NULL: some other
 * content). */
struct S_site {
	xmlNodePtr node;       /* the <attribute> or <element> */
	xmlNodePtr value;      /* its content when that is a pattern: the <data> or the <ref> */
	const xmlChar *attr;   /* the attribute's name; NULL: the element's text */
	const xmlChar *pattern;
	int collapse;
	const xmlChar **owners; /* attribute: the elements it may be on (text: the element) */
	int nowners;
	int hoist;
};

static int S_is_rng(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
		(name == NULL || xmlStrEqual(n->name, (const xmlChar *)name)) &&
		xmlStrEqual(n->ns->href, (const xmlChar *)S_RNG_NS);
}

/* The value of n's attribute attr when it is a plain text (the schema's own string), else NULL. */
static const xmlChar *S_prop(xmlNodePtr n, const char *attr)
{
	xmlAttrPtr a = n != NULL ? xmlHasNsProp(n, (const xmlChar *)attr, NULL) : NULL;
	if (a == NULL || a->children == NULL || a->children->next != NULL ||
		a->children->type != XML_TEXT_NODE)
		return NULL;
	return a->children->content;
}

/* The only child of n in the RELAX NG namespace (annotations and text left aside); NULL when
 * there are none or several. */
static xmlNodePtr S_only_child(xmlNodePtr n)
{
	xmlNodePtr one = NULL;
	for (xmlNodePtr c = n->children; c != NULL; c = c->next) {
		if (!S_is_rng(c, NULL))
			continue;
		if (one != NULL)
			return NULL;
		one = c;
	}
	return one;
}

static const xmlChar *S_library(xmlNodePtr n);

/* A <data> of XML Schema's token or string whose only parameter is a pattern: the pattern's
 * text (the param's own string), else NULL. *collapse: a token (libxml2 matches a token's
 * value with its white space collapsed, as XML Schema says; a string as it is). Other
 * datatypes are left to libxml2: their values are matched in forms this file does not make. */
static const xmlChar *S_data_pattern(xmlNodePtr data, int *collapse)
{
	if (!S_is_rng(data, "data"))
		return NULL;
	const xmlChar *type = S_prop(data, "type");
	*collapse = xmlStrEqual(type, (const xmlChar *)"token");
	if (!*collapse && !xmlStrEqual(type, (const xmlChar *)"string"))
		return NULL;
	if (!xmlStrEqual(S_library(data), (const xmlChar *)S_XSD_NS))
		return NULL;
	xmlNodePtr param = S_only_child(data);
	if (!S_is_rng(param, "param") || !xmlStrEqual(S_prop(param, "name"), (const xmlChar *)"pattern") ||
		param->children == NULL || param->children->next != NULL ||
		param->children->type != XML_TEXT_NODE)
		return NULL;
	return param->children->content;
}

/* Every <define> of the schema, to follow refs. */
struct S_defs {
	xmlNodePtr *v;
	int n;
	xmlNodePtr *refs; /* every <ref> */
	int nrefs;
};

/* Nodes in the order of their name attribute (S_collect sorts defines and refs so). */
static int S_cmp_named(const void *a, const void *b)
{
	const xmlChar *x = S_prop(*(xmlNodePtr const *)a, "name");
	const xmlChar *y = S_prop(*(xmlNodePtr const *)b, "name");
	return xmlStrcmp(x ? x : (const xmlChar *)"", y ? y : (const xmlChar *)"");
}

/* The first of the sorted nodes v[0..n) named name, and how many are (*count). */
static int S_named(xmlNodePtr *v, int n, const xmlChar *name, int *count)
{
	int lo = 0, hi = n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		const xmlChar *m = S_prop(v[mid], "name");
		if (xmlStrcmp(m ? m : (const xmlChar *)"", name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	int k = lo;
	while (k < n && xmlStrEqual(S_prop(v[k], "name"), name))
		k++;
	*count = k - lo;
	return lo;
}

/* The define of that name; NULL when there is none, or several (combined). */
static xmlNodePtr S_define(const struct S_defs *defs, const xmlChar *name)
{
	int count = 0;
	int at = name != NULL ? S_named(defs->v, defs->n, name, &count) : 0;
	return count == 1 ? defs->v[at] : NULL;
}

static void S_collect(xmlNodePtr n, struct S_defs *defs, xmlNodePtr **sites, int *nsites)
{
	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (S_is_rng(n, "define")) {
			defs->v = xrealloc(defs->v, (size_t)(defs->n + 1) * sizeof *defs->v);
			defs->v[defs->n++] = n;
		} else if (S_is_rng(n, "ref")) {
			defs->refs = xrealloc(defs->refs, (size_t)(defs->nrefs + 1) * sizeof *defs->refs);
			defs->refs[defs->nrefs++] = n;
		} else if (S_is_rng(n, "attribute") || S_is_rng(n, "element")) {
			*sites = xrealloc(*sites, (size_t)(*nsites + 1) * sizeof **sites);
			(*sites)[(*nsites)++] = n;
		}
		S_collect(n->children, defs, sites, nsites);
	}
}

/* The pattern n's value has, through a ref to a define whose only content is a pattern
 * <data>, or a pattern <data> itself; NULL otherwise. *value is the node that says it. */
static const xmlChar *S_value_pattern(const struct S_defs *defs, xmlNodePtr n, xmlNodePtr *value,
	int *collapse)
{
	xmlNodePtr c = S_only_child(n);
	*value = c;
	if (S_is_rng(c, "data"))
		return S_data_pattern(c, collapse);
	if (!S_is_rng(c, "ref"))
		return NULL;
	xmlNodePtr def = S_define(defs, S_prop(c, "name"));
	return def != NULL ? S_data_pattern(S_only_child(def), collapse) : NULL;
}

static void S_add_owner(struct S_site *s, const xmlChar *name)
{
	for (int i = 0; i < s->nowners; i++)
		if (xmlStrEqual(s->owners[i], name))
			return;
	s->owners = xrealloc(s->owners, (size_t)(s->nowners + 1) * sizeof *s->owners);
	s->owners[s->nowners++] = name;
}

/* The elements a node inside the schema belongs to: the nearest <element> above it, or,
 * above a <define>, the elements of every ref to that define. -1 when that is not a plain
 * name (or too deep to follow). */
static int S_owners(const struct S_defs *defs, xmlNodePtr n, struct S_site *s, int depth)
{
	if (depth > S_MAX_DEPTH)
		return -1;
	for (xmlNodePtr p = n->parent; p != NULL && p->type == XML_ELEMENT_NODE; p = p->parent) {
		if (S_is_rng(p, "element")) {
			const xmlChar *name = S_prop(p, "name");
			if (name == NULL || xmlStrchr(name, ':') != NULL)
				return -1;
			S_add_owner(s, name);
			return 0;
		}
		if (S_is_rng(p, "define")) {
			const xmlChar *name = S_prop(p, "name");
			if (name == NULL)
				return -1;
			int count, at = S_named(defs->refs, defs->nrefs, name, &count), rc = 0;
			for (int i = at; rc == 0 && i < at + count; i++)
				rc = S_owners(defs, defs->refs[i], s, depth + 1);
			return rc;
		}
	}
	return -1; /* (an attribute under start: no element to belong to) */
}

/* Whether the schema uses what this reading does not follow: includes, external refs,
 * nested grammars, name classes, namespaces. */
static int S_too_rich(xmlNodePtr n, int top)
{
	for (; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (S_is_rng(n, "include") || S_is_rng(n, "externalRef") || S_is_rng(n, "parentRef") ||
			(S_is_rng(n, "grammar") && !top) || xmlHasNsProp(n, (const xmlChar *)"ns", NULL))
			return 1;
		if ((S_is_rng(n, "attribute") || S_is_rng(n, "element")) && S_prop(n, "name") == NULL)
			return 1;
		/* (libxml2 trims the white space around a name; names are compared here as
		 * written, so a schema that pads one is left whole to libxml2) */
		const xmlChar *name = S_is_rng(n, NULL) ? S_prop(n, "name") : NULL;
		for (const xmlChar *c = name; c != NULL && *c; c++)
			if (*c == ' ' || *c == '\t' || *c == '\n' || *c == '\r')
				return 1;
		if (S_too_rich(n->children, 0))
			return 1;
	}
	return 0;
}

/* The datatype library in force at n (its own or its nearest ancestor's attribute; "" for
 * none, or an empty one). */
static const xmlChar *S_library(xmlNodePtr n)
{
	for (; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent)
		if (xmlHasNsProp(n, (const xmlChar *)"datatypeLibrary", NULL)) {
			const xmlChar *lib = S_prop(n, "datatypeLibrary");
			return lib != NULL ? lib : (const xmlChar *)"";
		}
	return (const xmlChar *)"";
}

/* The pattern's value without its pattern: the <data> itself loses its <param>, a <ref> is
 * replaced by a copy of the <data> it names, without the <param>. */
static void S_unpattern(xmlNodePtr value, const struct S_defs *defs)
{
	xmlNodePtr data = value;
	if (S_is_rng(value, "ref")) {
		xmlNodePtr orig = S_only_child(S_define(defs, S_prop(value, "name")));
		data = xmlNewDocNode(value->doc, xmlSearchNsByHref(value->doc, value,
			(const xmlChar *)S_RNG_NS), (const xmlChar *)"data", NULL);
		xmlNewProp(data, (const xmlChar *)"type", S_prop(orig, "type"));
		xmlNewProp(data, (const xmlChar *)"datatypeLibrary", S_library(orig));
		xmlReplaceNode(value, data);
		xmlFreeNode(value);
		return;
	}
	xmlNodePtr param = S_only_child(data);
	xmlUnlinkNode(param);
	xmlFreeNode(param);
}

/* Attribute names in order, an element's text (NULL) first. */
static int S_cmp_attr(const xmlChar *x, const xmlChar *y)
{
	if (x == NULL || y == NULL)
		return (x != NULL) - (y != NULL);
	return xmlStrcmp(x, y);
}

static int S_cmp_rule(const void *a, const void *b)
{
	const struct S_rule *x = a, *y = b;
	int c = xmlStrcmp(x->elem, y->elem);
	return c != 0 ? c : S_cmp_attr(x->attr, y->attr);
}

/* Whether two sites give a value to a same (element, name): same kind, same name, an owner
 * in common. */
static int S_overlap(const struct S_site *a, const struct S_site *b)
{
	if ((a->attr == NULL) != (b->attr == NULL) || !xmlStrEqual(a->attr, b->attr))
		return 0;
	for (int i = 0; i < a->nowners; i++)
		for (int k = 0; k < b->nowners; k++)
			if (xmlStrEqual(a->owners[i], b->owners[k]))
				return 1;
	return 0;
}

/* Sites by attribute name, texts first (for S_hoist's groups). */
static int S_cmp_site(const void *a, const void *b)
{
	return S_cmp_attr(((const struct S_site *)a)->attr, ((const struct S_site *)b)->attr);
}

static void S_hoist(struct facets *f)
{
	xmlNodePtr root = xmlDocGetRootElement(f->schema);
	if (!S_is_rng(root, "grammar") || S_too_rich(root, 1))
		return;
	struct S_defs defs = {0};
	xmlNodePtr *nodes = NULL;
	int n = 0;
	S_collect(root, &defs, &nodes, &n);
	if (defs.n > 0)
		qsort(defs.v, (size_t)defs.n, sizeof *defs.v, S_cmp_named);
	if (defs.nrefs > 0)
		qsort(defs.refs, (size_t)defs.nrefs, sizeof *defs.refs, S_cmp_named);
	struct S_site *sites = xcalloc((size_t)(n ? n : 1), sizeof *sites);
	int bad = 0;
	for (int i = 0; i < n && !bad; i++) {
		struct S_site *s = &sites[i];
		s->node = nodes[i];
		const xmlChar *name = S_prop(s->node, "name"); /* (S_too_rich: there is one) */
		if (S_is_rng(s->node, "attribute")) {
			s->attr = name;
			s->pattern = xmlStrchr(name, ':') == NULL ?
				S_value_pattern(&defs, s->node, &s->value, &s->collapse) : NULL;
			bad = S_owners(&defs, s->node, s, 0) != 0;
		} else {
			bad = xmlStrchr(name, ':') != NULL;
			S_add_owner(s, name);
			s->pattern = S_value_pattern(&defs, s->node, &s->value, &s->collapse);
		}
		/* (a site no element reaches is left alone; a ref replaced by a copy of its <data>
		 * needs the RELAX NG namespace in scope where it stands) */
		s->hoist = s->pattern != NULL && s->nowners > 0 &&
			xmlSearchNsByHref(f->schema, s->value, (const xmlChar *)S_RNG_NS) != NULL;
	}
	/* A site is taken out when every site that gives a value to one of its (element, name)
	 * has the same pattern and is taken out too: until nothing changes. Sites that may give
	 * a value to the same thing have the same attribute name (or are both texts): sorted so,
	 * each is compared with its group only. */
	if (n > 0)
		qsort(sites, (size_t)n, sizeof *sites, S_cmp_site);
	for (int changed = 1; changed && !bad;) {
		changed = 0;
		for (int i = 0; i < n; i++) {
			if (!sites[i].hoist)
				continue;
			int from = i, to = i + 1;
			while (from > 0 && S_cmp_site(&sites[from - 1], &sites[i]) == 0)
				from--;
			while (to < n && S_cmp_site(&sites[to], &sites[i]) == 0)
				to++;
			for (int k = from; k < to; k++) {
				if (k == i || !S_overlap(&sites[i], &sites[k]))
					continue;
				if (!sites[k].hoist || !xmlStrEqual(sites[k].pattern, sites[i].pattern) ||
					sites[k].collapse != sites[i].collapse) {
					sites[i].hoist = 0;
					changed = 1;
					break;
				}
			}
		}
	}
	/* the patterns, compiled once (any that does not compile: nothing is taken out) */
	for (int i = 0; i < n && !bad; i++) {
		if (!sites[i].hoist)
			continue;
		int p = 0;
		while (p < f->npatterns && !xmlStrEqual(f->patterns[p], sites[i].pattern))
			p++;
		if (p == f->npatterns) {
			xmlRegexpPtr re = xmlRegexpCompile(sites[i].pattern);
			if (re == NULL) {
				bad = 1;
				break;
			}
			f->patterns = xrealloc(f->patterns, (size_t)(p + 1) * sizeof *f->patterns);
			f->res = xrealloc(f->res, (size_t)(p + 1) * sizeof *f->res);
			f->patterns[p] = xmlStrdup(sites[i].pattern);
			f->res[p] = re;
			f->npatterns++;
		}
		f->rules = xrealloc(f->rules, (size_t)(f->nrules + sites[i].nowners) * sizeof *f->rules);
		for (int k = 0; k < sites[i].nowners; k++)
			f->rules[f->nrules++] = (struct S_rule){.elem = sites[i].owners[k],
				.attr = sites[i].attr, .pattern = p, .collapse = sites[i].collapse};
	}
	if (bad) {
		f->nrules = 0;
	} else {
		/* (the patterns are the param nodes' text: compiled and copied above, before the
		 * tree changes) */
		for (int i = 0; i < n; i++)
			if (sites[i].hoist)
				S_unpattern(sites[i].value, &defs);
		/* sorted, each (element, name) once (several sites may give it: they agree) */
		if (f->nrules > 0)
			qsort(f->rules, (size_t)f->nrules, sizeof *f->rules, S_cmp_rule);
		int k = 0;
		for (int i = 0; i < f->nrules; i++)
			if (k == 0 || S_cmp_rule(&f->rules[k - 1], &f->rules[i]) != 0)
				f->rules[k++] = f->rules[i];
		f->nrules = k;
	}
	for (int i = 0; i < n; i++)
		free(sites[i].owners);
	free(sites);
	free(nodes);
	free(defs.v);
	free(defs.refs);
}

struct facets *facets_hoist(const unsigned char *schema, size_t len)
{
	if (len > INT32_MAX)
		return NULL;
	xmlDocPtr doc = xmlReadMemory((const char *)schema, (int)len, "schema.rng", NULL,
		XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL)
		return NULL;
	struct facets *f = xcalloc(1, sizeof *f);
	f->schema = doc;
	S_hoist(f);
	return f;
}

xmlDocPtr facets_schema(const struct facets *f)
{
	return f->schema;
}

int facets_count(const struct facets *f)
{
	return f->nrules;
}

void facets_free(struct facets *f)
{
	if (f == NULL)
		return;
	free(f->rules);
	for (int i = 0; i < f->npatterns; i++) {
		xmlFree(f->patterns[i]);
		xmlRegFreeRegexp(f->res[i]);
	}
	free(f->patterns);
	free(f->res);
	xmlFreeDoc(f->schema);
	free(f);
}

/* ---- checking a document ---- */

/* The first rule for an element name, -1 none (binary search: a score of names). */
static int S_rule_of(const struct facets *f, const xmlChar *name)
{
	int lo = 0, hi = f->nrules;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (xmlStrcmp(f->rules[mid].elem, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->nrules && xmlStrEqual(f->rules[lo].elem, name) ? lo : -1;
}

/* The value shown in a diagnostic: at most 60 bytes (whole UTF-8 characters). (Control
 * characters are the diagnostics' to show safely: diag_emit_text makes them <U+XXXX>.) */
static void S_shown(const xmlChar *v, char *out, size_t size)
{
	size_t len = strlen((const char *)v), keep = len <= 60 ? len : 57;
	while (keep > 0 && keep < len && (v[keep] & 0xC0) == 0x80)
		keep--;
	snprintf(out, size, "%.*s%s", (int)keep, (const char *)v, keep < len ? "..." : "");
}

/* XML Schema's collapse: tabs, line ends and spaces in runs made one space, none at either
 * end. Into out (len + 1 bytes at least). */
static void S_collapse(const xmlChar *v, xmlChar *out)
{
	size_t n = 0;
	int space = 0;
	for (; *v; v++) {
		if (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r') {
			space = n > 0;
			continue;
		}
		if (space)
			out[n++] = ' ';
		space = 0;
		out[n++] = *v;
	}
	out[n] = 0;
}

static int S_check_value(const struct facets *f, const struct S_rule *r, xmlNodePtr node,
	const xmlChar *value, const char *name, struct diags *d)
{
	int ok;
	if (r->collapse) {
		size_t len = strlen((const char *)value);
		xmlChar small[256];
		xmlChar *c = len < sizeof small ? small : xmalloc(len + 1);
		S_collapse(value, c);
		ok = xmlRegexpExec(f->res[r->pattern], c) == 1;
		if (c != small)
			free(c);
	} else {
		ok = xmlRegexpExec(f->res[r->pattern], value) == 1;
	}
	if (ok)
		return 0;
	char shown[200];
	S_shown(value, shown, sizeof shown);
	char msg[600];
	if (r->attr != NULL)
		snprintf(msg, sizeof msg, "Element %s: attribute %s '%s' does not match the pattern %s",
			(const char *)r->elem, (const char *)r->attr, shown, (const char *)f->patterns[r->pattern]);
	else
		snprintf(msg, sizeof msg, "Element %s: '%s' does not match the pattern %s",
			(const char *)r->elem, shown, (const char *)f->patterns[r->pattern]);
	diag_emit_text(d, D_SCHEMA, name, xmlread_line(node), 0, msg);
	return 1;
}

int facets_check(const struct facets *f, xmlDocPtr doc, const char *name, struct diags *d)
{
	if (f == NULL || f->nrules == 0)
		return 0;
	int errors = 0;
	xmlNodePtr n = xmlDocGetRootElement(doc);
	while (n != NULL) {
		int first = n->type == XML_ELEMENT_NODE && n->ns == NULL ? S_rule_of(f, n->name) : -1;
		for (int i = first; i >= 0 && i < f->nrules && xmlStrEqual(f->rules[i].elem, n->name); i++) {
			const struct S_rule *r = &f->rules[i];
			if (r->attr == NULL) {
				xmlChar *text = xmlNodeGetContent(n);
				errors += S_check_value(f, r, n, text ? text : (const xmlChar *)"", name, d);
				xmlFree(text);
				continue;
			}
			for (xmlAttrPtr a = n->properties; a != NULL; a = a->next) {
				if (a->ns != NULL || !xmlStrEqual(a->name, r->attr))
					continue;
				xmlNodePtr t = a->children;
				if (t != NULL && t->next == NULL && t->type == XML_TEXT_NODE && t->content != NULL) {
					errors += S_check_value(f, r, n, t->content, name, d);
				} else {
					xmlChar *v = xmlNodeListGetString(doc, a->children, 1);
					errors += S_check_value(f, r, n, v ? v : (const xmlChar *)"", name, d);
					xmlFree(v);
				}
			}
		}
		n = xmlread_next(n, 1);
	}
	return errors;
}
