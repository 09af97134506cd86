/* font.c: font files found through fontconfig, metrics and glyph coverage through HarfBuzz. */
#include "font.h"
#include "../base/util.h"

#include "../base/output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>
#include <hb.h>

/* How far a face's value of a numeric property (an integer, a double, or the range of a
 * variable font) lies from the wanted one; missing: as far as can be. */
static double S_distance(FcPattern *p, const char *object, double want)
{
	FcValue v;
	double lo, hi;
	if (FcPatternGet(p, object, 0, &v) != FcResultMatch)
		return 1e9;
	if (v.type == FcTypeInteger)
		lo = hi = v.u.i;
	else if (v.type == FcTypeDouble)
		lo = hi = v.u.d;
	else if (v.type != FcTypeRange || !FcRangeGetDouble(v.u.r, &lo, &hi))
		return 1e9;
	return want < lo ? lo - want : want > hi ? want - hi : 0;
}

/* Whether face a suits family/bold/italic better than face b, in fontconfig's own order of
 * what matters: slant, then weight, then width (normal), then a TrueType file (the kind
 * that is embedded), then the later version; the file's name breaks what is left of a tie,
 * so the choice does not hang on the order of fontconfig's caches. */
static int S_better(FcPattern *a, FcPattern *b, int bold, int italic)
{
	const char *obj[3] = {FC_SLANT, FC_WEIGHT, FC_WIDTH};
	double want[3] = {italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN,
		bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR, FC_WIDTH_NORMAL};
	for (int i = 0; i < 3; i++) {
		double da = S_distance(a, obj[i], want[i]), db = S_distance(b, obj[i], want[i]);
		if (da != db)
			return da < db;
	}
	FcChar8 *fa = NULL, *fb = NULL;
	FcPatternGetString(a, FC_FONTFORMAT, 0, &fa);
	FcPatternGetString(b, FC_FONTFORMAT, 0, &fb);
	int ta = fa != NULL && strcmp((const char *)fa, "TrueType") == 0;
	int tb = fb != NULL && strcmp((const char *)fb, "TrueType") == 0;
	if (ta != tb)
		return ta;
	int va = 0, vb = 0;
	FcPatternGetInteger(a, FC_FONTVERSION, 0, &va);
	FcPatternGetInteger(b, FC_FONTVERSION, 0, &vb);
	if (va != vb)
		return va > vb;
	FcPatternGetString(a, FC_FILE, 0, &fa);
	FcPatternGetString(b, FC_FILE, 0, &fb);
	return fa != NULL && (fb == NULL || strcmp((const char *)fa, (const char *)fb) < 0);
}

/* The file of the face of fs that suits bold/italic best (S_better), with its format. */
static char *S_pick(FcFontSet *fs, int bold, int italic, char *format, size_t fsize)
{
	FcPattern *best = NULL;
	FcChar8 *file = NULL, *fmt = NULL;
	for (int i = 0; i < fs->nfont; i++)
		if (FcPatternGetString(fs->fonts[i], FC_FILE, 0, &file) == FcResultMatch &&
			(best == NULL || S_better(fs->fonts[i], best, bold, italic)))
			best = fs->fonts[i];
	if (best == NULL)
		return NULL;
	FcPatternGetString(best, FC_FILE, 0, &file);
	if (FcPatternGetString(best, FC_FONTFORMAT, 0, &fmt) == FcResultMatch)
		snprintf(format, fsize, "%s", (const char *)fmt);
	return xstrdup((const char *)file);
}

/* Fills e[0..nvariants) (variant v: bold v >> 1, italic v & 1) with the files of family,
 * from one listing of the faces fontconfig has under it (any of a face's family names, as
 * fontconfig compares them: case and spaces aside); they stay NULL when it has none. */
static void S_find_family(FcConfig *cfg, const char *family, struct font_file *e, int nvariants)
{
	FcPattern *pat = FcPatternCreate();
	FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
	FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, FC_SLANT, FC_WEIGHT, FC_WIDTH, FC_FONTFORMAT,
		FC_FONTVERSION, FC_FILE, (char *)NULL);
	FcFontSet *fs = FcFontList(cfg, pat, os);
	FcObjectSetDestroy(os);
	FcPatternDestroy(pat);
	for (int v = 0; fs != NULL && v < nvariants; v++)
		e[v].file = S_pick(fs, v >> 1, v & 1, e[v].format, sizeof e[v].format);
	if (fs != NULL)
		FcFontSetDestroy(fs);
}

static int S_nfiles(const struct style *s)
{
	return s->nfonts * 4 + s->nfallback;
}

int font_files_find(const struct style *s, struct font_files *out)
{
	out->n = S_nfiles(s);
	out->v = xcalloc((size_t)out->n + 1, sizeof *out->v);
	FcConfig *cfg = FcInitLoadConfigAndFonts();
	if (cfg == NULL)
		return -1;
	/* One listing of each family's faces, and the choice made here: asking fontconfig to
	 * match every face (FcFontMatch runs the configuration's rules and weighs every font
	 * installed) took a third of this process's time, 1.7 of 4.9 ms. */
	for (int i = 0; i < s->nfonts; i++)
		S_find_family(cfg, s->fonts[i].family, &out->v[i * 4], 4);
	for (int i = 0; i < s->nfallback; i++)
		S_find_family(cfg, s->fallback[i], &out->v[s->nfonts * 4 + i], 1);
	FcConfigDestroy(cfg);
	return 0;
}

void font_files_free(struct font_files *ff)
{
	for (int i = 0; ff->v != NULL && i < ff->n; i++)
		free(ff->v[i].file);
	free(ff->v);
	ff->v = NULL;
	ff->n = 0;
}

/* On the pipe: the count, then per entry the file's length (-1: none), the file, the
 * format (NUL-padded), all in this machine's byte order (the two ends are one program). */
int font_files_send(int fd, const struct font_files *ff)
{
	struct buf b = {0};
	buf_put(&b, (const char *)&ff->n, sizeof ff->n);
	for (int i = 0; i < ff->n; i++) {
		int len = ff->v[i].file ? (int)strlen(ff->v[i].file) : -1;
		buf_put(&b, (const char *)&len, sizeof len);
		if (len > 0)
			buf_put(&b, ff->v[i].file, (size_t)len);
		buf_put(&b, ff->v[i].format, sizeof ff->v[i].format);
	}
	int rc = out_write_fd(fd, b.data, b.len);
	buf_free(&b);
	return rc;
}

/* Reads exactly n bytes (0), or fails at the end of the pipe or an error (-1). */
static int S_read_all(int fd, void *p, size_t n)
{
	char *c = p;
	while (n > 0) {
		ssize_t r = read(fd, c, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c += r;
		n -= (size_t)r;
	}
	return 0;
}

int font_files_receive(int fd, const struct style *s, struct font_files *out)
{
	int n;
	out->v = NULL;
	out->n = 0;
	if (S_read_all(fd, &n, sizeof n) != 0 || n != S_nfiles(s))
		return -1;
	out->n = n;
	out->v = xcalloc((size_t)n + 1, sizeof *out->v);
	for (int i = 0; i < n; i++) {
		int len;
		struct font_file *e = &out->v[i];
		if (S_read_all(fd, &len, sizeof len) != 0 || len < -1 || len > 4096)
			goto bad;
		if (len >= 0) {
			e->file = xmalloc((size_t)len + 1);
			if (S_read_all(fd, e->file, (size_t)len) != 0)
				goto bad;
			e->file[len] = '\0';
		}
		if (S_read_all(fd, e->format, sizeof e->format) != 0)
			goto bad;
		e->format[sizeof e->format - 1] = '\0';
	}
	return 0;
bad:
	font_files_free(out);
	return -1;
}

static int S_load(struct fonts *f, const struct font_file *found, const char *family, int bold,
	int italic, struct diags *d, const char *style_file)
{
	const char *format = found->format;
	char *file = found->file ? xstrdup(found->file) : NULL;
	if (file == NULL) {
		diag_emit(d, D_STYLE_FONT, style_file, 0, 0, family,
			"fontconfig knows no font of that family");
		return -1;
	}
	for (int i = 0; i < f->nfaces; i++) {
		if (strcmp(f->faces[i].file, file) == 0) {
			free(file);
			return i;
		}
	}
	if (strcmp(format, "TrueType") != 0) {
		diag_emit(d, D_STYLE_FONT_TYPE, style_file, 0, 0, file, format[0] ? format : "unknown format");
		free(file);
		return -1;
	}
	hb_blob_t *blob = hb_blob_create_from_file_or_fail(file);
	if (blob == NULL) {
		diag_emit(d, D_STYLE_FONT, style_file, 0, 0, family, "its file cannot be read");
		free(file);
		return -1;
	}
	hb_face_t *face = hb_face_create(blob, 0);
	hb_blob_destroy(blob);
	hb_font_t *font = hb_font_create(face);
	struct font_face ff = {0};
	ff.file = file;
	ff.family = xstrdup(family);
	ff.bold = bold;
	ff.italic = italic;
	ff.upem = (int)hb_face_get_upem(face);
	hb_face_destroy(face);
	if (ff.upem <= 0)
		ff.upem = 1000;
	hb_font_set_scale(font, ff.upem, ff.upem);
	hb_font_extents_t ext;
	hb_font_get_h_extents(font, &ext);
	ff.ascent = ext.ascender * 1000.0 / ff.upem;
	ff.descent = ext.descender * 1000.0 / ff.upem;
	ff.hb_font = font;
	f->faces = xrealloc(f->faces, (size_t)(f->nfaces + 1) * sizeof *f->faces);
	f->faces[f->nfaces] = ff;
	return f->nfaces++;
}


struct fonts *font_open(struct style *s, const char *style_file, struct diags *d)
{
	return font_open_found(s, style_file, NULL, d);
}

struct fonts *font_open_found(struct style *s, const char *style_file, struct font_files *files,
	struct diags *d)
{
	struct fonts *f = xcalloc(1, sizeof *f);
	f->style = s;
	f->files = xcalloc(1, sizeof *f->files);
	if (files != NULL && files->n == S_nfiles(s)) {
		*f->files = *files; /* (taken over) */
		*files = (struct font_files){0};
	} else {
		font_files_find(s, f->files);
	}
	f->nstyle_fonts = s->nfonts;
	f->style_faces = xmalloc((size_t)s->nfonts * 4 * sizeof *f->style_faces);
	for (int i = 0; i < s->nfonts * 4; i++)
		f->style_faces[i] = -1;
	int errors = 0;
	/* Load the regular face of every family now, so a missing family, or one whose file
	 * cannot be embedded, is reported up front, with the reason. */
	for (int i = 0; i < s->nfonts; i++) {
		int k = S_load(f, &f->files->v[i * 4], s->fonts[i].family, 0, 0, d, style_file);
		f->style_faces[i * 4] = k < 0 ? -3 : k;
		errors += k < 0;
	}
	/* Every variant now, in a fixed order: a face's number (and so the PDF's font order)
	 * must not depend on which text happened to need it first in this process. */
	for (int i = 0; i < s->nfonts && errors == 0; i++)
		for (int v = 1; v < 4; v++)
			font_face(f, i, v >> 1, v & 1);
	f->fallback = xmalloc((size_t)(s->nfallback + 1) * sizeof *f->fallback);
	for (int i = 0; i < s->nfallback; i++) {
		struct diags quiet = {0};
		int k = S_load(f, &f->files->v[s->nfonts * 4 + i], s->fallback[i], 0, 0, &quiet,
			style_file);
		diag_free(&quiet); /* a missing fallback family is not an error: it is skipped */
		if (k >= 0)
			f->fallback[f->nfallback++] = k;
	}
	if (errors > 0) {
		font_close(f);
		return NULL;
	}
	return f;
}

void font_close(struct fonts *f)
{
	if (f == NULL)
		return;
	for (int i = 0; i < f->nfaces; i++) {
		free(f->faces[i].file);
		free(f->faces[i].family);
		free(f->faces[i].width_cache);
		free(f->faces[i].glyph_cache);
		for (int k = 0; k < f->faces[i].nplans; k++)
			hb_shape_plan_destroy(f->faces[i].plans[k].plan);
		hb_font_destroy(f->faces[i].hb_font);
	}
	free(f->faces);
	free(f->style_faces);
	bmap_free(&f->kern_memo, free);
	hyph_close(f->hyph);
	if (f->hb_buffer)
		hb_buffer_destroy(f->hb_buffer);
	free(f->fallback);
	if (f->files != NULL)
		font_files_free(f->files);
	free(f->files);
	free(f);
}

void font_adopt_hyphenator(struct fonts *f, struct hyph *h)
{
	if (h == NULL)
		return;
	hyph_close(f->hyph);
	f->hyph = h;
}

struct hyph *font_hyphenator(struct fonts *f)
{
	if (f->hyph == NULL)
		f->hyph = hyph_open(NULL);
	return f->hyph;
}

int font_face(struct fonts *f, int font, int bold, int italic)
{
	if (font < 0 || font >= f->nstyle_fonts)
		font = 0;
	int *slot = &f->style_faces[font * 4 + bold * 2 + italic];
	if (*slot == -1) {
		struct diags quiet = {0};
		int k = S_load(f, &f->files->v[font * 4 + bold * 2 + italic],
			f->style->fonts[font].family, bold, italic, &quiet, "");
		diag_free(&quiet);
		if (k < 0 && (bold || italic))
			k = font_face(f, font, 0, 0); /* no such variant: the regular face stands in */
		*slot = k < 0 ? -3 : k;
	}
	return *slot < 0 ? -1 : *slot;
}

int font_advance(struct fonts *f, int face, uint32_t cp)
{
	struct font_face *ff = &f->faces[face];
	if (cp > 0xFFFF)
		return -1; /* libharu 2.3.0 shows the Basic Multilingual Plane only */
	if (ff->width_cache == NULL) /* (zeroed pages: only those of the scripts used are touched) */
		ff->width_cache = xcalloc(65536, sizeof *ff->width_cache);
	int16_t *c = &ff->width_cache[cp];
	if (*c == 0) {
		int gid = font_glyph(f, face, cp); /* (the glyph the PDF draws, so its width) */
		if (gid < 0) {
			*c = -1;
		} else {
			long adv = hb_font_get_glyph_h_advance(ff->hb_font, (hb_codepoint_t)gid);
			/* as the PDF's /W has it (render_pdf.c): integer division */
			*c = (int16_t)((unsigned long)adv * 1000 / (unsigned long)ff->upem + 1);
		}
	}
	return *c < 0 ? -1 : *c - 1;
}

int font_glyph(struct fonts *f, int face, uint32_t cp)
{
	struct font_face *ff = &f->faces[face];
	if (cp > 0xFFFF)
		return -1;
	if (ff->glyph_cache == NULL)
		ff->glyph_cache = xcalloc(65536, sizeof *ff->glyph_cache);
	uint16_t *c = &ff->glyph_cache[cp];
	if (*c == 0) {
		hb_codepoint_t gid;
		/* (a glyph number past 65,534 cannot be a two-byte CID: as if missing) */
		*c = hb_font_get_nominal_glyph(ff->hb_font, cp, &gid) && gid < 0xFFFF
			? (uint16_t)(gid + 1) : 0xFFFF;
	}
	return *c == 0xFFFF ? -1 : *c - 1;
}

int font_cover(struct fonts *f, int face, uint32_t cp)
{
	if (font_advance(f, face, cp) >= 0)
		return face;
	for (int i = 0; i < f->nfallback; i++)
		if (font_advance(f, f->fallback[i], cp) >= 0)
			return f->fallback[i];
	return -1;
}

double font_text_width(struct fonts *f, int face, double size, const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	long units = 0;
	while (p < end) {
		int w = font_advance(f, face, utf8_next(&p, end));
		if (w > 0)
			units += w;
	}
	return units * size / 1000.0;
}

/* Shapes the text with HarfBuzz; fills dx as font_kerns says; returns the code points, 0
 * when the text cannot be kerned one to one. */
static int S_shape(struct fonts *f, int face, const char *s, size_t n, double *dx, int ncp)
{
	struct font_face *ff = &f->faces[face];
	if (f->hb_buffer == NULL)
		f->hb_buffer = hb_buffer_create();
	hb_buffer_t *b = f->hb_buffer;
	hb_buffer_reset(b);
	hb_buffer_add_utf8(b, s, (int)n, 0, (int)n);
	hb_buffer_guess_segment_properties(b);
	/* Kerning alone: the PDF draws each character's nominal glyph (the face's cmap, as
	 * font_glyph finds it), so the kerning is measured on those glyphs. Ligatures,
	 * contextual and localised forms and composition (ccmp) would substitute glyphs that
	 * are not drawn; the mark features would place marks, which a word with a combining
	 * mark is not kerned for anyway (HarfBuzz composes or places it: not one to one).
	 * Without them HarfBuzz does a fifth less work. */
	static const hb_feature_t features[] = {
		{HB_TAG('k', 'e', 'r', 'n'), 1, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
		{HB_TAG('l', 'i', 'g', 'a'), 0, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
		{HB_TAG('c', 'l', 'i', 'g'), 0, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
		{HB_TAG('d', 'l', 'i', 'g'), 0, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
		{HB_TAG('c', 'a', 'l', 't'), 0, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
		{HB_TAG('c', 'c', 'm', 'p'), 0, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
		{HB_TAG('l', 'o', 'c', 'l'), 0, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
		{HB_TAG('r', 'l', 'i', 'g'), 0, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
		{HB_TAG('m', 'a', 'r', 'k'), 0, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
		{HB_TAG('m', 'k', 'm', 'k'), 0, HB_FEATURE_GLOBAL_START, HB_FEATURE_GLOBAL_END},
	};
	if (hb_buffer_get_direction(b) != HB_DIRECTION_LTR)
		return 0;
	/* The plan for the word's script, kept by the face: hb_shape looks it up in the face's
	 * cache, comparing the features, for every word (an eighth of shaping's time). */
	hb_segment_properties_t props;
	hb_buffer_get_segment_properties(b, &props);
	unsigned nf = sizeof features / sizeof *features;
	hb_shape_plan_t *plan = NULL, *own = NULL; /* (own: no room to keep it, this word's) */
	for (int k = 0; k < ff->nplans && plan == NULL; k++)
		if (ff->plans[k].script == (uint32_t)props.script)
			plan = ff->plans[k].plan;
	if (plan == NULL) {
		plan = own = hb_shape_plan_create_cached(hb_font_get_face(ff->hb_font), &props,
			features, nf, NULL);
		if (ff->nplans < (int)(sizeof ff->plans / sizeof *ff->plans)) {
			ff->plans[ff->nplans++] = (struct font_plan){(uint32_t)props.script, plan};
			own = NULL;
		}
	}
	int shaped = hb_shape_plan_execute(plan, ff->hb_font, b, features, nf);
	hb_shape_plan_destroy(own);
	if (!shaped)
		return 0;
	unsigned int count = 0;
	hb_glyph_info_t *info = hb_buffer_get_glyph_infos(b, &count);
	hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(b, &count);
	if ((int)count != ncp)
		return 0;
	const char *p = s;
	for (unsigned int i = 0; i < count; i++) {
		/* one glyph per character, in order */
		if (info[i].cluster != (unsigned int)(p - s))
			return 0;
		utf8_next(&p, s + n);
		long nominal = hb_font_get_glyph_h_advance(ff->hb_font, info[i].codepoint);
		dx[i] = (pos[i].x_advance - nominal) * 1000.0 / ff->upem;
		if (pos[i].x_offset != 0 || pos[i].y_offset != 0)
			return 0; /* positioned marks: libharu cannot place them */
	}
	return ncp;
}

int font_kerns(struct fonts *f, int face, const char *s, size_t n, double *dx, int max)
{
	int ncp = 0;
	for (const char *p = s, *end = s + n; p < end; ncp++)
		utf8_next(&p, end);
	if (ncp > max || ncp == 0) {
		for (int i = 0; i < ncp && i < max; i++)
			dx[i] = 0;
		return 0;
	}
	/* Words repeat: shape each (face, word) once. */
	char stack[256];
	size_t klen = n + 4;
	char *key = klen <= sizeof stack ? stack : xmalloc(klen);
	memcpy(key, &face, 4);
	memcpy(key + 4, s, n);
	if (f->kern_memo.n >= 1 << 18)
		bmap_free(&f->kern_memo, free); /* bounded: start again rather than grow without end */
	struct bmap_slot *slot = bmap_slot(&f->kern_memo, key, klen);
	if (slot->key == NULL) {
		bmap_claim(&f->kern_memo, slot, key, klen);
		struct font_kerning *k = xmalloc(sizeof *k + (size_t)ncp * sizeof k->dx[0]);
		k->ncp = S_shape(f, face, s, n, k->dx, ncp);
		slot->value = k;
	}
	if (key != stack)
		free(key);
	const struct font_kerning *k = slot->value;
	for (int i = 0; i < ncp; i++)
		dx[i] = k->ncp ? k->dx[i] : 0;
	return k->ncp;
}
