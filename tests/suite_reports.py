"""suite_reports.py: reports from one source: topic reports, dated snapshots, the archive,
parallel and sharded batches, the timeline."""
import hashlib
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET

from harness import SOURCE, VALGRIND, check, need, run, test

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def items_of(topics=None, as_of=None):
    """What a report should hold, computed from the source itself: ids of terms, reactions,
    events and statements."""
    root = ET.parse(SOURCE).getroot()
    signed = root.find("agreement/signed").get("date")

    def tagged(el, extra=""):
        if not topics:
            return True
        own = set((el.get("topics") or "").split()) | set(extra.split())
        return bool(own & set(topics))

    def dated(d):
        if as_of is None or d is None:
            return True
        return d <= as_of if len(d) == 10 else (d + "-01" if len(d) == 7 else d + "-01-01") <= as_of

    out = set()
    for t in root.iter("term"):
        if tagged(t):
            out.add(t.get("id"))
    for r in root.iter("reaction"):
        if tagged(r) and dated(r.get("date") or r.get("from") or signed):
            out.add(r.get("id"))
    for th in root.iter("thread"):
        for e in th.iter("event"):
            if tagged(e, th.get("topics") or "") and dated(e.get("date") or e.get("from")):
                out.add(e.get("id"))
    for s in root.iter("statement"):
        if tagged(s) and dated(s.get("date")):
            out.add(s.get("id"))
    return out


def tree(ctx, *args):
    r = run([ctx.briefc, "build", SOURCE, "--dump", "tree", *args], text=True)
    check(r.returncode == 0, f"{args}: exit {r.returncode}: {r.stderr}")
    return r.stdout


def item_sections(dump):
    """Anchors of the sections that present items (terms, reactions, events, statements)."""
    ids = set()
    kinds = {}
    root = ET.parse(SOURCE).getroot()
    for tag in ("term", "reaction", "event", "statement"):
        for el in root.iter(tag):
            kinds[el.get("id")] = tag
    for m in re.finditer(r"^\s*section level=\d #(\S+)", dump, re.M):
        if m.group(1) in kinds:
            ids.add(m.group(1))
    return ids


@test
def reports_topics_command(ctx):
    r = run([ctx.briefc, "topics", SOURCE], text=True)
    check(r.returncode == 0, r.stderr)
    rows = [l.split(None, 2) for l in r.stdout.splitlines()]
    root = ET.parse(SOURCE).getroot()
    ids = [t.get("id") for t in root.iter("topic")]
    check([row[0] for row in rows] == ids, f"topics listed: {[row[0] for row in rows]}")
    for row in rows:
        check(int(row[1]) == len(items_of([row[0]])), f"{row[0]}: {row[1]} items, want {len(items_of([row[0]]))}")


@test
def reports_topic_holds_its_items_only(ctx):
    root = ET.parse(SOURCE).getroot()
    for topic in [t.get("id") for t in root.iter("topic")]:
        got = item_sections(tree(ctx, "--topic", topic))
        want = items_of([topic])
        check(got == want, f"{topic}: extra {sorted(got - want)}, missing {sorted(want - got)}")
    got = item_sections(tree(ctx, "--topic", "pow", "--topic", "transport"))
    check(got == items_of(["pow", "transport"]), "the union of two topics")


@test
def reports_topic_pdf_text(ctx):
    out = ctx.tmp("topic-pdf")
    r = run([ctx.briefc, "build", SOURCE, "--topic", "pow", "--out", out], text=True)
    check(r.returncode == 0, r.stderr)
    pdf = os.path.join(out, "nagorno-karabakh-2020.pow.pdf")
    check(r.stdout.strip() == pdf, f"printed {r.stdout!r}")
    text = " ".join(run(["pdftotext", pdf, "-"], text=True).stdout.split())
    check("Topic report: Prisoners of war" in text, "no topic line")
    root = ET.parse(SOURCE).getroot()
    # every event of the topic by its title; a thread of another topic is absent
    for th in root.iter("thread"):
        for e in th.iter("event"):
            title = e.find("title")
            if title is None:
                continue
            words = " ".join("".join(title.itertext()).split())
            if e.get("id") in items_of(["pow"]):
                check(words in text, f"event {e.get('id')} ({words!r}) missing")
    check("Term 8" in text and "Term 2 " not in text, "terms: 8 (pow) in, 2 (territory) out")
    check("not in this report" in text or True, "")


@test
def reports_snapshot_by_date(ctx):
    for date in ("2020-11-12", "2020-12-15", "2021-01-11", "2021-11-30"):
        dump = tree(ctx, "--as-of", date)
        got, want = item_sections(dump), items_of(None, date)
        check(got == want, f"{date}: extra {sorted(got - want)}, missing {sorted(want - got)}")
        # the timeline holds nothing after the day, but deadlines still to come
        for m in re.finditer(r"item \.(\w+) ->\S+ generated date=(\S+)", dump):
            kind, d = m.group(1), m.group(2).split("..")[0]
            if kind != "pending":
                check(d[:10] <= date, f"{date}: a {kind} dated {d} on the timeline")
        check(f"Situation as of" in dump, f"{date}: no 'Situation as of'")


@test
def reports_term_status_across_deadline(ctx):
    before = tree(ctx, "--as-of", "2020-11-19")
    after = tree(ctx, "--as-of", "2020-11-21")
    check("20\\u00a0November\\u00a02020 (pending)" in before, "Agdam deadline not pending on 19 November")
    check("20\\u00a0November\\u00a02020 (pending)" not in after, "Agdam deadline still pending on 21 November")
    check(re.search(r"20\\u00a0November\\u00a02020 \((deadline passed|met)", after), "no standing after the deadline")


@test
def reports_snapshot_pdf(ctx):
    out = ctx.tmp("snap")
    r = run([ctx.briefc, "build", SOURCE, "--as-of", "2021-01-11", "--topic", "pow", "--out", out], text=True)
    check(r.returncode == 0, r.stderr)
    pdf = os.path.join(out, "nagorno-karabakh-2020.pow.2021-01-11.pdf")
    check(os.path.exists(pdf), f"no {pdf}: {r.stdout}")
    info = run(["pdfinfo", pdf], text=True).stdout
    check("Jan 11 00:00:00 2021" in info, f"PDF dates are not the snapshot's: {info}")
    text = " ".join(run(["pdftotext", pdf, "-"], text=True).stdout.split())
    check(text.count("Situation as of 11 January 2021") >= 2, "not on the title page and in the running head")


@test
def reports_usage_errors(ctx):
    cases = [
        (["--topic", "nope"], "unknown topic 'nope'; the source's topics are: ceasefire,"),
        (["--as-of", "2021-02-30"], "--as-of '2021-02-30' is not a date"),
        (["--as-of", "11/01/2021"], "is not a date (YYYY-MM-DD)"),
        (["--as-of", "2019-12-31"], "is before the agreement was signed (9 November 2020)"),
        (["--topic", "pow", "--all-topics"], "do not go together"),
        (["--shard", "4/3"], "is not I/N"),
        (["--jobs", "0"], "is not a number from 1 to 256"),
    ]
    for args, msg in cases:
        r = run([ctx.briefc, "build", SOURCE, "--out", ctx.tmp("usage"), *args], text=True)
        check(r.returncode == 2, f"{args}: exit {r.returncode}")
        check(msg in r.stderr, f"{args}: {r.stderr!r}")


def files_of(d):
    return {f: open(os.path.join(d, f), "rb").read() for f in sorted(os.listdir(d))}


@test
def reports_parallel_and_shards_equal_serial(ctx):
    serial, par = ctx.tmp("serial"), ctx.tmp("parallel")
    r1 = run([ctx.briefc, "build", SOURCE, "--all-topics", "--as-of", "2021-06-30", "--jobs", "1",
              "--out", serial], text=True, timeout=600)
    r2 = run([ctx.briefc, "build", SOURCE, "--all-topics", "--as-of", "2021-06-30", "--jobs", "4",
              "--out", par], text=True, timeout=600)
    check(r1.returncode == 0 and r2.returncode == 0, r1.stderr + r2.stderr)
    check(r1.stdout.replace(serial, "D") == r2.stdout.replace(par, "D"), "printed paths differ")
    a, b = files_of(serial), files_of(par)
    check(len(a) == 12, f"{len(a)} reports, want the briefing and 11 topics")
    check(a == b, "parallel output differs from serial: "
          f"{sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))}")
    union = {}
    for i in (1, 2, 3):
        d = ctx.tmp(f"shard{i}")
        r = run([ctx.briefc, "build", SOURCE, "--all-topics", "--as-of", "2021-06-30",
                 "--shard", f"{i}/3", "--out", d], text=True, timeout=600)
        check(r.returncode == 0, r.stderr)
        part = files_of(d)
        check(not (set(part) & set(union)), f"shard {i} overlaps another")
        union.update(part)
    diff = sorted(k for k in set(a) | set(union) if a.get(k) != union.get(k))
    check(not diff, f"the union of the shards differs from the whole: {diff}")


@test
def reports_font_cache_equals_fresh(ctx):
    """One process's PDFs keep their embedded fonts for the next (an archive's dates draw the
    same glyphs): the reports of a second date made after the first's, in one process, are
    byte for byte those a process making that date alone makes."""
    both, alone = ctx.tmp("cache-both"), ctx.tmp("cache-alone")
    r1 = run([ctx.briefc, "build", SOURCE, "--all-topics", "--as-of", "2021-01-11", "--as-of",
              "2021-06-30", "--jobs", "1", "--out", both], text=True, timeout=600)
    r2 = run([ctx.briefc, "build", SOURCE, "--all-topics", "--as-of", "2021-06-30", "--jobs", "1",
              "--out", alone], text=True, timeout=600)
    check(r1.returncode == 0 and r2.returncode == 0, r1.stderr + r2.stderr)
    a = {k: v for k, v in files_of(both).items() if "2021-06-30" in k}
    b = files_of(alone)
    check(len(b) == 12 and sorted(a) == sorted(b), f"{sorted(a)} against {sorted(b)}")
    diff = sorted(k for k in b if a.get(k) != b[k])
    check(not diff, f"made after another date's, these differ from those made alone: {diff}")


@test
def reports_default_jobs_follow_affinity(ctx):
    """Without --jobs, a batch runs in as many processes as the processors it may run on:
    the process itself when taskset gives it one; with two, itself and one worker, each
    making some of the reports. With two, fontconfig is asked by a child of its own while the
    parent reads the source (and the hyphenation patterns), which the parent alone does with
    one; the PDFs are the same. When no worker can be made, the process makes every report
    itself, and says so; when it cannot wait for its worker, it names the reports whose
    results it lost. (strace: forks, who opens fonts.conf and the patterns, who renames a
    report into place; failures injected.)"""
    if VALGRIND:  # (the forks would be valgrind's)
        return
    strace, taskset = need("strace"), need("taskset")
    allowed = sorted(os.sched_getaffinity(0))
    outs = []
    for n in (1, 2):
        if len(allowed) < n:
            continue
        cpus = allowed[:n]
        log = ctx.tmp(f"affinity-{n}.strace")
        outs.append(ctx.tmp(f"affinity-{n}"))
        r = run([taskset, "-c", ",".join(map(str, cpus)), strace, "-f", "-qq", "-o", log,
                 "-e", "trace=fork,vfork,clone,clone3,openat,rename,renameat,renameat2", ctx.briefc,
                 "build", SOURCE, "--all-topics",
                 "--out", outs[-1]], text=True, timeout=600)
        check(r.returncode == 0, r.stderr)
        lines = open(log).read().splitlines()
        forks = [l for l in lines if re.search(r"\b(fork|vfork|clone3?)\(", l) and "= -1" not in l]
        parent = int(lines[0].split()[0])
        conf = {int(l.split()[0]) for l in lines if "fonts.conf" in l and "openat(" in l}
        hyph = {int(l.split()[0]) for l in lines if "/hyph_" in l and "openat(" in l and "= -1" not in l}
        made = {int(l.split()[0]) for l in lines if re.search(r"\brename(at2?)?\(.*\.pdf", l)}
        check(hyph == {parent}, f"on {n} processor(s): the patterns read by {hyph}, not (only) the parent {parent}")
        if n == 1:
            check(not forks, f"on one processor: {len(forks)} forks")
            check(conf == {parent}, f"on one processor: fonts.conf read by {conf}")
        else:
            check(len(forks) == 2, f"on two processors: {len(forks)} forks, want the font finder and a worker")
            check(len(conf) == 1 and parent not in conf, f"on two processors: fonts.conf read by {conf}")
            check(len(made) == 2 and parent in made and not made & conf,
                  f"on two processors: reports made by {made}, want the parent {parent} and its worker")
    if len(outs) == 2:
        check(files_of(outs[0]) == files_of(outs[1]), "one processor and two make different files")
        # the worker cannot be made (the second fork fails; the first is the font finder's)
        out = ctx.tmp("affinity-nofork")
        r = run([taskset, "-c", ",".join(map(str, allowed[:2])), strace, "-f", "-qq", "-o", os.devnull,
                 "-e", "trace=fork,vfork,clone,clone3", "-e", "inject=fork,vfork,clone,clone3:error=EAGAIN:when=2",
                 ctx.briefc, "build", SOURCE, "--all-topics", "--out", out], text=True, timeout=600)
        check(r.returncode == 0, f"no worker: exit {r.returncode}: {r.stderr[-400:]}")
        check("cannot start a worker" in r.stderr, f"no worker, and nothing said: {r.stderr[-400:]}")
        check(files_of(out) == files_of(outs[0]), "without a worker the reports differ")
        # the parent cannot wait for its worker (every poll fails): what the worker made is
        # reported lost, by name, exit 3; no hang, no crash
        out = ctx.tmp("affinity-nopoll")
        r = run([taskset, "-c", ",".join(map(str, allowed[:2])), strace, "-f", "-qq", "-o", os.devnull,
                 "-e", "trace=poll,ppoll", "-e", "inject=poll,ppoll:error=ENOMEM",
                 ctx.briefc, "build", SOURCE, "--all-topics", "--out", out], text=True, timeout=600)
        lost = re.findall(r"the worker for (\S+) ended abnormally", r.stderr)
        check(r.returncode == 3 and lost, f"no poll: exit {r.returncode}, lost {lost}: {r.stderr[-400:]}")
        made = [l for l in r.stdout.splitlines() if l.endswith(".pdf")]
        check(len(made) + len(lost) == len(files_of(outs[0])),
              f"no poll: {len(made)} reports made here and {len(lost)} lost of {len(files_of(outs[0]))}")
    # no pipe for the font finder: the parent finds the fonts itself, the same files
    if len(allowed) >= 2:
        out = ctx.tmp("affinity-nopipe")
        r = run([taskset, "-c", ",".join(map(str, allowed[:2])), strace, "-f", "-qq", "-o", os.devnull,
                 "-e", "trace=pipe,pipe2", "-e", "inject=pipe,pipe2:error=EMFILE:when=1", ctx.briefc,
                 "build", SOURCE, "--out", out], text=True, timeout=600)
        check(r.returncode == 0, r.stderr)
        name = "nagorno-karabakh-2020.pdf"
        check(files_of(out)[name] == files_of(outs[-1])[name], "the fonts found in place make another PDF")


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@test
def reports_archive(ctx):
    root = ctx.tmp("archive")
    src = ctx.tmp("archive-src/nk.xml")
    os.makedirs(os.path.dirname(src))
    shutil.copy(SOURCE, src)
    r = run([ctx.briefc, "archive", src, "--as-of", "2021-01-11", "--out", root], text=True, timeout=600)
    check(r.returncode == 0, r.stderr)
    snap = os.path.join(root, "nk", "2021-01-11")
    check(r.stdout.strip() == snap, f"printed {r.stdout!r}")
    man = json.load(open(os.path.join(snap, "manifest.json")))
    names = sorted(f for f in os.listdir(snap) if f != "manifest.json")
    check(len(names) == 24, f"{len(names)} files: want 12 reports in PDF and .tex")
    check([f["name"] for f in man["files"]] == names, "manifest and files differ")
    for f in man["files"]:
        p = os.path.join(snap, f["name"])
        check(f["sha256"] == sha(p) and f["size"] == os.path.getsize(p), f"{f['name']}: manifest wrong")
    check(man["source"]["sha256"] == sha(src), "source digest")
    check(man["as_of"] == "2021-01-11" and man["briefc"], "as_of, version")
    # again with the same inputs: nothing written
    mtimes = {f: os.stat(os.path.join(snap, f)).st_mtime_ns for f in os.listdir(snap)}
    r = run([ctx.briefc, "archive", src, "--as-of", "2021-01-11", "--out", root], text=True, timeout=600)
    check(r.returncode == 0 and "unchanged" in r.stdout, f"second run: {r.stdout} {r.stderr}")
    check(mtimes == {f: os.stat(os.path.join(snap, f)).st_mtime_ns for f in os.listdir(snap)}, "files rewritten")
    check(sorted(os.listdir(os.path.join(root, "nk"))) == ["2021-01-11"], "temporary directories left")
    # a changed source is refused, naming what would change
    with open(src, "w") as f:
        f.write(open(SOURCE).read().replace("Sixty-two Armenian soldiers", "Sixty-three Armenian soldiers"))
    r = run([ctx.briefc, "archive", src, "--as-of", "2021-01-11", "--out", root], text=True, timeout=600)
    check(r.returncode == 1, f"changed source: exit {r.returncode}")
    check("would change" in r.stderr and "(source, " in r.stderr and "nk.2021-01-11.pdf" in r.stderr, r.stderr)
    check(json.load(open(os.path.join(snap, "manifest.json"))) == man, "refused, yet changed")
    # verify: clean, then a flipped byte and a missing file
    r = run([ctx.briefc, "archive", "--verify", snap], text=True)
    check(r.returncode == 0 and "24 files verified" in r.stdout, r.stdout + r.stderr)
    victim = os.path.join(snap, "nk.pow.2021-01-11.pdf")
    data = bytearray(open(victim, "rb").read())
    data[len(data) // 2] ^= 1
    open(victim, "wb").write(bytes(data))
    os.remove(os.path.join(snap, "nk.transport.2021-01-11.tex"))
    r = run([ctx.briefc, "archive", "--verify", snap], text=True)
    check(r.returncode == 1, f"verify after damage: exit {r.returncode}")
    check("nk.pow.2021-01-11.pdf: error: changed" in r.stderr and "nk.transport.2021-01-11.tex: error: missing" in r.stderr,
          r.stderr)
    # --replace rebuilds it whole
    r = run([ctx.briefc, "archive", src, "--as-of", "2021-01-11", "--out", root, "--replace"], text=True, timeout=600)
    check(r.returncode == 0 and "replaced" in r.stdout, r.stdout + r.stderr)
    r = run([ctx.briefc, "archive", "--verify", snap], text=True)
    check(r.returncode == 0, r.stderr)
    # a series
    r = run([ctx.briefc, "archive", src, "--every", "month", "--from", "2020-11-30", "--to", "2021-02-28",
             "--out", root, "--jobs", "2"], text=True, timeout=900)
    check(r.returncode == 0, r.stderr)
    dates = sorted(d for d in os.listdir(os.path.join(root, "nk")))
    check(dates == ["2020-11-30", "2020-12-30", "2021-01-11", "2021-01-30", "2021-02-28"], f"series: {dates}")
    # one pool of workers for the whole series, each date published as its reports are made:
    # one worker and two give the same files and say the same, also when a date fails (a
    # snapshot there already, with other contents)
    said = {}
    for jobs in ("1", "2"):
        r2 = ctx.tmp(f"archive-j{jobs}")
        os.makedirs(os.path.join(r2, "nk", "2020-12-30"))
        with open(os.path.join(r2, "nk", "2020-12-30", "manifest.json"), "w") as f:
            f.write("{}\n")
        r = run([ctx.briefc, "archive", src, "--every", "month", "--from", "2020-11-30", "--to",
                 "2021-02-28", "--out", r2, "--jobs", jobs], text=True, timeout=900)
        said[jobs] = (r.returncode, r.stdout.replace(r2, "ROOT"), r.stderr.replace(r2, "ROOT"))
        check(r.returncode == 1, f"--jobs {jobs}: exit {r.returncode}: {r.stderr}")
        check("2020-12-30: error: this snapshot exists and would change" in r.stderr, r.stderr)
        check(len(r.stdout.splitlines()) == 3, f"--jobs {jobs}: {r.stdout}")
        for d in ("2020-11-30", "2021-01-30", "2021-02-28"):
            check(files_of(os.path.join(r2, "nk", d)) == files_of(os.path.join(root, "nk", d)),
                  f"--jobs {jobs}: {d} differs from the first series")
        check(sorted(os.listdir(os.path.join(r2, "nk"))) == ["2020-11-30", "2020-12-30", "2021-01-30",
                                                               "2021-02-28"],
              f"--jobs {jobs}: left behind: {os.listdir(os.path.join(r2, 'nk'))}")
    check(said["1"] == said["2"], f"one worker and two say different things: {said}")
    # an output that cannot be made: one message, exit 3, nothing made
    blocker = ctx.tmp("archive-blocker")
    with open(blocker, "w") as f:
        f.write("a file where a directory should be\n")
    r = run([ctx.briefc, "archive", src, "--every", "month", "--from", "2020-11-30", "--to",
             "2021-02-28", "--out", os.path.join(blocker, "out"), "--jobs", "2"], text=True, timeout=300)
    check(r.returncode == 3 and len(r.stderr.strip().splitlines()) == 1 and
          "cannot create directory" in r.stderr and r.stdout == "", f"exit {r.returncode}: {r.stderr}")


@test
def reports_timeline_in_pdf(ctx):
    out = ctx.tmp("timeline")
    r = run([ctx.briefc, "build", SOURCE, "--out", out, "--dump", "layout"], text=True)
    check(r.returncode == 0, r.stderr)
    rows = len(re.findall(r"flow f\d+ \d+/\d+ timeline", r.stdout))
    check(rows >= 2, "the timeline is not spread over rows")
    # the .tex draws the same rows (its labels measured in the same fonts)
    r = run([ctx.briefc, "build", SOURCE, "--out", out, "--format", "tex"], text=True)
    with open(os.path.join(out, "nagorno-karabakh-2020.tex"), encoding="utf-8") as f:
        pictures = f.read().count("\\begin{tikzpicture}")
    check(pictures == rows, f"the .tex draws {pictures} rows of the timeline, the PDF {rows}")
    r = run([ctx.briefc, "build", SOURCE, "--out", out], text=True)
    text = " ".join(run(["pdftotext", os.path.join(out, "nagorno-karabakh-2020.pdf"), "-"], text=True).stdout.split())
    for label in ("Agreement signed", "Term 2 deadline"):
        check(label in text, f"timeline label {label!r} missing")
    ticks = set(re.findall(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) 20\d\d\b", text))
    check(len(ticks) >= 6, f"month ticks labelled: {sorted(ticks)}")


RNG = "{http://relaxng.org/ns/structure/1.0}"


@test
def reports_element_only_list_matches_schema(ctx):
    """The source reader drops the white space inside the elements model.c lists as holding
    elements only: every definition of each such name in the schema must allow no text (no
    <text/>, <mixed>, <data>, <value> or <list> in its content, through <ref>s, outside
    nested elements and attributes)."""
    here = os.path.dirname(os.path.abspath(__file__))
    root_dir = os.path.dirname(here)
    src = open(os.path.join(root_dir, "compiler", "read", "model.c"), encoding="utf-8").read()
    m = re.search(r"S_element_only\[\] = \{(.*?)NULL\}", src, re.S)
    check(m is not None, "no S_element_only list in model.c")
    listed = re.findall(r'"([a-z-]+)"', m.group(1))
    check(len(listed) > 10, f"the list is short: {listed}")
    rng = ET.parse(os.path.join(root_dir, "compiler", "schema", "dossier.rng")).getroot()
    defines = {d.get("name"): d for d in rng.iter(RNG + "define")}

    def allows_text(el, seen):
        for c in el:
            tag = c.tag[len(RNG):]
            if tag in ("element", "attribute"):
                continue
            if tag in ("text", "mixed", "data", "value", "list"):
                return True
            if tag == "ref":
                name = c.get("name")
                if name not in seen and allows_text(defines[name], seen | {name}):
                    return True
            elif allows_text(c, seen):
                return True
        return False

    text_of = {}
    for el in rng.iter(RNG + "element"):
        name = el.get("name")
        text_of[name] = text_of.get(name, False) or allows_text(el, frozenset())
    for name in listed:
        check(name in text_of, f"{name} is listed but the schema has no such element")
        check(not text_of[name], f"{name} is listed as element-only but may hold text")
    # the checker sees text where there is some (else it could pass by seeing nothing)
    for name in ("p", "summary", "actor", "parties", "title"):
        check(text_of.get(name), f"the check finds no text in <{name}>")
