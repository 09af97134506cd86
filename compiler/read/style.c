/* style.c: reads a style sheet (XML + RELAX NG), checks every value and fills struct style. */
#include "style.h"
#include "xmlread.h"
#include "../base/util.h"
#include "../base/sha256.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/tree.h>

extern const unsigned char briefc_schema_style[];
extern const size_t briefc_schema_style_len;
extern const unsigned char briefc_style_briefing[], briefc_style_memo[], briefc_style_digest[];
extern const size_t briefc_style_briefing_len, briefc_style_memo_len, briefc_style_digest_len;

#define STYLE_MAX_LENGTH 2000.0 /* points: about 70 cm, larger than any page briefc sets */

struct S_ctx {
	const char *file;
	struct diags *d;
	int errors;
};

static char *S_attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (v == NULL)
		return NULL;
	char *s = xstrdup((const char *)v);
	xmlFree(v);
	return s;
}

static void S_error(struct S_ctx *c, xmlNodePtr n, const char *fmt, const char *a, const char *b)
{
	struct buf m = {0};
	buf_printf(&m, fmt, a, b);
	diag_emit_text(c->d, D_STYLE_VALUE, c->file, n ? (int)xmlGetLineNo(n) : 0, 0, m.data);
	buf_free(&m);
	c->errors++;
}

/* A length attribute in points; keeps *out when absent. Negative allowed only if neg. */
static void S_length(struct S_ctx *c, xmlNodePtr n, const char *name, double *out, int neg)
{
	char *v = S_attr(n, name);
	if (v == NULL)
		return;
	char *end;
	double x = strtod(v, &end);
	double unit = 1;
	if (strcmp(end, "pt") == 0)
		unit = 1;
	else if (strcmp(end, "mm") == 0)
		unit = 72.0 / 25.4;
	else if (strcmp(end, "cm") == 0)
		unit = 72.0 / 2.54;
	else if (strcmp(end, "in") == 0)
		unit = 72.0;
	else
		S_error(c, n, "%s: '%s' is not a length (a number with pt, mm, cm or in)", name, v);
	x *= unit;
	if (!isfinite(x) || fabs(x) > STYLE_MAX_LENGTH)
		S_error(c, n, "%s: '%s' is out of range (at most 2000pt)", name, v);
	else if (x < 0 && !neg)
		S_error(c, n, "%s: '%s' must not be negative", name, v);
	else
		*out = x;
	free(v);
}

static void S_color(struct S_ctx *c, xmlNodePtr n, const char *name, struct style_color *out)
{
	(void)c;
	char *v = S_attr(n, name);
	if (v == NULL)
		return;
	unsigned long x = strtoul(v + 1, NULL, 16); /* the schema guarantees #RRGGBB */
	out->r = ((x >> 16) & 0xFF) / 255.0;
	out->g = ((x >> 8) & 0xFF) / 255.0;
	out->b = (x & 0xFF) / 255.0;
	free(v);
}

static void S_bool(xmlNodePtr n, const char *name, int *out)
{
	char *v = S_attr(n, name);
	if (v != NULL)
		*out = strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
	free(v);
}

static void S_int(struct S_ctx *c, xmlNodePtr n, const char *name, int *out, int lo, int hi)
{
	char *v = S_attr(n, name);
	if (v == NULL)
		return;
	char *end;
	long x = strtol(v, &end, 10);
	if (*end != '\0' || x < lo || x > hi) {
		char range[64];
		snprintf(range, sizeof range, "%%s: '%%s' is out of range (%d to %d)", lo, hi);
		S_error(c, n, range, name, v);
	} else {
		*out = (int)x;
	}
	free(v);
}

static int S_font_index(const struct style *s, const char *id)
{
	for (int i = 0; i < s->nfonts; i++)
		if (strcmp(s->fonts[i].id, id) == 0)
			return i;
	return -1;
}

static void S_read_block(struct S_ctx *c, struct style *s, xmlNodePtr n, struct style_block *b)
{
	char *v;
	if ((v = S_attr(n, "font")) != NULL) {
		int i = S_font_index(s, v);
		if (i < 0)
			S_error(c, n, "font '%s' is not declared by a <font id=...> element%s", v, "");
		else
			b->font = i;
		free(v);
	}
	if ((v = S_attr(n, "weight")) != NULL) {
		b->bold = strcmp(v, "bold") == 0;
		free(v);
	}
	if ((v = S_attr(n, "slant")) != NULL) {
		b->italic = strcmp(v, "italic") == 0;
		free(v);
	}
	if ((v = S_attr(n, "align")) != NULL) {
		b->align = strcmp(v, "left") == 0 ? ALIGN_LEFT
			: strcmp(v, "right") == 0 ? ALIGN_RIGHT
			: strcmp(v, "center") == 0 ? ALIGN_CENTER : ALIGN_JUSTIFY;
		free(v);
	}
	if ((v = S_attr(n, "keep-with-next")) != NULL) {
		b->keep_with_next = strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
		free(v);
	}
	double size = b->size;
	S_length(c, n, "size", &size, 0);
	if (size < 2 || size > 200)
		S_error(c, n, "size: %s is out of range (2pt to 200pt)%s", size < 2 ? "too small" : "too large", "");
	else
		b->size = size;
	S_length(c, n, "leading", &b->leading, 0);
	if (b->leading < b->size * 0.8)
		b->leading = b->size * 1.2;
	S_length(c, n, "space-before", &b->space_before, 0);
	S_length(c, n, "space-after", &b->space_after, 0);
	S_length(c, n, "indent-left", &b->indent_left, 0);
	S_length(c, n, "indent-right", &b->indent_right, 0);
	S_length(c, n, "first-indent", &b->first_indent, 1);
	S_color(c, n, "color", &b->color);
}

static struct style_block *S_block_slot(struct style *s, const char *cls)
{
	for (int i = 0; i < s->nblocks; i++)
		if (strcmp(s->blocks[i].cls, cls) == 0)
			return &s->blocks[i];
	return NULL;
}

static int S_is(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static void S_page(struct S_ctx *c, struct style *s, xmlNodePtr n)
{
	char *size = S_attr(n, "size");
	if (size != NULL && strcmp(size, "A4") == 0) {
		s->page_w = 595.276;
		s->page_h = 841.890;
	} else if (size != NULL && strcmp(size, "Letter") == 0) {
		s->page_w = 612;
		s->page_h = 792;
	} else if (size != NULL && strcmp(size, "A5") == 0) {
		s->page_w = 419.528;
		s->page_h = 595.276;
	}
	free(size);
	S_length(c, n, "width", &s->page_w, 0);
	S_length(c, n, "height", &s->page_h, 0);
	S_length(c, n, "margin-top", &s->margin_top, 0);
	S_length(c, n, "margin-bottom", &s->margin_bottom, 0);
	S_length(c, n, "margin-inner", &s->margin_inner, 0);
	S_length(c, n, "margin-outer", &s->margin_outer, 0);
	S_length(c, n, "header-offset", &s->header_offset, 0);
	S_length(c, n, "footer-offset", &s->footer_offset, 0);
	S_int(c, n, "columns", &s->columns, 1, 2);
	S_length(c, n, "column-gap", &s->column_gap, 0);
	if (s->page_w < 72 || s->page_h < 72)
		S_error(c, n, "the page is smaller than one inch%s%s", "", "");
	else if (s->margin_inner + s->margin_outer > s->page_w - 72 ||
		s->margin_top + s->margin_bottom > s->page_h - 72)
		S_error(c, n, "the margins leave less than one inch of text block%s%s", "", "");
	else if (s->columns > 1 &&
		(s->page_w - s->margin_inner - s->margin_outer - s->column_gap) / s->columns < 72)
		S_error(c, n, "columns narrower than one inch%s%s", "", "");
}

static void S_layout(struct S_ctx *c, struct style *s, xmlNodePtr n)
{
	S_length(c, n, "rule-width", &s->rule_width, 0);
	S_length(c, n, "cell-padding", &s->cell_padding, 0);
	S_length(c, n, "list-indent", &s->list_indent, 0);
	S_color(c, n, "link-color", &s->link_color);
	S_color(c, n, "rule-color", &s->rule_color);
	char *t = S_attr(n, "tolerance");
	if (t != NULL) {
		double x = strtod(t, NULL);
		if (!(x >= 0.5 && x <= 100))
			S_error(c, n, "tolerance: '%s' is out of range (0.5 to 100)%s", t, "");
		else
			s->tolerance = x;
		free(t);
	}
	S_bool(n, "hyphenate", &s->hyphenate);
	S_bool(n, "kerning", &s->kerning);
	S_bool(n, "first-page-plain", &s->first_page_plain);
	S_int(c, n, "hyphen-min-left", &s->hyphen_min_left, 1, 10);
	S_int(c, n, "hyphen-min-right", &s->hyphen_min_right, 1, 10);
	S_int(c, n, "toc-depth", &s->toc_depth, 1, 3);
	S_int(c, n, "orphans", &s->orphans, 1, 5);
	S_int(c, n, "widows", &s->widows, 1, 5);
	int v = (int)s->hyphen_penalty;
	S_int(c, n, "hyphen-penalty", &v, 0, 10000);
	s->hyphen_penalty = v;
	v = (int)s->adj_demerits;
	S_int(c, n, "adj-demerits", &v, 0, 1000000);
	s->adj_demerits = v;
	v = (int)s->double_hyphen_demerits;
	S_int(c, n, "double-hyphen-demerits", &v, 0, 1000000);
	s->double_hyphen_demerits = v;
	v = (int)s->final_hyphen_demerits;
	S_int(c, n, "final-hyphen-demerits", &v, 0, 1000000);
	s->final_hyphen_demerits = v;
	if ((t = S_attr(n, "toc")) != NULL) {
		s->toc_mode = strcmp(t, "inline") == 0 ? TOC_INLINE
			: strcmp(t, "none") == 0 ? TOC_NONE : strcmp(t, "front") == 0 ? TOC_FRONT
			: TOC_OWN_PAGE;
		free(t);
	}
	if ((t = S_attr(n, "numbering")) != NULL) {
		s->numbering = strcmp(t, "roman") == 0 ? NUM_ROMAN
			: strcmp(t, "alpha") == 0 ? NUM_ALPHA
			: strcmp(t, "none") == 0 ? NUM_NONE : NUM_DECIMAL;
		free(t);
	}
	if ((t = S_attr(n, "span")) != NULL) {
		free(s->span);
		s->span = t;
	}
	if ((t = S_attr(n, "header")) != NULL) {
		free(s->header);
		s->header = t;
	}
	if ((t = S_attr(n, "footer")) != NULL) {
		free(s->footer);
		s->footer = t;
	}
}

/* Applies a style document on top of s (the defaults, or the style it extends). */
static void S_apply(struct S_ctx *c, struct style *s, xmlNodePtr root)
{
	char *v = S_attr(root, "name");
	if (v != NULL) {
		free(s->name);
		s->name = v;
	}
	/* Fonts first: blocks refer to them. A font id declared again replaces its family. */
	for (xmlNodePtr n = root->children; n; n = n->next) {
		if (S_is(n, "font")) {
			char *id = S_attr(n, "id");
			int k = S_font_index(s, id);
			if (k >= 0) {
				free(s->fonts[k].family);
				s->fonts[k].family = S_attr(n, "family");
				free(id);
				continue;
			}
			s->fonts = xrealloc(s->fonts, (size_t)(s->nfonts + 1) * sizeof *s->fonts);
			s->fonts[s->nfonts].id = id;
			s->fonts[s->nfonts].family = S_attr(n, "family");
			s->nfonts++;
		} else if (S_is(n, "fallback")) {
			for (int i = 0; i < s->nfallback; i++)
				free(s->fallback[i]);
			s->nfallback = 0;
			for (xmlNodePtr f = n->children; f; f = f->next) {
				if (!S_is(f, "family"))
					continue;
				xmlChar *t = xmlNodeGetContent(f);
				s->fallback = xrealloc(s->fallback, (size_t)(s->nfallback + 1) * sizeof *s->fallback);
				s->fallback[s->nfallback++] = xstrdup((const char *)t);
				xmlFree(t);
			}
		}
	}
	/* The body block first: a new class starts from it. */
	for (xmlNodePtr n = root->children; n; n = n->next) {
		char *cls = S_is(n, "block") ? S_attr(n, "class") : NULL;
		if (cls != NULL && strcmp(cls, "body") == 0)
			S_read_block(c, s, n, &s->blocks[0]);
		free(cls);
	}
	int first_new = s->nblocks;
	for (xmlNodePtr n = root->children; n; n = n->next) {
		if (!S_is(n, "block"))
			continue;
		char *cls = S_attr(n, "class");
		if (strcmp(cls, "body") == 0) {
			free(cls);
			continue;
		}
		struct style_block *old = S_block_slot(s, cls);
		if (old != NULL && old - s->blocks >= first_new) {
			S_error(c, n, "block class '%s' is defined twice%s", cls, "");
			free(cls);
			continue;
		}
		if (old != NULL) {
			/* a class the extended style defines: change what this one says */
			free(cls);
			S_read_block(c, s, n, old);
			continue;
		}
		struct style_block b = s->blocks[0];
		b.space_before = 0;
		b.space_after = 0;
		b.keep_with_next = 0;
		b.cls = cls;
		S_read_block(c, s, n, &b);
		s->blocks = xrealloc(s->blocks, (size_t)(s->nblocks + 1) * sizeof *s->blocks);
		s->blocks[s->nblocks++] = b;
	}
	for (xmlNodePtr n = root->children; n; n = n->next) {
		if (S_is(n, "page"))
			S_page(c, s, n);
		else if (S_is(n, "layout"))
			S_layout(c, s, n);
	}
}

/* The element of root that sets class cls (a <block>), or the first <name> element; the
 * root when this file does not say it (the value came from the style it extends). */
static xmlNodePtr S_where(xmlNodePtr root, const char *name, const char *cls)
{
	for (xmlNodePtr n = root->children; n; n = n->next) {
		if (!S_is(n, name))
			continue;
		if (cls == NULL)
			return n;
		char *v = S_attr(n, "class");
		int hit = v != NULL && strcmp(v, cls) == 0;
		free(v);
		if (hit)
			return n;
	}
	return root;
}

/* Values that are each in range may still not fit together on the page: checked once the
 * whole style is known, so that nothing is set outside the page (README "Limits"). */
static void S_check_fit(struct S_ctx *c, const struct style *s, xmlNodePtr root)
{
	double W = (s->page_w - s->margin_inner - s->margin_outer - (s->columns - 1) * s->column_gap) /
		(s->columns > 1 ? s->columns : 1);
	double H = s->page_h - s->margin_top - s->margin_bottom;
	if (W < 72 || H < 72)
		return; /* already reported by S_page */
	for (int i = 0; i < s->nblocks; i++) {
		const struct style_block *b = &s->blocks[i];
		xmlNodePtr n = S_where(root, "block", b->cls);
		int item = strcmp(b->cls, "item") == 0;
		double hang = b->indent_left + (item ? s->list_indent : 0);
		double line = W - b->indent_left - b->indent_right - (item ? s->list_indent : 0) -
			(b->first_indent > 0 ? b->first_indent : 0);
		if (line < 72)
			S_error(c, n, "block '%s': its indents leave less than one inch of the %s width",
				b->cls, s->columns > 1 ? "column's" : "text block's");
		else if (b->first_indent < 0 && -b->first_indent > hang + 0.005)
			S_error(c, n, "block '%s': first-indent reaches past the left margin "
				"(it may hang at most as far as indent-left%s)", b->cls,
				item ? " and the list indent" : "");
		if (b->leading > H)
			S_error(c, n, "block '%s': its leading is taller than the text block%s", b->cls, "");
	}
	const struct style_block *head = style_block(s, "header"), *foot = style_block(s, "footer");
	xmlNodePtr pg = S_where(root, "page", NULL);
	if (s->header_offset > s->margin_top || head->leading > s->margin_top)
		S_error(c, pg, "the running head does not fit in the top margin "
			"(header-offset and the header's leading must not exceed margin-top)%s%s", "", "");
	if (s->footer_offset > s->margin_bottom || foot->leading > s->margin_bottom)
		S_error(c, pg, "the running foot does not fit in the bottom margin "
			"(footer-offset and the footer's leading must not exceed margin-bottom)%s%s", "", "");
	xmlNodePtr lay = S_where(root, "layout", NULL);
	if (W - 2 * s->cell_padding < 72)
		S_error(c, lay, "cell-padding leaves less than one inch for a table cell%s%s", "", "");
	if (s->rule_width > 72)
		S_error(c, lay, "rule-width: rules are at most one inch (72pt) thick%s%s", "", "");
}

static struct style *S_defaults(void)
{
	struct style *s = xcalloc(1, sizeof *s);
	s->name = xstrdup("default");
	s->page_w = 595.276;
	s->page_h = 841.890;
	s->margin_top = s->margin_bottom = s->margin_inner = s->margin_outer = 72;
	s->header_offset = s->footer_offset = 36;
	s->rule_width = 0.5;
	s->cell_padding = 3;
	s->list_indent = 18;
	s->tolerance = 3;
	s->hyphenate = 1;
	s->kerning = 1;
	s->hyphen_min_left = 2;
	s->hyphen_min_right = 3;
	s->hyphen_penalty = 50;
	s->adj_demerits = 3000;
	s->double_hyphen_demerits = 3000;
	s->final_hyphen_demerits = 5000;
	s->link_color = (struct style_color){0.1, 0.3, 0.55};
	s->header = xstrdup("{short-title}");
	s->footer = xstrdup("Page {page} of {pages}");
	s->first_page_plain = 1;
	s->columns = 1;
	s->column_gap = 18;
	s->toc_mode = TOC_OWN_PAGE;
	s->toc_depth = 2;
	s->orphans = 2;
	s->widows = 2;
	s->fonts = xmalloc(sizeof *s->fonts);
	s->fonts[0].id = xstrdup("serif");
	s->fonts[0].family = xstrdup("DejaVu Serif");
	s->nfonts = 1;
	s->blocks = xmalloc(sizeof *s->blocks);
	s->blocks[0] = (struct style_block){.cls = xstrdup("body"), .font = 0, .size = 10,
		.leading = 12.5, .align = ALIGN_JUSTIFY, .space_after = 4};
	s->nblocks = 1;
	return s;
}

/* The styles compiled into briefc, usable by name: --style memo. */
static const struct {
	const char *name;
	const unsigned char *data;
	const size_t *len;
} S_builtin[] = {
	{"briefing", briefc_style_briefing, &briefc_style_briefing_len},
	{"memo", briefc_style_memo, &briefc_style_memo_len},
	{"digest", briefc_style_digest, &briefc_style_digest_len},
};

const unsigned char *style_builtin(int i, const char **name, size_t *len)
{
	if (i < 0 || (size_t)i >= sizeof S_builtin / sizeof *S_builtin)
		return NULL;
	*name = S_builtin[i].name;
	*len = *S_builtin[i].len;
	return S_builtin[i].data;
}

static int S_builtin_index(const char *name)
{
	for (size_t i = 0; i < sizeof S_builtin / sizeof *S_builtin; i++)
		if (strcmp(S_builtin[i].name, name) == 0)
			return (int)i;
	return -1;
}

static struct style *S_load(const char *path, const char *from, int depth, struct diags *d);

/* Resolves extends="...": a built-in name, or a path relative to the extending file. */
static struct style *S_base(const char *ext, const char *file, int line, int depth,
	struct diags *d)
{
	if (depth >= 8) {
		diag_emit(d, D_STYLE_VALUE, file, line, 0,
			"extends: styles extend each other more than 8 deep (a cycle?)");
		return NULL;
	}
	if (strchr(ext, '/') == NULL && strstr(ext, ".xml") == NULL && S_builtin_index(ext) >= 0)
		return S_load(NULL, ext, depth + 1, d);
	struct buf path = {0};
	const char *slash = strrchr(file, '/');
	if (ext[0] != '/' && slash != NULL)
		buf_put(&path, file, (size_t)(slash - file + 1));
	buf_puts(&path, ext);
	struct style *s = S_load(path.data, NULL, depth + 1, d);
	buf_free(&path);
	return s;
}

static struct style *S_load(const char *path, const char *builtin, int depth, struct diags *d)
{
	if (builtin == NULL && path == NULL)
		builtin = "briefing";
	int bi = builtin ? S_builtin_index(builtin) : -1;
	const char *file = path;
	char label[64];
	if (builtin != NULL) {
		snprintf(label, sizeof label, "(built-in style %s)", builtin);
		file = label;
	}
	xmlDocPtr doc = builtin ? xmlread_memory(file, (const char *)S_builtin[bi].data,
		*S_builtin[bi].len, NULL, d) : xmlread_file(path, NULL, d);
	if (doc == NULL)
		return NULL;
	/* (a built-in style is part of briefc: the unit test builtin_styles_valid validates each,
	 * which saves every run compiling the style schema for it, half a millisecond) */
	if (builtin == NULL && !xmlread_validate(doc, file, briefc_schema_style, briefc_schema_style_len, d)) {
		xmlFreeDoc(doc);
		return NULL;
	}
	xmlNodePtr root = xmlDocGetRootElement(doc);
	char *ext = S_attr(root, "extends");
	struct style *s = ext ? S_base(ext, file, (int)xmlGetLineNo(root), depth, d) : S_defaults();
	free(ext);
	if (s == NULL) {
		xmlFreeDoc(doc);
		return NULL;
	}
	struct S_ctx c = {.file = file, .d = d};
	S_apply(&c, s, root);
	if (depth == 0 && c.errors == 0)
		S_check_fit(&c, s, root);
	xmlFreeDoc(doc);
	if (c.errors > 0) {
		style_free(s);
		return NULL;
	}
	return s;
}

struct style *style_load(const char *path, struct diags *d)
{
	/* A bare name of a built-in style, when no such file exists, selects the built-in. */
	if (path != NULL && strchr(path, '/') == NULL && S_builtin_index(path) >= 0 &&
		access(path, F_OK) != 0)
		return S_load(NULL, path, 0, d);
	return S_load(path, NULL, 0, d);
}

void style_free(struct style *s)
{
	if (s == NULL)
		return;
	free(s->name);
	for (int i = 0; i < s->nfonts; i++) {
		free(s->fonts[i].id);
		free(s->fonts[i].family);
	}
	free(s->fonts);
	for (int i = 0; i < s->nfallback; i++)
		free(s->fallback[i]);
	free(s->fallback);
	for (int i = 0; i < s->nblocks; i++)
		free(s->blocks[i].cls);
	free(s->blocks);
	free(s->header);
	free(s->footer);
	free(s->span);
	free(s);
}

const struct style_block *style_block(const struct style *s, const char *cls)
{
	for (int i = 0; i < s->nblocks; i++)
		if (strcmp(s->blocks[i].cls, cls) == 0)
			return &s->blocks[i];
	return &s->blocks[0];
}

int style_digest(const char *path, char hex[65])
{
	const char *name = path ? path : "briefing";
	if (path == NULL || (strchr(path, '/') == NULL && S_builtin_index(path) >= 0 &&
		access(path, F_OK) != 0)) {
		int i = S_builtin_index(name);
		struct sha256 c;
		sha256_init(&c);
		sha256_update(&c, S_builtin[i].data, *S_builtin[i].len);
		sha256_hex(&c, hex);
		return 0;
	}
	return sha256_file(path, hex, NULL);
}
