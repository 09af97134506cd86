/* test_layout.c: unit tests of line breaking, font metrics and page layout. */
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>
#include <hpdf.h>

#include "base/output.h"
#include "base/util.h"
#include "layout/font.h"
#include "layout/hyphen.h"
#include "layout/layout.h"
#include "layout/linebreak.h"
#include "layout/patterns.h"
#include "read/model.h"
#include "read/style.h"
#include "render/render_pdf.h"
#include "transform/transform.h"

/* A paragraph of words with the given widths, glue w=1 (stretch 1, shrink 0.5), ending like
 * the layout's paragraphs do. Returns the item count. */
static int S_para(struct lb_item *it, const double *words, int n)
{
	int k = 0;
	for (int i = 0; i < n; i++) {
		if (i > 0)
			it[k++] = (struct lb_item){.type = LB_GLUE, .width = 1, .stretch = 1, .shrink = 0.5};
		it[k++] = (struct lb_item){.type = LB_BOX, .width = words[i]};
	}
	it[k++] = (struct lb_item){.type = LB_PENALTY, .penalty = LB_INF};
	it[k++] = (struct lb_item){.type = LB_GLUE, .stretch = 1e6};
	it[k++] = (struct lb_item){.type = LB_PENALTY, .penalty = -LB_INF};
	return k;
}

/* Demerits of one line [from, to) broken at `to`, or INFINITY if infeasible at tol. */
static double S_line_demerits(const struct lb_item *it, int from, int to, double width, double tol,
	double line_penalty)
{
	while (from < to && it[from].type != LB_BOX)
		from++;
	double w = 0, y = 0, z = 0;
	for (int i = from; i < to; i++) {
		if (it[i].type == LB_PENALTY)
			continue;
		w += it[i].width;
		if (it[i].type == LB_GLUE)
			y += it[i].stretch, z += it[i].shrink;
	}
	if (it[to].type == LB_PENALTY)
		w += it[to].width;
	double r = w < width ? (y > 0 ? (width - w) / y : LB_INF) : w > width ? (z > 0 ? (width - w) / z : -LB_INF) : 0;
	if (r < -1 || r > tol)
		return INFINITY;
	double a = fabs(r), bad = a > 10 ? 100000 : 100 * a * a * a;
	return (line_penalty + bad) * (line_penalty + bad);
}

/* Brute force over every set of breaks at glue: the least total demerits. */
static double S_best(const struct lb_item *it, int n, int from, double width, double tol)
{
	double best = INFINITY;
	for (int b = from; b < n; b++) {
		int legal = (it[b].type == LB_GLUE && b > 0 && it[b - 1].type == LB_BOX && it[b].stretch < 1e5) ||
			(it[b].type == LB_PENALTY && it[b].penalty <= -LB_INF);
		if (!legal)
			continue;
		double d = S_line_demerits(it, from, b, width, tol, 10);
		if (d == INFINITY)
			continue;
		if (b == n - 1) {
			if (d < best)
				best = d;
		} else {
			double rest = S_best(it, n, b + 1, width, tol);
			if (d + rest < best)
				best = d + rest;
		}
	}
	return best;
}

static double S_total(const struct lb_item *it, const struct lb_result *r, double width)
{
	double t = 0;
	int from = 0;
	for (int i = 0; i < r->nlines; i++) {
		t += S_line_demerits(it, from, r->lines[i].end, width, LB_INF, 10);
		from = r->lines[i].end + 1;
	}
	return t;
}

static void test_breaks_are_optimal(void)
{
	/* Random paragraphs, checked against exhaustive search. */
	unsigned seed = 12345;
	for (int trial = 0; trial < 200; trial++) {
		double words[12];
		int n = 5 + (int)(seed % 8);
		for (int i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			words[i] = 2 + (seed >> 16) % 9;
		}
		struct lb_item it[64];
		int k = S_para(it, words, n);
		struct lb_params p = lb_defaults(20);
		p.tolerance = 4;
		p.fitness_demerits = 0;
		p.flagged_demerits = 0;
		p.short_last_demerits = 0;
		double best = S_best(it, k, 0, 20, 4);
		struct lb_result r;
		lb_break(it, k, &p, &r);
		if (best < INFINITY) {
			double got = S_total(it, &r, 20);
			CHECK_MSG(!r.emergency && fabs(got - best) < 1e-6 * (1 + best),
				"trial %d: total-fit %g, exhaustive best %g", trial, got, best);
		}
		lb_result_free(&r);
		if (unit_current->failed)
			break;
	}
}

static void test_better_than_first_fit(void)
{
	/* First fit would set "aaaa bbbb cc" then "dddddddd" loosely; total fit balances. */
	double words[] = {4, 4, 2, 8, 3};
	struct lb_item it[32];
	int k = S_para(it, words, 5);
	struct lb_params p = lb_defaults(12);
	p.tolerance = 10;
	struct lb_result r;
	lb_break(it, k, &p, &r);
	CHECK(r.nlines == 2);
	/* optimal: "aaaa bbbb" / "cc dddddddd eee"? the last line is free; check no line is
	 * overfull and every line but the last is within tolerance */
	for (int i = 0; i + 1 < r.nlines; i++)
		CHECK(r.lines[i].ratio >= -1 && r.lines[i].ratio <= 10);
	CHECK(r.overfull == 0);
	lb_result_free(&r);
}

static void test_infeasible_word(void)
{
	/* A 300-character word in a 100pt measure: an overfull line, reported, never a hang. */
	double words[] = {10, 1500, 10, 10};
	struct lb_item it[32];
	int k = S_para(it, words, 4);
	struct lb_params p = lb_defaults(100);
	struct lb_result r;
	lb_break(it, k, &p, &r);
	CHECK(r.emergency == 1);
	CHECK(r.nlines >= 1);
	CHECK(r.overfull >= 1);
	int seen = 0;
	for (int i = 0; i < r.nlines; i++)
		if (r.lines[i].excess > 1000)
			seen = 1;
	CHECK_MSG(seen, "the overfull excess is not reported");
	CHECK(r.nlines > 0 && r.lines[r.nlines - 1].end == k - 1);
	lb_result_free(&r);
}

static void test_ragged(void)
{
	double words[] = {5, 5, 5, 5, 5, 5, 5, 5, 5, 5};
	struct lb_item it[64];
	int k = S_para(it, words, 10);
	for (int i = 0; i < k; i++)
		if (it[i].type == LB_GLUE && it[i].stretch < 1e5)
			it[i].stretch = it[i].shrink = 0;
	struct lb_params p = lb_defaults(20);
	p.ragged_stretch = 30;
	struct lb_result r;
	lb_break(it, k, &p, &r);
	CHECK_MSG(r.nlines == 4, "lines: %d", r.nlines); /* 3 words (17pt) per line, 10 words */
	CHECK(r.overfull == 0);
	lb_result_free(&r);
}

static struct fonts *S_fonts(struct style **s, struct diags *d)
{
	*s = style_load(NULL, d);
	return *s ? font_open(*s, "(built-in style)", d) : NULL;
}

/* S_fonts for a test that needs them: a failed check, and the style and d freed, when
 * they cannot be opened. */
static struct fonts *S_fonts_needed(struct style **s, struct diags *d)
{
	struct fonts *f = S_fonts(s, d);
	CHECK(f != NULL);
	if (f == NULL) {
		style_free(*s);
		diag_free(d);
	}
	return f;
}

/* What FcFontMatch makes of family/bold/italic: its file (and whether it is TrueType), or
 * NULL when its match is a face of another family (the reference the faster choice of
 * font_files_find is held to). */
static char *S_fc_match(FcConfig *cfg, const char *family, int bold, int italic, int *truetype)
{
	FcPattern *pat = FcPatternCreate();
	FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
	FcPatternAddInteger(pat, FC_WEIGHT, bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
	FcPatternAddInteger(pat, FC_SLANT, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
	FcPatternAddInteger(pat, FC_WIDTH, FC_WIDTH_NORMAL);
	FcConfigSubstitute(cfg, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	FcResult res;
	FcPattern *m = FcFontMatch(cfg, pat, &res);
	FcPatternDestroy(pat);
	char *out = NULL;
	FcChar8 *fam, *file, *fmt;
	*truetype = m != NULL && FcPatternGetString(m, FC_FONTFORMAT, 0, &fmt) == FcResultMatch &&
		strcmp((const char *)fmt, "TrueType") == 0;
	for (int i = 0; m != NULL && out == NULL &&
		FcPatternGetString(m, FC_FAMILY, i, &fam) == FcResultMatch; i++)
		if (FcStrCmpIgnoreCase(fam, (const FcChar8 *)family) == 0 &&
			FcPatternGetString(m, FC_FILE, 0, &file) == FcResultMatch)
			out = xstrdup((const char *)file);
	if (m != NULL)
		FcPatternDestroy(m);
	return out;
}

/* font_files_find chooses among a family's faces itself (one listing per family) instead
 * of asking FcFontMatch for each: for every family installed here, in all four variants,
 * it chooses the file FcFontMatch does, or a TrueType file where FcFontMatch's is of a kind
 * briefc cannot embed (it prefers TrueType among faces alike); a family nobody has gives
 * no file. */
static void test_font_choice_as_fontconfig(void)
{
	FcConfig *cfg = FcInitLoadConfigAndFonts();
	CHECK(cfg != NULL);
	if (cfg == NULL)
		return;
	FcPattern *all = FcPatternCreate();
	FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, (char *)NULL);
	FcFontSet *fams = FcFontList(cfg, all, os);
	struct style s = {0};
	s.fonts = xcalloc((size_t)fams->nfont + 1, sizeof *s.fonts);
	for (int i = 0; i < fams->nfont; i++) {
		FcChar8 *f;
		if (FcPatternGetString(fams->fonts[i], FC_FAMILY, 0, &f) == FcResultMatch)
			s.fonts[s.nfonts++].family = xstrdup((const char *)f);
	}
	s.fonts[s.nfonts++].family = xstrdup("No Such Family Anywhere");
	CHECK(s.nfonts > 3);
	struct font_files found;
	CHECK(font_files_find(&s, &found) == 0);
	int same = 0;
	for (int i = 0; i < s.nfonts; i++)
		for (int v = 0; v < 4; v++) {
			int tt;
			char *want = S_fc_match(cfg, s.fonts[i].family, v >> 1, v & 1, &tt);
			const char *got = found.v[i * 4 + v].file;
			int ok = (want == NULL) == (got == NULL) && (want == NULL || strcmp(want, got) == 0 ||
				(!tt && strcmp(found.v[i * 4 + v].format, "TrueType") == 0));
			CHECK_MSG(ok, "%s bold %d italic %d: fontconfig %s, chosen %s", s.fonts[i].family,
				v >> 1, v & 1, want ? want : "(none)", got ? got : "(none)");
			same += ok && want != NULL;
			free(want);
		}
	CHECK(same >= 4 * (s.nfonts - 1) / 2); /* (most families here have a face of their own) */
	CHECK(found.v[(s.nfonts - 1) * 4].file == NULL);
	font_files_free(&found);
	for (int i = 0; i < s.nfonts; i++)
		free(s.fonts[i].family);
	free(s.fonts);
	FcFontSetDestroy(fams);
	FcObjectSetDestroy(os);
	FcPatternDestroy(all);
	FcConfigDestroy(cfg);
}

/* The font files found by fontconfig cross a pipe whole (another process finds them while
 * the source is read): the fonts opened from them equal those found in place; a cut or
 * foreign stream is refused, and nothing of it kept. */
static void test_font_files_through_pipe(void)
{
	struct diags d = {0};
	struct style *s = style_load(NULL, &d);
	CHECK(s != NULL);
	if (s == NULL) {
		diag_free(&d);
		return;
	}
	struct font_files found;
	CHECK(font_files_find(s, &found) == 0);
	CHECK(found.n == s->nfonts * 4 + s->nfallback && found.v[0].file != NULL);
	int p[2];
	CHECK(pipe(p) == 0);
	CHECK(font_files_send(p[1], &found) == 0);
	close(p[1]);
	struct font_files got;
	CHECK(font_files_receive(p[0], s, &got) == 0);
	close(p[0]);
	CHECK(got.n == found.n);
	for (int i = 0; i < got.n && i < found.n; i++) {
		CHECK((got.v[i].file == NULL) == (found.v[i].file == NULL));
		CHECK(got.v[i].file == NULL || strcmp(got.v[i].file, found.v[i].file) == 0);
		CHECK(strcmp(got.v[i].format, found.v[i].format) == 0);
	}
	struct fonts *a = font_open_found(s, "(built-in style)", &got, &d), *b = font_open(s, "", &d);
	CHECK(a != NULL && b != NULL && got.v == NULL); /* (taken over) */
	CHECK(a && b && a->nfaces == b->nfaces);
	for (int i = 0; a && b && i < a->nfaces && i < b->nfaces; i++)
		CHECK_MSG(strcmp(a->faces[i].file, b->faces[i].file) == 0, "face %d: %s, %s", i,
			a->faces[i].file, b->faces[i].file);
	font_close(a);
	font_close(b);
	/* cut short: refused, empty */
	CHECK(pipe(p) == 0);
	struct buf whole = {0};
	int q[2];
	CHECK(pipe(q) == 0);
	CHECK(font_files_send(q[1], &found) == 0);
	close(q[1]);
	char chunk[4096];
	ssize_t r;
	while ((r = read(q[0], chunk, sizeof chunk)) > 0)
		buf_put(&whole, chunk, (size_t)r);
	close(q[0]);
	CHECK(whole.len > 8 && write(p[1], whole.data, whole.len - 3) == (ssize_t)(whole.len - 3));
	close(p[1]);
	CHECK(font_files_receive(p[0], s, &got) == -1 && got.v == NULL && got.n == 0);
	close(p[0]);
	/* a count for another style: refused */
	CHECK(pipe(p) == 0);
	int n = found.n + 1;
	CHECK(write(p[1], &n, sizeof n) == (ssize_t)sizeof n);
	close(p[1]);
	CHECK(font_files_receive(p[0], s, &got) == -1 && got.v == NULL);
	close(p[0]);
	buf_free(&whole);
	font_files_free(&found);
	style_free(s);
	diag_free(&d);
}

static void test_metrics_match_libharu(void)
{
	struct diags d = {0};
	struct style *s;
	struct fonts *f = S_fonts_needed(&s, &d);
	if (f == NULL)
		return;
	int face = font_face(f, 0, 0, 0);
	HPDF_Doc pdf = HPDF_New(NULL, NULL);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	const char *name = HPDF_LoadTTFontFromFile(pdf, f->faces[face].file, HPDF_TRUE);
	HPDF_Font hf = HPDF_GetFont(pdf, name, "UTF-8");
	uint32_t cps[] = {'A', 'V', 'i', ' ', 0xE9, 0x0531, 0x0562, 0x10D0, 0x0416, 0x0259, 0x2014};
	for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
		int ours = font_advance(f, face, cps[i]);
		int theirs = (int)HPDF_Font_GetUnicodeWidth(hf, (HPDF_UNICODE)cps[i]);
		CHECK_MSG(ours == theirs, "U+%04X: briefc %d, libharu %d", (unsigned)cps[i], ours, theirs);
	}
	HPDF_Free(pdf);
	font_close(f);
	style_free(s);
	diag_free(&d);
}

static void test_fallback(void)
{
	struct diags d = {0};
	struct style *s;
	struct fonts *f = S_fonts_needed(&s, &d);
	if (f == NULL)
		return;
	int serif = font_face(f, 0, 0, 0);
	CHECK(font_cover(f, serif, 'A') == serif);
	int ar = font_cover(f, serif, 0x0627); /* ARABIC LETTER ALEF: not in DejaVu Serif */
	CHECK(ar >= 0 && ar != serif);
	CHECK(font_cover(f, serif, 0xE000) == -1);  /* private use: no font */
	CHECK(font_cover(f, serif, 0x1F600) == -1); /* beyond the BMP: never */
	font_close(f);
	style_free(s);
	diag_free(&d);
}

/* A source laid out whole in the built-in style, and all it takes: S_laid_free frees it. */
struct S_laid {
	struct diags d;
	struct style *s;
	struct fonts *f;
	struct model *m;
	struct doc *doc;
	struct layout *l; /* NULL when something could not be loaded */
};

static struct layout *S_lay_source(const char *path, struct S_laid *x)
{
	memset(x, 0, sizeof *x);
	x->f = S_fonts(&x->s, &x->d);
	x->m = model_load(path, &x->d);
	CHECK_MSG(x->f != NULL && x->m != NULL, "%s or the fonts cannot be loaded", path);
	if (x->f && x->m) {
		struct xf_options xo = {0};
		x->doc = xf_briefing(x->m, &xo);
		x->l = lay_run(x->doc, x->s, x->f, x->m->file, &x->d, NULL);
	}
	return x->l;
}

static void S_laid_free(struct S_laid *x)
{
	lay_free(x->l);
	doc_free(x->doc);
	model_free(x->m);
	font_close(x->f);
	style_free(x->s);
	diag_free(&x->d);
}

/* Lays out the minimal dossier and checks the geometry of every text box. */
static void test_layout_geometry(void)
{
	struct S_laid x;
	const struct layout *l = S_lay_source("tests/golden/minimal.xml", &x);
	if (l != NULL) {
		const struct style *s = x.s;
		CHECK(l->npages >= 1);
		double left = s->margin_inner, right = s->page_w - s->margin_outer;
		double bottom = s->margin_bottom;
		int boxes = 0;
		for (int p = 0; p < l->npages; p++) {
			for (int i = 0; i < l->pages[p].nboxes; i++) {
				const struct lay_box *b = &l->pages[p].boxes[i];
				if (b->kind != LAY_TEXT)
					continue;
				boxes++;
				int running = b->y < bottom || b->y > s->page_h - s->margin_top;
				CHECK_MSG(b->x >= left - 0.01 && b->x + b->w <= right + 0.01,
					"'%s' crosses the margin (%.2f..%.2f)", b->text, b->x, b->x + b->w);
				CHECK_MSG(running || (b->y >= bottom - 0.01), "'%s' below the text block", b->text);
			}
		}
		CHECK(boxes > 50);
		CHECK(lay_anchor(l, "t-pow") != NULL);
		CHECK(lay_anchor(l, "ref-r1") != NULL);
		CHECK(l->noutline >= 5);
	}
	S_laid_free(&x);
}

/* The timeline's words (7pt text, not the markers) that a leader (a thin vertical rule from
 * a marker up to its label) runs through; *leaders and *words count what was met, *past the
 * words beyond right (the text block's right edge). */
static int S_leader_crossings(const struct layout *l, double right, int *leaders, int *words,
	int *past)
{
	int crossings = 0;
	*leaders = *words = *past = 0;
	for (int p = 0; l != NULL && p < l->npages; p++) {
		const struct lay_page *pg = &l->pages[p];
		for (int i = 0; i < pg->nboxes; i++)
			*leaders += pg->boxes[i].kind == LAY_RULE && pg->boxes[i].w == 0 &&
				pg->boxes[i].h > 0 && pg->boxes[i].size <= 0.35;
		for (int k = 0; k < pg->nboxes; k++) {
			const struct lay_box *t = &pg->boxes[k];
			if (t->kind != LAY_TEXT || t->size != 7 || strcmp(t->text, "\u25A0") == 0 ||
				strcmp(t->text, "\u25CF") == 0 || strcmp(t->text, "\u25C6") == 0 ||
				strcmp(t->text, "\u25C7") == 0)
				continue; /* (labels are set at 7pt; the markers too, where leaders start) */
			(*words)++;
			*past += t->x + t->w > right + 0.01;
			for (int i = 0; i < pg->nboxes; i++) {
				const struct lay_box *r = &pg->boxes[i];
				if (r->kind != LAY_RULE || r->w != 0 || r->h <= 0 || r->size > 0.35)
					continue;
				/* the words' ink: from the baseline down 2pt, up the size */
				if (r->x > t->x + 0.5 && r->x < t->x + t->w - 0.5 && r->y < t->y + 7 &&
					r->y + r->h > t->y - 2) {
					crossings++;
					CHECK_MSG(crossings > 3, "page %d: the leader at x %.1f runs through '%s'",
						p + 1, r->x, t->text);
				}
			}
		}
	}
	return crossings;
}

/* The shipped source's timeline: no leader runs through the words of any label. */
static void test_timeline_leaders_clear(void)
{
	struct S_laid x;
	const struct layout *l = S_lay_source("sources/nagorno-karabakh-2020.xml", &x);
	int leaders, words, past;
	int crossings = S_leader_crossings(l, x.s ? x.s->page_w - x.s->margin_outer : 0, &leaders,
		&words, &past);
	CHECK_MSG(leaders >= 30 && words > 300, "%d leaders, %d label words", leaders, words);
	CHECK_MSG(crossings == 0 && past == 0, "%d words crossed by leaders, %d past the margin",
		crossings, past);
	S_laid_free(&x);
}

/* A label wider than the axis is wrapped in lines of its width, alone on its row: none of
 * its words past the margin or crossed by a leader (the minimal dossier, its first event's
 * title made 60 words long). */
static void test_timeline_long_label(void)
{
	size_t n = 0;
	char *src = file_slurp("tests/golden/minimal.xml", &n);
	CHECK(src != NULL);
	if (src == NULL)
		return;
	struct buf b = {0};
	const char *at = strstr(src, "<title>First exchange</title>");
	CHECK(at != NULL);
	if (at != NULL) {
		buf_put(&b, src, (size_t)(at - src));
		buf_puts(&b, "<title>First exchange");
		for (int i = 0; i < 60; i++)
			buf_puts(&b, i % 7 == 6 ? " prisoners," : " exchange");
		buf_puts(&b, "</title>");
		buf_puts(&b, at + strlen("<title>First exchange</title>"));
	}
	char path[] = "/tmp/briefc-unit-long-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0 && b.data != NULL && out_write_fd(fd, b.data, b.len) == 0);
	if (fd >= 0)
		close(fd);
	struct S_laid x;
	const struct layout *l = S_lay_source(path, &x);
	int leaders, words, past;
	int crossings = S_leader_crossings(l, x.s ? x.s->page_w - x.s->margin_outer : 0, &leaders,
		&words, &past);
	CHECK_MSG(words > 60 && leaders >= 3, "%d label words, %d leaders", words, leaders);
	CHECK_MSG(crossings == 0 && past == 0, "%d words crossed by leaders, %d past the margin",
		crossings, past);
	S_laid_free(&x);
	unlink(path);
	buf_free(&b);
	free(src);
}

/* ---- hyphenation, kerning and the paragraph engine on constructed paragraphs ---- */

static void test_hyphen_patterns(void)
{
	struct hyph *h = hyph_open(NULL);
	int pts[16];
	int n = hyph_word(h, "en", "hyphenation", 11, 2, 3, pts, 16);
	CHECK_MSG(n == 2 && pts[0] == 2 && pts[1] == 6, "hy-phen-ation: n=%d", n);
	n = hyph_word(h, "en", "Peacekeeping", 12, 2, 3, pts, 16); /* capitals are lowered */
	CHECK_MSG(n == 2 && pts[0] == 5 && pts[1] == 9, "peace-keep-ing: n=%d", n);
	n = hyph_word(h, "en", "hyphenation", 11, 3, 6, pts, 16); /* minimum fragments */
	CHECK_MSG(n == 0, "hyphenation with min 3/6 gave %d points", n);
	n = hyph_word(h, "en-GB", "international", 13, 2, 3, pts, 16);
	CHECK(n >= 2);
	CHECK(hyph_has(h, "en") && hyph_has(h, "en-US"));
	CHECK(!hyph_has(h, "hy")); /* Debian has no Armenian patterns */
	CHECK(!hyph_has(h, "../../etc/passwd"));
	/* memoised: the same answer twice */
	int again[16];
	CHECK(hyph_word(h, "en", "hyphenation", 11, 2, 3, again, 16) == 2 && again[1] == 6);
	hyph_close(h);
}

/* Whether two dictionaries are the same state for state (libhyphen's fields; the
 * replacement index and cut only where a pattern set them: libhyphen leaves them unset
 * elsewhere); what differs first goes into why. */
static int S_same_dict(const HyphenDict *a, const HyphenDict *b, char *why, size_t n)
{
	for (int level = 0; a != NULL || b != NULL; level++, a = a->nextlevel, b = b->nextlevel) {
		if (a == NULL || b == NULL)
			return snprintf(why, n, "level %d exists in one only", level), 0;
		if (a->lhmin != b->lhmin || a->rhmin != b->rhmin || a->clhmin != b->clhmin ||
			a->crhmin != b->crhmin || a->utf8 != b->utf8 || strcmp(a->cset, b->cset) != 0)
			return snprintf(why, n, "level %d: minimums or character set", level), 0;
		if (a->nohyphenl != b->nohyphenl || (a->nohyphen == NULL) != (b->nohyphen == NULL))
			return snprintf(why, n, "level %d: NOHYPHEN", level), 0;
		/* (nohyphenl + 1 entries, each ended by a NUL) */
		const char *x = a->nohyphen, *y = b->nohyphen;
		for (int e = 0; x != NULL && e <= a->nohyphenl; e++) {
			if (strcmp(x, y) != 0)
				return snprintf(why, n, "level %d: NOHYPHEN '%s' / '%s'", level, x, y), 0;
			x += strlen(x) + 1;
			y += strlen(y) + 1;
		}
		if (a->num_states != b->num_states)
			return snprintf(why, n, "level %d: %d states / %d", level, a->num_states, b->num_states), 0;
		for (int i = 0; i < a->num_states; i++) {
			const HyphenState *x = &a->states[i], *y = &b->states[i];
			int same = (x->match == NULL) == (y->match == NULL) &&
				(x->match == NULL || strcmp(x->match, y->match) == 0) &&
				(x->repl == NULL) == (y->repl == NULL) &&
				(x->repl == NULL || strcmp(x->repl, y->repl) == 0) &&
				(x->match == NULL || (x->replindex == y->replindex && x->replcut == y->replcut)) &&
				x->fallback_state == y->fallback_state && x->num_trans == y->num_trans;
			for (int t = 0; same && t < x->num_trans; t++)
				same = x->trans[t].ch == y->trans[t].ch && x->trans[t].new_state == y->trans[t].new_state;
			if (!same)
				return snprintf(why, n, "level %d: state %d differs", level, i), 0;
		}
	}
	return 1;
}

/* pat_load makes libhyphen's dictionary: compared state for state with hnj_hyphen_load's,
 * for Debian's patterns and for files made to use every rule of the format (keywords,
 * NEXTLEVEL, replacements, comments, CRLF, over-long lines, a long first line, no final
 * line end), and the same hyphenation from both; a pattern given twice keeps the later
 * digits (as libhyphen does, which leaks the earlier: not compared, for the leak checker). */
static void test_patterns_match_libhyphen(void)
{
	static const char *files[] = {
		"UTF-8\nLEFTHYPHENMIN 1\nRIGHTHYPHENMIN 2\nCOMPOUNDLEFTHYPHENMIN 2\n"
			"COMPOUNDRIGHTHYPHENMIN 3\nNOHYPHEN -,x,\xc3\xa4\n% a comment\n.ab1c\na1b\nb2c3d\n"
			"abc\n\n1\xc3\xa4" "1\n\xc3\xa4" "b1\nNEXTLEVEL\nLEFTHYPHENMIN 2\n.x1y\nx1y\nxy2z\n",
		"ISO8859-1\n% replacements\nc1k/k=k,1,1\nschif1fahrt/schiff=,4,2\n.ab1c/x=y\nzz1/q=\n",
		"UTF-8\n\xc3\xb6" "1\xc3\xbc/x=y,1,2\n.\xc3\xa4" "1b/\xc3\xa4=b,2,2\na1b\n",
		"UTF-8\r\nLEFTHYPHENMIN 2\r\na1b\r\nb1c\r\nNOHYPHEN q\r\n",
		"UTF-8\n% xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
			"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"
			"a1bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
			"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\nc1d\n"
			"e1fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
		"A-CHARACTER-SET-NAME-TOO-LONG\nab1c\n",
		"",
		"UTF-8\na1b\nb1c/x=y\nNOHYPHEN x,y",
		"UTF-8\na1b\nNEXTLEVEL\nc1d\nNEXTLEVEL\ne1f\n",
	};
	const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char dir[200], path[256], why[160];
	snprintf(dir, sizeof dir, "%s/briefc-unit-patterns-XXXXXX", tmp);
	CHECK(mkdtemp(dir) != NULL);
	for (size_t k = 0; k < sizeof files / sizeof *files + 1; k++) {
		if (k < sizeof files / sizeof *files) {
			snprintf(path, sizeof path, "%s/p%zu.dic", dir, k);
			FILE *f = fopen(path, "wb");
			CHECK(f != NULL);
			if (f == NULL)
				continue;
			fputs(files[k], f);
			fclose(f);
		} else {
			snprintf(path, sizeof path, "/usr/share/hyphen/hyph_en_US.dic");
		}
		struct arena a = {0};
		HyphenDict *mine = pat_load(path, &a), *theirs = hnj_hyphen_load(path);
		CHECK_MSG(mine != NULL && theirs != NULL, "%s: not read", path);
		if (mine != NULL && theirs != NULL) {
			CHECK_MSG(S_same_dict(mine, theirs, why, sizeof why), "%s (file %zu): %s", path, k, why);
			static const char *words[] = {"hyphenation", "peacekeeping", "internationalisation",
				"ceasefire", "don't", "well-known", "re-establishment", "abcd", "xyz", "ab",
				"schiffahrt", "\xc3\xa4\x62\x63", "\xc3\xb6\xc3\xbcx", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"};
			for (size_t w = 0; w < sizeof words / sizeof *words; w++) {
				int len = (int)strlen(words[w]);
				char h1[64] = "", h2[64] = "";
				char **r1 = NULL, **r2 = NULL;
				int *p1 = NULL, *p2 = NULL, *c1 = NULL, *c2 = NULL;
				hnj_hyphen_hyphenate3(mine, words[w], len, h1, NULL, &r1, &p1, &c1, 2, 3, 2, 3);
				hnj_hyphen_hyphenate3(theirs, words[w], len, h2, NULL, &r2, &p2, &c2, 2, 3, 2, 3);
				CHECK_MSG(strcmp(h1, h2) == 0 && (r1 == NULL) == (r2 == NULL),
					"%s: '%s' hyphenated %s / %s", path, words[w], h1, h2);
				for (int i = 0; r1 != NULL && i < len; i++)
					free(r1[i]);
				for (int i = 0; r2 != NULL && i < len; i++)
					free(r2[i]);
				free(r1), free(r2), free(p1), free(p2), free(c1), free(c2);
			}
		}
		if (theirs != NULL)
			hnj_hyphen_free(theirs);
		arena_free(&a);
		if (k < sizeof files / sizeof *files)
			unlink(path);
	}
	struct arena a = {0};
	snprintf(path, sizeof path, "%s/twice.dic", dir);
	FILE *f = fopen(path, "wb");
	if (f != NULL) {
		fputs("UTF-8\na1b\na2b\n", f);
		fclose(f);
	}
	HyphenDict *d = pat_load(path, &a);
	int with = 0, later = 0;
	for (int i = 0; d != NULL && i < d->nextlevel->num_states; i++)
		if (d->nextlevel->states[i].match != NULL) {
			with++;
			later += strcmp(d->nextlevel->states[i].match, "20") == 0;
		}
	CHECK_MSG(d != NULL && with == 1 && later == 1, "a pattern given twice: %d states with digits", with);
	unlink(path);
	rmdir(dir);
	CHECK(pat_load("/nonexistent/hyph_xx.dic", &a) == NULL);
	arena_free(&a);
}

static void test_kerning(void)
{
	struct diags d = {0};
	struct style *s;
	struct fonts *f = S_fonts_needed(&s, &d);
	if (f == NULL)
		return;
	int face = font_face(f, 0, 0, 0);
	double dx[8];
	const char *pairs[] = {"AV", "To", "Ye"};
	for (int i = 0; i < 3; i++) {
		CHECK_MSG(font_kerns(f, face, pairs[i], 2, dx, 8) == 2 && dx[0] < 0,
			"%s is not kerned (dx %.1f)", pairs[i], dx[0]);
	}
	CHECK(font_kerns(f, face, "nn", 2, dx, 8) == 2 && dx[0] == 0);
	font_close(f);
	style_free(s);
	diag_free(&d);
}

/* Lays out one paragraph of text at a measure of width points; fills lines[] with each
 * line's text (boxes joined, a space where the layout left a gap) and returns the count. */
static int S_set(const char *text, double width, const char *lang, char lines[][256], int max,
	struct layout **out_l, struct diags *d)
{
	struct style *s;
	struct fonts *f = S_fonts(&s, d);
	if (f == NULL) {
		style_free(s);
		return -1;
	}
	s->margin_outer = s->page_w - s->margin_inner - width;
	struct doc *doc = doc_new();
	doc->lang = lang;
	struct doc_node *p = doc_add(doc, doc->root, DOC_PARA, 7);
	p->cls = "body";
	doc_add_text(doc, p, text, 7);
	s->header[0] = s->footer[0] = '\0';
	struct layout *l = lay_run(doc, s, f, "t.xml", d, NULL);
	int n = 0;
	double y = -1, xend = 0;
	for (int i = 0; i < l->pages[0].nboxes && n <= max; i++) {
		const struct lay_box *b = &l->pages[0].boxes[i];
		if (b->kind != LAY_TEXT)
			continue;
		if (b->y != y) {
			if (n == max)
				break;
			y = b->y;
			lines[n++][0] = '\0';
		} else if (b->x > xend + 0.5) {
			strcat(lines[n - 1], " ");
		}
		strncat(lines[n - 1], b->text, 255 - strlen(lines[n - 1]));
		xend = b->x + b->w;
	}
	if (out_l)
		*out_l = l;
	else
		lay_free(l);
	doc_free(doc);
	font_close(f);
	style_free(s);
	return n;
}

/* Lays text out as one body paragraph 60 points wide with the fonts f (and their
 * hyphenator). */
static void S_lay_narrow(struct fonts *f, struct style *s, const char *text, struct diags *d)
{
	struct doc *doc = doc_new();
	doc->lang = "en";
	struct doc_node *p = doc_add(doc, doc->root, DOC_PARA, 1);
	p->cls = "body";
	doc_add_text(doc, p, text, 1);
	s->margin_outer = s->page_w - s->margin_inner - 60; /* (narrow: words are broken) */
	lay_free(lay_run(doc, s, f, "t.xml", d, NULL));
	doc_free(doc);
}

/* lay_warm_hyphens asks the hyphenator for the words a paragraph of the same text asks
 * for, and only those: after it, laying the paragraph out memoises nothing new, and laid
 * out without it, the paragraph memoises as many. A budget stops it at a word's start. */
static void test_warm_hyphens(void)
{
	struct diags d = {0};
	struct style *s;
	struct fonts *f = S_fonts_needed(&s, &d);
	if (f == NULL)
		return;
	struct hyph *h = font_hyphenator(f);
	/* looked up: internationalisation, peacekeeping (its comma aside), don't (five
	 * characters from its first letter to its last), Representatives; not: shorter words, a
	 * number, capitals, a word with a hyphen or a digit inside */
	const char *text = "The internationalisation of\npeacekeeping, in\t2020:\xc2\xa0NATO "
		"re-establishment don't B52bomber Representatives";
	const char *end = text + strlen(text);
	int budget = 100;
	const char *at = lay_warm_hyphens(h, s, "en", text, end, &budget);
	CHECK_MSG(at == end && budget == 96 && hyph_memoised(h) == 4, "warmed %d words, memoised %zu",
		100 - budget, hyph_memoised(h));
	S_lay_narrow(f, s, text, &d);
	CHECK_MSG(hyph_memoised(h) == 4, "the layout memoised %zu words after the warm-up",
		hyph_memoised(h));
	font_close(f);
	style_free(s);
	/* the same paragraph on fonts of its own, not warmed: as many words */
	f = S_fonts_needed(&s, &d);
	if (f == NULL)
		return;
	S_lay_narrow(f, s, text, &d);
	CHECK_MSG(hyph_memoised(font_hyphenator(f)) == 4, "the layout alone memoised %zu words",
		hyph_memoised(font_hyphenator(f)));
	/* two words' budget: it stops at the start of the word after the second ("in") */
	struct hyph *fresh = hyph_open(NULL);
	budget = 2;
	at = lay_warm_hyphens(fresh, s, "en", text, end, &budget);
	CHECK_MSG(budget == 0 && strncmp(at, "in\t2020", 7) == 0 && hyph_memoised(fresh) == 2,
		"stopped at '%.12s' with %d left, %zu memoised", at, budget, hyph_memoised(fresh));
	hyph_close(fresh);
	font_close(f);
	style_free(s);
	diag_free(&d);
}

static void test_hyphenation_in_paragraph(void)
{
	char lines[32][256];
	struct diags d = {0};
	int n = S_set("The representatives discussed internationalisation, hyphenation and "
		"extraordinarily complicated considerations.", 90, "en", lines, 32, NULL, &d);
	int hyphens = 0;
	for (int i = 0; i < n; i++) {
		size_t len = strlen(lines[i]);
		hyphens += len > 1 && lines[i][len - 1] == '-';
	}
	CHECK_MSG(n > 3 && hyphens > 0, "no line ends in a hyphen in %d lines", n);
	diag_free(&d);
}

static int S_ends_with_hyphen_inside(char lines[][256], int n, const char *word)
{
	/* whether word was split with a hyphen across two lines */
	for (int i = 0; i + 1 < n; i++) {
		size_t len = strlen(lines[i]);
		if (len == 0 || lines[i][len - 1] != '-')
			continue;
		const char *last = strrchr(lines[i], ' ');
		last = last ? last + 1 : lines[i];
		char joined[256];
		snprintf(joined, sizeof joined, "%.*s%s", (int)strlen(last) - 1, last, lines[i + 1]);
		if (strncmp(joined, word, strlen(word)) == 0)
			return 1;
		snprintf(joined, sizeof joined, "%s%s", last, lines[i + 1]); /* explicit hyphen */
		if (strncmp(joined, word, strlen(word)) == 0)
			return 1;
	}
	return 0;
}

static void test_never_hyphenated(void)
{
	char lines[64][256];
	struct diags d = {0};
	/* a URL, a number and an acronym in a very narrow measure: never broken by patterns */
	int n = S_set("See https://example.org/ceasefireagreement and 12345678901234 and "
		"UNHCRPROGRAMME now.", 60, "en", lines, 64, NULL, &d);
	CHECK(n > 2);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(lines[i]);
		CHECK_MSG(!(len > 0 && lines[i][len - 1] == '-'), "line %d ends in a hyphen: '%s'", i, lines[i]);
	}
	diag_free(&d);
}

static void test_explicit_and_soft_hyphens(void)
{
	char lines[64][256];
	struct diags d = {0};
	/* a soft hyphen: the only place "cooperation" may break */
	int n = S_set("aaa co\u00ADoperation cooperation bbb", 70, "en", lines, 64, NULL, &d);
	int soft = 0;
	for (int i = 0; i < n; i++) {
		CHECK_MSG(strstr(lines[i], "\u00AD") == NULL, "a soft hyphen is drawn: '%s'", lines[i]);
		if (strcmp(lines[i], "co-") == 0 || (strlen(lines[i]) > 3 && strstr(lines[i], " co-")))
			soft = 1;
	}
	CHECK_MSG(soft, "the soft hyphen was not used: %d lines: '%s' / '%s' / '%s'", n, lines[0],
		n > 1 ? lines[1] : "", n > 2 ? lines[2] : "");
	diag_free(&d);
	memset(&d, 0, sizeof d);
	/* an explicit hyphen: breaks after it, never elsewhere in the compound */
	n = S_set("xx Nagorno-Karabakh Nagorno-Karabakh Nagorno-Karabakh", 60, "en", lines, 64, NULL, &d);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(lines[i]);
		if (len > 0 && lines[i][len - 1] == '-')
			CHECK_MSG(len >= 8 && strcmp(lines[i] + len - 8, "Nagorno-") == 0,
				"a break inside the compound elsewhere than its hyphen: '%s'", lines[i]);
	}
	CHECK(S_ends_with_hyphen_inside(lines, n, "Nagorno-Karabakh") || n <= 3);
	diag_free(&d);
}

static void test_no_break_space(void)
{
	char lines[64][256];
	struct diags d = {0};
	int n = S_set("on 11\u00A0January\u00A02021 and 11\u00A0January\u00A02021 and again "
		"11\u00A0January\u00A02021 we met", 100, "en", lines, 64, NULL, &d);
	for (int i = 0; i < n; i++) {
		size_t len = strlen(lines[i]);
		CHECK_MSG(!(len >= 2 && strcmp(lines[i] + len - 2, "11") == 0), "break after '11': '%s'", lines[i]);
		CHECK_MSG(strncmp(lines[i], "2021", 4) != 0, "line starts with the year: '%s'", lines[i]);
	}
	diag_free(&d);
}

/* A paragraph with no set of breaks within the tolerance breaks at a tie rather than
 * stretch a line far past it (the shipped source's diaspora paragraph at the briefing's
 * measure: every break before "14 April 2021" leaves a line of gaps); with room enough, no
 * tie breaks. */
static void test_tie_breaks_before_gaps(void)
{
	static const char text[] = "Armenian communities outside Armenia launched an international "
		"campaign on 14\u00A0April\u00A02021: Azerbaijan, they insisted, must let the captured "
		"soldiers and other Armenian detainees go. Supporters rallied in 14 cities across the "
		"globe; the article names these twelve:";
	char lines[16][256];
	struct diags d = {0};
	struct layout *l = NULL;
	int n = S_set(text, 453.54, "en", lines, 16, &l, &d);
	CHECK(n == 3 && l != NULL);
	if (l != NULL) {
		CHECK_MSG(l->stats.ties_broken == 1 && l->stats.emergency == 0 && l->stats.loose == 0,
			"ties broken %d, emergency %d, loose %d", l->stats.ties_broken, l->stats.emergency,
			l->stats.loose);
		size_t len = strlen(lines[0]);
		CHECK_MSG(len > 8 && strcmp(lines[0] + len - 8, "14 April") == 0, "line 1: '%s'", lines[0]);
		CHECK_MSG(n > 1 && strncmp(lines[1], "2021:", 5) == 0, "line 2: '%s'", n > 1 ? lines[1] : "");
	}
	lay_free(l);
	diag_free(&d);
	memset(&d, 0, sizeof d);
	l = NULL;
	n = S_set(text, 400, "en", lines, 16, &l, &d);
	CHECK(n > 2 && l != NULL);
	if (l != NULL)
		CHECK_MSG(l->stats.ties_broken == 0 && l->stats.emergency == 0,
			"at 400pt: ties broken %d, emergency %d", l->stats.ties_broken, l->stats.emergency);
	for (int i = 0; i < n; i++)
		CHECK_MSG(strncmp(lines[i], "2021", 4) != 0 && strncmp(lines[i], "April", 5) != 0,
			"at 400pt a tie broke: '%s'", lines[i]);
	lay_free(l);
	diag_free(&d);
}

static void test_long_word_breaks_inside(void)
{
	char word[320];
	for (int i = 0; i < 300; i++)
		word[i] = (char)('a' + i % 26);
	word[300] = '\0';
	char text[400];
	snprintf(text, sizeof text, "Before %s after.", word);
	char lines[64][256];
	struct diags d = {0};
	struct layout *l = NULL;
	int n = S_set(text, 200, "en", lines, 64, &l, &d);
	CHECK_MSG(n >= 4, "a 300-character word in 200pt took %d lines", n);
	int warned = 0;
	for (size_t i = 0; i < d.n; i++)
		warned |= strstr(d.v[i].msg, "broken inside") != NULL && d.v[i].line == 7;
	CHECK_MSG(warned, "no warning with the source line");
	for (int i = 0; l && i < l->pages[0].nboxes; i++) {
		const struct lay_box *b = &l->pages[0].boxes[i];
		CHECK_MSG(b->kind != LAY_TEXT || b->x + b->w <= 70.87 + 200 + 0.01, "'%s' crosses the margin", b->text);
		if (unit_current->failed)
			break;
	}
	CHECK(l && l->stats.overfull == 0);
	lay_free(l);
	diag_free(&d);
}

static void test_missing_glyph_warning(void)
{
	char lines[8][256];
	struct diags d = {0};
	S_set("private \uE000 use and \U0001F600 emoji", 300, "en", lines, 8, NULL, &d);
	int pua = 0, astral = 0;
	for (size_t i = 0; i < d.n; i++) {
		pua |= strstr(d.v[i].msg, "no font covers character U+E000") != NULL && d.v[i].line == 7;
		astral |= strstr(d.v[i].msg, "U+1F600") != NULL && strstr(d.v[i].msg, "Basic Multilingual Plane") != NULL;
	}
	CHECK(pua);
	CHECK(astral);
	diag_free(&d);
}

static void test_justified_flush(void)
{
	char lines[64][256];
	struct diags d = {0};
	struct layout *l = NULL;
	int n = S_set("Justified text is set so that every line but the last fills the measure "
		"exactly, the spaces between words stretching or shrinking within limits, and the "
		"breaks are chosen for the whole paragraph at once rather than line by line.",
		220, "en", lines, 64, &l, &d);
	CHECK(n >= 4);
	double right = 70.87 + 220;
	/* the last box of every line but the last ends at the right edge */
	double y = -1, end = 0;
	int lines_seen = 0, flush = 0;
	for (int i = 0; l && i <= l->pages[0].nboxes; i++) {
		const struct lay_box *b = i < l->pages[0].nboxes ? &l->pages[0].boxes[i] : NULL;
		if (b && b->kind != LAY_TEXT)
			continue;
		if (!b || b->y != y) {
			if (y >= 0) {
				lines_seen++;
				if (fabs(end - right) < 0.1)
					flush++;
			}
			if (!b)
				break;
			y = b->y;
		}
		end = b->x + b->w;
	}
	CHECK_MSG(flush == lines_seen - 1, "%d of %d lines flush", flush, lines_seen);
	lay_free(l);
	diag_free(&d);
}

/* Both NULL, or equal strings. */
static int S_same_str(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* A sink that keeps a copy of what it is handed, page by page, early boxes then late ones. */
struct S_seen {
	struct lay_page *pages;
	int npages;
	int calls, late_calls, out_of_order;
};

static void S_seen_page(void *ctx, const struct layout *l, int page, int late)
{
	struct S_seen *k = ctx;
	k->calls++;
	if (late) {
		k->late_calls++;
		if (page >= k->npages)
			k->out_of_order++;
	} else {
		if (page != k->npages)
			k->out_of_order++;
		k->pages = realloc(k->pages, (size_t)(page + 1) * sizeof *k->pages);
		memset(&k->pages[page], 0, sizeof k->pages[page]);
		k->npages = page + 1;
	}
	if (page >= k->npages)
		return;
	struct lay_page *dst = &k->pages[page];
	const struct lay_page *src = &l->pages[page];
	dst->boxes = realloc(dst->boxes, (size_t)(dst->nboxes + src->nboxes + 1) * sizeof *dst->boxes);
	for (int i = 0; i < src->nboxes; i++) {
		struct lay_box b = src->boxes[i];
		/* the texts die with the page: keep copies */
		b.text = b.text ? arena_strdup(&dst->text, b.text) : NULL;
		b.target = b.target ? arena_strdup(&dst->text, b.target) : NULL;
		dst->boxes[dst->nboxes++] = b;
	}
}

/* What a sink receives equals what the layout keeps without one: the same pages with the
 * same boxes in the same order (early then late), the same anchors and outline; and the
 * pages really are freed as they go. Checked on the shipped dossier (contents, footnotes,
 * tables, timeline) in one and two columns, and on the minimal one (page references: the
 * passes before the last one are dropped). */
static void test_streaming_equals_kept(void)
{
	const char *styles[] = {"briefing", "digest", "briefing"};
	const char *sources[] = {"sources/nagorno-karabakh-2020.xml",
		"sources/nagorno-karabakh-2020.xml", "tests/golden/minimal.xml"};
	for (int si = 0; si < 3; si++) {
		struct diags d = {0};
		struct style *s = style_load(styles[si], &d);
		struct fonts *f = s ? font_open(s, styles[si], &d) : NULL;
		struct model *m = model_load(sources[si], &d);
		CHECK(f != NULL && m != NULL);
		if (f && m) {
			struct xf_options xo = {.numbering = (int)s->numbering};
			struct doc *doc = xf_briefing(m, &xo);
			struct layout *kept = lay_run(doc, s, f, m->file, &d, NULL);
			struct S_seen seen = {0};
			struct lay_sink sink = {S_seen_page, &seen};
			struct layout *l = lay_run(doc, s, f, m->file, &d, &sink);
			CHECK_MSG(seen.out_of_order == 0, "%s: pages out of order", styles[si]);
			CHECK_MSG(seen.npages == kept->npages && l->npages == kept->npages,
				"%s: %d pages streamed, %d kept", styles[si], seen.npages, kept->npages);
			CHECK(seen.late_calls > 0); /* running heads and contents numbers */
			int freed = 1;
			for (int p = 0; p < l->npages; p++)
				freed &= l->pages[p].nboxes == 0 && l->pages[p].boxes == NULL;
			CHECK_MSG(freed, "%s: a streamed page kept its boxes", styles[si]);
			for (int p = 0; p < seen.npages && p < kept->npages; p++) {
				const struct lay_page *a = &kept->pages[p], *b = &seen.pages[p];
				int same = a->nboxes == b->nboxes;
				for (int i = 0; same && i < a->nboxes; i++) {
					const struct lay_box *x = &a->boxes[i], *y = &b->boxes[i];
					same = x->kind == y->kind && x->x == y->x && x->y == y->y && x->w == y->w &&
						x->h == y->h && x->face == y->face && x->size == y->size &&
						memcmp(&x->color, &y->color, sizeof x->color) == 0 &&
						x->internal == y->internal && S_same_str(x->text, y->text) &&
						S_same_str(x->target, y->target);
				}
				CHECK_MSG(same, "%s: page %d differs (%d boxes kept, %d streamed)", styles[si],
					p + 1, a->nboxes, b->nboxes);
			}
			CHECK(l->nanchors == kept->nanchors && l->noutline == kept->noutline &&
				l->body_page == kept->body_page);
			for (int i = 0; i < l->nanchors && i < kept->nanchors; i++)
				CHECK(l->anchors[i].page == kept->anchors[i].page &&
					l->anchors[i].y == kept->anchors[i].y &&
					strcmp(l->anchors[i].name, kept->anchors[i].name) == 0);
			for (int i = 0; i < l->noutline && i < kept->noutline; i++)
				CHECK(l->outline[i].level == kept->outline[i].level &&
					l->outline[i].page == kept->outline[i].page &&
					l->outline[i].y == kept->outline[i].y &&
					S_same_str(l->outline[i].title, kept->outline[i].title));
			for (int p = 0; p < seen.npages; p++) {
				free(seen.pages[p].boxes);
				arena_free(&seen.pages[p].text);
			}
			free(seen.pages);
			lay_free(l);
			lay_free(kept);
			doc_free(doc);
		}
		model_free(m);
		font_close(f);
		style_free(s);
		diag_free(&d);
	}
}

/* The fonts are embedded as subsets of the glyphs drawn, so any character the face has
 * can be drawn; a character drawn in a face without it (a briefc bug: the layout picks a
 * face that has it) is reported, not shown silently as a box. */
static void test_subset_guard(void)
{
	struct diags d = {0};
	struct style *s;
	struct fonts *f = S_fonts_needed(&s, &d);
	if (f == NULL)
		return;
	struct doc *doc = doc_new();
	struct doc_node *p = doc_add(doc, doc->root, DOC_PARA, 1);
	p->cls = "body";
	doc_add_text(doc, p, "Alpha \u0531\u0580\u0561\u0574", 1); /* Armenian: in the subset */
	struct layout *l = lay_run(doc, s, f, "t.xml", &d, NULL);
	size_t before = d.n;
	/* what the layout drew renders cleanly */
	struct pdf_out *o = pdf_begin(doc, f, NULL, "t.xml", &d);
	CHECK(o != NULL);
	for (int i = 0; o && i < l->npages; i++)
		pdf_page(o, l, i, 0);
	CHECK(o && pdf_finish(o, l) == 0);
	/* the file is saved into a descriptor: whole into a file, an error on a full device */
	FILE *tf = tmpfile();
	CHECK(tf != NULL && o && pdf_write(o, fileno(tf)) == 0);
	char head[8] = {0};
	CHECK(tf && pread(fileno(tf), head, 5, 0) == 5 && memcmp(head, "%PDF-", 5) == 0);
	if (tf)
		fclose(tf);
	int full = open("/dev/full", O_WRONLY | O_CLOEXEC);
	if (full >= 0 && o) {
		errno = 0;
		CHECK(pdf_write(o, full) == -1 && errno == ENOSPC);
		close(full);
	}
	pdf_free(o);
	CHECK_MSG(d.n == before, "a clean layout gave %zu diagnostics", d.n - before);
	/* a box with a character the source never had (Cyrillic Zhe): drawn, no warning; then
	 * one no DejaVu face has (CJK U+4E00): reported */
	struct lay_box *b = NULL;
	for (int i = 0; i < l->pages[0].nboxes && b == NULL; i++)
		if (l->pages[0].boxes[i].kind == LAY_TEXT)
			b = &l->pages[0].boxes[i];
	CHECK(b != NULL);
	const char *texts[2] = {"\u0416", "\u4E00"};
	for (int t = 0; b != NULL && t < 2; t++) {
		b->text = texts[t];
		size_t at = d.n;
		o = pdf_begin(doc, f, NULL, "t.xml", &d);
		for (int i = 0; o && i < l->npages; i++)
			pdf_page(o, l, i, 0);
		CHECK(o && pdf_finish(o, l) == 0);
		pdf_free(o);
		int found = 0;
		for (size_t i = at; i < d.n; i++)
			found |= strstr(d.v[i].msg, t ? "U+4E00" : "U+0416") != NULL &&
				strstr(d.v[i].msg, "no glyph") != NULL;
		if (t == 0)
			CHECK_MSG(d.n == at, "%zu diagnostics for a character the face has", d.n - at);
		else
			CHECK_MSG(found, "no warning for a character the face lacks");
	}
	lay_free(l);
	doc_free(doc);
	font_close(f);
	style_free(s);
	diag_free(&d);
}

/* The bytes of the PDF of l (drawn from doc) made with cache (NULL: none), into out. */
static int S_pdf_bytes(struct doc *doc, struct fonts *f, struct pdf_cache *cache,
	const struct layout *l, struct diags *d, struct buf *out)
{
	struct pdf_out *o = pdf_begin(doc, f, cache, "t.xml", d);
	for (int i = 0; o && i < l->npages; i++)
		pdf_page(o, l, i, 0);
	FILE *tf = tmpfile();
	int ok = o && tf && pdf_finish(o, l) == 0 && pdf_write(o, fileno(tf)) == 0;
	pdf_free(o);
	out->len = 0;
	char chunk[8192];
	ssize_t r;
	off_t at = 0;
	while (ok && (r = pread(fileno(tf), chunk, sizeof chunk, at)) > 0) {
		buf_put(out, chunk, (size_t)r);
		at += r;
	}
	if (tf)
		fclose(tf);
	return ok && out->len > 0;
}

/* A process's PDFs share a cache of their embedded fonts: a PDF made with the cache, empty
 * or holding its fonts already, is byte for byte the one made without; the second takes
 * every font from it; a document drawing one more character (other glyphs, same faces)
 * gets fonts of its own, not the cached ones; a cache with no room keeps nothing. */
static void test_pdf_cache_same_bytes(void)
{
	struct diags d = {0};
	struct style *s;
	struct fonts *f = S_fonts_needed(&s, &d);
	if (f == NULL)
		return;
	const char *texts[2] = {"Alpha beta \u0531\u0580\u0561\u0574", "Alpha beta \u0531\u0580\u0561\u0574 \u0416"};
	struct buf plain[2] = {{0}}, got = {0};
	struct pdf_cache *c = pdf_cache_new(1u << 20), *none = pdf_cache_new(0);
	CHECK(c != NULL && none != NULL);
	for (int t = 0; t < 2 && c && none; t++) {
		struct doc *doc = doc_new();
		struct doc_node *p = doc_add(doc, doc->root, DOC_PARA, 1);
		p->cls = "body";
		doc_add_text(doc, p, texts[t], 1);
		struct layout *l = lay_run(doc, s, f, "t.xml", &d, NULL);
		CHECK(l != NULL && S_pdf_bytes(doc, f, NULL, l, &d, &plain[t]));
		size_t hits, held, hits0, held0, fonts = 0;
		for (int k = 0; k < 2 && l; k++) {
			pdf_cache_counts(c, &hits0, &held0);
			CHECK(S_pdf_bytes(doc, f, c, l, &d, &got));
			CHECK_MSG(got.len == plain[t].len && memcmp(got.data, plain[t].data, got.len) == 0,
				"text %d, made %s with the cache: %zu bytes against %zu", t,
				k ? "again" : "first", got.len, plain[t].len);
			pdf_cache_counts(c, &hits, &held);
			if (k == 0) { /* each font taken or made and kept; the first text's all made */
				fonts = (hits - hits0) + (held - held0);
				CHECK_MSG(held > held0 && (t > 0 || hits == hits0), "text %d: hits %zu -> %zu, "
					"held %zu -> %zu", t, hits0, hits, held0, held);
			} else { /* every font from the cache */
				CHECK_MSG(fonts >= 2 && hits - hits0 == fonts && held == held0,
					"text %d again: hits %zu -> %zu of %zu fonts", t, hits0, hits, fonts);
			}
		}
		CHECK(l && S_pdf_bytes(doc, f, none, l, &d, &got) && got.len == plain[t].len &&
			memcmp(got.data, plain[t].data, got.len) == 0);
		pdf_cache_counts(none, &hits, &held);
		CHECK(hits == 0 && held == 0);
		lay_free(l);
		doc_free(doc);
	}
	CHECK(plain[0].len != plain[1].len || memcmp(plain[0].data, plain[1].data, plain[0].len) != 0);
	pdf_cache_free(c);
	pdf_cache_free(none);
	buf_free(&plain[0]);
	buf_free(&plain[1]);
	buf_free(&got);
	font_close(f);
	style_free(s);
	diag_free(&d);
}

const struct unit_test layout_tests[] = {
	{"subset_guard", test_subset_guard},
	{"pdf_cache_same_bytes", test_pdf_cache_same_bytes},
	{"streaming_equals_kept", test_streaming_equals_kept},
	{"breaks_are_optimal", test_breaks_are_optimal},
	{"better_than_first_fit", test_better_than_first_fit},
	{"infeasible_word", test_infeasible_word},
	{"ragged", test_ragged},
	{"metrics_match_libharu", test_metrics_match_libharu},
	{"font_files_through_pipe", test_font_files_through_pipe},
	{"font_choice_as_fontconfig", test_font_choice_as_fontconfig},
	{"fallback", test_fallback},
	{"layout_geometry", test_layout_geometry},
	{"hyphen_patterns", test_hyphen_patterns},
	{"warm_hyphens", test_warm_hyphens},
	{"patterns_match_libhyphen", test_patterns_match_libhyphen},
	{"kerning", test_kerning},
	{"hyphenation_in_paragraph", test_hyphenation_in_paragraph},
	{"never_hyphenated", test_never_hyphenated},
	{"explicit_and_soft_hyphens", test_explicit_and_soft_hyphens},
	{"no_break_space", test_no_break_space},
	{"timeline_leaders_clear", test_timeline_leaders_clear},
	{"timeline_long_label", test_timeline_long_label},
	{"tie_breaks_before_gaps", test_tie_breaks_before_gaps},
	{"long_word_breaks_inside", test_long_word_breaks_inside},
	{"missing_glyph_warning", test_missing_glyph_warning},
	{"justified_flush", test_justified_flush},
	{NULL, NULL},
};
