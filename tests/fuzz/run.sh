#!/bin/sh
# tests/fuzz/run.sh: builds the libFuzzer harness (tests/fuzz/fuzz_source.c) with clang under
# AddressSanitizer and UBSan against the compiler's sources, and fuzzes for as long as asked.
#
# usage: tests/fuzz/run.sh [SECONDS] [-- LIBFUZZER-OPTIONS...]
#        tests/fuzz/run.sh --build-only
#        tests/fuzz/run.sh --regress     (runs every saved case once: tests/fuzz/regressions,
#                                         the seeds; fails on any crash)
# SECONDS defaults to 60 (0: until stopped). Environment: FUZZ_WORK (default .fuzz/ in the
# repository) holds the build, the growing corpus and crash files; FUZZ_JOBS (default 1).
# clang and its sanitizer runtimes (Debian: clang, libclang-rt-14-dev) are installed with
# apt-get when missing (as root); ./zigw installs them too.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${FUZZ_WORK:-"$root/.fuzz"}
say() { printf 'fuzz: %s\n' "$*" >&2; }

mode=run
seconds=60
case "${1:-}" in
  --build-only) mode=build; shift ;;
  --regress) mode=regress; shift ;;
  ''|--) ;;
  *) seconds=$1; shift ;;
esac
[ "${1:-}" = "--" ] && shift

# ---- the tools
cc=""
for c in clang clang-14 clang-15 clang-16; do
  if command -v "$c" >/dev/null 2>&1; then cc=$c; break; fi
done
probe() {
  printf '#include <stdint.h>\n#include <stddef.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
    > "$work/probe.c"
  [ -n "$cc" ] && "$cc" -fsanitize=fuzzer,address,undefined "$work/probe.c" -o "$work/probe" >/dev/null 2>&1
}
mkdir -p "$work"
if ! probe; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing clang and its sanitizer runtimes (clang libclang-rt-14-dev)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends clang libclang-rt-14-dev >&2 ||
      { apt-get update >&2 && apt-get install -y --no-install-recommends clang libclang-rt-14-dev >&2; } ||
      { say "apt-get could not install clang"; exit 1; }
    cc=clang
  fi
  probe || { say "clang with -fsanitize=fuzzer is needed (Debian: clang libclang-rt-14-dev)"; exit 1; }
fi

# ---- the build: the sources build.zig lists as the library, the embedded schemas and styles
bin="$work/fuzz_source"
cd "$root"
sources=$(sed -n '/^const lib_sources/,/^};/p' build.zig | grep -o '"compiler/[^"]*\.c"' | tr -d '"')
[ -n "$sources" ] || { say "no library sources found in build.zig"; exit 1; }
"$cc" -O1 -w -o "$work/embed" compiler/embed/embed.c
embeds=$(sed -n '/^const embedded_files/,/^};/p' build.zig | grep -o '"[^"]*"' | tr -d '"')
[ -n "$embeds" ] || { say "no embedded files found in build.zig"; exit 1; }
# shellcheck disable=SC2086
"$work/embed" "$work/embedded.c" $embeds
newest=$(ls -t $sources tests/fuzz/fuzz_source.c compiler/*/*.h compiler/*.h compiler/schema/*.rng \
  styles/*.xml build.zig | head -n 1)
if [ ! -x "$bin" ] || [ "$newest" -nt "$bin" ]; then
  say "building $bin with $cc"
  # shellcheck disable=SC2046
  "$cc" -std=c11 -g -O1 -Wall -Wextra -Werror -Wno-unused-parameter -D_DEFAULT_SOURCE \
    -fno-strict-aliasing -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -fno-sanitize=function -Icompiler $(pkg-config --cflags libxml-2.0 harfbuzz harfbuzz-subset fontconfig libpng) \
    -o "$bin.tmp" tests/fuzz/fuzz_source.c $sources "$work/embedded.c" \
    $(pkg-config --libs libxml-2.0 harfbuzz harfbuzz-subset fontconfig libpng libdeflate) -lhpdf -lz -lhyphen -ljpeg -lm
  mv "$bin.tmp" "$bin"
fi
[ "$mode" = build ] && { echo "$bin"; exit 0; }

# ---- seeds: the sources, the test dossiers, the adversarial cases small enough, the styles
seeds="$work/seeds"
rm -rf "$seeds"
mkdir -p "$seeds" "$work/corpus" "$work/crashes"
for f in sources/*.xml tests/golden/*.xml tests/bad/*.xml tests/images/*.xml tests/latex/*.xml \
  tests/adversarial/*.xml styles/*.xml tests/fuzz/regressions/*; do
  [ -f "$f" ] || continue
  [ "$(wc -c < "$f")" -le 262144 ] || continue
  cp "$f" "$seeds/$(echo "$f" | tr / _)"
done
dict="$here/xml.dict"
export BRIEFC_FUZZ_ROOT="$root"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

if [ "$mode" = regress ]; then
  # every saved case once; libFuzzer exits non-zero on the first crash, leak or UB report
  set --
  for f in "$seeds"/*; do set -- "$@" "$f"; done
  exec "$bin" -rss_limit_mb=4096 -timeout=120 "$@"
fi

jobs=""
if [ "${FUZZ_JOBS:-1}" -gt 1 ]; then jobs="-jobs=$FUZZ_JOBS -workers=$FUZZ_JOBS"; fi
say "fuzzing for ${seconds}s (0: until stopped); corpus $work/corpus, crashes $work/crashes"
cd "$work"   # with -jobs, libFuzzer writes fuzz-N.log into the working directory
exec "$bin" -max_total_time="$seconds" -max_len=131072 -rss_limit_mb=4096 -timeout=120 -report_slow_units=30 \
  -dict="$dict" $jobs -print_final_stats=1 \
  -artifact_prefix="$work/crashes/" "$@" "$work/corpus" "$seeds"
