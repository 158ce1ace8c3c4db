# Sourced by each command of the harness in bench/: builds if the jars are missing or older than
# the sources, then starts the given main class of the harness (module bench) from the
# repository root with the rest of the arguments.

run_harness() {
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  local stamp=bench/target/build.stamp
  if [[ ! -f $stamp || ! -f standalone/target/apikeys-standalone.jar || ! -f bench/target/classpath.txt \
        || -n $(find pom.xml ./*/pom.xml ./*/src -newer "$stamp" -print -quit) ]]; then
    echo "building: ./mvnw -q -DskipTests package"
    # Spring Boot's repackage leaves a jar it has repackaged before as it is when only the
    # modules it bundles changed: gone, the jars are made again with what changed.
    rm -f command-side/target/apikeys-command-side.jar query-side/target/apikeys-query-side.jar \
      standalone/target/apikeys-standalone.jar
    ./mvnw -q -DskipTests package
    touch "$stamp"
  fi
  exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" "$@"
}
