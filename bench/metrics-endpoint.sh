#!/usr/bin/env bash
# GET /metrics for N servers (default 1000): response time p50/p95 and bytes in the Prometheus text format and in
# OpenMetrics, and hub CPU (the bench JVM: hub + the 1 Hz snapshot generator, percent of one core) over a window with
# no scraper and over one while a real Prometheus (Debian's /usr/bin/prometheus) scrapes every second with an API token.
# Usage: bench/metrics-endpoint.sh [N ...]   (env: WINDOW=60, WARMUP=20, HEAP=2g, PROMETHEUS=/usr/bin/prometheus)
# Only 127.0.0.1 is contacted. Results: docs/PERFORMANCE.md, "Prometheus exposition (issue 15)".
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
flick_find_jdk
. bench/lib/hub-classpath.sh
flick_bench_classpath --if-missing
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000)
echo "| servers | text p50 / p95 ms | text MB | OpenMetrics p50 / p95 ms | OpenMetrics MB | hub CPU, no scraper | hub CPU, scraped every 1 s | difference |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for n in "${sizes[@]}"; do
  timeout 900 "$JAVA_HOME/bin/java" -XX:+UseG1GC -Xmx"${HEAP:-2g}" -cp "$cp" dev.flick.bench.MetricsEndpointBench "$n" \
    "${WINDOW:-60}" "${WARMUP:-20}" "${PROMETHEUS:-/usr/bin/prometheus}" 2>/dev/null | grep -E '^\||^successful' || echo "| $n | run failed |"
done
