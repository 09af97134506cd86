/* output.h: atomic, deterministic file output (temporary file in the target directory, renamed). */
#ifndef BRIEFC_OUTPUT_H
#define BRIEFC_OUTPUT_H

#include <stddef.h>

/* How durable a write is when it returns. OUT_SYNC: the file's data and its directory entry
 * are on disk (fsync of both). OUT_STAGED: neither is synced; for files in a directory of
 * their own that nobody sees until it is published, which is made durable as a whole then
 * (out_sync_path on each file and on the directory) by whoever publishes it. (A batch of
 * files into one directory writes them with out_write_later instead.) */
enum out_sync { OUT_SYNC, OUT_STAGED };

/* Writes data to path through a temporary file in the same directory and renames it. On
 * failure the earlier file at path is untouched, no temporary is left, and a message is
 * written into err (errsize bytes). Returns 0 on success. */
int out_write_atomic(const char *path, const void *data, size_t len, enum out_sync sync,
	char *err, size_t errsize);

/* A writer writes all of its bytes into fd (0, or -1 with errno set); it may be called again,
 * for another fd, and must then write the same bytes. */
typedef int (*out_writer)(void *ctx, int fd);
/* out_write_atomic with the bytes a writer gives, so that they need not be in memory at all. */
int out_write_atomic_with(const char *path, out_writer write, void *ctx, enum out_sync sync,
	char *err, size_t errsize);

/* Files written and not yet named. A batch writes each report's files unnamed, their
 * write-back started at once, and names them together at its end (out_later_publish): the
 * first sync then commits the file system's journal for all of them, where a sync before
 * every rename made the processes of a batch wait for the disk, and for each other, report
 * after report. Until named, a file is nobody's to see, and a process that dies leaves
 * nothing of it (the kernel frees an unnamed file; where the file system makes none, the
 * named temporary that stands in is visible until then, and left behind by a process
 * killed before). */
struct out_later {
	struct out_later_file *v;
	int n, cap;
};
/* Writes the bytes (those of write when not NULL, else data) meant for path into a file of
 * its directory that has no name yet (a <path>.XXXXXX temporary where the file system cannot
 * make unnamed files), starts their write-back, and keeps the file in l under tag (the caller's
 * number for it). 0, or -1 with a message in err and nothing kept. */
int out_write_later(struct out_later *l, int tag, const char *path, out_writer write, void *ctx,
	const void *data, size_t len, char *err, size_t errsize);
/* Syncs the data of every file kept, then renames each over its path, in the order kept, and
 * tells done(ctx, tag, path, msg) of each: msg NULL when it is in place, else why not (the
 * earlier file at path is then untouched, and no temporary is left). The directories are the
 * caller's to sync (out_sync_path). l is left empty, ready for more. */
void out_later_publish(struct out_later *l,
	void (*done)(void *ctx, int tag, const char *path, const char *msg), void *ctx);
/* Throws away the files not published (none of them gets a name) and frees l's memory. */
void out_later_free(struct out_later *l);

/* Makes a file's data, or a directory's entries, durable (fsync). 0, or -1 with errno set;
 * a file system that cannot sync a directory (EINVAL) counts as success. */
int out_sync_path(const char *path);

/* Writes all of data to fd (again after EINTR and short writes); 0, or -1 with errno set. */
int out_write_fd(int fd, const void *data, size_t len);

/* Creates dir (and its parents) if missing. Returns 0 on success. */
int out_mkdirs(const char *dir, char *err, size_t errsize);

#endif
