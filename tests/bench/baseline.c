/* baseline.c: benchmark floor: writes N pages of positioned text lines with libharu alone (no parsing, no layout). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

/*
 * Usage: baseline --pages N --lines L --chars C [--runs R] --out FILE FONT.ttf [FONT.ttf ...]
 *
 * Every page gets L lines of about C characters of text, spaces aside (words from a fixed
 * list, some in Armenian, Cyrillic and Georgian), each line drawn with one TextOut (or cut
 * into R runs of about equal length with --runs, each its own TextOut), in the first font
 * at 10pt; every tenth line uses the next other font in turn, so that every font given is
 * embedded as a subset, as briefc does.
 * The document is compressed, saved to memory, then written to FILE. Exit 0 on success.
 */

static const char *const S_words[] = {
	"implementation", "reconstruction", "demilitarisation", "accountability",
	"infrastructure", "representatives", "responsibilities", "verification",
	"administration", "consultations", "the", "of", "and", "to", "in", "was", "that",
	"provisional", "comprehensive", "humanitarian", "international", "territorial",
	"commission", "agreed", "ceasefire", "corridor", "withdrawal", "monitoring", "by",
	"negotiations", "observers", "peacekeepers", "authorities", "before", "within",
	"Stepanakert", "Lachin", "Kalbajar", "Yerevan", "Baku", "Moscow", "Tbilisi", "1,960",
	"Արամ", "Գրիգորյան", "Алексей", "Смирнов", "გიორგი", "ბერიძე", "Məmmədov", "Günel",
};
#define S_NWORDS (sizeof S_words / sizeof S_words[0])

struct S_err {
	HPDF_STATUS error, detail;
};

static void S_on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	struct S_err *e = user;
	if (e->error == 0) {
		e->error = error;
		e->detail = detail;
	}
}

/* A small deterministic generator (xorshift32): the same arguments give the same bytes. */
static unsigned S_next(unsigned *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Fills line with words until it holds at least chars characters (code points, spaces aside). */
static void S_line(char *line, size_t cap, int chars, unsigned *seed)
{
	size_t len = 0;
	int n = 0;
	line[0] = '\0';
	while (n < chars) {
		const char *w = S_words[S_next(seed) % S_NWORDS];
		size_t wl = strlen(w);
		if (len + wl + 2 >= cap)
			break;
		if (len > 0)
			line[len++] = ' ';
		memcpy(line + len, w, wl + 1);
		len += wl;
		for (size_t i = 0; i < wl; i++)
			n += ((unsigned char)w[i] & 0xC0) != 0x80;
	}
}

static int S_usage(void)
{
	fprintf(stderr, "usage: baseline --pages N --lines L --chars C [--runs R] --out FILE "
		"FONT.ttf [FONT.ttf ...]\n");
	return 2;
}

int main(int argc, char **argv)
{
	long pages = 0, lines = 0, chars = 0, runs = 1;
	const char *out = NULL;
	const char *fontfiles[16];
	int nfonts = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if ((strcmp(a, "--pages") == 0 || strcmp(a, "--lines") == 0 ||
			strcmp(a, "--chars") == 0 || strcmp(a, "--runs") == 0 ||
			strcmp(a, "--out") == 0) && i + 1 < argc) {
			const char *v = argv[++i];
			if (strcmp(a, "--out") == 0) {
				out = v;
				continue;
			}
			char *end;
			long n = strtol(v, &end, 10);
			if (*end != '\0' || n < 1 || n > 1000000)
				return S_usage();
			if (strcmp(a, "--pages") == 0)
				pages = n;
			else if (strcmp(a, "--lines") == 0)
				lines = n;
			else if (strcmp(a, "--chars") == 0)
				chars = n;
			else
				runs = n;
		} else if (a[0] != '-' && nfonts < 16) {
			fontfiles[nfonts++] = a;
		} else {
			return S_usage();
		}
	}
	if (pages == 0 || lines == 0 || chars == 0 || out == NULL || nfonts == 0)
		return S_usage();

	struct S_err err = {0, 0};
	HPDF_Doc pdf = HPDF_New(S_on_error, &err);
	if (pdf == NULL)
		return 3;
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	if (pages > 8000) /* as briefc does: a tree of page arrays for long documents */
		HPDF_SetPagesConfiguration(pdf, (HPDF_UINT)(pages / 8000 + 1));
	HPDF_Font fonts[16];
	for (int i = 0; i < nfonts; i++) {
		const char *name = HPDF_LoadTTFontFromFile(pdf, fontfiles[i], HPDF_TRUE);
		fonts[i] = name ? HPDF_GetFont(pdf, name, "UTF-8") : NULL;
		if (fonts[i] == NULL) {
			fprintf(stderr, "baseline: cannot load font %s (error 0x%04lX)\n", fontfiles[i],
				(unsigned long)err.error);
			HPDF_Free(pdf);
			return 3;
		}
	}

	unsigned seed = 2463534242u;
	char line[4096];
	const double top = 770, leading = 13.5, left = 70.87;
	for (long p = 0; p < pages && err.error == 0; p++) {
		HPDF_Page page = HPDF_AddPage(pdf);
		if (page == NULL)
			break;
		HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
		HPDF_Page_BeginText(page);
		int cur = -1;
		for (long l = 0; l < lines; l++) {
			int f = 0;
			if (l % 10 == 9 && nfonts > 1)
				f = 1 + (int)((p * lines + l) / 10 % (nfonts - 1));
			if (f != cur)
				HPDF_Page_SetFontAndSize(page, fonts[f], 10);
			cur = f;
			S_line(line, sizeof line, (int)chars, &seed);
			double y = top - (double)(l % 52) * leading;
			if (runs <= 1) {
				HPDF_Page_TextOut(page, (HPDF_REAL)left, (HPDF_REAL)y, line);
				continue;
			}
			/* R runs of about equal length (cut between characters), each placed by itself. */
			size_t len = strlen(line), start = 0;
			for (long r = 1; r <= runs && start < len; r++) {
				size_t cut = r == runs ? len : len * (size_t)r / (size_t)runs;
				while (cut < len && ((unsigned char)line[cut] & 0xC0) == 0x80)
					cut++;
				if (cut <= start)
					continue;
				char save = line[cut];
				line[cut] = '\0';
				HPDF_Page_TextOut(page, (HPDF_REAL)(left + 5.0 * (double)start), (HPDF_REAL)y,
					line + start);
				line[cut] = save;
				start = cut;
			}
		}
		HPDF_Page_EndText(page);
	}

	int rc = 3;
	unsigned char *buf = NULL;
	HPDF_UINT32 size = 0;
	if (err.error == 0 && HPDF_SaveToStream(pdf) == HPDF_OK && err.error == 0) {
		size = HPDF_GetStreamSize(pdf);
		buf = malloc(size ? size : 1);
		HPDF_UINT32 got = size;
		HPDF_ResetStream(pdf);
		HPDF_STATUS r = buf ? HPDF_ReadFromStream(pdf, buf, &got) : HPDF_FAILD_TO_ALLOC_MEM;
		if ((r == HPDF_OK || r == HPDF_STREAM_EOF) && got == size)
			rc = 0;
	}
	if (rc != 0)
		fprintf(stderr, "baseline: libharu error 0x%04lX (detail %lu)\n",
			(unsigned long)err.error, (unsigned long)err.detail);
	HPDF_Free(pdf);
	if (rc == 0) {
		FILE *fp = fopen(out, "wb");
		int ok = fp != NULL && fwrite(buf, 1, size, fp) == size;
		if (fp != NULL && fclose(fp) != 0)
			ok = 0;
		if (!ok) {
			fprintf(stderr, "baseline: cannot write %s: %s\n", out, strerror(errno));
			rc = 3;
		}
	}
	free(buf);
	if (rc == 0)
		printf("%ld pages, %ld lines of %ld characters, %lu bytes\n", pages, pages * lines,
			chars, (unsigned long)size);
	return rc;
}
