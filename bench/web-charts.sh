#!/usr/bin/env bash
# Script time per update of 10 live uPlot charts at 1 Hz in Debian's Chromium (the app's TimeChart component,
# 300 points each, timed with the Performance API from the data change to the end of uPlot's draw).
# Usage: bench/web-charts.sh [updates] [points]
# FLICK_BENCH_DURATIONS=1 prints every update's time, whether the JS heap shrank in it (a collection) and each chart's
# time from its setData to its draw; FLICK_BENCH_PROFILE=file.cpuprofile (with FLICK_BENCH_MINIFY=false) records a
# CPU profile; the viewport is tall enough that all ten charts are on screen (off-screen charts skip updates).
set -euo pipefail
cd "$(dirname "$0")/.."
. .mvn/jdk.sh
flick_find_jdk
(cd web && npm run -s build:bench >/dev/null)
# Reactor build (nothing installed into ~/.m2): compiles the bench module and writes its classpath.
./mvnw -q -B -ntp -pl bench -am compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dskip.web.tests=true >/dev/null
cp="bench/target/classes:$(cat bench/target/bench.cp)"
"$JAVA_HOME/bin/java" -cp "$cp" dev.flick.bench.WebChartsBench "${1:-60}" "${2:-300}" 2>/dev/null
