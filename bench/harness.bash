# Sourced by each command of the harness in bench/: builds if the jars are missing or older than
# the sources, then starts the given main class of the harness (module bench) from the
# repository root with the rest of the arguments.

run_harness() {
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  local stamp=bench/target/build.stamp
  if [[ ! -f $stamp || ! -f standalone/target/apikeys-standalone.jar || ! -f bench/target/classpath.txt \
        || -n $(find pom.xml ./*/pom.xml ./*/src -newer "$stamp" -print -quit) ]]; then
    echo "building: ./mvnw -q -DskipTests package"
    ./mvnw -q -DskipTests package
    touch "$stamp"
  fi
  exec java -cp "bench/target/classes:$(cat bench/target/classpath.txt)" "$@"
}
