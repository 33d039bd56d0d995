#!/usr/bin/env bash
# `./kata test <slug>` against the same kata in Python with pytest and PyTorch (benchmarks/python-peer),
# side by side in one hyperfine run, reporting the medians and their ratio; and `./kata test <slug>`
# without its class-data archives (DOJO_SHARING=off), to show what they save.
#   benchmarks/cold-test.sh [runs] [rope|prenorm]
#     rope (default): ./kata test rotary-embedding  vs  test_rope_minimal.py (three tests of a RoPE function)
#     prenorm:        ./kata test prenorm-block     vs  test_prenorm_block.py (the kata's first five tests)
# Needs hyperfine, python3-pytest and python3-torch (Debian packages).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-15}"
case "${2:-rope}" in
  rope) slug=rotary-embedding; peer=test_rope_minimal.py ;;
  prenorm) slug=prenorm-block; peer=test_prenorm_block.py ;;
  *) echo "usage: $0 [runs] [rope|prenorm]" >&2; exit 2 ;;
esac
cd "$root"
./kata list >/dev/null                      # builds the harness if needed, so no run pays for it
./kata test "$slug" >/dev/null || true      # compiles the kata once, as after a first build
json="$(mktemp)"
hyperfine --warmup 2 --runs "$runs" --ignore-failure --style basic --export-json "$json" \
  --command-name "java: ./kata test $slug" "./kata test $slug" \
  --command-name "java, no archives: DOJO_SHARING=off ./kata test $slug" "env DOJO_SHARING=off ./kata test $slug" \
  --command-name "python: pytest $peer" "cd benchmarks/python-peer && /usr/bin/python3 -m pytest -q -p no:cacheprovider $peer"
# hyperfine prints means; the medians, and their ratio, are what we report
python3 - "$json" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
medians = {r["command"]: statistics.median(r["times"]) for r in results}
for name, m in medians.items():
    print(f"median {m:.3f} s  {name}")
java, unshared, python = medians.values()
print(f"java / python median ratio: {java / python:.2f}")
print(f"java / java without archives median ratio: {java / unshared:.2f}")
PY
rm -f "$json"
