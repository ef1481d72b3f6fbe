#!/usr/bin/env bash
# The hub with N simulated agents over real WebSocket connections at 1 Hz (dev.flick.bench.AgentFleetBench):
# hub CPU, RSS and p99 snapshot→viewer latency. Usage: bench/agent-fleet.sh [N ...]   (env: SECONDS_PER_RUN=60,
# WARMUP=15, HEAP=1g). Builds in the reactor (never mvn install); only 127.0.0.1 is contacted.
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
flick_find_jdk
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
./mvnw -q -B -ntp -pl bench -am package dependency:build-classpath -DskipTests -Dskip.web.tests=true \
    -Dmdep.outputFile="$cpfile" >/dev/null
cp="bench/target/flick-bench-0.1.0-SNAPSHOT.jar:$(cat "$cpfile")"
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000)
echo "| agents | delivered/s | p50 ms | p99 ms | max ms | hub CPU (of 1 core) | hub RSS | goal met (p99 ≤ 100 ms, all delivered) |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
for n in "${sizes[@]}"; do
  timeout 900 "$JAVA_HOME/bin/java" -XX:+UseG1GC -Xmx"${HEAP:-1g}" -cp "$cp" dev.flick.bench.AgentFleetBench "$n" \
    "${SECONDS_PER_RUN:-60}" "${WARMUP:-15}" 2>/dev/null | grep '^|' || echo "| $n | run failed |"
done
