# Sourced by the benchmarks that run a hub in-process: builds and installs the modules, then sets $cp to the
# benchmark jar and its runtime classpath. `flick_bench_classpath --if-missing` builds only when the jar is absent.
flick_bench_classpath() {
  if [ "${1:-}" != "--if-missing" ] || [ ! -f bench/target/flick-bench-0.1.0-SNAPSHOT.jar ]; then
    ./mvnw -q -B -ntp install -DskipTests -Dskip.web.tests=true
  fi
  ./mvnw -q -B -ntp -pl bench dependency:build-classpath -Dmdep.outputFile=target/bench.cp >/dev/null
  cp="bench/target/flick-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/bench.cp)"
}
