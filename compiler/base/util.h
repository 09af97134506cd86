/* util.h: memory, arenas, growable strings and UTF-8 helpers shared by every stage. */
#ifndef BRIEFC_UTIL_H
#define BRIEFC_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

/* Allocation that never returns NULL: on exhaustion it prints a message and exits 3. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Arena: many small allocations freed in one call. Owned by the stage that made it. */
struct arena_block;
struct arena {
	struct arena_block *head;
};
void *arena_alloc(struct arena *a, size_t n);      /* zeroed, aligned to 16 */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void arena_free(struct arena *a);

/* Growable byte buffer, always NUL-terminated. */
struct buf {
	char *data;
	size_t len, cap;
};
/* Makes room for extra more bytes (and the NUL) after b->len, for a caller that writes them
 * into b->data itself and then sets b->len (and the NUL). */
void buf_reserve(struct buf *b, size_t extra);
void buf_put(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Appends v in fixed point with at most decimals (0..6) fraction digits, trailing zeros and a
 * lone point dropped, never "-0": the PDF number syntax, without printf's cost. */
void buf_fixed(struct buf *b, double v, int decimals);
/* Appends the four upper-case hex digits of a 16-bit code. */
void buf_hex16(struct buf *b, unsigned code);
void buf_free(struct buf *b);

/* FNV-1a hash of n bytes, for the open-addressing tables (struct bmap). */
size_t hash_bytes(const char *s, size_t n);

/* A table from byte strings to values, by open addressing (the model's identifiers, the
 * kerning and hyphenation memos). Keys are copied in; values belong to the caller, freed through bmap_free. */
struct bmap_slot {
	char *key; /* NULL: free */
	size_t keylen;
	void *value;
};
struct bmap {
	struct bmap_slot *slots;
	size_t n, cap;
};
/* The slot for key, the table grown first so that it can take one more: slot->key is NULL
 * when the key is absent, and bmap_claim then makes the slot the key's. */
struct bmap_slot *bmap_slot(struct bmap *m, const void *key, size_t n);
void bmap_claim(struct bmap *m, struct bmap_slot *slot, const void *key, size_t n);
/* The value of key, or NULL when the key is absent (the table is left as it is). */
void *bmap_get(const struct bmap *m, const void *key, size_t n);
void bmap_free(struct bmap *m, void (*free_value)(void *));
/* A whole file's bytes, NUL-terminated (malloc'd), or NULL if it cannot be read. For small
 * files the run itself wrote or the tests read; sources go through xmlread's checks. */
char *file_slurp(const char *path, size_t *len);

/* Growable array of pointers. */
struct vec {
	void **v;
	size_t n, cap;
};
void vec_push(struct vec *v, void *p);
void vec_free(struct vec *v);

/* UTF-8: decode one code point at *s (advancing it); invalid bytes give U+FFFD. */
uint32_t utf8_next(const char **s, const char *end);
size_t utf8_encode(uint32_t cp, char out[4]);
int utf8_valid(const char *s, size_t n);

/* Dates: "YYYY", "YYYY-MM" or "YYYY-MM-DD". Returns 0 if the text is no real date.
 * *precision is 1 (year), 2 (month) or 3 (day); the key orders dates as the first day. */
int date_parse(const char *s, int *y, int *m, int *d, int *precision);
long date_key(int y, int m, int d);
/* Days since 1970-01-01 of the first day a date (of any precision) names; 0 if invalid. */
long date_days(const char *iso);
/* The ticks of a time axis from the date iso (day lo) to day hi: the first days of the
 * months after iso, every month, quarter or year as the span asks (1, 3, 12 months). Returns
 * how many (0 if iso is no date) in a malloc'd array *out. */
struct date_tick {
	long day;
	int year, month;
	const char *abbr; /* "Jan" */
};
int date_ticks(const char *iso, long lo, long hi, struct date_tick **out);
/* Roman numerals, upper or lower case: XIV, xiv. */
void roman_numeral(int n, int upper, char *out, size_t size);
/* Writes "10 November 2020", "November 2020" or "2020" (no-break spaces) into out (>= 32 bytes). */
void date_format(const char *iso, char *out, size_t n);

/* Gives the free memory inside the heap back to the system (glibc's malloc_trim; nothing
 * elsewhere): after a large structure is freed piecemeal, its pages need not stay resident. */
void mem_release(void);

#endif
