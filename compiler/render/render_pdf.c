/* render_pdf.c: writes laid-out pages as a PDF with libharu (fonts embedded as subsets). */
#include "render_pdf.h"
#include "../base/output.h"
#include "../base/util.h"
#include "../read/image.h"

#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>

#include <math.h>

#include <libdeflate.h>

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <hb-ot.h>
#include <hb-subset.h>
#include <hb.h>

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

/* An operator with its n operands: "v1 v2 ... op" on a line of its own. */
static void S_op(struct buf *b, const char *op, int n, const double *v, int decimals)
{
	for (int i = 0; i < n; i++) {
		buf_fixed(b, v[i], decimals);
		buf_putc(b, ' ');
	}
	buf_puts(b, op);
	buf_putc(b, '\n');
}

/* A face as a PDF font: a Type 0 font over a CIDFontType2 whose CIDs are the face's own
 * glyph numbers (Identity-H: a code is its CID), made when a page first draws the face. The
 * glyphs drawn are recorded; pdf_finish adds the font program (HarfBuzz's subset of those
 * glyphs), its widths, the map from CIDs to the subset's glyphs and the ToUnicode map. */
struct S_font {
	HPDF_Dict type0, cid, desc;
	unsigned char used[65536 / 8]; /* a bit per glyph */
	uint32_t *drawn;               /* glyph << 16 | its code point, in order of first use */
	int ndrawn, cap;
	int missed;                    /* a character without a glyph was reported */
};

/* One TJ operator draws a run of text boxes on one baseline in one font, size and colour:
 * the gaps between them (the justified word spaces, the kerning) become TJ's numbers,
 * so a line is one operator instead of a TextOut per word and kerning piece. The codes
 * are the glyphs' numbers in the face, two bytes each in a literal string. Returns the
 * index after the run; *missed is a character the face has no glyph for (a briefc bug: the
 * layout draws each character in a face that has it). */
static int S_text_run(struct buf *ops, struct S_font *font, unsigned *missed, struct fonts *f,
	const struct lay_page *pg, int i)
{
	const struct lay_box *first = &pg->boxes[i];
	S_op(ops, "Tm", 6, (const double[]){1, 0, 0, 1, first->x, first->y}, 3);
	buf_puts(ops, "[(");
	double pen = first->x; /* where the viewer's pen stands after the glyphs so far */
	int k = i;
	for (; k < pg->nboxes; k++) {
		const struct lay_box *b = &pg->boxes[k];
		if (b->kind != LAY_TEXT || b->face != first->face || b->size != first->size ||
			b->y != first->y || memcmp(&b->color, &first->color, sizeof b->color) != 0)
			break;
		double gap = b->x - pen;
		if (k > i && fabs(gap) > 0.0005) {
			buf_puts(ops, ") ");
			buf_fixed(ops, -gap * 1000.0 / b->size, 1);
			buf_puts(ops, " (");
		}
		const char *p = b->text, *end = p + strlen(p);
		while (p < end) {
			uint32_t cp = utf8_next(&p, end);
			int g = font_glyph(f, b->face, cp);
			if (g < 0) {
				if (*missed == 0)
					*missed = cp;
				g = 0;
			}
			S_code(ops, (unsigned)g);
			if (!(font->used[g >> 3] & (1u << (g & 7)))) {
				font->used[g >> 3] |= (unsigned char)(1u << (g & 7));
				if (font->ndrawn == font->cap) {
					font->cap = font->cap ? font->cap * 2 : 256;
					font->drawn = xrealloc(font->drawn, (size_t)font->cap * sizeof *font->drawn);
				}
				font->drawn[font->ndrawn++] = (uint32_t)g << 16 | (cp <= 0xFFFF ? cp : 0xFFFD);
			}
		}
		pen = b->x + font_text_width(f, b->face, b->size, b->text, (size_t)(end - b->text));
	}
	buf_puts(ops, ")] TJ\n");
	return k;
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

/* A link met on a page, kept until every page and anchor exists. */
struct S_link {
	int page;
	HPDF_Rect r;
	char *target;
	int internal;
};

/* Pages per node of the page tree: the root's kids stay far below libharu's array limit
 * (8,191) at any page count a run can reach, without knowing the count in advance. */
#define S_PAGES_PER_NODE 256

struct pdf_out {
	struct S_pdf st; /* libharu's errors */
	HPDF_Doc pdf;
	struct fonts *f;
	const char *file;
	struct diags *d;
	struct S_font **fonts; /* per face, made when first drawn */
	HPDF_Page *pages;
	int npages, pcap;
	struct S_images images;
	struct S_link *links;
	int nlinks, lcap;
	struct buf ops;       /* a content stream being made */
	struct buf zout;      /* ops deflated */
	struct vec annots;    /* the bodies of the link annotations (char *) */
	struct libdeflate_compressor *z; /* (NULL: it could not be made; the document fails) */
	struct pdf_cache *cache; /* (NULL: none; z is then this document's own) */
	int failed;
	int finished; /* pdf_finish succeeded: pdf_write may save the file */
	int spool_fd;    /* the page spool: a temporary file (-1: the streams stay in memory) */
	off_t spool_len;
	int spool_err;   /* errno of a failed write to it */
	struct arena spooled; /* struct S_spooled, one per content stream */
};

/* ---- the page spool ----
 * A finished page's content stream (deflated) is appended to an unnamed temporary file and
 * libharu is given a reader of its bytes there, which it calls when it saves the file: a
 * long document's pages wait on disk, not in memory. Without a temporary file (no TMPDIR,
 * /tmp unwritable) the streams stay in memory, as libharu's own. */
struct S_spooled {
	int fd;
	off_t off;
	HPDF_UINT len, pos;
};

static int S_spool_open(void)
{
	const char *dir = getenv("TMPDIR");
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	int fd = -1;
#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
	if (fd < 0) {
		struct buf b = {0};
		buf_printf(&b, "%s/briefc-spool-XXXXXX", dir);
		fd = mkstemp(b.data);
		if (fd >= 0) {
			unlink(b.data);
			fcntl(fd, F_SETFD, FD_CLOEXEC);
		}
		buf_free(&b);
	}
	return fd;
}

static HPDF_STATUS S_spool_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *size)
{
	struct S_spooled *sp = s->attr;
	HPDF_UINT want = *size < sp->len - sp->pos ? *size : sp->len - sp->pos, got = 0;
	while (got < want) {
		ssize_t r = pread(sp->fd, ptr + got, want - got, sp->off + (off_t)(sp->pos + got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			*size = 0;
			return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, r < 0 ? (HPDF_STATUS)errno : 0);
		}
		got += (HPDF_UINT)r;
	}
	sp->pos += got;
	*size = got;
	return sp->pos == sp->len ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS S_spool_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
	struct S_spooled *sp = s->attr;
	long at = mode == HPDF_SEEK_SET ? pos : mode == HPDF_SEEK_CUR ? (long)sp->pos + pos
		: (long)sp->len + pos;
	if (at < 0 || at > (long)sp->len)
		return HPDF_SetError(s->error, HPDF_STREAM_EOF, 0);
	sp->pos = (HPDF_UINT)at;
	return HPDF_OK;
}

static HPDF_INT32 S_spool_tell(HPDF_Stream s)
{
	return (HPDF_INT32)((struct S_spooled *)s->attr)->pos;
}

static HPDF_UINT32 S_spool_size(HPDF_Stream s)
{
	return ((struct S_spooled *)s->attr)->len;
}

/* A stream of libharu's holding data in memory, in one block of its size. */
static HPDF_Stream S_mem_stream(struct pdf_out *o, const char *data, size_t len)
{
	HPDF_Stream s = HPDF_MemStream_New(o->pdf->mmgr, (HPDF_UINT)(len ? len : 1));
	if (s != NULL && HPDF_Stream_Write(s, (const HPDF_BYTE *)data, (HPDF_UINT)len) != HPDF_OK)
		return NULL; /* (libharu frees it with the document) */
	return s;
}

/* A stream of libharu's holding data: in the spool, or else in memory. NULL on failure. */
static HPDF_Stream S_stream_of(struct pdf_out *o, const char *data, size_t len)
{
	if (o->spool_fd < 0)
		return S_mem_stream(o, data, len);
	if (out_write_fd(o->spool_fd, data, len) != 0) {
		o->spool_err = errno;
		return NULL;
	}
	struct S_spooled *sp = arena_alloc(&o->spooled, sizeof *sp);
	*sp = (struct S_spooled){.fd = o->spool_fd, .off = o->spool_len, .len = (HPDF_UINT)len};
	o->spool_len += (off_t)len;
	return HPDF_CallbackReader_New(o->pdf->mmgr, S_spool_read, S_spool_seek, S_spool_tell,
		S_spool_size, sp);
}

/* libdeflate, not zlib's deflate: whole buffers at once, at zlib's default level about 2.3
 * times as fast and a little smaller (a third of a run's time went to zlib). */
static struct libdeflate_compressor *S_compressor(void)
{
	return libdeflate_alloc_compressor(6);
}

/* A face's font as embedded: its three streams deflated, one after the other in z. */
struct S_embedded {
	struct buf z;
	size_t nfile, nmap; /* (the ToUnicode map: the rest) */
	unsigned len1;      /* the subset's length before deflating (FontFile2's Length1) */
};

static void S_embedded_free(void *p)
{
	struct S_embedded *e = p;
	if (e != NULL)
		buf_free(&e->z);
	free(e);
}

struct pdf_cache {
	struct libdeflate_compressor *z;
	struct bmap fonts; /* face number and drawn[] (sorted) -> struct S_embedded */
	size_t bytes, max_bytes;
	size_t hits;
};

struct pdf_cache *pdf_cache_new(size_t max_bytes)
{
	struct pdf_cache *c = xcalloc(1, sizeof *c);
	c->z = S_compressor();
	c->max_bytes = max_bytes;
	if (c->z == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void pdf_cache_counts(const struct pdf_cache *c, size_t *hits, size_t *held)
{
	*hits = c->hits;
	*held = c->fonts.n;
}

void pdf_cache_free(struct pdf_cache *c)
{
	if (c == NULL)
		return;
	libdeflate_free_compressor(c->z);
	bmap_free(&c->fonts, S_embedded_free);
	free(c);
}

struct pdf_out *pdf_begin(const struct doc *doc, struct fonts *f, struct pdf_cache *cache,
	const char *file, struct diags *d)
{
	struct pdf_out *o = xcalloc(1, sizeof *o);
	o->spool_fd = -1;
	o->f = f;
	o->file = file;
	o->d = d;
	o->pdf = HPDF_New(S_on_error, &o->st);
	if (o->pdf == NULL) {
		diag_emit(d, D_PDF_LIB, file, 0, 0, 0UL, 0UL);
		free(o);
		return NULL;
	}
	/* Page contents are compressed here, page by page as they are finished (so that libharu
	 * holds them small); fonts, images and the rest by libharu when it saves. */
	HPDF_SetCompressionMode(o->pdf, HPDF_COMP_IMAGE | HPDF_COMP_METADATA);
	HPDF_UseUTFEncodings(o->pdf); /* (the document information and the outline's titles) */
	HPDF_SetCurrentEncoder(o->pdf, "UTF-8");
	HPDF_SetPagesConfiguration(o->pdf, S_PAGES_PER_NODE);
	HPDF_SetPageMode(o->pdf, HPDF_PAGE_MODE_USE_OUTLINE);
	o->fonts = xcalloc((size_t)f->nfaces + 1, sizeof *o->fonts);
	/* Document information: from the source, never the clock (set now: libharu copies it,
	 * and the tree may be gone by pdf_finish). */
	HPDF_SetInfoAttr(o->pdf, HPDF_INFO_TITLE, doc->title ? doc->title : "");
	if (doc->author && doc->author[0])
		HPDF_SetInfoAttr(o->pdf, HPDF_INFO_AUTHOR, doc->author);
	if (doc->subject && doc->subject[0])
		HPDF_SetInfoAttr(o->pdf, HPDF_INFO_SUBJECT, doc->subject);
	if (doc->keywords && doc->keywords[0])
		HPDF_SetInfoAttr(o->pdf, HPDF_INFO_KEYWORDS, doc->keywords);
	HPDF_SetInfoAttr(o->pdf, HPDF_INFO_CREATOR, "briefc");
	HPDF_Date date;
	/* a dated snapshot carries its own date; otherwise SOURCE_DATE_EPOCH, else the source */
	if ((doc->as_of == NULL && S_epoch_date(&date)) || S_iso_date(doc->date, &date)) {
		HPDF_SetInfoDateAttr(o->pdf, HPDF_INFO_CREATION_DATE, date);
		HPDF_SetInfoDateAttr(o->pdf, HPDF_INFO_MOD_DATE, date);
	}
	o->cache = cache;
	o->z = cache ? cache->z : S_compressor();
	if (o->z == NULL)
		o->failed = 1;
	o->spool_fd = S_spool_open();
	return o;
}

/* Deflates n bytes through z onto the end of out, in the zlib format that /FlateDecode
 * reads. Returns 0, or -1 when there is no compressor. */
static int S_deflate(struct libdeflate_compressor *z, const void *in, size_t n, struct buf *out)
{
	if (z == NULL)
		return -1;
	size_t bound = libdeflate_zlib_compress_bound(z, n);
	buf_reserve(out, bound);
	size_t made = libdeflate_zlib_compress(z, in, n, out->data + out->len, bound);
	out->len += made;
	out->data[out->len] = '\0';
	return made > 0 ? 0 : -1; /* (the bound always suffices) */
}

/* libharu writes a stream's Filter from its own compression flags, which would compress the
 * data again: streams deflated here name their filter through this hook instead. */
static HPDF_STATUS S_write_flate(HPDF_Dict dict, HPDF_Stream stream)
{
	(void)dict;
	return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* A new indirect dictionary of the document; NULL (and the document failed) when libharu
 * cannot make one. */
static HPDF_Dict S_dict(struct pdf_out *o)
{
	HPDF_Dict d = HPDF_Dict_New(o->pdf->mmgr);
	if (d == NULL || HPDF_Xref_Add(o->pdf->xref, d) != HPDF_OK) { /* (frees d on failure) */
		o->failed = 1;
		return NULL;
	}
	return d;
}

/* A new stream object holding n bytes deflated already (in memory: a few per document,
 * made at its end; the spool is for the pages). */
static HPDF_Dict S_deflated_stream(struct pdf_out *o, const char *z, size_t n)
{
	HPDF_Dict d = HPDF_DictStream_New(o->pdf->mmgr, o->pdf->xref);
	HPDF_Stream st = d != NULL ? S_mem_stream(o, z, n) : NULL;
	if (st == NULL) {
		o->failed = 1;
		return NULL;
	}
	HPDF_Stream_Free(d->stream);
	d->stream = st;
	d->filter = HPDF_STREAM_FILTER_NONE;
	d->write_fn = S_write_flate;
	return d;
}

/* A face's table as bytes; n is set to its length (0 when the face has none). */
static const unsigned char *S_table(hb_face_t *face, hb_tag_t tag, hb_blob_t **blob, unsigned *n)
{
	*blob = hb_face_reference_table(face, tag);
	return (const unsigned char *)hb_blob_get_data(*blob, n);
}

static int S_i16(const unsigned char *p)
{
	return (int16_t)(p[0] << 8 | p[1]);
}

/* The face's PDF font objects, made the first time a page draws it: the Type 0 font, its
 * descendant and the font descriptor with the face's metrics (from its head, post and OS/2
 * tables, in thousandths of an em). What depends on the glyphs drawn comes at the end. */
static struct S_font *S_font(struct pdf_out *o, int face)
{
	if (face < 0 || face >= o->f->nfaces)
		return NULL;
	if (o->fonts[face] != NULL)
		return o->fonts[face]->type0 != NULL ? o->fonts[face] : NULL;
	struct S_font *ft = o->fonts[face] = xcalloc(1, sizeof *ft);
	const struct font_face *ff = &o->f->faces[face];
	hb_font_t *hf = ff->hb_font;
	hb_face_t *hface = hb_font_get_face(hf);
	HPDF_MMgr mm = o->pdf->mmgr;
	HPDF_Dict type0 = S_dict(o), cid = type0 ? S_dict(o) : NULL, desc = cid ? S_dict(o) : NULL;
	HPDF_Dict info = desc ? HPDF_Dict_New(mm) : NULL;
	HPDF_Array kids = info ? HPDF_Array_New(mm) : NULL, bbox = kids ? HPDF_Array_New(mm) : NULL;
	if (bbox == NULL) {
		o->failed = 1;
		return NULL;
	}
	double k = 1000.0 / ff->upem;
	HPDF_STATUS r = HPDF_Dict_AddName(type0, "Type", "Font");
	r |= HPDF_Dict_AddName(type0, "Subtype", "Type0");
	r |= HPDF_Dict_AddName(type0, "Encoding", "Identity-H");
	r |= HPDF_Array_Add(kids, cid);
	r |= HPDF_Dict_Add(type0, "DescendantFonts", kids);
	r |= HPDF_Dict_AddName(cid, "Type", "Font");
	r |= HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
	r |= HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
	r |= HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
	r |= HPDF_Dict_AddNumber(info, "Supplement", 0);
	r |= HPDF_Dict_Add(cid, "CIDSystemInfo", info);
	r |= HPDF_Dict_Add(cid, "FontDescriptor", desc);
	r |= HPDF_Dict_AddNumber(cid, "DW", 1000);
	hb_blob_t *blob;
	unsigned n;
	const unsigned char *head = S_table(hface, HB_TAG('h', 'e', 'a', 'd'), &blob, &n);
	for (int c = 0; c < 4; c++)
		r |= HPDF_Array_AddNumber(bbox, n >= 44 ? (HPDF_INT32)lround(S_i16(head + 36 + 2 * c) * k) : 0);
	hb_blob_destroy(blob);
	const unsigned char *post = S_table(hface, HB_TAG('p', 'o', 's', 't'), &blob, &n);
	double angle = n >= 8 ? S_i16(post + 4) + ((post[6] << 8 | post[7]) / 65536.0) : 0;
	hb_blob_destroy(blob);
	hb_position_t cap = 0;
	hb_glyph_extents_t ext;
	int h = font_glyph(o->f, face, 'H');
	if (!hb_ot_metrics_get_position(hf, HB_OT_METRICS_TAG_CAP_HEIGHT, &cap) || cap <= 0)
		cap = h >= 0 && hb_font_get_glyph_extents(hf, (hb_codepoint_t)h, &ext) ? ext.y_bearing
			: (hb_position_t)(ff->ascent / k); /* (no OS/2 capital height: an H's) */
	r |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
	/* symbolic (4: glyphs outside the standard Latin set), italic (64) */
	r |= HPDF_Dict_AddNumber(desc, "Flags", 4 | (angle != 0 || ff->italic ? 64 : 0));
	r |= HPDF_Dict_Add(desc, "FontBBox", bbox);
	r |= HPDF_Dict_AddReal(desc, "ItalicAngle", (HPDF_REAL)angle);
	r |= HPDF_Dict_AddNumber(desc, "Ascent", (HPDF_INT32)lround(ff->ascent));
	r |= HPDF_Dict_AddNumber(desc, "Descent", (HPDF_INT32)lround(ff->descent));
	r |= HPDF_Dict_AddNumber(desc, "CapHeight", (HPDF_INT32)lround(cap * k));
	r |= HPDF_Dict_AddNumber(desc, "StemV", ff->bold ? 120 : 80);
	if (r != HPDF_OK) {
		o->failed = 1;
		return NULL;
	}
	ft->type0 = type0;
	ft->cid = cid;
	ft->desc = desc;
	return ft;
}

/* A subset's tag (six capital letters before the font's name, as PDF asks of subsets):
 * from the glyphs it holds (ft->drawn, sorted), so that the same glyphs give the same name. */
static void S_tag(const struct S_font *ft, char tag[7])
{
	uint64_t h = 1469598103934665603ULL;
	for (int i = 0; i < ft->ndrawn; i++) {
		h ^= (uint64_t)(ft->drawn[i] >> 16);
		h *= 1099511628211ULL;
	}
	for (int i = 0; i < 6; i++, h /= 26)
		tag[i] = (char)('A' + h % 26);
	tag[6] = '\0';
}

static int S_cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* A face's font as embedded, made from the glyphs drawn (ft->drawn, sorted): the subset
 * (HarfBuzz's subsetter; glyphs renumbered from 1, composites' parts kept), the CIDToGIDMap
 * from the face's glyph numbers to the subset's and the ToUnicode map (each glyph to the
 * character first drawn with it), deflated; NULL when HarfBuzz or libdeflate fails. */
static struct S_embedded *S_embed(struct pdf_out *o, int face, const struct S_font *ft)
{
	const struct font_face *ff = &o->f->faces[face];
	hb_face_t *hface = hb_font_get_face(ff->hb_font);
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_subset_plan_t *plan = NULL;
	hb_face_t *sub = NULL;
	if (in != NULL) {
		/* the layout tables go: the PDF places every glyph itself (and following their
		 * substitutions to close the glyph set is most of the subsetter's work) */
		hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
		static const char layout_tables[][5] = {"GSUB", "GPOS", "GDEF", "BASE", "JSTF",
			"MATH", "kern", "kerx", "morx", "mort", "feat", "trak"};
		for (size_t t = 0; t < sizeof layout_tables / sizeof *layout_tables; t++) {
			const char *g = layout_tables[t];
			hb_set_add(drop, HB_TAG(g[0], g[1], g[2], g[3]));
		}
		/* The glyphs are asked for by the characters that gave them (font_glyph is the
		 * face's cmap): given glyph numbers, HarfBuzz walks the whole cmap to find their
		 * characters, most of the subsetter's time (a million instructions a face and
		 * report); given characters, it looks up only those. .notdef (glyph 0, drawn for
		 * a character the face lacks) is always kept. */
		hb_set_t *chars = hb_subset_input_unicode_set(in);
		for (int i = 0; i < ft->ndrawn; i++)
			if (ft->drawn[i] >> 16 != 0)
				hb_set_add(chars, ft->drawn[i] & 0xFFFF);
		plan = hb_subset_plan_create_or_fail(hface, in);
		hb_subset_input_destroy(in);
	}
	const hb_map_t *to_new = plan ? hb_subset_plan_old_to_new_glyph_mapping(plan) : NULL;
	sub = plan ? hb_subset_plan_execute_or_fail(plan) : NULL;
	hb_blob_t *blob = sub ? hb_face_reference_blob(sub) : NULL;
	unsigned len = 0;
	const char *prog = blob ? hb_blob_get_data(blob, &len) : NULL;
	struct S_embedded *e = xcalloc(1, sizeof *e);
	e->len1 = len;
	int bad = len == 0 || to_new == NULL || S_deflate(o->z, prog, len, &e->z) != 0;
	e->nfile = e->z.len;
	if (!bad) {
		/* the map: two bytes a CID, up to the largest drawn */
		unsigned maxg = ft->ndrawn ? ft->drawn[ft->ndrawn - 1] >> 16 : 0;
		unsigned char *map = xcalloc((size_t)maxg + 1, 2);
		for (int i = 0; i < ft->ndrawn; i++) {
			unsigned g = ft->drawn[i] >> 16, ng = hb_map_get(to_new, g);
			if (ng == HB_MAP_VALUE_INVALID)
				ng = 0;
			map[2 * g] = (unsigned char)(ng >> 8);
			map[2 * g + 1] = (unsigned char)ng;
		}
		bad = S_deflate(o->z, map, 2 * ((size_t)maxg + 1), &e->z) != 0;
		e->nmap = e->z.len - e->nfile;
		free(map);
	}
	if (!bad) {
		/* ToUnicode: bfchar lines, at most 100 to a block */
		struct buf cm = {0};
		buf_puts(&cm, "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
			"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
			"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
			"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
		for (int i = 0; i < ft->ndrawn; i += 100) {
			int m = ft->ndrawn - i < 100 ? ft->ndrawn - i : 100;
			buf_printf(&cm, "%d beginbfchar\n", m);
			for (int j = i; j < i + m; j++)
				buf_printf(&cm, "<%04X> <%04X>\n", ft->drawn[j] >> 16, ft->drawn[j] & 0xFFFF);
			buf_puts(&cm, "endbfchar\n");
		}
		buf_puts(&cm, "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
		bad = S_deflate(o->z, cm.data, cm.len, &e->z) != 0;
		buf_free(&cm);
	}
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	hb_subset_plan_destroy(plan);
	if (bad) {
		S_embedded_free(e);
		return NULL;
	}
	return e;
}

/* The face's font as embedded: from the cache when a document before drew the same glyphs
 * for the same characters, else made (and kept, while the cache has room). *owned: the
 * caller frees it. */
static struct S_embedded *S_embedded(struct pdf_out *o, int face, const struct S_font *ft,
	int *owned)
{
	*owned = 1;
	if (o->cache == NULL)
		return S_embed(o, face, ft);
	struct buf key = {0};
	buf_put(&key, (const char *)&face, sizeof face);
	buf_put(&key, (const char *)ft->drawn, (size_t)ft->ndrawn * sizeof *ft->drawn);
	struct pdf_cache *c = o->cache;
	struct bmap_slot *slot = bmap_slot(&c->fonts, key.data, key.len);
	struct S_embedded *e = slot->key != NULL ? slot->value : S_embed(o, face, ft);
	if (slot->key != NULL) {
		*owned = 0;
		c->hits++;
	} else if (e != NULL) {
		size_t size = sizeof *e + e->z.len + key.len;
		if (c->bytes + size <= c->max_bytes) {
			bmap_claim(&c->fonts, slot, key.data, key.len);
			slot->value = e;
			c->bytes += size;
			*owned = 0;
		}
	}
	buf_free(&key);
	return e;
}

/* Completes a face's font once every page is drawn: the font file, glyph map and ToUnicode
 * map (S_embedded), the widths and the names. */
static void S_font_finish(struct pdf_out *o, int face, struct S_font *ft)
{
	const struct font_face *ff = &o->f->faces[face];
	hb_face_t *hface = hb_font_get_face(ff->hb_font);
	qsort(ft->drawn, (size_t)ft->ndrawn, sizeof *ft->drawn, S_cmp_u32);
	int owned;
	struct S_embedded *e = S_embedded(o, face, ft, &owned);
	HPDF_Dict file = NULL, gidmap = NULL, tounicode = NULL;
	if (e != NULL) {
		file = S_deflated_stream(o, e->z.data, e->nfile);
		gidmap = S_deflated_stream(o, e->z.data + e->nfile, e->nmap);
		tounicode = S_deflated_stream(o, e->z.data + e->nfile + e->nmap,
			e->z.len - e->nfile - e->nmap);
	} else {
		o->failed = 1;
	}
	unsigned len = e ? e->len1 : 0;
	if (owned)
		S_embedded_free(e);
	/* widths: runs of consecutive CIDs, "c [w1 w2 ...]" */
	HPDF_Array w = HPDF_Array_New(o->pdf->mmgr);
	HPDF_Array run = NULL;
	unsigned prev = 0;
	HPDF_STATUS r = w == NULL;
	for (int i = 0; w != NULL && i < ft->ndrawn; i++) {
		unsigned g = ft->drawn[i] >> 16;
		int adv = font_advance(o->f, face, ft->drawn[i] & 0xFFFF);
		if (run == NULL || g != prev + 1) {
			run = HPDF_Array_New(o->pdf->mmgr);
			r |= HPDF_Array_AddNumber(w, (HPDF_INT32)g);
			r |= HPDF_Array_Add(w, run);
		}
		r |= HPDF_Array_AddNumber(run, adv > 0 ? adv : 0);
		prev = g;
	}
	/* the names: a tag, then the face's PostScript name */
	char name[160], ps[128];
	unsigned pn = sizeof ps;
	if (hb_ot_name_get_utf8(hface, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &pn, ps) == 0)
		snprintf(ps, sizeof ps, "%s", ff->family);
	char tag[7];
	S_tag(ft, tag);
	size_t at = (size_t)snprintf(name, sizeof name, "%s+", tag);
	for (const char *c = ps; *c && at < sizeof name - 1; c++)
		if (*c > ' ' && *c < 127 && !strchr("()<>[]{}/%#", *c))
			name[at++] = *c; /* (a PDF name's plain characters) */
	name[at] = '\0';
	if (!o->failed && file && gidmap && tounicode) {
		r |= HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)len);
		r |= HPDF_Dict_Add(ft->desc, "FontFile2", file);
		r |= HPDF_Dict_AddName(ft->desc, "FontName", name);
		r |= HPDF_Dict_AddName(ft->cid, "BaseFont", name);
		r |= HPDF_Dict_Add(ft->cid, "W", w);
		r |= HPDF_Dict_Add(ft->cid, "CIDToGIDMap", gidmap);
		r |= HPDF_Dict_AddName(ft->type0, "BaseFont", name);
		r |= HPDF_Dict_Add(ft->type0, "ToUnicode", tounicode);
		if (r != HPDF_OK)
			o->failed = 1;
	} else {
		o->failed = 1;
	}
}

/* A link annotation written from one string (its dictionary's body, kept in o->annots):
 * libharu's own annotation objects cost a few KiB each in memory, and a long briefing has
 * thousands of links. */
static HPDF_STATUS S_write_body(HPDF_Dict dict, HPDF_Stream stream)
{
	return HPDF_Stream_WriteStr(stream, (const char *)dict->attr);
}

static void S_annot(struct pdf_out *o, HPDF_Page page, char *body)
{
	vec_push(&o->annots, body);
	HPDF_Dict a = HPDF_Dict_New(o->pdf->mmgr);
	if (a == NULL || HPDF_Xref_Add(o->pdf->xref, a) != HPDF_OK) { /* (frees a on failure) */
		o->failed = 1;
		return;
	}
	a->attr = body;
	a->write_fn = S_write_body;
	HPDF_Array annots = HPDF_Dict_GetItem(page, "Annots", HPDF_OCLASS_ARRAY);
	if (annots == NULL) {
		annots = HPDF_Array_New(page->mmgr);
		if (annots == NULL || HPDF_Dict_Add(page, "Annots", annots) != HPDF_OK) {
			o->failed = 1;
			return;
		}
	}
	if (HPDF_Array_Add(annots, a) != HPDF_OK)
		o->failed = 1;
}

/* Deflates o->ops into a content stream of the page and names its filter. The stream's
 * data goes to the spool (or else to one block of the compressed size: libharu's grows by
 * 4 KiB, which a page's few hundred compressed bytes of running head would mostly waste). */
static void S_put_stream(struct pdf_out *o, HPDF_Page page, HPDF_Dict contents)
{
	o->zout.len = 0;
	if (S_deflate(o->z, o->ops.data, o->ops.len, &o->zout) != 0) {
		o->failed = 1;
		return;
	}
	HPDF_Stream s = S_stream_of(o, o->zout.data, o->zout.len);
	if (s == NULL) {
		o->failed = 1;
		return;
	}
	HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
	if (attr->stream == contents->stream)
		attr->stream = s;
	HPDF_Stream_Free(contents->stream);
	contents->stream = s;
	contents->write_fn = S_write_flate;
	o->ops.len = 0;
}

static void S_rgb(struct buf *b, struct style_color c, const char *op)
{
	S_op(b, op, 3, (const double[]){c.r, c.g, c.b}, 4);
}

void pdf_page(void *ctx, const struct layout *l, int p, int late)
{
	struct pdf_out *o = ctx;
	if (o->failed || o->st.error != 0)
		return;
	HPDF_Page page;
	HPDF_Dict contents;
	if (!late) {
		if (p != o->npages) { /* pages come in order, each once */
			o->failed = 1;
			return;
		}
		if (o->npages == o->pcap) {
			o->pcap = o->pcap ? o->pcap * 2 : 64;
			o->pages = xrealloc(o->pages, (size_t)o->pcap * sizeof *o->pages);
		}
		page = o->pages[o->npages++] = HPDF_AddPage(o->pdf);
		if (page == NULL) {
			o->failed = 1;
			return;
		}
		HPDF_Page_SetWidth(page, (HPDF_REAL)l->page_w);
		HPDF_Page_SetHeight(page, (HPDF_REAL)l->page_h);
		contents = ((HPDF_PageAttr)page->attr)->contents;
	} else {
		/* material set at the end goes into a second content stream of the page */
		if (p < 0 || p >= o->npages) {
			o->failed = 1;
			return;
		}
		page = o->pages[p];
		if (HPDF_Page_New_Content_Stream(page, &contents) != HPDF_OK) {
			o->failed = 1;
			return;
		}
	}
	const struct lay_page *pg = &l->pages[p];
	struct buf *ops = &o->ops;
	ops->len = 0;
	/* rules first, then text, then pictures */
	for (int i = 0; i < pg->nboxes; i++) {
		const struct lay_box *b = &pg->boxes[i];
		if (b->kind != LAY_RULE)
			continue;
		S_rgb(ops, b->color, "RG");
		S_op(ops, "w", 1, &b->size, 3);
		S_op(ops, "m", 2, (const double[]){b->x, b->y}, 3);
		S_op(ops, "l", 2, (const double[]){b->x + b->w, b->y + b->h}, 3);
		buf_puts(ops, "S\n");
	}
	int in_text = 0, cur_face = -1;
	double cur_size = -1;
	struct style_color cur_color = {-1, -1, -1};
	for (int i = 0; i < pg->nboxes;) {
		const struct lay_box *b = &pg->boxes[i];
		struct S_font *font = b->kind == LAY_TEXT ? S_font(o, b->face) : NULL;
		if (font == NULL) {
			i++;
			continue;
		}
		if (!in_text) {
			buf_puts(ops, "BT\n");
			in_text = 1;
		}
		if (b->face != cur_face || b->size != cur_size) {
			const char *name = HPDF_Page_GetLocalFontName(page, font->type0);
			if (name == NULL) {
				o->failed = 1;
				break;
			}
			buf_putc(ops, '/');
			buf_puts(ops, name);
			buf_putc(ops, ' ');
			buf_fixed(ops, b->size, 3);
			buf_puts(ops, " Tf\n");
			cur_face = b->face;
			cur_size = b->size;
		}
		if (memcmp(&b->color, &cur_color, sizeof cur_color) != 0) {
			S_rgb(ops, b->color, "rg");
			cur_color = b->color;
		}
		unsigned missed = 0;
		i = S_text_run(ops, font, &missed, o->f, pg, i);
		if (missed != 0 && !font->missed) {
			font->missed = 1;
			const char *base = strrchr(o->f->faces[b->face].file, '/');
			diag_emit(o->d, D_PDF_SUBSET, o->file, 0, 0, missed,
				base ? base + 1 : o->f->faces[b->face].file);
		}
	}
	if (in_text)
		buf_puts(ops, "ET\n");
	/* pictures, decoded by briefc (never by libharu) and embedded as raw pixels */
	for (int i = 0; i < pg->nboxes && o->st.error == 0; i++) {
		const struct lay_box *b = &pg->boxes[i];
		if (b->kind != LAY_IMAGE)
			continue;
		HPDF_Image im = S_image(o->pdf, &o->images, b->target, o->file, o->d);
		const char *name = im ? HPDF_Page_GetXObjectName(page, im) : NULL;
		if (name == NULL)
			continue;
		buf_puts(ops, "q\n");
		S_op(ops, "cm", 6, (const double[]){b->w, 0, 0, b->h, b->x, b->y}, 3);
		buf_putc(ops, '/');
		buf_puts(ops, name);
		buf_puts(ops, " Do\nQ\n");
	}
	S_put_stream(o, page, contents);
	/* links need every page to exist (internal targets may lie ahead): kept for the end */
	for (int i = 0; i < pg->nboxes; i++) {
		const struct lay_box *b = &pg->boxes[i];
		if (b->kind != LAY_LINK)
			continue;
		if (o->nlinks == o->lcap) {
			o->lcap = o->lcap ? o->lcap * 2 : 64;
			o->links = xrealloc(o->links, (size_t)o->lcap * sizeof *o->links);
		}
		o->links[o->nlinks++] = (struct S_link){.page = p, .r = {(HPDF_REAL)b->x,
			(HPDF_REAL)b->y, (HPDF_REAL)(b->x + b->w), (HPDF_REAL)(b->y + b->h)},
			.target = xstrdup(b->target), .internal = b->internal};
	}
}

int pdf_finish(struct pdf_out *o, const struct layout *l)
{
	HPDF_Doc pdf = o->pdf;
	if (o->npages != l->npages)
		o->failed = 1;
	/* the fonts, in the order of the faces */
	for (int i = 0; i < o->f->nfaces && !o->failed && o->st.error == 0; i++)
		if (o->fonts[i] != NULL && o->fonts[i]->type0 != NULL)
			S_font_finish(o, i, o->fonts[i]);
	/* links, their internal targets found among the anchors by name (lay_anchor: log time) */
	for (int i = 0; i < o->nlinks && !o->failed && o->st.error == 0; i++) {
		const struct S_link *k = &o->links[i];
		struct buf b = {0};
		buf_puts(&b, "/Type /Annot\012/Subtype /Link\012/Rect [ ");
		const double r[4] = {k->r.left, k->r.bottom, k->r.right, k->r.top};
		for (int c = 0; c < 4; c++) {
			buf_fixed(&b, r[c], 3);
			buf_putc(&b, ' ');
		}
		buf_puts(&b, "]\012/Border [ 0 0 0 ]\012");
		if (k->internal) {
			const struct lay_anchor *an = lay_anchor(l, k->target);
			if (an == NULL || an->page < 0 || an->page >= o->npages) {
				buf_free(&b);
				continue;
			}
			/* the target page's object number: libharu keeps it in the low 24 bits */
			unsigned id = (unsigned)(o->pages[an->page]->header.obj_id & 0x00FFFFFF);
			buf_printf(&b, "/Dest [ %u 0 R /XYZ 0 ", id);
			buf_fixed(&b, an->y + 12, 3);
			buf_puts(&b, " 1 ]\012/H /N\012");
		} else {
			char *uri = S_uri(k->target); /* printable ASCII, no parenthesis or backslash */
			buf_printf(&b, "/A << /Type /Action /S /URI /URI (%s) >>\012", uri);
			free(uri);
		}
		S_annot(o, o->pages[k->page], b.data);
	}
	/* The outline mirrors the sections. */
	HPDF_Outline parents[4] = {NULL, NULL, NULL, NULL};
	for (int i = 0; i < l->noutline && !o->failed && o->st.error == 0; i++) {
		const struct lay_outline *ol_at = &l->outline[i];
		if (ol_at->page < 0 || ol_at->page >= o->npages)
			continue;
		int lv = ol_at->level < 1 ? 1 : ol_at->level > 3 ? 3 : ol_at->level;
		HPDF_Outline ol = HPDF_CreateOutline(pdf, parents[lv - 1], ol_at->title,
			HPDF_GetEncoder(pdf, "UTF-8"));
		if (ol == NULL)
			break;
		HPDF_Destination dst = HPDF_Page_CreateDestination(o->pages[ol_at->page]);
		HPDF_Destination_SetXYZ(dst, 0, (HPDF_REAL)(ol_at->y + 12), 1);
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
	int rc = -1;
	if (o->spool_err != 0) {
		struct buf m = {0};
		buf_printf(&m, "the temporary file of finished pages: %s", strerror(o->spool_err));
		diag_emit(o->d, D_OUT_WRITE, NULL, 0, 0, m.data);
		buf_free(&m);
	} else if (!o->failed && o->st.error == 0) {
		rc = 0;
	} else {
		diag_emit(o->d, D_PDF_LIB, o->file, 0, 0, (unsigned long)o->st.error,
			(unsigned long)o->st.detail);
	}
	o->finished = rc == 0;
	return rc;
}

/* libharu's writes, most of a few bytes, go through stdio's buffer into the file */
static HPDF_STATUS S_put_file(HPDF_Stream s, const HPDF_BYTE *ptr, HPDF_UINT size)
{
	if (fwrite(ptr, 1, size, s->attr) == size)
		return HPDF_OK;
	return HPDF_SetError(s->error, HPDF_FILE_IO_ERROR, (HPDF_STATUS)errno);
}

int pdf_write(void *ctx, int fd)
{
	struct pdf_out *o = ctx;
	if (!o->finished) {
		errno = EINVAL;
		return -1;
	}
	int own = dup(fd);
	FILE *f = own >= 0 ? fdopen(own, "w") : NULL;
	if (f == NULL) {
		int e = errno;
		if (own >= 0)
			close(own);
		errno = e;
		return -1;
	}
	setvbuf(f, NULL, _IOFBF, 65536);
	/* libharu saves into the document's stream: it becomes a writer to f (libharu frees
	 * the one it had, or the last writer, with the document; their data is nothing) */
	HPDF_Stream w = HPDF_CallbackWriter_New(o->pdf->mmgr, S_put_file, f);
	HPDF_STATUS r = HPDF_INVALID_STREAM;
	if (w != NULL) {
		if (o->pdf->stream != NULL)
			HPDF_Stream_Free(o->pdf->stream);
		o->pdf->stream = w;
		r = HPDF_SaveToStream(o->pdf);
		w->attr = NULL;
	}
	/* a failed write's errno reached libharu's error handler as the error's detail */
	int err = !ferror(f) ? 0 : o->st.error == HPDF_FILE_IO_ERROR && o->st.detail != 0
		? (int)o->st.detail : EIO;
	if (fclose(f) != 0 && err == 0)
		err = errno;
	if (w != NULL && r == HPDF_OK && o->st.error == 0 && err == 0)
		return 0;
	if (err == 0) {
		diag_emit(o->d, D_PDF_LIB, o->file, 0, 0, (unsigned long)o->st.error,
			(unsigned long)o->st.detail);
		err = EIO;
	}
	HPDF_ResetError(o->pdf);
	o->st.error = 0;
	errno = err;
	return -1;
}

void pdf_free(struct pdf_out *o)
{
	if (o == NULL)
		return;
	for (int i = 0; i < o->nlinks; i++)
		free(o->links[i].target);
	free(o->links);
	free(o->pages);
	for (size_t i = 0; i < o->annots.n; i++)
		free(o->annots.v[i]);
	vec_free(&o->annots);
	buf_free(&o->ops);
	buf_free(&o->zout);
	free(o->images.paths);
	free(o->images.images);
	for (int i = 0; o->fonts != NULL && i < o->f->nfaces; i++)
		if (o->fonts[i] != NULL) {
			free(o->fonts[i]->drawn);
			free(o->fonts[i]);
		}
	free(o->fonts);
	HPDF_Free(o->pdf);
	o->pdf = NULL;
	if (o->spool_fd >= 0)
		close(o->spool_fd);
	arena_free(&o->spooled);
	if (o->cache == NULL)
		libdeflate_free_compressor(o->z);
	free(o);
}
