#!/usr/bin/env bash
# Ingest capacity: N simulated servers at 1 Hz through the real ingest path, on SQLite and PostgreSQL.
# Usage: bench/ingest.sh [N ...]   (env: DBS="sqlite postgres", SECONDS_PER_RUN=60, WARMUP=15, HEAP=8g)
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
flick_find_jdk
. bench/lib/hub-classpath.sh
flick_bench_classpath --if-missing
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000 2500 5000 7500)
echo "| db | servers | produced/s | delivered/s | p50 ms | p99 ms | max ms | ack p50 / p99 ms | rows written/s | offered/s | dropped | max backlog | sustained | hub CPU (of 1 core) | RSS |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |"
for db in ${DBS:-sqlite postgres}; do
  for n in "${sizes[@]}"; do
    timeout 600 "$JAVA_HOME/bin/java" -XX:+UseG1GC -Xmx"${HEAP:-8g}" -cp "$cp" dev.flick.bench.IngestBench "$db" "$n" \
      "${SECONDS_PER_RUN:-60}" "${WARMUP:-15}" 2>/dev/null | grep '^|' || echo "| $db | $n | run failed |"
  done
done
