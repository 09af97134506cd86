/* render_latex.h: the LaTeX backend: the document tree as a .tex for XeLaTeX or LuaLaTeX. */
#ifndef BRIEFC_RENDER_LATEX_H
#define BRIEFC_RENDER_LATEX_H

#include <stddef.h>

#include "../base/diag.h"
#include "../layout/font.h"
#include "../read/style.h"
#include "../transform/doc.h"

/* Writes the tree as LaTeX source: a standard class, a preamble of well-known packages that
 * maps the style (page, fonts, block styles, running heads), one paragraph per line. TeX
 * does its own layout: the laid-out pages are not used. The fonts (the style's, as the PDF
 * has them) measure the timeline's labels, which the .tex places as the PDF does (NULL: each
 * label as wide as the text block, a row for each item). Returns 0 and sets *out (malloc'd, NUL-terminated) and *len. Nothing
 * from the source can act as TeX markup. */
int tex_render(const struct doc *doc, const struct style *s, struct fonts *f, struct diags *d,
	char **out, size_t *len);

#endif
