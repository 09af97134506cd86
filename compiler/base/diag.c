/* diag.c: collects diagnostics from every stage and prints them as file:line:col: level: text. */
#include "diag.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	enum diag_level level;
	const char *text;
} S_catalogue[] = {
#define X(id, level, text) {DIAG_##level, text},
	DIAG_CATALOGUE(X)
#undef X
};

const char *diag_format_of(enum diag_id id)
{
	return S_catalogue[id].text;
}

enum diag_level diag_level_of(enum diag_id id)
{
	return S_catalogue[id].level;
}

/* A copy of s that is safe to print on a terminal: control characters (C0, DEL and the C1
 * range, which a terminal may take for escape sequences) become <U+00XX>. Takes s. */
static char *S_printable(char *s)
{
	struct buf b = {0};
	int dirty = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7F) {
			buf_printf(&b, "<U+%04X>", *p);
			dirty = 1;
		} else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			buf_printf(&b, "<U+%04X>", p[1]);
			p++;
			dirty = 1;
		} else {
			buf_putc(&b, (char)*p);
		}
	}
	if (!dirty) {
		buf_free(&b);
		return s;
	}
	free(s);
	return b.data;
}

static void S_push(struct diags *d, enum diag_id id, const char *file, int line, int col, char *msg)
{
	msg = S_printable(msg);
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xrealloc(d->v, d->cap * sizeof *d->v);
	}
	struct diag *g = &d->v[d->n];
	g->file = file ? S_printable(xstrdup(file)) : NULL;
	g->line = line;
	g->col = col;
	g->level = S_catalogue[id].level;
	g->msg = msg;
	g->seq = d->n;
	g->file_rank = d->n;
	for (size_t i = d->n; i-- > 0;) { /* newest first: usually the same file */
		const struct diag *o = &d->v[i];
		if ((o->file == NULL && g->file == NULL) || (o->file && g->file && strcmp(o->file, g->file) == 0)) {
			g->file_rank = o->file_rank;
			break;
		}
	}
	d->n++;
	if (g->level == DIAG_ERROR)
		d->errors++;
	else
		d->warnings++;
	if (id == D_READ_OPEN || id == D_READ_NOTFILE || id == D_OUT_WRITE || id == D_PDF_LIB)
		d->io_errors++;
}

void diag_emit(struct diags *d, enum diag_id id, const char *file, int line, int col, ...)
{
	struct buf b = {0};
	va_list ap;
	va_start(ap, col);
	buf_vprintf(&b, S_catalogue[id].text, ap);
	va_end(ap);
	S_push(d, id, file, line, col, b.data ? b.data : xstrdup(""));
}

void diag_emit_text(struct diags *d, enum diag_id id, const char *file, int line, int col,
	const char *text)
{
	size_t n = strlen(text);
	while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
		n--;
	/* one diagnostic, one line: libxml2 sometimes adds a second line of detail */
	char *msg = xstrndup(text, n);
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	S_push(d, id, file, line, col, msg);
}

static int S_cmp(const void *a, const void *b)
{
	const struct diag *x = a, *y = b;
	/* Files in the order they were first reported; within a file, by position. */
	if (x->file_rank != y->file_rank)
		return x->file_rank < y->file_rank ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

void diag_flush(struct diags *d, FILE *out)
{
	if (d->n == 0)
		return;
	qsort(d->v, d->n, sizeof *d->v, S_cmp);
	for (size_t i = 0; i < d->n; i++) {
		struct diag *g = &d->v[i];
		const char *lv = g->level == DIAG_ERROR ? "error" : "warning";
		if (g->file == NULL)
			fprintf(out, "briefc: %s: %s\n", lv, g->msg);
		else if (g->line <= 0)
			fprintf(out, "%s: %s: %s\n", g->file, lv, g->msg);
		else if (g->col <= 0)
			fprintf(out, "%s:%d: %s: %s\n", g->file, g->line, lv, g->msg);
		else
			fprintf(out, "%s:%d:%d: %s: %s\n", g->file, g->line, g->col, lv, g->msg);
		free(g->msg);
		free(g->file);
	}
	d->n = 0;
}

void diag_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].msg);
		free(d->v[i].file);
	}
	free(d->v);
	memset(d, 0, sizeof *d);
}

void diag_move(struct diags *to, struct diags *from)
{
	for (size_t i = 0; i < from->n; i++) {
		struct diag *g = &from->v[i];
		if (to->n == to->cap) {
			to->cap = to->cap ? to->cap * 2 : 16;
			to->v = xrealloc(to->v, to->cap * sizeof *to->v);
		}
		struct diag *h = &to->v[to->n];
		*h = *g;
		h->seq = to->n;
		h->file_rank = to->n;
		for (size_t k = to->n; k-- > 0;) {
			const struct diag *o = &to->v[k];
			if ((o->file == NULL && h->file == NULL) ||
				(o->file && h->file && strcmp(o->file, h->file) == 0)) {
				h->file_rank = o->file_rank;
				break;
			}
		}
		to->n++;
		if (g->level == DIAG_ERROR)
			to->errors++;
		else
			to->warnings++;
	}
	to->io_errors += from->io_errors;
	free(from->v);
	memset(from, 0, sizeof *from);
}
