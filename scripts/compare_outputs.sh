#!/usr/bin/env bash
# Byte-identity check of every .tflite the test suites and bench/ produce,
# between two builds (for refactors that must not change any output).
#
#   bash scripts/compare_outputs.sh --record OUT_DIR --build BUILD_DIR [--inputs DIR]
#   bash scripts/compare_outputs.sh --compare A_DIR B_DIR
#   bash scripts/compare_outputs.sh --commits OLD NEW [--work DIR] [--inputs DIR]
#   bash scripts/compare_outputs.sh --capture INPUTS_DIR --build BUILD_DIR
#
# How it works. The conversions are collected once (the "capture") by running
# the real suites -- every ctest test of BUILD_DIR except the in-process
# unit_tests, plus bench/run.sh (RUNS=1, hyperfine replaced by a no-op) -- with
# a recording tflite_convert (compare_outputs/record_convert.sh) passed as
# their --converter (the cli tests get a shadow build dir whose tflite_convert
# is that stand-in). The stand-in runs the real binary and snapshots each input
# file or folder into INPUTS_DIR/store/<sha256>/ and each command line into
# INPUTS_DIR/calls/. A record then replays every distinct command line with
# BUILD_DIR/tflite_convert on those stored inputs (in parallel, no runtime
# checks) and hashes the outputs. Both builds of a comparison therefore
# convert the very same bytes, even where a generator is not deterministic
# (the .keras zips of tests/keras/tfjs/write_keras.py and
# tests/cli/make_bad_keras.py carry timestamps; bench/make_synthetic_graph
# writes its NodeDef attr maps in a varying order). The capture takes about
# 9 minutes on 2 cores and is made once; a record about 2-4 minutes.
# Not covered: tests/unit (gtest, converts in-process; golden_test already
# compares its dumps), bench/convert_bench and bench/calibrate_bench.sh
# (in-process, write no .tflite).
#
# OUT_DIR of a record: hashes.tsv, meta.txt (build, converter sha256, capture
# id), suites.tsv (per suite: invocations during the capture, distinct
# conversions, .tflite outputs, failures/rejections), times_messages.tsv
# (per conversion: ms and first message line), outputs/<keyhash>.tflite (the
# files up to --keep-max-mb, to diff a changed conversion with tflite_analyze)
# and, when the binary is the one the capture ran, replay_vs_capture.tsv
# (conversions whose replay differs from what the suites themselves got).
# INPUTS_DIR: store/, calls/, manifest.tsv, capture_log.tsv, capture_info.txt,
# runs/*.log (each suite's output during the capture), suite_runs.tsv.
#
# Key of a conversion: its flags in order, each input written as
# <basename>@<first 16 hex of its sha256> (folders: hash of the tree), the
# output as <out>. hashes.tsv columns:
#   key, result (sha256 of the .tflite, or rc=N when it failed, rc=0:no-output),
#   size, sha256 of its stdout+stderr (paths normalized), keyhash, suites, label
# --compare compares the result column; message-only differences are listed
# as information and do not fail.
#
# Options:
#   --inputs DIR    the capture to replay (default: $TFLC_COMPARE_INPUTS, else
#                   <parent of OUT_DIR>/compare_inputs). Captured with
#                   --build's binaries (and the suites of its source tree) when
#                   DIR holds no finished capture. Records compare only when
#                   they replayed the same capture (--compare checks).
#   --recapture     capture again even if DIR holds one (replaces it)
#   --no-bench      capture without bench/run.sh;   --no-1gb  without its 1 GB graph
#   --jobs N        parallel jobs (default: nproc)
#   --keep-max-mb N keep each output of at most N MB in OUT_DIR/outputs/ (default 32; 0: none)
#   --work DIR      --commits: worktrees, builds and records go here (default /tmp/tflc-compare)
#
# Needs: bash, coreutils, findutils, node (the suites), /usr/bin/python3 with
# numpy + h5py (the Keras generators), cmake/ctest; the e2e npm modules (copied
# from this checkout into the suites' tree when that lacks them, else
# tests/e2e/setup.sh). Corpus suites need <src>/../shared/corpus; without it
# they print SKIP and convert nothing (a message says so).
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SELF="$HERE/$(basename "${BASH_SOURCE[0]}")"
REPO=$(cd "$HERE/.." && pwd)
HELPER="$HERE/compare_outputs/record_convert.sh"
JOBS=$(nproc 2>/dev/null || echo 2)
KEEP_MAX_MB=${KEEP_MAX_MB:-32}
NO_BENCH=0 NO_1GB=0 RECAPTURE=0
INPUTS="" BUILD="" OUT="" WORK=/tmp/tflc-compare

log() { echo "[compare_outputs $(date +%T)] $*" >&2; }
die() { echo "compare_outputs: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -uo/p' "$SELF" | sed '$d' | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }

# ---- capture ------------------------------------------------------------------

# The e2e suites need tests/e2e/{node_modules,runtime2/node_modules} (npm ci)
# plus the two folders setup.sh derives from them.
ensure_e2e_deps() {
  local e2e="$1/tests/e2e" mine="$REPO/tests/e2e" d
  for d in . runtime2; do
    local want have mineh
    want=$(sha256sum "$e2e/$d/package-lock.json" | cut -c1-64)
    have=$(cat "$e2e/$d/node_modules/.e2e-lock.sha256" 2>/dev/null || true)
    [ "$want" = "$have" ] && continue
    mineh=$(cat "$mine/$d/node_modules/.e2e-lock.sha256" 2>/dev/null || true)
    if [ "$(realpath "$e2e")" != "$(realpath "$mine")" ] && [ "$mineh" = "$want" ] && [ ! -e "$e2e/$d/node_modules" ]; then
      log "copying $mine/$d/node_modules into $e2e/$d/ (same package-lock.json)"
      cp -a "$mine/$d/node_modules" "$e2e/$d/" || return 1
    fi
  done
  sh "$e2e/setup.sh" >&2 || { log "tests/e2e/setup.sh failed"; return 1; }
}

# capture INPUTS BUILD: run the suites with the recording converter.
capture() {
  local in="$1" build="$2" src sh t0
  t0=$(now_ms)
  build=$(realpath "$build")
  [ -x "$build/tflite_convert" ] || die "no $build/tflite_convert"
  src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt" 2>/dev/null)
  [ -d "$src/tests" ] || die "cannot find the source tree of $build (CMakeCache.txt)"
  case "$(realpath -m "$in")/" in "$build"/*) die "--inputs must not be inside the build dir";; esac
  log "capture into $in: suites of $src, binaries of $build"
  ensure_e2e_deps "$src" || die "the e2e npm modules are missing and tests/e2e/setup.sh failed"
  if [ -e "$in" ] && [ -n "$(ls -A "$in")" ] && [ ! -f "$in/capture_info.txt" ]; then
    die "$in exists and is not a capture of this script: not replacing it"
  fi
  rm -rf "$in"
  mkdir -p "$in"/{store,calls,log.d,runs,bin} || die "cannot create $in"
  in=$(realpath "$in")
  sh="$in/shadow"
  local corpus=""
  if [ -d "$src/../shared/corpus" ]; then
    corpus=$(realpath "$src/../shared/corpus")
  else
    log "SKIP: $src/../shared/corpus not found: the corpus suites and bench's corpus models convert nothing"
  fi
  # Shadow build dir: the build's executables, tflite_convert = recording stub.
  mkdir -p "$sh"
  (cd "$build" && find . -maxdepth 3 -name CMakeFiles -prune -o -type f -perm -u+x -print) |
    while read -r f; do
      f=${f#./}
      [ "$f" = tflite_convert ] && continue
      mkdir -p "$sh/$(dirname "$f")" && ln -s "$build/$f" "$sh/$f"
    done
  cp "$HELPER" "$in/bin/record_convert.sh"
  cat >"$sh/tflite_convert" <<EOF
#!/usr/bin/env bash
# Recording stand-in written by scripts/compare_outputs.sh (capture).
export TFLC_REAL_CONVERTER='$build/tflite_convert' TFLC_CAPTURE='$in' TFLC_SHADOW='$sh' TFLC_CORPUS='$corpus'
exec bash '$in/bin/record_convert.sh' "\$@"
EOF
  chmod +x "$sh/tflite_convert"
  cat >"$in/bin/hyperfine" <<'EOF'
#!/usr/bin/env bash
# No-op hyperfine for bench/run.sh during a capture: the command was already
# run once by run.sh itself; write the JSON run.sh reads.
json=""
while [ $# -gt 0 ]; do case "$1" in --export-json) json=$2; shift 2 ;; *) shift ;; esac; done
[ -n "$json" ] && echo '{"results":[{"median":0,"mean":0,"user":0,"system":0}]}' >"$json"
exit 0
EOF
  chmod +x "$in/bin/hyperfine"
  {
    echo "build=$build"
    echo "src=$src"
    echo "src_commit=$(git -C "$src" rev-parse HEAD 2>/dev/null)$(git -C "$src" diff --quiet HEAD -- tests bench 2>/dev/null || echo ' (tests/ or bench/ modified)')"
    echo "converter_sha256=$(sha256sum "$build/tflite_convert" | cut -c1-64)"
    echo "corpus=${corpus:-absent}"
    echo "started=$(date -Is)"
  } >"$in/capture_info.txt"

  # One job file per ctest test (NUL-separated: name, timeout, cwd, command...).
  ctest --test-dir "$build" --show-only=json-v1 >"$in/ctest.json" 2>"$in/ctest.err" ||
    die "ctest --show-only failed: $(head -3 "$in/ctest.err")"
  /usr/bin/python3 - "$in/ctest.json" "$build" "$sh" "$in/runs" <<'PY' || die "cannot read the ctest test list"
import json, os, re, sys
d = json.load(open(sys.argv[1])); build, shadow, out = sys.argv[2:5]
pat = re.compile(re.escape(build) + r'(?=/|$|[\s"\';&|)])')
for i, t in enumerate(d.get('tests', [])):
    cmd, name = t.get('command') or [], t['name']
    if not cmd or os.path.basename(cmd[0]) == 'unit_tests' or name.endswith('_NOT_BUILT'):
        continue
    props = {p['name']: p['value'] for p in t.get('properties', [])}
    cwd = pat.sub(shadow, props.get('WORKING_DIRECTORY', shadow))
    timeout = int(float(props.get('TIMEOUT', 1500)))
    cmd = [pat.sub(shadow, c) for c in cmd]
    phase = 0 if props.get('FIXTURES_SETUP') else 1
    safe = re.sub(r'\W+', '_', name)
    with open(os.path.join(out, f'{phase}_{i:03d}_{safe}.job'), 'wb') as f:
        f.write(b'\0'.join(s.encode() for s in [name, str(timeout), cwd] + cmd) + b'\0')
PY
  if [ "$NO_BENCH" = 0 ]; then
    local bargs=(1) ; [ "$NO_1GB" = 1 ] && bargs+=(--no-1gb)
    printf '%s\0' bench/run.sh 3600 "$in" bash "$SELF" --_bench "$in" "$src" "$sh" "${bargs[@]}" >"$in/runs/1_000_bench.job"
  fi
  local n
  n=$(ls "$in/runs" | wc -l)
  log "running $n suites ($JOBS at a time; fixtures first)"
  for f in "$in"/runs/0_*.job; do [ -e "$f" ] && run_job "$f"; done
  ls "$in"/runs/1_*.job 2>/dev/null | xargs -r -n1 -P "$JOBS" bash "$SELF" --_job
  finalize_capture "$in" "$t0"
}

# run_job FILE: one suite, output to FILE.log, "name rc seconds" to FILE.rc
run_job() {
  local f="$1" a name timeout cwd t0 rc
  mapfile -d '' -t a <"$f"
  name=${a[0]} timeout=${a[1]} cwd=${a[2]}
  t0=$(now_ms)
  log "suite $name: started"
  (cd "$cwd" && TFLC_SUITE="$name" timeout --kill-after=30 "$timeout" "${a[@]:3}") >"${f%.job}.log" 2>&1 </dev/null
  rc=$?
  printf '%s\t%s\t%s\n' "$name" "$rc" "$(( ($(now_ms) - t0) / 1000 ))" >"${f%.job}.rc"
  log "suite $name: exit $rc after $(( ($(now_ms) - t0) / 1000 )) s ($(tail -1 "${f%.job}.log" | cut -c1-100))"
}

# bench/run.sh with the recording converter; its generated inputs go to
# INPUTS/bench_work (made here with the build's make_synthetic_graph, so that
# run.sh never builds) and are hard-linked into the store.
run_bench() {
  local in="$1" src="$2" sh="$3"; shift 3
  local w="$in/bench_work" mb sizes=(10 100 1024)
  [[ " $* " == *" --no-1gb "* ]] && sizes=(10 100)
  mkdir -p "$w"
  if [ ! -x "$sh/bench/make_synthetic_graph" ]; then
    echo "SKIP: the build has no bench/make_synthetic_graph (bench not configured)"; return 0
  fi
  for mb in "${sizes[@]}"; do
    [ -f "$w/synthetic_${mb}mb.pb" ] || "$sh/bench/make_synthetic_graph" "$mb" "$w/synthetic_${mb}mb.pb" >/dev/null || return 1
  done
  [ -d "$w/saved_model_200mb" ] || "$sh/bench/make_synthetic_graph" --saved_model 200 "$w/saved_model_200mb" >/dev/null || return 1
  PATH="$in/bin:$PATH" TFLC_BIN="$sh/tflite_convert" BENCH_DIR="$w" TFLC_LINK_UNDER="$w" bash "$src/bench/run.sh" "$@"
}

finalize_capture() {
  local in="$1" t0="$2"
  find "$in/log.d" -type f -exec cat {} + | LC_ALL=C sort >"$in/capture_log.tsv"
  # manifest: keyhash, suite, label, key (one line per distinct occurrence)
  cut -f1,2,3,7 "$in/capture_log.tsv" | LC_ALL=C sort -u >"$in/manifest.tsv"
  # The same command giving different results within the capture.
  awk -F'\t' '{r[$1] = r[$1] ? (index(r[$1], $4 ":" $5) ? r[$1] : r[$1] " | " $4 ":" $5) : $4 ":" $5; k[$1] = $7}
              END {for (h in r) if (index(r[h], " | ")) print h "\t" r[h] "\t" k[h]}' \
    "$in/capture_log.tsv" >"$in/capture_nondeterministic.tsv"
  cat "$in"/runs/*.rc >"$in/suite_runs.tsv" 2>/dev/null
  local calls ninv bad
  calls=$(ls "$in/calls" | grep -c '\.args$')
  ninv=$(wc -l <"$in/capture_log.tsv")
  bad=$(awk -F'\t' '$2 != 0' "$in/suite_runs.tsv" | cut -f1 | tr '\n' ' ')
  rm -rf "$in/bench_work" "$in/log.d" "$in/shadow"
  {
    echo "finished=$(date -Is)"
    echo "seconds=$(( ($(now_ms) - t0) / 1000 ))"
    echo "invocations=$ninv"
    echo "distinct_conversions=$calls"
    echo "suites_failed=${bad:-none}"
    echo "capture_id=$( (cd "$in/calls" && ls | grep '\.args$' | LC_ALL=C sort | xargs cat) | sha256sum | cut -c1-16)"
  } >>"$in/capture_info.txt"
  [ -s "$in/wrapper_errors.txt" ] && log "WARNING: the recording stand-in reported errors: $in/wrapper_errors.txt"
  [ -n "$bad" ] && log "WARNING: suites with a non-zero exit during the capture (their logs: $in/runs/*.log): $bad"
  [ -s "$in/capture_nondeterministic.tsv" ] &&
    log "WARNING: $(wc -l <"$in/capture_nondeterministic.tsv") command lines gave different results within the capture: $in/capture_nondeterministic.tsv"
  log "capture done: $ninv invocations, $calls distinct conversions, $(du -sh "$in/store" | cut -f1) of inputs, $(( ($(now_ms) - t0) / 1000 )) s"
  touch "$in/CAPTURE_OK"
}

# ---- record (replay) ---------------------------------------------------------------

# replay IN BUILD OUT ARGS_FILE...: one row per conversion in OUT/rows.d/
# (few processes per conversion: forks are what a replay spends its time on).
replay() {
  local in="$1" build="$2" out="$3"; shift 3
  local f kh w x a t o rc res size msg t0 ms first
  w="$out/work/$BASHPID"
  mkdir -p "$w"
  for f in "$@"; do
    kh=${f##*/}; kh=${kh%.args}
    mapfile -d '' -t t <"$f"
    a=() o=""
    for x in "${t[@]}"; do
      [[ "$x" == *@OUT@* ]] && o="$w/${x##*@OUT@/}"
      x=${x//@IN@/$in/store/}; x=${x//@MISSING@/$in/missing}; x=${x//@OUT@/$w}
      a+=("$x")
    done
    t0=${EPOCHREALTIME/./}
    cd "$w" && timeout --kill-after=30 1800 "$build/tflite_convert" "${a[@]}" >"$w/.stdout" 2>"$w/.stderr" </dev/null
    rc=$?
    cd /
    ms=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
    res="rc=$rc" size=-
    if [ "$rc" = 0 ]; then
      if [ -n "$o" ] && [ -f "$o" ]; then
        res=$(sha256sum "$o"); res=${res%% *}
        size=$(stat -c %s "$o")
      else
        res="rc=0:no-output"
      fi
    fi
    sed -e "s#$w#<out>#g" -e "s#$in/store/[0-9a-f]*/#<in>/#g" -e "s#$in/missing/#<in>/#g" \
        -e "s#$build#<build>#g" "$w/.stdout" "$w/.stderr" >"$w/.msgs"
    msg=$(sha256sum <"$w/.msgs"); msg=${msg:0:16}
    first=""
    while IFS= read -r x; do [ -n "$x" ] && { first=${x:0:200}; break; }; done <"$w/.msgs"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$kh" "$res" "$size" "$msg" "$ms" "${first//$'\t'/ }" >"$out/rows.d/$kh"
    if [ -n "$o" ] && [ -e "$o" ]; then
      if [ "$size" != - ] && [ "$size" -le $((KEEP_MAX_MB * 1048576)) ]; then
        mv -f "$o" "$out/outputs/$kh.tflite"
      else
        rm -rf "$o"
      fi
    fi
  done
  rm -rf "$w"
}

record() {
  local out="$1" build="$2" in="$3" t0
  t0=$(now_ms)
  build=$(realpath "$build" 2>/dev/null) || die "no build dir $2"
  [ -x "$build/tflite_convert" ] || die "no $build/tflite_convert"
  if [ "$RECAPTURE" = 1 ] || [ ! -f "$in/CAPTURE_OK" ]; then
    capture "$in" "$build"
  fi
  in=$(realpath "$in")
  if [ -e "$out" ]; then
    [ -f "$out/meta.txt" ] || [ -z "$(ls -A "$out")" ] || die "$out exists and is not a record of this script"
    rm -rf "$out"
  fi
  mkdir -p "$out"/{rows.d,work,outputs} || die "cannot create $out"
  out=$(realpath "$out")
  local n
  n=$(ls "$in/calls" | grep -c '\.args$')
  log "record: replaying $n conversions of $in with $build/tflite_convert ($JOBS jobs)"
  # Biggest inputs first so that they do not end the run alone.
  /usr/bin/python3 - "$in" >"$out/.order" <<'PY' || die "cannot list $in/calls"
import os, re, sys
root = sys.argv[1]
def size(p):
    if os.path.isfile(p):
        return os.path.getsize(p)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(p) for f in fs)
known, order = {}, []
for name in os.listdir(f'{root}/calls'):
    if not name.endswith('.args'):
        continue
    refs = set(re.findall(rb'@IN@([0-9a-f]{64}/[^\0=]*)', open(f'{root}/calls/{name}', 'rb').read()))
    total = 0
    for r in refs:
        if r not in known:
            known[r] = size(os.path.join(root, 'store', r.decode()))
        total += known[r]
    order.append((-total, name))
for _, name in sorted(order):
    print(f'{root}/calls/{name}')
PY
  KEEP_MAX_MB=$KEEP_MAX_MB xargs -a "$out/.order" -n 25 -P "$JOBS" bash "$SELF" --_replay "$in" "$build" "$out"
  rm -rf "$out/work" "$out/.order"
  # hashes.tsv: key, result, size, messages, keyhash, suites, label
  cat "$out"/rows.d/* | LC_ALL=C sort >"$out/.rows"
  {
    printf '# key\tresult\tsize\tmessages_sha256\tkeyhash\tsuites\tlabel\n'
    awk -F'\t' 'FNR == NR {res[$1] = $2 "\t" $3 "\t" $4; next}
                {if (!($1 in key)) {key[$1] = $4; lab[$1] = $3; ord[++n] = $1}
                 if (index(" " su[$1] " ", " " $2 " ") == 0) su[$1] = su[$1] (su[$1] ? "," : "") $2}
                END {for (i = 1; i <= n; i++) {h = ord[i]
                       print key[h] "\t" (h in res ? res[h] : "not-run\t-\t-") "\t" h "\t" su[h] "\t" lab[h]}}' \
      "$out/.rows" "$in/manifest.tsv" | LC_ALL=C sort
  } >"$out/hashes.tsv"
  { printf '# keyhash\tms\tfirst line of the messages\n'; cut -f1,5,6 "$out/.rows"; } >"$out/times_messages.tsv"
  rm -rf "$out/rows.d" "$out/.rows"
  # Per suite: invocations during the capture, distinct conversions, .tflite files.
  {
    printf 'suite\tinvocations\tconversions\ttflite_outputs\tfailed_or_rejected\n'
    awk -F'\t' 'FNR == NR {if ($0 !~ /^#/) ok[$5] = ($2 ~ /^rc=/) ? 0 : 1; next}
                FILENAME ~ /capture_log/ {inv[$2]++; next}
                {if (!(($2, $1) in seen)) {seen[$2, $1] = 1; conv[$2]++; if (ok[$1]) tf[$2]++; else bad[$2]++}}
                END {for (s in conv) printf "%s\t%d\t%d\t%d\t%d\n", s, inv[s], conv[s], tf[s], bad[s]}' \
      "$out/hashes.tsv" "$in/capture_log.tsv" "$in/manifest.tsv" | LC_ALL=C sort
  } >"$out/suites.tsv"
  local total tfl
  total=$(grep -vc '^#' "$out/hashes.tsv")
  tfl=$(grep -v '^#' "$out/hashes.tsv" | awk -F'\t' '$2 !~ /^(rc=|not-run)/' | wc -l)
  {
    echo "build=$build"
    echo "src_commit=$(git -C "$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt" 2>/dev/null)" rev-parse HEAD 2>/dev/null)"
    echo "converter_sha256=$(sha256sum "$build/tflite_convert" | cut -c1-64)"
    echo "inputs=$in"
    grep '^capture_id=' "$in/capture_info.txt"
    echo "conversions=$total"
    echo "tflite_outputs=$tfl"
    echo "seconds=$(( ($(now_ms) - t0) / 1000 ))"
    echo "date=$(date -Is)"
  } >"$out/meta.txt"
  # Same binary as the capture: the replay must give what the suites got.
  if [ "$(sed -n 's/^converter_sha256=//p' "$in/capture_info.txt")" = "$(sed -n 's/^converter_sha256=//p' "$out/meta.txt")" ]; then
    awk -F'\t' 'FNR == NR {if ($0 !~ /^#/) r[$5] = $2; next}
                {c = ($4 == 0 && $5 != "-") ? $5 : "rc=" $4; if ($4 == 0 && $5 == "-") c = "rc=0:no-output"
                 if (($1 in r) && r[$1] != c && !seen[$1]++) print $1 "\t" $2 "\t" $3 "\tsuite: " c "\treplay: " r[$1]}' \
      "$out/hashes.tsv" "$in/capture_log.tsv" >"$out/replay_vs_capture.tsv"
    echo "replay_vs_capture_mismatches=$(wc -l <"$out/replay_vs_capture.tsv")" >>"$out/meta.txt"
  fi
  column -t -s $'\t' "$out/suites.tsv" >&2
  log "record done: $total conversions ($tfl .tflite files) in $(( ($(now_ms) - t0) / 1000 )) s -> $out/hashes.tsv"
  [ -s "$out/replay_vs_capture.tsv" ] && log "WARNING: replay differs from the suites' own run for $(wc -l <"$out/replay_vs_capture.tsv") conversions: $out/replay_vs_capture.tsv"
  return 0
}

# ---- compare ------------------------------------------------------------------------

compare() {
  local a="$1" b="$2"
  [ -f "$a/hashes.tsv" ] || die "no $a/hashes.tsv"
  [ -f "$b/hashes.tsv" ] || die "no $b/hashes.tsv"
  /usr/bin/python3 - "$a" "$b" <<'PY'
import sys
A, B = sys.argv[1:3]
def load(d):
    rows, meta = {}, {}
    for line in open(f'{d}/hashes.tsv'):
        if line.startswith('#'):
            continue
        f = line.rstrip('\n').split('\t')
        rows[f[0]] = {'result': f[1], 'size': f[2], 'msg': f[3], 'label': f'{f[5]}: {f[6]}'}
    try:
        meta = dict(l.rstrip('\n').split('=', 1) for l in open(f'{d}/meta.txt') if '=' in l)
    except OSError:
        pass
    return rows, meta
ra, ma = load(A)
rb, mb = load(B)
if ma.get('capture_id') != mb.get('capture_id'):
    print(f"WARNING: the records replayed different captures ({ma.get('capture_id')} vs {mb.get('capture_id')}): "
          "conversions of regenerated inputs get other keys")
same = [k for k in ra if k in rb and ra[k]['result'] == rb[k]['result']]
changed = sorted((k for k in ra if k in rb and ra[k]['result'] != rb[k]['result']), key=lambda k: ra[k]['label'])
only_a = sorted((k for k in ra if k not in rb), key=lambda k: ra[k]['label'])
only_b = sorted((k for k in rb if k not in ra), key=lambda k: rb[k]['label'])
msgs = sorted((k for k in same if ra[k]['msg'] != rb[k]['msg']), key=lambda k: ra[k]['label'])
print(f'identical: {len(same)}')
print(f'changed: {len(changed)}')
print(f'missing in {B} (only in {A}): {len(only_a)}')
print(f'missing in {A} (only in {B}): {len(only_b)}')
if msgs:
    print(f'same result, different converter messages (information only): {len(msgs)}')
def show(title, keys, rows, both=False):
    if not keys:
        return
    print(f'\n{title}:')
    for k in keys:
        print(f"  {rows[k]['label']}\n      key: {k}")
        if both:
            print(f"      {A}: {ra[k]['result']} ({ra[k]['size']} bytes)\n      {B}: {rb[k]['result']} ({rb[k]['size']} bytes)")
        else:
            print(f"      result: {rows[k]['result']}")
show('CHANGED', changed, ra, both=True)
show(f'ONLY IN {A}', only_a, ra)
show(f'ONLY IN {B}', only_b, rb)
if msgs:
    print('\nMESSAGES DIFFER, RESULT IDENTICAL (see times_messages.tsv of each record):')
    for k in msgs[:50]:
        print(f"  {ra[k]['label']}\n      key: {k}")
    if len(msgs) > 50:
        print(f'  ... {len(msgs) - 50} more')
sys.exit(1 if changed or only_a or only_b else 0)
PY
}

# ---- commits -------------------------------------------------------------------------

build_commit() {  # SHA -> prints the build dir
  local sha="$1" wt="$WORK/wt-${1:0:12}" launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  if [ ! -d "$wt" ]; then
    git -C "$REPO" worktree add --detach "$wt" "$sha" >&2 || die "git worktree add $wt $sha failed"
  fi
  log "building ${sha:0:12} in $wt/build (log $wt/build.log)"
  { cmake -S "$wt" -B "$wt/build" -DCMAKE_BUILD_TYPE=Release "${launcher[@]}" &&
    cmake --build "$wt/build" -j"$(nproc)" --target tflite_convert tflite_analyze make_saved_models make_synthetic_graph
  } >"$wt/build.log" 2>&1 || die "build of ${sha:0:12} failed: see $wt/build.log"
  echo "$wt/build"
}

commits() {
  local old new bo bn
  old=$(git -C "$REPO" rev-parse --verify "$1^{commit}") || die "unknown commit $1"
  new=$(git -C "$REPO" rev-parse --verify "$2^{commit}") || die "unknown commit $2"
  mkdir -p "$WORK"
  WORK=$(realpath "$WORK")
  # The suites find the corpus at <worktree>/../shared/corpus.
  if [ ! -e "$WORK/shared" ] && [ -d "$REPO/../shared" ]; then ln -s "$(realpath "$REPO/../shared")" "$WORK/shared"; fi
  bo=$(build_commit "$old") || exit 2
  bn=$(build_commit "$new") || exit 2
  local in=${INPUTS:-${TFLC_COMPARE_INPUTS:-$WORK/inputs-${old:0:12}}}
  record "$WORK/hashes-old-${old:0:12}" "$bo" "$in" || exit 2
  record "$WORK/hashes-new-${new:0:12}" "$bn" "$in" || exit 2
  compare "$WORK/hashes-old-${old:0:12}" "$WORK/hashes-new-${new:0:12}"
}

# ---- main ---------------------------------------------------------------------------

case "${1:-}" in
  --_job) run_job "$2"; exit 0 ;;
  --_bench) shift; run_bench "$@"; exit $? ;;
  --_replay) shift; replay "$@"; exit 0 ;;
esac

mode=""
while [ $# -gt 0 ]; do
  case "$1" in
    --record) mode=record; OUT=${2:?--record OUT_DIR}; shift 2 ;;
    --capture) mode=capture; INPUTS=${2:?--capture INPUTS_DIR}; shift 2 ;;
    --compare) mode=compare; A=${2:?--compare A B}; B=${3:?--compare A B}; shift 3 ;;
    --commits) mode=commits; OLD=${2:?--commits OLD NEW}; NEW=${3:?--commits OLD NEW}; shift 3 ;;
    --build) BUILD=${2:?}; shift 2 ;;
    --inputs) INPUTS=${2:?}; shift 2 ;;
    --work) WORK=${2:?}; shift 2 ;;
    --jobs) JOBS=${2:?}; shift 2 ;;
    --keep-max-mb) KEEP_MAX_MB=${2:?}; shift 2 ;;
    --recapture) RECAPTURE=1; shift ;;
    --no-bench) NO_BENCH=1; shift ;;
    --no-1gb) NO_1GB=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown argument: $1" >&2; usage 2 ;;
  esac
done
export KEEP_MAX_MB
case "$mode" in
  record)
    [ -n "$BUILD" ] || die "--record needs --build BUILD_DIR"
    INPUTS=${INPUTS:-${TFLC_COMPARE_INPUTS:-$(dirname "$(realpath -m "$OUT")")/compare_inputs}}
    record "$OUT" "$BUILD" "$INPUTS" ;;
  capture)
    [ -n "$BUILD" ] || die "--capture needs --build BUILD_DIR"
    capture "$INPUTS" "$BUILD" ;;
  compare) compare "$A" "$B" ;;
  commits) commits "$OLD" "$NEW" ;;
  *) usage 2 ;;
esac
