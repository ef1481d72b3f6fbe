#!/usr/bin/env bash
# Threshold crossing → in-app notification on a subscribed WebSocket, real hub on SQLite, loopback only.
# Usage: bench/alerts-latency.sh [trials]   (default 100)
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
flick_find_jdk
./mvnw -q -B -ntp -pl bench -am package -DskipTests -Dskip.web.tests=true \
  dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=runtime >/dev/null
cp="bench/target/classes:$(cat bench/target/bench.cp)"
"$JAVA_HOME/bin/java" -Xmx1g -cp "$cp" dev.flick.bench.AlertLatencyBench "${1:-100}" 2>/dev/null | grep '^|'
