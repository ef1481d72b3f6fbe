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
#   CONTAINERS=20 bench/agent-cost.sh              # 20 running Podman containers (runc, local/bb), seen by the agent
#   START=plain bench/agent-cost.sh                # a plain java -jar: the agent starts its tuned JVM itself (AgentJvm);
#                                                  # the tuned child is measured, the launcher's RSS reported beside it
#
# The hub (dev.flick.bench.BenchHub: SQLite, no local collector, one agent server) runs in its own JVM; its cost is
# not counted. Same method as bench/collection-cost.sh, which measures the collector alone. The agent's outbox is in
# the work dir; at the end its contents are reported (records, bytes on disk, bytes per buffered hour) — with
# HUB=away that is everything sampled, written and fsynced as while a hub is unreachable.
#
# Environment: ROUNDS (5), WINDOW seconds per round (60), WARMUP seconds (15), JVM_FLAGS (the tuned set below),
# HUB (connected | away), CONTAINERS (0; needs root, podman, runc and busybox-static: a `podman system service` on
# a socket in the work dir is the agent's DOCKER_HOST, the containers `sleep` and are removed on exit),
# START (flags | plain),
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
# The agent's own defaults (AgentJvm.flags for JDK 21); replaced by what the built jar prints for this JDK below.
DEFAULT_JVM_FLAGS='-XX:+UseSerialGC -Xms8m -Xmx32m -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss256k -XX:-UsePerfData -Xshare:off -XX:TrimNativeHeapInterval=10000'
JVM_FLAGS_GIVEN=${JVM_FLAGS:-}
JVM_FLAGS=${JVM_FLAGS:-$DEFAULT_JVM_FLAGS}
JAR="$ROOT/agent/target/flick-agent.jar"
HUB=${HUB:-connected}
case "$HUB" in connected|away) ;; *) echo "agent-cost: HUB must be connected or away, not '$HUB'" >&2; exit 1 ;; esac
CONTAINERS=${CONTAINERS:-0}
[[ $CONTAINERS =~ ^[0-9]+$ ]] && (( CONTAINERS <= 200 )) || { echo "agent-cost: CONTAINERS must be 0..200" >&2; exit 1; }
START=${START:-flags}
case "$START" in flags|plain) ;; *) echo "agent-cost: START must be flags or plain, not '$START'" >&2; exit 1 ;; esac

BENCH_NAME=agent-cost
# shellcheck source=lib/prelude.sh
. "$ROOT/bench/lib/prelude.sh"

log "building the agent and bench jars (reactor package, no install)"
(cd "$ROOT" && ./mvnw -q -B -ntp -pl agent,bench -am package dependency:build-classpath -DskipTests -Dskip.web.tests=true \
    -Dmdep.outputFile="$WORK/cp.txt" >"$WORK/build.log" 2>&1) || { tail -20 "$WORK/build.log" >&2; die "build failed"; }
HUB_CP="$ROOT/bench/target/flick-bench-0.1.0-SNAPSHOT.jar:$(cat "$WORK/cp.txt")"
[ -n "$JVM_FLAGS_GIVEN" ] || JVM_FLAGS=$("$JAVA" -cp "$JAR" dev.flick.agent.AgentJvm) || die "cannot read the agent's JVM flags"

# --- containers -----------------------------------------------------------------------------------------------
AGENT_ENV=()
if (( CONTAINERS > 0 )); then
    for tool in /usr/bin/podman /usr/sbin/runc /bin/busybox; do [ -x "$tool" ] || die "CONTAINERS needs $tool"; done
    LABEL="flick-bench=$$"
    if ! podman image exists local/bb; then
        mkdir -p "$WORK/bb/bin"; cp /bin/busybox "$WORK/bb/bin/"
        for a in sh sleep; do ln -s busybox "$WORK/bb/bin/$a"; done
        tar -C "$WORK/bb" -c . | podman import - local/bb >/dev/null
    fi
    podman system service --time=0 "unix://$WORK/podman.sock" >"$WORK/podman.log" 2>&1 &
    PIDS+=("$!")
    for _ in $(seq 100); do [ -S "$WORK/podman.sock" ] && break; sleep 0.2; done
    [ -S "$WORK/podman.sock" ] || die "podman system service did not start"
    log "starting $CONTAINERS containers (podman + runc, local/bb sleep 3000)"
    for i in $(seq "$CONTAINERS"); do
        podman run -d --runtime /usr/sbin/runc --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 --label "$LABEL" \
            --name "flick-bench-$$-$i" local/bb sleep 3000 >/dev/null || die "podman run failed"
    done
    remove_containers() { podman rm -f -t 0 $(podman ps -aq --filter "label=$LABEL") >/dev/null 2>&1 || true; }
    trap 'remove_containers; cleanup' EXIT
    AGENT_ENV=(DOCKER_HOST="unix://$WORK/podman.sock")
fi

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
if [ "$START" = plain ]; then
    env "${AGENT_ENV[@]}" FLICK_HUB="http://127.0.0.1:$HUB_PORT" FLICK_TOKEN=$TOKEN FLICK_OUTBOX_DIR="$WORK/outbox" \
        "$JAVA" -jar "$JAR" --interval 1s >/dev/null 2>"$WORK/collector.err" &
    LAUNCHER_PID=$!; PIDS+=("$LAUNCHER_PID")
    # JDK 22+: the launcher becomes the tuned JVM (same pid); JDK 21: it starts it as a child and waits.
    tuned() { tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q -- '-Dflick.agent.jvm=tuned'; }
    FL_PID=
    for _ in $(seq 200); do
        if tuned "$LAUNCHER_PID"; then FL_PID=$LAUNCHER_PID; break; fi
        for c in $(pgrep -P "$LAUNCHER_PID" || true); do tuned "$c" && FL_PID=$c; done
        [ -n "$FL_PID" ] && break; sleep 0.1
    done
    [ -n "$FL_PID" ] || die "the plain java -jar did not turn into or start the tuned JVM"
    JVM_FLAGS="(plain java -jar; the agent chose: $(tr '\0' ' ' <"/proc/$FL_PID/cmdline" | sed 's/ -cp .*//; s/^[^ ]* //'))"
else
    # shellcheck disable=SC2086  # JVM_FLAGS is a list of flags
    env "${AGENT_ENV[@]}" FLICK_HUB="http://127.0.0.1:$HUB_PORT" FLICK_TOKEN=$TOKEN FLICK_OUTBOX_DIR="$WORK/outbox" \
        MALLOC_ARENA_MAX=2 "$JAVA" $JVM_FLAGS -jar "$JAR" --interval 1s >/dev/null 2>"$WORK/collector.err" &
    FL_PID=$!; PIDS+=("$FL_PID")
fi

start_scraper

FL_NAME="the FLick agent"
FL_DESCRIPTION="FLick agent: $JAVA $JVM_FLAGS -jar agent/target/flick-agent.jar --interval 1s → hub on port $HUB_PORT ($HUB); $CONTAINERS containers"
if [ "$HUB" = connected ]; then REPORT_TITLE="Agent cost at a 1 s interval (connected, sending; disk outbox)"
else REPORT_TITLE="Agent cost at a 1 s interval (hub away: every snapshot kept in the disk outbox)"; fi
REPORT_WHO="Agent"
RSS_GOAL=1.5
. "$ROOT/bench/lib/side-by-side.sh"

if [ "$START" = plain ] && [ "$FL_PID" = "$LAUNCHER_PID" ]; then
    echo "The plain java -jar replaced itself with the tuned JVM (pid $FL_PID): no launcher left."
elif [ "$START" = plain ]; then
    awk '/^VmRSS:/ {printf "Launcher (the plain java -jar waiting for its tuned child): VmRSS %.1f MiB", $2/1024} /^RssAnon:/ {printf ", RssAnon %.1f MiB\n", $2/1024}' \
        "/proc/$LAUNCHER_PID/status"
fi
# --- the outbox -----------------------------------------------------------------------------------------------
"$JAVA" -cp "$JAR" dev.flick.agent.OutboxStats "$WORK/outbox" >"$WORK/outbox.txt" || die "cannot read the outbox"
awk -v hub="$HUB" '{v[$1] = $2} END {
    printf "Outbox (%s) at the end: %d records in %d segment(s), %d bytes on disk", hub, v["records"], v["segments"], v["bytes"]
    if (v["records"] > 1) printf " (%d B a snapshot, JSON %d B: %.1f×); %.2f MB per buffered hour, %.1f MB per 24 h", \
        v["bytes_per_record"], v["json_bytes_per_record"], v["json_bytes_per_record"] / v["bytes_per_record"], \
        v["bytes_per_hour"] / 1e6, 24 * v["bytes_per_hour"] / 1e6
    printf ".\n"
}' "$WORK/outbox.txt"
