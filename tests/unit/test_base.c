/* test_base.c: unit tests of the shared helpers: UTF-8, dates, diagnostics, arenas, output. */
#include "unit.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/output.h"
#include "base/sha256.h"
#include "base/take.h"
#include "base/util.h"

static void test_utf8_decode(void)
{
	const char *s = "A\xC3\xA9\xE2\x80\x94\xF0\x9F\x98\x80";
	const char *p = s, *end = s + strlen(s);
	CHECK(utf8_next(&p, end) == 'A');
	CHECK(utf8_next(&p, end) == 0xE9);
	CHECK(utf8_next(&p, end) == 0x2014);
	CHECK(utf8_next(&p, end) == 0x1F600);
	CHECK(p == end);
}

static void test_utf8_invalid(void)
{
	/* overlong, surrogate, truncated, stray continuation */
	const char *bad[] = {"\xC0\xAF", "\xED\xA0\x80", "\xE2\x80", "\x80", "\xF8\x88\x80\x80\x80"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *p = bad[i], *end = p + strlen(p);
		CHECK_MSG(utf8_next(&p, end) == 0xFFFD, "case %zu decodes to a character", i);
		CHECK_MSG(!utf8_valid(bad[i], strlen(bad[i])), "case %zu is called valid", i);
	}
	CHECK(utf8_valid("\xEF\xBF\xBD ok", 6)); /* a real U+FFFD is valid */
}

static void test_utf8_roundtrip(void)
{
	uint32_t cps[] = {0x41, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x10FFFF};
	for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
		char b[4];
		size_t n = utf8_encode(cps[i], b);
		const char *p = b;
		CHECK_MSG(utf8_next(&p, b + n) == cps[i], "U+%04X", (unsigned)cps[i]);
	}
}

static void test_date_parse(void)
{
	int y, m, d, p;
	CHECK(date_parse("2020-11-10", &y, &m, &d, &p) && y == 2020 && m == 11 && d == 10 && p == 3);
	CHECK(date_parse("2020-11", &y, &m, &d, &p) && p == 2 && d == 1);
	CHECK(date_parse("2020", &y, &m, &d, &p) && p == 1);
	CHECK(date_parse("2020-02-29", &y, &m, &d, &p));
	CHECK(!date_parse("2021-02-29", &y, &m, &d, &p));
	CHECK(!date_parse("1900-02-29", &y, &m, &d, &p));
	CHECK(date_parse("2000-02-29", &y, &m, &d, &p));
	CHECK(!date_parse("2020-13-01", &y, &m, &d, &p));
	CHECK(!date_parse("2020-04-31", &y, &m, &d, &p));
	CHECK(!date_parse("2020-1-01", &y, &m, &d, &p));
	CHECK(!date_parse("20201110", &y, &m, &d, &p));
	CHECK(!date_parse("0000", &y, &m, &d, &p));
	CHECK(date_key(2020, 11, 10) < date_key(2020, 12, 1));
}

static void test_date_format(void)
{
	char b[64];
	date_format("2021-01-11", b, sizeof b);
	CHECK_MSG(strcmp(b, "11\u00A0January\u00A02021") == 0, "got '%s'", b);
	date_format("2020-11", b, sizeof b);
	CHECK_MSG(strcmp(b, "November\u00A02020") == 0, "got '%s'", b);
	date_format("2020", b, sizeof b);
	CHECK(strcmp(b, "2020") == 0);
}

static void test_diag_order_and_format(void)
{
	struct diags d = {0};
	diag_emit(&d, D_UNDEF_REF, "b.xml", 9, 0, "actor", "x");
	diag_emit(&d, D_BAD_DATE, "b.xml", 3, 0, "2020-02-30");
	diag_emit(&d, D_XML_SYNTAX, "b.xml", 3, 7, "oops");
	diag_emit(&d, D_UNUSED_TOPIC, "b.xml", 1, 0, "t");
	CHECK_MSG(d.errors == 3 && d.warnings == 1, "errors %d warnings %d", d.errors, d.warnings);
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	diag_flush(&d, f);
	fclose(f);
	const char *want =
		"b.xml:1: warning: topic 't' is declared but nothing is tagged with it\n"
		"b.xml:3: error: '2020-02-30' is not a real date (expected YYYY-MM-DD, YYYY-MM or YYYY)\n"
		"b.xml:3:7: error: oops\n"
		"b.xml:9: error: actor 'x' is not declared\n";
	CHECK_MSG(strcmp(out, want) == 0, "got:\n%s", out);
	free(out);
	diag_free(&d);
}

static void test_arena(void)
{
	struct arena a = {0};
	char *big = arena_alloc(&a, 1 << 20);
	memset(big, 1, 1 << 20);
	for (int i = 0; i < 10000; i++) {
		char *s = arena_printf(&a, "item %d", i);
		CHECK_MSG(strncmp(s, "item ", 5) == 0, "%s", s);
		if (unit_current->failed)
			break;
	}
	char *p = arena_alloc(&a, 3);
	CHECK(((uintptr_t)p & 15) == 0);
	arena_free(&a);
	CHECK(a.head == NULL);
}

static void test_atomic_write(void)
{
	char dir[] = "/tmp/briefc-unit-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[256], err[256];
	snprintf(path, sizeof path, "%s/out.pdf", dir);
	CHECK(out_write_atomic(path, "first", 5, OUT_SYNC, err, sizeof err) == 0);
	CHECK(out_write_atomic(path, "second!", 7, OUT_SYNC, err, sizeof err) == 0);
	struct stat st;
	CHECK(stat(path, &st) == 0 && st.st_size == 7);
	/* a path in a missing directory fails cleanly and names the file */
	char bad[300];
	snprintf(bad, sizeof bad, "%s/missing/out.pdf", dir);
	CHECK(out_write_atomic(bad, "x", 1, OUT_SYNC, err, sizeof err) != 0);
	CHECK_MSG(strstr(err, "missing/out.pdf") != NULL, "err: %s", err);
	unlink(path);
	CHECK(rmdir(dir) == 0); /* nothing else (no temporary) was left behind */
}

/* A staged write (not synced: the publisher syncs the directory) is as whole and leaves as
 * little behind as a synced one; out_sync_path syncs files and directories, and names a
 * missing path's failure. */
static void test_atomic_write_staged(void)
{
	char dir[] = "/tmp/briefc-unit-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[256], err[256];
	snprintf(path, sizeof path, "%s/r.tex", dir);
	CHECK(out_write_atomic(path, "staged", 6, OUT_STAGED, err, sizeof err) == 0);
	CHECK(out_write_atomic(path, "staged again", 12, OUT_STAGED, err, sizeof err) == 0);
	char got[32] = "";
	FILE *f = fopen(path, "rb");
	CHECK(f != NULL);
	size_t n = f ? fread(got, 1, sizeof got - 1, f) : 0;
	if (f)
		fclose(f);
	CHECK(n == 12 && memcmp(got, "staged again", 12) == 0);
	struct stat st;
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
	CHECK(out_sync_path(path) == 0);
	CHECK(out_sync_path(dir) == 0);
	char missing[300];
	snprintf(missing, sizeof missing, "%s/missing", dir);
	errno = 0;
	CHECK(out_sync_path(missing) == -1 && errno == ENOENT);
	unlink(path);
	CHECK(rmdir(dir) == 0); /* no temporary left */
}

/* Files written to be named later: nothing of them is seen in their directory until
 * out_later_publish names them (content whole, mode 0644, each told to done in the order
 * kept); a file that cannot be named (its path is a directory) is reported with its path
 * and leaves nothing; out_later_free throws the rest away, the earlier file untouched. */
struct later_seen {
	int n, tags[8], failed[8];
	char msg[256];
};

static void later_done(void *ctx, int tag, const char *path, const char *msg)
{
	struct later_seen *s = ctx;
	if (s->n < 8) {
		s->tags[s->n] = tag;
		s->failed[s->n] = msg != NULL;
	}
	s->n++;
	if (msg != NULL)
		snprintf(s->msg, sizeof s->msg, "%s", msg);
	(void)path;
}

static int later_writer(void *ctx, int fd)
{
	return out_write_fd(fd, ctx, strlen(ctx));
}

static int dir_entries(const char *dir)
{
	int n = 0;
	DIR *d = opendir(dir);
	for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d != NULL)
		closedir(d);
	return n;
}

static int file_is(const char *path, const char *want)
{
	size_t n = 0;
	char *got = file_slurp(path, &n);
	int same = got != NULL && n == strlen(want) && memcmp(got, want, n) == 0;
	free(got);
	return same;
}

static void test_write_later(void)
{
	char dir[] = "/tmp/briefc-unit-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char a[256], b[256], sub[256], err[256];
	snprintf(a, sizeof a, "%s/a.pdf", dir);
	snprintf(b, sizeof b, "%s/b.tex", dir);
	snprintf(sub, sizeof sub, "%s/sub", dir);
	CHECK(out_write_atomic(a, "old", 3, OUT_SYNC, err, sizeof err) == 0);
	CHECK(mkdir(sub, 0755) == 0);
	struct out_later l = {0};
	CHECK(out_write_later(&l, 7, a, later_writer, "new a", NULL, 0, err, sizeof err) == 0);
	CHECK(out_write_later(&l, 3, b, NULL, NULL, "bee", 3, err, sizeof err) == 0);
	CHECK(out_write_later(&l, 5, sub, NULL, NULL, "x", 1, err, sizeof err) == 0);
	CHECK(l.n == 3);
	CHECK_MSG(dir_entries(dir) == 2, "%d entries before naming", dir_entries(dir)); /* a, sub */
	CHECK(file_is(a, "old"));
	struct later_seen seen = {0};
	out_later_publish(&l, later_done, &seen);
	CHECK(l.n == 0);
	CHECK(seen.n == 3 && seen.tags[0] == 7 && seen.tags[1] == 3 && seen.tags[2] == 5);
	CHECK(!seen.failed[0] && !seen.failed[1] && seen.failed[2]);
	CHECK_MSG(strstr(seen.msg, "/sub: ") != NULL, "msg: %s", seen.msg);
	CHECK(file_is(a, "new a") && file_is(b, "bee"));
	struct stat st;
	CHECK(stat(b, &st) == 0 && (st.st_mode & 0777) == 0644);
	CHECK(stat(sub, &st) == 0 && S_ISDIR(st.st_mode)); /* untouched */
	CHECK_MSG(dir_entries(dir) == 3, "%d entries: a temporary left?", dir_entries(dir));
	/* kept, then thrown away: a stays as it was */
	CHECK(out_write_later(&l, 1, a, NULL, NULL, "never", 5, err, sizeof err) == 0);
	out_later_free(&l);
	CHECK(l.n == 0 && l.v == NULL);
	CHECK(file_is(a, "new a"));
	CHECK(dir_entries(dir) == 3);
	/* a directory that does not exist: refused at once, named, nothing kept */
	char bad[300];
	snprintf(bad, sizeof bad, "%s/missing/c.pdf", dir);
	CHECK(out_write_later(&l, 2, bad, NULL, NULL, "c", 1, err, sizeof err) != 0);
	CHECK_MSG(strstr(err, "missing/c.pdf") != NULL, "err: %s", err);
	CHECK(l.n == 0);
	out_later_free(&l);
	unlink(a);
	unlink(b);
	rmdir(sub);
	CHECK(rmdir(dir) == 0);
}

static void test_sha256_vectors(void)
{
	struct sha256 c;
	char h[65];
	sha256_init(&c);
	sha256_update(&c, "abc", 3);
	sha256_hex(&c, h);
	CHECK(strcmp(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);
	sha256_init(&c);
	sha256_hex(&c, h);
	CHECK(strcmp(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0);
	sha256_init(&c);
	const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	for (size_t i = 0; i < strlen(m); i++) /* byte by byte: the buffering across blocks */
		sha256_update(&c, m + i, 1);
	sha256_hex(&c, h);
	CHECK(strcmp(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1") == 0);
	/* the processor's SHA instructions (where it has them) and the portable code agree,
	 * on every length across a few blocks, fed whole and in uneven pieces */
	unsigned char data[1000];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof data; i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (unsigned char)(x >> 16);
	}
	int differ = 0;
	for (size_t n = 0; n <= sizeof data && !differ; n += n < 200 ? 1 : 37) {
		char a[65], b[65];
		struct sha256 fast, slow;
		sha256_init(&fast);
		sha256_init(&slow);
		slow.fast = 0;
		sha256_update(&fast, data, n);
		for (size_t i = 0; i < n; i += 1 + i % 70)
			sha256_update(&slow, data + i, (1 + i % 70) < n - i ? 1 + i % 70 : n - i);
		sha256_hex(&fast, a);
		sha256_hex(&slow, b);
		differ = strcmp(a, b) != 0;
		CHECK_MSG(!differ, "%zu bytes: %s (instructions: %d) / %s (portable)", n, a, fast.fast, b);
	}
	/* a million 'a's (FIPS 180-2's long vector), both ways */
	for (int way = 0; way < 2; way++) {
		static unsigned char aaa[1000];
		memset(aaa, 'a', sizeof aaa);
		sha256_init(&c);
		if (way == 1)
			c.fast = 0;
		for (int i = 0; i < 1000; i++)
			sha256_update(&c, aaa, sizeof aaa);
		sha256_hex(&c, h);
		CHECK_MSG(strcmp(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0,
			"a million a's (%s): %s", way ? "portable" : "as initialised", h);
	}
}

static void test_date_days(void)
{
	CHECK(date_days("1970-01-01") == 0);
	CHECK(date_days("2020-11-10") - date_days("2020-11-09") == 1);
	CHECK(date_days("2021-03-01") - date_days("2021-02-28") == 1);
	CHECK(date_days("2020-03-01") - date_days("2020-02-28") == 2);
	CHECK(date_days("2020-11") == date_days("2020-11-01"));
	CHECK(date_days("nonsense") == 0);
}

/* A time axis's ticks: monthly for a short span, quarterly, then yearly. */
static void test_date_ticks(void)
{
	struct date_tick *t;
	int n = date_ticks("2020-11-10", date_days("2020-11-10"), date_days("2021-02-15"), &t);
	CHECK_MSG(n == 3 && t[0].month == 12 && t[0].year == 2020 && t[2].month == 2 &&
		t[0].day == date_days("2020-12-01") && strcmp(t[1].abbr, "Jan") == 0,
		"short span: %d ticks", n);
	free(t);
	n = date_ticks("2020-11-10", date_days("2020-11-10"), date_days("2022-06-30"), &t);
	int quarters = n > 0;
	for (int i = 0; i < n; i++)
		quarters &= (t[i].month - 1) % 3 == 0;
	CHECK_MSG(n == 6 && quarters && t[0].month == 1 && t[0].year == 2021, "two years: %d ticks", n);
	free(t);
	n = date_ticks("2020-11-10", date_days("2020-11-10"), date_days("2026-03-01"), &t);
	CHECK_MSG(n == 6 && t[0].month == 1 && t[0].year == 2021 && t[5].year == 2026,
		"five years: %d ticks", n);
	free(t);
	CHECK(date_ticks("not a date", 0, 100, &t) == 0 && t == NULL);
}

static void test_buf_fixed(void)
{
	struct { double v; int d; const char *want; } cases[] = {
		{12.5, 3, "12.5"}, {0.05, 3, "0.05"}, {0, 3, "0"}, {-0.0001, 3, "0"},
		{-3.25, 1, "-3.3"}, {100, 0, "100"}, {7, 3, "7"}, {595.276, 3, "595.276"},
		{-1234.5678, 2, "-1234.57"}, {0.9996, 3, "1"}, {1e300, 3, "0"}, {0.0 / 0.0, 2, "0"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct buf b = {0};
		buf_fixed(&b, cases[i].v, cases[i].d);
		CHECK_MSG(b.data && strcmp(b.data, cases[i].want) == 0, "%g with %d decimals gave %s, not %s",
			cases[i].v, cases[i].d, b.data ? b.data : "(nothing)", cases[i].want);
		buf_free(&b);
	}
	/* against printf on a sweep of values */
	for (int k = -20000; k <= 20000; k += 7) {
		double v = k / 64.0 + 1 / 1024.0; /* exact in binary, never a tie at 3 decimals */
		struct buf b = {0};
		buf_fixed(&b, v, 3);
		char ref[64];
		snprintf(ref, sizeof ref, "%.3f", v);
		char *e = ref + strlen(ref) - 1;
		while (*e == '0')
			*e-- = '\0';
		if (*e == '.')
			*e = '\0';
		if (strcmp(ref, "-0") == 0)
			strcpy(ref, "0");
		CHECK_MSG(b.data && strcmp(b.data, ref) == 0, "%g: %s, printf says %s", v,
			b.data ? b.data : "(nothing)", ref);
		buf_free(&b);
	}
	struct buf h = {0};
	buf_hex16(&h, 0x0041);
	buf_hex16(&h, 0xFFFD);
	CHECK(strcmp(h.data, "0041FFFD") == 0);
	buf_free(&h);
}

/* A reader of n bytes of a pattern, in pieces of odd sizes; fails at fail_at when >= 0. */
struct S_pat {
	long n, fail_at; /* bytes to write; fail after this many (-1: never) */
	int calls;
};

/* Writes the pattern in uneven pieces, as libharu does. */
static int S_pat_write(void *ctx, int fd)
{
	struct S_pat *p = ctx;
	p->calls++;
	char piece[9973];
	for (long pos = 0; pos < p->n;) {
		if (p->fail_at >= 0 && pos >= p->fail_at) {
			errno = ENOSPC;
			return -1;
		}
		long k = p->n - pos < (long)sizeof piece ? p->n - pos : (long)sizeof piece;
		for (long i = 0; i < k; i++)
			piece[i] = (char)('a' + (pos + i) % 26);
		if (out_write_fd(fd, piece, (size_t)k) != 0)
			return -1;
		pos += k;
	}
	return 0;
}

static void test_atomic_write_with_writer(void)
{
	char dir[] = "/tmp/briefc-unit-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[256], err[256];
	snprintf(path, sizeof path, "%s/out.pdf", dir);
	struct S_pat p = {.n = 200000, .fail_at = -1};
	CHECK(out_write_atomic_with(path, S_pat_write, &p, OUT_SYNC, err, sizeof err) == 0);
	CHECK(p.calls >= 1);
	size_t len = 0;
	char *data = file_slurp(path, &len);
	CHECK(data != NULL && len == 200000);
	int same = data != NULL;
	for (size_t i = 0; same && i < len; i++)
		same = data[i] == (char)('a' + i % 26);
	CHECK_MSG(same, "the file is not what the writer wrote");
	free(data);
	/* a writer failing half way: an error naming the cause, and the earlier file intact */
	struct S_pat bad = {.n = 500000, .fail_at = 100000};
	CHECK(out_write_atomic_with(path, S_pat_write, &bad, OUT_SYNC, err, sizeof err) != 0);
	CHECK_MSG(strstr(err, strerror(ENOSPC)) != NULL, "message: %s", err);
	struct stat st;
	CHECK(stat(path, &st) == 0 && st.st_size == 200000);
	unlink(path);
	CHECK(rmdir(dir) == 0); /* no temporary left behind */
}

static void test_bmap(void)
{
	struct bmap m = {0};
	char key[32];
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(key, sizeof key, "w%d", i);
		struct bmap_slot *sl = bmap_slot(&m, key, (size_t)n);
		CHECK_MSG(sl->key == NULL, "%s found before it was added", key);
		bmap_claim(&m, sl, key, (size_t)n);
		int *v = xmalloc(sizeof *v);
		*v = i;
		sl->value = v;
	}
	CHECK(m.n == 5000 && m.cap >= 10000);
	int ok = 1;
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(key, sizeof key, "w%d", i);
		struct bmap_slot *sl = bmap_slot(&m, key, (size_t)n);
		ok &= sl->key != NULL && *(int *)sl->value == i;
	}
	CHECK_MSG(ok, "a key lost its value across the table's growth");
	/* keys are bytes: a NUL inside and a prefix are other keys */
	struct bmap_slot *a = bmap_slot(&m, "w1\0x", 4);
	CHECK(a->key == NULL);
	CHECK(bmap_slot(&m, "w", 1)->key == NULL);
	CHECK(m.n == 5000);
	bmap_free(&m, free);
	CHECK(m.slots == NULL && m.n == 0);
}

/* A batch's jobs taken by two processes (simulated: the one that is free first takes the
 * next; jobs of kind 0 cost two, the others one): every job once; a date's jobs before any
 * of a later date; the first job is the order's first; within a date a process takes a
 * kind it made before whenever one is left, and that changes what the plain order would
 * have given it. Then two real processes take from one shared table at once: each job
 * once. */
static void test_take_by_date_and_kind(void)
{
	enum { DATES = 3, KINDS = 4, N = DATES * KINDS };
	const char *date[N];
	int kind[N], order[N], got[N] = {0};
	static const char *days[DATES] = {"2021-01-01", "2021-02-01", "2021-03-01"};
	for (int i = 0; i < N; i++) {
		date[i] = days[i / KINDS];
		kind[i] = i % KINDS;
		order[i] = N - 1 - i; /* (jobs listed backwards: the order is what counts) */
	}
	for (int d = 0; d < DATES; d++) /* date by date, kind 0 first */
		for (int k = 0; k < KINDS; k++)
			order[d * KINDS + k] = d * KINDS + k;
	atomic_uchar taken[N];
	for (int i = 0; i < N; i++)
		atomic_init(&taken[i], 0);
	unsigned char mine[2][N] = {{0}};
	struct take t[2];
	for (int p = 0; p < 2; p++)
		t[p] = (struct take){.taken = taken, .order = order, .date = date, .kind = kind, .n = N,
			.mine = mine[p]};
	int clock[2] = {0, 0}, count = 0, preferred = 0;
	for (;;) {
		int p = clock[1] < clock[0];
		unsigned char made[N];
		memcpy(made, mine[p], sizeof made);
		int first_left = -1, own_left = 0;
		for (int k = 0; k < N; k++)
			if (!atomic_load(&taken[k])) {
				if (first_left < 0)
					first_left = k;
				own_left |= strcmp(date[order[k]], date[order[first_left]]) == 0 &&
					made[kind[order[k]]];
			}
		int j = take_next(&t[p]);
		if (j < 0) {
			CHECK(first_left < 0 && take_next(&t[1 - p]) == -1);
			break;
		}
		CHECK_MSG(j >= 0 && j < N && !got[j], "job %d taken again", j);
		if (j < 0 || j >= N)
			break;
		got[j] = 1;
		CHECK(count > 0 || j == order[0]);
		CHECK_MSG(strcmp(date[j], date[order[first_left]]) == 0, "job %d (%s) taken while %s "
			"has jobs left", j, date[j], date[order[first_left]]);
		CHECK_MSG(!own_left || made[kind[j]], "process %d took kind %d with its own kinds left",
			p, kind[j]);
		preferred += j != order[first_left];
		clock[p] += kind[j] == 0 ? 2 : 1;
		count++;
	}
	CHECK(count == N);
	CHECK_MSG(preferred > 0, "never a job of its own kind before the first left");
	/* two processes at once */
	atomic_uchar *shared = mmap(NULL, N, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	CHECK(shared != MAP_FAILED);
	if (shared == MAP_FAILED)
		return;
	int pipes[2][2];
	pid_t pid[2];
	fflush(NULL); /* (a child must not write what this process has buffered) */
	for (int p = 0; p < 2; p++) {
		CHECK(pipe(pipes[p]) == 0);
		pid[p] = fork();
		if (pid[p] == 0) {
			unsigned char own[N] = {0};
			struct take c = {.taken = shared, .order = order, .date = date, .kind = kind, .n = N,
				.mine = own};
			int j;
			while ((j = take_next(&c)) >= 0) {
				unsigned char b = (unsigned char)j;
				if (write(pipes[p][1], &b, 1) != 1)
					_exit(1);
				usleep(200);
			}
			_exit(0);
		}
		close(pipes[p][1]);
	}
	int seen[N] = {0}, total = 0;
	for (int p = 0; p < 2; p++) {
		unsigned char b;
		while (read(pipes[p][0], &b, 1) == 1) {
			CHECK(b < N && !seen[b]);
			if (b < N)
				seen[b] = 1;
			total++;
		}
		close(pipes[p][0]);
		int status;
		CHECK(waitpid(pid[p], &status, 0) == pid[p] && WIFEXITED(status) &&
			WEXITSTATUS(status) == 0);
	}
	CHECK_MSG(total == N, "%d jobs taken by the two processes, of %d", total, N);
	munmap(shared, N);
}

const struct unit_test base_tests[] = {
	{"date_ticks", test_date_ticks},
	{"bmap", test_bmap},
	{"atomic_write_with_writer", test_atomic_write_with_writer},
	{"buf_fixed", test_buf_fixed},
	{"sha256_vectors", test_sha256_vectors},
	{"date_days", test_date_days},
	{"utf8_decode", test_utf8_decode},
	{"utf8_invalid", test_utf8_invalid},
	{"utf8_roundtrip", test_utf8_roundtrip},
	{"date_parse", test_date_parse},
	{"date_format", test_date_format},
	{"diag_order_and_format", test_diag_order_and_format},
	{"arena", test_arena},
	{"take_by_date_and_kind", test_take_by_date_and_kind},
	{"atomic_write", test_atomic_write},
	{"atomic_write_staged", test_atomic_write_staged},
	{"write_later", test_write_later},
	{NULL, NULL},
};
