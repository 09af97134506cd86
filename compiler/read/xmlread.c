/* xmlread.c: safe parsing of untrusted XML from memory and RELAX NG validation, with diagnostics. */
#define _POSIX_C_SOURCE 200809L
#include "xmlread.h"
#include "facets.h"
#include "../base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

/* Per-parse state, reached from libxml2 callbacks through ctxt->_private. */
struct S_parse {
	const char *name;
	struct diags *d;
	const char *const *element_only;
	int doctype;  /* a DOCTYPE was seen: parsing was stopped */
	int stopped;  /* the first error stopped the parse: what follows is only its echo */
	int errors;
};

/* The loader libxml2 calls for any external entity, DTD or XInclude: refuses everything. */
static xmlParserInputPtr S_refuse_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	if (ctxt != NULL && ctxt->_private != NULL) {
		struct S_parse *p = ctxt->_private;
		int line = ctxt->input ? ctxt->input->line : 0;
		diag_emit(p->d, D_XML_EXTERNAL, p->name, line, 0,
			url ? url : (id ? id : "(unnamed)"));
		p->errors++;
		xmlStopParser(ctxt);
	}
	return NULL;
}

/* libxml2's process-wide error channel: messages without a parser context (an encoding
 * conversion that fails) would go straight to stderr. The parse reports the failure
 * through the context's own handler; this one drops the stray copy. */
static void S_drop_generic(void *user, const char *fmt, ...)
{
	(void)user;
	(void)fmt;
}

void xmlread_init(void)
{
	/* libxml2 keeps the loader process-wide; it is set once, to a function with no state of
	 * its own, so that no parse anywhere in briefc can ever reach a file or the network. */
	xmlInitParser();
	xmlSetExternalEntityLoader(S_refuse_loader);
	xmlSetGenericErrorFunc(NULL, S_drop_generic);
}

/* libxml2's own limits (without XML_PARSE_HUGE), reported in briefc's words: its messages
 * name a parser option a user cannot set. */
static const struct {
	const char *says; /* in libxml2's message */
	const char *what; /* NULL: the nesting depth */
	int limit;
} S_limits[] = {
	{"Excessive depth in document", NULL, XMLREAD_MAX_DEPTH},
	{"huge text node", "text", XMLREAD_MAX_TEXT},
	{"CData section too big", "text", XMLREAD_MAX_TEXT},
	{"Comment too big", "a comment", XMLREAD_MAX_TEXT},
	{"AttValue length too long", "an attribute value", XMLREAD_MAX_TEXT},
	{"Name too long", "a name", XMLREAD_MAX_NAME},
	{"Huge input lookup", "a run of white space or a piece of markup", XMLREAD_MAX_TEXT},
};

static void S_parse_error(void *user, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = user;
	if (ctxt == NULL || ctxt->_private == NULL || e == NULL)
		return;
	struct S_parse *p = ctxt->_private;
	if (p->doctype || p->stopped)
		return; /* after the first error libxml2 only reports its consequences */
	if (e->level == XML_ERR_WARNING)
		return;
	const char *msg = e->message ? e->message : "malformed XML";
	size_t k = 0, n = sizeof S_limits / sizeof *S_limits;
	while (k < n && strstr(msg, S_limits[k].says) == NULL)
		k++;
	if (k == n)
		diag_emit_text(p->d, D_XML_SYNTAX, p->name, e->line, e->int2, msg);
	else if (S_limits[k].what == NULL)
		diag_emit(p->d, D_XML_DEPTH, p->name, e->line, e->int2, S_limits[k].limit);
	else
		diag_emit(p->d, D_XML_TOOLONG, p->name, e->line, e->int2, S_limits[k].what,
			S_limits[k].limit);
	p->errors++;
	p->stopped = 1;
	xmlStopParser(ctxt);
}

/* libxml2 keeps an element's line in 16 bits (65535 for any later line) and finds a later
 * one only through neighbouring text; the true line is kept in the node's application
 * pointer, which libxml2 leaves to its users (xmlread_line reads it). */
static void S_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
	const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces, int nb_attributes,
	int nb_defaulted, const xmlChar **attributes)
{
	xmlParserCtxtPtr ctxt = ctx;
	xmlNodePtr parent = ctxt->node;
	xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
		nb_attributes, nb_defaulted, attributes);
	if (ctxt->node != NULL && ctxt->node != parent && ctxt->input != NULL &&
		ctxt->input->line >= 65535)
		ctxt->node->_private = (void *)(intptr_t)ctxt->input->line;
}

/* The same limits as libxml2's, checked on the whole tree: libxml2 itself enforces the
 * text limit only on some paths (a text node made of one run of characters may be longer). */
static int S_check_sizes(xmlDocPtr doc, const char *name, struct diags *d)
{
	int bad = 0;
	xmlNodePtr n = doc->children;
	while (n != NULL) {
		const char *what = NULL;
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
			what = "text";
		else if (n->type == XML_COMMENT_NODE)
			what = "a comment";
		if (what && n->content && strlen((const char *)n->content) > XMLREAD_MAX_TEXT) {
			diag_emit(d, D_XML_TOOLONG, name, xmlread_line(n), 0, what, XMLREAD_MAX_TEXT);
			bad = 1;
		}
		if (n->type == XML_ELEMENT_NODE)
			for (xmlAttrPtr a = n->properties; a; a = a->next)
				for (xmlNodePtr t = a->children; t; t = t->next)
					if (t->content && strlen((const char *)t->content) > XMLREAD_MAX_TEXT) {
						diag_emit(d, D_XML_TOOLONG, name, xmlread_line(n), 0,
							"an attribute value", XMLREAD_MAX_TEXT);
						bad = 1;
					}
		/* depth first, without recursion */
		if (n->type == XML_ELEMENT_NODE && n->children != NULL) {
			n = n->children;
			continue;
		}
		while (n != NULL && n->next == NULL)
			n = n->parent != (xmlNodePtr)doc ? n->parent : NULL;
		if (n != NULL)
			n = n->next;
	}
	return bad;
}

/* SAX hook called when "<!DOCTYPE" is read: stop before any declaration is processed. */
static void S_internal_subset(void *user, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	(void)name;
	(void)ext;
	(void)sys;
	xmlParserCtxtPtr ctxt = user;
	struct S_parse *p = ctxt->_private;
	if (!p->doctype) {
		p->doctype = 1;
		diag_emit(p->d, D_XML_DOCTYPE, p->name, ctxt->input ? ctxt->input->line : 0, 0);
		p->errors++;
	}
	xmlStopParser(ctxt);
}

/* Character data: white space directly inside an element-only element is dropped. */
static void S_characters(void *ctx, const xmlChar *ch, int len)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct S_parse *p = ctxt->_private;
	if (p->element_only != NULL && ctxt->node != NULL) {
		int blank = 1;
		for (int i = 0; i < len && blank; i++)
			blank = ch[i] == ' ' || ch[i] == '\n' || ch[i] == '\t' || ch[i] == '\r';
		for (const char *const *e = p->element_only; blank && *e; e++)
			if (xmlStrEqual(ctxt->node->name, (const xmlChar *)*e))
				return;
	}
	xmlSAX2Characters(ctx, ch, len);
}

static void S_entity_ref(void *user, const xmlChar *name)
{
	(void)name;
	(void)user; /* undeclared entities are reported by the parser itself */
}

/* Where the parser's bytes come from: a file read a chunk at a time (libxml2 keeps only a
 * window of it, never the whole source) or bytes already in memory. */
struct S_src {
	int fd; /* -1: mem */
	const char *mem;
	size_t len, pos; /* mem: its length; both: bytes handed to the parser so far */
	int err;         /* errno of a failed read */
	int toobig;      /* the file grew past XMLREAD_MAX_BYTES while being read */
	xmlParserCtxtPtr ctxt;
};

static int S_src_read(void *ctx, char *buf, int n)
{
	struct S_src *src = ctx;
	if (n <= 0)
		return 0;
	if (src->fd < 0) {
		size_t k = src->len - src->pos < (size_t)n ? src->len - src->pos : (size_t)n;
		memcpy(buf, src->mem + src->pos, k);
		src->pos += k;
		return (int)k;
	}
	for (;;) {
		ssize_t r = read(src->fd, buf, (size_t)n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			src->err = errno;
			break;
		}
		src->pos += (size_t)r;
		if (src->pos > XMLREAD_MAX_BYTES) {
			src->toobig = 1;
			break;
		}
		return (int)r;
	}
	/* the parse ends here; what the parser says of the cut-off text is only an echo */
	struct S_parse *p = src->ctxt->_private;
	p->stopped = 1;
	p->errors++;
	xmlStopParser(src->ctxt);
	return -1;
}

static xmlDocPtr S_parse(const char *name, struct S_src *src, const char *const *element_only,
	struct diags *d)
{
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (ctxt == NULL) {
		diag_emit_text(d, D_XML_SYNTAX, name, 0, 0, "cannot create an XML parser");
		return NULL;
	}
	struct S_parse p = {.name = name, .d = d, .element_only = element_only};
	src->ctxt = ctxt;
	ctxt->_private = &p;
	ctxt->sax->serror = S_parse_error;
	ctxt->sax->internalSubset = S_internal_subset;
	ctxt->sax->reference = S_entity_ref;
	ctxt->sax->startElementNs = S_start_element;
	ctxt->sax->characters = S_characters;
	ctxt->sax->ignorableWhitespace = S_characters;
	ctxt->vctxt.error = NULL;
	ctxt->vctxt.warning = NULL;
	int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
		XML_PARSE_COMPACT;
	/* What xmlCtxtReadIO does, less its reset of the handlers set above. */
	xmlDocPtr doc = NULL;
	xmlParserInputBufferPtr in = xmlParserInputBufferCreateIO(S_src_read, NULL, src,
		XML_CHAR_ENCODING_NONE);
	xmlParserInputPtr stream = in ? xmlNewIOInputStream(ctxt, in, XML_CHAR_ENCODING_NONE) : NULL;
	if (stream == NULL) {
		xmlFreeParserInputBuffer(in);
		p.errors++;
		diag_emit_text(d, D_XML_SYNTAX, name, 0, 0, "cannot create an XML parser");
	} else {
		inputPush(ctxt, stream);
		xmlCtxtUseOptions(ctxt, opts);
		stream->filename = (char *)xmlStrdup((const xmlChar *)name);
		xmlParseDocument(ctxt);
		doc = ctxt->myDoc;
		ctxt->myDoc = NULL;
	}
	if (src->toobig)
		diag_emit(d, D_READ_TOOBIG, name, 0, 0, XMLREAD_MAX_BYTES);
	else if (src->err)
		diag_emit(d, D_READ_OPEN, name, 0, 0, strerror(src->err));
	int bad = p.errors > 0 || !ctxt->wellFormed || doc == NULL;
	if (doc != NULL && (doc->intSubset != NULL || doc->extSubset != NULL) && !p.doctype) {
		diag_emit(d, D_XML_DOCTYPE, name, 1, 0);
		bad = 1;
	}
	if (!bad && S_check_sizes(doc, name, d))
		bad = 1;
	else if (bad && p.errors == 0)
		diag_emit_text(d, D_XML_SYNTAX, name, 0, 0, "the document is not well-formed XML");
	xmlFreeParserCtxt(ctxt);
	if (bad) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

xmlDocPtr xmlread_memory(const char *name, const char *data, size_t len,
	const char *const *element_only, struct diags *d)
{
	if (len == 0) {
		diag_emit(d, D_READ_EMPTY, name, 0, 0);
		return NULL;
	}
	if (len > XMLREAD_MAX_BYTES) {
		diag_emit(d, D_READ_TOOBIG, name, 0, 0, XMLREAD_MAX_BYTES);
		return NULL;
	}
	struct S_src src = {.fd = -1, .mem = data, .len = len};
	return S_parse(name, &src, element_only, d);
}

xmlDocPtr xmlread_file(const char *path, const char *const *element_only, struct diags *d)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		diag_emit(d, D_READ_OPEN, path, 0, 0, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		diag_emit(d, D_READ_NOTFILE, path, 0, 0);
		close(fd);
		return NULL;
	}
	if ((size_t)st.st_size > XMLREAD_MAX_BYTES) {
		diag_emit(d, D_READ_TOOBIG, path, 0, 0, XMLREAD_MAX_BYTES);
		close(fd);
		return NULL;
	}
	/* An empty file is told by a first read of nothing (its size may have changed). */
	char first;
	ssize_t r;
	while ((r = read(fd, &first, 1)) < 0 && errno == EINTR)
		;
	if (r <= 0) {
		if (r < 0)
			diag_emit(d, D_READ_OPEN, path, 0, 0, strerror(errno));
		else
			diag_emit(d, D_READ_EMPTY, path, 0, 0);
		close(fd);
		return NULL;
	}
	if (lseek(fd, 0, SEEK_SET) != 0) {
		diag_emit(d, D_READ_OPEN, path, 0, 0, strerror(errno));
		close(fd);
		return NULL;
	}
	struct S_src src = {.fd = fd};
	xmlDocPtr doc = S_parse(path, &src, element_only, d);
	close(fd);
	return doc;
}

/* ---- RELAX NG ---- */

struct S_valid {
	const char *name;
	struct diags *d;
	int errors;
};

static void S_valid_error(void *user, xmlErrorPtr e)
{
	struct S_valid *v = user;
	if (e == NULL || e->level == XML_ERR_WARNING)
		return;
	const char *msg = e->message ? e->message : "does not match the schema";
	/* libxml2 says "Element foo: ..."; keep its words, they name the element. */
	xmlNodePtr node = e->node;
	int line = e->line;
	if (node != NULL && node->type == XML_ELEMENT_NODE && line >= 65535)
		line = xmlread_line(node); /* libxml2 stops counting elements' lines there */
	diag_emit_text(v->d, D_SCHEMA, v->name, line, 0, msg);
	v->errors++;
}

static void S_schema_error(void *user, xmlErrorPtr e)
{
	struct S_valid *v = user;
	if (e != NULL && e->level != XML_ERR_WARNING)
		v->errors++;
}

int xmlread_validate(xmlDocPtr doc, const char *name, const unsigned char *schema,
	size_t schema_len, struct diags *d)
{
	struct S_valid v = {.name = name, .d = d};
	/* the pattern facets libxml2 would compile once per value, checked by facets_check */
	struct facets *f = facets_hoist(schema, schema_len);
	xmlRelaxNGParserCtxtPtr pc = f != NULL ? xmlRelaxNGNewDocParserCtxt(facets_schema(f))
		: xmlRelaxNGNewMemParserCtxt((const char *)schema, (int)schema_len);
	if (pc == NULL) {
		facets_free(f);
		return 0;
	}
	xmlRelaxNGSetParserStructuredErrors(pc, S_schema_error, &v);
	xmlRelaxNGPtr rng = xmlRelaxNGParse(pc);
	xmlRelaxNGFreeParserCtxt(pc);
	if (rng == NULL) {
		facets_free(f);
		diag_emit_text(d, D_SCHEMA, name, 0, 0, "internal error: the built-in schema does not compile");
		return 0;
	}
	xmlRelaxNGValidCtxtPtr vc = xmlRelaxNGNewValidCtxt(rng);
	xmlRelaxNGSetValidStructuredErrors(vc, S_valid_error, &v);
	int rc = xmlRelaxNGValidateDoc(vc, doc);
	xmlRelaxNGFreeValidCtxt(vc);
	xmlRelaxNGFree(rng);
	if (rc != 0 && v.errors == 0)
		diag_emit_text(d, D_SCHEMA, name, 0, 0, "the document does not match the schema");
	int bad_values = facets_check(f, doc, name, d);
	facets_free(f);
	return rc == 0 && bad_values == 0;
}

/* ---- node readers ---- */

int xmlread_is(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

int xmlread_line(xmlNodePtr n)
{
	if (n == NULL)
		return 0;
	if (n->type == XML_ELEMENT_NODE && n->line == 65535 && n->_private != NULL)
		return (int)(intptr_t)n->_private; /* set by S_start_element */
	return (int)xmlGetLineNo(n);
}

const char *xmlread_attr(struct arena *a, xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (v == NULL)
		return NULL;
	const char *s = arena_strdup(a, (const char *)v);
	xmlFree(v);
	return s;
}

const char *xmlread_lang(struct arena *a, xmlNodePtr n)
{
	xmlChar *v = xmlGetNsProp(n, (const xmlChar *)"lang", XML_XML_NAMESPACE);
	if (v == NULL)
		return NULL;
	const char *s = arena_strdup(a, (const char *)v);
	xmlFree(v);
	return s;
}

xmlNodePtr xmlread_next(xmlNodePtr n, int into)
{
	if (into && n->type == XML_ELEMENT_NODE && n->children != NULL)
		return n->children;
	for (; n != NULL; n = n->parent) {
		if (n->parent == NULL || n->parent->type != XML_ELEMENT_NODE)
			return NULL; /* (n is the root element: what follows it is not inside) */
		if (n->next != NULL)
			return n->next;
	}
	return NULL;
}

const char *xmlread_text(struct arena *a, xmlNodePtr n)
{
	xmlChar *v = n ? xmlNodeGetContent(n) : NULL;
	const char *s = arena_strdup(a, v ? (const char *)v : "");
	xmlFree(v);
	return s;
}
