#!/usr/bin/env bash
# The JVM's own floor: RSS of a JVM that runs a main which only sleeps (dev.flick.bench.Idle), with the agent's tuned
# flags, with the same flags but the JDK's class-data-sharing archive, and with the JVM's defaults. Whatever the agent
# uses beyond the first line is its own; the first line is what any Java agent pays.
#
#   bench/jvm-floor.sh             # 10 s per variant
#   WAIT=20 bench/jvm-floor.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WAIT=${WAIT:-10}
[[ $WAIT =~ ^[1-9][0-9]*$ ]] && (( WAIT <= 600 )) || { echo "jvm-floor: WAIT must be 1..600 seconds" >&2; exit 1; }
TUNED='-XX:+UseSerialGC -Xms8m -Xmx32m -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss256k -XX:-UsePerfData -Xshare:off -XX:TrimNativeHeapInterval=10000'

# shellcheck source=/dev/null
source "$ROOT/.mvn/jdk.sh"
flick_find_jdk
JAVA="$JAVA_HOME/bin/java"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/flick-jvm-floor.XXXXXX")
PID=
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

echo "# building the bench jar (reactor package, no install)" >&2
(cd "$ROOT" && ./mvnw -q -B -ntp -pl bench -am package -DskipTests -Dskip.web.tests=true >"$WORK/build.log" 2>&1) \
    || { tail -20 "$WORK/build.log" >&2; exit 1; }
JAR="$ROOT/bench/target/flick-bench-0.1.0-SNAPSHOT.jar"

echo "JDK: $("$JAVA" -version 2>&1 | head -1); idle for ${WAIT}s each"
echo
echo "| JVM | RSS (MiB) | RssAnon (MiB) | RssFile (MiB) |"
echo "|---|---:|---:|---:|"
for variant in "tuned|$TUNED" "tuned, CDS on|${TUNED/ -Xshare:off/}" "JVM defaults|"; do
    name=${variant%%|*}; flags=${variant#*|}
    # shellcheck disable=SC2086  # flags is a list
    "$JAVA" $flags -cp "$JAR" dev.flick.bench.Idle &
    PID=$!
    sleep "$WAIT"
    awk -v n="$name" '/^VmRSS:/ {r=$2} /^RssAnon:/ {a=$2} /^RssFile:/ {f=$2} END {printf "| %s | %.1f | %.1f | %.1f |\n", n, r/1024, a/1024, f/1024}' "/proc/$PID/status"
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
done
echo
echo "Tuned flags: \`$TUNED\`"
