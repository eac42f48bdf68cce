#!/usr/bin/env bash
# Kook benchmark harness: how far the mirror design is ahead of a cache-less one, side by side in one run.
#
#   src/bench/run.sh [--quick] [--hosts 10000] [--groups 500] [--seed 42] [--duration S] [--warmup S]
#                    [--big | --no-big] [--big-hosts 100000] [--no-jmh] [--out FILE]
#
#   --quick       10k hosts, 5 s wrk runs (5 s warm-up), short JMH, no 100k phase: a few minutes
#   (default)     30 s wrk runs (10 s warm-up), full JMH, plus the 100k phase (heap, restart to ready)
#   --big/--no-big  force the 100k phase (heap after GC, restart to readiness) on or off
#   --only-big    only the 100k phase. KOOK_JAVA_OPTS (e.g. -Djute.maxbuffer=16777216) goes to every replica
#
# Needs JDK 17, wrk, nginx (run in the foreground from a private prefix), curl. Everything binds 127.0.0.1.
# The Markdown report is printed at the end and saved to --out (default /tmp/kook-bench-<time>.md).
set -euo pipefail

HOSTS=10000
NGROUPS=500
SEED=42
QUICK=0
BIG=auto
BIG_HOSTS=100000
JMH=1
ONLY_BIG=0
AUTH_ROUNDS=3
AUTH_WARM=3
DURATION=
WARMUP=
OUT=/tmp/kook-bench-$(date +%Y%m%d-%H%M%S).md
ARGS="$*"
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --hosts) HOSTS=$2; shift ;;
        --groups) NGROUPS=$2; shift ;;
        --seed) SEED=$2; shift ;;
        --duration) DURATION=$2; shift ;;
        --warmup) WARMUP=$2; shift ;;
        --big) BIG=1 ;;
        --no-big) BIG=0 ;;
        --big-hosts) BIG_HOSTS=$2; shift ;;
        --no-jmh) JMH=0 ;;
        --only-big) ONLY_BIG=1; BIG=1; JMH=0 ;;
        --auth-rounds) AUTH_ROUNDS=$2; shift ;;
        --auth-warm) AUTH_WARM=$2; shift ;;
        --out) OUT=$2; shift ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done
if [ "$QUICK" = 1 ]; then
    : "${DURATION:=5}" "${WARMUP:=5}"
    CACHELESS_ITER=5; ZK_SECONDS=5; LAG_WRITES=1000
    JMH_OPTS=(-wi 2 -i 3 -w 1s -r 1s -f 1)
    [ "$BIG" = auto ] && BIG=0
else
    : "${DURATION:=30}" "${WARMUP:=10}"
    CACHELESS_ITER=20; ZK_SECONDS=20; LAG_WRITES=1000
    JMH_OPTS=(-wi 3 -i 5 -w 2s -r 2s -f 1)
    [ "$BIG" = auto ] && BIG=1
fi
THREADS=2            # wrk threads (the machine has few cores; the same for Kook and nginx)
READ_CONNS=16
HOST_CONNS=32
WRITE_CONNS=16

source "$(dirname "$0")/lib.sh"

for tool in java jcmd wrk nginx curl; do
    command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install wrk nginx; JDK 17)"
done
build_all

for var in PORT_A ZK_A PORT_B NGINX_PORT PORT_C ZK_C PORT_D; do pick_port "$var"; done
A=http://127.0.0.1:$PORT_A
B=http://127.0.0.1:$PORT_B
NG=http://127.0.0.1:$NGINX_PORT

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date +%s)

GEN_LINE=n/a; INV_BYTES=n/a; GZ_BYTES=n/a; HOST_BYTES=n/a
if [ "$ONLY_BIG" = 0 ]; then
# ---------------------------------------------------------------- JMH first, while nothing else runs
if [ "$JMH" = 1 ]; then
    log "JMH microbenchmarks (${JMH_OPTS[*]})"
    bench_java org.openjdk.jmh.Main "${JMH_OPTS[@]}" -rf csv -rff "$WORK/jmh.csv" \
        'io\.kook\.(ansible\.InventoryRenderBench|mirror\.SnapshotMergeBench|bench\.jmh\.EffectiveVarsBench)' \
        >"$WORK/jmh.txt" 2>&1 || die "JMH (see $WORK/jmh.txt)"
    tail -n 12 "$WORK/jmh.txt" >&2
fi

# ---------------------------------------------------------------- inventory
log "generating $HOSTS hosts / $NGROUPS groups (seed $SEED)"
mkdir -p "$WORK/inv"
GEN_LINE=$(bench_java io.kook.bench.InventoryGenerator --hosts "$HOSTS" --groups "$NGROUPS" --seed "$SEED" --out "$WORK/inv")
log "  $GEN_LINE"

log "starting Kook A (:$PORT_A, embedded ZooKeeper :$ZK_A)"
start_kook a "$PORT_A" --kook.zookeeper.embedded.port="$ZK_A" --kook.zookeeper.embedded.data-dir="$WORK/zk-a"
PID_A=$KPID
v=$(wait_ready "$PORT_A" "$PID_A" 120)
set_r start.a "$v"
log "importing $(du -h "$WORK/inv/inventory.yml" | cut -f1) of YAML"
v=$(import_inv "$A" "$WORK/inv/inventory.yml")
set_r import.s "$v"
log "  $(cat "$WORK/import-response.json")"

# the identical bytes, for nginx
mkdir -p "$WORK/www"
curl -sf "${AUTH[@]}" "$A/ansible/inventory" -D "$WORK/inv-headers.txt" -o "$WORK/www/inventory.json"
curl -sf "${AUTH[@]}" -H 'Accept-Encoding: gzip' "$A/ansible/inventory" -o "$WORK/www/inventory.json.gz"
gzip -t "$WORK/www/inventory.json.gz" || die "Kook's gzip answer is not gzip"
ETAG=$(awk -F': ' 'tolower($1) == "etag" { print $2 }' "$WORK/inv-headers.txt" | tr -d '\r')
FIRST_HOST=$(head -n 1 "$WORK/inv/hosts.txt")
curl -sf "${AUTH[@]}" "$A/hosts/$FIRST_HOST" -o "$WORK/www/host.json"
touch -r "$WORK/www/inventory.json" "$WORK/www/inventory.json.gz"
chmod -R a+rX "$WORK/www"
INV_BYTES=$(stat -c %s "$WORK/www/inventory.json"); GZ_BYTES=$(stat -c %s "$WORK/www/inventory.json.gz")
HOST_BYTES=$(stat -c %s "$WORK/www/host.json")
log "  inventory $INV_BYTES bytes, gzip $GZ_BYTES bytes, ETag $ETAG, host.json $HOST_BYTES bytes"

# ---------------------------------------------------------------- nginx, foreground, private prefix
mkdir -p "$WORK/nginx/tmp" "$WORK/nginx/logs"
cat >"$WORK/nginx/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx/tmp/body;
    proxy_temp_path $WORK/nginx/tmp/proxy;
    fastcgi_temp_path $WORK/nginx/tmp/fastcgi;
    uwsgi_temp_path $WORK/nginx/tmp/uwsgi;
    scgi_temp_path $WORK/nginx/tmp/scgi;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    keepalive_timeout 65;
    types { application/json json; }
    default_type application/json;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORK/www;
        gzip_static on;
        gzip_vary on;
    }
}
EOF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/logs/error.log" &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
for _ in $(seq 50); do curl -sf "$NG/host.json" >/dev/null 2>&1 && break; sleep 0.1; done
cmp -s <(curl -s "$NG/inventory.json") "$WORK/www/inventory.json" || die "nginx does not serve the inventory"
cmp -s <(curl -s -H 'Accept-Encoding: gzip' "$NG/inventory.json") "$WORK/www/inventory.json.gz" \
    || die "nginx does not serve the pre-made gzip"
NGINX_ETAG=$(curl -sI "$NG/inventory.json" | awk -F': ' 'tolower($1) == "etag" { print $2 }' | tr -d '\r')

# ---------------------------------------------------------------- 1-3: reads
log "1. GET /ansible/inventory (${DURATION}s each, $READ_CONNS connections)"
wrk_measure inv.kook "$A/ansible/inventory" -c"$READ_CONNS" "${AUTH[@]}"
wrk_measure inv.nginx "$NG/inventory.json" -c"$READ_CONNS"
wrk_measure invgz.kook "$A/ansible/inventory" -c"$READ_CONNS" "${AUTH[@]}" -H 'Accept-Encoding: gzip'
wrk_measure invgz.nginx "$NG/inventory.json" -c"$READ_CONNS" -H 'Accept-Encoding: gzip'

log "2. GET /hosts/{random} ($HOST_CONNS connections)"
wrk_measure host.kook "$A" -c"$HOST_CONNS" "${AUTH[@]}" -s "$BENCH/wrk/hosts.lua" -- "$WORK/inv/hosts.txt"
wrk_measure host.nginx "$NG/host.json" -c"$HOST_CONNS"

log "3. conditional GET /ansible/inventory, If-None-Match: $ETAG"
[ "$(curl -s -o /dev/null -w '%{http_code}' "${AUTH[@]}" -H "If-None-Match: $ETAG" "$A/ansible/inventory")" = 304 ] || die "no 304 from Kook"
wrk_measure cond.kook "$A/ansible/inventory" -c"$HOST_CONNS" "${AUTH[@]}" -H "If-None-Match: $ETAG"
wrk_measure cond.nginx "$NG/inventory.json" -c"$HOST_CONNS" -H "If-None-Match: $NGINX_ETAG"
stop_pid "$NGINX_PID"

# ---------------------------------------------------------------- 5: the cache-less baseline
log "5. cache-less baseline: --list built from ZooKeeper per request ($CACHELESS_ITER sequential builds)"
CL_LINE=$(bench_java io.kook.bench.CachelessInventory --connect "127.0.0.1:$ZK_A" --root /kook \
    --iterations "$CACHELESS_ITER" --seconds 120 --out "$WORK/cacheless.json" | grep '^cacheless ')
log "  $CL_LINE"
set_r cacheless.rps "$(sed -E 's/.*req_per_s=([^ ]+).*/\1/' <<<"$CL_LINE")"
set_r cacheless.p50 "$(sed -E 's/.*p50_ms=([^ ]+).*/\1/' <<<"$CL_LINE")"
if cmp -s "$WORK/cacheless.json" "$WORK/www/inventory.json"; then set_r cacheless.same yes; else set_r cacheless.same NO; fi

# ---------------------------------------------------------------- 7a: heap at N hosts
log "7. heap after full GC, $HOSTS hosts (replica A includes the embedded ZooKeeper server)"
set_r heap.a "$(heap_mb "$PID_A")"

# ---------------------------------------------------------------- 4: writes
log "4. writes: PUT /groups/{g}/hosts/{h}, $WRITE_CONNS connections, vs raw ZooKeeper creates"
if [ "$WARMUP" != 0 ]; then
    wrk -t"$THREADS" -c"$WRITE_CONNS" -d"${WARMUP}s" "${AUTH[@]}" -s "$BENCH/wrk/writes.lua" "$A" -- \
        "$WORK/inv/pairs.txt" "$THREADS" 60000 >/dev/null 2>&1 || true
fi
wrk_lua write.kook "$A" "$BENCH/wrk/writes.lua" "$WRITE_CONNS" -- "$WORK/inv/pairs.txt" "$THREADS" 0
ZK_LINE=$(bench_java io.kook.bench.ZkCreateBench --connect "127.0.0.1:$ZK_A" --threads "$WRITE_CONNS" \
    --seconds "$ZK_SECONDS" --warmup 2 | grep '^zkcreate ')
log "  $ZK_LINE"
set_r write.zk "$(sed -E 's/.*ops_per_s=([^ ]+).*/\1/' <<<"$ZK_LINE")"

# ---------------------------------------------------------------- 6: propagation lag
log "6. replica B (:$PORT_B) on A's ZooKeeper; propagation lag over $LAG_WRITES writes"
start_kook b "$PORT_B" --spring.cloud.zookeeper.connect-string="127.0.0.1:$ZK_A"
PID_B=$KPID
v=$(wait_ready "$PORT_B" "$PID_B" 120)
set_r start.b "$v"
LAG_LINE=$(bench_java io.kook.bench.LagProbe --token "$TOKEN" --a "$A" --b "$B" --hosts "$WORK/inv/hosts.txt" --writes 200 >/dev/null
           bench_java io.kook.bench.LagProbe --token "$TOKEN" --a "$A" --b "$B" --hosts "$WORK/inv/hosts.txt" --writes "$LAG_WRITES" | grep '^lag ')
log "  $LAG_LINE"
set_r lag.p50 "$(sed -E 's/.*lag writes=[0-9]+ p50_ms=([^ ]+).*/\1/' <<<"$LAG_LINE")"
set_r lag.p99 "$(sed -E 's/.* p99_ms=([^ ]+).*/\1/' <<<"$LAG_LINE")"
set_r lag.errors "$(sed -E 's/.*errors=([0-9]+).*/\1/' <<<"$LAG_LINE")"
set_r heap.b "$(heap_mb "$PID_B")"

# ---------------------------------------------------------------- 8: what a token costs
# B serves no ZooKeeper and no writes here: the same host reads with a token, then on B restarted without security
# B restarted for every measurement, alternating with and without security, so the machine's drift hits both
# alike; the medians are compared. Each fresh B is first warmed in bursts with idle gaps: on two cores that the
# load saturates, the JIT's compiler threads get little CPU, and a replica measured straight after its start
# runs half-compiled code (host reads of a fresh B climb from ~5k to ~20k req/s over three bursts)
log "8. GET /hosts/{random} on B, $AUTH_ROUNDS rounds: restarted with a bearer token, then with kook.security.enabled=false"
stop_pid "$PID_B"
AUTH_RPS=(); OPEN_RPS=()
for round in $(seq "$AUTH_ROUNDS"); do
    for mode in auth open; do
        if [ "$mode" = auth ]; then extra=(); hdr=("${AUTH[@]}"); else extra=(--kook.security.enabled=false); hdr=(); fi
        start_kook "b-$mode-$round" "$PORT_B" --spring.cloud.zookeeper.connect-string="127.0.0.1:$ZK_A" "${extra[@]}"
        PID_B=$KPID
        wait_ready "$PORT_B" "$PID_B" 120 >/dev/null
        for burst in $(seq "$AUTH_WARM"); do
            wrk -t"$THREADS" -c"$HOST_CONNS" -d"${WARMUP}s" "${hdr[@]}" -s "$BENCH/wrk/hosts.lua" "$B" -- \
                "$WORK/inv/hosts.txt" >/dev/null 2>&1 || true
            sleep 5
        done
        wrk_measure "hostb.$mode.$round" "$B" -c"$HOST_CONNS" "${hdr[@]}" -s "$BENCH/wrk/hosts.lua" -- "$WORK/inv/hosts.txt"
        if [ "$mode" = auth ]; then AUTH_RPS+=("${R[hostb.auth.$round.rps]}"); else OPEN_RPS+=("${R[hostb.open.$round.rps]}"); fi
        stop_pid "$PID_B"
    done
done
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
set_r hostb.auth.rps "$(median "${AUTH_RPS[@]}")"
set_r hostb.open.rps "$(median "${OPEN_RPS[@]}")"
R[hostb.auth.all]="${AUTH_RPS[*]}"; R[hostb.open.all]="${OPEN_RPS[*]}"
stop_pid "$PID_A"

fi   # ONLY_BIG

# ---------------------------------------------------------------- 7b: 100k hosts
if [ "$BIG" = 1 ]; then
    log "7. $BIG_HOSTS hosts: import, heap, restart to readiness"
    mkdir -p "$WORK/big"
    log "  $(bench_java io.kook.bench.InventoryGenerator --hosts "$BIG_HOSTS" --groups "$NGROUPS" --seed "$SEED" --pairs 0 --out "$WORK/big")"
    start_kook c "$PORT_C" --kook.zookeeper.embedded.port="$ZK_C" --kook.zookeeper.embedded.data-dir="$WORK/zk-c"
    PID_C=$KPID
    v=$(wait_ready "$PORT_C" "$PID_C" 120)
    v=$(import_inv "http://127.0.0.1:$PORT_C" "$WORK/big/inventory.yml")
    set_r big.import.s "$v"
    log "  $(cat "$WORK/import-response.json")"
    set_r big.heap.c "$(heap_mb "$PID_C")"
    start_kook d "$PORT_D" --spring.cloud.zookeeper.connect-string="127.0.0.1:$ZK_C"
    PID_D=$KPID
    v=$(try_ready "$PORT_D" "$PID_D" 120)
    set_r big.ready.d "$v"
    if kill -0 "$PID_D" 2>/dev/null; then set_r big.heap.d "$(heap_mb "$PID_D")"; else set_r big.heap.d "n/a (not ready)"; fi
    stop_pid "$PID_D"
    stop_pid "$PID_C"
    log "  restarting C on its data ($BIG_HOSTS hosts)"
    start_kook c2 "$PORT_C" --kook.zookeeper.embedded.port="$ZK_C" --kook.zookeeper.embedded.data-dir="$WORK/zk-c"
    PID_C=$KPID
    v=$(try_ready "$PORT_C" "$PID_C" 120)
    set_r big.restart.s "$v"
    HOSTS_SEEN=$(curl -s "${AUTH[@]}" --max-time 5 "http://127.0.0.1:$PORT_C/actuator/prometheus" | awk '/^kook_mirror_hosts/ { printf "%d", $2 }')
    set_r big.restart.hosts "${HOSTS_SEEN:-0}"
    stop_pid "$PID_C"
fi

# ---------------------------------------------------------------- report
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
ELAPSED=$(( $(date +%s) - T_START ))
CMD="src/bench/run.sh${ARGS:+ $ARGS}"
g() { echo "${R[$1]:-n/a}"; }
r_inv=$(ratio "$(g inv.kook.rps)" "$(g inv.nginx.rps)")
r_invgz=$(ratio "$(g invgz.kook.rps)" "$(g invgz.nginx.rps)")
r_host=$(ratio "$(g host.kook.rps)" "$(g host.nginx.rps)")
r_cond=$(ratio "$(g cond.kook.rps)" "$(g cond.nginx.rps)")
r_cl=$(ratio "$(g inv.kook.rps)" "$(g cacheless.rps)")
r_clgz=$(ratio "$(g invgz.kook.rps)" "$(g cacheless.rps)")
r_wr=$(ratio "$(g write.kook.rps)" "$(g write.zk)")
auth_cost=$(awk -v a="$(g hostb.auth.rps)" -v o="$(g hostb.open.rps)" 'BEGIN { if (a == "n/a" || o == "n/a" || o == 0) print "n/a"; else { c = 100 * (1 - a / o); printf "%.1f", c < 0 ? 0 : c } }')
{
    echo "# Kook benchmark"
    echo
    echo "- command: \`$CMD\` (args: hosts=$HOSTS groups=$NGROUPS seed=$SEED, wrk ${DURATION}s after ${WARMUP}s warm-up, -t$THREADS)"
    echo "- machine: $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr)"
    echo "- replicas' extra JVM options (KOOK_JAVA_OPTS): ${KOOK_JAVA_OPTS:-none}"
    echo "- software: $(java -version 2>&1 | head -n 1), $(wrk -v 2>&1 | head -n 1 | cut -d' ' -f1-2), $(nginx -v 2>&1 | cut -d' ' -f3)"
    echo "- load average at start / end: $LOAD_START / $LOAD_END (the machine is shared: numbers are noisy)"
    echo "- $GEN_LINE"
    echo "- inventory document: $INV_BYTES bytes, gzip $GZ_BYTES bytes; import (replace) took $(g import.s) s; Kook A ready in $(g start.a) s (empty)"
    echo "- cache-less answer byte-identical to Kook's: $(g cacheless.same); run took ${ELAPSED}s; raw logs in $WORK"
    echo
    echo "| # | measurement | Kook | reference | Kook / reference | target | verdict |"
    echo "|---|---|---|---|---|---|---|"
    echo "| 1 | GET /ansible/inventory req/s ($READ_CONNS conns) | $(num "$(g inv.kook.rps)") (p99 $(g inv.kook.p99) ms) | nginx static $(num "$(g inv.nginx.rps)") (p99 $(g inv.nginx.p99) ms) | ${r_inv}× | ≥ 0.7× | $(verdict "$r_inv" ">=" 0.7) |"
    echo "| 1 | same, Accept-Encoding: gzip | $(num "$(g invgz.kook.rps)") (p99 $(g invgz.kook.p99) ms) | nginx gzip_static $(num "$(g invgz.nginx.rps)") (p99 $(g invgz.nginx.p99) ms) | ${r_invgz}× | ≥ 0.7× | $(verdict "$r_invgz" ">=" 0.7) |"
    echo "| 2 | GET /hosts/{random} req/s ($HOST_CONNS conns) | $(num "$(g host.kook.rps)") (p99 $(g host.kook.p99) ms) | nginx one $HOST_BYTES-byte file $(num "$(g host.nginx.rps)") (p99 $(g host.nginx.p99) ms) | ${r_host}× | ≥ 0.5× | $(verdict "$r_host" ">=" 0.5) |"
    echo "| 3 | GET /ansible/inventory If-None-Match → 304, req/s | $(num "$(g cond.kook.rps)") (p99 $(g cond.kook.p99) ms) | nginx 304 $(num "$(g cond.nginx.rps)") (p99 $(g cond.nginx.p99) ms) | ${r_cond}× | ≥ 0.5× | $(verdict "$r_cond" ">=" 0.5) |"
    echo "| 4 | writes PUT /groups/{g}/hosts/{h} ops/s ($WRITE_CONNS conns) | $(num "$(g write.kook.rps)") (p99 $(g write.kook.p99) ms, $(g write.kook.bad) errors) | raw ZooKeeper create, $WRITE_CONNS threads $(num "$(g write.zk)") | ${r_wr}× | ≥ 0.5× | $(verdict "$r_wr" ">=" 0.5) |"
    echo "| 5 | inventory req/s vs cache-less build per request | $(num "$(g inv.kook.rps)") | cache-less $(g cacheless.rps) req/s (p50 $(g cacheless.p50) ms, sequential) | ${r_cl}× (gzip: ${r_clgz}×) | ≥ 100× | $(verdict "$r_cl" ">=" 100) |"
    echo "| 6 | propagation lag A → B, $LAG_WRITES writes | p50 $(g lag.p50) ms, p99 $(g lag.p99) ms ($(g lag.errors) errors) | – | – | p99 < 50 ms | $(verdict "$(g lag.p99)" "<" 50) |"
    echo "| 8 | GET /hosts/{random} on replica B with a bearer token, median req/s of $AUTH_ROUNDS fresh starts | $(num "$(g hostb.auth.rps)") ($(g hostb.auth.all)) | B without security $(num "$(g hostb.open.rps)") ($(g hostb.open.all)) | cost ${auth_cost} % | < 5 % | $(verdict "$auth_cost" "<" 5) |"
    echo "| 7 | heap after full GC, $HOSTS hosts: Kook-only replica B | $(g heap.b) MB | (A with embedded ZooKeeper: $(g heap.a) MB) | – | ≤ 300 MB | $(verdict "$(g heap.b)" "<=" 300) |"
    if [ "$BIG" = 1 ]; then
        echo "| 7 | heap after full GC, $BIG_HOSTS hosts: Kook-only replica D | $(g big.heap.d) MB | (C with embedded ZooKeeper: $(g big.heap.c) MB) | – | ≤ 1536 MB | $(verdict "$(g big.heap.d)" "<=" 1536) |"
        echo "| 7 | restart to readiness, $BIG_HOSTS hosts (embedded ZooKeeper reload + mirror prime) | $(g big.restart.s) s ($(g big.restart.hosts) hosts) | D primed from a remote ZooKeeper in $(g big.ready.d) s (JVM start included) | – | < 20 s | $(verdict "$(g big.restart.s)" "<" 20) |"
        echo "| 7 | import of $BIG_HOSTS hosts (replace) | $(g big.import.s) s | – | – | – | – |"
    fi
    if [ "$JMH" = 1 ] && [ -f "$WORK/jmh.csv" ]; then
        echo
        echo "JMH (${JMH_OPTS[*]}), average time per operation:"
        echo
        echo "| benchmark | hosts | score | ± error | unit |"
        echo "|---|---|---|---|---|"
        awk -F, 'NR > 1 { gsub(/"/, ""); n = split($1, p, "."); printf "| %s.%s | %s | %.3f | %.3f | %s |\n", p[n - 1], p[n], $NF, $5, $6, $7 }' "$WORK/jmh.csv"
    fi
} >"$OUT"
echo
cat "$OUT"
echo
log "report saved to $OUT"
