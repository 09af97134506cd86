/* font.h: font files found through fontconfig, metrics and glyph coverage through HarfBuzz. */
#ifndef BRIEFC_FONT_H
#define BRIEFC_FONT_H

#include <stdint.h>

#include "../base/diag.h"
#include "../base/util.h"
#include "../read/style.h"
#include "hyphen.h"

/* A face: one font file (family × weight × slant). Layout and the PDF renderer use the same
 * file, so measured and drawn widths agree. */
struct font_face {
	char *file;
	char *family;
	int bold, italic;
	int upem;
	double ascent, descent; /* per 1000 units of em */
	void *hb_font;          /* hb_font_t */
	int16_t *width_cache;   /* per BMP code point, its width in 1/1000 em + 1 (0: not
	                           looked up, -1: missing; made on first use, by font_advance) */
	uint16_t *glyph_cache;  /* per BMP code point, its glyph + 1 (0: not looked up; made
	                           on first use, by font_glyph) */
	struct font_plan {      /* HarfBuzz's shaping plans for this face, by script (a word's
	                           properties differ in nothing else), made on first use */
		uint32_t script;   /* hb_script_t */
		void *plan;        /* hb_shape_plan_t */
	} plans[4];
	int nplans;
};

struct fonts {
	struct font_face *faces;
	int nfaces;
	int *style_faces;   /* [font index * 4 + bold * 2 + italic] -> face, -1 not loaded yet */
	int nstyle_fonts;
	int *fallback;      /* faces tried for missing characters, in order */
	int nfallback;
	struct font_files *files; /* what fontconfig found for the style (font_files_find) */
	struct style *style;
	void *hb_buffer;    /* hb_buffer_t, reused for every shaping */
	struct bmap kern_memo; /* (face, word) -> struct font_kerning */
	struct hyph *hyph;     /* the hyphenation patterns and their memo (font_hyphenator) */
};

/* A memoised shaping: the adjustments of a word's ncp code points (ncp 0: not kerned one to
 * one). */
struct font_kerning {
	int ncp;
	double dx[];
};

/* What fontconfig finds for each face a style can ask for: entry font * 4 + bold * 2 +
 * italic for each of the style's fonts, then one for each fallback family. */
struct font_files {
	struct font_file {
		char *file;      /* NULL: fontconfig knows no face of that family */
		char format[32]; /* its FC_FONTFORMAT: "TrueType", "CFF", ... */
	} *v;
	int n;
};
/* Asks fontconfig (its configuration read, used and freed here). Returns 0, or -1 when
 * fontconfig cannot start (every entry is then NULL). */
int font_files_find(const struct style *s, struct font_files *out);
void font_files_free(struct font_files *ff);
/* The files through a pipe, so that another process can ask fontconfig while this one goes
 * on: font_files_send writes them (0, or -1 with errno set); font_files_receive reads what
 * was sent for style s (0, or -1: nothing usable came, out is empty). */
int font_files_send(int fd, const struct font_files *ff);
int font_files_receive(int fd, const struct style *s, struct font_files *out);

/* Opens the style's faces (and fallbacks) from the files found (files NULL: asks fontconfig
 * itself; otherwise takes them over). Reports missing families and non-TrueType files as
 * style errors. Returns NULL on error. */
struct fonts *font_open_found(struct style *s, const char *style_file, struct font_files *files,
	struct diags *d);
/* font_open_found asking fontconfig itself. */
struct fonts *font_open(struct style *s, const char *style_file, struct diags *d);
void font_close(struct fonts *f);

/* The face for a style font with a weight and slant (loaded on first use); -1 on failure. */
int font_face(struct fonts *f, int font, int bold, int italic);
/* Advance width of a code point in 1/1000 em, truncated to an integer as the PDF's /W
 * gives it, so that measured widths equal what the PDF viewer advances. -1 when the face
 * lacks the glyph. */
int font_advance(struct fonts *f, int face, uint32_t cp);
/* The glyph the face shows for a BMP code point (its number in the font file), or -1 when
 * the face has none. */
int font_glyph(struct fonts *f, int face, uint32_t cp);
/* The face that shows cp: face itself, else the first fallback with the glyph; -1 if none. */
int font_cover(struct fonts *f, int face, uint32_t cp);
/* Kerning of UTF-8 text in one face: dx[i] is the adjustment, in 1/1000 em, between code
 * point i and i + 1 (HarfBuzz's kern feature, ligatures off so that characters and glyphs
 * stay one to one). Fills at most max entries; returns the number of code points, or 0 when
 * the text cannot be kerned one to one (then there is no adjustment). */
int font_kerns(struct fonts *f, int face, const char *s, size_t n, double *dx, int max);
/* The hyphenator that goes with these fonts, made on first use: like the kerning memo it
 * lasts as long as the fonts, so that the patterns are read once for every report and
 * layout pass of a run, not once each. */
struct hyph *font_hyphenator(struct fonts *f);
/* Gives the fonts a hyphenator made beforehand (its patterns perhaps read already, while the
 * font files were being found); the fonts own it from then on. NULL changes nothing. */
void font_adopt_hyphenator(struct fonts *f, struct hyph *h);
/* Width of UTF-8 text set entirely in one face, in points, kerning not included. */
double font_text_width(struct fonts *f, int face, double size, const char *s, size_t n);

#endif
