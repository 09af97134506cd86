/* main.c: the briefc command line: parses arguments and hands the work to the driver. */
#include "driver.h"

#include <stdio.h>
#include <string.h>

#define BRIEFC_VERSION "0.1.0"

static const char S_usage[] =
	"usage: briefc build SOURCE.xml [--style FILE] [--out DIR] [--format pdf|tex|pdf,tex]\n"
	"                   [--dump tree|layout] [--stats]\n"
	"       briefc check SOURCE.xml [--style FILE]\n"
	"       briefc help [build|check]\n"
	"       briefc --help | --version\n";

static const char S_help_build[] =
	"briefc build SOURCE.xml [options]\n"
	"  Validates SOURCE.xml and writes DIR/<stem>.pdf, a paginated briefing, and/or\n"
	"  DIR/<stem>.tex, the same document as LaTeX (compile it with xelatex or lualatex,\n"
	"  twice), printing each path written on a line of its own.\n"
	"  --style FILE       style sheet (default: the built-in styles/briefing.xml)\n"
	"  --out DIR          output directory (default: output), created if missing\n"
	"  --format LIST      pdf (default), tex, or pdf,tex for both\n"
	"  --dump tree        print the document tree instead of writing files\n"
	"  --dump layout      print the laid-out pages instead of writing files\n"
	"  --stats            also print typesetting figures: pages, lines, hyphenated,\n"
	"                     loose (stretched past 1), tight, overfull, emergency paragraphs\n";

static const char S_help_check[] =
	"briefc check SOURCE.xml [--style FILE]\n"
	"  Validates the source (well-formedness, schema, semantic checks) and the style,\n"
	"  printing every problem as FILE:LINE:COL: error|warning: MESSAGE.\n";

static const char S_help_exit[] =
	"exit status:\n"
	"  0  success (warnings allowed)\n"
	"  1  the source or the style is invalid (diagnostics printed)\n"
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
	fputs(S_help_exit, out);
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
		else
			return S_usage_error("no help on '%s'; commands are build and check", argv[2]);
		return EXIT_OK;
	}
	int build = strcmp(cmd, "build") == 0;
	if (!build && strcmp(cmd, "check") != 0)
		return S_usage_error("unknown command '%s'; commands are build, check and help", cmd);

	struct drv_options o = {.pdf = 1};
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		int takes = strcmp(a, "--style") == 0 || strcmp(a, "--out") == 0 ||
			strcmp(a, "--format") == 0 || strcmp(a, "--dump") == 0;
		if (takes) {
			if (i + 1 >= argc)
				return S_usage_error("option %s needs a value", a);
			val = argv[++i];
		}
		if (strcmp(a, "--style") == 0) {
			o.style = val;
		} else if (strcmp(a, "--out") == 0 && build) {
			o.outdir = val;
		} else if (strcmp(a, "--format") == 0 && build) {
			o.pdf = strcmp(val, "pdf") == 0 || strcmp(val, "pdf,tex") == 0 ||
				strcmp(val, "tex,pdf") == 0;
			o.tex = strcmp(val, "tex") == 0 || strcmp(val, "pdf,tex") == 0 ||
				strcmp(val, "tex,pdf") == 0;
			if (!o.pdf && !o.tex)
				return S_usage_error("--format '%s' is not one of pdf, tex, pdf,tex", val);
		} else if (strcmp(a, "--dump") == 0 && build) {
			if (strcmp(val, "tree") == 0)
				o.dump = DUMP_TREE;
			else if (strcmp(val, "layout") == 0)
				o.dump = DUMP_LAYOUT;
			else
				return S_usage_error("--dump '%s' is not one of tree, layout", val);
		} else if (strcmp(a, "--stats") == 0 && build) {
			o.stats = 1;
		} else if (a[0] == '-' && a[1] != '\0') {
			return S_usage_error(build ? "unknown option '%s' (options: --style, --out, --format, --dump, --stats)"
				: "unknown option '%s' (check takes --style only)", a);
		} else if (o.source == NULL) {
			o.source = a;
		} else {
			return S_usage_error("only one SOURCE.xml at a time; '%s' is one too many", a);
		}
	}
	if (o.source == NULL)
		return S_usage_error("%s", "no SOURCE.xml given");
	return build ? drv_build(&o, stdout, stderr) : drv_check(&o, stderr);
}
