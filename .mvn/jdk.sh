# Sourced by ./flick and ./mvnw: picks a JDK >= 21 (JAVA_HOME first, then /usr/lib/jvm/*, then java on PATH)
# and exports JAVA_HOME. Prints a plain message and fails when there is none.
flick_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | cut -d. -f1
}

flick_find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" $(find /usr/lib/jvm -mindepth 1 -maxdepth 1 2>/dev/null | sort -rV) \
      "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(flick_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "FLick needs a JDK 21 or newer. Install one (e.g. apt-get install openjdk-21-jdk, or Temurin 21+) or set JAVA_HOME to it." >&2
  return 1
}
