#!/usr/bin/env bash
# The daemon's memory over many ./kata test calls: a copy of a kata in a temporary checkout, and N
# calls of ./kata's client that alternate its broken and its fixed source (so each call compiles),
# printing every K calls the resident memory (VmRSS) of the daemon and of each of its workers, and
# at the end each one's peak (VmHWM) and the calls' median time.
#   benchmarks/daemon-memory.sh [calls] [every] [slug]      (defaults: 1000 50 prenorm-block)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
calls="${1:-1000}"; every="${2:-50}"; slug="${3:-prenorm-block}"
"$repo/kata" list >/dev/null                 # builds the harness if needed
root="$(mktemp -d)"
trap 'java_client stop >/dev/null 2>&1 || true; rm -rf "$root"' EXIT
mkdir -p "$root/katas" "$root/solutions"
cp -r "$repo/katas/$slug" "$root/katas/"; cp -r "$repo/solutions/$slug" "$root/solutions/"
rm -rf "$root/katas/$slug/target"
component="$(cd "$root/katas/$slug" && find src/main/java -name '*.java' | head -1)"
broken="$(cat "$root/katas/$slug/$component")"
fixed="$(cat "$root/solutions/$slug/$component")"
cp_="$repo/harness/target/classes:$(cat "$repo/harness/target/dojo.classpath")"
java_client() {
  java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xss4m -Ddojo.root="$root" -Dai.djl.offline=true -cp "$cp_" \
    dev.dojo.cli.Client "$@"
}
rss() { sed -n "s/^$2:[[:space:]]*//p" "/proc/$1/status" 2>/dev/null || echo "gone"; }
times="$(mktemp)"
for i in $(seq 1 "$calls"); do
  if [ $((i % 2)) -eq 1 ]; then printf '%s\n// call %d\n' "$fixed" "$i"; else printf '%s\n// call %d\n' "$broken" "$i"; fi \
    > "$root/katas/$slug/$component"
  start=$(date +%s%N)
  java_client test "$slug" >/dev/null 2>&1 || true
  echo $(( ($(date +%s%N) - start) / 1000000 )) >> "$times"
  if [ $((i % every)) -eq 0 ] || [ "$i" -eq 1 ]; then
    daemon="$(sed -n 's/.*listening on .* (pid \([0-9]*\)).*/\1/p' "$root/.dojo/daemon/daemon.log" | tail -1)"
    line="after call $i: daemon $daemon $(rss "$daemon" VmRSS)"
    for w in $(cat "/proc/$daemon/task/"*/children 2>/dev/null); do line="$line, worker $w $(rss "$w" VmRSS)"; done
    echo "$line"
  fi
done
daemon="$(sed -n 's/.*listening on .* (pid \([0-9]*\)).*/\1/p' "$root/.dojo/daemon/daemon.log" | tail -1)"
echo "peak: daemon $(rss "$daemon" VmHWM)$(for w in $(cat "/proc/$daemon/task/"*/children 2>/dev/null); do printf ', worker %s %s' "$w" "$(rss "$w" VmHWM)"; done)"
echo "daemons started: $(grep -c 'listening on' "$root/.dojo/daemon/daemon.log")"
sort -n "$times" | awk '{a[NR]=$1} END {print "call time: median " a[int((NR+1)/2)] " ms, min " a[1] " ms, max " a[NR] " ms over " NR " calls"}'
rm -f "$times"
