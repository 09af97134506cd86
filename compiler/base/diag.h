/* diag.h: the diagnostics catalogue and the list a run collects; every stage reports here. */
#ifndef BRIEFC_DIAG_H
#define BRIEFC_DIAG_H

#include <stdio.h>

/* Exit codes, documented in the README and in --help. */
enum exit_code {
	EXIT_OK = 0,      /* success, warnings allowed */
	EXIT_INVALID = 1, /* the source or the style is invalid */
	EXIT_USAGE = 2,   /* bad command line */
	EXIT_IO = 3       /* I/O or internal failure */
};

enum diag_level { DIAG_WARNING, DIAG_ERROR };

/* The catalogue: every message briefc can print about an input, grouped by stage.
 * docs/ARCHITECTURE.md lists them. The text is a printf format. */
#define DIAG_CATALOGUE(X) \
	/* reading */ \
	X(D_READ_OPEN, ERROR, "cannot read file: %s") \
	X(D_READ_NOTFILE, ERROR, "not a regular file") \
	X(D_READ_TOOBIG, ERROR, "file is larger than the limit of %zu bytes") \
	X(D_READ_EMPTY, ERROR, "file is empty") \
	X(D_XML_SYNTAX, ERROR, "%s") \
	X(D_XML_DOCTYPE, ERROR, "a DOCTYPE is not allowed (no DTDs or entity declarations in sources)") \
	X(D_XML_EXTERNAL, ERROR, "refused to load an external resource: %s") \
	X(D_XML_DEPTH, ERROR, "elements are nested more than %d levels deep (the limit)") \
	X(D_XML_TOOLONG, ERROR, "%s longer than the limit of %d bytes") \
	X(D_SCHEMA, ERROR, "%s") \
	/* semantic checks */ \
	X(D_DUP_ID, ERROR, "duplicate identifier '%s' (first defined on line %d)") \
	X(D_UNDEF_REF, ERROR, "%s '%s' is not declared") \
	X(D_WRONG_KIND, ERROR, "'%s' is declared as %s, not as %s") \
	X(D_BAD_DATE, ERROR, "'%s' is not a real date (expected YYYY-MM-DD, YYYY-MM or YYYY)") \
	X(D_BAD_DATETIME, ERROR, "'%s' is not a real date and time") \
	X(D_RANGE_ORDER, ERROR, "range ends (%s) before it starts (%s)") \
	X(D_DEADLINE_EARLY, ERROR, "deadline %s is before the signing date %s") \
	X(D_TERM_NUMBER, ERROR, "term number %s out of sequence (expected %d)") \
	X(D_NESTED_NOTE, ERROR, "a note cannot contain another note") \
	X(D_DATE_FUTURE_ISSUE, WARNING, "%s %s is after the dossier's issue date %s") \
	X(D_BAD_URL, ERROR, "link target '%s' is not an absolute http, https or mailto URL") \
	X(D_IMAGE_PATH, ERROR, "image '%s' must be a relative path inside the source's directory") \
	X(D_IMAGE_BAD, ERROR, "image '%s': %s") \
	X(D_UNUSED_TOPIC, WARNING, "topic '%s' is declared but nothing is tagged with it") \
	/* style sheets */ \
	X(D_STYLE_VALUE, ERROR, "%s") \
	X(D_STYLE_FONT, ERROR, "no font file found for family '%s' (%s)") \
	X(D_STYLE_FONT_TYPE, ERROR, "font '%s' is not a TrueType font (%s); briefc embeds TrueType outlines only") \
	/* layout */ \
	X(D_GLYPH_MISSING, WARNING, "no font covers character U+%04X '%s'; shown as a blank") \
	X(D_GLYPH_MORE, WARNING, "%d more characters that no font covers; shown as blanks") \
	X(D_GLYPH_ASTRAL, WARNING, "character U+%04X '%s' is outside the Basic Multilingual Plane, which the PDF backend cannot show") \
	X(D_NO_PATTERNS, WARNING, "no hyphenation patterns for language '%s'; its words are not hyphenated") \
	X(D_WORD_BROKEN, WARNING, "%d word(s) wider than the line; broken inside, without a hyphen") \
	X(D_OVERFULL, WARNING, "line too wide by %.1fpt; no better break exists") \
	X(D_TABLE_WIDE, WARNING, "table has %d columns, too many for the text width; columns are squeezed") \
	/* output */ \
	X(D_OUT_WRITE, ERROR, "cannot write output: %s") \
	X(D_PDF_LIB, ERROR, "PDF library error 0x%04lX (detail %lu)") \
	X(D_PDF_SUBSET, WARNING, "internal: character U+%04X has no glyph in %s, the face it was drawn in; it shows as a box")

enum diag_id {
#define X(id, level, text) id,
	DIAG_CATALOGUE(X)
#undef X
	D__COUNT
};

struct diag {
	char *file;       /* owned copy: the input's memory may be gone when printed */
	int line, col;    /* 0 when unknown */
	enum diag_level level;
	char *msg;
	size_t seq;       /* order of report */
	size_t file_rank; /* order in which its file was first reported */
};

struct diags {
	struct diag *v;
	size_t n, cap;
	int errors, warnings;
	int io_errors; /* errors that are I/O failures (exit 3), not invalid input */
};

void diag_emit(struct diags *d, enum diag_id id, const char *file, int line, int col, ...);
/* For messages that come from libxml2 already formatted, at the level the catalogue gives. */
void diag_emit_text(struct diags *d, enum diag_id id, const char *file, int line, int col,
	const char *text);
/* Moves every diagnostic of from to the end of to (from is left empty). */
void diag_move(struct diags *to, struct diags *from);
/* Prints everything collected, in source order (by file, line, column), and clears it. */
void diag_flush(struct diags *d, FILE *out);
void diag_free(struct diags *d);
const char *diag_format_of(enum diag_id id);
enum diag_level diag_level_of(enum diag_id id);

#endif
