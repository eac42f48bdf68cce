#!/usr/bin/env bash
# What recording history costs a write, side by side in one run: this checkout against a commit without history.
#
#   src/bench/history-cost.sh [--base 4af2e65] [--writes 3000] [--warmup 300]
#
# Builds both service jars (the base one in a temporary git worktree), then runs each alone with its embedded
# ZooKeeper on loopback and drives it with io.kook.bench.HistoryCostBench: sequential writes (a var patch, a
# membership added, one removed), timed one by one, and the bytes of the change records they left.
set -euo pipefail

BASE=4af2e65
WRITES=3000
WARMUP=300
while [ $# -gt 0 ]; do
    case "$1" in
        --base) BASE=$2; shift ;;
        --writes) WRITES=$2; shift ;;
        --warmup) WARMUP=$2; shift ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH="$ROOT/src/bench"
WORK=$(mktemp -d /tmp/kook-history-cost-XXXX)
log() { echo "[history-cost] $*" >&2; }

log "building this checkout and the bench classes"
(cd "$ROOT" && ./mvnw -B -ntp -q package -DskipTests && cp target/kook-0.1.0-SNAPSHOT.jar "$WORK/current.jar" \
    && ./mvnw -B -ntp -q -Pbench test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/deps.txt" \
       -Dmdep.includeScope=test && cp -r target/bench/test-classes "$WORK/test-classes") >"$WORK/build.log" 2>&1 \
    || { tail -n 30 "$WORK/build.log" >&2; exit 1; }
log "building the base $BASE"
git -C "$ROOT" worktree add -q --detach "$WORK/base" "$BASE"
(cd "$WORK/base" && ./mvnw -B -ntp -q package -DskipTests && cp target/kook-0.1.0-SNAPSHOT.jar "$WORK/base.jar") \
    >>"$WORK/build.log" 2>&1 || { tail -n 30 "$WORK/build.log" >&2; exit 1; }
git -C "$ROOT" worktree remove --force "$WORK/base"

run() { # name jar: one replica with its embedded ZooKeeper, driven by the bench; prints the bench's line
    local name=$1 jar=$2
    java -jar "$jar" --server.port=18180 --kook.zookeeper.embedded.port=12281 \
        --kook.zookeeper.embedded.data-dir="$WORK/zk-$name" --kook.security.bootstrap-token=history-cost-bench \
        --kook.security.bootstrap-token-file="$WORK/token-$name" --logging.level.root=WARN \
        >"$WORK/kook-$name.log" 2>&1 &
    local pid=$!
    for _ in $(seq 1 120); do
        curl -fsS -o /dev/null http://127.0.0.1:18180/actuator/health/readiness 2>/dev/null && break
        sleep 1
    done
    java -Dlogback.configurationFile="$BENCH/logback-bench.xml" -cp "$WORK/test-classes:$(cat "$WORK/deps.txt")" \
        io.kook.bench.HistoryCostBench --url http://127.0.0.1:18180 --token history-cost-bench \
        --connect 127.0.0.1:12281 --writes "$WRITES" --warmup "$WARMUP"
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

log "running the base (no history)"
BASE_LINE=$(run base "$WORK/base.jar")
log "running this checkout (history)"
CURRENT_LINE=$(run current "$WORK/current.jar")
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
echo "| build | writes/s | p50 ms | p99 ms | record bytes per change |"
echo "| --- | --- | --- | --- | --- |"
for pair in "base $BASE:$BASE_LINE" "history $(git -C "$ROOT" rev-parse --short HEAD):$CURRENT_LINE"; do
    name=${pair%%:*}; line=${pair#*:}
    echo "| $name | $(field "$line" writes_per_s) | $(field "$line" p50_ms) | $(field "$line" p99_ms) | $(field "$line" record_bytes_per_change) |"
done
