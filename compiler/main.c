/* main.c: the briefc command line: parses arguments and hands the work to the driver. */
#include "driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const char S_usage[] =
	"usage: briefc build SOURCE.xml [--style FILE] [--out DIR] [--format pdf|tex|pdf,tex]\n"
	"                   [--topic ID]... [--all-topics] [--as-of DATE]... [--jobs N]\n"
	"                   [--shard I/N] [--dump tree|layout] [--stats]\n"
	"       briefc check SOURCE.xml [--style FILE]\n"
	"       briefc topics SOURCE.xml\n"
	"       briefc archive SOURCE.xml (--as-of DATE... | --every day|week|month --from DATE\n"
	"                   --to DATE) [--out DIR] [--style FILE] [--replace] [--jobs N] [--shard I/N]\n"
	"       briefc archive --verify DIR/<stem>/<date>\n"
	"       briefc help [build|check|topics|archive]\n"
	"       briefc --help | --version\n";

static const char S_help_build[] =
	"briefc build SOURCE.xml [options]\n"
	"  Validates SOURCE.xml and writes DIR/<stem>.pdf, a paginated briefing, and/or\n"
	"  DIR/<stem>.tex, the same document as LaTeX (compile it with xelatex or lualatex,\n"
	"  twice), printing each path written on a line of its own.\n"
	"  --style FILE       style sheet, or a built-in style by name: briefing (default),\n"
	"                     memo, digest\n"
	"  --out DIR          output directory (default: output), created if missing\n"
	"  --format LIST      pdf (default), tex, or pdf,tex for both\n"
	"  --topic ID         a topic report: only what is tagged with ID; repeat for the\n"
	"                     union of topics (files <stem>.<id>[+<id>...].pdf)\n"
	"  --all-topics       the full briefing and a report on every topic\n"
	"  --as-of DATE       a dated snapshot: the situation at the end of DATE (YYYY-MM-DD);\n"
	"                     repeatable (files <stem>[.<topic>].<date>.pdf)\n"
	"  --jobs N           reports made at once (default: the processors this process\n"
	"                     may use); the output equals a serial run's\n"
	"  --shard I/N        only the I-th of N slices of the reports (for spreading a large\n"
	"                     batch over machines; the union of all slices is the whole)\n"
	"  --dump tree        print the document tree instead of writing files\n"
	"  --dump layout      print the laid-out pages instead of writing files\n"
	"  --stats            also print typesetting figures: pages, lines, hyphenated,\n"
	"                     loose (stretched past 1), tight, overfull, emergency paragraphs\n";

static const char S_help_check[] =
	"briefc check SOURCE.xml [--style FILE]\n"
	"  Validates the source (well-formedness, schema, semantic checks) and the style,\n"
	"  printing every problem as FILE:LINE:COL: error|warning: MESSAGE.\n";

static const char S_help_topics[] =
	"briefc topics SOURCE.xml\n"
	"  Lists the source's topics: identifier, number of items (terms, reactions, events,\n"
	"  statements) a report on it holds, label.\n";

static const char S_help_archive[] =
	"briefc archive SOURCE.xml --as-of DATE [--as-of DATE...] [options]\n"
	"briefc archive SOURCE.xml --every day|week|month --from DATE --to DATE [options]\n"
	"  Writes DIR/<stem>/<date>/ for each date: the full briefing and every topic report,\n"
	"  PDF and .tex, and manifest.json with each file's size and SHA-256, the source's and\n"
	"  the style's SHA-256 and briefc's version. A snapshot is immutable: archiving the same\n"
	"  date again with the same inputs writes nothing; with other inputs it is refused\n"
	"  (exit 1, naming what would change) unless --replace is given.\n"
	"  --out DIR          archive directory (default: output/archive)\n"
	"  --style FILE       as for build\n"
	"  --replace          replace snapshots whose inputs changed\n"
	"  --jobs N, --shard I/N   as for build (shards divide the dates)\n"
	"briefc archive --verify DIR/<stem>/<date>\n"
	"  Checks every file of a snapshot against its manifest: changed, missing or extra.\n";

static const char S_help_exit[] =
	"exit status:\n"
	"  0  success (warnings allowed)\n"
	"  1  the source or the style is invalid (diagnostics printed); an archive refused\n"
	"  2  usage error\n"
	"  3  I/O or internal failure\n";

static int S_usage_error(const char *fmt, const char *arg)
{
	fputs("briefc: error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	fputs(S_usage, stderr);
	fputs("Try 'briefc --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

static void S_help(FILE *out)
{
	fputs("briefc " BRIEFC_VERSION ": compiles an XML agreement dossier into briefings.\n\n", out);
	fputs(S_usage, out);
	fputc('\n', out);
	fputs(S_help_build, out);
	fputc('\n', out);
	fputs(S_help_check, out);
	fputc('\n', out);
	fputs(S_help_topics, out);
	fputc('\n', out);
	fputs(S_help_archive, out);
	fputc('\n', out);
	fputs(S_help_exit, out);
}

/* Options each command takes; every one takes a value unless it is a flag. */
static int S_takes_value(const char *a)
{
	static const char *v[] = {"--style", "--out", "--format", "--dump", "--topic", "--as-of",
		"--jobs", "--shard", "--every", "--from", "--to", "--verify"};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++)
		if (strcmp(a, v[i]) == 0)
			return 1;
	return 0;
}

static int S_allowed(const char *cmd, const char *opt)
{
	static const struct {
		const char *cmd, *opts;
	} t[] = {
		{"build", " --style --out --format --dump --stats --topic --all-topics --as-of --jobs --shard "},
		{"check", " --style "},
		{"topics", " "},
		{"archive", " --style --out --as-of --every --from --to --replace --jobs --shard --verify "},
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		if (strcmp(t[i].cmd, cmd) != 0)
			continue;
		char key[64];
		snprintf(key, sizeof key, " %s ", opt);
		return strstr(t[i].opts, key) != NULL;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return S_usage_error("%s", "no command given");
	const char *cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		S_help(stdout);
		return EXIT_OK;
	}
	if (strcmp(cmd, "--version") == 0) {
		puts("briefc " BRIEFC_VERSION);
		return EXIT_OK;
	}
	if (strcmp(cmd, "help") == 0) {
		if (argc == 2)
			S_help(stdout);
		else if (strcmp(argv[2], "build") == 0)
			fputs(S_help_build, stdout);
		else if (strcmp(argv[2], "check") == 0)
			fputs(S_help_check, stdout);
		else if (strcmp(argv[2], "topics") == 0)
			fputs(S_help_topics, stdout);
		else if (strcmp(argv[2], "archive") == 0)
			fputs(S_help_archive, stdout);
		else
			return S_usage_error("no help on '%s'; commands are build, check, topics and archive", argv[2]);
		return EXIT_OK;
	}
	if (strcmp(cmd, "build") != 0 && strcmp(cmd, "check") != 0 && strcmp(cmd, "topics") != 0 &&
		strcmp(cmd, "archive") != 0)
		return S_usage_error("unknown command '%s'; commands are build, check, topics, archive and help", cmd);
	int build = strcmp(cmd, "build") == 0, archive = strcmp(cmd, "archive") == 0;

	struct drv_options o = {.pdf = 1};
	const char *topics[64], *dates[256];
	const char *every = NULL, *from = NULL, *to = NULL, *verify = NULL;
	o.topics = topics;
	o.dates = dates;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		if (a[0] == '-' && a[1] != '\0') {
			if (!S_allowed(cmd, a)) {
				char hint[160];
				snprintf(hint, sizeof hint, "unknown option '%%s' for %s (see 'briefc help %s')", cmd, cmd);
				return S_usage_error(hint, a);
			}
			if (S_takes_value(a)) {
				if (i + 1 >= argc)
					return S_usage_error("option %s needs a value", a);
				val = argv[++i];
			}
		}
		if (strcmp(a, "--style") == 0) {
			o.style = val;
		} else if (strcmp(a, "--out") == 0) {
			o.outdir = val;
		} else if (strcmp(a, "--format") == 0) {
			o.pdf = strcmp(val, "pdf") == 0 || strcmp(val, "pdf,tex") == 0 ||
				strcmp(val, "tex,pdf") == 0;
			o.tex = strcmp(val, "tex") == 0 || strcmp(val, "pdf,tex") == 0 ||
				strcmp(val, "tex,pdf") == 0;
			if (!o.pdf && !o.tex)
				return S_usage_error("--format '%s' is not one of pdf, tex, pdf,tex", val);
		} else if (strcmp(a, "--dump") == 0) {
			if (strcmp(val, "tree") == 0)
				o.dump = DUMP_TREE;
			else if (strcmp(val, "layout") == 0)
				o.dump = DUMP_LAYOUT;
			else
				return S_usage_error("--dump '%s' is not one of tree, layout", val);
		} else if (strcmp(a, "--stats") == 0) {
			o.stats = 1;
		} else if (strcmp(a, "--topic") == 0) {
			if (o.ntopics == 64)
				return S_usage_error("%s", "at most 64 --topic options");
			topics[o.ntopics++] = val;
		} else if (strcmp(a, "--all-topics") == 0) {
			o.all_topics = 1;
		} else if (strcmp(a, "--as-of") == 0) {
			if (o.ndates == 256)
				return S_usage_error("%s", "at most 256 --as-of options (use --every for a series)");
			dates[o.ndates++] = val;
		} else if (strcmp(a, "--jobs") == 0) {
			char *end;
			long n = strtol(val, &end, 10);
			if (*end != '\0' || n < 1 || n > 256)
				return S_usage_error("--jobs '%s' is not a number from 1 to 256", val);
			o.jobs = (int)n;
		} else if (strcmp(a, "--shard") == 0) {
			int si, sn;
			char extra;
			if (sscanf(val, "%d/%d%c", &si, &sn, &extra) != 2 || sn < 1 || si < 1 || si > sn)
				return S_usage_error("--shard '%s' is not I/N with 1 <= I <= N", val);
			o.shard_i = si;
			o.shard_n = sn;
		} else if (strcmp(a, "--every") == 0) {
			every = val;
		} else if (strcmp(a, "--from") == 0) {
			from = val;
		} else if (strcmp(a, "--to") == 0) {
			to = val;
		} else if (strcmp(a, "--replace") == 0) {
			o.replace = 1;
		} else if (strcmp(a, "--verify") == 0) {
			verify = val;
		} else if (o.source == NULL) {
			o.source = a;
		} else {
			return S_usage_error("only one SOURCE.xml at a time; '%s' is one too many", a);
		}
	}
	if (archive && verify != NULL) {
		if (o.source != NULL)
			return S_usage_error("--verify takes a snapshot directory, not '%s'", o.source);
		return drv_verify(verify, stdout, stderr);
	}
	if (o.source == NULL)
		return S_usage_error("%s", "no SOURCE.xml given");
	if (o.all_topics && o.ntopics > 0)
		return S_usage_error("%s", "--topic and --all-topics do not go together");
	if (every != NULL || from != NULL || to != NULL) {
		char msg[160];
		int n = 0;
		const char **series = drv_series(every, from, to, &n, msg, sizeof msg);
		if (series == NULL)
			return S_usage_error("%s", msg);
		o.dates = series;
		o.ndates = n;
		int rc = archive ? drv_archive(&o, stdout, stderr) : drv_build(&o, stdout, stderr);
		for (int i = 0; i < n; i++)
			free((void *)series[i]);
		free(series);
		return rc;
	}
	if (build)
		return drv_build(&o, stdout, stderr);
	if (archive)
		return drv_archive(&o, stdout, stderr);
	if (strcmp(cmd, "topics") == 0)
		return drv_topics(&o, stdout, stderr);
	return drv_check(&o, stderr);
}
