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

die() { echo "collection-cost: $*" >&2; exit 1; }
log() { echo "# $*" >&2; }

for v in ROUNDS WINDOW WARMUP; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, not '${!v}'"
done
(( ROUNDS <= 100 && WINDOW <= 3600 && WARMUP <= 600 )) || die "ROUNDS <= 100, WINDOW <= 3600 and WARMUP <= 600, please"
[ -r /proc/self/stat ] || die "needs Linux /proc"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/flick-collection-cost.XXXXXX")
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- prerequisites --------------------------------------------------------------------------------------------
NE_BIN=$(command -v prometheus-node-exporter || true)
if [ -z "$NE_BIN" ]; then
    log "installing prometheus-node-exporter"
    SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq prometheus-node-exporter >/dev/null
    NE_BIN=$(command -v prometheus-node-exporter) || die "prometheus-node-exporter did not install"
fi
command -v curl >/dev/null || die "needs curl"

# shellcheck source=/dev/null
source "$ROOT/.mvn/jdk.sh"
flick_find_jdk
JAVA="$JAVA_HOME/bin/java"
# shellcheck disable=SC2086
if ! "$JAVA" $JVM_FLAGS -version >/dev/null 2>&1; then
    # JDK 21 has TrimNativeHeapInterval only as an experimental flag.
    case " $JVM_FLAGS " in *" -XX:TrimNativeHeapInterval="*) JVM_FLAGS="-XX:+UnlockExperimentalVMOptions $JVM_FLAGS" ;; esac
    "$JAVA" $JVM_FLAGS -version >/dev/null 2>&1 || { "$JAVA" $JVM_FLAGS -version >&2 || true; die "this JVM rejects JVM_FLAGS: $JVM_FLAGS"; }
fi

if [ ! -f "$JAR" ] || [ -n "$(find "$ROOT/collector/src/main" "$ROOT/collector/pom.xml" -newer "$JAR" -type f -print -quit)" ]; then
    log "building the collector jar"
    (cd "$ROOT" && ./mvnw -q -B -ntp -pl collector install -DskipTests)
fi
(cd "$ROOT" && ./mvnw -q -B -ntp -pl collector dependency:build-classpath -DincludeScope=runtime \
    -Dmdep.outputFile="$WORK/cp.txt" >/dev/null 2>&1) || die "could not resolve the collector's classpath"
CP="$JAR:$(cat "$WORK/cp.txt")"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -z "${NE_PORT:-}" ]; then
    for NE_PORT in $(seq 19100 19199); do port_free "$NE_PORT" && break; done
fi
port_free "$NE_PORT" || die "port 127.0.0.1:$NE_PORT is taken"
URL="http://127.0.0.1:$NE_PORT/metrics"

# --- start both ----------------------------------------------------------------------------------------------
"$NE_BIN" --web.listen-address="127.0.0.1:$NE_PORT" >"$WORK/node_exporter.log" 2>&1 &
NE_PID=$!; PIDS+=("$NE_PID")
# shellcheck disable=SC2086  # JVM_FLAGS is a list of flags
"$JAVA" $JVM_FLAGS -cp "$CP" dev.flick.collector.CollectorMain --interval 1s >/dev/null 2>"$WORK/collector.err" &
FL_PID=$!; PIDS+=("$FL_PID")

for _ in $(seq 50); do curl -sf -o /dev/null --max-time 2 "$URL" && break; sleep 0.2; done
curl -sf -o /dev/null --max-time 2 "$URL" || { cat "$WORK/node_exporter.log" >&2; die "node_exporter does not answer on $URL"; }

# A scrape a second, like a Prometheus at scrape_interval: 1s; each scrape's duration goes to scrapes.txt.
(
    trap 'exit 0' TERM
    while :; do
        sleep 1 &
        curl -s -o /dev/null --max-time 5 -w '%{time_total}\n' "$URL" >>"$WORK/scrapes.txt" || true
        wait $!
    done
) &
PIDS+=("$!")

FL_NAME="the FLick collector"
FL_DESCRIPTION="FLick: $JAVA $JVM_FLAGS -cp … dev.flick.collector.CollectorMain --interval 1s"
REPORT_TITLE="Collection cost at a 1 s interval"
REPORT_WHO="FLick"
. "$ROOT/bench/lib/side-by-side.sh"
