"""harness.py: what every test module of briefc's suite shares: checks, runs, the registry.

A test is a function of one argument (the context, see run.py's Ctx) registered with @test;
it passes unless it raises Failure (through check) or anything else. Test modules are
tests/suite_*.py; run.py imports them all.
"""
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SOURCE = os.path.join(ROOT, "sources", "nagorno-karabakh-2020.xml")

results = {"passed": 0, "failed": 0}


class Failure(Exception):
    pass


def check(cond, why):
    if not cond:
        raise Failure(why)


# BRIEFC_VALGRIND=1: every run of a briefc binary (briefc, briefc-unit) goes through valgrind
# memcheck; an error or a definite or indirect leak makes it exit 99. Time bounds stretch by
# VALGRIND_SLOWDOWN, and tests that state a memory bound drop it (valgrind needs the space).
VALGRIND = os.environ.get("BRIEFC_VALGRIND") == "1"
VALGRIND_SLOWDOWN = 30
VALGRIND_CMD = ["valgrind", "--quiet", "--error-exitcode=99", "--leak-check=full",
                "--errors-for-leak-kinds=definite,indirect", "--show-leak-kinds=definite,indirect",
                "--num-callers=30"]


def is_briefc(path):
    return os.path.basename(str(path)).startswith("briefc")


def run(args, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("timeout", 120)
    if VALGRIND and args and is_briefc(args[0]):
        args = VALGRIND_CMD + list(args)
        if kw["timeout"] is not None:
            kw["timeout"] *= VALGRIND_SLOWDOWN
    return subprocess.run(args, **kw)


def report(name, ok, why=""):
    if ok:
        results["passed"] += 1
        print(f"ok {name}")
    else:
        results["failed"] += 1
        print(f"FAIL {name}: {why}")
    sys.stdout.flush()


TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def need(tool):
    path = shutil.which(tool)
    check(path is not None, f"{tool} is not installed (./zigw installs it)")
    return path


ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def roman_value(s):
    """The value of a lower-case roman numeral ("xiv": 14)."""
    v = [ROMAN[c] for c in s]
    return sum(-a if i + 1 < len(v) and a < v[i + 1] else a for i, a in enumerate(v))


def page_of_pages(texts):
    """What is wrong with the "Page X of Y" feet of a PDF's pages (texts: each page's text,
    in order): each page has one; X counts the pages, the front matter's in roman numerals
    from i, the body's from 1; Y is the last X of the same numbering."""
    import re
    feet = []
    for n, t in enumerate(texts):
        found = re.findall(r"Page ([ivxlc]+|\d+) of ([ivxlc]+|\d+|\?\?)", t)
        if len(found) != 1:
            return f"page {n + 1}: {len(found)} 'Page X of Y' feet"
        feet.append(found[0])
    front = [f for f in feet if not f[0].isdigit()]
    body = feet[len(front):]
    if any(not x.isdigit() for x, _ in body):
        return f"roman numbers after the body's first page: {feet}"
    want = [(r, front[-1][0]) for r in [x for x, _ in front]] if front else []
    if [roman_value(x) for x, _ in front] != list(range(1, len(front) + 1)) or front != want:
        return f"front matter feet {front}"
    if body != [(str(k), str(len(body))) for k in range(1, len(body) + 1)]:
        return f"body feet {body[:3]} ... {body[-2:]}"
    return None

