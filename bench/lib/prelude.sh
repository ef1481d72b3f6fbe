# Shared start of the side-by-side benchmarks (collection-cost, agent-cost): helpers, argument checks, a work dir
# cleaned on exit with everything started, prometheus-node-exporter (installed when missing), a JDK >= 21 that
# accepts JVM_FLAGS, and a free loopback port for node_exporter. Sourced, not run; expects ROOT, BENCH_NAME,
# ROUNDS, WINDOW, WARMUP and JVM_FLAGS. Defines die, log, WORK, PIDS, NE_BIN, JAVA, NE_PORT, URL,
# start_node_exporter and start_scraper.

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }
log() { echo "# $*" >&2; }

for v in ROUNDS WINDOW WARMUP; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer, not '${!v}'"
done
(( ROUNDS <= 100 && WINDOW <= 3600 && WARMUP <= 600 )) || die "ROUNDS <= 100, WINDOW <= 3600 and WARMUP <= 600, please"
[ -r /proc/self/stat ] || die "needs Linux /proc"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/flick-$BENCH_NAME.XXXXXX")
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

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

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -z "${NE_PORT:-}" ]; then
    for NE_PORT in $(seq 19100 19199); do port_free "$NE_PORT" && break; done
fi
port_free "$NE_PORT" || die "port 127.0.0.1:$NE_PORT is taken"
URL="http://127.0.0.1:$NE_PORT/metrics"

# node_exporter with its default collectors, on loopback; waits until it answers.
start_node_exporter() {
    "$NE_BIN" --web.listen-address="127.0.0.1:$NE_PORT" >"$WORK/node_exporter.log" 2>&1 &
    NE_PID=$!; PIDS+=("$NE_PID")
    for _ in $(seq 50); do curl -sf -o /dev/null --max-time 2 "$URL" && break; sleep 0.2; done
    curl -sf -o /dev/null --max-time 2 "$URL" || { cat "$WORK/node_exporter.log" >&2; die "node_exporter does not answer on $URL"; }
}

# A scrape a second, like a Prometheus at scrape_interval: 1s; each scrape's duration goes to scrapes.txt.
start_scraper() {
    (
        trap 'exit 0' TERM
        while :; do
            sleep 1 &
            curl -s -o /dev/null --max-time 5 -w '%{time_total}\n' "$URL" >>"$WORK/scrapes.txt" || true
            wait $!
        done
    ) &
    PIDS+=("$!")
}
