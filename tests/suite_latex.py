"""suite_latex.py: the LaTeX backend: golden .tex files, escaping, XeLaTeX and LuaLaTeX runs.

The .tex of the shipped briefing must compile with both engines, without errors and without a
missing character (the generated preamble sets \\tracinglostchars=3, which makes one an error),
and show the same words in the same order as the libharu PDF. An adversarial source's text
must come out literally, with nothing of it run: no file read, no shell command.
"""
import difflib
import glob
from collections import Counter
import os
import re
import shutil
import subprocess
import time

from harness import HERE, ROOT, SOURCE, Failure, check, need, page_of_pages, run, test

LATEX = os.path.join(HERE, "latex")
ADVERSARIAL = os.path.join(LATEX, "adversarial.xml")
MINIMAL = os.path.join(HERE, "golden", "minimal.xml")
LATEX_TIMEOUT = 300  # seconds, per engine run


def env_without_epoch():
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def build_tex(ctx, src, out, *extra):
    r = run([ctx.briefc, "build", src, "--format", "tex", "--out", out, *extra], text=True,
            env=env_without_epoch())
    check(r.returncode == 0, f"{os.path.basename(src)}: exit {r.returncode}: {r.stderr}")
    tex = os.path.join(out, os.path.splitext(os.path.basename(src))[0] + ".tex")
    check(r.stdout.strip() == tex, f"printed {r.stdout!r}, want {tex!r}")
    return tex


def compile_tex(engine, tex, workdir, runs=2, shell_escape=False):
    """Runs engine on a copy of tex in workdir (twice: Page X of Y, contents, outline);
    returns the last run's log, the PDF's path and the time taken."""
    need(engine)
    os.makedirs(workdir, exist_ok=True)
    name = os.path.basename(tex)
    shutil.copy(tex, os.path.join(workdir, name))
    args = [engine, "-shell-escape" if shell_escape else "-no-shell-escape",
            "-interaction=nonstopmode", "-halt-on-error", name]
    t0 = time.monotonic()
    for _ in range(runs):
        r = run(args, cwd=workdir, timeout=LATEX_TIMEOUT, stdin=subprocess.DEVNULL)
        log_path = os.path.join(workdir, name[:-4] + ".log")
        log = open(log_path, encoding="utf-8", errors="replace").read() if os.path.exists(log_path) else ""
        if r.returncode != 0:
            errors = [l for l in log.splitlines() if l.startswith("!")][:5]
            raise Failure(f"{engine} {name}: exit {r.returncode}: {errors or log[-800:]}")
    return log, os.path.join(workdir, name[:-4] + ".pdf"), time.monotonic() - t0


def check_log(engine, log):
    errors = [l for l in log.splitlines() if l.startswith("!")]
    check(not errors, f"{engine}: errors in the log: {errors[:3]}")
    check("Missing character" not in log, f"{engine}: missing characters: "
          + "; ".join(l for l in log.splitlines() if "Missing character" in l)[:400])
    check("Rerun to get" not in log, f"{engine}: two runs did not settle the references")
    check("multiply defined" not in log and "multiply-defined" not in log,
          f"{engine}: a label defined twice: "
          + "; ".join(l for l in log.splitlines() if "multiply" in l)[:300])


def pdf_text(path, *extra):
    need("pdftotext")
    r = run(["pdftotext", "-raw", *extra, path, "-"], text=True)
    check(r.returncode == 0, r.stderr)
    return r.stdout


def word_boxes(pdf):
    """Every word of a PDF with its box: (x min, page, x max, word)."""
    r = run(["pdftotext", "-bbox", pdf, "-"], text=True)
    boxes, page = [], 0
    for line in r.stdout.splitlines():
        if "<page " in line:
            page += 1
        mm = re.search(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*)</word>', line)
        if mm:
            boxes.append((float(mm.group(1)), page, float(mm.group(2)), mm.group(3)))
    return boxes


def squeezed(text):
    """The text without white space, words hyphenated at a line end joined again."""
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    return re.sub(r"\s+", "", text)


def words(text, furniture=()):
    """Words for comparing two PDFs of one document: running heads and page numbers out,
    hyphenation undone, hyphens ignored."""
    text = text.replace("\u00ad", "")
    text = re.sub(r"Page [ivxlcdm\d]+ of \d+", " ", text)
    for f in furniture:
        text = text.replace(f, " ")
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    return re.findall(r"\w+", text.replace("-", " "))


# ---------------------------------------------------------------- command line and output


@test
def latex_cli_formats(ctx):
    out = ctx.tmp("latex-cli")
    r = run([ctx.briefc, "build", MINIMAL, "--format", "pdf,tex", "--out", out], text=True)
    check(r.returncode == 0, f"exit {r.returncode}: {r.stderr}")
    want = [os.path.join(out, "minimal.pdf"), os.path.join(out, "minimal.tex")]
    check(r.stdout.splitlines() == want, f"printed {r.stdout!r}, want {want}")
    check(sorted(os.listdir(out)) == ["minimal.pdf", "minimal.tex"], f"in {out}: {os.listdir(out)}")
    tex = open(want[1], "rb").read()
    out2 = ctx.tmp("latex-cli-2")
    r = run([ctx.briefc, "build", MINIMAL, "--format", "tex", "--out", out2], text=True)
    check(r.returncode == 0 and r.stdout.splitlines() == [os.path.join(out2, "minimal.tex")],
          f"--format tex: exit {r.returncode}, printed {r.stdout!r}")
    check(os.listdir(out2) == ["minimal.tex"], f"--format tex wrote {os.listdir(out2)}")
    check(open(os.path.join(out2, "minimal.tex"), "rb").read() == tex, "two runs give different .tex")
    r = run([ctx.briefc, "build", MINIMAL, "--format", "tex,pdf", "--out", ctx.tmp("latex-cli-3")], text=True)
    check(r.returncode == 0 and len(r.stdout.splitlines()) == 2, f"--format tex,pdf: {r.stdout!r} {r.stderr}")
    r = run([ctx.briefc, "help", "build"], text=True)
    check("pdf,tex" in r.stdout and "xelatex" in r.stdout, f"help build: {r.stdout!r}")


@test
def latex_failed_run_keeps_earlier_tex(ctx):
    work = ctx.tmp("latex-atomic")
    os.makedirs(os.path.join(work, "a"))
    os.makedirs(os.path.join(work, "b"))
    out = os.path.join(work, "out")
    good = os.path.join(work, "a", "x.xml")
    shutil.copy(MINIMAL, good)
    build_tex(ctx, good, out)
    before = open(os.path.join(out, "x.tex"), "rb").read()
    bad = os.path.join(work, "b", "x.xml")
    with open(bad, "w") as f:
        f.write(open(good).read().replace("<issued>2021-03-01</issued>", "<issued>2021-02-30</issued>"))
    r = run([ctx.briefc, "build", bad, "--format", "tex", "--out", out], text=True)
    check(r.returncode == 1, f"exit {r.returncode}")
    check(open(os.path.join(out, "x.tex"), "rb").read() == before, "earlier .tex changed")
    check(os.listdir(out) == ["x.tex"], f"left behind: {os.listdir(out)}")


# ---------------------------------------------------------------- golden .tex files


def golden_tex_cases():
    cases = [(MINIMAL, os.path.join(LATEX, "minimal.tex"))]
    for src in sorted(glob.glob(os.path.join(LATEX, "*.xml"))):
        cases.append((src, src[:-4] + ".tex"))
    return cases


@test
def latex_golden(ctx):
    """tests/latex/NAME.tex is the exact .tex of a small source (BRIEFC_UPDATE_GOLDEN=1
    rewrites them): the renderer's output stays reviewable."""
    for src, want_path in golden_tex_cases():
        tex = build_tex(ctx, src, ctx.tmp("latex-golden-" + os.path.basename(src)))
        got = open(tex, encoding="utf-8").read()
        if ctx.update or not os.path.exists(want_path):
            with open(want_path, "w", encoding="utf-8") as f:
                f.write(got)
            continue
        want = open(want_path, encoding="utf-8").read()
        if got != want:
            diff = "".join(list(difflib.unified_diff(want.splitlines(True), got.splitlines(True),
                                                     want_path, "actual"))[:40])
            raise Failure(f"{os.path.basename(want_path)} differs:\n{diff}")


# ---------------------------------------------------------------- escaping


@test
def latex_escaping_in_source(ctx):
    """What the adversarial source's strings become in the .tex: nothing TeX would run."""
    tex = open(build_tex(ctx, ADVERSARIAL, ctx.tmp("latex-esc")), encoding="utf-8").read()
    preamble, _, body = tex.partition("\\begin{document}")
    for word in ["input", "write", "write18", "immediate", "directlua", "catcode", "def", "csname",
                 "verb", "item[b]", "makeatletter", "footnote{x}", "href{x}", "textbf{bold}", "relax"]:
        cs = "\\" + word
        check(not re.search(re.escape(cs) + r"(?![A-Za-z])", body), f"{cs} appears unescaped in the body")
    check("\\input" not in tex and "\\write18" not in tex and "\\directlua" not in tex,
          "a dangerous command appears in the .tex")
    check("^^" not in tex, "a ^^ sequence appears in the .tex")
    check(body.count("\\end{document}") == 1 and body.rstrip().endswith("\\end{document}"),
          "\\end{document} appears more than once")
    for want in [
        "\\textbackslash{}input\\{/etc/hostname\\}",
        "\\textasciicircum{}\\textasciicircum{}5cinput",
        "\\$x\\textasciicircum{}2\\$ and \\#1 and \\% and \\textasciitilde{}",
        "\\item {[}a{]} at a line start",        # [ after \item is not an optional argument
        "\\item {*} starred item",
        "\\\\\n{*}{[}2pt{]} North",                # * and [ after \\ are text
        "\\endlastfoot\n{[}a{]} South",
        "-{}- with -{}-{}- dashes",               # no dash ligatures
        ",{}, \\textless{}\\textless{} \\textgreater{}\\textgreater{} !\\textasciigrave{}",
        "\\textquotesingle{}statement\\textquotesingle{} \\textasciigrave{}quoted\\textasciigrave{}",
        "no~break, narrow\\,space, soft\\-hyphen, tab tab, \\emph{blank lines} inside",
        "\\textbackslash{}par and", "\\label{t:5Fcease}", "\\hyperref[t:5Fcease]{",  # identifiers as labels, sanitised
        "\\label{:4CastPage}", "\\hyperref[:4CastPage]{",  # (lastpage's own label, an identifier too)
        "\\href{https://example.org/a\\_b\\%41c/\\%7Bx\\%7D\\%5Cy\\%7Cz\\%5Ew(1)?q=1\\&r=\\~s\\#frag}",
    ]:
        check(want in tex, f".tex lacks {want!r}")
    check("\u0085" not in tex, "a control character reached the .tex")
    # no blank line inside a paragraph's markup: every line's braces balance
    for line in body.splitlines():
        if line.startswith(("\\begin{longtable}", "\\newcolumntype")):
            continue
        depth = 0
        for m in re.finditer(r"\\[{}]|[{}]", line):
            if m.group() in ("{", "}"):
                depth += 1 if m.group() == "{" else -1
        check(depth == 0, f"unbalanced braces on a line (inline markup across lines): {line[:120]!r}")
    check("pdfcreator={briefc}" in preamble and "shell" not in preamble.lower(), "preamble")
    check(not re.search(r"\\(input|include|openin|read)\b", preamble), "the preamble reads a file")


# ---------------------------------------------------------------- the briefing, compiled


def latex_briefing(ctx, engine):
    tex = build_tex(ctx, SOURCE, ctx.tmp("latex-brief-tex"))
    log, pdf, secs = compile_tex(engine, tex, ctx.tmp("latex-brief-" + engine))
    check_log(engine, log)
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    wanted = [  # headings without their numbers: the sections' numbering is the style's
        "2020 Nagorno-Karabakh ceasefire agreement", "Contents", "Background", "Overview",
        "The agreement", "Term 1", "Term 9", "Reactions", "Aftermath",
        "Follow-up statements", "Who’s who", "Azərbaycan Respublikası",
        "Հայաստանի Հանրապետություն", "Российская Федерация", "საქართველო",
        "İlham Heydər oğlu Əliyev", "Նիկոլ Փաշինյան", "Владимир Путин", "References",
    ]
    pos = 0
    for w in wanted:
        i = flat.find(w, pos)
        check(i >= 0, f"{engine}: {w!r} missing or out of order (after position {pos})")
        pos = i + len(w)
    check(re.search(r"Page 1 of \d+", flat), f"{engine}: no 'Page X of Y' foot")
    check("Page 1 of ??" not in flat and "??" not in flat, f"{engine}: unresolved references")
    # each numbering counts its own pages: "Page i of ii" on the contents, as the PDF says
    feet = page_of_pages(text.split("\f")[:-1])
    check(feet is None and re.search(r"Page i of [ivx]+ ", flat), f"{engine}: {feet}")
    r = run(["pdffonts", pdf], text=True)
    for row in r.stdout.splitlines()[2:]:
        check(row.split()[-5] == "yes" and "DejaVu" in row, f"{engine}: font {row}")
    # nothing runs into the margins (the timeline's labels did): every word between the
    # text block's edges, which the libharu PDF's justified lines reach
    base = ctx.tmp("latex-brief-margins")
    run([ctx.briefc, "build", SOURCE, "--out", base])
    edges = word_boxes(os.path.join(base, "nagorno-karabakh-2020.pdf"))
    left, right = min(b[0] for b in edges), max(b[2] for b in edges)
    out = [b for b in word_boxes(pdf) if b[0] < left - 2 or b[2] > right + 2]
    check(not out, f"{engine}: {len(out)} words past the text block ({left:.1f}..{right:.1f}): "
          f"{[(w, round(x0), round(x1)) for x0, _, x1, w in out[:4]]}")
    setattr(ctx, "latex_" + engine, pdf)
    setattr(ctx, "latex_time_" + engine, secs)
    return pdf


@test
def latex_briefing_xelatex(ctx):
    latex_briefing(ctx, "xelatex")


@test
def latex_briefing_lualatex(ctx):
    latex_briefing(ctx, "lualatex")


@test
def latex_contents_front(ctx):
    """The briefing style's toc="front" in TeX: a topic report's short contents is set on
    its front page, under the title and abstract (needspace's room check), and the body
    starts on the next page, numbered 1 ("Page i of i", then "Page 1 of ..."), as in the
    PDF; the whole briefing's contents starts a page of its own (latex_briefing)."""
    out = ctx.tmp("latex-front-tex")
    r = run([ctx.briefc, "build", SOURCE, "--topic", "pow", "--format", "tex", "--out", out],
            text=True, env=env_without_epoch())
    check(r.returncode == 0, r.stderr)
    tex = r.stdout.strip()
    check("\\briefContentsRoom{" in open(tex).read(), "no room check before the contents")
    log, pdf, _ = compile_tex("xelatex", tex, ctx.tmp("latex-front-xelatex"))
    check_log("xelatex", log)
    pages = pdf_text(pdf).split("\f")[:-1]
    first = " ".join(pages[0].split())
    check("2020 Nagorno-Karabakh ceasefire agreement" in first and "Contents" in first and
          "Page i of i" in first, f"page 1: {first[:300]!r} ... {first[-80:]!r}")
    second = " ".join(pages[1].split())
    check("Contents" not in second and "Page 1 of" in second, f"page 2: {second[-120:]!r}")


@test
def latex_timeline_long_label(ctx):
    """A timeline label wider than the axis (the minimal dossier's first event, its title
    made 60 words long) is wrapped, in the PDF and in the .tex compiled by XeLaTeX: no word
    of either leaves the text block (that of the shipped briefing's libharu PDF, in the same
    style)."""
    d = ctx.tmp("latex-long-label")
    os.makedirs(d)
    title = "First exchange" + "".join(" prisoners," if i % 7 == 6 else " exchange" for i in range(60))
    src = os.path.join(d, "long.xml")
    with open(MINIMAL, encoding="utf-8") as f:
        text = f.read()
    check("<title>First exchange</title>" in text, "the minimal dossier changed")
    with open(src, "w", encoding="utf-8") as f:
        f.write(text.replace("<title>First exchange</title>", f"<title>{title}</title>"))
    ref = os.path.join(d, "ref")
    run([ctx.briefc, "build", SOURCE, "--out", ref])
    edges = word_boxes(os.path.join(ref, "nagorno-karabakh-2020.pdf"))
    left, right = min(b[0] for b in edges), max(b[2] for b in edges)
    r = run([ctx.briefc, "build", src, "--out", d, "--format", "pdf,tex"], text=True)
    check(r.returncode == 0, r.stderr)
    log, pdf, _ = compile_tex("xelatex", os.path.join(d, "long.tex"), os.path.join(d, "tex"))
    check_log("xelatex", log)
    for name, path in (("the PDF", os.path.join(d, "long.pdf")), ("the .tex", pdf)):
        boxes = word_boxes(path)
        check(sum(w == "exchange" for _, _, _, w in boxes) >= 40, f"{name}: the long label is not there")
        out = [b for b in boxes if b[0] < left - 2 or b[2] > right + 2]
        check(not out, f"{name}: {len(out)} words past the text block ({left:.1f}..{right:.1f}): "
              f"{[(w, round(x0), round(x1)) for x0, _, x1, w in out[:4]]}")


@test
def latex_briefing_same_words(ctx):
    """The LaTeX PDFs hold the words of the libharu PDF in the same order (running heads,
    page numbers, hyphenation and where footnotes fall aside)."""
    short = "Nagorno-Karabakh ceasefire 2020"
    base = ctx.briefing
    if base is None:
        base = ctx.tmp("latex-words-pdf")
        run([ctx.briefc, "build", SOURCE, "--out", base])
        base = os.path.join(base, "nagorno-karabakh-2020.pdf")
    a = words(pdf_text(base), [short])
    check(len(a) > 3000, f"only {len(a)} words in the libharu PDF")
    for engine in ("xelatex", "lualatex"):
        pdf = getattr(ctx, "latex_" + engine, None)
        check(pdf is not None, f"no {engine} PDF (its test failed)")
        b = words(pdf_text(pdf), [short])
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        same = sum(m.size for m in sm.get_matching_blocks())
        # (not all: the timeline's labels sit in lanes in a different order in each drawing)
        check(same >= 0.95 * len(a) and same >= 0.95 * len(b),
              f"{engine}: only {same} words of {len(a)} (libharu) and {len(b)} (LaTeX) in the same order")
        # and no text is lost: what is out of order (a footnote that falls on another page)
        # is elsewhere; only the contents' page numbers and the timeline's axis may lack
        lost = Counter(w for w in a if not w.isdigit()) - Counter(b)
        check(sum(lost.values()) <= 0.01 * len(a), f"{engine}: words of the libharu PDF missing "
              f"from the LaTeX PDF: {sorted(lost.elements())[:30]}")


# ---------------------------------------------------------------- adversarial source, compiled


ADVERSARIAL_STRINGS = [
    "\\input{/etc/hostname}",
    "\\input /etc/hostname",
    "^^5cinput^^7b/etc/hostname^^7d",
    "\\write18{touch pwned}",
    "\\immediate\\write18{touch pwned}",
    "\\directlua{os.execute(\"touch pwned\")}",
    "\\catcode`\\%=11",
    "$x^2$ and #1 and % and ~ and x_1 and 100& and \\\\*[2pt] and \\par and a{b}c.",
    "\\end{document} $x^2$ #1 ~ _ ^ {} [a] -- --- `` '' ,, << >> !` ?` \" | < >",
    "[a] Ceasefire -- with --- dashes",
    "[a] at a line start", "* starred item", "\\item[b] nested", "[c] numbered", "--- dashed",
    "*[2pt] North", "[a] South", "5 \\\\", "[cap] Exchanges & #", "*Side", "[Number]",
    "\\end{quote}\\end{document} A good day.",
    "The League said \\verb|x| and \\makeatletter.",
    "A note with \\footnote{x} and [1].",
    "Joint 'statement' `quoted`",
    "the \\href{x}{y} text",
    "Prisoner <exchange>", "First |exchange|",
    "North\\\\land", "South{land}", "Ivan $Chief$", "League of %Lands", "Mid^town",
    "Adv #1 ~ ^^5c %",
    "Controlchar, no break, narrow space, softhyphen, tab tab, blank lines inside markup",
]


def hostname():
    try:
        return open("/etc/hostname").read().strip()
    except OSError:
        return ""


def word_count(text, word):
    return len(re.findall(r"(?<![\w.-])" + re.escape(word) + r"(?![\w.-])", text)) if word else 0


def latex_adversarial(ctx, engine, shell_escape):
    tex = build_tex(ctx, ADVERSARIAL, ctx.tmp("latex-adv-tex-" + engine))
    work = ctx.tmp("latex-adv-" + engine)
    os.makedirs(work)
    # a file the source names: if any \input ran, its text would show
    with open(os.path.join(work, "canary.tex"), "w") as f:
        f.write("\\message{CANARY-4e1b}CANARY-4e1b\n")
    log, pdf, _ = compile_tex(engine, tex, work, shell_escape=shell_escape)
    check_log(engine, log)
    text = pdf_text(pdf)
    flat = squeezed(text)
    for s in ADVERSARIAL_STRINGS:
        check(squeezed(s) in flat, f"{engine}: {s!r} is not in the PDF's text literally")
    for where, content in (("PDF text", text), ("log", log), (".tex", open(tex).read())):
        check("CANARY-4e1b" not in content, f"{engine}: a file named in the source was read ({where})")
    check(not os.path.exists(os.path.join(work, "pwned")), f"{engine}: a shell command ran")
    # the host name: nowhere it was not already (a short name may be part of the log's paths)
    host = hostname()
    if host:
        src = open(ADVERSARIAL, encoding="utf-8").read()
        check(word_count(text, host) <= word_count(src, host), f"{engine}: the host name is in the PDF")
        check(word_count(open(tex).read(), host) <= word_count(src, host), f"{engine}: the host name is in the .tex")
        base_log, _, _ = compile_tex(engine, build_tex(ctx, MINIMAL, ctx.tmp("latex-base-tex-" + engine)),
                                     ctx.tmp("latex-base-" + engine), runs=1)
        check(word_count(log, host) <= word_count(base_log, host), f"{engine}: the host name is in the log")
    r = run(["pdfinfo", pdf], text=True)
    check("Adversarial % \\input{/etc/hostname} & co" in r.stdout, f"{engine}: PDF title: {r.stdout[:200]}")


@test
def latex_adversarial_xelatex(ctx):
    """Compiled with shell escape on, to show that nothing in the .tex asks for it."""
    latex_adversarial(ctx, "xelatex", shell_escape=True)


@test
def latex_adversarial_lualatex(ctx):
    latex_adversarial(ctx, "lualatex", shell_escape=False)


@test
def latex_missing_glyph_is_an_error(ctx):
    """A character the style's fonts lack stops LaTeX (\\tracinglostchars=3): the tests above
    would see any character the .tex loses."""
    work = ctx.tmp("latex-glyph")
    os.makedirs(work)
    src = os.path.join(work, "glyph.xml")
    with open(src, "w", encoding="utf-8") as f:
        f.write(open(MINIMAL, encoding="utf-8").read().replace("A war happened.", "A war \u4e2d happened."))
    tex = build_tex(ctx, src, os.path.join(work, "out"))
    for engine in ("xelatex", "lualatex"):
        try:
            log, _, _ = compile_tex(engine, tex, os.path.join(work, engine), runs=1)
        except Failure as e:
            check("Missing character" in str(e) or "Missing character" in
                  open(os.path.join(work, engine, "glyph.log"), errors="replace").read(),
                  f"{engine} failed, but not for the missing glyph: {e}")
            continue
        raise Failure(f"{engine} accepted a character no font has")


@test
def latex_styles_compile(ctx):
    """The other shipped styles map to the preamble too: Letter paper and a sans body (memo),
    two columns with spanning headings (digest)."""
    for style, want in (("memo", "letterpaper"), ("digest", "\\begin{multicols}{2}")):
        out = ctx.tmp("latex-style-" + style)
        tex = build_tex(ctx, MINIMAL, out, "--style", os.path.join(ROOT, "styles", style + ".xml"))
        check(want in open(tex).read(), f"{style}: the .tex lacks {want!r}")
        # contents on a page of text move it when they fill in: a third run settles that
        log, pdf, _ = compile_tex("xelatex", tex, os.path.join(out, "xelatex"), runs=3)
        check_log("xelatex", log)
        check("Prisoners exchanged" in " ".join(pdf_text(pdf).split()), f"{style}: text missing")
