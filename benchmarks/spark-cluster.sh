#!/usr/bin/env bash
# A Spark standalone cluster on 127.0.0.1 from the spark module's jars (no Spark distribution): a master and N workers
# of one core each, every one its own JVM, as SparkClusterTest starts them. For trying --executor spark and for the
# sweep timings in docs/sweeps.md.
#   benchmarks/spark-cluster.sh start [WORKERS]   # prints the master URL, spark://127.0.0.1:7077
#   benchmarks/spark-cluster.sh stop
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${SPARK_CLUSTER_DIR:-/tmp/autodiff4j-spark-cluster}"
case "${1:-}" in
  start)
    workers="${2:-2}"
    if ! ls "$ROOT"/spark/target/lib/spark-core_*.jar >/dev/null 2>&1; then
      (cd "$ROOT" && mvn -B -q -Pspark -pl spark -am -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true package)
    fi
    mkdir -p "$DIR/home/jars"
    ln -sf "$ROOT"/spark/target/lib/*.jar "$DIR/home/jars/"
    opens="$(sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' "$ROOT/spark/pom.xml")"
    export SPARK_HOME="$DIR/home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1
    cp="$ROOT/spark/target/lib/*"
    # shellcheck disable=SC2086
    nohup java $opens -Xmx256m -Dspark.master.rest.enabled=false -cp "$cp" org.apache.spark.deploy.master.Master \
      --host 127.0.0.1 --port 7077 --webui-port 8080 >"$DIR/master.log" 2>&1 & echo $! >"$DIR/master.pid"
    for i in $(seq 1 "$workers"); do
      mkdir -p "$DIR/worker-$i"
      # shellcheck disable=SC2086
      nohup java $opens -Xmx256m -cp "$cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 \
        --webui-port $((8080 + i)) --cores 1 --memory 1g --work-dir "$DIR/worker-$i" spark://127.0.0.1:7077 \
        >"$DIR/worker-$i.log" 2>&1 & echo $! >"$DIR/worker-$i.pid"
    done
    for _ in $(seq 1 90); do
      if curl -s http://127.0.0.1:8080/json/ | tr -d ' ' | grep -q "\"aliveworkers\":$workers"; then
        echo "spark://127.0.0.1:7077"; exit 0
      fi
      sleep 1
    done
    echo "spark-cluster: the cluster did not start in 90 s; see $DIR/*.log" >&2; exit 1 ;;
  stop)
    for f in "$DIR"/*.pid; do [ -f "$f" ] && { pkill -9 -P "$(cat "$f")" 2>/dev/null || true; kill -9 "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; }; done ;;
  *) echo "usage: benchmarks/spark-cluster.sh start [WORKERS] | stop" >&2; exit 2 ;;
esac
