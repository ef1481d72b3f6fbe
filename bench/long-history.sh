#!/usr/bin/env bash
# Issue 7 figures: bytes per server-day, 30-day and 1-year chart queries, log search over 1 M lines.
# Usage: bench/long-history.sh [queries]   (env: DBS="sqlite postgres")
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
flick_find_jdk
. bench/lib/hub-classpath.sh
flick_bench_classpath
echo "| db | what | result |"
echo "| --- | --- | --- |"
for db in ${DBS:-sqlite postgres}; do
  timeout 900 "$JAVA_HOME/bin/java" -XX:+UseG1GC -Xmx2g -cp "$cp" dev.flick.bench.LongHistoryBench "$db" "${1:-100}" 2>/dev/null \
    | grep '^|' || echo "| $db | run failed | |"
done
