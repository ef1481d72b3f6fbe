#!/usr/bin/env bash
# Ownership hand-over after kill -9: two hub processes on one PostgreSQL schema and the local NATS server; hub a is
# killed with SIGKILL, and the time until hub b's live set no longer holds it (the moment b takes a's SSH and
# Prometheus servers, rendezvous hashing) is read from b's log. Repeated; prints each run and the median.
# Usage: bench/cluster-handover.sh [runs]   (default 5; needs psql, PostgreSQL at 127.0.0.1:5432, NATS at 127.0.0.1:4222)
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
flick_find_jdk
runs="${1:-5}"
./mvnw -q -B -ntp -o -pl server -am compile dependency:build-classpath -Dskip.web.tests=true \
  -Dmdep.outputFile=target/hub.cp >/dev/null
cp="server/target/classes:collector/target/classes:web/target/classes:$(cat server/target/hub.cp)"
schema="flick_bench_$(date +%s)"
psql -h 127.0.0.1 -U postgres -d test -qc "CREATE SCHEMA $schema"
prefix="flickbench_$$"
work="$(mktemp -d)"
jwt="$(head -c 48 /dev/urandom | base64 -w0)"; key="$(head -c 32 /dev/urandom | base64 -w0)"
hub() { # id port
  mkdir -p "$work/$1"
  JWT_SECRET="$jwt" ENCRYPTION_KEY="$key" FLICK_NATS_URL=nats://127.0.0.1:4222 FLICK_NATS_PREFIX="$prefix" FLICK_HUB_ID="$1" \
    "$JAVA_HOME/bin/java" -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$cp" dev.flick.hub.FlickApplication \
    --server.port="$2" --flick.data-dir="$work/$1" --flick.local-collector=false \
    --flick.database-url="jdbc:postgresql://127.0.0.1:5432/test?currentSchema=$schema&user=postgres" \
    --logging.level.root=WARN --logging.level.dev.flick=INFO >>"$work/$1.log" 2>&1 &
  echo $!
}
wait_for() { # file pattern
  for _ in $(seq 1 1200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "timed out waiting for '$2' in $1" >&2; return 1
}
b=$(hub b 18482); wait_for "$work/b.log" "Started FlickApplication"
trap 'kill $b 2>/dev/null; kill -9 ${a:-0} 2>/dev/null; psql -h 127.0.0.1 -U postgres -d test -qc "DROP SCHEMA $schema CASCADE"; rm -rf "$work"' EXIT
results=()
for run in $(seq 1 "$runs"); do
  : > "$work/a.log"
  a=$(hub a 18481); wait_for "$work/a.log" "Started FlickApplication"
  lines=$(wc -l < "$work/b.log")
  wait_for "$work/b.log" "Live hubs: \[.*a.*\]"
  sleep 1 # let a few heartbeats pass (not a measured interval)
  killed=$(date +%s%3N); kill -9 "$a"; wait "$a" 2>/dev/null || true
  for _ in $(seq 1 300); do
    line=$(tail -n +"$((lines + 1))" "$work/b.log" | grep "Live hubs: \[b\]" | tail -1 || true)
    [ -n "$line" ] && break; sleep 0.05
  done
  at=$(date -d "$(echo "$line" | cut -c1-24)" +%s%3N)
  ms=$((at - killed)); results+=("$ms")
  echo "run $run: hand-over ${ms} ms"
done
median=$(printf '%s\n' "${results[@]}" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}')
echo "| runs | hub TTL | median hand-over after kill -9 |"
echo "| ---: | ---: | ---: |"
echo "| $runs | 4 s | ${median} ms |"
