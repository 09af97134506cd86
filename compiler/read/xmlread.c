/* xmlread.c: safe parsing of untrusted XML from memory and RELAX NG validation, with diagnostics. */
#define _POSIX_C_SOURCE 200809L
#include "xmlread.h"
#include "../base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>

/* Per-parse state, reached from libxml2 callbacks through ctxt->_private. */
struct S_parse {
	const char *name;
	struct diags *d;
	int doctype;  /* a DOCTYPE was seen: parsing was stopped */
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

void xmlread_init(void)
{
	/* libxml2 keeps the loader process-wide; it is set once, to a function with no state of
	 * its own, so that no parse anywhere in briefc can ever reach a file or the network. */
	xmlInitParser();
	xmlSetExternalEntityLoader(S_refuse_loader);
}

static void S_parse_error(void *user, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = user;
	if (ctxt == NULL || ctxt->_private == NULL || e == NULL)
		return;
	struct S_parse *p = ctxt->_private;
	if (p->doctype)
		return; /* the stop we caused reports nothing useful */
	if (e->level == XML_ERR_WARNING)
		return;
	diag_emit_text(p->d, D_XML_SYNTAX, p->name, e->line, e->int2,
		e->message ? e->message : "malformed XML");
	p->errors++;
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

static void S_entity_ref(void *user, const xmlChar *name)
{
	(void)name;
	(void)user; /* undeclared entities are reported by the parser itself */
}

xmlDocPtr xmlread_memory(const char *name, const char *data, size_t len, struct diags *d)
{
	if (len == 0) {
		diag_emit(d, D_READ_EMPTY, name, 0, 0);
		return NULL;
	}
	if (len > XMLREAD_MAX_BYTES) {
		diag_emit(d, D_READ_TOOBIG, name, 0, 0, XMLREAD_MAX_BYTES);
		return NULL;
	}
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (ctxt == NULL) {
		diag_emit_text(d, D_XML_SYNTAX, name, 0, 0, "cannot create an XML parser");
		return NULL;
	}
	struct S_parse p = {.name = name, .d = d};
	ctxt->_private = &p;
	ctxt->sax->serror = S_parse_error;
	ctxt->sax->internalSubset = S_internal_subset;
	ctxt->sax->reference = S_entity_ref;
	ctxt->vctxt.error = NULL;
	ctxt->vctxt.warning = NULL;
	int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
	xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, name, NULL, opts);
	int bad = p.errors > 0 || !ctxt->wellFormed || doc == NULL;
	if (doc != NULL && (doc->intSubset != NULL || doc->extSubset != NULL) && !p.doctype) {
		diag_emit(d, D_XML_DOCTYPE, name, 1, 0);
		bad = 1;
	}
	if (bad && p.errors == 0)
		diag_emit_text(d, D_XML_SYNTAX, name, 0, 0, "the document is not well-formed XML");
	xmlFreeParserCtxt(ctxt);
	if (bad) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

xmlDocPtr xmlread_file(const char *path, struct diags *d)
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
	size_t cap = (size_t)st.st_size, len = 0;
	char *data = xmalloc(cap + 1);
	for (;;) {
		if (len == cap) {
			if (cap >= XMLREAD_MAX_BYTES) {
				diag_emit(d, D_READ_TOOBIG, path, 0, 0, XMLREAD_MAX_BYTES);
				free(data);
				close(fd);
				return NULL;
			}
			cap = cap ? cap * 2 : 4096;
			data = xrealloc(data, cap + 1);
		}
		ssize_t r = read(fd, data + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			diag_emit(d, D_READ_OPEN, path, 0, 0, strerror(errno));
			free(data);
			close(fd);
			return NULL;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	xmlDocPtr doc = xmlread_memory(path, data, len, d);
	free(data);
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
	diag_emit_text(v->d, D_SCHEMA, v->name, e->line, 0, msg);
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
	xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewMemParserCtxt((const char *)schema, (int)schema_len);
	if (pc == NULL)
		return 0;
	xmlRelaxNGSetParserStructuredErrors(pc, S_schema_error, &v);
	xmlRelaxNGPtr rng = xmlRelaxNGParse(pc);
	xmlRelaxNGFreeParserCtxt(pc);
	if (rng == NULL) {
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
	return rc == 0;
}

/* ---- node readers ---- */

int xmlread_is(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

int xmlread_line(xmlNodePtr n)
{
	return n ? (int)xmlGetLineNo(n) : 0;
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

const char *xmlread_text(struct arena *a, xmlNodePtr n)
{
	xmlChar *v = n ? xmlNodeGetContent(n) : NULL;
	const char *s = arena_strdup(a, v ? (const char *)v : "");
	xmlFree(v);
	return s;
}
