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


def run(args, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("timeout", 120)
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


