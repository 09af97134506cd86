/* render_pdf.h: writes laid-out pages as a PDF with libharu (fonts embedded, UTF-8). */
#ifndef BRIEFC_RENDER_PDF_H
#define BRIEFC_RENDER_PDF_H

#include <stddef.h>

#include "../base/diag.h"
#include "../layout/layout.h"
#include "../transform/doc.h"

/* Renders the layout into memory. Returns 0 and sets *data (malloc'd) and *len on success;
 * on a libharu failure reports a diagnostic against file and returns -1. */
int pdf_render(const struct layout *l, const struct doc *doc, struct fonts *f, const char *file,
	struct diags *d, unsigned char **data, size_t *len);

#endif
