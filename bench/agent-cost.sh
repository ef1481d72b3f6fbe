#!/usr/bin/env bash
# The FLick agent at a 1 s interval, process table included, connected to a real hub and sending every snapshot:
# CPU and RSS of the agent process (java -jar agent/target/flick-agent.jar), measured side by side in the same
# windows as prometheus-node-exporter (Debian package, default collectors) scraped every second by curl.
# Goals: agent CPU <= 0.5x node_exporter's, agent RSS <= 1.5x node_exporter's.
#
#   bench/agent-cost.sh                            # 15 s warm-up, then 5 rounds of 60 s (about 5.5 minutes)
#   ROUNDS=3 WINDOW=20 bench/agent-cost.sh         # quicker, noisier
#   JVM_FLAGS='-XX:+UseSerialGC ...' bench/agent-cost.sh
#
# The hub (dev.flick.bench.BenchHub: SQLite, no local collector, one agent server) runs in its own JVM; its cost is
# not counted. Same method as bench/collection-cost.sh, which measures the collector alone.
#
# Environment: ROUNDS (5), WINDOW seconds per round (60), WARMUP seconds (15), JVM_FLAGS (the tuned set below),
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
DEFAULT_JVM_FLAGS='-XX:+UseSerialGC -Xms8m -Xmx32m -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss256k -XX:-UsePerfData -XX:TrimNativeHeapInterval=10000'
JVM_FLAGS=${JVM_FLAGS:-$DEFAULT_JVM_FLAGS}
JAR="$ROOT/agent/target/flick-agent.jar"

die() { echo "collection-cost: $*" >&2; exit 1; }
log() { echo "# $*" >&2; }

for v in ROUNDS WINDOW WARMUP; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, not '${!v}'"
done
(( ROUNDS <= 100 && WINDOW <= 3600 && WARMUP <= 600 )) || die "ROUNDS <= 100, WINDOW <= 3600 and WARMUP <= 600, please"
[ -r /proc/self/stat ] || die "needs Linux /proc"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/flick-agent-cost.XXXXXX")
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

log "building the agent and bench jars (reactor package, no install)"
(cd "$ROOT" && ./mvnw -q -B -ntp -pl agent,bench -am package dependency:build-classpath -DskipTests -Dskip.web.tests=true \
    -Dmdep.outputFile="$WORK/cp.txt" >"$WORK/build.log" 2>&1) || { tail -20 "$WORK/build.log" >&2; die "build failed"; }
HUB_CP="$ROOT/bench/target/flick-bench-0.1.0-SNAPSHOT.jar:$(cat "$WORK/cp.txt")"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -z "${NE_PORT:-}" ]; then
    for NE_PORT in $(seq 19100 19199); do port_free "$NE_PORT" && break; done
fi
port_free "$NE_PORT" || die "port 127.0.0.1:$NE_PORT is taken"
URL="http://127.0.0.1:$NE_PORT/metrics"

# --- start both ----------------------------------------------------------------------------------------------
"$NE_BIN" --web.listen-address="127.0.0.1:$NE_PORT" >"$WORK/node_exporter.log" 2>&1 &
NE_PID=$!; PIDS+=("$NE_PID")
"$JAVA" -Xmx512m -cp "$HUB_CP" dev.flick.bench.BenchHub agent >"$WORK/hub.out" 2>"$WORK/hub.err" &
PIDS+=("$!")
for _ in $(seq 120); do grep -q '^TOKEN ' "$WORK/hub.out" 2>/dev/null && break; sleep 0.5; done
grep -q '^TOKEN ' "$WORK/hub.out" || { tail -20 "$WORK/hub.err" >&2; die "the hub did not start"; }
HUB_PORT=$(awk '/^PORT /{print $2}' "$WORK/hub.out")
# shellcheck disable=SC2086  # JVM_FLAGS is a list of flags
FLICK_HUB="http://127.0.0.1:$HUB_PORT" FLICK_TOKEN=$(awk '/^TOKEN /{print $2}' "$WORK/hub.out") \
    "$JAVA" $JVM_FLAGS -jar "$JAR" --interval 1s >/dev/null 2>"$WORK/collector.err" &
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

# --- measure --------------------------------------------------------------------------------------------------
CLK_TCK=$(getconf CLK_TCK)
ticks() {  # utime + stime + cutime + cstime; fields after the "(comm)", which may hold spaces
    local s; read -r s <"/proc/$1/stat" || return 1; s=${s##*) }
    # shellcheck disable=SC2086
    set -- $s; echo $(( ${12} + ${13} + ${14} + ${15} ))
}
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
rss_anon_kib() { awk '/^RssAnon:/ {print $2}' "/proc/$1/status"; }
alive() { kill -0 "$1" 2>/dev/null || { cat "$WORK/collector.err" "$WORK/node_exporter.log" >&2 2>/dev/null; die "$2 exited early"; }; }
nprocs() { local d n=0; for d in /proc/[0-9]*; do n=$((n + 1)); done; echo "$n"; }

log "JDK: $("$JAVA" -version 2>&1 | head -1); $("$NE_BIN" --version 2>&1 | head -1)"
log "FLick agent: $JAVA $JVM_FLAGS -jar agent/target/flick-agent.jar --interval 1s → hub on port $HUB_PORT (pid $FL_PID)"
log "node_exporter: $NE_BIN --web.listen-address=127.0.0.1:$NE_PORT (pid $NE_PID), scraped every 1 s"
log "warm-up ${WARMUP}s, then $ROUNDS × ${WINDOW}s; done in about $(( (WARMUP + ROUNDS * WINDOW + 59) / 60 )) min"
sleep "$WARMUP"

FL_MAX=0; NE_MAX=0
: >"$WORK/rounds.txt"
for r in $(seq "$ROUNDS"); do
    alive "$FL_PID" "the FLick agent"; alive "$NE_PID" "node_exporter"
    fl0=$(ticks "$FL_PID"); ne0=$(ticks "$NE_PID"); w0=$EPOCHREALTIME
    procs=()
    for _ in $(seq "$WINDOW"); do
        sleep 1
        f=$(rss_kib "$FL_PID") || die "the FLick agent exited"
        n=$(rss_kib "$NE_PID") || die "node_exporter exited"
        (( f > FL_MAX )) && FL_MAX=$f; (( n > NE_MAX )) && NE_MAX=$n
        procs+=("$(nprocs)")
    done
    fl1=$(ticks "$FL_PID"); ne1=$(ticks "$NE_PID"); w1=$EPOCHREALTIME
    procs_median=$(printf '%s\n' "${procs[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    # round fl_cpu ne_cpu fl_rss_kib ne_rss_kib procs fl_anon_kib ne_anon_kib
    awk -v r="$r" -v hz="$CLK_TCK" -v w0="$w0" -v w1="$w1" -v fd=$((fl1 - fl0)) -v nd=$((ne1 - ne0)) \
        -v fr="$f" -v nr="$n" -v p="$procs_median" -v fa="$(rss_anon_kib "$FL_PID")" -v na="$(rss_anon_kib "$NE_PID")" \
        'BEGIN { w = w1 - w0; printf "%d %.4f %.4f %d %d %d %d %d\n", r, 100*fd/hz/w, 100*nd/hz/w, fr, nr, p, fa, na }' \
        >>"$WORK/rounds.txt"
    awk -v r="$r" '$1 == r { printf "# round %d: FLick %.2f %% CPU, %.1f MiB; node_exporter %.2f %% CPU, %.1f MiB; %d processes\n", r, $2, $4/1024, $3, $5/1024, $6 }' \
        "$WORK/rounds.txt" >&2
done

# --- report ---------------------------------------------------------------------------------------------------
SCRAPES=$(wc -l <"$WORK/scrapes.txt")
SCRAPE_MS=$(sort -n "$WORK/scrapes.txt" | awk '{a[NR]=$1} END {if (NR) printf "%.1f", 1000*(NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
awk -v fmax="$FL_MAX" -v nmax="$NE_MAX" -v rounds="$ROUNDS" -v window="$WINDOW" -v flags="$JVM_FLAGS" \
    -v ncpu="$(nproc)" -v scrapes="$SCRAPES" -v scrape_ms="$SCRAPE_MS" '
function median(arr, n,    i, j, t, b) {
    for (i = 1; i <= n; i++) b[i] = arr[i]
    for (i = 2; i <= n; i++) { t = b[i]; for (j = i - 1; j >= 1 && b[j] > t; j--) b[j+1] = b[j]; b[j+1] = t }
    return n % 2 ? b[(n+1)/2] : (b[n/2] + b[n/2+1]) / 2
}
function ratio(a, b) { return b > 0 ? sprintf("%.2f×", a / b) : "n/a" }
{
    n++; fc[n] = $2; nc[n] = $3; fr[n] = $4/1024; nr[n] = $5/1024; pr[n] = $6; fa[n] = $7/1024; na[n] = $8/1024
    cr[n] = $3 > 0 ? $2 / $3 : 0; rr[n] = $5 > 0 ? $4 / $5 : 0
}
END {
    printf "\nAgent cost at a 1 s interval (connected, sending), side by side, %d rounds of %d s (%d cores; agent JVM flags: `%s`).\n", rounds, window, ncpu, flags
    printf "CPU is %% of one core; RSS is VmRSS at the end of each round.\n\n"
    print "| Round | Agent CPU % | node_exporter CPU % | CPU ratio | Agent RSS (MiB) | node_exporter RSS (MiB) | RSS ratio | Processes |"
    print "|---:|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= n; i++)
        printf "| %d | %.2f | %.2f | %.2f× | %.1f | %.1f | %.2f× | %d |\n", i, fc[i], nc[i], cr[i], fr[i], nr[i], rr[i], pr[i]
    mfc = median(fc, n); mnc = median(nc, n); mfr = median(fr, n); mnr = median(nr, n)
    printf "| **Median** | **%.2f** | **%.2f** | **%s** | **%.1f** | **%.1f** | **%s** | %d |\n", mfc, mnc, ratio(mfc, mnc), mfr, mnr, ratio(mfr, mnr), median(pr, n)
    printf "| Max RSS | | | | %.1f | %.1f | %s | |\n", fmax/1024, nmax/1024, ratio(fmax, nmax)
    printf "\nMedian of the per-round ratios: CPU %.2f×, RSS %.2f×. ", median(cr, n), median(rr, n)
    printf "Anonymous RSS (RssAnon, median): FLick %.1f MiB, node_exporter %.1f MiB.\n", median(fa, n), median(na, n)
    printf "node_exporter answered %d scrapes, median %s ms each.\n", scrapes, scrape_ms
    printf "Goal agent CPU <= 0.5× node_exporter: %s (%s). ", (mnc > 0 && mfc / mnc <= 0.5) ? "met" : "NOT met", ratio(mfc, mnc)
    printf "Goal agent RSS <= 1.5× node_exporter: %s (%s).\n", (mnr > 0 && mfr / mnr <= 1.5) ? "met" : "NOT met", ratio(mfr, mnr)
}' "$WORK/rounds.txt"
