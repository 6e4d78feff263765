#!/usr/bin/env bash
# Recording stand-in for tflite_convert, used by scripts/compare_outputs.sh
# while it runs the test suites (the "capture"). It
#   1. snapshots every input the command line names (--graph_def_file,
#      --saved_model_dir, --keras_model_file, --representative_dataset) into a
#      content-addressed store: $TFLC_CAPTURE/store/<sha256>/<basename>
#      (a folder is hashed as a tree: relative paths + file hashes);
#   2. writes the command line with those paths replaced by store references
#      to $TFLC_CAPTURE/calls/<keyhash>.args (NUL-separated), so that it can be
#      replayed later with any build;
#   3. runs the real converter with the original arguments (stdout, stderr
#      and exit status pass through unchanged);
#   4. logs one line to $TFLC_CAPTURE/log.d/: keyhash, suite, label, exit
#      status, sha256 and size of the --output_file it wrote, key.
# The key is the argument list with each input path written as
# <basename>@<first 16 hex of its sha256> and the output path as <out>: it
# names the input bytes and the flags, never a temporary path.
# Environment (set by the stub compare_outputs.sh writes):
#   TFLC_REAL_CONVERTER  the real tflite_convert
#   TFLC_CAPTURE         the capture folder
#   TFLC_SHADOW          the shadow build dir (only to shorten labels)
#   TFLC_CORPUS          realpath of ../shared/corpus (only to shorten labels)
#   TFLC_SUITE           the suite running (ctest test name, bench/run.sh)
#   TFLC_LINK_UNDER      files under this folder are hard-linked, not copied
set -u
REAL=${TFLC_REAL_CONVERTER:?}
CAP=${TFLC_CAPTURE:?}
SUITE=${TFLC_SUITE:-unknown}

werr() { echo "record_convert: $*" >&2; printf '%s\n' "$*" >>"$CAP/wrapper_errors.txt"; }

# sha256 of a file, cached by (device, inode, size, mtime) for big files.
file_sha() {
  local f="$1" size
  size=$(stat -L -c %s -- "$f") || return 1
  if [ "$size" -lt 4194304 ]; then
    sha256sum -- "$f" | cut -c1-64
    return
  fi
  local id c
  id=$(stat -L -c '%d:%i:%s:%y' -- "$f" | sha256sum | cut -c1-32)
  c="$CAP/shacache/$id"
  if [ -s "$c" ]; then cat "$c"; return; fi
  mkdir -p "$CAP/shacache"
  sha256sum -- "$f" | cut -c1-64 | tee "$c.$$" && mv -f "$c.$$" "$c"
}

# Hash of a folder: its sorted sub-folder names and "<sha256>  <path>" lines.
tree_sha() {
  (cd "$1" && {
    find . -mindepth 1 -type d -printf 'dir %P\n' | LC_ALL=C sort
    find . -mindepth 1 \( -type f -o -type l \) -printf '%P\0' | LC_ALL=C sort -z |
      xargs -0 -r sha256sum --
  }) | sha256sum | cut -c1-64
}

# store PATH -> prints the reference "@IN@<sha>/<basename>" (or "@MISSING@/<basename>").
store() {
  local p="$1" abs base sha dst tmp
  [ -n "$p" ] || { printf ''; return 0; }
  abs=$(realpath -m -- "$p")
  base=$(basename -- "$abs")
  if [ -f "$abs" ]; then
    sha=$(file_sha "$abs") || return 1
  elif [ -d "$abs" ]; then
    sha=$(tree_sha "$abs") || return 1
  else
    printf '@MISSING@/%s' "$base"
    return 0
  fi
  dst="$CAP/store/$sha/$base"
  if [ ! -e "$dst" ]; then
    tmp=$(mktemp -d "$CAP/store/.tmp.XXXXXX") || return 1
    if [ -n "${TFLC_LINK_UNDER:-}" ] && [[ "$abs" == "$TFLC_LINK_UNDER"/* ]]; then
      cp -al -- "$abs" "$tmp/$base" 2>/dev/null || cp -a -- "$abs" "$tmp/$base" || return 1
    else
      cp -a -- "$abs" "$tmp/$base" || return 1
    fi
    mkdir -p "$CAP/store/$sha"
    # Another process may have stored the same bytes meanwhile: keep theirs.
    mv -T -- "$tmp/$base" "$dst" 2>/dev/null || true
    rm -rf -- "$tmp"
  fi
  printf '@IN@%s/%s' "$sha" "$base"
}

# What a label shows for an input path.
show() {
  local abs
  abs=$(realpath -m -- "$1")
  if [ -n "${TFLC_CORPUS:-}" ] && [[ "$abs" == "$TFLC_CORPUS"/* ]]; then
    printf 'corpus/%s' "${abs#"$TFLC_CORPUS"/}"
  elif [ -n "${TFLC_SHADOW:-}" ] && [[ "$abs" == "$TFLC_SHADOW"/* ]]; then
    printf '%s' "${abs#"$TFLC_SHADOW"/}"
  elif [[ "$abs" == "${TMPDIR:-/tmp}"/*/* ]]; then
    local rest=${abs#"${TMPDIR:-/tmp}"/}
    printf '<tmp>/%s' "${rest#*/}"
  else
    printf '%s/%s' "$(basename -- "$(dirname -- "$abs")")" "$(basename -- "$abs")"
  fi
}

args=("$@")
tmpl=()   # replayable arguments
keyp=()   # key parts
ins=()    # label parts
out=""
ok=1
n=${#args[@]}
i=0
while [ "$i" -lt "$n" ]; do
  a=${args[$i]}
  flag="" val="" split=0
  case "$a" in
    --graph_def_file=*|--saved_model_dir=*|--keras_model_file=*|--representative_dataset=*|--output_file=*)
      flag=${a%%=*}; val=${a#*=} ;;
    --graph_def_file|--saved_model_dir|--keras_model_file|--representative_dataset|--output_file)
      if [ $((i + 1)) -lt "$n" ]; then flag=$a; val=${args[$((i + 1))]}; split=1; fi ;;
  esac
  if [ -z "$flag" ]; then
    tmpl+=("$a"); keyp+=("$a")
  elif [ "$flag" = --output_file ]; then
    out=$val
    if [ "$split" = 1 ]; then tmpl+=("$flag" "@OUT@/$(basename -- "$val")"); keyp+=("$flag" "<out>")
    else tmpl+=("$flag=@OUT@/$(basename -- "$val")"); keyp+=("$flag=<out>"); fi
  else
    ref=$(store "$val") || { werr "cannot store $val"; ok=0; ref="@ERROR@"; }
    case "$ref" in
      @IN@*) r=${ref#@IN@}; kref="$(basename -- "$r")@${r:0:16}" ;;
      @MISSING@*) kref="missing:$(basename -- "$val")" ;;
      *) kref="$ref" ;;
    esac
    ins+=("$(show "$val")")
    if [ "$split" = 1 ]; then tmpl+=("$flag" "$ref"); keyp+=("$flag" "$kref")
    else tmpl+=("$flag=$ref"); keyp+=("$flag=$kref"); fi
  fi
  i=$((i + 1 + split))
done

key="${keyp[*]}"
kh=$(printf '%s' "$key" | sha256sum | cut -c1-16)
if [ "$ok" = 1 ] && [ ! -e "$CAP/calls/$kh.args" ]; then
  t=$(mktemp "$CAP/calls/.tmp.XXXXXX")
  printf '%s\0' "${tmpl[@]}" >"$t"
  mv -f "$t" "$CAP/calls/$kh.args"
fi

# A failed run may leave an older file at --output_file: hash only fresh output.
[ -n "$out" ] && [ -e "$out" ] && before=$(stat -c '%i:%s:%y' -- "$out") || before=""
"$REAL" "$@"
rc=$?

osha=- osize=-
if [ "$rc" = 0 ] && [ -n "$out" ] && [ -f "$out" ] && [ "$(stat -c '%i:%s:%y' -- "$out")" != "$before" ]; then
  osha=$(sha256sum -- "$out" | cut -c1-64)
  osize=$(stat -c %s -- "$out")
fi
label="$(IFS=+; printf '%s' "${ins[*]:-(no input)}") -> $(basename -- "${out:-(no output)}")"
line=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s' "$kh" "$SUITE" "$label" "$rc" "$osha" "$osize" "$key" | tr '\n' ' ')
lf=$(mktemp "$CAP/log.d/XXXXXXXX") && printf '%s\n' "$line" >"$lf"
exit "$rc"
