#!/usr/bin/env bash
# Where a membership write's CPU goes: one replica with its embedded ZooKeeper, 10k hosts, the write load of
# run.sh (PUT /groups/{g}/hosts/{h}, 16 connections) under a JFR recording, then the samples by thread and by
# the first Kook frame on the stack.
#
#   src/bench/profile-writes.sh [--seconds 30] [--out FILE]
#
# Needs JDK 17 (jfr, jcmd), wrk, curl and python3.
set -euo pipefail

SECONDS_MEASURED=30
OUT=/tmp/kook-profile-writes-$(date +%Y%m%d-%H%M%S).md
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) SECONDS_MEASURED=$2; shift ;;
        --out) OUT=$2; shift ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

source "$(dirname "$0")/lib.sh"
for tool in java jcmd jfr wrk curl python3; do
    command -v "$tool" >/dev/null || die "$tool is not installed"
done
build_all
for var in PORT ZK; do pick_port "$var"; done
K=http://127.0.0.1:$PORT

mkdir -p "$WORK/inv"
log "  $(bench_java io.kook.bench.InventoryGenerator --hosts 10000 --groups 500 --pairs 400000 --out "$WORK/inv")"
start_kook a "$PORT" --kook.zookeeper.embedded.port="$ZK" --kook.zookeeper.embedded.data-dir="$WORK/zk"
wait_ready "$PORT" "$KPID" 120 >/dev/null
import_inv "$K" "$WORK/inv/inventory.yml" >/dev/null
log "warm-up: 10 s of writes"
wrk -t2 -c16 -d10s "${AUTH[@]}" -s "$BENCH/wrk/writes.lua" "$K" -- "$WORK/inv/pairs.txt" 2 200000 >/dev/null
log "recording $SECONDS_MEASURED s of writes"
jcmd "$KPID" JFR.start name=writes settings=profile filename="$WORK/writes.jfr" >/dev/null
wrk -t2 -c16 -d"${SECONDS_MEASURED}s" --latency "${AUTH[@]}" -s "$BENCH/wrk/writes.lua" "$K" -- \
    "$WORK/inv/pairs.txt" 2 0 >"$WORK/wrk.txt"
jcmd "$KPID" JFR.stop name=writes >/dev/null
stop_pid "$KPID"
jfr print --events jdk.ExecutionSample "$WORK/writes.jfr" >"$WORK/samples.txt"

{
    echo "# Where a write's CPU goes"
    echo
    echo "- command: \`src/bench/profile-writes.sh --seconds $SECONDS_MEASURED\` at commit $(cd "$ROOT" && git rev-parse --short HEAD); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- wrk: $(awk '/^Requests\/sec/ { print $2 " writes/s" }' "$WORK/wrk.txt"), p99 $(awk '$1 == "99%" { print $2 }' "$WORK/wrk.txt")"
    echo
    python3 - "$WORK/samples.txt" <<'EOF'
import collections, re, sys
events = open(sys.argv[1]).read().split('jdk.ExecutionSample')[1:]
threads, kook, packages = collections.Counter(), collections.Counter(), collections.Counter()
total = 0
for e in events:
    frames = re.findall(r'^\s+([\w.$<>]+)\(', e, re.M)
    if not frames:
        continue
    total += 1
    m = re.search(r'sampledThread = "([^"]*)"', e)
    name = re.sub(r'\d+', 'N', m.group(1)) if m else '?'
    threads[re.sub(r'\(.*', '', name)] += 1
    first = next((f for f in frames if f.startswith('io.kook.')), None)
    kook[first.rsplit('.', 1)[0] if first else '(no Kook frame)'] += 1
    top = frames[0].split('.')
    packages['.'.join(top[:3])] += 1
def table(title, counter, n=12):
    print(f'| {title} | samples | share |')
    print('|---|---|---|')
    for k, c in counter.most_common(n):
        print(f'| `{k}` | {c} | {100 * c / total:.0f} % |')
    print()
print(f'{total} CPU samples.')
print()
table('thread', threads)
table('first Kook class on the stack', kook)
table('package of the sampled frame', packages)
EOF
} >"$OUT"
cat "$OUT"
log "report saved to $OUT"
