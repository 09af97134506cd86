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
/* Linux: the data goes to an unnamed file in the target directory (O_TMPFILE), which gets a
 * name only once it is complete (and synced, unless OUT_STAGED), and is renamed over path at
 * once: a process killed while writing leaves nothing behind (the kernel frees an unnamed
 * file). Returns 0,
 * -1 on failure (errno set), or 1 when the file system cannot make unnamed files. */
static int S_write_unnamed(const char *path, const char *dir, const struct S_src *src)
{
	int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL ? 1 : -1;
	if (S_write_all(fd, src) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
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
	int e = errno;
	close(fd);
	if (rc != 0) {
		free(tmp);
		/* no /proc: fall back to a named temporary */
		if (e == ENOENT || e == ENOTDIR)
			return 1;
		errno = e;
		return -1;
	}
	if (rename(tmp, path) != 0) {
		e = errno;
		unlink(tmp);
		free(tmp);
		errno = e;
		return -1;
	}
	free(tmp);
	return 0;
}
#endif

/* Elsewhere: a named temporary (<path>.XXXXXX) in the target directory, removed on failure. */
static int S_write_named(const char *path, const struct S_src *src)
{
	size_t n = strlen(path);
	char *tmp = xmalloc(n + 16);
	snprintf(tmp, n + 16, "%s.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	int rc = S_write_all(fd, src);
	int e = errno;
	if (close(fd) != 0 && rc == 0) {
		rc = -1;
		e = errno;
	}
	if (rc == 0 && rename(tmp, path) != 0) {
		rc = -1;
		e = errno;
	}
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	errno = e;
	return rc;
}

static int S_atomic(const char *path, const struct S_src *src, char *err, size_t errsize)
{
	char *dir = S_dir_of(path);
	int rc = 1;
#ifdef O_TMPFILE
	rc = S_write_unnamed(path, dir, src);
#endif
	if (rc == 1)
		rc = S_write_named(path, src); /* (a writer writes it all again) */
	if (rc != 0)
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
	else if (src->sync == OUT_SYNC)
		out_sync_path(dir); /* the new entry too (best effort: some file systems refuse) */
	free(dir);
	return rc == 0 ? 0 : -1;
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
