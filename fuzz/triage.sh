#!/usr/bin/env bash
# Replays every artifact a campaign saved (fuzz/run_all.sh) once, without a
# time limit, and prints one line each: the kind, the CPU seconds it took,
# and where it failed: the first stack frame that is not the sanitizer's or
# libc's, marked OURS (src/) or LIB (a shared library such as libhdf5).
# A replay gets 25 s (libFuzzer's -timeout, wall time; it prints the stack
# it stopped in) and 60 s of CPU. A "timeout" artifact that replays in a few
# seconds of CPU was the machine's load, not a hang.
#   usage: fuzz/triage.sh TARGET...   (BUILD, WORK as for run_all.sh)
set -uo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build-asan}
WORK=${WORK:-$BUILD/fuzz-work}
for t in "$@"; do
  for a in "$WORK/$t/artifacts"/*; do
    [ -f "$a" ] || continue
    log=$(mktemp)
    (ulimit -t 60; exec /usr/bin/time -f "%U %S" -o "$log.time" timeout 300 "$BUILD/fuzz/$t" -runs=1 -timeout=25 \
      -rss_limit_mb=2560 "$a") >"$log" 2>&1
    rc=$?
    cpu=$(tail -1 "$log.time" 2>/dev/null | awk '{printf "%.1f", $1 + $2}')
    kind=ok
    grep -q "LeakSanitizer" "$log" && kind=leak
    grep -q "out-of-memory\|malloc limit\|allocation-size-too-big" "$log" && kind=oom
    grep -q "ERROR: AddressSanitizer\|runtime error:\|deadly signal" "$log" && kind=crash
    { [ $rc -eq 124 ] || [ $rc -eq 137 ] || [ $rc -eq 152 ] || grep -q "libFuzzer: timeout" "$log"; } && kind=hang
    # First frame outside the sanitizer runtime, libc and libFuzzer.
    frame=$(grep -E '^ *#[0-9]+ 0x' "$log" | grep -vE 'libclang_rt|compiler-rt|/libc\.so|libc_start|fuzzer::|__interceptor|__asan|__ubsan|__sanitizer|in (malloc|calloc|realloc|free|operator new|memcpy|memmove|strlen) ' | head -1 |
      sed -E 's/^ *#[0-9]+ 0x[0-9a-f]+ (in )?//')
    where=-
    if [ -n "$frame" ]; then
      case $frame in *"/src/"*|*tflc::*) where=OURS ;; *) where=LIB ;; esac
    fi
    printf '%-8s %-5s %6ss  %s  %s\n' "$kind" "$where" "${cpu:-?}" "$(basename "$a")" "${frame:0:150}"
    rm -f "$log" "$log.time"
  done
done
