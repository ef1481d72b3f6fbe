#!/usr/bin/env bash
# The whole hub, as `./flick` starts it (its JVM flags, embedded SQLite, a fresh data dir), watching its own host at
# 1 s and storing every snapshot, with no viewer: CPU and RSS of the hub process, measured side by side in the same
# windows as prometheus-node-exporter (Debian package, default collectors) scraped every second by curl.
# Goals (issue 11): hub CPU <= 1.0x node_exporter's (moonshot 0.5x), hub RSS <= 200 MiB.
#
#   bench/idle-cost.sh                             # 60 s warm-up, then 5 rounds of 60 s (about 6 minutes)
#   ROUNDS=3 WINDOW=30 bench/idle-cost.sh          # quicker, noisier
#   FLICK_JAVA_OPTS='-XX:+UseG1GC' bench/idle-cost.sh   # other JVM flags, passed through ./flick
#
# The hub is started by ./flick itself (which builds it when sources changed), so what is measured is what a user
# runs. The warm-up covers the start, the first JIT compilations and the first closed minutes (compaction runs once
# a minute per server). No account is created and no browser connects. Only 127.0.0.1 is contacted (apart from
# apt-get when node_exporter is missing). Same method and report as bench/agent-cost.sh (bench/lib/side-by-side.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-5}
WINDOW=${WINDOW:-60}
WARMUP=${WARMUP:-60}
JVM_FLAGS=''   # the hub's come from ./flick (and FLICK_JAVA_OPTS); prelude.sh checks this set

BENCH_NAME=idle-cost
# shellcheck source=lib/prelude.sh
. "$ROOT/bench/lib/prelude.sh"

for HUB_PORT in $(seq 19400 19499); do port_free "$HUB_PORT" && break; done
port_free "$HUB_PORT" || die "no free loopback port in 19400-19499 for the hub"

log "building the hub if sources changed (./flick does this itself; done first so the build is not measured)"
(cd "$ROOT" && ./mvnw -q -B -ntp -DskipTests -Dskip.web.tests=true -pl server -am package >"$WORK/build.log" 2>&1) \
    || { tail -20 "$WORK/build.log" >&2; die "build failed"; }

start_node_exporter
HOST=127.0.0.1 PORT=$HUB_PORT FLICK_DATA_DIR="$WORK/data" "$ROOT/flick" >"$WORK/hub.out" 2>"$WORK/collector.err" &
FL_PID=$!; PIDS+=("$FL_PID")
for _ in $(seq 240); do
    curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$HUB_PORT/actuator/health" && break
    kill -0 "$FL_PID" 2>/dev/null || { tail -30 "$WORK/hub.out" "$WORK/collector.err" >&2; die "the hub exited"; }
    sleep 0.5
done
curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$HUB_PORT/actuator/health" \
    || { tail -30 "$WORK/hub.out" >&2; die "the hub did not answer on port $HUB_PORT"; }
start_scraper

JVM_FLAGS="$(tr '\0' ' ' <"/proc/$FL_PID/cmdline" | sed -e 's/^[^ ]*java //' -e 's/ -jar .*//')"
FL_NAME="the FLick hub"
FL_DESCRIPTION="FLick hub: ./flick (pid $FL_PID: java $JVM_FLAGS -jar server/target/flick-hub-exec.jar), SQLite, local host at 1 s, no viewer"
REPORT_TITLE="Hub idle cost (./flick defaults: SQLite, its own host at 1 s, storing, no viewer)"
REPORT_WHO="Hub"
CPU_GOAL=1.0
RSS_GOAL_MIB=200
. "$ROOT/bench/lib/side-by-side.sh"

# What it stored meanwhile, so the run shows the hub was really storing.
ROWS=$(curl -sf --max-time 5 "http://127.0.0.1:$HUB_PORT/actuator/health" | head -c 400 || true)
echo
echo "Health at the end: $ROWS"
echo "Data dir: $(du -sh "$WORK/data" | cut -f1) after $(( WARMUP + ROUNDS * WINDOW )) s"
