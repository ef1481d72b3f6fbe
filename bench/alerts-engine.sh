#!/usr/bin/env bash
# Alert engine cost per snapshot with 100 rules (JMH). Usage: bench/alerts-engine.sh [extra JMH args]
# Builds with the reactor (never `install`), then runs JMH on the bench module's classpath.
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
flick_find_jdk
./mvnw -q -B -ntp -pl bench -am package -DskipTests -Dskip.web.tests=true \
  dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=runtime >/dev/null
cp="bench/target/classes:$(cat bench/target/bench.cp)"
"$JAVA_HOME/bin/java" -cp "$cp" org.openjdk.jmh.Main 'dev.flick.hub.alerts.AlertEngineBench' "$@"
