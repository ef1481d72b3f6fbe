#!/usr/bin/env bash
# Collection cost at a 1 s interval, process table included: CPU and RSS of the FLick collector alone
# (dev.flick.collector.CollectorMain), measured side by side in the same windows as prometheus-node-exporter
# (Debian package, default collectors) scraped every second by curl. Goal: FLick CPU <= 0.5x node_exporter's.
#
#   bench/collection-cost.sh                       # 15 s warm-up, then 5 rounds of 60 s (about 5.5 minutes)
#   ROUNDS=3 WINDOW=20 bench/collection-cost.sh    # quicker, noisier
#   JVM_FLAGS='-XX:+UseSerialGC ...' bench/collection-cost.sh
#
# Environment: ROUNDS (5), WINDOW seconds per round (60), WARMUP seconds (15), JVM_FLAGS (the tuned set below; set
# it empty for the JVM's own defaults), NE_PORT (first free loopback port from 19100). Installs
# prometheus-node-exporter with apt-get when missing (needs root) and builds the collector jar when it is missing or
# older than its sources.
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
# The measured best (see bench/README.md): SerialGC, a small heap and C1 only keep RSS down and JIT work short;
# -Xshare:off saves the ~10 MiB of the JDK's CDS archive that relocation dirties, for ~20 ms more startup; the
# periodic native-heap trim stops glibc keeping a freed ~6 MiB malloc arena (otherwise RSS is 41 or 47 MiB by luck).
DEFAULT_JVM_FLAGS='-XX:+UseSerialGC -Xms8m -Xmx32m -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss256k -XX:-UsePerfData -Xshare:off -XX:TrimNativeHeapInterval=10000'
JVM_FLAGS=${JVM_FLAGS-$DEFAULT_JVM_FLAGS}
JAR="$ROOT/collector/target/flick-collector-0.1.0-SNAPSHOT.jar"

BENCH_NAME=collection-cost
# shellcheck source=lib/prelude.sh
. "$ROOT/bench/lib/prelude.sh"

if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/collector/src/main" "$ROOT/collector/pom.xml" -newer "$JAR" -type f -print -quit)" ]; then
    log "building the collector jar"
    (cd "$ROOT" && ./mvnw -q -B -ntp -pl collector install -DskipTests)
fi
(cd "$ROOT" && ./mvnw -q -B -ntp -pl collector dependency:build-classpath -DincludeScope=runtime \
    -Dmdep.outputFile="$WORK/cp.txt" >/dev/null 2>&1) || die "could not resolve the collector's classpath"
CP="$JAR:$(cat "$WORK/cp.txt")"

# --- start both ----------------------------------------------------------------------------------------------
start_node_exporter
# shellcheck disable=SC2086  # JVM_FLAGS is a list of flags
"$JAVA" $JVM_FLAGS -cp "$CP" dev.flick.collector.CollectorMain --interval 1s >/dev/null 2>"$WORK/collector.err" &
FL_PID=$!; PIDS+=("$FL_PID")

start_scraper

FL_NAME="the FLick collector"
FL_DESCRIPTION="FLick: $JAVA $JVM_FLAGS -cp … dev.flick.collector.CollectorMain --interval 1s"
REPORT_TITLE="Collection cost at a 1 s interval"
REPORT_WHO="FLick"
. "$ROOT/bench/lib/side-by-side.sh"
