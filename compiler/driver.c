/* driver.c: runs the pipeline (read, check, transform, layout, render, write) for a source:
 * one report, a set of topic reports and dated snapshots in parallel, or an archive. */
#define _GNU_SOURCE /* sched_getaffinity */
#include "driver.h"
#include "base/output.h"
#include "base/sha256.h"
#include "base/take.h"
#include "base/util.h"
#include "layout/font.h"
#include "layout/hyphen.h"
#include "layout/layout.h"
#include "read/model.h"
#include "read/style.h"
#include "read/xmlread.h"
#include "render/render_latex.h"
#include "render/render_pdf.h"
#include "transform/transform.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* "dir/name.xml" -> "name" */
static char *S_stem(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	return xstrndup(base, n);
}

static int S_worst(int a, int b)
{
	if (a == EXIT_IO || b == EXIT_IO)
		return EXIT_IO;
	if (a == EXIT_USAGE || b == EXIT_USAGE)
		return EXIT_USAGE;
	return a > b ? a : b;
}

static int S_finish(struct diags *d, FILE *err, int code)
{
	diag_flush(d, err);
	if (d->io_errors > 0)
		code = EXIT_IO;
	else if (code == EXIT_OK && d->errors > 0)
		code = EXIT_INVALID;
	diag_free(d);
	return code;
}

static int S_usage(FILE *err, const char *fmt, const char *a, const char *b)
{
	fputs("briefc: error: ", err);
	fprintf(err, fmt, a, b);
	fputc('\n', err);
	return EXIT_USAGE;
}

/* ---- what every report of a run shares: the style, the model, the fonts ---- */

struct S_loaded {
	struct style *s;
	struct model *m;
	struct fonts *f;
	struct pdf_cache *pc; /* kept from one PDF to the next (NULL: no PDF is made) */
};

/* What the PDFs of one process keep of their fonts, at most (a face's font, embedded, is
 * some tens of KiB). */
#define S_PDF_CACHE_BYTES (16u << 20)

static int S_cpus(void);

/* Puts a process just forked on another processor than this one at once: the scheduler
 * would first queue it here, behind this process, for milliseconds (measured: a worker's
 * first report began 3.5 ms after its fork). It stays off this processor until it gives
 * itself back the whole set. */
static void S_send_away(pid_t pid)
{
	cpu_set_t set;
	int here = sched_getcpu();
	if (here >= 0 && sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 1) {
		CPU_CLR(here, &set);
		sched_setaffinity(pid, sizeof set, &set);
	}
}

/* Asks fontconfig for the style's font files in a child process, while this one reads the
 * source: fontconfig's start-up (reading its configuration) is the largest part of ours,
 * and a thread would make every later malloc pay for locking. Returns the child's pid and
 * sets *fd to the pipe its answer comes through; -1 (and nothing started) when there is
 * one processor to use, or no child can be made: the fonts are then found in this process. */
static pid_t S_find_fonts(const struct style *s, int *fd)
{
	int p[2];
	if (S_cpus() < 2 || pipe(p) != 0)
		return -1;
	fflush(NULL); /* (nothing buffered is written twice) */
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		struct font_files ff;
		font_files_find(s, &ff);
		int rc = font_files_send(p[1], &ff);
		font_files_free(&ff);
		_exit(rc == 0 ? 0 : 1);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	S_send_away(pid);
	*fd = p[0];
	return pid;
}

/* The language an element's xml:lang gives, or NULL (no allocation, unlike xmlNodeGetLang). */
static const char *S_xml_lang(xmlNodePtr n)
{
	for (xmlAttrPtr a = n->properties; a != NULL; a = a->next)
		if (a->ns != NULL && a->ns->href != NULL && xmlStrEqual(a->name, BAD_CAST "lang") &&
			xmlStrEqual(a->ns->href, XML_XML_NAMESPACE) && a->children != NULL)
			return (const char *)a->children->content;
	return NULL;
}

/* While the font finder works, hyphenates the source's words in the document's language
 * (the reports find them memoised, and so does every worker forked later), as long as
 * nothing is ready on fd, asked before the first word and after every 32 (some 40 us):
 * time this process would otherwise spend waiting. Text in another language is left to
 * the layout. */
static void S_warm_hyphens(const struct S_loaded *ld, struct hyph *hy, int fd)
{
	const char *lang = ld->m->lang;
	struct pollfd pf = {.fd = fd, .events = POLLIN};
	int budget = 0;
	for (xmlNodePtr n = xmlDocGetRootElement(ld->m->doc); n != NULL;) {
		const char *l = n->type == XML_ELEMENT_NODE ? S_xml_lang(n) : NULL;
		int skip = l != NULL && strcmp(l, lang) != 0; /* (its text is left to the layout) */
		const char *t = n->type == XML_TEXT_NODE ? (const char *)n->content : NULL;
		const char *end = t != NULL ? t + strlen(t) : NULL;
		while (t != NULL && t < end) {
			if (budget == 0) {
				if (poll(&pf, 1, 0) != 0)
					return;
				budget = 32;
			}
			t = lay_warm_hyphens(hy, ld->s, lang, t, end, &budget);
		}
		n = xmlread_next(n, !skip);
	}
}

/* Reads the style, the source and the fonts. With layout, the document language's
 * hyphenation patterns are read here too, once for every report and worker, while the
 * font files are being found (and then, until they are, the source's words hyphenated). */
static int S_load(const struct drv_options *o, struct S_loaded *ld, int layout, struct diags *d)
{
	xmlread_init();
	ld->s = style_load(o->style, d);
	int fd = -1;
	pid_t finder = ld->s ? S_find_fonts(ld->s, &fd) : -1;
	ld->m = model_load(o->source, d);
	struct hyph *hy = layout && ld->s && ld->s->hyphenate && ld->m ? hyph_open(NULL) : NULL;
	if (hy != NULL)
		hyph_has(hy, ld->m->lang);
	struct font_files found = {0};
	int have = 0;
	if (finder > 0) {
		if (hy != NULL && ld->m != NULL && ld->m->doc != NULL && hyph_has(hy, ld->m->lang))
			S_warm_hyphens(ld, hy, fd);
		have = font_files_receive(fd, ld->s, &found) == 0;
		close(fd);
	}
	/* (without an answer from the child, the fonts are found here) */
	ld->f = ld->s ? font_open_found(ld->s, o->style ? o->style : "(built-in style)",
		have ? &found : NULL, d) : NULL;
	font_files_free(&found);
	if (finder > 0) { /* (reaped once its fonts are open: its exit takes a while) */
		int status;
		while (waitpid(finder, &status, 0) < 0 && errno == EINTR)
			;
	}
	if (ld->f != NULL)
		font_adopt_hyphenator(ld->f, hy);
	else
		hyph_close(hy);
	if (ld->f != NULL && o->pdf)
		ld->pc = pdf_cache_new(S_PDF_CACHE_BYTES); /* (NULL: each PDF does without) */
	return ld->s && ld->m && ld->f;
}

static void S_unload(struct S_loaded *ld)
{
	pdf_cache_free(ld->pc);
	font_close(ld->f);
	model_free(ld->m);
	style_free(ld->s);
	*ld = (struct S_loaded){0};
}

/* Checks --topic and --as-of against the source: usage errors (exit 2) when wrong. */
static int S_check_args(const struct drv_options *o, const struct model *m, FILE *err)
{
	for (int i = 0; i < o->ntopics; i++) {
		if (model_topic(m, o->topics[i]) != NULL)
			continue;
		struct buf known = {0};
		for (int k = 0; k < m->ntopics; k++)
			buf_printf(&known, "%s%s", k ? ", " : "", m->topics[k].id);
		S_usage(err, "unknown topic '%s'; the source's topics are: %s", o->topics[i],
			known.data ? known.data : "(none)");
		buf_free(&known);
		return EXIT_USAGE;
	}
	int y, mo, d, p;
	long signed_key = date_parse(m->signed_date, &y, &mo, &d, &p) ? date_key(y, mo, d) : 0;
	for (int i = 0; i < o->ndates; i++) {
		if (!date_parse(o->dates[i], &y, &mo, &d, &p) || p != 3)
			return S_usage(err, "--as-of '%s' is not a date (YYYY-MM-DD)%s", o->dates[i], "");
		if (date_key(y, mo, d) < signed_key) {
			char when[64];
			date_format(m->signed_date, when, sizeof when);
			for (char *c = when; *c; c++) /* no-break spaces read badly in a terminal */
				if ((unsigned char)c[0] == 0xC2 && (unsigned char)c[1] == 0xA0) {
					c[0] = ' ';
					memmove(c + 1, c + 2, strlen(c + 2) + 1);
				}
			return S_usage(err, "--as-of %s is before the agreement was signed (%s)",
				o->dates[i], when);
		}
	}
	return EXIT_OK;
}

/* ---- jobs: one report each ---- */

struct S_job {
	const char **topics;
	int ntopics;
	const char *as_of;
	char *dir;  /* where its files go */
	char *name; /* <stem>[.<topic>+<topic>][.<date>] */
	enum out_sync sync; /* OUT_STAGED: dir is a staging directory, made durable when published */
	int later;  /* its files are named when its process has made its share of a batch
	               (out_later; the sync above then does not apply) */
	int weight; /* its size guessed beforehand: the items it shows (INT_MAX: the full briefing) */
};

/* Writes the job's file of extension ext atomically, the bytes a writer puts (write not NULL)
 * or those of data, and prints its path on out (when not NULL). With later (not NULL), the
 * file is written unnamed and kept there under tag; its path is printed when it is named. */
static int S_write(struct diags *d, const struct S_job *j, const char *ext, out_writer write,
	void *ctx, const void *data, size_t len, FILE *out, struct out_later *later, int tag)
{
	char msg[512];
	struct buf path = {0};
	buf_printf(&path, "%s/%s.%s", j->dir, j->name, ext);
	int rc = later != NULL
		? out_write_later(later, tag, path.data, write, ctx, data, len, msg, sizeof msg)
		: write != NULL
		? out_write_atomic_with(path.data, write, ctx, j->sync, msg, sizeof msg)
		: out_write_atomic(path.data, data, len, j->sync, msg, sizeof msg);
	if (later != NULL)
		out = NULL;
	if (rc != 0)
		diag_emit(d, D_OUT_WRITE, NULL, 0, 0, msg);
	else if (out != NULL)
		fprintf(out, "%s\n", path.data);
	buf_free(&path);
	return rc;
}

/* Makes one report and writes its files; diagnostics into d, paths onto out. With last, this
 * is the loaded model's last use: the tree takes copies of what it needs from it and the
 * model (the source's whole XML tree among it) is freed before the layout. With later (not
 * NULL), the files are left there to be named (S_write), under tag. */
static int S_run_job(struct S_loaded *ld, const struct drv_options *o,
	const struct S_job *j, struct diags *d, FILE *out, int last, struct out_later *later, int tag)
{
	struct xf_options xo = {.numbering = (int)ld->s->numbering, .topics = j->topics,
		.ntopics = j->ntopics, .as_of = j->as_of, .consume = last};
	struct doc *doc = xf_briefing(ld->m, &xo);
	char *file = xstrdup(ld->m->file);
	if (last) {
		doc_detach(doc);
		model_free(ld->m);
		ld->m = NULL;
		mem_release(); /* (the layout's many small objects take what it gives back) */
	}
	int code = EXIT_OK;
	if (o->dump == DUMP_TREE) {
		doc_dump(doc, out);
		doc_free(doc);
		free(file);
		return code;
	}
	/* The PDF comes from the laid-out pages, the .tex from the tree (TeX lays it out). The
	 * pages go to the PDF as the layout finishes them, unless the layout is dumped. */
	int need_layout = o->pdf || o->stats || o->dump == DUMP_LAYOUT;
	int stream = o->pdf && o->dump != DUMP_LAYOUT;
	char msg[512];
	struct pdf_out *po = stream ? pdf_begin(doc, ld->f, ld->pc, file, d) : NULL;
	if (stream && po == NULL)
		code = EXIT_IO;
	struct lay_sink sink = {pdf_page, po};
	struct layout *l = need_layout && code == EXIT_OK
		? lay_run(doc, ld->s, ld->f, file, d, po ? &sink : NULL) : NULL;
	if (o->stats && l) {
		const struct lay_stats *t = &l->stats;
		fprintf(out, "%s: pages %d, lines %d, hyphenated %d, loose %d, tight %d, "
			"overfull %d, emergency %d, ties broken %d\n", j->name, l->npages, t->lines,
			t->hyphenated, t->loose, t->tight, t->overfull, t->emergency, t->ties_broken);
	}
	if (po != NULL && !o->tex) {
		/* the pages are drawn: the tree is not needed to finish the PDF */
		doc_free(doc);
		doc = NULL;
	}
	if (o->dump == DUMP_LAYOUT) {
		if (l)
			lay_dump(l, ld->f, out);
	} else if (code == EXIT_OK && (o->pdf || o->tex)) {
		if (out_mkdirs(j->dir, msg, sizeof msg) != 0) {
			diag_emit(d, D_OUT_WRITE, NULL, 0, 0, msg);
			code = EXIT_IO;
		}
		if (code == EXIT_OK && po != NULL) {
			if (pdf_finish(po, l) != 0)
				code = EXIT_IO;
			else if (S_write(d, j, "pdf", pdf_write, po, NULL, 0, o->quiet ? NULL : out, later,
				tag) != 0)
				code = EXIT_IO;
		}
		if (code == EXIT_OK && o->tex) {
			char *tex = NULL;
			size_t len = 0;
			if (tex_render(doc, ld->s, ld->f, d, &tex, &len) != 0)
				code = EXIT_IO;
			else if (S_write(d, j, "tex", NULL, NULL, tex, len, o->quiet ? NULL : out, later,
				tag) != 0)
				code = EXIT_IO;
			free(tex);
		}
	}
	pdf_free(po);
	lay_free(l);
	doc_free(doc);
	free(file);
	return code;
}

/* The processors this process may run on (taskset, a container's cpuset), not all the
 * machine's: more workers than that only take turns. */
static int S_cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

/* Each job's kind: the number of the first job with the same topics. */
static int *S_kinds(const struct S_job *jobs, int n)
{
	int *kind = xmalloc((size_t)n * sizeof *kind);
	for (int i = 0; i < n; i++) {
		kind[i] = i;
		for (int j = 0; j < i && kind[i] == i; j++) {
			int same = jobs[j].ntopics == jobs[i].ntopics;
			for (int k = 0; same && k < jobs[i].ntopics; k++)
				same = strcmp(jobs[j].topics[k], jobs[i].topics[k]) == 0;
			if (same)
				kind[i] = kind[j];
		}
	}
	return kind;
}

/* The order a parallel run takes its jobs in: date by date (no date first; an archive
 * publishes a date once its reports are made), and within a date the largest first (the
 * full briefing, then the topics by the items they show), so that the reports left for the
 * end, when a processor has nothing more to take, are the shortest. */
static int S_cmp_take(const void *a, const void *b, void *jobs)
{
	int x = *(const int *)a, y = *(const int *)b;
	const struct S_job *jx = (const struct S_job *)jobs + x, *jy = (const struct S_job *)jobs + y;
	int when = jx->as_of == NULL || jy->as_of == NULL ? (jx->as_of != NULL) - (jy->as_of != NULL)
		: strcmp(jx->as_of, jy->as_of); /* (ISO dates sort as text) */
	if (when != 0)
		return when;
	if (jx->weight != jy->weight)
		return jx->weight > jy->weight ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* Runs a job with its output and diagnostics in memory (malloc'd into *ob and *eb, which
 * may be NULL when empty); returns its exit code. later and tag: as for S_run_job. */
static int S_run_captured(struct S_loaded *ld, const struct drv_options *o, const struct S_job *j,
	char **ob, size_t *ol, char **eb, size_t *el, struct out_later *later, int tag)
{
	*ob = *eb = NULL;
	*ol = *el = 0;
	FILE *out = open_memstream(ob, ol), *err = open_memstream(eb, el);
	int code = EXIT_IO;
	if (out != NULL && err != NULL) {
		struct diags d = {0};
		code = S_finish(&d, err, S_run_job(ld, o, j, &d, out, 0, later, tag));
	}
	if (out != NULL)
		fclose(out);
	if (err != NULL)
		fclose(err);
	if (*ob == NULL)
		*ol = 0;
	if (*eb == NULL)
		*el = 0;
	return code;
}

/* ---- reports named later ---- */

/* What a process's jobs printed, and their codes, while their files wait to be named: held
 * until out_later_publish says what became of the files (a path printed, or an error), then
 * handed on (S_hand) in the order they were made. */
struct S_held {
	struct out_later files;
	struct S_made {
		int job, code;
		struct buf out, err;
	} *v;
	int n, cap;
	int quiet;
};

/* Files kept unnamed at most (each holds a descriptor): a longer batch names them in turns. */
#define S_HELD_FILES 64

typedef void (*S_hand)(void *ctx, int job, int code, const char *o, size_t no, const char *e,
	size_t ne);

static void S_release(struct S_held *h, S_hand hand, void *ctx);

/* Runs job jobs[job]: at once handed on, or, when its files are named later, held (and
 * those held named and handed on once they hold nearly S_HELD_FILES files). */
static void S_run_held(struct S_loaded *ld, const struct drv_options *o, struct S_job *jobs,
	int job, struct S_held *h, S_hand hand, void *ctx)
{
	char *ob, *eb;
	size_t ol, el;
	int later = jobs[job].later;
	int c = S_run_captured(ld, o, &jobs[job], &ob, &ol, &eb, &el, later ? &h->files : NULL, job);
	if (!later) {
		hand(ctx, job, c, ob ? ob : "", ol, eb ? eb : "", el);
	} else {
		if (h->n == h->cap) {
			h->cap = h->cap ? 2 * h->cap : 16;
			h->v = xrealloc(h->v, (size_t)h->cap * sizeof *h->v);
		}
		struct S_made *m = &h->v[h->n++];
		*m = (struct S_made){.job = job, .code = c};
		buf_put(&m->out, ob ? ob : "", ol);
		buf_put(&m->err, eb ? eb : "", el);
		if (h->files.n + 2 > S_HELD_FILES) /* (a job writes two at most) */
			S_release(h, hand, ctx);
	}
	free(ob);
	free(eb);
}

/* out_later_publish's word on a file: its path printed with its job's output, or the
 * error with its diagnostics (exit 3). */
static void S_named(void *ctx, int job, const char *path, const char *msg)
{
	struct S_held *h = ctx;
	struct S_made *m = NULL;
	for (int i = h->n - 1; i >= 0 && m == NULL; i--)
		if (h->v[i].job == job)
			m = &h->v[i];
	if (m == NULL)
		return;
	if (msg == NULL) {
		if (!h->quiet)
			buf_printf(&m->out, "%s\n", path);
		return;
	}
	struct diags d = {0};
	diag_emit(&d, D_OUT_WRITE, NULL, 0, 0, msg);
	char *e = NULL;
	size_t ne = 0;
	FILE *f = open_memstream(&e, &ne);
	if (f != NULL) {
		S_finish(&d, f, EXIT_IO);
		fclose(f);
		buf_put(&m->err, e ? e : "", e ? ne : 0);
		free(e);
	} else {
		diag_free(&d);
	}
	m->code = EXIT_IO;
}

/* Names the held jobs' files (one sync of their data for all, then the renames) and hands
 * the jobs on. */
static void S_release(struct S_held *h, S_hand hand, void *ctx)
{
	out_later_publish(&h->files, S_named, h);
	for (int i = 0; i < h->n; i++) {
		struct S_made *m = &h->v[i];
		hand(ctx, m->job, m->code, m->out.data ? m->out.data : "", m->out.len,
			m->err.data ? m->err.data : "", m->err.len);
		buf_free(&m->out);
		buf_free(&m->err);
	}
	h->n = 0;
}

static void S_held_free(struct S_held *h)
{
	out_later_free(&h->files);
	for (int i = 0; i < h->n; i++) {
		buf_free(&h->v[i].out);
		buf_free(&h->v[i].err);
	}
	free(h->v);
}

/* A worker process: takes jobs until none is left, and sends back per job a record: the
 * job's number, its exit code, the lengths of both texts, then the texts (of a job whose
 * files are named later, once they are). */
struct S_rec {
	int job, code;
	size_t nout, nerr;
};

struct S_sender {
	int fd, bad;
};

static void S_send(void *ctx, int job, int code, const char *o, size_t no, const char *e,
	size_t ne)
{
	struct S_sender *s = ctx;
	struct S_rec r = {.job = job, .code = code, .nout = no, .nerr = ne};
	if (!s->bad)
		s->bad = out_write_fd(s->fd, &r, sizeof r) != 0 || out_write_fd(s->fd, o, no) != 0 ||
			out_write_fd(s->fd, e, ne) != 0;
}

static void S_worker(struct S_loaded *ld, const struct drv_options *o, struct S_job *jobs,
	struct take *t, const cpu_set_t *roam, int res_fd)
{
	int job, first = 1;
	struct S_held held = {.quiet = o->quiet};
	struct S_sender to = {.fd = res_fd};
	while (!to.bad && (job = take_next(t)) >= 0) {
		/* Sent away from the parent's processor when forked: from its second job on, every
		 * processor of the run is its own again. Checked before every job, not set once:
		 * the parent's sched_setaffinity may come late (it was descheduled, or the first
		 * job ended at once) and undo an earlier return. */
		cpu_set_t now;
		if (!first && roam != NULL && sched_getaffinity(0, sizeof now, &now) == 0 &&
			!CPU_EQUAL(&now, roam))
			sched_setaffinity(0, sizeof *roam, roam);
		first = 0;
		S_run_held(ld, o, jobs, job, &held, S_send, &to);
	}
	S_release(&held, S_send, &to);
	S_held_free(&held);
}

/* What the parent of a parallel run knows of the jobs: their texts and codes as they come,
 * from its own runs and from the workers' result pipes. */
struct S_pool {
	int n, width;          /* jobs; worker processes */
	struct buf *outs, *errs;
	int *codes, *got;
	int *res;              /* per worker: its result pipe, -1 once closed */
	struct buf *pend;      /* per worker: bytes read, not yet a whole record */
	int *job_codes;
	void (*done)(void *, int);
	void *done_ctx;
};

static void S_pool_result(void *ctx, int job, int code, const char *o, size_t no,
	const char *e, size_t ne)
{
	struct S_pool *p = ctx;
	if (job < 0 || job >= p->n || p->got[job])
		return;
	p->got[job] = 1;
	p->codes[job] = code;
	buf_put(&p->outs[job], o, no);
	buf_put(&p->errs[job], e, ne);
	if (p->job_codes != NULL)
		p->job_codes[job] = code;
	if (p->done != NULL)
		p->done(p->done_ctx, job);
}

/* Reads what the workers have sent, waiting at most timeout ms (-1: for ever) for something
 * to come; returns the number of result pipes still open, and sets *got when something
 * was read. */
static int S_pool_collect(struct S_pool *p, int timeout, int *got)
{
	struct pollfd fds[64];
	int map[64], nf = 0;
	*got = 0;
	for (int w = 0; w < p->width; w++)
		if (p->res[w] >= 0) {
			fds[nf] = (struct pollfd){.fd = p->res[w], .events = POLLIN};
			map[nf++] = w;
		}
	int ready = nf > 0 ? poll(fds, (nfds_t)nf, timeout) : 0;
	if (ready < 0 && errno != EINTR) {
		/* (cannot wait for the workers: what they have not sent is lost, and said so) */
		for (int f = 0; f < nf; f++) {
			close(p->res[map[f]]);
			p->res[map[f]] = -1;
		}
		return 0;
	}
	if (ready <= 0)
		return nf; /* (EINTR: the caller asks again) */
	for (int f = 0; f < nf; f++) {
		if (!(fds[f].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		int w = map[f];
		char chunk[65536];
		ssize_t r = read(p->res[w], chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			close(p->res[w]);
			p->res[w] = -1;
			nf--;
			continue;
		}
		buf_put(&p->pend[w], chunk, (size_t)r);
		*got = 1;
		/* whole records */
		size_t at = 0;
		for (;;) {
			struct S_rec rec;
			if (p->pend[w].len - at < sizeof rec)
				break;
			memcpy(&rec, p->pend[w].data + at, sizeof rec);
			if (p->pend[w].len - at - sizeof rec < rec.nout + rec.nerr)
				break;
			const char *t = p->pend[w].data + at + sizeof rec;
			S_pool_result(p, rec.job, rec.code, t, rec.nout, t + rec.nout, rec.nerr);
			at += sizeof rec + rec.nout + rec.nerr;
		}
		if (at > 0) {
			memmove(p->pend[w].data, p->pend[w].data + at, p->pend[w].len - at);
			p->pend[w].len -= at;
		}
	}
	return nf;
}

/* The serial run's hand: prints a job's texts (none for a job that printed them itself) and
 * notes its code. */
struct S_printer {
	FILE *out, *err;
	int *job_codes;
	void (*done)(void *, int);
	void *done_ctx;
	int code;
};

static void S_print(void *ctx, int job, int code, const char *o, size_t no, const char *e,
	size_t ne)
{
	struct S_printer *pr = ctx;
	fwrite(o, 1, no, pr->out);
	fwrite(e, 1, ne, pr->err);
	if (pr->job_codes != NULL)
		pr->job_codes[job] = code;
	if (pr->done != NULL)
		pr->done(pr->done_ctx, job);
	pr->code = S_worst(pr->code, code);
}

/* Runs the jobs in o->jobs processes (default: one per processor): this one and workers
 * forked from it, which share the loaded inputs (copy on write) and keep their caches
 * (kerning, hyphenation, glyph widths) from one report to the next; each takes the next job
 * when it is free. What each job prints is shown in job order, so the output of a parallel
 * run equals the serial one. Returns the worst exit code (each job's into job_codes, when
 * not NULL; done, when not NULL, is called as each job's code is known, in this process).
 * With release, the caller needs the inputs no more: they are freed as soon as this process
 * has no job left (a single report frees the model once its tree is made). */
static int S_run_jobs(struct S_loaded *ld, const struct drv_options *o, struct S_job *jobs,
	int n, FILE *out, FILE *err, int release, int *job_codes, void (*done)(void *, int),
	void *done_ctx)
{
	int width = o->jobs > 0 ? o->jobs : S_cpus();
	int code = EXIT_OK;
	if (width > n)
		width = n;
	if (width > 64)
		width = 64;
	atomic_uchar *q = width > 1 ? mmap(NULL, (size_t)n, PROT_READ | PROT_WRITE,
		MAP_SHARED | MAP_ANONYMOUS, -1, 0) : MAP_FAILED;
	if (q == MAP_FAILED) {
		if (width > 1)
			fprintf(err, "briefc: warning: cannot start the workers (%s): one process makes "
				"every report\n", strerror(errno));
		struct S_printer pr = {.out = out, .err = err, .job_codes = job_codes, .done = done,
			.done_ctx = done_ctx};
		struct S_held held = {.quiet = o->quiet};
		for (int i = 0; i < n; i++) {
			if (jobs[i].later) {
				S_run_held(ld, o, jobs, i, &held, S_print, &pr);
				continue;
			}
			S_release(&held, S_print, &pr); /* (what was made before is printed first) */
			struct diags d = {0};
			int c = S_finish(&d, err, S_run_job(ld, o, &jobs[i], &d, out, release && n == 1,
				NULL, i));
			S_print(&pr, i, c, "", 0, "", 0);
		}
		S_release(&held, S_print, &pr);
		S_held_free(&held);
		return pr.code;
	}
	int *order = xmalloc((size_t)n * sizeof *order);
	for (int i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, (size_t)n, sizeof *order, S_cmp_take, jobs);
	const char **dates = xmalloc((size_t)n * sizeof *dates);
	for (int i = 0; i < n; i++)
		dates[i] = jobs[i].as_of;
	/* (the flags start clear, as an anonymous mapping does; the workers are forked before
	 * this process takes a job, so each starts with no kind of its own) */
	struct take t = {.taken = q, .order = order, .date = dates, .kind = S_kinds(jobs, n), .n = n,
		.mine = xcalloc((size_t)n, 1)};
	struct S_pool p = {.n = n, .width = width - 1, .job_codes = job_codes, .done = done,
		.done_ctx = done_ctx};
	p.outs = xcalloc((size_t)n, sizeof *p.outs);
	p.errs = xcalloc((size_t)n, sizeof *p.errs);
	p.codes = xmalloc((size_t)n * sizeof *p.codes);
	p.got = xcalloc((size_t)n, sizeof *p.got);
	p.res = xmalloc((size_t)p.width * sizeof *p.res);
	p.pend = xcalloc((size_t)p.width, sizeof *p.pend);
	pid_t *pids = xcalloc((size_t)p.width, sizeof *pids);
	cpu_set_t all;
	int have_all = sched_getaffinity(0, sizeof all, &all) == 0;
	fflush(out);
	fflush(err);
	/* the workers: this process is one more */
	for (int w = 0; w < p.width; w++) {
		int rp[2];
		p.res[w] = -1;
		if (pipe(rp) != 0) {
			fprintf(err, "briefc: warning: cannot start a worker: %s\n", strerror(errno));
			break;
		}
		pid_t pid = fork();
		if (pid == 0) {
			close(rp[0]);
			for (int k = 0; k < w; k++)
				if (p.res[k] >= 0)
					close(p.res[k]);
			S_worker(ld, o, jobs, &t, have_all ? &all : NULL, rp[1]);
			/* The inputs are this process's image of the parent's, which frees them; freeing
			 * them here would copy their pages (copy on write) only to throw them away. */
			close(rp[1]);
			_exit(0);
		}
		close(rp[1]);
		if (pid < 0) {
			close(rp[0]);
			fprintf(err, "briefc: warning: cannot start a worker: %s\n", strerror(errno));
			break;
		}
		pids[w] = pid;
		p.res[w] = rp[0];
		S_send_away(pid);
	}
	/* this process's share, reading what the workers send between its jobs (a pipe holds
	 * only so many results) */
	int job;
	struct S_held held = {.quiet = o->quiet};
	while ((job = take_next(&t)) >= 0) {
		S_run_held(ld, o, jobs, job, &held, S_pool_result, &p);
		int got;
		do /* (what is waiting in the pipes, so that no worker waits to send) */
			S_pool_collect(&p, 0, &got);
		while (got);
	}
	S_release(&held, S_pool_result, &p);
	S_held_free(&held);
	if (release)
		S_unload(ld); /* (while the workers finish theirs) */
	int got;
	while (S_pool_collect(&p, -1, &got) > 0)
		;
	int abnormal = 0;
	for (int w = 0; w < p.width; w++) {
		int status;
		if (pids[w] > 0 && waitpid(pids[w], &status, 0) == pids[w] &&
			!(WIFEXITED(status) && WEXITSTATUS(status) == 0))
			abnormal = 1;
		buf_free(&p.pend[w]);
	}
	munmap(q, (size_t)n);
	free(order);
	free(dates);
	free((int *)t.kind);
	free(t.mine);
	for (int i = 0; i < n; i++) {
		if (p.outs[i].len)
			fwrite(p.outs[i].data, 1, p.outs[i].len, out);
		if (p.errs[i].len)
			fwrite(p.errs[i].data, 1, p.errs[i].len, err);
		if (!p.got[i]) {
			fprintf(err, "briefc: error: the worker for %s ended abnormally%s\n", jobs[i].name,
				abnormal ? "" : " (no result)");
			p.codes[i] = EXIT_IO;
			if (job_codes != NULL)
				job_codes[i] = EXIT_IO;
			if (done != NULL)
				done(done_ctx, i);
		}
		code = S_worst(code, p.codes[i]);
		buf_free(&p.outs[i]);
		buf_free(&p.errs[i]);
	}
	free(p.outs);
	free(p.errs);
	free(p.codes);
	free(p.got);
	free(p.res);
	free(p.pend);
	free(pids);
	return code;
}

/* The reports a build makes: one per topic set (the union given, or the full briefing and
 * every topic) and date, in a fixed order; --shard keeps every N-th from the I-th. */
static struct S_job *S_plan(const struct drv_options *o, const struct model *m, const char *dir,
	int *njobs)
{
	char *stem = S_stem(o->source);
	int nsets = o->all_topics ? 1 + m->ntopics : 1;
	int ndates = o->ndates > 0 ? o->ndates : 1;
	struct S_job *jobs = xcalloc((size_t)(nsets * ndates), sizeof *jobs);
	int n = 0, k = 0;
	for (int d = 0; d < ndates; d++) {
		for (int t = 0; t < nsets; t++, k++) {
			if (o->shard_n > 0 && k % o->shard_n != o->shard_i - 1)
				continue;
			struct S_job *j = &jobs[n++];
			if (o->all_topics && t > 0) {
				j->topics = &m->topics[t - 1].id;
				j->ntopics = 1;
			} else if (!o->all_topics) {
				j->topics = o->topics;
				j->ntopics = o->ntopics;
			}
			j->as_of = o->ndates > 0 ? o->dates[d] : NULL;
			j->weight = j->ntopics == 0 ? INT_MAX : 0;
			for (int i = 0; i < j->ntopics; i++)
				j->weight += xf_topic_items(m, j->topics[i]);
			struct buf name = {0};
			buf_puts(&name, stem);
			for (int i = 0; i < j->ntopics; i++)
				buf_printf(&name, "%s%s", i ? "+" : ".", j->topics[i]);
			if (j->as_of)
				buf_printf(&name, ".%s", j->as_of);
			j->name = name.data;
			j->dir = xstrdup(dir);
		}
	}
	free(stem);
	*njobs = n;
	return jobs;
}

static void S_free_jobs(struct S_job *jobs, int n)
{
	for (int i = 0; i < n; i++) {
		free(jobs[i].name);
		free(jobs[i].dir);
	}
	free(jobs);
}

int drv_check(const struct drv_options *o, FILE *err)
{
	struct diags d = {0};
	struct S_loaded ld = {0};
	int code = S_load(o, &ld, 0, &d) ? EXIT_OK : EXIT_INVALID;
	S_unload(&ld);
	return S_finish(&d, err, code);
}

int drv_build(const struct drv_options *o, FILE *out, FILE *err)
{
	struct diags d = {0};
	struct S_loaded ld = {0};
	/* Read everything first so one run reports every problem of both inputs. */
	if (!S_load(o, &ld, o->pdf || o->stats || o->dump == DUMP_LAYOUT, &d)) {
		S_unload(&ld);
		return S_finish(&d, err, EXIT_INVALID);
	}
	int code = S_finish(&d, err, EXIT_OK); /* warnings of reading, once */
	int bad = S_check_args(o, ld.m, err);
	if (bad != EXIT_OK) {
		S_unload(&ld);
		return bad;
	}
	int n;
	const char *dir = o->outdir ? o->outdir : "output";
	struct S_job *jobs = S_plan(o, ld.m, dir, &n);
	if (o->dump != DUMP_NONE && n > 1) {
		S_free_jobs(jobs, n);
		S_unload(&ld);
		return S_usage(err, "--dump makes one report: not with --all-topics or several dates%s%s", "", "");
	}
	/* A batch's processes name their reports' files when each has made its share (up to
	 * S_HELD_FILES at a time), after one sync of all their data, and the directory is synced
	 * once, at the end: a sync before every rename (and of the directory after it) made the
	 * processes wait for the disk, and for each other (the file system serialises them),
	 * report after report. */
	for (int i = 0; n > 1 && i < n; i++)
		jobs[i].later = 1;
	code = S_worst(code, S_run_jobs(&ld, o, jobs, n, out, err, 1, NULL, NULL, NULL));
	if (n > 1)
		out_sync_path(dir); /* (best effort, as for a single file: some file systems refuse) */
	S_free_jobs(jobs, n);
	S_unload(&ld);
	return code;
}

int drv_topics(const struct drv_options *o, FILE *out, FILE *err)
{
	struct diags d = {0};
	xmlread_init();
	struct model *m = model_load(o->source, &d);
	if (m == NULL)
		return S_finish(&d, err, EXIT_INVALID);
	size_t w = 2;
	for (int i = 0; i < m->ntopics; i++)
		if (strlen(m->topics[i].id) > w)
			w = strlen(m->topics[i].id);
	for (int i = 0; i < m->ntopics; i++)
		fprintf(out, "%-*s  %3d  %s\n", (int)w, m->topics[i].id, xf_topic_items(m, m->topics[i].id),
			m->topics[i].label);
	model_free(m);
	return S_finish(&d, err, EXIT_OK);
}

/* ---- dates of a series ---- */

const char **drv_series(const char *every, const char *from, const char *to, int *n, char *err,
	size_t errsize)
{
	int y, m, d, p, y2, m2, d2;
	if (every == NULL || from == NULL || to == NULL) {
		snprintf(err, errsize, "--every needs --from and --to");
		return NULL;
	}
	if (!date_parse(from, &y, &m, &d, &p) || p != 3 || !date_parse(to, &y2, &m2, &d2, &p) || p != 3) {
		snprintf(err, errsize, "--from and --to take dates (YYYY-MM-DD)");
		return NULL;
	}
	int step_days = strcmp(every, "day") == 0 ? 1 : strcmp(every, "week") == 0 ? 7 : 0;
	if (step_days == 0 && strcmp(every, "month") != 0) {
		snprintf(err, errsize, "--every '%s' is not one of day, week, month", every);
		return NULL;
	}
	long end = date_days(to), start = date_days(from);
	if (end < start) {
		snprintf(err, errsize, "--to %s is before --from %s", to, from);
		return NULL;
	}
	const char **v = NULL;
	int k = 0;
	for (int i = 0;; i++) {
		char iso[16];
		if (step_days) {
			/* walk days from the start */
			long day = start + (long)i * step_days;
			if (day > end)
				break;
			int yy = y, mm = m, dd = d;
			long cur = start;
			while (cur < day) { /* small steps; series are short */
				dd++;
				static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
				int ml = len[mm - 1] + (mm == 2 && ((yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0));
				if (dd > ml) {
					dd = 1;
					if (++mm > 12) {
						mm = 1;
						yy++;
					}
				}
				cur++;
			}
			snprintf(iso, sizeof iso, "%04d-%02d-%02d", yy, mm, dd);
		} else {
			int mm = m - 1 + i, yy = y + mm / 12;
			mm = mm % 12 + 1;
			static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
			int ml = len[mm - 1] + (mm == 2 && ((yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0));
			snprintf(iso, sizeof iso, "%04d-%02d-%02d", yy, mm, d < ml ? d : ml);
			if (date_days(iso) > end)
				break;
		}
		if (k >= 10000) {
			snprintf(err, errsize, "the series has more than 10000 dates");
			free(v);
			return NULL;
		}
		v = xrealloc(v, (size_t)(k + 1) * sizeof *v);
		v[k++] = xstrdup(iso);
	}
	*n = k;
	return v;
}

/* ---- the archive ---- */

static void S_rmtree(const char *dir)
{
	DIR *dp = opendir(dir);
	if (dp != NULL) {
		struct dirent *e;
		while ((e = readdir(dp)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			struct buf p = {0};
			buf_printf(&p, "%s/%s", dir, e->d_name);
			unlink(p.data);
			buf_free(&p);
		}
		closedir(dp);
	}
	rmdir(dir);
}

static int S_cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the files in dir, sorted (manifest.json left out). */
static char **S_listdir(const char *dir, int *n)
{
	*n = 0;
	DIR *dp = opendir(dir);
	if (dp == NULL)
		return NULL;
	char **v = NULL;
	struct dirent *e;
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "manifest.json") == 0)
			continue;
		v = xrealloc(v, (size_t)(*n + 1) * sizeof *v);
		v[(*n)++] = xstrdup(e->d_name);
	}
	closedir(dp);
	if (*n > 0)
		qsort(v, (size_t)*n, sizeof *v, S_cmp_str);
	return v;
}

static void S_json_str(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			buf_printf(b, "\\u%04x", c);
		else
			buf_putc(b, (char)c);
	}
	buf_putc(b, '"');
}

/* manifest.json: the inputs' digests and every file with its size and digest, one file a
 * line, in name order: the same inputs give the same bytes. */
static int S_manifest(const char *dir, const struct drv_options *o, const char *date,
	struct buf *out, char *msg, size_t msgsize)
{
	char src[65], sty[65];
	if (sha256_file(o->source, src, NULL) != 0 || style_digest(o->style, sty) != 0) {
		snprintf(msg, msgsize, "%s: the inputs cannot be read again: %s", dir, strerror(errno));
		return -1;
	}
	const char *base = strrchr(o->source, '/');
	buf_printf(out, "{\n  \"briefc\": \"%s\",\n  \"as_of\": \"%s\",\n  \"source\": {\"name\": ",
		BRIEFC_VERSION, date);
	S_json_str(out, base ? base + 1 : o->source);
	buf_printf(out, ", \"sha256\": \"%s\"},\n  \"style\": {\"name\": ", src);
	S_json_str(out, o->style ? o->style : "briefing");
	buf_printf(out, ", \"sha256\": \"%s\"},\n  \"files\": [\n", sty);
	int n;
	char **names = S_listdir(dir, &n);
	for (int i = 0; i < n; i++) {
		struct buf p = {0};
		buf_printf(&p, "%s/%s", dir, names[i]);
		char hex[65];
		long long size = 0;
		int rc = sha256_file(p.data, hex, &size);
		if (rc != 0)
			snprintf(msg, msgsize, "%s: %s", p.data, strerror(errno));
		buf_free(&p);
		if (rc != 0) {
			for (; i < n; i++)
				free(names[i]);
			free(names);
			return -1;
		}
		buf_puts(out, "    {\"name\": ");
		S_json_str(out, names[i]);
		buf_printf(out, ", \"size\": %lld, \"sha256\": \"%s\"}%s\n", size, hex, i + 1 < n ? "," : "");
		free(names[i]);
	}
	free(names);
	buf_puts(out, "  ]\n}\n");
	return 0;
}

/* The manifest's file lines ("name" -> line) for comparing two snapshots. */
static const char *S_entry(const char *manifest, const char *name)
{
	struct buf key = {0};
	buf_puts(&key, "{\"name\": ");
	S_json_str(&key, name);
	const char *at = strstr(manifest, key.data);
	buf_free(&key);
	return at;
}

static int S_same_line(const char *a, const char *b)
{
	while (*a && *a != '\n' && *a == *b)
		a++, b++;
	return (*a == '\n' || *a == '\0') && (*b == '\n' || *b == '\0');
}

/* What would change: files whose entries differ or exist on one side only; the inputs. */
static void S_changes(const char *old, const char *new, struct buf *list)
{
	const char *keys[] = {"\"source\":", "\"style\":", "\"briefc\":"};
	for (int i = 0; i < 3; i++) {
		const char *a = strstr(old, keys[i]), *b = strstr(new, keys[i]);
		if (!a || !b || !S_same_line(a, b))
			buf_printf(list, "%s%.*s", list->len ? ", " : "", (int)strlen(keys[i]) - 3, keys[i] + 1);
	}
	for (int pass = 0; pass < 2; pass++) {
		/* new entries that differ or are new; then old entries that are gone */
		const char *scan = pass ? old : new;
		const char *other = pass ? new : old;
		const char *files = strstr(scan, "\"files\"");
		for (const char *p = files ? strstr(files, "{\"name\": \"") : NULL; p;
			p = strstr(p + 1, "{\"name\": \"")) {
			const char *s = p + 10, *e = strchr(s, '"');
			if (e == NULL)
				break;
			char *name = xstrndup(s, (size_t)(e - s));
			const char *q = S_entry(other, name);
			if (q == NULL || (pass == 0 && !S_same_line(p, q)))
				buf_printf(list, "%s%s", list->len ? ", " : "", name);
			free(name);
		}
	}
}

/* Makes a staging directory durable before it is published: every file in it (the reports
 * were written unsynced, so that the workers never wait for the disk; this process does),
 * the manifest, then the directory's entries. 0, or -1 with a message in msg. */
static int S_sync_staged(const char *dir, char *msg, size_t msgsize)
{
	int n, rc = 0;
	char **names = S_listdir(dir, &n);
	for (int i = 0; i <= n; i++) {
		struct buf p = {0};
		buf_printf(&p, "%s/%s", dir, i < n ? names[i] : "manifest.json");
		if (rc == 0 && out_sync_path(p.data) != 0) {
			snprintf(msg, msgsize, "%s: %s", p.data, strerror(errno));
			rc = -1;
		}
		buf_free(&p);
		if (i < n)
			free(names[i]);
	}
	free(names);
	if (rc == 0 && out_sync_path(dir) != 0) {
		snprintf(msg, msgsize, "%s: %s", dir, strerror(errno));
		rc = -1;
	}
	return rc;
}

/* Publishes a dated snapshot whose reports are in tmpdir (c: the worst exit code of its
 * jobs): writes its manifest and renames the directory into place, or reports why not.
 * Returns the date's exit code. */
static int S_publish(const struct drv_options *o, const char *root, const char *stem,
	const char *date, const char *tmpdir, int c, FILE *out, FILE *err)
{
	struct buf final = {0}, tmp = {0};
	buf_printf(&final, "%s/%s/%s", root, stem, date);
	buf_puts(&tmp, tmpdir);
	char msg[512];
	int code = EXIT_OK;
	struct buf man = {0};
	if (c == EXIT_OK && S_manifest(tmp.data, o, date, &man, msg, sizeof msg) != 0) {
		fprintf(err, "briefc: error: %s\n", msg);
		c = EXIT_IO;
	}
	if (c != EXIT_OK) {
		S_rmtree(tmp.data);
		buf_free(&man);
		buf_free(&final);
		buf_free(&tmp);
		return c;
	}
	struct buf mpath = {0};
	buf_printf(&mpath, "%s/manifest.json", tmp.data);
	int wrote = out_write_atomic(mpath.data, man.data, man.len, OUT_STAGED, msg, sizeof msg);
	buf_free(&mpath);
	struct buf oldm = {0};
	buf_printf(&oldm, "%s/manifest.json", final.data);
	char *old = file_slurp(oldm.data, NULL);
	buf_free(&oldm);
	struct stat st;
	int exists = stat(final.data, &st) == 0;
	if (wrote != 0) {
		fprintf(err, "briefc: error: %s\n", msg);
		S_rmtree(tmp.data);
		code = EXIT_IO;
	} else if (exists && old != NULL && strcmp(old, man.data) == 0) {
		/* the same inputs give the same bytes: nothing to write */
		S_rmtree(tmp.data);
		fprintf(out, "%s: unchanged\n", final.data);
	} else if (exists && !o->replace) {
		struct buf list = {0};
		if (old != NULL)
			S_changes(old, man.data, &list);
		fprintf(err, "%s: error: this snapshot exists and would change (%s); "
			"use --replace to replace it\n", final.data,
			list.data ? list.data : "its manifest is missing");
		buf_free(&list);
		S_rmtree(tmp.data);
		code = S_worst(code, EXIT_INVALID);
	} else {
		/* publish the whole directory at once */
		struct buf aside = {0};
		buf_printf(&aside, "%s/%s/.%s.old-%ld", root, stem, date, (long)getpid());
		if (S_sync_staged(tmp.data, msg, sizeof msg) != 0) {
			fprintf(err, "briefc: error: %s\n", msg);
			S_rmtree(tmp.data);
			code = EXIT_IO;
		} else if (exists && rename(final.data, aside.data) != 0) {
			fprintf(err, "briefc: error: %s: %s\n", final.data, strerror(errno));
			S_rmtree(tmp.data);
			code = EXIT_IO;
		} else if (rename(tmp.data, final.data) != 0) {
			fprintf(err, "briefc: error: %s: %s\n", final.data, strerror(errno));
			if (exists)
				rename(aside.data, final.data);
			S_rmtree(tmp.data);
			code = EXIT_IO;
		} else {
			struct buf parent = {0};
			buf_printf(&parent, "%s/%s", root, stem);
			out_sync_path(parent.data); /* the new entry (best effort, as for any file) */
			buf_free(&parent);
			if (exists)
				S_rmtree(aside.data);
			fprintf(out, "%s%s\n", final.data, exists ? ": replaced" : "");
		}
		buf_free(&aside);
	}
	free(old);
	buf_free(&man);
	buf_free(&final);
	buf_free(&tmp);
	return code;
}

/* The archive's progress: each date is published once all of its reports are made, in date
 * order, while the workers go on with the later dates; what publishing prints waits in
 * memory and is printed, date by date, after the reports' own messages. */
struct S_archive {
	const struct drv_options *o;
	const char *root, *stem;
	const struct S_job *jobs; /* a date's first job has its date (as_of) and directory */
	const int *first, *codes;
	int *left;       /* per date: its reports not yet made */
	int ndates, next; /* dates published so far */
	int code;
	struct S_said {
		char *out, *err;
		size_t nout, nerr;
	} *said; /* per date: what publishing it printed */
};

static void S_job_done(void *ctx, int job)
{
	struct S_archive *a = ctx;
	int lo = 0, hi = a->ndates - 1; /* the date whose jobs hold job: first is increasing */
	while (lo < hi) {
		int mid = lo + (hi - lo + 1) / 2;
		if (a->first[mid] <= job)
			lo = mid;
		else
			hi = mid - 1;
	}
	a->left[lo]--;
	for (; a->next < a->ndates && a->left[a->next] == 0; a->next++) {
		int k = a->next, c = EXIT_OK;
		for (int j = a->first[k]; j < a->first[k + 1]; j++)
			c = S_worst(c, a->codes[j]);
		FILE *out = open_memstream(&a->said[k].out, &a->said[k].nout);
		FILE *err = open_memstream(&a->said[k].err, &a->said[k].nerr);
		if (out == NULL || err == NULL) {
			c = EXIT_IO;
			S_rmtree(a->jobs[a->first[k]].dir);
		} else {
			c = S_publish(a->o, a->root, a->stem, a->jobs[a->first[k]].as_of,
				a->jobs[a->first[k]].dir, c,
				out, err);
		}
		if (out != NULL)
			fclose(out);
		if (err != NULL)
			fclose(err);
		a->code = S_worst(a->code, c);
	}
}

int drv_archive(const struct drv_options *o, FILE *out, FILE *err)
{
	if (o->ndates == 0)
		return S_usage(err, "archive needs --as-of DATE (repeatable) or --every ... --from ... --to ...%s%s", "", "");
	struct diags d = {0};
	struct S_loaded ld = {0};
	if (!S_load(o, &ld, 1, &d)) {
		S_unload(&ld);
		return S_finish(&d, err, EXIT_INVALID);
	}
	int code = S_finish(&d, err, EXIT_OK);
	int bad = S_check_args(o, ld.m, err);
	if (bad != EXIT_OK) {
		S_unload(&ld);
		return bad;
	}
	char *stem = S_stem(o->source);
	const char *root = o->outdir ? o->outdir : "output/archive";
	/* every report of every date (PDF and .tex) into the date's staging directory, all in
	 * one run of the workers, so that they keep their caches from date to date */
	struct drv_options jo = *o;
	jo.all_topics = 1;
	jo.ntopics = 0;
	jo.ndates = 1;
	jo.shard_n = 0;
	jo.pdf = jo.tex = 1;
	jo.quiet = 1;
	jo.dump = DUMP_NONE;
	int ndates = 0, njobs = 0;
	int *first = xmalloc((size_t)(o->ndates + 1) * sizeof *first); /* its first job */
	struct S_job *jobs = NULL;
	/* the staging directories are made by the reports as they are written (a long series
	 * does not have them all at once); their parent is made, or found unwritable, here */
	struct buf base = {0};
	buf_printf(&base, "%s/%s", root, stem);
	char msg[512];
	int writable = out_mkdirs(base.data, msg, sizeof msg) == 0;
	if (!writable) {
		fprintf(err, "briefc: error: %s\n", msg);
		code = EXIT_IO;
	}
	buf_free(&base);
	for (int k = 0; writable && k < o->ndates; k++) {
		if (o->shard_n > 0 && k % o->shard_n != o->shard_i - 1)
			continue;
		struct buf tmp = {0};
		buf_printf(&tmp, "%s/%s/.%s.tmp-%ld", root, stem, o->dates[k], (long)getpid());
		S_rmtree(tmp.data);
		jo.dates = &o->dates[k];
		int n;
		struct S_job *dj = S_plan(&jo, ld.m, tmp.data, &n);
		for (int i = 0; i < n; i++)
			dj[i].sync = OUT_STAGED; /* (S_publish makes the directory durable) */
		jobs = xrealloc(jobs, (size_t)(njobs + n) * sizeof *jobs);
		memcpy(jobs + njobs, dj, (size_t)n * sizeof *jobs);
		free(dj); /* (its jobs' strings now belong to jobs) */
		first[ndates] = njobs;
		ndates++;
		buf_free(&tmp); /* (the jobs have copies) */
		njobs += n;
	}
	first[ndates] = njobs;
	int *codes = xmalloc((size_t)(njobs ? njobs : 1) * sizeof *codes);
	struct S_archive arc = {.o = o, .root = root, .stem = stem, .jobs = jobs, .first = first,
		.codes = codes, .ndates = ndates};
	arc.left = xcalloc((size_t)(ndates ? ndates : 1), sizeof *arc.left);
	arc.said = xcalloc((size_t)(ndates ? ndates : 1), sizeof *arc.said);
	for (int i = 0; i < ndates; i++)
		arc.left[i] = first[i + 1] - first[i];
	if (njobs > 0)
		S_run_jobs(&ld, &jo, jobs, njobs, out, err, 1, codes, S_job_done, &arc);
	S_free_jobs(jobs, njobs);
	code = S_worst(code, arc.code);
	for (int i = 0; i < ndates; i++) {
		if (arc.said[i].out != NULL)
			fwrite(arc.said[i].out, 1, arc.said[i].nout, out);
		if (arc.said[i].err != NULL)
			fwrite(arc.said[i].err, 1, arc.said[i].nerr, err);
		free(arc.said[i].out);
		free(arc.said[i].err);
	}
	free(arc.left);
	free(arc.said);
	free(codes);
	free(first);
	free(stem);
	S_unload(&ld);
	return code;
}

int drv_verify(const char *dir, FILE *out, FILE *err)
{
	struct buf mpath = {0};
	buf_printf(&mpath, "%s/manifest.json", dir);
	char *man = file_slurp(mpath.data, NULL);
	buf_free(&mpath);
	if (man == NULL) {
		fprintf(err, "%s: error: no manifest.json to verify against\n", dir);
		return EXIT_IO;
	}
	int problems = 0, files = 0;
	const char *files_at = strstr(man, "\"files\"");
	for (const char *p = files_at ? strstr(files_at, "{\"name\": \"") : NULL; p;
		p = strstr(p + 1, "{\"name\": \"")) {
		const char *s = p + 10, *e = strchr(s, '"');
		const char *h = strstr(p, "\"sha256\": \"");
		if (e == NULL || h == NULL)
			break;
		char *name = xstrndup(s, (size_t)(e - s));
		char want[65];
		snprintf(want, sizeof want, "%.64s", h + 11);
		struct buf f = {0};
		buf_printf(&f, "%s/%s", dir, name);
		char got[65];
		files++;
		if (strchr(name, '/') != NULL) {
			fprintf(err, "%s: error: the manifest names a file outside the snapshot\n", f.data);
			problems++;
		} else if (sha256_file(f.data, got, NULL) != 0) {
			fprintf(err, "%s: error: missing\n", f.data);
			problems++;
		} else if (strcmp(got, want) != 0) {
			fprintf(err, "%s: error: changed since it was archived (SHA-256 differs)\n", f.data);
			problems++;
		}
		buf_free(&f);
		free(name);
	}
	int n;
	char **names = S_listdir(dir, &n);
	for (int i = 0; i < n; i++) {
		if (S_entry(man, names[i]) == NULL) {
			fprintf(err, "%s/%s: error: not in the manifest\n", dir, names[i]);
			problems++;
		}
		free(names[i]);
	}
	free(names);
	free(man);
	if (problems == 0)
		fprintf(out, "%s: %d files verified\n", dir, files);
	return problems ? EXIT_INVALID : EXIT_OK;
}
