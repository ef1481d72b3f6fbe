#!/usr/bin/env bash
# Missing rows after a PostgreSQL outage: N protocol-2 agent streams, the database behind a proxy cut for the outage.
# Usage: bench/outage.sh [streams] [outage seconds] [seconds before and after]   (defaults: 100 600 30)
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
flick_find_jdk
./mvnw -q -B -ntp install -DskipTests -Dskip.web.tests=true
./mvnw -q -B -ntp -pl bench dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
cp="bench/target/flick-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/bench.cp)"
echo "| streams | outage | snapshots generated | missing | largest gap | most held by one agent | drain after restore | dropped |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
"$JAVA_HOME/bin/java" -Xmx2g -cp "$cp" dev.flick.bench.OutageBench "${1:-100}" "${2:-600}" "${3:-30}" | grep '^|'
