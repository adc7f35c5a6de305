#!/usr/bin/env bash
# Runs a kbackup benchmark in a JVM of its own, with the heap you choose.
#
#   examples/bench.sh [-Xmx<size>] backup  [--cluster real|embedded] [--objects N] [--server in-process|separate] [--repeat R] [--no-kubectl] ...
#   examples/bench.sh [-Xmx<size>] restore [--cluster real|embedded] [--kind mixed|secrets] [--objects N] [--concurrency C] [--repeat R] ...
#   (backup and restore, real cluster: --profile DIR writes JFR, kube-apiserver and etcd profiles as text into DIR)
#   examples/bench.sh [-Xmx<size>] group   [--members 100,1000] [--concurrency C] [--member-ms M]
#   examples/bench.sh [-Xmx<size>] reset   [--cluster real|embedded] [--objects 500] [--repeat 3]
#   examples/bench.sh [-Xmx<size>] velero  [--objects 10000] [--namespaces 50] [--secrets 31000]  (against the real Velero)
#   examples/bench.sh chart <figures.tsv>   (writes examples/benchmark-chart.png)
#
# --cluster real (the default when kube-apiserver and etcd are in ~/.cache/kbackup-test-servers/bin):
# a RealCluster (etcd + kube-apiserver as child processes); embedded: the test kit's EmbeddedCluster.
#
# Examples:
#   examples/bench.sh -Xmx1g backup --objects 10000
#   examples/bench.sh -Xmx1g backup --cluster embedded --objects 10000
#   examples/bench.sh -Xmx256m backup --objects 100000 --server separate
#   examples/bench.sh -Xmx2g restore --objects 10000
#   examples/bench.sh -Xmx3g restore --kind secrets --objects 31000
#
# It builds the examples module and the modules it needs (skip with BENCH_SKIP_BUILD=1), writes
# the runtime classpath with `mvn dependency:build-classpath`, then runs
# `java <-Xmx> -cp <classpath> io.kbackup.examples.bench.{Backup,Restore}Benchmark <options>`.
# Default heap: -Xmx1g. Options: see examples/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

heap="-Xmx1g"
if [[ $# -gt 0 && "$1" == -Xmx* ]]; then
  heap="$1"
  shift
fi
case "${1:-}" in
  backup) main=io.kbackup.examples.bench.BackupBenchmark ;;
  restore) main=io.kbackup.examples.bench.RestoreBenchmark ;;
  chart) main=io.kbackup.examples.bench.Chart ;;
  group) main=io.kbackup.examples.bench.GroupBenchmark ;;
  reset) main=io.kbackup.examples.bench.ResetBenchmark ;;
  velero) main=io.kbackup.examples.bench.VeleroBenchmark ;;
  *) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
shift

mvn_flags=(-B -q)
[[ "${BENCH_OFFLINE:-}" == 1 ]] && mvn_flags+=(-o)
if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  # one reactor: each module writes its own target/bench.classpath; the examples one is used
  mvn "${mvn_flags[@]}" -pl examples -am package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile=target/bench.classpath -DincludeScope=runtime
fi
cp="examples/target/classes:$(cat examples/target/bench.classpath)"
# --profile DIR: etcd reads its flags from ETCD_* too; this turns its /debug/pprof on (the test kit does not)
[[ " $* " == *" --profile "* || " $* " == *" --profile="* ]] && export ETCD_ENABLE_PPROF=true
exec java "$heap" -cp "$cp" "$main" "$@"
