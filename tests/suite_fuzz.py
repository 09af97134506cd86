"""suite_fuzz.py: a short, bounded run of the libFuzzer harness (tests/fuzz/run.sh).

Builds tests/fuzz/fuzz_source.c with clang under AddressSanitizer and UBSan into a scratch
directory, replays every seed and saved regression (tests/fuzz/regressions/) once, then
fuzzes for FUZZ_SMOKE_SECONDS (default 20) of one core. Any crash, leak, sanitizer report or
timeout fails the test, and the input that caused it is named. `./zigw build fuzz` (or
tests/fuzz/run.sh SECONDS) fuzzes for as long as asked.
"""
import os

from harness import HERE, check, need, run, test

RUN_SH = os.path.join(HERE, "fuzz", "run.sh")


@test
def fuzz_smoke(ctx):
    need("clang")  # ./zigw installs clang and libclang-rt-14-dev
    work = ctx.tmp("fuzz")
    env = dict(os.environ, FUZZ_WORK=work)
    env.pop("ASAN_OPTIONS", None)
    env.pop("UBSAN_OPTIONS", None)
    r = run(["sh", RUN_SH, "--build-only"], text=True, env=env, timeout=600)
    check(r.returncode == 0, f"the harness does not build: {r.stderr[-1500:]}")
    r = run(["sh", RUN_SH, "--regress"], text=True, env=env, timeout=600)
    check(r.returncode == 0, f"a saved case fails: {r.stderr[-2500:]}")
    seconds = os.environ.get("FUZZ_SMOKE_SECONDS", "20")
    r = run(["sh", RUN_SH, seconds, "--", "-max_len=16384"], text=True, env=env, timeout=int(seconds) + 300)
    crashes = os.listdir(os.path.join(work, "crashes")) if os.path.isdir(os.path.join(work, "crashes")) else []
    check(r.returncode == 0 and not crashes,
          f"fuzzing found a problem ({crashes}): {r.stderr[-2500:]}")
    check("Done" in r.stderr, f"the fuzzer did not finish its run: {r.stderr[-800:]}")
