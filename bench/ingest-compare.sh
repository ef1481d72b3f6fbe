#!/usr/bin/env bash
# Ingest capacity of this tree next to an earlier commit, alternating run by run on the same machine: the earlier build
# acknowledged nothing (Ingest.accept), this one acknowledges each snapshot once the spool has it on disk.
# Usage: bench/ingest-compare.sh BASE_COMMIT [N ...]   (env: DBS="sqlite postgres", SECONDS_PER_RUN=60, WARMUP=15, HEAP=8g)
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
flick_find_jdk
base_ref=${1:?usage: bench/ingest-compare.sh BASE_COMMIT [N ...]}
shift
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(5000 10000)
wt="$PWD/bench/target/base-$(git rev-parse --short "$base_ref")"
[ -d "$wt" ] || git worktree add -f --detach "$wt" "$base_ref" >/dev/null
(cd "$wt" && ./mvnw -q -B -ntp package -DskipTests -Dskip.web.tests=true -pl server -am >/dev/null \
  && ./mvnw -q -B -ntp -pl bench dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null)
# This tree's benchmark (it reaches the ingest path through reflection, IngestPort) on the earlier build's hub jars
# and their third-party dependencies (the installed flick jars are this tree's): one measuring method for both.
base_cp="bench/target/flick-bench-0.1.0-SNAPSHOT.jar:$wt/collector/target/flick-collector-0.1.0-SNAPSHOT.jar"
base_cp="$base_cp:$wt/server/target/flick-hub.jar:$wt/web/target/flick-web-0.1.0-SNAPSHOT.jar"
base_cp="$base_cp:$(tr ':' '\n' < "$wt/bench/target/bench.cp" | grep -v '/dev/flick/' | paste -sd: -)"
. bench/lib/hub-classpath.sh
flick_bench_classpath
new_cp="$cp"
echo "base = $(git rev-parse --short "$base_ref") (no acknowledgement); new = $(git rev-parse --short HEAD) (acknowledged once durable)"
for db in ${DBS:-sqlite postgres}; do
  for n in "${sizes[@]}"; do
    for build in base new; do
      cp_var="${build}_cp"
      line=$(timeout 600 "$JAVA_HOME/bin/java" -XX:+UseG1GC -Xmx"${HEAP:-8g}" -cp "${!cp_var}" dev.flick.bench.IngestBench "$db" "$n" \
        "${SECONDS_PER_RUN:-60}" "${WARMUP:-15}" 2>/dev/null | grep '^|' || echo "| $db | $n | run failed |")
      echo "| $build $line"
    done
  done
done
