/* image.h: PNG and JPEG files decoded and checked by briefc itself, before any PDF library
 * sees them (libharu aborts on a corrupt PNG and embeds a truncated JPEG silently). */
#ifndef BRIEFC_IMAGE_H
#define BRIEFC_IMAGE_H

#include <stddef.h>

#define IMG_MAX_BYTES ((size_t)32 << 20) /* 32 MiB per image file */
#define IMG_MAX_SIDE 16384               /* pixels on a side */
#define IMG_MAX_PIXELS (40L << 20)       /* about 40 megapixels */

struct img {
	int w, h;
	int channels;          /* 1 (grey) or 3 (RGB), 8 bits each */
	unsigned char *pixels; /* w * h * channels bytes, rows top first; owned */
	const char *format;    /* "PNG" or "JPEG" */
};

/* Reads and fully decodes the image at path. Returns 0, or -1 with a reason in err.
 * Transparency is composed over white. */
int img_load(const char *path, struct img *out, char *err, size_t errsize);
void img_free(struct img *im);

#endif
