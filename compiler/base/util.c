/* util.c: memory, arenas, growable strings and UTF-8 helpers shared by every stage. */
#include "util.h"

#include <stdio.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>

static void S_oom(void)
{
	fputs("briefc: error: out of memory\n", stderr);
	exit(3);
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		S_oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (p == NULL)
		S_oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (q == NULL)
		S_oom();
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void mem_release(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/* ---- arena ---- */

struct arena_block {
	struct arena_block *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK 16384

/* n bytes at a multiple of align (a power of two, at most 16) */
static void *S_arena_take(struct arena *a, size_t n, size_t align)
{
	struct arena_block *b = a->head;
	size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
	if (b == NULL || at > b->cap || b->cap - at < n) {
		/* blocks grow from 512 bytes to ARENA_BLOCK: a small arena (a table cell's) stays small */
		size_t next = b == NULL ? 512 : b->cap >= ARENA_BLOCK / 2 ? ARENA_BLOCK : b->cap * 2;
		size_t cap = n > next ? n : next;
		struct arena_block *nb = xmalloc(sizeof *nb + cap);
		nb->used = 0;
		nb->cap = cap;
		if (b != NULL && n > ARENA_BLOCK / 2) {
			/* A large request gets its own block behind the current one. */
			nb->next = b->next;
			b->next = nb;
		} else {
			nb->next = b;
			a->head = nb;
		}
		b = nb;
		at = 0;
	}
	void *p = b->data + at;
	b->used = at + n;
	return p;
}

void *arena_alloc(struct arena *a, size_t n)
{
	void *p = S_arena_take(a, n, 16);
	memset(p, 0, n);
	return p;
}

/* (strings need no alignment: a million short ones lose no padding) */
char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = S_arena_take(a, n + 1, 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	char *p = arena_strndup(a, b.data ? b.data : "", b.len);
	buf_free(&b);
	return p;
}

void arena_free(struct arena *a)
{
	struct arena_block *b = a->head;
	while (b != NULL) {
		struct arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

/* ---- buf ---- */

void buf_reserve(struct buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void buf_put(struct buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	buf_put(b, &c, 1);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_fixed(struct buf *b, double v, int decimals)
{
	static const double scale[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	if (!(v == v) || v > 9e12 || v < -9e12) /* NaN or beyond what a page holds: 0 */
		v = 0;
	double r = v * scale[decimals];
	long long n = (long long)(r < 0 ? r - 0.5 : r + 0.5);
	char tmp[40], *e = tmp + sizeof tmp, *q = e;
	int neg = n < 0;
	unsigned long long u = neg ? (unsigned long long)(-n) : (unsigned long long)n;
	int digits = 0;
	int frac = decimals;
	/* drop trailing zeros of the fraction */
	while (frac > 0 && u % 10 == 0) {
		u /= 10;
		frac--;
	}
	do {
		*--q = (char)('0' + u % 10);
		u /= 10;
		digits++;
		if (digits == frac)
			*--q = '.';
	} while (u > 0 || digits <= frac);
	if (*q == '.')
		*--q = '0';
	if (neg)
		*--q = '-';
	buf_put(b, q, (size_t)(e - q));
}

void buf_hex16(struct buf *b, unsigned code)
{
	static const char hex[] = "0123456789ABCDEF";
	char h[4] = {hex[code >> 12 & 15], hex[code >> 8 & 15], hex[code >> 4 & 15], hex[code & 15]};
	buf_put(b, h, 4);
}

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

static struct bmap_slot *S_bmap_probe(struct bmap_slot *slots, size_t cap, const void *key,
	size_t n)
{
	size_t i = hash_bytes(key, n) & (cap - 1);
	while (slots[i].key != NULL && (slots[i].keylen != n || memcmp(slots[i].key, key, n) != 0))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

struct bmap_slot *bmap_slot(struct bmap *m, const void *key, size_t n)
{
	if (2 * (m->n + 1) > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 1024;
		struct bmap_slot *slots = xcalloc(cap, sizeof *slots);
		for (size_t i = 0; i < m->cap; i++)
			if (m->slots[i].key != NULL)
				*S_bmap_probe(slots, cap, m->slots[i].key, m->slots[i].keylen) = m->slots[i];
		free(m->slots);
		m->slots = slots;
		m->cap = cap;
	}
	return S_bmap_probe(m->slots, m->cap, key, n);
}

void bmap_claim(struct bmap *m, struct bmap_slot *slot, const void *key, size_t n)
{
	slot->key = xmalloc(n ? n : 1);
	memcpy(slot->key, key, n);
	slot->keylen = n;
	slot->value = NULL;
	m->n++;
}

void *bmap_get(const struct bmap *m, const void *key, size_t n)
{
	if (m->cap == 0)
		return NULL;
	const struct bmap_slot *s = S_bmap_probe(m->slots, m->cap, key, n);
	return s->key != NULL ? s->value : NULL;
}

void bmap_free(struct bmap *m, void (*free_value)(void *))
{
	for (size_t i = 0; i < m->cap; i++) {
		if (m->slots[i].key == NULL)
			continue;
		free(m->slots[i].key);
		if (free_value)
			free_value(m->slots[i].value);
	}
	free(m->slots);
	memset(m, 0, sizeof *m);
}

size_t hash_bytes(const char *s, size_t n)
{
	size_t x = 1469598103934665603u;
	for (size_t i = 0; i < n; i++)
		x = (x ^ (unsigned char)s[i]) * 1099511628211u;
	return x;
}

char *file_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	struct buf b = {0};
	char tmp[8192];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_put(&b, tmp, n);
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		buf_free(&b);
		return NULL;
	}
	if (len)
		*len = b.len;
	return b.data ? b.data : xstrdup("");
}

/* ---- vec ---- */

void vec_push(struct vec *v, void *p)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8;
		v->v = xrealloc(v->v, v->cap * sizeof *v->v);
	}
	v->v[v->n++] = p;
}

void vec_free(struct vec *v)
{
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}

/* ---- UTF-8 ---- */

uint32_t utf8_next(const char **sp, const char *end)
{
	const unsigned char *s = (const unsigned char *)*sp;
	const unsigned char *e = (const unsigned char *)end;
	uint32_t cp;
	int extra;
	if (s >= e)
		return 0;
	if (s[0] < 0x80) {
		*sp += 1;
		return s[0];
	} else if ((s[0] & 0xE0) == 0xC0) {
		cp = s[0] & 0x1F;
		extra = 1;
	} else if ((s[0] & 0xF0) == 0xE0) {
		cp = s[0] & 0x0F;
		extra = 2;
	} else if ((s[0] & 0xF8) == 0xF0) {
		cp = s[0] & 0x07;
		extra = 3;
	} else {
		*sp += 1;
		return 0xFFFD;
	}
	if (e - s <= extra) {
		*sp = end;
		return 0xFFFD;
	}
	for (int i = 1; i <= extra; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*sp += i;
			return 0xFFFD;
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	*sp += extra + 1;
	static const uint32_t min[4] = {0, 0x80, 0x800, 0x10000};
	if (cp < min[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0xFFFD;
	return cp;
}

size_t utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

int utf8_valid(const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *before = p;
		uint32_t cp = utf8_next(&p, end);
		if (cp == 0xFFFD && !(p - before == 3 && (unsigned char)before[0] == 0xEF))
			return 0;
	}
	return 1;
}

/* ---- dates ---- */

static int S_digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static int S_days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

int date_parse(const char *s, int *y, int *m, int *d, int *precision)
{
	size_t n = strlen(s);
	*m = 1;
	*d = 1;
	if (n != 4 && n != 7 && n != 10)
		return 0;
	if ((*y = S_digits(s, 4)) < 1)
		return 0;
	*precision = 1;
	if (n >= 7) {
		if (s[4] != '-' || (*m = S_digits(s + 5, 2)) < 1 || *m > 12)
			return 0;
		*precision = 2;
	}
	if (n == 10) {
		if (s[7] != '-' || (*d = S_digits(s + 8, 2)) < 1 || *d > S_days_in_month(*y, *m))
			return 0;
		*precision = 3;
	}
	return 1;
}

long date_key(int y, int m, int d)
{
	return (long)y * 10000 + m * 100 + d;
}

long date_days(const char *iso)
{
	int y, m, d, p;
	if (iso == NULL || !date_parse(iso, &y, &m, &d, &p))
		return 0;
	/* days from the civil calendar (proleptic Gregorian), after Howard Hinnant */
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int date_ticks(const char *iso, long lo, long hi, struct date_tick **out)
{
	static const char *abbr[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
		"Sep", "Oct", "Nov", "Dec"};
	*out = NULL;
	int y, m, d, p;
	if (iso == NULL || !date_parse(iso, &y, &m, &d, &p))
		return 0;
	long span = hi > lo ? hi - lo : 1;
	int step = span > 3 * 365 ? 12 : span > 18 * 31 ? 3 : 1;
	int n = 0, cap = 0;
	for (;;) {
		if (++m > 12) {
			m = 1;
			y++;
		}
		char first[16];
		snprintf(first, sizeof first, "%04d-%02d-01", y, m);
		long day = date_days(first);
		if (day > hi || y > 9999)
			break;
		if ((m - 1) % step != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, (size_t)cap * sizeof **out);
		}
		(*out)[n++] = (struct date_tick){.day = day, .year = y, .month = m, .abbr = abbr[m - 1]};
	}
	return n;
}

void date_format(const char *iso, char *out, size_t n)
{
	static const char *months[12] = {"January", "February", "March", "April", "May", "June",
		"July", "August", "September", "October", "November", "December"};
	int y, m, d, p;
	if (iso == NULL || !date_parse(iso, &y, &m, &d, &p)) {
		snprintf(out, n, "%s", iso ? iso : "");
		return;
	}
	if (p == 3)
		snprintf(out, n, "%d\u00a0%s\u00a0%d", d, months[m - 1], y);
	else if (p == 2)
		snprintf(out, n, "%s\u00a0%d", months[m - 1], y);
	else
		snprintf(out, n, "%d", y);
}

void roman_numeral(int n, int upper, char *out, size_t size)
{
	static const struct {
		int v;
		const char *s;
	} r[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"},
		{50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}};
	size_t k = 0;
	if (size == 0)
		return;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof r / sizeof *r && n > 0; i++)
		while (n >= r[i].v && k + strlen(r[i].s) < size) {
			for (const char *c = r[i].s; *c; c++)
				out[k++] = upper ? (char)(*c - 32) : *c;
			out[k] = '\0';
			n -= r[i].v;
		}
}
