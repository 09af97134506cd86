/* driver.c: runs the pipeline (read, check, transform, layout, render, write) for one source. */
#include "driver.h"
#include "base/output.h"
#include "base/util.h"
#include "layout/font.h"
#include "layout/layout.h"
#include "read/model.h"
#include "read/style.h"
#include "read/xmlread.h"
#include "render/render_latex.h"
#include "render/render_pdf.h"
#include "transform/transform.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* "dir/name.xml" -> "name" */
static char *S_stem(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	return xstrndup(base, n);
}

/* Writes DIR/STEM.EXT atomically and prints its path on out (when not NULL). */
static int S_write(struct diags *d, const char *dir, const char *stem, const char *ext,
	const void *data, size_t len, FILE *out)
{
	char msg[512];
	struct buf path = {0};
	buf_printf(&path, "%s/%s.%s", dir, stem, ext);
	int rc = out_write_atomic(path.data, data, len, msg, sizeof msg);
	if (rc != 0)
		diag_emit(d, D_OUT_WRITE, NULL, 0, 0, msg);
	else if (out != NULL)
		fprintf(out, "%s\n", path.data);
	buf_free(&path);
	return rc;
}

static int S_finish(struct diags *d, FILE *err, int code)
{
	diag_flush(d, err);
	if (d->io_errors > 0)
		code = EXIT_IO;
	else if (code == EXIT_OK && d->errors > 0)
		code = EXIT_INVALID;
	diag_free(d);
	return code;
}

int drv_check(const struct drv_options *o, FILE *err)
{
	struct diags d = {0};
	xmlread_init();
	struct style *s = style_load(o->style, &d);
	struct model *m = model_load(o->source, &d);
	int code = (s && m) ? EXIT_OK : EXIT_INVALID;
	if (s != NULL && code == EXIT_OK) {
		struct fonts *f = font_open(s, o->style ? o->style : "(built-in style)", &d);
		if (f == NULL)
			code = EXIT_INVALID;
		font_close(f);
	}
	model_free(m);
	style_free(s);
	return S_finish(&d, err, code);
}

int drv_build(const struct drv_options *o, FILE *out, FILE *err)
{
	struct diags d = {0};
	xmlread_init();
	const char *style_name = o->style ? o->style : "(built-in style)";
	/* Read everything first so one run reports every problem of both inputs. */
	struct style *s = style_load(o->style, &d);
	struct model *m = model_load(o->source, &d);
	struct fonts *f = s ? font_open(s, style_name, &d) : NULL;
	if (s == NULL || m == NULL || f == NULL) {
		font_close(f);
		model_free(m);
		style_free(s);
		return S_finish(&d, err, EXIT_INVALID);
	}
	struct xf_options xo = {.numbering = (int)s->numbering};
	struct doc *doc = xf_briefing(m, &xo);
	int code = EXIT_OK;
	if (o->dump == DUMP_TREE) {
		doc_dump(doc, out);
	} else {
		/* The PDF comes from the laid-out pages, the .tex from the tree (TeX lays it out). */
		int need_layout = o->pdf || o->stats || o->dump == DUMP_LAYOUT;
		struct layout *l = need_layout ? lay_run(doc, s, f, m->file, &d) : NULL;
		if (o->stats) {
			const struct lay_stats *t = &l->stats;
			fprintf(out, "%s: pages %d, lines %d, hyphenated %d, loose %d, tight %d, "
				"overfull %d, emergency %d\n", o->source, l->npages, t->lines, t->hyphenated,
				t->loose, t->tight, t->overfull, t->emergency);
		}
		if (o->dump == DUMP_LAYOUT) {
			lay_dump(l, f, out);
		} else if (o->pdf || o->tex) {
			const char *dir = o->outdir ? o->outdir : "output";
			char msg[512];
			char *stem = S_stem(o->source);
			if (out_mkdirs(dir, msg, sizeof msg) != 0) {
				diag_emit(&d, D_OUT_WRITE, NULL, 0, 0, msg);
				code = EXIT_IO;
			}
			if (code == EXIT_OK && o->pdf) {
				unsigned char *pdf = NULL;
				size_t len = 0;
				if (pdf_render(l, doc, f, m->file, &d, &pdf, &len) != 0)
					code = EXIT_IO;
				else if (S_write(&d, dir, stem, "pdf", pdf, len, o->quiet ? NULL : out) != 0)
					code = EXIT_IO;
				free(pdf);
			}
			if (code == EXIT_OK && o->tex) {
				char *tex = NULL;
				size_t len = 0;
				if (tex_render(doc, s, &d, &tex, &len) != 0)
					code = EXIT_IO;
				else if (S_write(&d, dir, stem, "tex", tex, len, o->quiet ? NULL : out) != 0)
					code = EXIT_IO;
				free(tex);
			}
			free(stem);
		}
		lay_free(l);
	}
	doc_free(doc);
	font_close(f);
	model_free(m);
	style_free(s);
	return S_finish(&d, err, code);
}
