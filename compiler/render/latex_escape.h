/* latex_escape.h: escaping of UTF-8 text for LaTeX body text, PDF strings, URLs and labels. */
#ifndef BRIEFC_LATEX_ESCAPE_H
#define BRIEFC_LATEX_ESCAPE_H

#include "../base/util.h"

enum tex_esc_flags {
	TEX_ESC_SENTENCES = 1,  /* start each sentence on a line of its own in the .tex */
	TEX_ESC_BREAK_SLASH = 2 /* allow a line break after '/' (a URL shown as text) */
};

/* Appends s as LaTeX body text: every character the source holds is shown as itself and
 * none can act as markup. The ten specials, [ ] < > | " ' `, dash and comma ligatures, a *
 * that starts the text (it could follow \\), control characters (dropped), line ends (a
 * space: a blank line never results) and no-break spaces (~) are all rewritten. */
void tex_esc_text(struct buf *b, const char *s, int flags);

/* Appends s for a PDF string (hyperref's \pdfstringdef: document information, bookmarks):
 * the same escapes, with every kind of space a plain space and invisible characters
 * dropped. The result is safe inside a braced argument or a key=value list's braces. */
void tex_esc_pdfstr(struct buf *b, const char *s);

/* Appends the URI s for \href's first argument: hyperref's own escapes (\# \% \& \_ \~)
 * for the characters a URI gives meaning to; every other byte that TeX could read as
 * markup, and every byte outside printable ASCII, percent-encoded (as \%XX). */
void tex_esc_url(struct buf *b, const char *s);

/* Appends the identifier s as a label name for \label, \hyperref and \hypertarget: ASCII
 * letters, digits, '-' and '.' are kept; any other byte becomes ":XX" (hex), so distinct
 * identifiers stay distinct. "LastPage", the lastpage package's label, becomes
 * ":4CastPage"; a ':' not followed by two capital hex digits (briefc's own labels) is never
 * made. */
void tex_esc_label(struct buf *b, const char *s);

#endif
