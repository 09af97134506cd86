/* sha256.h: SHA-256 (FIPS 180-4) for the archive's manifests. */
#ifndef BRIEFC_SHA256_H
#define BRIEFC_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t nbuf;
	int fast; /* the processor's SHA instructions are used (set by sha256_init when it has
	             them; 0 forces the portable code) */
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t n);
/* Writes the digest as 64 lower-case hex digits and a NUL into hex. */
void sha256_hex(struct sha256 *c, char hex[65]);
/* The digest of a file's bytes; returns -1 if it cannot be read. */
int sha256_file(const char *path, char hex[65], long long *size);

#endif
