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


