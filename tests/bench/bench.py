#!/usr/bin/env python3
"""bench.py: measures briefc on synthetic dossiers of 10 to 10,000 pages against a libharu-only baseline.

For each size it generates a dossier (tests/bench/gen_dossier.py, cached under
.zig-cache/bench/), compiles it several times with briefc and records the best and median
wall time, the best CPU time, the peak resident memory of the child and the PDF's pages and
size. The baseline (tests/bench/baseline.c: the same pages, fonts and amount of text written
with libharu alone, as positioned lines) runs in turn with briefc, run for run, and the ratio
briefc / baseline is printed. It also times the shipped briefing and the batches on one
processor and on two (and, beside each batch, its one-processor run twice at once, one on
each processor: what the machine gives two independent runs; and its run with no report,
whose start and reading bound what two processors can give it), and says of each target of
issue 8 whether it is met. It reports; it never fails on a missed target (exit 1 only when
something could not be measured at all).

Usage (normally through `./zigw build bench [-- OPTIONS]`, which passes the two binaries):
  python3 tests/bench/bench.py --briefc PATH --baseline PATH [--sizes 10,100,1000,10000]
      [--runs N] [--seed S] [--runs-baseline]
"""
import argparse
import hashlib
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
GEN = os.path.join(HERE, "gen_dossier.py")
SHIPPED = os.path.join("sources", "nagorno-karabakh-2020.xml")
MIB = 1024 * 1024

# Targets (issue 8).
RATIO_MAX_1000 = 2.0          # briefc / baseline at 1,000 pages
LINEAR_MAX = 11.0             # t(10,000 pages) / t(1,000 pages)
RSS_MAX = {1000: 64 * MIB, 10000: 256 * MIB}
SHIPPED_MAX_S = 0.050
BATCH_MIN_SPEEDUP = 1.9       # a batch on two cores against one ("twice the throughput", less
                              # the machine's noise)


TASKSET = shutil.which("taskset")


def on_cores(n):
    """The command prefix that gives a process the first n processors this one may use."""
    cpus = sorted(os.sched_getaffinity(0))[:n]
    return [TASKSET, "-c", ",".join(map(str, cpus))] if TASKSET else []


def jobs_arg(n):
    return [] if TASKSET else ["--jobs", str(n)]


def default_runs(size):
    return 7 if size <= 100 else 5 if size <= 1000 else 2


class Result:
    """The runs of one command: wall and CPU (user + system) seconds, the largest peak RSS."""

    def __init__(self, argv, cwd=None):
        self.argv, self.cwd = argv, cwd
        self.walls, self.cpus = [], []
        self.rss = 0
        self.stdout = self.stderr = ""

    def run(self):
        wall, cpu, rss, rc, out, err = measure(self.argv, self.cwd)
        if rc != 0:
            raise RuntimeError(f"{' '.join(self.argv)}: exit {rc}\n{err}")
        self.walls.append(wall)
        self.cpus.append(cpu)
        self.rss = max(self.rss, rss)
        self.stdout, self.stderr = out, err
        return self

    @property
    def best(self):
        return min(self.walls)

    @property
    def median(self):
        return statistics.median(self.walls)

    @property
    def cpu(self):
        return min(self.cpus)


# Linux keeps a process's peak RSS across exec, so a child forked from this (large) Python
# process starts with Python's peak. GNU time, a small process, forks the child itself and
# reports the child's own peak; without it the figure is an upper bound.
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None


def measure(argv, cwd=None):
    """Runs argv once: (wall s, CPU s, peak RSS bytes of the child, exit code, stdout, stderr)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r") as rssf:
        cmd = [GNU_TIME, "-f", "%M", "-o", rssf.name] + argv if GNU_TIME else argv
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        rss = ru.ru_maxrss * 1024
        cpu = ru.ru_utime + ru.ru_stime     # the child's and, under GNU time, its child's
        if GNU_TIME:
            m = re.search(r"(\d+)\s*$", rssf.read())
            rss = int(m.group(1)) * 1024 if m else rss
        out.seek(0)
        err.seek(0)
        return wall, cpu, rss, p.returncode, out.read().decode(errors="replace"), \
            err.read().decode(errors="replace")


class AtOnce:
    """Two commands started together, each on its own processor: the wall time until both
    have ended. Run with the one-core command of a batch, it shows what two processors of
    this machine give for two independent copies of the work (memory and caches are shared,
    and a virtual machine's processors may not be whole cores): the most a batch could
    reach, start-up and all."""

    def __init__(self, argvs, cwd=None):
        self.argvs, self.cwd = argvs, cwd
        self.walls = []

    def run(self):
        t0 = time.perf_counter()
        ps = [subprocess.Popen(a, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=self.cwd)
              for a in self.argvs]
        errs = [p.communicate()[1] for p in ps]
        wall = time.perf_counter() - t0
        for a, p, e in zip(self.argvs, ps, errs):
            if p.returncode != 0:
                raise RuntimeError(f"{' '.join(a)}: exit {p.returncode}\n{e.decode(errors='replace')}")
        self.walls.append(wall)
        return self

    @property
    def best(self):
        return min(self.walls)


def bound(pair):
    """The most two processors can give a batch whose start, reading and exit take what its
    run with no report takes: pair[1] / (the empty run on two + the rest of pair[1] halved)."""
    e1, e2 = pair["empty"][1].best, pair["empty"][2].best
    return pair[1].best / (e2 + (pair[1].best - e1) / 2)


def interleave(results, runs, budget_s=150.0):
    """Runs each Result in turn, round after round, until each has runs runs (fewer once
    budget_s is spent): a disturbance on a shared machine then hits all of them alike."""
    start = time.perf_counter()
    while min(len(r.walls) for r in results) < runs:
        for r in results:
            if len(r.walls) < runs:
                r.run()
        if time.perf_counter() - start > budget_s:
            break


def pdf_pages(path):
    r = subprocess.run(["pdfinfo", path], capture_output=True, text=True)
    m = re.search(r"^Pages:\s+(\d+)", r.stdout, re.M)
    if r.returncode != 0 or not m:
        raise RuntimeError(f"pdfinfo {path} failed: {r.stderr[:300]}")
    return int(m.group(1))


def pdf_text_amount(path):
    """(characters shown, text-showing operators) over the PDF's content streams."""
    data = open(path, "rb").read()
    chars = runs = 0
    pos = 0
    while True:
        i = data.find(b"stream", pos)
        if i < 0:
            break
        start = i + 6
        if data.startswith(b"\r\n", start):
            start += 2
        elif data.startswith(b"\n", start):
            start += 1
        else:       # "endstream" or another word ending in "stream"
            pos = start
            continue
        end = data.find(b"endstream", start)
        if end < 0:
            break
        pos = end + 9
        try:
            s = zlib.decompress(data[start:end])
        except zlib.error:
            s = data[start:end]
        if b" Tj" not in s and b" TJ" not in s:
            continue
        for m in re.finditer(rb"<([0-9A-Fa-f]*)> Tj", s):
            chars += len(m.group(1)) // 4
            runs += 1
        # a TJ array: its strings are the characters (two bytes each, hex or literal with
        # escapes); each array is one operator
        for n in tj_strings(s):
            chars += n
            runs += 1
    return chars, runs


def tj_strings(s):
    """For each TJ array in a content stream, the number of two-byte codes its strings hold."""
    out = []
    i = s.find(b"[")
    while i >= 0:
        j, codes_bytes, ok = i + 1, 0, False
        while j < len(s):
            c = s[j:j + 1]
            if c == b"(":               # literal string: count decoded bytes
                j += 1
                depth = 1
                while j < len(s) and depth:
                    c = s[j:j + 1]
                    if c == b"\\":
                        j += 2
                        codes_bytes += 1
                        continue
                    if c == b"(":
                        depth += 1
                    elif c == b")":
                        depth -= 1
                        if depth == 0:
                            j += 1
                            break
                    codes_bytes += 1
                    j += 1
                continue
            if c == b"<":
                k = s.find(b">", j)
                codes_bytes += (k - j - 1) // 2
                j = k + 1
                continue
            if c == b"]":
                ok = s.startswith(b" TJ", j + 1)
                j += 1
                break
            j += 1
        if ok:
            out.append(codes_bytes // 2)
        i = s.find(b"[", j)
    return out


def pdf_font_files(path):
    """The TrueType files of the fonts a PDF embeds, in object order, found by fontconfig."""
    r = subprocess.run(["pdffonts", path], capture_output=True, text=True)
    fonts = []
    for line in r.stdout.splitlines()[2:]:
        f = line.split()
        if len(f) < 2:
            continue
        name = f[0].split("+", 1)[-1].split(",", 1)[0]
        try:
            obj = int(f[-2])
        except ValueError:
            obj = 0
        fonts.append((obj, name))
    files = []
    for _, name in sorted(fonts):
        q = subprocess.run(["fc-match", "-f", "%{file}", f":postscriptname={name}"],
                           capture_output=True, text=True)
        if q.returncode == 0 and q.stdout and q.stdout not in files:
            files.append(q.stdout)
    if not files:
        q = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Serif"], capture_output=True, text=True)
        files.append(q.stdout)
    return files


def dossier(cache, size, seed):
    """The generated dossier for size pages, from the cache when the generator is unchanged."""
    with open(GEN, "rb") as f:
        key = hashlib.sha256(f.read()).hexdigest()[:12]
    path = os.path.join(cache, f"dossier-{size}-s{seed}-{key}.xml")
    if not os.path.exists(path):
        t0 = time.perf_counter()
        tmp = path + ".part"
        subprocess.run([sys.executable, GEN, "--pages", str(size), "--seed", str(seed), "--out", tmp],
                       check=True)
        os.replace(tmp, path)
        for old in os.listdir(cache):   # dossiers of an earlier generator
            if old.startswith(f"dossier-{size}-s{seed}-") and old != os.path.basename(path):
                os.remove(os.path.join(cache, old))
        print(f"  generated {os.path.basename(path)} ({os.path.getsize(path) / MIB:.1f} MiB) "
              f"in {time.perf_counter() - t0:.1f} s", flush=True)
    return path


def fmt_s(s):
    return f"{s * 1000:.0f} ms" if s < 10 else f"{s:.1f} s"


def fmt_b(n):
    return f"{n / MIB:.1f} MiB"


def verdict(ok):
    return "met" if ok else "NOT met"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--briefc", required=True, help="briefc binary (ReleaseFast)")
    ap.add_argument("--baseline", required=True, help="baseline binary (tests/bench/baseline.c)")
    ap.add_argument("--sizes", default="10,100,1000,10000", help="page counts, comma-separated")
    ap.add_argument("--runs", type=int, help="runs per size (default: 7 up to 100 pages, 5 up to 1,000, then 2)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed")
    ap.add_argument("--cache", default=os.path.join(ROOT, ".zig-cache", "bench"),
                    help="where generated dossiers are kept (default .zig-cache/bench)")
    ap.add_argument("--runs-baseline", action="store_true",
                    help="also run the baseline with as many text runs per line as briefc shows")
    a = ap.parse_args()
    try:
        sizes = sorted({int(s) for s in a.sizes.split(",") if s.strip()})
    except ValueError:
        ap.error("--sizes takes page counts such as 10,100,1000")
    if not sizes or min(sizes) < 1:
        ap.error("--sizes needs positive page counts")
    for tool in ["pdfinfo", "pdffonts", "fc-match"]:
        if shutil.which(tool) is None:
            print(f"bench: {tool} is not installed (./zigw installs it)", file=sys.stderr)
            return 1
    briefc, baseline = os.path.abspath(a.briefc), os.path.abspath(a.baseline)
    for exe in [briefc, baseline]:
        if not os.access(exe, os.X_OK):
            print(f"bench: {exe} is not an executable", file=sys.stderr)
            return 1
    os.makedirs(a.cache, exist_ok=True)
    t_start = time.perf_counter()
    print(f"briefc benchmark: {platform.machine()}, {os.cpu_count()} CPUs, "
          f"sizes {', '.join(map(str, sizes))}; seed {a.seed}; peak RSS "
          f"{'by GNU time' if GNU_TIME else 'by wait4 (an upper bound: install GNU time)'}", flush=True)

    rows = {}
    work = tempfile.mkdtemp(prefix="briefc-bench-")
    try:
        for size in sizes:
            print(f"[{size} pages]", flush=True)
            src = dossier(a.cache, size, a.seed)
            _, _, _, rc, _, err = measure([briefc, "check", src])
            if rc != 0:
                print(f"bench: generated dossier {src} does not pass briefc check:\n{err}",
                      file=sys.stderr)
                return 1
            runs = a.runs or default_runs(size)
            out = os.path.join(work, f"out-{size}")
            b = Result([briefc, "build", src, "--out", out, "--stats"]).run()
            pdf = os.path.join(out, os.path.splitext(os.path.basename(src))[0] + ".pdf")
            pages = pdf_pages(pdf)
            chars, tj = pdf_text_amount(pdf)
            m = re.search(r"lines (\d+)", b.stdout + b.stderr)
            lines = int(m.group(1)) if m else pages * 50
            fonts = pdf_font_files(pdf)
            # The baseline: the same pages, fonts and characters, as positioned lines (the
            # running head and foot count as two more lines a page).
            lpp = max(1, round(lines / pages) + 2)
            cpl = max(1, round(chars / (lpp * pages)))
            bpdf = os.path.join(work, f"baseline-{size}.pdf")
            bargs = [baseline, "--pages", str(pages), "--lines", str(lpp), "--chars", str(cpl),
                     "--out", bpdf] + fonts
            base = Result(bargs).run()
            group = [b, base]
            row = dict(size=size, pages=pages, briefc=b, base=base,
                       chars=chars, tj=tj, lines=lines, lpp=lpp, cpl=cpl)
            if a.runs_baseline:
                rpl = max(1, round(tj / (lpp * pages)))
                rargs = [os.path.join(work, "baseline-runs.pdf") if x == bpdf else x for x in bargs]
                row["base_runs"] = Result(rargs + ["--runs", str(rpl)]).run()
                row["rpl"] = rpl
                group.append(row["base_runs"])
            interleave(group, runs)
            row.update(runs=len(b.walls), pdf_size=os.path.getsize(pdf), base_size=os.path.getsize(bpdf))
            rows[size] = row
            print(f"  briefc best {fmt_s(b.best)}, median {fmt_s(b.median)} ({len(b.walls)} runs), "
                  f"{pages} pages, {fmt_b(b.rss)}; baseline best {fmt_s(base.best)}", flush=True)
            shutil.rmtree(out, ignore_errors=True)
        shipped = Result([briefc, "build", SHIPPED, "--out", os.path.join(work, "shipped")], ROOT)
        interleave([shipped], 11)
        # Batches on one core and on two: the same command, given one processor and then two
        # (taskset; briefc makes one worker per processor it may use), or --jobs 1 and 2
        # where there is no taskset. Each batch's reports are counted from what it printed.
        batches = []
        big = dossier(a.cache, 100, a.seed) if 100 in sizes else None
        for name, argv, runs in (
                ("--all-topics, the shipped source", ["build", SHIPPED, "--all-topics"], 7),
                ("--all-topics, the 100-page dossier", ["build", big, "--all-topics"] if big else None, 3),
                # (the shipped batch four times over, as snapshots: how the ratio grows with
                # the batch, the start-up staying the same)
                ("--all-topics, the shipped source at four dates",
                 ["build", SHIPPED, "--all-topics", "--as-of", "2020-12-31", "--as-of", "2021-03-31",
                  "--as-of", "2021-06-30", "--as-of", "2021-10-31"], 3),
                ("archive, 12 monthly snapshots of the shipped source",
                 ["archive", SHIPPED, "--every", "month", "--from", "2020-11-10", "--to", "2021-10-31"], 3)):
            if argv is None:
                continue
            pair = {n: Result(on_cores(n) + [briefc] + argv + jobs_arg(n) +
                              ["--out", os.path.join(work, f"batch{len(batches)}-{n}")], ROOT)
                    for n in (1, 2)}
            # (the one-core command twice at once, on the first and on the second processor)
            cpus = sorted(os.sched_getaffinity(0))
            both = AtOnce([([TASKSET, "-c", str(c)] if TASKSET else []) + [briefc] + argv +
                           jobs_arg(1) + ["--out", os.path.join(work, f"batch{len(batches)}-at{c}")]
                           for c in cpus[:2]], ROOT) if len(cpus) >= 2 else None
            # (the batch with no report: --shard 1000/1000 keeps none of fewer than 1,000; the
            # start, the reading and the exit, which no second processor can share)
            empty = {n: Result(on_cores(n) + [briefc] + argv + jobs_arg(n) +
                               ["--shard", "1000/1000", "--out",
                                os.path.join(work, f"batch{len(batches)}-empty{n}")], ROOT)
                     for n in (1, 2)}
            interleave([pair[1], pair[2]] + ([both] if both else []) + [empty[1], empty[2]], runs)
            pair["both"] = both
            pair["empty"] = empty
            if any(".pdf" in r.stdout for r in empty.values()):
                raise RuntimeError(f"{name}: the run with --shard 1000/1000 made reports")
            printed = pair[1].stdout.splitlines()
            if argv[0] == "archive":  # (a line a date; each date has the shipped batch's reports)
                nrep = len(printed) * batches[0][1]
            else:
                nrep = len([l for l in printed if l.endswith(".pdf")])
            batches.append((name, nrep, pair))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    # ------------------------------------------------------------ the table
    print()
    print("briefc (ReleaseFast) against the libharu-only baseline, runs interleaved. wall: best and "
          "median; cpu: best user+system;\npages/s from the best wall time; ratio: briefc / baseline, "
          "best wall time (and best CPU time)")
    head = ["size", "pages", "runs", "wall best", "median", "cpu", "pages/s", "peak RSS", "PDF",
            "base wall", "base cpu", "base RSS", "base PDF", "ratio (cpu)"]
    table = []
    for s in sizes:
        r = rows[s]
        b, base = r["briefc"], r["base"]
        table.append([f"{s:,}", f"{r['pages']:,}", str(r["runs"]), fmt_s(b.best), fmt_s(b.median),
                      fmt_s(b.cpu), f"{r['pages'] / b.best:,.0f}", fmt_b(b.rss), fmt_b(r["pdf_size"]),
                      fmt_s(base.best), fmt_s(base.cpu), fmt_b(base.rss), fmt_b(r["base_size"]),
                      f"{b.best / base.best:.2f}x ({b.cpu / base.cpu:.2f}x)"])
    widths = [max(len(x) for x in col) for col in zip(head, *table)]
    line = lambda cells: "  ".join(c.rjust(w) for c, w in zip(cells, widths))  # noqa: E731
    print(line(head))
    for t in table:
        print(line(t))
    print()
    for s in sizes:
        r = rows[s]
        print(f"  {s:>6,} pages: {r['lines']:,} lines, {r['chars']:,} characters in {r['tj']:,} "
              f"text runs ({r['tj'] / max(1, r['lines']):.1f} per line); baseline "
              f"{r['lpp']} lines x {r['cpl']} characters a page")
        if "base_runs" in r:
            br = r["base_runs"]
            print(f"          baseline with {r['rpl']} runs a line: best {fmt_s(br.best)}, "
                  f"ratio briefc / it {r['briefc'].best / br.best:.2f}x")
    if 1000 in rows and 10000 in rows:
        t1, t10 = rows[1000]["briefc"].best, rows[10000]["briefc"].best
        c1, c10 = rows[1000]["briefc"].cpu, rows[10000]["briefc"].cpu
        p1, p10 = rows[1000]["pages"], rows[10000]["pages"]
        print(f"  linearity: t(10,000) / t(1,000) = {t10 / t1:.2f} wall, {c10 / c1:.2f} cpu "
              f"(pages {p10 / p1:.2f}x; wall per page {(t10 / p10) / (t1 / p1):.2f}x)")
    print(f"  shipped briefing ({SHIPPED}): best {fmt_s(shipped.best)}, median "
          f"{fmt_s(shipped.median)}, cpu {fmt_s(shipped.cpu)} ({len(shipped.walls)} runs), "
          f"{fmt_b(shipped.rss)}")

    how = "taskset" if TASKSET else "--jobs 1 and 2"
    for name, nrep, pair in batches:
        print(f"  batch ({name}, {nrep} reports; {how}): one core best {fmt_s(pair[1].best)} "
              f"(median {fmt_s(pair[1].median)}), two cores best {fmt_s(pair[2].best)} (median "
              f"{fmt_s(pair[2].median)}): {pair[1].best / pair[2].best:.2f}x the throughput")
        e1, e2 = pair["empty"][1].best, pair["empty"][2].best
        work1 = pair[1].best - e1
        print(f"          with no report (--shard 1000/1000: start, reading, exit): one core "
              f"{fmt_s(e1)}, two cores {fmt_s(e2)}; the reports' {fmt_s(work1)} shared perfectly "
              f"would give at most {bound(pair):.2f}x")
        if pair["both"] is not None:
            both = pair["both"]
            print(f"          the one-core batch twice at once, one on each processor: best "
                  f"{fmt_s(both.best)}, {2 * pair[1].best / both.best:.2f}x the throughput of one "
                  f"(what the machine gives two independent runs)")

    # ------------------------------------------------------------ the targets
    print()
    print("targets (issue 8):")

    def target(text, value, ok):
        print(f"  {verdict(ok) if ok is not None else 'not measured':>12}  {text}: {value}")

    if 1000 in rows:
        ratio = rows[1000]["briefc"].best / rows[1000]["base"].best
        target(f"1,000 pages within {RATIO_MAX_1000:.0f}x the baseline", f"{ratio:.2f}x",
               ratio <= RATIO_MAX_1000)
    else:
        target(f"1,000 pages within {RATIO_MAX_1000:.0f}x the baseline", "-", None)
    if 1000 in rows and 10000 in rows:
        lin = rows[10000]["briefc"].best / rows[1000]["briefc"].best
        target(f"linear: t(10,000) at most {LINEAR_MAX:.0f}x t(1,000)", f"{lin:.2f}x", lin <= LINEAR_MAX)
    else:
        target(f"linear: t(10,000) at most {LINEAR_MAX:.0f}x t(1,000)", "-", None)
    for s, limit in RSS_MAX.items():
        if s in rows:
            rss = rows[s]["briefc"].rss
            target(f"peak RSS at {s:,} pages under {limit // MIB} MiB", fmt_b(rss), rss < limit)
        else:
            target(f"peak RSS at {s:,} pages under {limit // MIB} MiB", "-", None)
    target(f"shipped briefing under {SHIPPED_MAX_S * 1000:.0f} ms (median)",
           fmt_s(shipped.median), shipped.median < SHIPPED_MAX_S)
    cpus = len(os.sched_getaffinity(0))
    for name, nrep, pair in batches:
        speedup = pair[1].best / pair[2].best
        target(f"batch ({name}) on two cores at least {BATCH_MIN_SPEEDUP}x one core's throughput",
               f"{speedup:.2f}x (at most {bound(pair):.2f}x with its start and reading)",
               speedup >= BATCH_MIN_SPEEDUP if cpus >= 2 else None)
    print(f"\nbench finished in {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
        print(f"bench: {e}", file=sys.stderr)
        sys.exit(1)
