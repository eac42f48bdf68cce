#!/usr/bin/env bash
# A million hosts on one replica: import, heap, render per revision, serving under writes, restart.
#
#   src/bench/million.sh [--hosts 1000000] [--groups 10000] [--chunks 7] [--seed 42] [--kook-heap 8g]
#                        [--zk-heap 6g] [--seconds 60] [--writes-per-second 10] [--out FILE]
#
# One ZooKeeper server in its own JVM (so its heap and snapshot are measured apart from Kook's) and one
# Kook-only replica on it. The generated inventory is imported as --chunks merge imports (each file holds
# every group and one chunk of the hosts: one file of a million hosts would pass any sane import limit).
# Needs JDK 17, jcmd and curl; about 16 GB of RAM free at a million hosts (the two heaps must fit in RAM
# together: an OOM-killed ZooKeeper looks like a hung Kook). A chunk must fit Kook's import limit (a quarter of
# its heap / 24 per byte: 85 MB at 8g). GC logs of both JVMs stay in the work dir. Everything binds 127.0.0.1.
set -euo pipefail

HOSTS=1000000
NGROUPS=10000
CHUNKS=7
SEED=42
KOOK_HEAP=8g
ZK_HEAP=6g
SECONDS_UNDER_WRITES=60
WRITE_RATE=10
OUT=/tmp/kook-million-$(date +%Y%m%d-%H%M%S).md
ARGS="$*"
while [ $# -gt 0 ]; do
    case "$1" in
        --hosts) HOSTS=$2; shift ;;
        --groups) NGROUPS=$2; shift ;;
        --chunks) CHUNKS=$2; shift ;;
        --seed) SEED=$2; shift ;;
        --kook-heap) KOOK_HEAP=$2; shift ;;
        --zk-heap) ZK_HEAP=$2; shift ;;
        --seconds) SECONDS_UNDER_WRITES=$2; shift ;;
        --writes-per-second) WRITE_RATE=$2; shift ;;
        --out) OUT=$2; shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

source "$(dirname "$0")/lib.sh"
for tool in java jcmd curl; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
build_all
for var in PORT ZK; do pick_port "$var"; done
K=http://127.0.0.1:$PORT
KOOK_JAVA_OPTS="-Xmx$KOOK_HEAP -Xlog:gc:file=$WORK/gc-kook-%p.log ${KOOK_JAVA_OPTS:-}"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date +%s)

secs_since() { awk -v s="$1" -v n="$(date +%s.%N)" 'BEGIN { printf "%.1f", n - s }'; }
start_zk() { # a standalone ZooKeeper server on $ZK with its data in $WORK/zk; sets ZPID
    java -Xmx"$ZK_HEAP" -Xlog:gc:file="$WORK/gc-zk-%p.log" -Djute.maxbuffer=134217728 -Dzookeeper.admin.enableServer=false \
        -Dzookeeper.4lw.commands.whitelist=srvr -Dlogback.configurationFile="$BENCH/logback-bench.xml" \
        -cp "$CP" org.apache.zookeeper.server.ZooKeeperServerMain "$ZK" "$WORK/zk" >>"$WORK/zk.log" 2>&1 &
    ZPID=$!
    PIDS+=("$ZPID")
}
wait_zk() { # -> seconds until the server answers srvr
    local start; start=$(date +%s.%N)
    until { exec 3<>"/dev/tcp/127.0.0.1/$ZK" && echo srvr >&3 && grep -q Mode <&3; } 2>/dev/null; do
        kill -0 "$ZPID" 2>/dev/null || die "ZooKeeper exited (see $WORK/zk.log)"
        sleep 0.2
    done
    exec 3>&- || true
    secs_since "$start"
}
metric() { # name -> value scraped from Kook's /actuator/prometheus
    curl -s "${AUTH[@]}" --max-time 10 "$K/actuator/prometheus" | awk -v m="$1" '$1 == m { printf "%d", $2 }'
}

log "generating $HOSTS hosts / $NGROUPS groups in $CHUNKS files (seed $SEED)"
mkdir -p "$WORK/inv"
GEN_LINE=$(java -Xmx8g -cp "$CP" io.kook.bench.InventoryGenerator --hosts "$HOSTS" --groups "$NGROUPS" \
    --seed "$SEED" --pairs 0 --chunks "$CHUNKS" --out "$WORK/inv")
log "  $GEN_LINE"

log "starting ZooKeeper (-Xmx$ZK_HEAP) and a Kook-only replica (-Xmx$KOOK_HEAP)"
start_zk
wait_zk >/dev/null
start_kook k "$PORT" --spring.cloud.zookeeper.connect-string="127.0.0.1:$ZK"
KPID_1=$KPID
wait_ready "$PORT" "$KPID_1" 300 >/dev/null

log "importing $CHUNKS files (mode=merge)"
t0=$(date +%s.%N)
for f in "$WORK"/inv/inventory-*.yml; do
    v=$(import_inv "$K" "$f" merge)
    log "  $(basename "$f"): $v s $(head -c 160 "$WORK/import-response.json")"
done
set_r import.s "$(secs_since "$t0")"
set_r hosts.seen "$(metric kook_mirror_hosts)"
set_r heap.kook "$(heap_mb "$KPID_1")"
set_r heap.zk "$(heap_mb "$ZPID")"

log "the first render (nothing rendered yet), then per new revision: a write, then the inventory at it, 10 times"
set_r render.first "$(curl -s "${AUTH[@]}" -H 'Accept-Encoding: gzip' -o /dev/null -w '%{time_starttransfer}' "$K/ansible/inventory")"
mapfile -t SOME_HOSTS < <(shuf -n 10 --random-source=<(yes) "$WORK/inv/hosts.txt")
RENDERS=()
for h in "${SOME_HOSTS[@]}"; do
    rev=$(curl -s "${AUTH[@]}" -o /dev/null -D - -XPATCH "$K/hosts/$h" -H 'Content-Type: application/merge-patch+json' \
        -d '{"vars":{"bench_render":1}}' | awk 'tolower($1) == "x-kook-revision:" { gsub(/\r/, ""); print $2 }')
    [ -n "$rev" ] || die "write to $h gave no revision"
    RENDERS+=("$(curl -s "${AUTH[@]}" -H 'Accept-Encoding: gzip' -o /dev/null -w '%{time_starttransfer}' \
        "$K/ansible/inventory?minRevision=$rev")")
done
set_r render.all "$(printf '%s ' "${RENDERS[@]}")"
set_r render.max "$(printf '%s\n' "${RENDERS[@]}" | sort -g | tail -n 1)"
set_r render.median "$(printf '%s\n' "${RENDERS[@]}" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
set_r doc.bytes "$(curl -s "${AUTH[@]}" -o /dev/null -w '%{size_download}' "$K/ansible/inventory")"
set_r docgz.bytes "$(curl -s "${AUTH[@]}" -H 'Accept-Encoding: gzip' -o /dev/null -w '%{size_download}' "$K/ansible/inventory")"

log "serving under $WRITE_RATE writes/s for $SECONDS_UNDER_WRITES s"
SERVE=$(java -Xmx1g -cp "$CP" io.kook.bench.ServeUnderWrites --url "$K" --token "$TOKEN" \
    --hosts "$WORK/inv/hosts.txt" --writes-per-second "$WRITE_RATE" --readers 2 --seconds "$SECONDS_UNDER_WRITES")
set_r serve "$SERVE"
field() { echo "$SERVE" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
set_r heap.kook.after "$(heap_mb "$KPID_1")"

log "restart: Kook and ZooKeeper stopped, ZooKeeper reloads, then Kook primes"
stop_pid "$KPID_1"
stop_pid "$ZPID"
start_zk
set_r zk.reload.s "$(wait_zk)"
set_r zk.snapshot.mb "$(find "$WORK/zk/version-2" -name 'snapshot.*' -printf '%T@ %s\n' | sort -n | tail -n 1 \
    | awk '{ printf "%.0f", $2 / 1048576 }')"
start_kook k2 "$PORT" --spring.cloud.zookeeper.connect-string="127.0.0.1:$ZK"
KPID_2=$KPID
set_r restart.s "$(try_ready "$PORT" "$KPID_2" 600)"
set_r restart.hosts "$(metric kook_mirror_hosts)"
set_r heap.kook.restarted "$(heap_mb "$KPID_2")"
set_r heap.zk.restarted "$(heap_mb "$ZPID")"
stop_pid "$KPID_2"
stop_pid "$ZPID"

g() { echo "${R[$1]:-n/a}"; }
{
    echo "# Kook at $HOSTS hosts"
    echo
    echo "- command: \`src/bench/million.sh${ARGS:+ $ARGS}\` at commit $(cd "$ROOT" && git rev-parse --short HEAD)"
    echo "- machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM; $(java -version 2>&1 | head -n 1); Kook -Xmx$KOOK_HEAP, ZooKeeper -Xmx$ZK_HEAP"
    echo "- load average at start / end: $LOAD_START / $(cut -d' ' -f1-3 /proc/loadavg); run took $(( $(date +%s) - T_START )) s; logs in $WORK"
    echo "- $GEN_LINE"
    echo "- document: $(g doc.bytes) bytes, gzip $(g docgz.bytes) bytes"
    echo
    echo "| measurement | Kook | target | verdict |"
    echo "|---|---|---|---|"
    echo "| import, $CHUNKS merge imports | $(g import.s) s ($(g hosts.seen) hosts in the mirror) | measured | – |"
    echo "| Kook heap after full GC | $(g heap.kook) MB (after the load: $(g heap.kook.after) MB; restarted: $(g heap.kook.restarted) MB) | ≤ 3072 MB | $(verdict "$(g heap.kook)" "<=" 3072) |"
    echo "| inventory at a new revision (write, then GET ?minRevision, gzip, time to first byte) | median $(g render.median) s, max $(g render.max) s (the first render, from nothing: $(g render.first) s) | ≤ 2 s | $(verdict "$(g render.max)" "<=" 2) |"
    echo "| served under $WRITE_RATE writes/s, 2 readers, ${SECONDS_UNDER_WRITES} s | $(field reads_per_s) req/s (read p50 $(field read_p50_ms) ms) | ≥ 2 req/s | $(verdict "$(field reads_per_s)" ">=" 2) |"
    echo "| age of the documents served (oldest acknowledged write missing) | p99 $(field age_p99_ms) ms, max $(field age_max_ms) ms | ≤ 2000 ms | $(verdict "$(field age_max_ms)" "<=" 2000) |"
    echo "| ready after restart (Kook primes from a reloaded ZooKeeper) | $(g restart.s) s ($(g restart.hosts) hosts) | ≤ 60 s | $(verdict "$(g restart.s)" "<=" 60) |"
    echo "| ZooKeeper: reload to serving / snapshot / heap after GC | $(g zk.reload.s) s / $(g zk.snapshot.mb) MB / $(g heap.zk) MB (restarted: $(g heap.zk.restarted) MB) | stated | – |"
} >"$OUT"
echo
cat "$OUT"
log "report saved to $OUT"
