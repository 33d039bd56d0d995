#!/usr/bin/env bash
# Cold `./kata test prenorm-block` (a new JVM each run, up-to-date build) against the same kata
# in Python with pytest and PyTorch (benchmarks/python-peer), side by side in one run, interleaved.
# Needs hyperfine, python3-pytest and python3-torch (Debian packages). Usage: benchmarks/cold-test.sh [runs]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-15}"
cd "$root"
./kata list >/dev/null                      # builds the harness if needed, so no run pays for it
./kata test prenorm-block >/dev/null || true   # compiles the kata once, as after a first build
json="$(mktemp)"
hyperfine --warmup 2 --runs "$runs" --ignore-failure --style basic --export-json "$json" \
  --command-name "java: ./kata test prenorm-block" "./kata test prenorm-block" \
  --command-name "python: pytest prenorm peer" "cd benchmarks/python-peer && /usr/bin/python3 -m pytest -q -p no:cacheprovider test_prenorm_block.py"
# hyperfine prints means; the medians, and their ratio, are what we report
python3 - "$json" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
medians = {r["command"]: statistics.median(r["times"]) for r in results}
for name, m in medians.items():
    print(f"median {m:.3f} s  {name}")
java, python = medians.values()
print(f"java / python median ratio: {java / python:.2f}")
PY
rm -f "$json"
