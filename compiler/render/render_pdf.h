/* render_pdf.h: writes laid-out pages as a PDF with libharu (fonts embedded, UTF-8). */
#ifndef BRIEFC_RENDER_PDF_H
#define BRIEFC_RENDER_PDF_H

#include <stddef.h>

#include "../base/diag.h"
#include "../layout/layout.h"
#include "../transform/doc.h"

/* A PDF being written page by page: the layout's sink (struct lay_sink with pdf_page). Each
 * page's content is drawn, compressed and put in a temporary file (the spool) when the
 * layout hands it over, so only libharu's small page objects stay in memory until the end. */
struct pdf_out;

/* What a process keeps from one PDF to the next (its owner makes and frees it; the PDFs
 * only use it): the compressor, and each face's embedded font (the subset, its glyph map and
 * its ToUnicode map, deflated) by the glyphs and characters it holds, up to max_bytes of
 * them. An archive's reports draw the same glyphs date after date: their fonts are cut and
 * deflated once. What a PDF gets from it is byte for byte what it would have made. */
struct pdf_cache;
struct pdf_cache *pdf_cache_new(size_t max_bytes);
void pdf_cache_free(struct pdf_cache *c);
/* How many fonts the PDFs took from the cache, and how many it holds. */
void pdf_cache_counts(const struct pdf_cache *c, size_t *hits, size_t *held);

/* Starts a PDF for doc; NULL (with a diagnostic against file) when libharu cannot start.
 * cache: NULL, or kept by the caller until pdf_free. */
struct pdf_out *pdf_begin(const struct doc *doc, struct fonts *f, struct pdf_cache *cache,
	const char *file, struct diags *d);
/* The sink's callback: draws page p of l (late: material added to a page drawn before). */
void pdf_page(void *ctx, const struct layout *l, int p, int late);
/* Adds the links, outline, page labels and information once the layout is done. Returns 0,
 * or reports a diagnostic and returns -1. */
int pdf_finish(struct pdf_out *o, const struct layout *l);
/* After pdf_finish: saves the file into fd (an out_writer: 0, or -1 with errno set; it may
 * be called again, for another fd). The finished pages' contents are read back from the
 * spool as the file is written, so the whole file is never in memory. */
int pdf_write(void *o, int fd);
void pdf_free(struct pdf_out *o);

#endif
