#!/usr/bin/env python3
"""run.py: briefc's test driver: unit tests, golden dumps, end-to-end PDF checks, bad inputs.

Prints "ok NAME" or "FAIL NAME: why" per test and ends with "N passed, N failed".
Usage: python3 tests/run.py --briefc PATH --unit PATH [--update-golden] [--only SUBSTRING]
"""
import argparse
import glob
import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import HERE, ROOT, SOURCE, TESTS, VALGRIND, Failure, check, need, report, results, run, test  # noqa: E402

# ---------------------------------------------------------------- command line


@test
def cli_help_and_version(ctx):
    r = run([ctx.briefc, "--help"], text=True)
    check(r.returncode == 0, f"--help exit {r.returncode}")
    for word in ["briefc build SOURCE.xml", "exit status", "3  I/O or internal failure", "--dump"]:
        check(word in r.stdout, f"--help lacks {word!r}")
    r = run([ctx.briefc, "--version"], text=True)
    check(r.returncode == 0 and re.match(r"briefc \d+\.\d+\.\d+", r.stdout), f"--version: {r.stdout!r}")
    r = run([ctx.briefc, "help", "build"], text=True)
    check(r.returncode == 0 and "--style FILE" in r.stdout, "help build")


@test
def cli_usage_errors(ctx):
    cases = [
        ([], "no command given"),
        (["frobnicate"], "unknown command 'frobnicate'"),
        (["build", SOURCE, "--colour"], "unknown option '--colour'"),
        (["build", SOURCE, "--format", "pdf,docx"], "is not one of pdf, tex, pdf,tex"),
        (["build", SOURCE, "--format", "docx"], "is not one of pdf, tex, pdf,tex"),
        (["build", SOURCE, "--dump", "pages"], "is not one of tree, layout"),
        (["build"], "no SOURCE.xml given"),
        (["build", SOURCE, "--out"], "option --out needs a value"),
        (["check", SOURCE, "--out", "x"], "unknown option '--out'"),
    ]
    for args, msg in cases:
        r = run([ctx.briefc] + args, text=True)
        check(r.returncode == 2, f"{args}: exit {r.returncode}, want 2")
        check(msg in r.stderr, f"{args}: stderr lacks {msg!r}: {r.stderr!r}")
        check("Try 'briefc --help'" in r.stderr, f"{args}: no hint")


@test
def cli_missing_file_is_io_error(ctx):
    r = run([ctx.briefc, "build", "/nonexistent/x.xml", "--out", ctx.tmp("io")], text=True)
    check(r.returncode == 3, f"exit {r.returncode}, want 3")
    check("/nonexistent/x.xml: error: cannot read file" in r.stderr, r.stderr)
    r = run([ctx.briefc, "check", HERE], text=True)
    check(r.returncode == 3 and "not a regular file" in r.stderr, f"{r.returncode} {r.stderr}")


# ---------------------------------------------------------------- the shipped briefing


def build_briefing(ctx, out, env=None):
    r = run([ctx.briefc, "build", SOURCE, "--out", out], text=True, env=env)
    check(r.returncode == 0, f"exit {r.returncode}: {r.stderr}")
    pdf = os.path.join(out, "nagorno-karabakh-2020.pdf")
    check(r.stdout.strip() == pdf, f"printed {r.stdout!r}, want {pdf!r}")
    check(os.path.isfile(pdf), "no PDF written")
    return pdf, r


@test
def briefing_builds_cleanly(ctx):
    pdf, r = build_briefing(ctx, ctx.tmp("brief"))
    check(" error:" not in r.stderr, f"errors: {r.stderr}")
    ctx.briefing = pdf
    left = [f for f in os.listdir(os.path.dirname(pdf)) if f != os.path.basename(pdf)]
    check(left == [], f"files left beside the PDF: {left}")


@test
def briefing_qpdf_check(ctx):
    need("qpdf")
    r = run(["qpdf", "--check", ctx.briefing], text=True)
    check(r.returncode == 0, r.stdout + r.stderr)
    check("No syntax or stream encoding errors" in r.stdout, r.stdout)


@test
def briefing_fonts_embedded(ctx):
    need("pdffonts")
    r = run(["pdffonts", ctx.briefing], text=True)
    check(r.returncode == 0, r.stderr)
    rows = r.stdout.splitlines()[2:]
    check(len(rows) >= 3, f"only {len(rows)} fonts")
    for row in rows:
        cols = row.split()
        # name type... encoding emb sub uni id gen: emb/sub/uni are the 5th..3rd from the end
        check(cols[-5] == "yes", f"not embedded: {row}")
        check(cols[-3] == "yes", f"no ToUnicode: {row}")
        check("DejaVu" in cols[0], f"unexpected font {cols[0]}")
    check(r.stderr.strip() == "", f"pdffonts warns: {r.stderr}")


@test
def briefing_pages_and_info(ctx):
    need("pdfinfo")
    r = run(["pdfinfo", ctx.briefing], text=True)
    check(r.returncode == 0, r.stderr)
    info = dict(l.split(":", 1) for l in r.stdout.splitlines() if ":" in l)
    pages = int(info["Pages"].strip())
    check(10 <= pages <= 60, f"{pages} pages")
    check("2020 Nagorno-Karabakh ceasefire agreement" in info.get("Title", ""), info.get("Title"))
    check("2021" in info.get("CreationDate", ""), f"CreationDate {info.get('CreationDate')}")
    check("A4" in info.get("Page size", ""), info.get("Page size"))
    check(r.stderr.strip() == "", f"pdfinfo warns: {r.stderr}")


def pdf_text(path, *extra):
    need("pdftotext")
    r = run(["pdftotext", *extra, path, "-"], text=True)
    check(r.returncode == 0, r.stderr)
    check(r.stderr.strip() == "", f"pdftotext warns: {r.stderr.strip()[:300]}")
    return r.stdout


@test
def briefing_text_in_order(ctx):
    text = pdf_text(ctx.briefing)
    flat = " ".join(text.split())
    wanted = [
        "2020 Nagorno-Karabakh ceasefire agreement",
        "1 Background",
        "2 Overview",
        "3 The agreement",
        "Term 1",
        "Term 9",
        "4 Timeline",
        "5 Reactions",
        "6 Aftermath",
        "7 Follow-up statements",
        "Who’s who",
        "Azərbaycan Respublikası",
        "Հայաստանի Հանրապետություն",
        "Российская Федерация",
        "საქართველო",
        "İlham Heydər oğlu Əliyev",
        "Նիկոլ Փաշինյան",
        "Владимир Путин",
        "References",
    ]
    pos = 0
    for w in wanted:
        i = flat.find(w, pos)
        check(i >= 0, f"{w!r} missing or out of order (after position {pos})")
        pos = i + len(w)
    for fact in ["1,960", "Lachin corridor", "Kalbajar", "3+3", "11 January 2021", "26 November 2021"]:
        check(fact in flat, f"fact {fact!r} missing")
    check("\ufffd" not in text, "replacement characters in the text")


@test
def briefing_words_inside_margins(ctx):
    """Every word lies within the text block (A4, 25 mm margins), per pdftotext -bbox."""
    xml = pdf_text(ctx.briefing, "-bbox")
    left, right = 25 / 25.4 * 72, 595.276 - 25 / 25.4 * 72
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', xml)
    check(len(words) > 3000, f"only {len(words)} words")
    for x0, x1 in words:
        check(float(x0) >= left - 0.5 and float(x1) <= right + 0.5,
              f"a word spans {x0}..{x1}, outside {left:.1f}..{right:.1f}")


@test
def briefing_justified_lines_flush(ctx):
    """Lines of justified body text end at the right margin (within 0.1 pt) on page 2."""
    xml = pdf_text(ctx.briefing, "-bbox-layout", "-f", "2", "-l", "2")
    right = 595.276 - 25 / 25.4 * 72
    ends = [float(m) for m in re.findall(r'<line xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"', xml)]
    flush = [e for e in ends if abs(e - right) < 0.1]
    check(len(flush) >= 10, f"only {len(flush)} of {len(ends)} lines end at the margin {right:.2f}")
    check(all(e <= right + 0.1 for e in ends), f"a line ends past the margin: {max(ends):.2f}")


@test
def briefing_deterministic(ctx):
    a, _ = build_briefing(ctx, ctx.tmp("det-a"))
    b, _ = build_briefing(ctx, ctx.tmp("det-b"))
    check(open(a, "rb").read() == open(b, "rb").read(), "two builds differ")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    c, _ = build_briefing(ctx, ctx.tmp("det-c"), env=env)
    d, _ = build_briefing(ctx, ctx.tmp("det-d"), env=env)
    check(open(c, "rb").read() == open(d, "rb").read(), "two builds with SOURCE_DATE_EPOCH differ")
    r = run(["pdfinfo", c], text=True)
    check("2023" in r.stdout, "SOURCE_DATE_EPOCH 1700000000 (2023) not used as the date")
    # the page spool (a temporary file) or, without one, memory: the same file; and no
    # temporary is left in TMPDIR (not under valgrind, which keeps its own files there)
    if VALGRIND:
        return
    spool = ctx.tmp("det-spool")
    os.makedirs(spool, exist_ok=True)
    e, _ = build_briefing(ctx, ctx.tmp("det-e"), env=dict(os.environ, TMPDIR=spool))
    check(open(a, "rb").read() == open(e, "rb").read(), "a build with TMPDIR set differs")
    check(os.listdir(spool) == [], f"left in TMPDIR: {os.listdir(spool)}")
    f, _ = build_briefing(ctx, ctx.tmp("det-f"),
                          env=dict(os.environ, TMPDIR=os.path.join(spool, "missing")))
    check(open(a, "rb").read() == open(f, "rb").read(), "a build without a page spool differs")


@test
def briefing_links_and_outline(ctx):
    need("qpdf")
    r = run(["qpdf", "--qdf", "--object-streams=disable", ctx.briefing, "-"], capture_output=True)
    body = r.stdout.decode("latin-1")
    check("/Subtype /Link" in body, "no link annotations")
    check("/URI (https://" in body or "/URI (http://" in body, "no URI links")
    links = [o for o in body.split("endobj") if "/Subtype /Link" in o]
    check(any("/Dest" in l for l in links), "no internal link destinations")
    check(any("/URI" in l or "/A " in l for l in links), "no external links")
    check("/Outlines" in body and "/First" in body, "no outline")


# ---------------------------------------------------------------- golden dumps


def golden_cases():
    return sorted(glob.glob(os.path.join(HERE, "golden", "*.xml")))


@test
def golden_dumps(ctx):
    cases = golden_cases()
    check(cases, "no golden cases")
    for src in cases:
        for kind in ("tree", "layout"):
            want_path = src[:-4] + "." + kind
            r = run([ctx.briefc, "build", src, "--dump", kind], text=True)
            check(r.returncode == 0, f"{src} --dump {kind}: exit {r.returncode}: {r.stderr}")
            if ctx.update or not os.path.exists(want_path):
                with open(want_path, "w") as f:
                    f.write(r.stdout)
                continue
            want = open(want_path).read()
            if r.stdout != want:
                import difflib
                diff = "".join(list(difflib.unified_diff(want.splitlines(True), r.stdout.splitlines(True),
                                                         want_path, "actual"))[:40])
                raise Failure(f"{os.path.basename(want_path)} differs:\n{diff}")


# ---------------------------------------------------------------- bad inputs


@test
def bad_inputs(ctx):
    """Each tests/bad/NAME.xml has NAME.expect: the exit code on the first line, then the
    exact diagnostics (stderr) with the file name written as FILE."""
    cases = sorted(glob.glob(os.path.join(HERE, "bad", "*.xml")))
    check(len(cases) >= 5, f"only {len(cases)} bad cases")
    for src in cases:
        exp = open(src[:-4] + ".expect").read().splitlines()
        code = int(exp[0])
        want = "\n".join(exp[1:]).replace("FILE", os.path.relpath(src, ROOT)).strip()
        out = ctx.tmp("bad-" + os.path.basename(src))
        r = run([ctx.briefc, "build", os.path.relpath(src, ROOT), "--out", out], text=True, cwd=ROOT)
        check(r.returncode == code, f"{os.path.basename(src)}: exit {r.returncode}, want {code}: {r.stderr}")
        check(r.stderr.strip() == want, f"{os.path.basename(src)}: stderr\n{r.stderr}\nwant\n{want}")
        check(not os.path.exists(out) or os.listdir(out) == [],
              f"{os.path.basename(src)}: output written despite errors")
        canary = "CANARY-7f3a9c"
        check(canary not in r.stdout + r.stderr, f"{os.path.basename(src)}: an external file leaked")


@test
def bad_input_never_damages_earlier_output(ctx):
    work = ctx.tmp("atomic")
    os.makedirs(os.path.join(work, "a"))
    os.makedirs(os.path.join(work, "b"))
    out = os.path.join(work, "out")
    good = os.path.join(work, "a", "x.xml")
    shutil.copy(os.path.join(HERE, "golden", "minimal.xml"), good)
    r = run([ctx.briefc, "build", good, "--out", out], text=True)
    check(r.returncode == 0, r.stderr)
    before = open(os.path.join(out, "x.pdf"), "rb").read()
    bad = os.path.join(work, "b", "x.xml")
    with open(bad, "w") as f:
        f.write(open(good).read().replace("<issued>2021-03-01</issued>", "<issued>2021-02-30</issued>"))
    r = run([ctx.briefc, "build", bad, "--out", out], text=True)
    check(r.returncode == 1, f"exit {r.returncode}")
    check(open(os.path.join(out, "x.pdf"), "rb").read() == before, "earlier output changed")
    check(os.listdir(out) == ["x.pdf"], f"left behind: {os.listdir(out)}")


@test
def unwritable_output(ctx):
    work = ctx.tmp("unwritable")
    os.makedirs(work)
    blocker = os.path.join(work, "file")
    open(blocker, "w").write("not a directory")
    r = run([ctx.briefc, "build", SOURCE, "--out", os.path.join(blocker, "sub")], text=True)
    check(r.returncode == 3, f"exit {r.returncode}, want 3: {r.stderr}")
    check("cannot create directory" in r.stderr or "Not a directory" in r.stderr, r.stderr)
    # /dev/full: the write fails and nothing is left behind in the real directory
    if os.path.exists("/dev/full"):
        r = run([ctx.briefc, "build", SOURCE, "--out", "/dev/full"], text=True)
        check(r.returncode == 3, f"/dev/full as directory: exit {r.returncode}")


# ---------------------------------------------------------------- unit tests


def unit_tests(ctx):
    r = run([ctx.unit], text=True, cwd=ROOT, timeout=300)
    seen, names = 0, set()
    for line in r.stdout.splitlines():
        m = re.match(r"(ok|FAIL) (unit/\S+)", line)
        if m:
            if m.group(2) in names:  # (a forked child wrote what its parent had buffered)
                report(m.group(2) + "/reported-twice", False, "its result line appears twice")
                continue
            names.add(m.group(2))
            seen += 1
            detail = ""
            if m.group(1) == "FAIL":
                idx = r.stdout.splitlines().index(line)
                detail = " | ".join(l.strip() for l in r.stdout.splitlines()[max(0, idx - 5):idx] if l.startswith("  "))
            report(m.group(2), m.group(1) == "ok", detail)
    if seen == 0 or r.returncode not in (0, 1):
        report("unit/harness", False, f"exit {r.returncode}: {r.stdout[-500:]} {r.stderr[-500:]}")


def load_suites():
    """Imports every tests/suite_*.py: their @test functions join TESTS."""
    import importlib
    sys.path.insert(0, HERE)
    for path in sorted(glob.glob(os.path.join(HERE, "suite_*.py"))):
        importlib.import_module(os.path.basename(path)[:-3])


class Ctx:
    def __init__(self, briefc, unit, update):
        self.briefc = os.path.abspath(briefc)
        self.unit = os.path.abspath(unit)
        self.update = update
        self.root = tempfile.mkdtemp(prefix="briefc-tests-")
        self.briefing = None

    def tmp(self, name):
        return os.path.join(self.root, name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--briefc", required=True)
    ap.add_argument("--unit", required=True)
    ap.add_argument("--update-golden", action="store_true")
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    os.chdir(ROOT)
    load_suites()
    ctx = Ctx(a.briefc, a.unit, a.update_golden or os.environ.get("BRIEFC_UPDATE_GOLDEN") == "1")
    try:
        if not a.only or "unit" in a.only:
            unit_tests(ctx)
        for fn in TESTS:
            if a.only and a.only not in fn.__name__:
                continue
            try:
                fn(ctx)
                report(fn.__name__, True)
            except Failure as e:
                report(fn.__name__, False, str(e))
            except Exception as e:  # a crash of the test itself is a failure too
                report(fn.__name__, False, f"{type(e).__name__}: {e}")
    finally:
        shutil.rmtree(ctx.root, ignore_errors=True)
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
