#!/usr/bin/env bash
# What agentless SSH collection costs the watched server: CPU and memory of everything the hub's session runs there
# (the per-connection sshd processes, the long-lived `sh -s` sampler and every head/df/cat/ls/sleep it forks), at a
# 1 s interval with the process table, side by side in the same windows as prometheus-node-exporter scraped every
# second. Goal: SSH-mode CPU on the target <= 0.25x node_exporter's.
#
#   bench/ssh-cost.sh                            # 15 s warm-up, then 5 rounds of 60 s
#   ROUNDS=3 WINDOW=30 bench/ssh-cost.sh         # quicker, noisier
#
# Needs root and /usr/sbin/sshd (apt-get install openssh-server): a temporary sshd listens on a free loopback port with
# a temporary host key and authorized key; the hub (dev.flick.bench.BenchHub, SQLite, no local collector, one SSH
# server) logs in as root with that key. CPU is utime+stime+cutime+cstime of every descendant of that sshd listener
# (exited children are counted through their parent's cutime/cstime), over wall time; memory is the VmRSS sum of
# the session's long-lived processes at each round's end. The hub's own cost is not counted. Everything it starts is
# stopped on exit; only 127.0.0.1 is contacted.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROUNDS=${ROUNDS:-5}
WINDOW=${WINDOW:-60}
WARMUP=${WARMUP:-15}
die() { echo "ssh-cost: $*" >&2; exit 1; }
log() { echo "# $*" >&2; }
for v in ROUNDS WINDOW WARMUP; do [[ ${!v} =~ ^[1-9][0-9]*$ ]] || die "$v must be a positive integer"; done
[ "$(id -u)" -eq 0 ] || die "needs root (sshd logs the hub in as root)"
[ -x /usr/sbin/sshd ] || die "needs /usr/sbin/sshd (apt-get install openssh-server)"
NE_BIN=$(command -v prometheus-node-exporter) || die "needs prometheus-node-exporter (apt-get install prometheus-node-exporter)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/flick-ssh-cost.XXXXXX")
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=/dev/null
source "$ROOT/.mvn/jdk.sh"
flick_find_jdk
JAVA="$JAVA_HOME/bin/java"
log "building the bench jar (reactor package, no install)"
(cd "$ROOT" && ./mvnw -q -B -ntp -pl bench -am package dependency:build-classpath -DskipTests -Dskip.web.tests=true \
    -Dmdep.outputFile="$WORK/cp.txt" >"$WORK/build.log" 2>&1) || { tail -20 "$WORK/build.log" >&2; die "build failed"; }
HUB_CP="$ROOT/bench/target/flick-bench-0.1.0-SNAPSHOT.jar:$(cat "$WORK/cp.txt")"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for SSH_PORT in $(seq 19200 19299); do port_free "$SSH_PORT" && break; done
for NE_PORT in $(seq 19100 19199); do port_free "$NE_PORT" && break; done

ssh-keygen -q -t ed25519 -N '' -f "$WORK/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$WORK/client"
cp "$WORK/client.pub" "$WORK/authorized_keys"
mkdir -p /run/sshd
cat >"$WORK/sshd_config" <<CONF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $WORK/host_key
PidFile $WORK/sshd.pid
AuthorizedKeysFile $WORK/authorized_keys
PermitRootLogin yes
StrictModes no
UsePAM no
PasswordAuthentication no
CONF
/usr/sbin/sshd -D -e -f "$WORK/sshd_config" 2>"$WORK/sshd.log" &
SSHD_PID=$!; PIDS+=("$SSHD_PID")
"$NE_BIN" --web.listen-address="127.0.0.1:$NE_PORT" >"$WORK/node_exporter.log" 2>&1 &
NE_PID=$!; PIDS+=("$NE_PID")
"$JAVA" -Xmx512m -cp "$HUB_CP" dev.flick.bench.BenchHub ssh 127.0.0.1 "$SSH_PORT" root "$WORK/client" >"$WORK/hub.out" 2>"$WORK/hub.err" &
PIDS+=("$!")

descendants() { local c; for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done; }
for _ in $(seq 120); do [ -n "$(pgrep -P "$SSHD_PID" || true)" ] && break; sleep 0.5; done
[ -n "$(pgrep -P "$SSHD_PID" || true)" ] || { tail -20 "$WORK/hub.err" "$WORK/sshd.log" >&2; die "the hub never logged in"; }
URL="http://127.0.0.1:$NE_PORT/metrics"
(
    trap 'exit 0' TERM
    while :; do sleep 1 & curl -s -o /dev/null --max-time 5 "$URL" || true; wait $!; done
) &
PIDS+=("$!")

CLK_TCK=$(getconf CLK_TCK)
ticks() { local s; read -r s <"/proc/$1/stat" 2>/dev/null || { echo 0; return; }; s=${s##*) }; set -- $s; echo $(( ${12} + ${13} + ${14} + ${15} )); }
session_ticks() { local p t=0; for p in $(descendants "$SSHD_PID"); do t=$(( t + $(ticks "$p") )); done; echo "$t"; }
session_rss() { local p t=0 r; for p in $(descendants "$SSHD_PID"); do r=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0); t=$(( t + ${r:-0} )); done; echo "$t"; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

log "sshd on 127.0.0.1:$SSH_PORT (pid $SSHD_PID), node_exporter on $NE_PORT (pid $NE_PID) scraped every 1 s"
log "warm-up ${WARMUP}s, then $ROUNDS × ${WINDOW}s"
sleep "$WARMUP"
: >"$WORK/rounds.txt"
for r in $(seq "$ROUNDS"); do
    # Processes that exit mid-window take their ticks with them unless reaped into a live parent: the session's
    # sh reaps every sampler child, and the session itself lives for the whole run.
    s0=$(session_ticks); n0=$(ticks "$NE_PID"); w0=$EPOCHREALTIME
    sleep "$WINDOW"
    s1=$(session_ticks); n1=$(ticks "$NE_PID"); w1=$EPOCHREALTIME
    awk -v r="$r" -v hz="$CLK_TCK" -v w0="$w0" -v w1="$w1" -v sd=$((s1 - s0)) -v nd=$((n1 - n0)) -v sr="$(session_rss)" \
        -v nr="$(rss_kib "$NE_PID")" -v n="$(descendants "$SSHD_PID" | wc -l)" \
        'BEGIN { w = w1 - w0; printf "%d %.4f %.4f %d %d %d %.3f\n", r, 100*sd/hz/w, 100*nd/hz/w, sr, nr, n, 1000*sd/hz/w }' >>"$WORK/rounds.txt"
    awk -v r="$r" '$1 == r { printf "# round %d: SSH session %.2f %% CPU (%.2f ms per sample), %.1f MiB in %d processes; node_exporter %.2f %% CPU\n", r, $2, $7, $4/1024, $6, $3 }' "$WORK/rounds.txt" >&2
done

awk -v rounds="$ROUNDS" -v window="$WINDOW" -v ncpu="$(nproc)" '
function median(arr, n,    i, j, t, b) {
    for (i = 1; i <= n; i++) b[i] = arr[i]
    for (i = 2; i <= n; i++) { t = b[i]; for (j = i - 1; j >= 1 && b[j] > t; j--) b[j+1] = b[j]; b[j+1] = t }
    return n % 2 ? b[(n+1)/2] : (b[n/2] + b[n/2+1]) / 2
}
{ n++; sc[n] = $2; nc[n] = $3; sr[n] = $4/1024; nr[n] = $5/1024; ms[n] = $7 }
END {
    printf "\nSSH collection cost on the target at a 1 s interval, %d rounds of %d s (%d cores).\n\n", rounds, window, ncpu
    print "| Round | SSH session CPU % | CPU ms per sample | node_exporter CPU % | CPU ratio | session RSS (MiB) | node_exporter RSS (MiB) |"
    print "|---:|---:|---:|---:|---:|---:|---:|"
    for (i = 1; i <= n; i++) printf "| %d | %.2f | %.2f | %.2f | %.2f× | %.1f | %.1f |\n", i, sc[i], ms[i], nc[i], (nc[i] > 0 ? sc[i]/nc[i] : 0), sr[i], nr[i]
    m1 = median(sc, n); m2 = median(nc, n)
    printf "| **Median** | **%.2f** | **%.2f** | **%.2f** | **%.2f×** | **%.1f** | **%.1f** |\n", m1, median(ms, n), m2, (m2 > 0 ? m1/m2 : 0), median(sr, n), median(nr, n)
    printf "\nGoal SSH-mode CPU <= 0.25× node_exporter: %s.\n", (m2 > 0 && m1 / m2 <= 0.25) ? "met" : "NOT met"
}' "$WORK/rounds.txt"
