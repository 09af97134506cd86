/* render_pdf.c: writes laid-out pages as a PDF with libharu (fonts embedded, UTF-8). */
#include "render_pdf.h"
#include "../base/util.h"
#include "../read/image.h"

#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>

#include <math.h>

/* Errors are recorded here by libharu's handler and checked at the end; no longjmp. */
struct S_pdf {
	HPDF_STATUS error;
	HPDF_STATUS detail;
};

static void S_on_error(HPDF_STATUS error, HPDF_STATUS detail, void *user)
{
	struct S_pdf *p = user;
	if (p->error == 0) {
		p->error = error;
		p->detail = detail;
	}
}

/* libharu's own ToUnicode CMap uses begincidrange, which readers reject. With the UTF-8
 * encoder a character code is its BMP code point, so the right map is the identity: 256
 * bfrange lines, each within one high byte as the CMap rules require. */
static HPDF_Dict S_identity_tounicode(HPDF_Doc pdf)
{
	HPDF_Dict s = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
	if (s == NULL)
		return NULL;
	s->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	struct buf b = {0};
	buf_puts(&b, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
	for (int blk = 0; blk < 256; blk += 100) {
		int n = 256 - blk < 100 ? 256 - blk : 100;
		buf_printf(&b, "%d beginbfrange\n", n);
		for (int h = blk; h < blk + n; h++) {
			if (h >= 0xD8 && h <= 0xDF)
				buf_printf(&b, "<%02X00> <%02XFF> <FFFD>\n", h, h); /* surrogates: never text */
			else
				buf_printf(&b, "<%02X00> <%02XFF> <%02X00>\n", h, h, h);
		}
		buf_puts(&b, "endbfrange\n");
	}
	buf_puts(&b, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
	HPDF_Stream_Write(s->stream, (HPDF_BYTE *)b.data, (HPDF_UINT)b.len);
	buf_free(&b);
	return s;
}

/* Percent-encodes bytes outside printable ASCII (libharu writes URIs as raw bytes). */
static char *S_uri(const char *u)
{
	struct buf b = {0};
	for (const unsigned char *p = (const unsigned char *)u; *p; p++) {
		if (*p <= 0x20 || *p >= 0x7F || *p == '"' || *p == '<' || *p == '>' || *p == '\\' ||
			*p == '(' || *p == ')')
			buf_printf(&b, "%%%02X", *p);
		else
			buf_putc(&b, (char)*p);
	}
	return b.data ? b.data : xstrdup("");
}

static int S_iso_date(const char *iso, HPDF_Date *out)
{
	int y, m, d, p;
	if (iso == NULL || !date_parse(iso, &y, &m, &d, &p))
		return 0;
	memset(out, 0, sizeof *out);
	out->year = y;
	out->month = m;
	out->day = d;
	out->ind = 'Z';
	return 1;
}

/* SOURCE_DATE_EPOCH (reproducible builds), when set, overrides the source's date. */
static int S_epoch_date(HPDF_Date *out)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	if (e == NULL || *e == '\0')
		return 0;
	char *end;
	long long t = strtoll(e, &end, 10);
	if (*end != '\0' || t < 0 || t > 253402300799LL)
		return 0;
	long long days = t / 86400, rem = t % 86400;
	/* civil from days (Howard Hinnant's algorithm) */
	long long z = days + 719468, era = z / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
	long long m = mp < 10 ? mp + 3 : mp - 9;
	memset(out, 0, sizeof *out);
	out->year = (HPDF_INT)(y + (m <= 2));
	out->month = (HPDF_INT)m;
	out->day = (HPDF_INT)d;
	out->hour = (HPDF_INT)(rem / 3600);
	out->minutes = (HPDF_INT)(rem % 3600 / 60);
	out->seconds = (HPDF_INT)(rem % 60);
	out->ind = 'Z';
	return 1;
}

/* One TJ operator draws a run of text boxes on one baseline in one font, size and colour:
 * the gaps between them (the justified word spaces, the kerning) become TJ's numbers,
 * so a line is one operator instead of a TextOut per word and kerning piece. The codes
 * are the characters' BMP code points (libharu's UTF-8 encoder with Identity-H), two bytes
 * each in a literal string. */
struct S_run {
	struct buf ops, text;
};

/* A two-byte code in a literal string: half the bytes of hex; the delimiters, the backslash
 * and the line ends (which readers would normalise) escaped. */
static void S_code(struct buf *b, unsigned code)
{
	char c[4];
	int n = 0;
	for (int k = 0; k < 2; k++) {
		unsigned char byte = (unsigned char)(k == 0 ? code >> 8 : code & 0xFF);
		if (byte == '(' || byte == ')' || byte == '\\') {
			c[n++] = '\\';
			c[n++] = (char)byte;
		} else if (byte == '\r') {
			c[n++] = '\\';
			c[n++] = 'r';
		} else if (byte == '\n') {
			c[n++] = '\\';
			c[n++] = 'n';
		} else {
			c[n++] = (char)byte;
		}
	}
	buf_put(b, c, (size_t)n);
}

static int S_text_run(HPDF_Page page, HPDF_Font font, struct fonts *f, const struct lay_page *pg,
	int i, struct S_run *r)
{
	const struct lay_box *first = &pg->boxes[i];
	r->ops.len = 0;
	r->text.len = 0;
	buf_puts(&r->ops, "1 0 0 1 ");
	buf_fixed(&r->ops, first->x, 3);
	buf_putc(&r->ops, ' ');
	buf_fixed(&r->ops, first->y, 3);
	buf_puts(&r->ops, " Tm [(");
	double pen = first->x; /* where the viewer's pen stands after the glyphs so far */
	int k = i;
	for (; k < pg->nboxes; k++) {
		const struct lay_box *b = &pg->boxes[k];
		if (b->kind != LAY_TEXT || b->face != first->face || b->size != first->size ||
			b->y != first->y || memcmp(&b->color, &first->color, sizeof b->color) != 0)
			break;
		double gap = b->x - pen;
		if (k > i && fabs(gap) > 0.0005) {
			buf_puts(&r->ops, ") ");
			buf_fixed(&r->ops, -gap * 1000.0 / b->size, 1);
			buf_puts(&r->ops, " (");
		}
		const char *p = b->text, *end = p + strlen(p);
		while (p < end) {
			uint32_t cp = utf8_next(&p, end);
			S_code(&r->ops, cp <= 0xFFFF ? (unsigned)cp : 0xFFFDu);
		}
		buf_put(&r->text, b->text, (size_t)(end - b->text));
		pen = b->x + font_text_width(f, b->face, b->size, b->text, (size_t)(end - b->text));
	}
	buf_puts(&r->ops, ")] TJ\n");
	/* measuring marks the glyphs as used, so that the subset embeds them */
	HPDF_Font_TextWidth(font, (const HPDF_BYTE *)r->text.data, (HPDF_UINT)r->text.len);
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
	HPDF_Stream_Write(attr->stream, (const HPDF_BYTE *)r->ops.data, (HPDF_UINT)r->ops.len); /* NUL bytes inside */
	return k;
}

/* The layout's anchors sorted by name, for finding links' targets in log time. */
static int S_anchor_cmp(const void *a, const void *b)
{
	const struct lay_anchor *x = *(const struct lay_anchor *const *)a;
	const struct lay_anchor *y = *(const struct lay_anchor *const *)b;
	int c = strcmp(x->name, y->name);
	return c != 0 ? c : (x > y) - (x < y); /* equal names keep the layout's order */
}

static const struct lay_anchor *S_find_anchor(const struct lay_anchor **sorted, int n,
	const char *name)
{
	int lo = 0, hi = n - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		int c = strcmp(sorted[mid]->name, name);
		if (c == 0) {
			/* the first of equal names, as lay_anchor finds it */
			while (mid > 0 && strcmp(sorted[mid - 1]->name, name) == 0)
				mid--;
			return sorted[mid];
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

struct S_images {
	const char **paths;
	HPDF_Image *images;
	int n;
};

/* Each image file is embedded once, however often it is drawn. */
static HPDF_Image S_image(HPDF_Doc pdf, struct S_images *c, const char *path, const char *file,
	struct diags *d)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->paths[i], path) == 0)
			return c->images[i];
	struct img im;
	char err[256];
	HPDF_Image h = NULL;
	if (img_load(path, &im, err, sizeof err) != 0) {
		const char *base = strrchr(path, '/');
		diag_emit(d, D_IMAGE_BAD, file, 0, 0, base ? base + 1 : path, err);
	} else {
		h = HPDF_LoadRawImageFromMem(pdf, im.pixels, (HPDF_UINT)im.w, (HPDF_UINT)im.h,
			im.channels == 1 ? HPDF_CS_DEVICE_GRAY : HPDF_CS_DEVICE_RGB, 8);
		img_free(&im);
	}
	c->paths = xrealloc(c->paths, (size_t)(c->n + 1) * sizeof *c->paths);
	c->images = xrealloc(c->images, (size_t)(c->n + 1) * sizeof *c->images);
	c->paths[c->n] = path;
	c->images[c->n++] = h;
	return h;
}

int pdf_render(const struct layout *l, const struct doc *doc, struct fonts *f, const char *file,
	struct diags *d, unsigned char **data, size_t *len)
{
	struct S_pdf st = {0};
	HPDF_Doc pdf = HPDF_New(S_on_error, &st);
	if (pdf == NULL) {
		diag_emit(d, D_PDF_LIB, file, 0, 0, 0UL, 0UL);
		return -1;
	}
	HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(pdf);
	HPDF_SetCurrentEncoder(pdf, "UTF-8");
	if (l->npages > 8000)
		HPDF_SetPagesConfiguration(pdf, (HPDF_UINT)(l->npages / 8000 + 1));
	HPDF_SetPageMode(pdf, HPDF_PAGE_MODE_USE_OUTLINE);

	/* Load only the faces the layout uses, in face order (deterministic). */
	HPDF_Font *fonts = xcalloc((size_t)f->nfaces, sizeof *fonts);
	int *used = xcalloc((size_t)f->nfaces, sizeof *used);
	for (int p = 0; p < l->npages; p++)
		for (int i = 0; i < l->pages[p].nboxes; i++)
			if (l->pages[p].boxes[i].kind == LAY_TEXT)
				used[l->pages[p].boxes[i].face] = 1;
	for (int i = 0; i < f->nfaces && st.error == 0; i++) {
		if (!used[i])
			continue;
		const char *name = HPDF_LoadTTFontFromFile(pdf, f->faces[i].file, HPDF_TRUE);
		if (name == NULL)
			break;
		fonts[i] = HPDF_GetFont(pdf, name, "UTF-8");
		if (fonts[i] == NULL)
			break;
		HPDF_Dict tu = S_identity_tounicode(pdf);
		if (tu != NULL)
			HPDF_Dict_Add(fonts[i], "ToUnicode", tu);
	}

	HPDF_Page *pages = xcalloc((size_t)(l->npages ? l->npages : 1), sizeof *pages);
	struct S_images images = {0};
	struct S_run run = {0};
	for (int p = 0; p < l->npages && st.error == 0; p++) {
		HPDF_Page page = pages[p] = HPDF_AddPage(pdf);
		if (page == NULL)
			break;
		HPDF_Page_SetWidth(page, (HPDF_REAL)l->page_w);
		HPDF_Page_SetHeight(page, (HPDF_REAL)l->page_h);
		const struct lay_page *pg = &l->pages[p];
		/* rules first, then text */
		for (int i = 0; i < pg->nboxes; i++) {
			const struct lay_box *b = &pg->boxes[i];
			if (b->kind != LAY_RULE)
				continue;
			HPDF_Page_SetRGBStroke(page, (HPDF_REAL)b->color.r, (HPDF_REAL)b->color.g,
				(HPDF_REAL)b->color.b);
			HPDF_Page_SetLineWidth(page, (HPDF_REAL)b->size);
			HPDF_Page_MoveTo(page, (HPDF_REAL)b->x, (HPDF_REAL)b->y);
			HPDF_Page_LineTo(page, (HPDF_REAL)(b->x + b->w), (HPDF_REAL)(b->y + b->h));
			HPDF_Page_Stroke(page);
		}
		HPDF_Page_BeginText(page);
		int cur_face = -1;
		double cur_size = -1;
		struct style_color cur_color = {-1, -1, -1};
		for (int i = 0; i < pg->nboxes;) {
			const struct lay_box *b = &pg->boxes[i];
			if (b->kind != LAY_TEXT || fonts[b->face] == NULL) {
				i++;
				continue;
			}
			if (b->face != cur_face || b->size != cur_size) {
				HPDF_Page_SetFontAndSize(page, fonts[b->face], (HPDF_REAL)b->size);
				cur_face = b->face;
				cur_size = b->size;
			}
			if (memcmp(&b->color, &cur_color, sizeof cur_color) != 0) {
				HPDF_Page_SetRGBFill(page, (HPDF_REAL)b->color.r, (HPDF_REAL)b->color.g,
					(HPDF_REAL)b->color.b);
				cur_color = b->color;
			}
			i = S_text_run(page, fonts[b->face], f, pg, i, &run);
		}
		HPDF_Page_EndText(page);
		/* pictures, decoded by briefc (never by libharu) and embedded as raw pixels */
		for (int i = 0; i < pg->nboxes && st.error == 0; i++) {
			const struct lay_box *b = &pg->boxes[i];
			if (b->kind != LAY_IMAGE)
				continue;
			HPDF_Image im = S_image(pdf, &images, b->target, file, d);
			if (im != NULL)
				HPDF_Page_DrawImage(page, im, (HPDF_REAL)b->x, (HPDF_REAL)b->y,
					(HPDF_REAL)b->w, (HPDF_REAL)b->h);
		}
	}
	/* Links need every page to exist (internal targets may lie ahead). */
	const struct lay_anchor **sorted = xmalloc((size_t)(l->nanchors + 1) * sizeof *sorted);
	for (int i = 0; i < l->nanchors; i++)
		sorted[i] = &l->anchors[i];
	qsort(sorted, (size_t)l->nanchors, sizeof *sorted, S_anchor_cmp);
	for (int p = 0; p < l->npages && st.error == 0; p++) {
		const struct lay_page *pg = &l->pages[p];
		for (int i = 0; i < pg->nboxes; i++) {
			const struct lay_box *b = &pg->boxes[i];
			if (b->kind != LAY_LINK)
				continue;
			HPDF_Rect r = {(HPDF_REAL)b->x, (HPDF_REAL)b->y, (HPDF_REAL)(b->x + b->w),
				(HPDF_REAL)(b->y + b->h)};
			HPDF_Annotation a = NULL;
			if (b->internal) {
				const struct lay_anchor *an = S_find_anchor(sorted, l->nanchors, b->target);
				if (an == NULL)
					continue;
				HPDF_Destination dst = HPDF_Page_CreateDestination(pages[an->page]);
				HPDF_Destination_SetXYZ(dst, 0, (HPDF_REAL)(an->y + 12), 1);
				a = HPDF_Page_CreateLinkAnnot(pages[p], r, dst);
				if (a)
					HPDF_LinkAnnot_SetHighlightMode(a, HPDF_ANNOT_NO_HIGHTLIGHT);
			} else {
				char *uri = S_uri(b->target);
				a = HPDF_Page_CreateURILinkAnnot(pages[p], r, uri);
				free(uri);
			}
			if (a)
				HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
		}
	}
	/* The outline mirrors the sections. */
	HPDF_Outline parents[4] = {NULL, NULL, NULL, NULL};
	for (int i = 0; i < l->noutline && st.error == 0; i++) {
		const struct lay_outline *o = &l->outline[i];
		int lv = o->level < 1 ? 1 : o->level > 3 ? 3 : o->level;
		HPDF_Outline parent = parents[lv - 1];
		HPDF_Outline ol = HPDF_CreateOutline(pdf, parent, o->title, HPDF_GetEncoder(pdf, "UTF-8"));
		if (ol == NULL)
			break;
		HPDF_Destination dst = HPDF_Page_CreateDestination(pages[o->page]);
		HPDF_Destination_SetXYZ(dst, 0, (HPDF_REAL)(o->y + 12), 1);
		HPDF_Outline_SetDestination(ol, dst);
		HPDF_Outline_SetOpened(ol, lv == 1 ? HPDF_TRUE : HPDF_FALSE);
		parents[lv] = ol;
		for (int k = lv + 1; k < 4; k++)
			parents[k] = NULL;
	}
	/* Page labels: viewers show the printed numbers (roman front matter, arabic body). */
	if (l->body_page > 0)
		HPDF_AddPageLabel(pdf, 0, HPDF_PAGE_NUM_STYLE_LOWER_ROMAN, 1, NULL);
	HPDF_AddPageLabel(pdf, (HPDF_UINT)l->body_page, HPDF_PAGE_NUM_STYLE_DECIMAL, 1, NULL);
	/* Document information: from the source, never the clock. */
	HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, doc->title ? doc->title : "");
	if (doc->author && doc->author[0])
		HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, doc->author);
	if (doc->subject && doc->subject[0])
		HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, doc->subject);
	if (doc->keywords && doc->keywords[0])
		HPDF_SetInfoAttr(pdf, HPDF_INFO_KEYWORDS, doc->keywords);
	HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "briefc");
	HPDF_Date date;
	/* a dated snapshot carries its own date; otherwise SOURCE_DATE_EPOCH, else the source */
	if ((doc->as_of == NULL && S_epoch_date(&date)) || S_iso_date(doc->date, &date)) {
		HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
		HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
	}

	int rc = -1;
	if (st.error == 0 && HPDF_SaveToStream(pdf) == HPDF_OK && st.error == 0) {
		HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
		unsigned char *buf = xmalloc(size ? size : 1);
		HPDF_UINT32 got = size;
		HPDF_ResetStream(pdf);
		HPDF_STATUS r = HPDF_ReadFromStream(pdf, buf, &got);
		if ((r == HPDF_OK || r == HPDF_STREAM_EOF) && got == size) {
			*data = buf;
			*len = size;
			rc = 0;
		} else {
			free(buf);
		}
	}
	if (rc != 0)
		diag_emit(d, D_PDF_LIB, file, 0, 0, (unsigned long)st.error, (unsigned long)st.detail);
	free(pages);
	free(sorted);
	buf_free(&run.ops);
	buf_free(&run.text);
	free(images.paths);
	free(images.images);
	free(fonts);
	free(used);
	HPDF_Free(pdf);
	return rc;
}
