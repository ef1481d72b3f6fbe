#!/usr/bin/env bash
# Issue 11 figures: DAYS (14) of 1 s history for one server through the real ingest path on each database, then bytes
# per stored snapshot and per server-day (the hub's storage report) and chart / processes?at latencies over HTTP.
# Usage: bench/compact-history.sh [days] [queries]
#   env: DBS="sqlite postgres timescale"; FLICK_BENCH_TIMESCALE=jdbc:postgresql://127.0.0.1:5433/test (a cluster
#   that preloads TimescaleDB, built locally as docs/storage.md says; "timescale" is skipped when it does not answer)
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
flick_find_jdk
. bench/lib/hub-classpath.sh
flick_bench_classpath
echo "| db | what | result |"
echo "| --- | --- | --- |"
for db in ${DBS:-sqlite postgres timescale}; do
  if [ "$db" = timescale ] && ! pg_isready -q -d "${FLICK_BENCH_TIMESCALE:-postgresql://127.0.0.1:5433/test}" 2>/dev/null; then
    echo "| timescale | skipped | no TimescaleDB cluster answers at ${FLICK_BENCH_TIMESCALE:-127.0.0.1:5433} |"
    continue
  fi
  timeout 3600 "$JAVA_HOME/bin/java" -XX:+UseG1GC -Xmx3g -cp "$cp" dev.flick.bench.CompactHistoryBench "$db" "${1:-14}" "${2:-100}" 2>/dev/null \
    | grep '^|' || echo "| $db | run failed | |"
done
