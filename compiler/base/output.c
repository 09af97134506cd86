/* output.c: atomic, deterministic file output (temporary file in the target directory, renamed). */
#define _GNU_SOURCE /* O_TMPFILE */
#include "output.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A source of the bytes to write: a buffer, or a writer that puts them into the file. */
struct S_src {
	const char *data;
	size_t len;
	out_writer write;
	void *ctx;
	enum out_sync sync;
};

int out_write_fd(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Writes all of the source to fd; 0, or -1 with errno set. */
static int S_write_all(int fd, const struct S_src *src)
{
	if (src->write == NULL) {
		if (out_write_fd(fd, src->data, src->len) != 0)
			return -1;
	} else if (src->write(src->ctx, fd) != 0) {
		return -1;
	}
	/* Output files are readable by everyone, like any file the user would write. */
	if (fchmod(fd, 0644) != 0 || (src->sync != OUT_STAGED && fsync(fd) != 0))
		return -1;
	return 0;
}

/* The directory part of path ("." when it has none), malloc'd. */
static char *S_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

int out_sync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	if (rc != 0 && e == EINVAL)
		return 0; /* (a file system that cannot sync this kind of file) */
	errno = e;
	return rc;
}

#ifdef O_TMPFILE
/* Gives the unnamed file fd its name: linked under a temporary name beside path, then renamed
 * over path. 0; -1 (errno set; nothing left behind); 1 when there is no /proc to link it
 * from. */
static int S_name_unnamed(int fd, const char *path)
{
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	size_t n = strlen(path);
	char *tmp = xmalloc(n + 32);
	int rc = -1;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	unsigned long seed = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 20);
	for (int attempt = 0; attempt < 100; attempt++) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		snprintf(tmp, n + 32, "%s.%06lx", path, (seed >> 40) & 0xFFFFFF);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, tmp, AT_SYMLINK_FOLLOW) == 0) {
			rc = 0;
			break;
		}
		if (errno != EEXIST)
			break;
	}
	if (rc != 0) {
		int e = errno;
		free(tmp);
		errno = e;
		return e == ENOENT || e == ENOTDIR ? 1 : -1;
	}
	if (rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		free(tmp);
		errno = e;
		return -1;
	}
	free(tmp);
	return 0;
}

#endif

/* ---- a file written, then named ---- */

/* Opens a file to be written for path and named once it is complete: on Linux an unnamed
 * file in the target directory (O_TMPFILE; *tmp NULL), which a process killed while
 * writing leaves nowhere (the kernel frees it); elsewhere, or where the file system makes
 * none or there is no /proc to name it from, a named temporary beside path (*tmp,
 * <path>.XXXXXX). The open fd, or -1 with errno set. */
static int S_open(const char *path, char **tmp)
{
	*tmp = NULL;
	int fd;
#ifdef O_TMPFILE
	char *dir = S_dir_of(path);
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
	int e = errno;
	free(dir);
	if (fd >= 0) {
		char proc[64]; /* (naming it takes /proc: without one, a named temporary) */
		snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
		if (access(proc, F_OK) == 0)
			return fd;
		close(fd);
	} else if (!(e == EOPNOTSUPP || e == EISDIR || e == EINVAL)) {
		errno = e;
		return -1;
	}
#endif
	size_t n = strlen(path);
	*tmp = xmalloc(n + 16);
	snprintf(*tmp, n + 16, "%s.XXXXXX", path);
	fd = mkostemp(*tmp, O_CLOEXEC); /* (a batch keeps it open while it goes on) */
	if (fd < 0) {
		int e = errno;
		free(*tmp);
		*tmp = NULL;
		errno = e;
	}
	return fd;
}

/* Names a complete file from S_open: an unnamed one linked beside path and renamed over it,
 * a named temporary closed (some file systems report a failed write only then) and renamed.
 * Closes fd; removes the temporary when it fails. 0, or the errno value. */
static int S_name(int fd, const char *tmp, const char *path)
{
	int e = 0;
	if (tmp != NULL) {
		if (close(fd) != 0 || rename(tmp, path) != 0)
			e = errno;
		if (e != 0)
			unlink(tmp);
		return e;
	}
#ifdef O_TMPFILE
	if (S_name_unnamed(fd, path) != 0)
		e = errno;
#endif
	close(fd);
	return e;
}

/* Gives up a file from S_open: closed, its temporary removed. */
static void S_discard(int fd, const char *tmp)
{
	close(fd);
	if (tmp != NULL)
		unlink(tmp);
}

/* A file for path holding all of src, not yet named (S_open, S_write_all): its fd, or -1
 * with errno set and nothing left (*tmp NULL). */
static int S_written(const char *path, const struct S_src *src, char **tmp)
{
	int fd = S_open(path, tmp);
	if (fd >= 0 && S_write_all(fd, src) != 0) {
		int e = errno;
		S_discard(fd, *tmp);
		free(*tmp);
		*tmp = NULL;
		errno = e;
		fd = -1;
	}
	return fd;
}

/* ---- files named later ---- */

struct out_later_file {
	int tag;
	int fd;
	char *tmp;  /* its temporary name, or NULL: it has none yet (O_TMPFILE) */
	char *path;
};

int out_write_later(struct out_later *l, int tag, const char *path, out_writer write, void *ctx,
	const void *data, size_t len, char *err, size_t errsize)
{
	struct S_src src = {.data = data, .len = len, .write = write, .ctx = ctx, .sync = OUT_STAGED};
	char *tmp;
	int fd = S_written(path, &src, &tmp);
	if (fd < 0) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return -1;
	}
#ifdef SYNC_FILE_RANGE_WRITE
	sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE); /* (the write-back begins; no waiting) */
#endif
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xrealloc(l->v, (size_t)l->cap * sizeof *l->v);
	}
	l->v[l->n++] = (struct out_later_file){.tag = tag, .fd = fd, .tmp = tmp, .path = xstrdup(path)};
	return 0;
}

void out_later_publish(struct out_later *l,
	void (*done)(void *ctx, int tag, const char *path, const char *msg), void *ctx)
{
	int *bad = xcalloc((size_t)l->n + 1, sizeof *bad);
	for (int i = 0; i < l->n; i++) /* (every file's data first: one journal commit for all) */
		if (fsync(l->v[i].fd) != 0 && errno != EINVAL)
			bad[i] = errno;
	for (int i = 0; i < l->n; i++) {
		struct out_later_file *f = &l->v[i];
		int e = bad[i];
		if (e == 0)
			e = S_name(f->fd, f->tmp, f->path);
		else
			S_discard(f->fd, f->tmp);
		char msg[512];
		if (e != 0)
			snprintf(msg, sizeof msg, "%s: %s", f->path, strerror(e));
		done(ctx, f->tag, f->path, e != 0 ? msg : NULL);
		free(f->tmp);
		free(f->path);
	}
	free(bad);
	l->n = 0;
}

void out_later_free(struct out_later *l)
{
	for (int i = 0; i < l->n; i++) {
		S_discard(l->v[i].fd, l->v[i].tmp);
		free(l->v[i].tmp);
		free(l->v[i].path);
	}
	free(l->v);
	*l = (struct out_later){0};
}

/* A file written now: opened, written (and synced, unless OUT_STAGED) and named at once. */
static int S_atomic(const char *path, const struct S_src *src, char *err, size_t errsize)
{
	char *tmp;
	int fd = S_written(path, src, &tmp);
	int e = fd < 0 ? errno : S_name(fd, tmp, path);
	free(tmp);
	if (e != 0) {
		snprintf(err, errsize, "%s: %s", path, strerror(e));
		return -1;
	}
	if (src->sync == OUT_SYNC) {
		char *dir = S_dir_of(path);
		out_sync_path(dir); /* the new entry too (best effort: some file systems refuse) */
		free(dir);
	}
	return 0;
}

int out_write_atomic(const char *path, const void *data, size_t len, enum out_sync sync,
	char *err, size_t errsize)
{
	struct S_src src = {.data = data, .len = len, .sync = sync};
	return S_atomic(path, &src, err, errsize);
}

int out_write_atomic_with(const char *path, out_writer write, void *ctx, enum out_sync sync,
	char *err, size_t errsize)
{
	struct S_src src = {.write = write, .ctx = ctx, .sync = sync};
	return S_atomic(path, &src, err, errsize);
}

int out_mkdirs(const char *dir, char *err, size_t errsize)
{
	char *p = xstrdup(dir);
	for (char *s = p + 1; ; s++) {
		if (*s == '/' || *s == '\0') {
			char c = *s;
			*s = '\0';
			if (mkdir(p, 0777) != 0 && errno != EEXIST) {
				snprintf(err, errsize, "%s: cannot create directory: %s", p, strerror(errno));
				free(p);
				return -1;
			}
			*s = c;
			if (c == '\0')
				break;
		}
	}
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errsize, "%s: not a directory", dir);
		free(p);
		return -1;
	}
	free(p);
	return 0;
}
