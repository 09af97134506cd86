/* latex_escape.c: escaping of UTF-8 text for LaTeX body text, PDF strings, URLs and labels. */
#include "latex_escape.h"

#include <string.h>

/* The replacement of an ASCII character that LaTeX would read as markup, or one that a
 * font's TeX ligatures would turn into another character ('' -> ", << -> «, !` -> ¡);
 * NULL for a character that stands for itself. */
static const char *S_ascii(uint32_t cp)
{
	switch (cp) {
	case '\\': return "\\textbackslash{}";
	case '{': return "\\{";
	case '}': return "\\}";
	case '$': return "\\$";
	case '&': return "\\&";
	case '#': return "\\#";
	case '%': return "\\%";
	case '_': return "\\_";
	case '^': return "\\textasciicircum{}"; /* ^^5c would be a backslash */
	case '~': return "\\textasciitilde{}";
	case '[': return "{[}";                 /* an optional argument after \item or \\ */
	case ']': return "{]}";
	case '<': return "\\textless{}";
	case '>': return "\\textgreater{}";
	case '|': return "\\textbar{}";
	case '"': return "\\textquotedbl{}";
	case '\'': return "\\textquotesingle{}";
	case '`': return "\\textasciigrave{}";
	default: return NULL;
	}
}

static int S_space(uint32_t cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x2028 || cp == 0x2029;
}

/* Characters that have no place in typeset text: C0 and C1 controls, DEL, the byte order
 * mark and the two noncharacters at the end of the plane. */
static int S_dropped(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF;
}

static int S_sentence_mark(uint32_t cp)
{
	return cp == '.' || cp == '?' || cp == '!';
}

static int S_closer(uint32_t cp)
{
	return cp == ')' || cp == 0x2019 || cp == 0x201D || cp == '"' || cp == '\'';
}

/* Does a new sentence start here? The text so far ends with a sentence mark (perhaps
 * followed by a closing bracket or quotation mark), the next word with a capital. */
static int S_sentence_break(uint32_t last, uint32_t before_last, uint32_t next)
{
	int ends = S_sentence_mark(last) || (S_closer(last) && S_sentence_mark(before_last));
	return ends && ((next >= 'A' && next <= 'Z') || next == 0x201C);
}

void tex_esc_text(struct buf *b, const char *s, int flags)
{
	const char *p = s, *end = s + strlen(s);
	int line_start = 1; /* nothing but spaces since the text or a .tex line began */
	int space = 0;      /* a space is pending */
	uint32_t last = 0, before_last = 0;
	while (p < end) {
		const char *from = p;
		uint32_t cp = utf8_next(&p, end);
		if (S_space(cp)) {
			space = 1;
			continue;
		}
		if (S_dropped(cp))
			continue;
		if (space) {
			if ((flags & TEX_ESC_SENTENCES) && S_sentence_break(last, before_last, cp)) {
				buf_putc(b, '\n');
				line_start = 1;
			} else {
				buf_putc(b, ' ');
			}
			space = 0;
		}
		const char *rep = S_ascii(cp);
		if (rep != NULL) {
			buf_puts(b, rep);
		} else if (cp == '-') {
			/* "--" and "---" are dash ligatures: keep each hyphen apart, also from a hyphen
			 * that may open the text that follows */
			buf_puts(b, p == end || *p == '-' ? "-{}" : "-");
		} else if (cp == ',') {
			buf_puts(b, p < end && *p == ',' ? ",{}" : ","); /* ,, is a low quotation mark */
		} else if (cp == '*' && line_start) {
			buf_puts(b, "{*}"); /* after \\ a star would change its meaning */
		} else if (cp == '/' && (flags & TEX_ESC_BREAK_SLASH) && p < end && *p != '/') {
			buf_puts(b, "/\\allowbreak{}");
		} else if (cp == 0xA0) {
			buf_putc(b, '~');
		} else if (cp == 0x202F) {
			buf_puts(b, "\\,"); /* narrow no-break space */
		} else if (cp == 0xAD) {
			buf_puts(b, "\\-"); /* soft hyphen: a break point that shows a hyphen if used */
		} else if (cp == 0x200B) {
			buf_puts(b, "\\hspace{0pt}"); /* zero-width space: a break point */
		} else if (cp == 0x2060) {
			buf_puts(b, "\\nobreak{}"); /* word joiner */
		} else {
			buf_put(b, from, (size_t)(p - from));
		}
		line_start = 0;
		before_last = last;
		last = cp;
	}
	if (space)
		buf_putc(b, ' ');
}

void tex_esc_pdfstr(struct buf *b, const char *s)
{
	const char *p = s, *end = s + strlen(s);
	int space = 0;
	while (p < end) {
		const char *from = p;
		uint32_t cp = utf8_next(&p, end);
		if (S_space(cp) || cp == 0xA0 || cp == 0x202F || (cp >= 0x2000 && cp <= 0x200A)) {
			space = 1;
			continue;
		}
		if (S_dropped(cp) || cp == 0xAD || cp == 0x200B || cp == 0x2060)
			continue;
		if (space)
			buf_putc(b, ' ');
		space = 0;
		const char *rep = S_ascii(cp);
		if (rep != NULL)
			buf_puts(b, rep);
		else if (cp == '-')
			buf_puts(b, p == end || *p == '-' ? "-{}" : "-");
		else if (cp == ',')
			buf_puts(b, p < end && *p == ',' ? ",{}" : ",");
		else
			buf_put(b, from, (size_t)(p - from));
	}
	if (space)
		buf_putc(b, ' ');
}

static int S_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

void tex_esc_url(struct buf *b, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		unsigned char c = *p;
		if (S_alnum(c) || strchr("-.:/?@!()*+,;='", c) != NULL)
			buf_putc(b, (char)c);
		else if (c == '#' || c == '%' || c == '&' || c == '_' || c == '~')
			buf_printf(b, "\\%c", c); /* hyperref turns these back into the character */
		else
			buf_printf(b, "\\%%%02X", c);
	}
}

void tex_esc_label(struct buf *b, const char *s)
{
	if (strcmp(s, "LastPage") == 0) { /* (lastpage's own label: its L escaped) */
		buf_puts(b, ":4CastPage");
		return;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (S_alnum(*p) || *p == '-' || *p == '.')
			buf_putc(b, (char)*p);
		else
			buf_printf(b, ":%02X", *p);
	}
}
