#!/usr/bin/env bash
# History query latency over real HTTP: 24 h of 1 s snapshots for one server, then 5 min / 1 h / 24 h chart queries.
# Usage: bench/history.sh [queries]   (env: DBS="sqlite postgres")
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
flick_find_jdk
. bench/lib/hub-classpath.sh
flick_bench_classpath --if-missing
echo "| db | range | tier | points | p50 ms | p95 ms | max ms |"
echo "| --- | --- | --- | ---: | ---: | ---: | ---: |"
for db in ${DBS:-sqlite postgres}; do
  timeout 900 "$JAVA_HOME/bin/java" -XX:+UseG1GC -Xmx2g -cp "$cp" dev.flick.bench.HistoryBench "$db" "${1:-200}" 2>/dev/null \
    | grep '^|' || echo "| $db | run failed |"
done
