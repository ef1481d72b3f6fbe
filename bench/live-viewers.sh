#!/usr/bin/env bash
# Live bus and slow viewers (issue 16): N servers at 1 Hz through the real ingest path of one hub, V WebSocket viewers
# on "*" (whole snapshots: full; the overview's summary: summary). About 1 minute per mode.
# Usage: bench/live-viewers.sh [MODE ...]   (env: SERVERS=3000 VIEWERS=20 SECONDS_PER_RUN=30 WARMUP=10 HEAP=4g)
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
flick_find_jdk
. bench/lib/hub-classpath.sh
flick_bench_classpath --if-missing
modes=("$@"); [ ${#modes[@]} -gt 0 ] || modes=(summary full)
echo "| viewers on \"*\" | servers | viewers | kept | closed with | produced/s | delivered/s | p50 ms | p99 ms | max ms | oldest server p99 / max ms | all have the last round after | coalesced markers | hub CPU (of 1 core) |"
echo "| --- | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for mode in "${modes[@]}"; do
  timeout 300 "$JAVA_HOME/bin/java" -XX:+UseG1GC -Xmx"${HEAP:-4g}" -cp "$cp" dev.flick.bench.LiveViewersBench "$mode" \
    "${SERVERS:-3000}" "${VIEWERS:-20}" "${SECONDS_PER_RUN:-30}" "${WARMUP:-10}" 2>/dev/null | grep '^|' || echo "| $mode | ${SERVERS:-3000} | run failed |"
done
