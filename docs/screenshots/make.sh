#!/usr/bin/env bash
# Regenerates docs/report-passing.png and docs/report-failing.png: trains models/sine-lstm.yaml,
# verifies it (the passing report), copies the run, moves one recurrent weight of its model.onnx
# (dev.rnnx.verify.CorruptRecurrentWeight, a test-scope main), verifies the copy (the failing
# report: the ONNX Runtime backends depart at layer 'lstm', a step, gate o) and screenshots the top
# 1,800 px of both report.html files with headless Chromium at 1,400 px. Usage: docs/screenshots/make.sh [WORK_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-$(mktemp -d)}"
mkdir -p "$work" && work="$(cd "$work" && pwd)"
cd "$root"
./rnnx run models/sine-lstm.yaml --out "$work/passing" > "$work/run.log" 2>&1
./rnnx verify "$work/passing" > "$work/verify-passing.log" 2>&1
rm -rf "$work/failing" && cp -r "$work/passing" "$work/failing" && rm -rf "$work/failing/verify"
mvn -q -B -Dstyle.color=never test-compile
java -cp "target/test-classes:target/classes:$(cat target/classpath.txt)" dev.rnnx.verify.CorruptRecurrentWeight \
  "$work/failing/model.onnx"
if ./rnnx verify "$work/failing" > "$work/verify-failing.log" 2>&1; then
  echo "make.sh: the corrupted run passed verification; expected a failure" >&2
  exit 1
fi
for which in passing failing; do
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1800 \
    --screenshot="$root/docs/report-$which.png" "file://$work/$which/verify/report.html" 2> /dev/null
  echo "docs/report-$which.png ($(stat -c %s "$root/docs/report-$which.png") bytes) from $work/$which/verify/report.html"
done
