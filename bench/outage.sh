#!/usr/bin/env bash
# Missing rows after a PostgreSQL outage: N protocol-2 agent streams, the database behind a proxy cut for the outage.
# Usage: bench/outage.sh [streams] [outage seconds] [seconds before and after]   (defaults: 100 600 30)
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
flick_find_jdk
. bench/lib/hub-classpath.sh
flick_bench_classpath
echo "| streams | outage | snapshots generated | missing | largest gap | most held by one agent | drain after restore | dropped |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
"$JAVA_HOME/bin/java" -Xmx2g -cp "$cp" dev.flick.bench.OutageBench "${1:-100}" "${2:-600}" "${3:-30}" | grep '^|'
