#!/usr/bin/env bash
# `./kata test <slug>` against the same kata in Python with pytest and PyTorch (benchmarks/python-peer),
# measured side by side: each round runs every command once, in turn, and pauses between runs as a
# pair reading a result would (the daemon warms its next spare then). Reports medians and ratios.
#   benchmarks/cold-test.sh [rounds] [rope|prenorm] [pause-seconds]
#     rope (default): ./kata test rotary-embedding  vs  test_rope_minimal.py (three tests of a RoPE function)
#     prenorm:        ./kata test prenorm-block     vs  test_prenorm_block.py (the kata's first five tests)
#   The commands:
#     warm       ./kata test, the daemon running and its worker warm (every call after the first)
#     first      ./kata test right after ./kata stop: the daemon and its worker start for this call
#     no-daemon  ./kata --no-daemon test: a one-shot CLI and worker, as before the daemon
#     no-sharing the same without the class-data archives (DOJO_SHARING=off), as before them
#     pytest     the peer
# Needs python3-pytest and python3-torch (Debian packages).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-15}"
case "${2:-rope}" in
  rope) slug=rotary-embedding; peer=test_rope_minimal.py ;;
  prenorm) slug=prenorm-block; peer=test_prenorm_block.py ;;
  *) echo "usage: $0 [rounds] [rope|prenorm] [pause-seconds]" >&2; exit 2 ;;
esac
pause="${3:-3}"
cd "$root"
./kata list >/dev/null                        # builds the harness if needed, so no run pays for it
./kata test "$slug" >/dev/null || true        # compiles the kata once, as after a first build
/usr/bin/python3 - "$rounds" "$slug" "$peer" "$pause" <<'PY'
import statistics, subprocess, sys, time
rounds, slug, peer, pause = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
quiet = dict(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
commands = {
    "first": (["./kata", "stop"], ["./kata", "test", slug]),
    "warm": (None, ["./kata", "test", slug]),
    "no-daemon": (None, ["./kata", "--no-daemon", "test", slug]),
    "no-sharing": (None, ["env", "DOJO_SHARING=off", "./kata", "--no-daemon", "test", slug]),
    "pytest": (None, ["/usr/bin/python3", "-m", "pytest", "-q", "-p", "no:cacheprovider", "benchmarks/python-peer/" + peer]),
}
times = {name: [] for name in commands}
for r in range(rounds + 1):                   # round 0 is a warm-up, not counted
    for name, (prepare, command) in commands.items():
        if prepare:
            subprocess.run(prepare, **quiet)
        time.sleep(pause)
        start = time.perf_counter()
        subprocess.run(command, **quiet)
        if r > 0:
            times[name].append(time.perf_counter() - start)
peer_median = statistics.median(times["pytest"])
for name, t in times.items():
    m = statistics.median(t)
    print(f"{name:10s} median {m:.3f} s  (min {min(t):.3f}, max {max(t):.3f}, n={len(t)})  / pytest {m / peer_median:.2f}")
PY
