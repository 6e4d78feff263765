#!/usr/bin/env python3
"""The analyzer report on every corpus GraphDef and SavedModel, checked
against what conversion then does (issue 11):
  - the report says it converts  <=>  tflite_convert succeeds;
  - when it fails, every op type reported flex/custom/unsupported is named in
    the error, and no op type reported only "builtin" is listed as failing;
  - when the report says the suggested flags make it convert, they do.
Prints one table row per model and how many models were checked.
usage: analyze_corpus.py CONVERTER CORPUS_DIR
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


def models(corpus):
    out = []
    for root, dirs, files in os.walk(corpus):
        dirs.sort()
        if "saved_model.pb" in files:
            out.append(("saved_model", root))
        for f in sorted(files):
            p = os.path.join(root, f)
            if f == "saved_model.pb" or os.path.getsize(p) > 200 * 1024 * 1024:
                continue
            if f.endswith(".pb") or (f.endswith(".pbtxt") and "node {" in open(p, errors="replace").read(65536)):
                out.append(("graphdef", p))
    return out


def flags(kind, path):
    return ["--enable_v1_converter", "--graph_def_file=" + path] if kind == "graphdef" else ["--saved_model_dir=" + path]


def main():
    conv, corpus = sys.argv[1], sys.argv[2]
    if not os.path.isdir(corpus):
        print("SKIP: %s is absent (the shared corpus)" % corpus)
        return 0
    tmp = tempfile.mkdtemp()
    out_file = os.path.join(tmp, "m.tflite")
    failures, rows, checked, not_graphdefs, unreadable = [], [], 0, 0, []
    for kind, path in models(corpus):
        name = os.path.relpath(path, corpus)
        rc, text, err = run([conv, "--analyze", "--json"] + flags(kind, path))
        if rc != 0:
            # A model that cannot be read is an error for --analyze; conversion must fail too.
            crc, _, _ = run([conv] + flags(kind, path) + ["--output_file=" + out_file])
            if crc == 0:
                failures.append("%s: --analyze exit %d, but it converts: %s" % (name, rc, err.strip()[:200]))
            elif kind == "graphdef" and "not a valid" in err:
                not_graphdefs += 1  # a .pb that is not a GraphDef (TF.js weights, debug info...)
            else:
                unreadable.append("%s: %s" % (name, err.strip()[:150]))
            continue
        rep = json.loads(text)
        checked += 1
        crc, _, cerr = run([conv] + flags(kind, path) + ["--output_file=" + out_file])
        if os.path.exists(out_file):
            os.unlink(out_file)
        problems = []
        if rep["converts"] != (crc == 0):
            problems.append("report converts=%s, conversion exit %d (%s)" % (rep["converts"], crc, cerr.strip()[:200]))
        if crc != 0:
            failing = set(re.findall(r"^\ttf\.([A-Za-z0-9_]+)\(", cerr, re.M))
            reported_bad = {o["op"] for o in rep["ops"] if o["mapping"] in ("flex", "custom", "unsupported")}
            for op in sorted(reported_bad):
                if not re.search(r"\b%s\b" % re.escape(op), cerr):
                    problems.append("op %s reported %s, not named by the failed conversion" %
                                    (op, [o["mapping"] for o in rep["ops"] if o["op"] == op]))
            only_builtin = {o["op"] for o in rep["ops"] if o["mapping"] == "builtin"} - reported_bad
            for op in sorted(failing & only_builtin):
                problems.append("op %s reported builtin, but the conversion lists it as failing" % op)
        if rep["suggested_flags"] and rep["converts_with_suggested_flags"]:
            src, _, serr = run([conv] + flags(kind, path) + rep["suggested_flags"] + ["--output_file=" + out_file])
            if os.path.exists(out_file):
                os.unlink(out_file)
            if src != 0:
                problems.append("suggested %s, but the conversion still fails: %s" %
                                (" ".join(rep["suggested_flags"]), serr.strip()[:200]))
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
    print("analyze_corpus: %d models checked (%d GraphDef, %d SavedModel; %d .pb files were not GraphDefs), "
          "%d failures" % (checked, sum(r[1] == "graphdef" for r in rows), sum(r[1] == "saved_model" for r in rows),
                           not_graphdefs, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
