/* doc.c: the generic document tree: construction, plain text and the --dump tree format. */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

struct doc *doc_new(void)
{
	struct doc *d = xcalloc(1, sizeof *d);
	d->root = doc_add(d, NULL, DOC_DOCUMENT, 0);
	return d;
}

void doc_free(struct doc *d)
{
	if (d == NULL)
		return;
	arena_free(&d->arena);
	free(d);
}

struct doc_node *doc_add(struct doc *d, struct doc_node *parent, enum doc_type type, int line)
{
	struct doc_node *n = arena_alloc(&d->arena, sizeof *n);
	n->type = type;
	n->line = line;
	n->parent = parent;
	if (parent != NULL) {
		if (parent->last)
			parent->last->next = n;
		else
			parent->first = n;
		parent->last = n;
	}
	return n;
}

struct doc_node *doc_add_text(struct doc *d, struct doc_node *parent, const char *text, int line)
{
	struct doc_node *n = doc_add(d, parent, DOC_TEXT, line);
	n->text = arena_strdup(&d->arena, text);
	return n;
}

static void S_detach(struct doc *d, struct doc_node *n)
{
	for (; n != NULL; n = n->next) {
		/* (text is copied when it is added: doc_add_text) */
		n->cls = arena_strdup(&d->arena, n->cls);
		n->label = arena_strdup(&d->arena, n->label);
		n->anchor = arena_strdup(&d->arena, n->anchor);
		n->target = arena_strdup(&d->arena, n->target);
		n->lang = arena_strdup(&d->arena, n->lang);
		if (n->type != DOC_IMAGE) { /* (its width and size share their room) */
			n->date = arena_strdup(&d->arena, n->date);
			n->date_end = arena_strdup(&d->arena, n->date_end);
		}
		S_detach(d, n->first);
	}
}

void doc_detach(struct doc *d)
{
	const char **fields[] = {&d->title, &d->short_title, &d->lang, &d->author, &d->subject,
		&d->keywords, &d->date, &d->classification, &d->as_of};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		*fields[i] = arena_strdup(&d->arena, *fields[i]);
	S_detach(d, d->root);
}

static void S_plain(const struct doc_node *n, struct buf *b)
{
	if (n->type == DOC_TEXT)
		buf_puts(b, n->text);
	else if (n->type == DOC_NOTEREF || n->type == DOC_FOOTNOTE || n->type == DOC_PAGEREF)
		return;
	for (const struct doc_node *c = n->first; c; c = c->next)
		S_plain(c, b);
}

char *doc_plain_text(struct doc *d, const struct doc_node *n)
{
	struct buf b = {0};
	S_plain(n, &b);
	char *s = arena_strdup(&d->arena, b.data ? b.data : "");
	buf_free(&b);
	return s;
}

void doc_table_size(const struct doc_node *table, int *rows, int *cols,
	const struct doc_node **caption)
{
	*rows = *cols = 0;
	if (caption)
		*caption = NULL;
	for (const struct doc_node *r = table->first; r; r = r->next) {
		if (r->type == DOC_PARA && caption)
			*caption = r;
		if (r->type != DOC_ROW)
			continue;
		(*rows)++;
		int k = 0;
		for (const struct doc_node *c = r->first; c; c = c->next)
			k++;
		if (k > *cols)
			*cols = k;
	}
}

static const char *S_names[] = {"document", "section", "heading", "para", "list", "item",
	"table", "row", "cell", "quote", "rule", "text", "emph", "strong", "link", "xref",
	"noteref", "cite", "lang", "footnote", "pageref", "toc", "image", "timeline"};

const char *doc_type_name(enum doc_type t)
{
	return S_names[t];
}

int doc_is_inline(enum doc_type t)
{
	return t >= DOC_TEXT && t <= DOC_PAGEREF;
}

static void S_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", out);
		else if (strncmp(s, "\u00A0", 2) == 0) {
			fputs("\\u00a0", out); /* invisible characters are shown */
			s++;
		} else if (strncmp(s, "\u00AD", 2) == 0) {
			fputs("\\u00ad", out);
			s++;
		}
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static void S_dump(const struct doc_node *n, int depth, FILE *out)
{
	fprintf(out, "%*s%s", depth * 2, "", S_names[n->type]);
	if (n->cls)
		fprintf(out, " .%s", n->cls);
	if (n->level)
		fprintf(out, " level=%d", n->level);
	if (n->label)
		fprintf(out, " label=\"%s\"", n->label);
	if (n->anchor)
		fprintf(out, " #%s", n->anchor);
	if (n->target && n->type == DOC_IMAGE) {
		const char *base = strrchr(n->target, '/'); /* no path of the machine in dumps */
		fprintf(out, " ->%s", base ? base + 1 : n->target);
	} else if (n->target) {
		fprintf(out, " ->%s", n->target);
	}
	if (n->lang)
		fprintf(out, " lang=%s", n->lang);
	if (n->flags & DOC_ORDERED)
		fputs(" ordered", out);
	if (n->flags & DOC_HEADER)
		fputs(" header", out);
	if (n->flags & DOC_ALIGN_RIGHT)
		fputs(" right", out);
	if (n->flags & DOC_ALIGN_CENTER)
		fputs(" center", out);
	if (n->flags & DOC_GENERATED)
		fputs(" generated", out);
	if (n->type == DOC_IMAGE)
		fprintf(out, " %dx%d width=%.2f", n->px_w, n->px_h, n->width);
	else if (n->date)
		fprintf(out, " date=%s%s%s", n->date, n->date_end ? ".." : "", n->date_end ? n->date_end : "");
	if (n->line)
		fprintf(out, " @%d", n->line);
	if (n->text) {
		fputc(' ', out);
		S_quoted(out, n->text);
	}
	fputc('\n', out);
	for (const struct doc_node *c = n->first; c; c = c->next)
		S_dump(c, depth + 1, out);
}

void doc_dump(const struct doc *d, FILE *out)
{
	fprintf(out, "doc title=");
	S_quoted(out, d->title ? d->title : "");
	fprintf(out, " date=%s lang=%s\n", d->date ? d->date : "-", d->lang ? d->lang : "-");
	for (const struct doc_node *c = d->root->first; c; c = c->next)
		S_dump(c, 1, out);
}
