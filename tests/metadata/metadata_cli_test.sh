#!/usr/bin/env bash
# TFLite Metadata end to end: every task writer (show compared with the JSON
# we expect), flatc reading the models and the metadata with the project's
# schemas, unzip reading the packed files, show -> write --json round trips,
# replacing metadata, tflite_convert --metadata_json, bad input (one line on
# stderr, non-zero exit, no output), the official model with metadata from
# ../shared (skipped with a message when absent), and LiteRT.js running every
# model with metadata to the same outputs as without.
#   bash metadata_cli_test.sh BUILD_DIR SOURCE_DIR
set -uo pipefail
B=$1; S=$2
T=$B/tflite_metadata; C=$B/tflite_convert
EXP=$S/tests/metadata/expected; M=$S/tests/metadata/models
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
cd "$W"
pass=0; fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

# --- Models: the bundled MNIST GraphDef and small graphs for each task. ---
$C --enable_v1_converter --graph_def_file="$S/examples/mnist_cnn.pb" --output_file=image.tflite \
   --input_arrays=input --output_arrays=probs || exit 1
$C --enable_v1_converter --graph_def_file="$M/detector.pbtxt" --output_file=detector.tflite \
   --input_arrays=image --output_arrays=boxes,classes,scores,count || exit 1
$C --enable_v1_converter --graph_def_file="$M/audio.pbtxt" --output_file=audio.tflite \
   --input_arrays=waveform --output_arrays=scores || exit 1
$C --enable_v1_converter --graph_def_file="$M/text.pbtxt" --output_file=text.tflite \
   --input_arrays=tokens --output_arrays=probs || exit 1
$C --enable_v1_converter --graph_def_file="$M/bert.pbtxt" --output_file=bert.tflite \
   --input_arrays=segment_ids,ids,mask --output_arrays=probs || exit 1
printf 'zero\none\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\n' > labels.txt
printf '0.9,1.2,-0.5\n\n1.0,0.8,0.1,0.05\n' > calib.csv
printf 'the\ncat\n' > vocab.txt
printf 'SPM' > sp.model

# name | model | writer flags | packed files (sorted)
cases=(
  "image_classifier|image.tflite|--labels labels.txt --norm_mean 127.5 --norm_std 127.5|labels.txt"
  "object_detector|detector.tflite|--labels labels.txt --norm_mean 0 --norm_std 255 --score_calibration calib.csv --score_transformation LOG --default_score 0.2|calib.csv labels.txt"
  "image_segmenter|audio.tflite|--labels labels.txt --norm_mean 127.5,127.5,127.5 --norm_std 127.5,127.5,127.5|labels.txt"
  "audio_classifier|audio.tflite|--labels labels.txt --sample_rate 16000 --channels 1|labels.txt"
  "nl_classifier|text.tflite|--labels labels.txt --vocab vocab.txt|labels.txt vocab.txt"
  "bert_nl_classifier|bert.tflite|--labels labels.txt --vocab vocab.txt --ids_name ids --mask_name mask --segment_name segment_ids|labels.txt vocab.txt"
  "bert_nl_classifier_sentencepiece|bert.tflite|--labels labels.txt --sentencepiece_model sp.model --ids_name ids --mask_name mask --segment_name segment_ids|labels.txt sp.model"
)
written=()
for c in "${cases[@]}"; do
  IFS='|' read -r name model flags files <<<"$c"
  task=${name%_sentencepiece}
  # shellcheck disable=SC2086
  if ! $T write --task "$task" $flags "$model" -o "$name.tflite" 2>err.txt; then
    bad "$name: write: $(cat err.txt)"; continue
  fi
  written+=("$model" "$name.tflite")
  $T show "$name.tflite" > "$name.json"
  check "$name: show equals tests/metadata/expected/$name.json" "diff -u '$EXP/$name.json' '$name.json'"
  got=$(unzip -Z1 "$name.tflite" 2>/dev/null | sort | tr '\n' ' ' | sed 's/ $//')
  check "$name: unzip lists [$files]" "[ '$got' = '$files' ]"
  listed=$($T show --list_files "$name.tflite" | sort | tr '\n' ' ' | sed 's/ $//')
  check "$name: --list_files lists [$files]" "[ '$listed' = '$files' ]"
  # flatc reads the model with the TFLite schema (the zip after it is ignored)
  # and the JSON with the metadata schema; its text of that JSON is ours.
  rm -rf fl && mkdir fl
  check "$name: flatc parses the model" \
    "flatc -t --strict-json --raw-binary -o fl '$S/schema/tflite_schema.fbs' -- '$name.tflite' && grep -q TFLITE_METADATA fl/$name.json"
  check "$name: flatc's metadata text equals show" \
    "flatc -b -o fl '$S/schema/metadata_schema.fbs' '$name.json' 2>/dev/null && mv fl/$name.tflitemeta fl/md.bin && flatc -t --strict-json --raw-binary -o fl '$S/schema/metadata_schema.fbs' -- fl/md.bin 2>/dev/null && diff -q fl/md.json '$name.json' >/dev/null"
  # show -> write --json -> show is the identity.
  rm -rf ex && mkdir ex && $T show --extract ex "$name.tflite" >/dev/null
  # shellcheck disable=SC2046
  check "$name: show -> write --json round trip" \
    "$T write --json '$name.json' $(printf ' --associated_file ex/%s' $files) '$model' -o rt.tflite && $T show rt.tflite | diff -q - '$name.json' >/dev/null"
done

# --- Replacing: the second write wins; other metadata entries survive. ---
printf 'a\nb\n' > other_labels.txt
$T write --task image_classifier --labels labels.txt --norm_mean 127.5 --norm_std 127.5 image.tflite -o once.tflite
$T write --task image_classifier --labels other_labels.txt --norm_mean 0 --norm_std 1 --name Second once.tflite -o twice.tflite
check "replace: the second metadata is shown" "$T show twice.tflite | grep -q '\"name\": \"Second\"'"
check "replace: only the second write's label file is packed" "[ \"\$(unzip -Z1 twice.tflite)\" = other_labels.txt ]"
rm -rf fl && mkdir fl && flatc -t --strict-json --raw-binary -o fl "$S/schema/tflite_schema.fbs" -- twice.tflite
check "replace: min_runtime_version, CONVERSION_METADATA and one TFLITE_METADATA remain" \
  "grep -c '\"name\": \"TFLITE_METADATA\"' fl/twice.json | grep -qx 1 && grep -q min_runtime_version fl/twice.json && grep -q CONVERSION_METADATA fl/twice.json"
check "replace: the model did not grow a buffer" \
  "[ \$(grep -c '\"data\"\\|{ }\\|{\$' fl/twice.json) -gt 0 ] && $B/tflite_analyze --no-buffers twice.tflite >/dev/null"
written+=(image.tflite twice.tflite)

# --- At conversion time. ---
check "tflite_convert --metadata_json --associated_file" \
  "$C --enable_v1_converter --graph_def_file='$S/examples/mnist_cnn.pb' --output_file=conv.tflite --input_arrays=input --output_arrays=probs --metadata_json=image_classifier.json --associated_file=labels.txt && $T show conv.tflite | diff -q - image_classifier.json >/dev/null && [ \"\$(unzip -Z1 conv.tflite)\" = labels.txt ]"
written+=(image.tflite conv.tflite)

# --- Bad input: one line, non-zero exit, no output file. ---
expect_error() {  # name, pattern, command...
  local name=$1 pattern=$2; shift 2
  rm -f out.tflite
  "$@" > /dev/null 2> err.txt; rc=$?
  lines=$(wc -l < err.txt)
  if [ $rc -ne 0 ] && [ "$lines" -eq 1 ] && grep -q -- "$pattern" err.txt && [ ! -e out.tflite ]; then
    ok "$name: $(cat err.txt)"
  else
    bad "$name (rc=$rc, $lines lines, output $( [ -e out.tflite ] && echo left || echo none )): $(cat err.txt)"
  fi
}
expect_error "missing label file" "cannot read label file 'nope.txt'" \
  $T write --task image_classifier --labels nope.txt image.tflite -o out.tflite
expect_error "the same file packed twice" "already given" \
  $T write --task image_classifier --labels labels.txt --labels labels.txt image.tflite -o out.tflite
expect_error "metadata naming a file that is not packed" "neither given nor packed" \
  $T write --json image_classifier.json image.tflite -o out.tflite
expect_error "a file the metadata does not name" "not named in the metadata" \
  $T write --json image_classifier.json --associated_file labels.txt --associated_file vocab.txt image.tflite -o out.tflite
printf 'not a flatbuffer at all, just text\n' > text.txt
expect_error "a model that is not a FlatBuffer" "not a TFLite model" \
  $T write --task image_classifier --labels labels.txt text.txt -o out.tflite
expect_error "show on a file that is not a FlatBuffer" "not a TFLite model" $T show text.txt
head -c 2000 image.tflite > cut.tflite
python3 - <<'PY'
import zipfile
data = open('cut.tflite', 'rb').read()
with open('cut_zip.tflite', 'wb') as f:
    f.write(data)
with zipfile.ZipFile('cut_zip.tflite', 'a') as z:
    z.writestr('labels.txt', 'a\nb\n')
PY
expect_error "a zip appended to a truncated model" "before its packed files" $T show cut_zip.tflite
expect_error "write on a truncated model with a zip" "before its packed files" \
  $T write --task image_classifier --labels labels.txt cut_zip.tflite -o out.tflite
expect_error "unknown task" "unknown --task 'face_detector'" \
  $T write --task face_detector image.tflite -o out.tflite
expect_error "object_detector on a one-output model" "needs a model with 1 input(s) and 4 output(s)" \
  $T write --task object_detector image.tflite -o out.tflite
printf '1,2\n' > badcalib.csv
expect_error "a calibration line with two values" "line 1 has 2 values" \
  $T write --task image_classifier --score_calibration badcalib.csv image.tflite -o out.tflite
printf '{"name": "x", "subgraph_metadata": [{"input_tensor_metadata": [{"nmae": "typo"}]}]}' > typo.json
expect_error "metadata JSON with an unknown field" "is not metadata JSON" \
  $T write --json typo.json image.tflite -o out.tflite
printf '{"subgraph_metadata": [{"input_tensor_metadata": [], "output_tensor_metadata": [{}]}]}' > counts.json
expect_error "metadata with the wrong tensor count" "1 input tensors but the metadata describes 0" \
  $T write --json counts.json image.tflite -o out.tflite
expect_error "--associated_file without --metadata_json" "needs --metadata_json" \
  $C --enable_v1_converter --graph_def_file="$S/examples/mnist_cnn.pb" --output_file=out.tflite \
     --input_arrays=input --output_arrays=probs --associated_file=labels.txt
expect_error "extract of a model whose packed name is a path" "not a plain file name" \
  bash -c "python3 -c \"
import zipfile, shutil
shutil.copy('image.tflite', 'slip.tflite')
with zipfile.ZipFile('slip.tflite', 'a') as z: z.writestr('../evil.txt', 'x')
\" && mkdir -p exs && $T show --extract exs slip.tflite"

# --- The official model with metadata (tflite-support's test data). ---
R=$S/../shared/reference/metadata
if [ -d "$R" ]; then
  official=$R/mobilenet_v1_0.25_224_1_metadata_1.tflite; plain=$R/mobilenet_v1_0.25_224_1_default_1.tflite
  $T show "$official" > official.json
  check "official: show prints its metadata" "grep -q '\"name\": \"MobileNetV1 image classifier\"' official.json"
  check "official: --list_files lists labels.txt" "[ \"\$($T show --list_files '$official')\" = labels.txt ]"
  rm -rf oex && mkdir oex && $T show --extract oex "$official" >/dev/null
  check "official: --extract writes what unzip reads" "unzip -p '$official' labels.txt | cmp -s - oex/labels.txt"
  # Two differences are expected: the populator adds min_parser_version, and
  # a union stored with its type but no table (this model's output
  # FeatureProperties) is written with an empty table, which means the same.
  check "official: its JSON written into the model without metadata shows the same" \
    "$T write --json official.json --associated_file oex/labels.txt '$plain' -o official_rt.tflite && $T show official_rt.tflite > official_rt.json && python3 '$S/tests/metadata/same_metadata.py' official.json official_rt.json"
  written+=("$official" official_rt.tflite)
else
  echo "SKIP official model with metadata: $R is absent (the shared reference files are not next to the checkout)"
fi

# --- Official-converter models from the corpus get metadata too. ---
corpus_models=("$S/../shared/corpus/tinymaix_mbnet96_0.25/mbnet96_0.25_f.tflite"
               "$S/../shared/corpus/tf2onnx_regression/tflite/model.tflite"
               "$S/../shared/corpus/serving_saved_model_half_plus_two_tflite_with_sigdef/00000123/model.tflite")
corpus_written=()
for f in "${corpus_models[@]}"; do
  if [ ! -f "$f" ]; then echo "SKIP corpus model $f: absent (../shared not next to the checkout)"; continue; fi
  n=corpus_$(basename "$(dirname "$f")").tflite
  if $T write --task image_classifier --labels labels.txt --norm_mean 127.5 --norm_std 127.5 "$f" -o "$n" 2>err.txt; then
    corpus_written+=("$f" "$n")
    rm -rf fa fb && mkdir fa fb
    flatc -t --strict-json --raw-binary -o fa "$S/schema/tflite_schema.fbs" -- "$f" 2>/dev/null
    flatc -t --strict-json --raw-binary -o fb "$S/schema/tflite_schema.fbs" -- "$n" 2>/dev/null
    # Only the buffers and metadata lists may differ: the graph is untouched.
    check "corpus $(basename "$(dirname "$f")"): subgraphs, operator codes and signatures unchanged" \
      "python3 -c \"import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:]); k=('subgraphs','operator_codes','signature_defs','version','description'); sys.exit(0 if all(a.get(x)==b.get(x) for x in k) else 1)\" fa/*.json fb/*.json"
  else
    bad "corpus $f: write: $(cat err.txt)"
  fi
done

# --- LiteRT.js loads every model with metadata and computes the same. ---
for ((i = 0; i < ${#written[@]}; i += 2)); do
  base=${written[i]}; with=${written[i+1]}
  if node "$S/tests/metadata/same_outputs.mjs" "$base" "$with" > node.txt 2>&1; then
    ok "LiteRT.js: $with loads and matches $(basename "$base") bit for bit"
  else
    bad "LiteRT.js: $with: $(tail -3 node.txt | tr '\n' ' ')"
  fi
done

for ((i = 0; i < ${#corpus_written[@]}; i += 2)); do
  base=${corpus_written[i]}; with=${corpus_written[i+1]}
  if node "$S/tests/metadata/same_outputs.mjs" --tol 1e-6 "$base" "$with" > node.txt 2>&1; then
    ok "LiteRT.js: $with loads and matches $(basename "$base") within 1e-6"
  else
    bad "LiteRT.js: $with: $(tail -3 node.txt | tr '\n' ' ')"
  fi
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
