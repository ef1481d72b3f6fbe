#!/usr/bin/env bash
# The FLick agent at a 1 s interval, process table included, connected to a real hub and sending every snapshot:
# CPU and RSS of the agent process (java -jar agent/target/flick-agent.jar), measured side by side in the same
# windows as prometheus-node-exporter (Debian package, default collectors) scraped every second by curl.
# Goals: agent CPU <= 0.5x node_exporter's, agent RSS <= 1.5x node_exporter's.
#
#   bench/agent-cost.sh                            # 15 s warm-up, then 5 rounds of 60 s (about 5.5 minutes)
#   ROUNDS=3 WINDOW=20 bench/agent-cost.sh         # quicker, noisier
#   JVM_FLAGS='-XX:+UseSerialGC ...' bench/agent-cost.sh
#   HUB=away bench/agent-cost.sh                   # no hub: the agent keeps every snapshot in its disk outbox
#
# The hub (dev.flick.bench.BenchHub: SQLite, no local collector, one agent server) runs in its own JVM; its cost is
# not counted. Same method as bench/collection-cost.sh, which measures the collector alone. The agent's outbox is in
# the work dir; at the end its contents are reported (records, bytes on disk, bytes per buffered hour) — with
# HUB=away that is everything sampled, written and fsynced as while a hub is unreachable.
#
# Environment: ROUNDS (5), WINDOW seconds per round (60), WARMUP seconds (15), JVM_FLAGS (the tuned set below),
# HUB (connected | away),
# NE_PORT (first free loopback port from 19100). Installs prometheus-node-exporter with apt-get when missing
# (needs root) and builds the agent and bench jars in the reactor (never mvn install).
#
# CPU % is of one core: (utime + stime + cutime + cstime) deltas from /proc/PID/stat, over CLK_TCK and wall time.
# RSS is VmRSS from /proc/PID/status at each round's end; "max" is the largest of the once-a-second samples taken
# during all rounds. The scraper's own cost is not counted. Only 127.0.0.1 is contacted (apart from apt-get).
# Everything it starts is stopped on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-5}
WINDOW=${WINDOW:-60}
WARMUP=${WARMUP:-15}
DEFAULT_JVM_FLAGS='-XX:+UseSerialGC -Xms8m -Xmx32m -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss256k -XX:-UsePerfData -Xshare:off -XX:TrimNativeHeapInterval=10000'
JVM_FLAGS=${JVM_FLAGS:-$DEFAULT_JVM_FLAGS}
JAR="$ROOT/agent/target/flick-agent.jar"
HUB=${HUB:-connected}
case "$HUB" in connected|away) ;; *) echo "agent-cost: HUB must be connected or away, not '$HUB'" >&2; exit 1 ;; esac

BENCH_NAME=agent-cost
# shellcheck source=lib/prelude.sh
. "$ROOT/bench/lib/prelude.sh"

log "building the agent and bench jars (reactor package, no install)"
(cd "$ROOT" && ./mvnw -q -B -ntp -pl agent,bench -am package dependency:build-classpath -DskipTests -Dskip.web.tests=true \
    -Dmdep.outputFile="$WORK/cp.txt" >"$WORK/build.log" 2>&1) || { tail -20 "$WORK/build.log" >&2; die "build failed"; }
HUB_CP="$ROOT/bench/target/flick-bench-0.1.0-SNAPSHOT.jar:$(cat "$WORK/cp.txt")"

# --- start both ----------------------------------------------------------------------------------------------
start_node_exporter
if [ "$HUB" = connected ]; then
    "$JAVA" -Xmx512m -cp "$HUB_CP" dev.flick.bench.BenchHub agent >"$WORK/hub.out" 2>"$WORK/hub.err" &
    PIDS+=("$!")
    for _ in $(seq 120); do grep -q '^TOKEN ' "$WORK/hub.out" 2>/dev/null && break; sleep 0.5; done
    grep -q '^TOKEN ' "$WORK/hub.out" || { tail -20 "$WORK/hub.err" >&2; die "the hub did not start"; }
    HUB_PORT=$(awk '/^PORT /{print $2}' "$WORK/hub.out")
    TOKEN=$(awk '/^TOKEN /{print $2}' "$WORK/hub.out")
else
    for HUB_PORT in $(seq 19300 19399); do port_free "$HUB_PORT" && break; done  # nobody listens: refused at once
    TOKEN=flk_nobody
fi
# shellcheck disable=SC2086  # JVM_FLAGS is a list of flags
FLICK_HUB="http://127.0.0.1:$HUB_PORT" FLICK_TOKEN=$TOKEN FLICK_OUTBOX_DIR="$WORK/outbox" \
    "$JAVA" $JVM_FLAGS -jar "$JAR" --interval 1s >/dev/null 2>"$WORK/collector.err" &
FL_PID=$!; PIDS+=("$FL_PID")

start_scraper

FL_NAME="the FLick agent"
FL_DESCRIPTION="FLick agent: $JAVA $JVM_FLAGS -jar agent/target/flick-agent.jar --interval 1s → hub on port $HUB_PORT ($HUB)"
if [ "$HUB" = connected ]; then REPORT_TITLE="Agent cost at a 1 s interval (connected, sending; disk outbox)"
else REPORT_TITLE="Agent cost at a 1 s interval (hub away: every snapshot kept in the disk outbox)"; fi
REPORT_WHO="Agent"
RSS_GOAL=1.5
. "$ROOT/bench/lib/side-by-side.sh"

# --- the outbox -----------------------------------------------------------------------------------------------
"$JAVA" -cp "$JAR" dev.flick.agent.OutboxStats "$WORK/outbox" >"$WORK/outbox.txt" || die "cannot read the outbox"
awk -v hub="$HUB" '{v[$1] = $2} END {
    printf "Outbox (%s) at the end: %d records in %d segment(s), %d bytes on disk", hub, v["records"], v["segments"], v["bytes"]
    if (v["records"] > 1) printf " (%d B a snapshot, JSON %d B: %.1f×); %.2f MB per buffered hour, %.1f MB per 24 h", \
        v["bytes_per_record"], v["json_bytes_per_record"], v["json_bytes_per_record"] / v["bytes_per_record"], \
        v["bytes_per_hour"] / 1e6, 24 * v["bytes_per_hour"] / 1e6
    printf ".\n"
}' "$WORK/outbox.txt"
