#!/usr/bin/env python3
"""The analyzer report on every corpus GraphDef, SavedModel, Keras and StableHLO file, checked
against what conversion then does (issue 11):
  - the report says it converts  <=>  tflite_convert succeeds;
  - when it fails, every op type reported flex/custom/unsupported is named in
    the error, and no op type reported only "builtin" is listed as failing;
  - when the report says the suggested flags make it convert, they do, and
    every op type reported Flex is a Flex<Op> op of the result (a Flex op
    fed by another one is not tried without SELECT_TF_OPS, so is checked
    only there).
Prints one table row per model and how many models were checked.
usage: analyze_corpus.py CONVERTER CORPUS_DIR (tflite_analyze is read next to CONVERTER)
"""
import json
import os
import re
import subprocess
import sys
import tempfile


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=900)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def signature_keys(conv, d):
    """A SavedModel's signature keys, from the converter's own error for a key it lacks."""
    _, _, err = run([conv, "--saved_model_dir=" + d, "--saved_model_signature_key=__none__", "--output_file=/dev/null"])
    m = re.search(r"it has ('.*?') \(pass", err)
    keys = re.findall(r"'([^']*)'", m.group(1)) if m else []
    return [k for k in keys if k != "__saved_model_init_op"]


def models(conv, corpus):
    out = []
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        if "saved_model.pb" in files:
            out.append(("saved_model", root, []))
            keys = signature_keys(conv, root)
            # Every signature at once too: the serving_default alone leaves some out.
            if keys and keys != ["serving_default"]:
                out.append(("saved_model", root, keys))
            continue  # its .pb files (fingerprint, variables) are not GraphDefs
        for f in sorted(files):
            p = os.path.join(root, f)
            if f == "saved_model.pb" or os.path.getsize(p) > 200 * 1024 * 1024:
                continue
            if f.endswith(".mlir"):
                # Interpreter tests have no @main: their first function.
                text = open(p, errors="replace").read()
                m = None if "func.func @main(" in text or "func.func public @main(" in text else \
                    re.search(r"func\.func (?:public |private )?@([A-Za-z0-9_]+)\(", text)
                out.append(("stablehlo", p, [m.group(1)] if m else []))
            elif f.endswith((".h5", ".keras")) and "inputs_and_outputs" not in f:
                out.append(("keras", p, []))
            elif f.endswith(".pb") or (f.endswith(".pbtxt") and "node {" in open(p, errors="replace").read(65536)):
                out.append(("graphdef", p, []))
    return out


def flags(kind, path, keys):
    if kind == "graphdef":
        return ["--enable_v1_converter", "--graph_def_file=" + path]
    if kind == "stablehlo":
        return ["--stablehlo_file=" + path] + (["--entry_function=" + keys[0]] if keys else [])
    if kind == "keras":
        return ["--keras_model_file=" + path]
    return ["--saved_model_dir=" + path] + (["--signature_keys=" + ",".join(keys)] if keys else [])


def main():
    conv, corpus = sys.argv[1], sys.argv[2]
    analyzer = os.path.join(os.path.dirname(os.path.abspath(conv)), "tflite_analyze")
    if not os.path.isdir(corpus):
        print("SKIP: %s is absent (the shared corpus)" % corpus)
        return 0
    tmp = tempfile.mkdtemp()
    out_file = os.path.join(tmp, "m.tflite")
    failures, rows, checked, not_graphdefs, unreadable = [], [], 0, 0, []
    for kind, path, keys in models(conv, corpus):
        name = os.path.relpath(path, corpus) + (
            "" if not keys else " @" + keys[0] if kind == "stablehlo" else " [%d signatures]" % len(keys))
        rc, text, err = run([conv, "--analyze", "--json"] + flags(kind, path, keys))
        if rc != 0:
            # A model that cannot be read is an error for --analyze; conversion must fail too.
            crc, _, _ = run([conv] + flags(kind, path, keys) + ["--output_file=" + out_file])
            if crc == 0:
                failures.append("%s: --analyze exit %d, but it converts: %s" % (name, rc, err.strip()[:200]))
            elif kind == "graphdef" and "not a valid" in err:
                not_graphdefs += 1  # a .pb that is not a GraphDef (TF.js weights, debug info...)
            else:
                unreadable.append("%s: %s" % (name, err.strip()[:150]))
            continue
        rep = json.loads(text)
        checked += 1
        crc, _, cerr = run([conv] + flags(kind, path, keys) + ["--output_file=" + out_file])
        if os.path.exists(out_file):
            os.unlink(out_file)
        problems = []
        if rep["converts"] != (crc == 0):
            problems.append("report converts=%s, conversion exit %d (%s)" % (rep["converts"], crc, cerr.strip()[:200]))
        if crc != 0:
            failing = set(re.findall(r"^\ttf\.([A-Za-z0-9_]+)\(", cerr, re.M))
            failing |= set(re.findall(r"\b((?:stablehlo|chlo)\.[a-z0-9_]+) at ", cerr))
            reported_bad = {o["op"] for o in rep["ops"] if o["mapping"] in ("flex", "custom", "unsupported")}
            for op in sorted(reported_bad):
                # A Flex op whose input comes from another Flex op is not tried
                # without SELECT_TF_OPS; it is checked in the Flex conversion below.
                if op in {o["op"] for o in rep["ops"] if o["mapping"] == "flex"} and rep["converts_with_suggested_flags"]:
                    continue
                if not re.search(r"\b%s\b" % re.escape(op), cerr):
                    problems.append("op %s reported %s, not named by the failed conversion" %
                                    (op, [o["mapping"] for o in rep["ops"] if o["op"] == op]))
            only_builtin = {o["op"] for o in rep["ops"] if o["mapping"] == "builtin"} - reported_bad
            for op in sorted(failing & only_builtin):
                problems.append("op %s reported builtin, but the conversion lists it as failing" % op)
        if rep["suggested_flags"] and rep["converts_with_suggested_flags"]:
            src, _, serr = run([conv] + flags(kind, path, keys) + rep["suggested_flags"] + ["--output_file=" + out_file])
            if src != 0:
                problems.append("suggested %s, but the conversion still fails: %s" %
                                (" ".join(rep["suggested_flags"]), serr.strip()[:200]))
            else:
                # Each op type reported Flex is a Flex<Op> custom op of the result.
                _, listing, _ = run([analyzer, "--no-buffers", out_file])
                flex_ops = set(re.findall(r"Op#\d+ Flex([A-Za-z0-9_]+)\(", listing))
                for op in sorted({o["op"] for o in rep["ops"] if o["mapping"] == "flex"}):
                    if op not in flex_ops:
                        problems.append("op %s reported Flex, but the Flex conversion has no Flex%s" % (op, op))
            if os.path.exists(out_file):
                os.unlink(out_file)
        c = rep["counts"]
        rows.append((name, kind, c["builtin"], c["flex"], c["custom"], c["unsupported"], c["unchecked"],
                     "yes" if rep["converts"] else ("with " + " ".join(rep["suggested_flags"])
                                                    if rep["converts_with_suggested_flags"] else "no"),
                     "" if rep["converts"] or rep["converts_with_suggested_flags"] else rep["error"].split("\n")[0][:90]))
        for p in problems:
            failures.append("%s: %s" % (name, p))
    print("| model | format | builtin | flex | custom | unsupported | unchecked | converts | first error |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(str(x).replace("|", "/") for x in r) + " |")
    for u in unreadable:
        print("not read (conversion fails the same way): " + u)
    for f in failures:
        print("FAIL " + f)
    print("analyze_corpus: %d models checked (%d GraphDef, %d SavedModel, %d Keras, %d StableHLO; %d .pb files "
          "were not GraphDefs, %d models not read), %d failures" %
          (checked, sum(r[1] == "graphdef" for r in rows), sum(r[1] == "saved_model" for r in rows),
           sum(r[1] == "keras" for r in rows), sum(r[1] == "stablehlo" for r in rows), not_graphdefs,
           len(unreadable), len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
