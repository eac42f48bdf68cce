# Shared by the bench scripts (sourced, never run): work dir, ports, results, the build, replicas.
# The sourcing script sets `set -euo pipefail`, checks its tools and calls build_all.

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BENCH=$ROOT/src/bench
WORK=$(mktemp -d /tmp/kook-bench.XXXXXX)
chmod 755 "$WORK"    # nginx workers (nobody) read the static files under it
PIDS=()
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

cleanup() {
    local pid
    for pid in "${PIDS[@]:-}"; do
        [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]:-}"; do
        [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# ---------------------------------------------------------------- ports
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
next_port=$((20000 + RANDOM % 20000))
pick_port() { # variable name: the next free port from a random start
    while ! port_free "$next_port"; do next_port=$((next_port + 1)); done
    printf -v "$1" '%s' "$next_port"; next_port=$((next_port + 1))
}

# ---------------------------------------------------------------- results
declare -A R
set_r() { R[$1]=$2; log "  $1 = $2"; }
num() { awk -v v="$1" 'BEGIN { if (v == "" || v == "n/a") print "n/a"; else printf "%.1f", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.2f", a / b }'; }
verdict() { # value op target
    awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN {
        if (v == "" || v ~ /^n\/a/) { print "n/a"; exit }
        if (v !~ /^[0-9.]+$/) { print "**MISSED**"; exit }
        ok = (op == ">=" && v + 0 >= t + 0) || (op == "<" && v + 0 < t + 0) || (op == "<=" && v + 0 <= t + 0)
        print ok ? "met" : "**MISSED**" }'
}

# ---------------------------------------------------------------- build
build_all() { # the service jar and the bench classes, private copies in $WORK; sets CP
    log "building the service jar and the bench classes (work dir $WORK)"
    # target/ may be shared with other builds: a build that fails is tried once more
    (cd "$ROOT" && { ./mvnw -B -ntp -q package -DskipTests || ./mvnw -B -ntp -q package -DskipTests; }) >"$WORK/build.log" 2>&1 \
        || { tail -n 40 "$WORK/build.log" >&2; die "service build"; }
    cp "$ROOT/target/kook-0.1.0-SNAPSHOT.jar" "$WORK/kook.jar"     # private copies: other builds may rewrite target/
    # the bench profile compiles into target/bench: src/bench/java as test sources, JMH's annotation processor
    bench_build() { ./mvnw -B -ntp -q -Pbench test-compile dependency:build-classpath \
        -Dmdep.outputFile="$WORK/deps.txt" -Dmdep.includeScope=test; }
    (cd "$ROOT" && { bench_build || bench_build; }) >>"$WORK/build.log" 2>&1 || { tail -n 40 "$WORK/build.log" >&2; die "bench build"; }
    cp -r "$ROOT/target/bench/classes" "$WORK/classes"
    cp -r "$ROOT/target/bench/test-classes" "$WORK/test-classes"
    [ -f "$WORK/test-classes/META-INF/BenchmarkList" ] || die "no JMH BenchmarkList in target/bench/test-classes"
    CP="$WORK/test-classes:$WORK/classes:$(cat "$WORK/deps.txt")"
}
bench_java() { # tools print one result line on stdout; logs go to stderr at WARN
    java -Xmx2g -Djava.net.preferIPv4Stack=true -Dlogback.configurationFile="$BENCH/logback-bench.xml" -cp "$CP" "$@"
}

# ---------------------------------------------------------------- helpers
KOOK_JAVA_OPTS=${KOOK_JAVA_OPTS:-}
# every replica starts secure with one known bootstrap (admin) token, which every request of the run sends
TOKEN=kook-bench-$RANDOM$RANDOM$RANDOM
AUTH=(-H "Authorization: Bearer $TOKEN")
start_kook() { # name port log-file args...: starts a replica in the background, echoes nothing, sets KPID
    local name=$1 port=$2; shift 2
    # shellcheck disable=SC2086
    java $KOOK_JAVA_OPTS -jar "$WORK/kook.jar" --server.port="$port" --spring.main.banner-mode=off \
        --kook.security.bootstrap-token="$TOKEN" --kook.security.bootstrap-token-file="$WORK/token-$name" "$@" \
        >"$WORK/kook-$name.log" 2>&1 &
    KPID=$!
    PIDS+=("$KPID")
}
wait_ready() { # port pid timeout-s -> prints seconds waited
    local port=$1 pid=$2 limit=$3 start now
    start=$(date +%s.%N)
    while true; do
        if curl -sf "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; then break; fi
        kill -0 "$pid" 2>/dev/null || die "Kook on :$port exited (see $WORK/kook-*.log)"
        now=$(date +%s.%N)
        awk -v s="$start" -v n="$now" -v l="$limit" 'BEGIN { exit !(n - s > l) }' && die "Kook on :$port not ready in ${limit}s"
        sleep 0.1
    done
    now=$(date +%s.%N)
    awk -v s="$start" -v n="$now" 'BEGIN { printf "%.1f", n - s }'
}
stop_pid() { # TERM, and KILL after 30 s (a replica stuck reconnecting may not finish its shutdown)
    kill "$1" 2>/dev/null || return 0
    local i
    for i in $(seq 300); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}
try_ready() { # port pid timeout-s -> seconds, or "not ready after Ns" (the replica is stopped); never fails
    local port=$1 pid=$2 limit=$3 start now
    start=$(date +%s.%N)
    while ! curl -sf "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; do
        now=$(date +%s.%N)
        if ! kill -0 "$pid" 2>/dev/null || awk -v s="$start" -v n="$now" -v l="$limit" 'BEGIN { exit !(n - s > l) }'; then
            stop_pid "$pid"
            echo "not ready after ${limit}s"
            return 0
        fi
        sleep 0.1
    done
    now=$(date +%s.%N)
    awk -v s="$start" -v n="$now" 'BEGIN { printf "%.1f", n - s }'
}
heap_mb() { # pid -> MB used after a full GC
    jcmd "$1" GC.run >/dev/null
    jcmd "$1" GC.heap_info | awk '/ heap / && /used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); printf "%.0f", v / 1024; exit } }'
}
import_inv() { # base-url file [mode] -> prints seconds; fails unless 200
    local out code secs
    out=$(curl -s "${AUTH[@]}" -o "$WORK/import-response.json" -w '%{http_code} %{time_total}' -XPOST "$1/ansible/inventory?mode=${3:-replace}" \
        -H 'Content-Type: application/yaml' --data-binary @"$2")
    code=${out%% *}; secs=${out#* }
    [ "$code" = 200 ] || die "import answered $code: $(head -c 500 "$WORK/import-response.json")"
    printf '%.1f' "$secs"
}
to_ms() { # wrk latency (850.00us, 12.5ms, 1.2s, 1.1m) -> ms
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.2f", v * 60000 }
        else print "n/a" }'
}
wrk_results() { # key: R[key.rps], R[key.p99], R[key.bad] from $WORK/wrk-key.txt
    local key=$1 bad errors
    set_r "$key.rps" "$(awk '/^Requests\/sec/ { print $2 }' "$WORK/wrk-$key.txt")"
    set_r "$key.p99" "$(to_ms "$(awk '$1 == "99%" { print $2 }' "$WORK/wrk-$key.txt")")"
    bad=$(awk '/Non-2xx or 3xx/ { print $NF }' "$WORK/wrk-$key.txt")
    errors=$(awk '/Socket errors/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$WORK/wrk-$key.txt")
    set_r "$key.bad" "$(( ${bad:-0} + ${errors:-0} ))"
}
wrk_measure() { # key url [wrk args...]: warm-up run, then the measured one; sets R[key.rps], R[key.p99], R[key.bad]
    local key=$1 url=$2; shift 2
    if [ "$WARMUP" != 0 ]; then wrk -t"$THREADS" -d"${WARMUP}s" "$url" "$@" >/dev/null 2>&1 || true; fi
    wrk -t"$THREADS" -d"${DURATION}s" --latency --timeout 10s "$url" "$@" >"$WORK/wrk-$key.txt" 2>&1 || die "wrk $key"
    wrk_results "$key"
}
wrk_lua() { # key url script conns -- args...: measured run only (the warm-up is the caller's)
    local key=$1 url=$2 script=$3 conns=$4; shift 4
    wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --latency --timeout 10s "${AUTH[@]}" -s "$script" "$url" "$@" \
        >"$WORK/wrk-$key.txt" 2>&1 || die "wrk $key"
    wrk_results "$key"
}
