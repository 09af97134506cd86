/* image.c: PNG and JPEG files decoded and checked by briefc itself (libpng, libjpeg). */
#define _POSIX_C_SOURCE 200809L
#include "image.h"
#include "../base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jpeglib.h>
#include <png.h>

static int S_read(const char *path, unsigned char **data, size_t *len, char *err, size_t n)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, n, "cannot read: %s", strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, n, "not a regular file");
		close(fd);
		return -1;
	}
	if ((size_t)st.st_size > IMG_MAX_BYTES) {
		snprintf(err, n, "larger than the limit of %zu bytes", IMG_MAX_BYTES);
		close(fd);
		return -1;
	}
	size_t size = (size_t)st.st_size, got = 0;
	unsigned char *buf = xmalloc(size ? size : 1);
	while (got < size) {
		ssize_t r = read(fd, buf + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (got != size) {
		snprintf(err, n, "could not be read whole");
		free(buf);
		return -1;
	}
	*data = buf;
	*len = size;
	return 0;
}

static int S_size_ok(long w, long h, char *err, size_t n)
{
	if (w <= 0 || h <= 0 || w > IMG_MAX_SIDE || h > IMG_MAX_SIDE || w * h > IMG_MAX_PIXELS) {
		snprintf(err, n, "%ld x %ld pixels is beyond the limit (%d on a side, %ld pixels)", w, h,
			IMG_MAX_SIDE, IMG_MAX_PIXELS);
		return 0;
	}
	return 1;
}

static int S_png(const unsigned char *data, size_t len, struct img *out, char *err, size_t n)
{
	png_image im;
	memset(&im, 0, sizeof im);
	im.version = PNG_IMAGE_VERSION;
	if (!png_image_begin_read_from_memory(&im, data, len)) {
		snprintf(err, n, "not a readable PNG (%s)", im.message);
		return -1;
	}
	if (!S_size_ok((long)im.width, (long)im.height, err, n)) {
		png_image_free(&im);
		return -1;
	}
	int grey = (im.format & PNG_FORMAT_FLAG_COLOR) == 0;
	im.format = grey ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
	png_color white = {255, 255, 255};
	size_t size = PNG_IMAGE_SIZE(im);
	unsigned char *px = xmalloc(size);
	if (!png_image_finish_read(&im, &white, px, 0, NULL)) {
		snprintf(err, n, "corrupt or truncated PNG (%s)", im.message);
		free(px);
		png_image_free(&im);
		return -1;
	}
	out->w = (int)im.width;
	out->h = (int)im.height;
	out->channels = grey ? 1 : 3;
	out->pixels = px;
	out->format = "PNG";
	return 0;
}

/* libjpeg reports errors through a callback that must not return: it jumps back here,
 * within this function's own frame, and everything it allocated is freed below. */
struct S_jerr {
	struct jpeg_error_mgr mgr;
	jmp_buf back;
	char msg[JMSG_LENGTH_MAX];
	int warnings;
};

static void S_jpeg_error(j_common_ptr c)
{
	struct S_jerr *e = (struct S_jerr *)c->err;
	(*c->err->format_message)(c, e->msg);
	longjmp(e->back, 1);
}

static void S_jpeg_message(j_common_ptr c, int level)
{
	struct S_jerr *e = (struct S_jerr *)c->err;
	if (level < 0 && e->warnings++ == 0) /* a warning: truncated or damaged data */
		(*c->err->format_message)(c, e->msg);
}

static int S_jpeg(const unsigned char *data, size_t len, struct img *out, char *err, size_t n)
{
	struct jpeg_decompress_struct cinfo;
	struct S_jerr jerr;
	memset(&jerr, 0, sizeof jerr);
	cinfo.err = jpeg_std_error(&jerr.mgr);
	jerr.mgr.error_exit = S_jpeg_error;
	jerr.mgr.emit_message = S_jpeg_message;
	unsigned char *volatile px = NULL;
	if (setjmp(jerr.back)) {
		snprintf(err, n, "corrupt JPEG (%s)", jerr.msg);
		jpeg_destroy_decompress(&cinfo);
		free(px);
		return -1;
	}
	jpeg_create_decompress(&cinfo);
	jpeg_mem_src(&cinfo, data, (unsigned long)len);
	jpeg_read_header(&cinfo, TRUE);
	if (!S_size_ok((long)cinfo.image_width, (long)cinfo.image_height, err, n)) {
		jpeg_destroy_decompress(&cinfo);
		return -1;
	}
	if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
		snprintf(err, n, "CMYK JPEG images are not supported; convert it to RGB");
		jpeg_destroy_decompress(&cinfo);
		return -1;
	}
	int grey = cinfo.jpeg_color_space == JCS_GRAYSCALE;
	cinfo.out_color_space = grey ? JCS_GRAYSCALE : JCS_RGB;
	jpeg_start_decompress(&cinfo);
	size_t stride = (size_t)cinfo.output_width * (size_t)cinfo.output_components;
	px = xmalloc(stride * cinfo.output_height);
	while (cinfo.output_scanline < cinfo.output_height) {
		JSAMPROW row = px + stride * cinfo.output_scanline;
		jpeg_read_scanlines(&cinfo, &row, 1);
	}
	jpeg_finish_decompress(&cinfo);
	if (jerr.warnings > 0) {
		snprintf(err, n, "damaged or truncated JPEG (%s)", jerr.msg);
		jpeg_destroy_decompress(&cinfo);
		free(px);
		return -1;
	}
	out->w = (int)cinfo.output_width;
	out->h = (int)cinfo.output_height;
	out->channels = cinfo.output_components;
	out->pixels = px;
	out->format = "JPEG";
	jpeg_destroy_decompress(&cinfo);
	return 0;
}

int img_load(const char *path, struct img *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof *out);
	unsigned char *data;
	size_t len;
	if (S_read(path, &data, &len, err, errsize) != 0)
		return -1;
	int rc;
	if (len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
		rc = S_png(data, len, out, err, errsize);
	else if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
		rc = S_jpeg(data, len, out, err, errsize);
	else {
		snprintf(err, errsize, "neither a PNG nor a JPEG file");
		rc = -1;
	}
	free(data);
	return rc;
}

void img_free(struct img *im)
{
	free(im->pixels);
	im->pixels = NULL;
}
