/* sha256.c: SHA-256 (FIPS 180-4) for the archive's manifests. */
#include "sha256.h"

#include <stdio.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#define S_X86 1
#endif

static const uint32_t S_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2};

#define S_ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void S_block(struct sha256 *c, const unsigned char *p)
{
	uint32_t w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
			(uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		uint32_t s0 = S_ROR(w[i - 15], 7) ^ S_ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = S_ROR(w[i - 2], 17) ^ S_ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	uint32_t a = c->h[0], b = c->h[1], cc = c->h[2], d = c->h[3];
	uint32_t e = c->h[4], f = c->h[5], g = c->h[6], h = c->h[7];
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = h + (S_ROR(e, 6) ^ S_ROR(e, 11) ^ S_ROR(e, 25)) + ((e & f) ^ (~e & g)) +
			S_k[i] + w[i];
		uint32_t t2 = (S_ROR(a, 2) ^ S_ROR(a, 13) ^ S_ROR(a, 22)) + ((a & b) ^ (a & cc) ^ (b & cc));
		h = g;
		g = f;
		f = e;
		e = d + t1;
		d = cc;
		cc = b;
		b = a;
		a = t1 + t2;
	}
	c->h[0] += a;
	c->h[1] += b;
	c->h[2] += cc;
	c->h[3] += d;
	c->h[4] += e;
	c->h[5] += f;
	c->h[6] += g;
	c->h[7] += h;
}

#ifdef S_X86
/* Whether the processor has the SHA extensions (and the SSSE3 and SSE4.1 they need here).
 * valgrind's processor has none: under it the portable code runs. */
static int S_have_sha(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1))
		return 0;
	if (__get_cpuid_max(0, NULL) < 7)
		return 0;
	__cpuid_count(7, 0, a, b, c, d);
	return (b >> 29) & 1;
}

/* n blocks with the SHA instructions. The state is kept as the instructions want it: A, B,
 * E, F in one register and C, D, G, H in the other; two rounds an instruction, the two
 * registers trading roles (after two rounds C, D, G, H are the old A, B, E, F). */
__attribute__((target("sha,sse4.1,ssse3")))
static void S_blocks_sha(struct sha256 *c, const unsigned char *p, size_t n)
{
	const __m128i swap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&c->h[0]), 0xB1);
	__m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&c->h[4]), 0x1B);
	__m128i s0 = _mm_alignr_epi8(t, s1, 8); /* A B E F (from the top lane down) */
	s1 = _mm_blend_epi16(s1, t, 0xF0);      /* C D G H */
	for (; n > 0; n--, p += 64) {
		__m128i save0 = s0, save1 = s1, w[4];
		for (int g = 0; g < 16; g++) { /* four rounds a group */
			__m128i m;
			if (g < 4) {
				m = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * g)), swap);
			} else { /* W[4g..] from the four groups before it */
				m = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
				m = _mm_add_epi32(m, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
				m = _mm_sha256msg2_epu32(m, w[(g + 3) & 3]);
			}
			w[g & 3] = m;
			__m128i k = _mm_add_epi32(m, _mm_loadu_si128((const __m128i *)&S_k[4 * g]));
			s1 = _mm_sha256rnds2_epu32(s1, s0, k);
			s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(k, 0x0E));
		}
		s0 = _mm_add_epi32(s0, save0);
		s1 = _mm_add_epi32(s1, save1);
	}
	t = _mm_shuffle_epi32(s0, 0x1B);  /* A B E F, from lane 0 up */
	s1 = _mm_shuffle_epi32(s1, 0xB1); /* G H C D */
	_mm_storeu_si128((__m128i *)&c->h[0], _mm_blend_epi16(t, s1, 0xF0)); /* A B C D */
	_mm_storeu_si128((__m128i *)&c->h[4], _mm_alignr_epi8(s1, t, 8));    /* E F G H */
}
#endif

/* n 64-byte blocks of p into the state. */
static void S_blocks(struct sha256 *c, const unsigned char *p, size_t n)
{
#ifdef S_X86
	if (c->fast) {
		S_blocks_sha(c, p, n);
		return;
	}
#endif
	for (; n > 0; n--, p += 64)
		S_block(c, p);
}

void sha256_init(struct sha256 *c)
{
	static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f,
		0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memcpy(c->h, h0, sizeof h0);
	c->len = 0;
	c->nbuf = 0;
#ifdef S_X86
	c->fast = S_have_sha();
#else
	c->fast = 0;
#endif
}

void sha256_update(struct sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;
	c->len += n;
	while (n > 0) {
		if (c->nbuf == 0 && n >= 64) { /* whole blocks straight from the data */
			S_blocks(c, p, n / 64);
			p += n / 64 * 64;
			n %= 64;
			continue;
		}
		size_t k = 64 - c->nbuf < n ? 64 - c->nbuf : n;
		memcpy(c->buf + c->nbuf, p, k);
		c->nbuf += k;
		p += k;
		n -= k;
		if (c->nbuf == 64) {
			S_blocks(c, c->buf, 1);
			c->nbuf = 0;
		}
	}
}

void sha256_hex(struct sha256 *c, char hex[65])
{
	uint64_t bits = c->len * 8;
	unsigned char pad = 0x80;
	sha256_update(c, &pad, 1);
	unsigned char zero = 0;
	while (c->nbuf != 56)
		sha256_update(c, &zero, 1);
	unsigned char l[8];
	for (int i = 0; i < 8; i++)
		l[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_update(c, l, 8);
	for (int i = 0; i < 8; i++)
		snprintf(hex + 8 * i, 9, "%08x", c->h[i]);
}

int sha256_file(const char *path, char hex[65], long long *size)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	struct sha256 c;
	sha256_init(&c);
	unsigned char buf[65536];
	size_t n;
	long long total = 0;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		sha256_update(&c, buf, n);
		total += (long long)n;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return -1;
	sha256_hex(&c, hex);
	if (size)
		*size = total;
	return 0;
}
