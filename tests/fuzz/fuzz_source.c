/* fuzz_source.c: libFuzzer harness: bytes of a source (or of a style sheet) through reading,
 * validation, the semantic checks, the transform, layout and both renderers, all in memory.
 *
 * Built by tests/fuzz/run.sh with clang -fsanitize=fuzzer,address,undefined against the
 * compiler's sources (everything but main.c). An input is a dossier, unless "<style" comes
 * before any "<dossier" in its first kilobyte: then it is a style sheet, written to a scratch
 * file (style_load reads files) and used to lay out tests/golden/minimal.xml. Which built-in
 * style sets a dossier, and whether the report is the full briefing, a topic report or a
 * dated snapshot, follow from the input's length, so that every input always takes the same
 * path. */
#define _GNU_SOURCE /* memmem */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/util.h"
#include "layout/font.h"
#include "layout/layout.h"
#include "read/model.h"
#include "read/style.h"
#include "read/xmlread.h"
#include "render/render_latex.h"
#include "render/render_pdf.h"
#include "transform/doc.h"
#include "transform/transform.h"

#define S_NSTYLES 3
static const char *const S_style_names[S_NSTYLES] = {"briefing", "memo", "digest"};
static struct style *S_styles[S_NSTYLES];
static struct fonts *S_fonts[S_NSTYLES];
static char S_source_name[4096];  /* a path in a directory with images, for <image src> */
static char S_style_file[4096];   /* scratch file for style inputs */
static char *S_minimal;           /* tests/golden/minimal.xml, for style inputs */
static size_t S_minimal_len;
static FILE *S_null;

/* At exit, before LeakSanitizer looks (atexit runs in reverse order): fontconfig's
 * configuration is only partly reachable from a live FcConfig. */
static void S_cleanup(void)
{
	for (int i = 0; i < S_NSTYLES; i++) {
		font_close(S_fonts[i]);
		style_free(S_styles[i]);
	}
	free(S_minimal);
	if (S_null)
		fclose(S_null);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xmlread_init();
	/* BRIEFC_FUZZ_ROOT: the repository (run.sh sets it); default: the working directory. */
	const char *root = getenv("BRIEFC_FUZZ_ROOT");
	if (root == NULL)
		root = ".";
	snprintf(S_source_name, sizeof S_source_name, "%s/tests/images/fuzz-input.xml", root);
	const char *tmp = getenv("TMPDIR");
	snprintf(S_style_file, sizeof S_style_file, "%s/briefc-fuzz-style-%ld.xml",
		tmp ? tmp : "/tmp", (long)getpid());
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/golden/minimal.xml", root);
	S_minimal = file_slurp(path, &S_minimal_len);
	S_null = fopen("/dev/null", "w");
	if (S_minimal == NULL || S_null == NULL) {
		fprintf(stderr, "fuzz_source: cannot read %s (set BRIEFC_FUZZ_ROOT)\n", path);
		exit(1);
	}
	atexit(S_cleanup);
	for (int i = 0; i < S_NSTYLES; i++) {
		struct diags d = {0};
		S_styles[i] = style_load(S_style_names[i], &d);
		S_fonts[i] = S_styles[i] ? font_open(S_styles[i], S_style_names[i], &d) : NULL;
		diag_flush(&d, stderr);
		diag_free(&d);
		if (S_fonts[i] == NULL) {
			fprintf(stderr, "fuzz_source: built-in style %s does not load\n", S_style_names[i]);
			exit(1);
		}
	}
	return 0;
}

/* One report of m in style s: transform, layout, PDF, LaTeX, both dumps. m may only be
 * freed afterwards. */
static void S_report(const struct model *m, struct style *s, struct fonts *f, int kind,
	struct diags *d)
{
	struct xf_options xo = {.numbering = (int)s->numbering};
	const char *topic[1];
	if ((kind & 1) && m->ntopics > 0) {
		topic[0] = m->topics[0].id;
		xo.topics = topic;
		xo.ntopics = 1;
	}
	if (kind & 2) {
		/* the driver only accepts full dates not before the signing */
		int y, mo, dd, p;
		if (m->signed_date && date_parse(m->signed_date, &y, &mo, &dd, &p) && p == 3)
			xo.as_of = m->signed_date;
		else
			xo.as_of = "9999-12-31";
	}
	/* as the driver's single report: the transform uses the model up (the caller only frees
	 * it after) and the tree takes copies of what it borrowed */
	xo.consume = 1;
	struct doc *doc = xf_briefing(m, &xo);
	doc_detach(doc);
	doc_dump(doc, S_null);
	/* the PDF as the driver makes it: pages streamed from the layout to the renderer */
	size_t len = 0;
	struct pdf_out *po = pdf_begin(doc, f, NULL, m->file, d);
	struct lay_sink sink = {pdf_page, po};
	struct layout *l = lay_run(doc, s, f, m->file, d, po ? &sink : NULL);
	lay_dump(l, f, S_null);
	if (po != NULL && pdf_finish(po, l) == 0) {
		int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (fd >= 0) {
			pdf_write(po, fd);
			close(fd);
		}
	}
	pdf_free(po);
	char *tex = NULL;
	if (tex_render(doc, s, f, d, &tex, &len) == 0)
		free(tex);
	lay_free(l);
	doc_free(doc);
}

/* Where needle first occurs in the first n bytes of data; n when it does not. */
static size_t S_find(const uint8_t *data, size_t n, const char *needle)
{
	const uint8_t *at = memmem(data, n, needle, strlen(needle));
	return at ? (size_t)(at - data) : n;
}

/* A style sheet: "<style" comes before any "<dossier" in the first kilobyte. */
static int S_is_style(const uint8_t *data, size_t size)
{
	size_t n = size < 1024 ? size : 1024;
	size_t st = S_find(data, n, "<style");
	return st < n && st < S_find(data, n, "<dossier");
}

/* A style input: read it as a style file, then set the minimal dossier with it. */
static void S_style_case(const uint8_t *data, size_t size)
{
	FILE *f = fopen(S_style_file, "wb");
	if (f == NULL)
		return;
	fwrite(data, 1, size, f);
	fclose(f);
	struct diags d = {0};
	struct style *s = style_load(S_style_file, &d);
	struct fonts *fo = s ? font_open(s, S_style_file, &d) : NULL;
	if (fo != NULL) {
		struct model *m = model_load_memory(S_source_name, S_minimal, S_minimal_len, &d);
		if (m != NULL)
			S_report(m, s, fo, (int)(size % 4), &d);
		model_free(m);
	}
	font_close(fo);
	style_free(s);
	diag_flush(&d, S_null);
	diag_free(&d);
	unlink(S_style_file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (S_is_style(data, size)) {
		S_style_case(data, size);
		return 0;
	}
	struct diags d = {0};
	struct model *m = model_load_memory(S_source_name, (const char *)data, size, &d);
	if (m != NULL) {
		int k = (int)(size % S_NSTYLES);
		S_report(m, S_styles[k], S_fonts[k], (int)(size / S_NSTYLES % 4), &d);
		model_free(m);
	}
	diag_flush(&d, S_null);
	diag_free(&d);
	return 0;
}
