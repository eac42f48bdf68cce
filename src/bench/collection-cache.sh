#!/usr/bin/env bash
# What the kook.kook.inventory plugin's ETag cache saves: `ansible-inventory -i kook.yml --list` against a running
# Kook loaded with the bench inventory, cold (no cache: the whole document every run) vs warm (cache: true, every
# run revalidates with If-None-Match and gets 304), with Kook's inventory script alongside for reference.
#
#   src/bench/collection-cache.sh --url http://127.0.0.1:8080 --token SECRET [--runs 7] [--hosts 10000] [--groups 500]
#                                 [--skip-load]   (Kook already holds the inventory: no build, no import)
#
# KOOK_URL / KOOK_TOKEN work instead of --url / --token; the token must be an admin's (the load is an import in
# mode=replace, which REPLACES EVERYTHING in that Kook: never point this at one that holds real data).
# Needs ansible-core (ansible-inventory, ansible-galaxy), curl and a JDK. The inventory is io.kook.bench's
# InventoryGenerator (seeded: the same as src/bench/run.sh's), compiled with -Pbench into target/bench/.
# Prints Markdown tables of the median (and min/max) wall-clock and CPU (user+sys) seconds per process for two
# commands: `ansible-inventory --list` (most of its time goes to computing every host's vars after the inventory
# is loaded, the same for every source) and `ansible all --list-hosts` (little more than loading the inventory, the
# part a source and its cache decide). Kook's own request metrics confirm that every warm run was answered 304.
# On a shared machine, read the CPU columns: wall-clock time includes waiting for other processes.
set -euo pipefail

URL=${KOOK_URL:-http://127.0.0.1:8080}
TOKEN=${KOOK_TOKEN:-}
RUNS=7
HOSTS=10000
NGROUPS=500
SEED=42
LOAD=yes
while [ $# -gt 0 ]; do
    case "$1" in
        --url) URL=$2; shift ;;
        --token) TOKEN=$2; shift ;;
        --runs) RUNS=$2; shift ;;
        --hosts) HOSTS=$2; shift ;;
        --groups) NGROUPS=$2; shift ;;
        --seed) SEED=$2; shift ;;
        --skip-load) LOAD=no ;;
        *) echo "unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
[ -n "$TOKEN" ] || { echo "an admin token is needed: --token or KOOK_TOKEN" >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=$(mktemp -d /tmp/kook-collection-cache-XXXX)
log() { echo "[collection-cache] $*" >&2; }
auth=(-H "Authorization: Bearer $TOKEN")

if [ "$LOAD" = yes ]; then
    log "building the inventory generator (-Pbench) and generating $HOSTS hosts, $NGROUPS groups"
    (cd "$ROOT" && ./mvnw -B -ntp -q -Pbench test-compile dependency:build-classpath -Dmdep.outputFile="$WORK/deps.txt" \
        -Dmdep.includeScope=test) >"$WORK/build.log" 2>&1 || { tail -n 30 "$WORK/build.log" >&2; exit 1; }
    java -cp "$ROOT/target/bench/test-classes:$(cat "$WORK/deps.txt")" io.kook.bench.InventoryGenerator \
        --hosts "$HOSTS" --groups "$NGROUPS" --seed "$SEED" --pairs 0 --out "$WORK/inv" >&2
    log "importing it into $URL (mode=replace)"
    curl -fsS "${auth[@]}" -H "Content-Type: application/yaml" --data-binary @"$WORK/inv/inventory.yml" \
        "$URL/ansible/inventory?mode=replace" >"$WORK/import.json"
    log "  $(cat "$WORK/import.json")"
fi

export HOME="$WORK/home" ANSIBLE_LOCAL_TEMP="$WORK/home/tmp" ANSIBLE_COLLECTIONS_PATH="$WORK/collections"
export ANSIBLE_CONFIG="$WORK/ansible.cfg" ANSIBLE_HOST_KEY_CHECKING=False KOOK_URL="$URL" KOOK_TOKEN="$TOKEN"
export ANSIBLE_TRANSFORM_INVALID_GROUP_CHARS=ignore ANSIBLE_INVENTORY_UNPARSED_FAILED=true
mkdir -p "$ANSIBLE_LOCAL_TEMP" && printf '[defaults]\n' >"$ANSIBLE_CONFIG"
log "installing kook.kook from $URL/ansible/kook-kook.tar.gz"
curl -fsS -o "$WORK/kook-kook.tar.gz" "$URL/ansible/kook-kook.tar.gz"
ansible-galaxy collection install -p "$ANSIBLE_COLLECTIONS_PATH" "$WORK/kook-kook.tar.gz" >&2
curl -fsS -o "$WORK/kook-inventory.py" "$URL/ansible/kook-inventory.py" && chmod +x "$WORK/kook-inventory.py"

printf 'plugin: kook.kook.inventory\n' >"$WORK/cold.kook.yml"
printf 'plugin: kook.kook.inventory\ncache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: %s\ncache_timeout: 0\n' \
    "$WORK/cache" >"$WORK/warm.kook.yml"

not_modified() { # Kook's count of GET /ansible/inventory answered 304
    curl -fsS "${auth[@]}" "$URL/actuator/prometheus" | grep '^http_server_requests_seconds_count{' \
        | grep 'method="GET"' | grep 'uri="/ansible/inventory"' | grep 'status="304"' | awk '{s+=$2} END {print s+0}'
}

time_runs() { # command...: one line "wall cpu" (seconds) per run
    local i
    for i in $(seq 1 "$RUNS"); do
        /usr/bin/time -f "%e %U %S" -o "$WORK/time.txt" "$@" >"$WORK/out.txt"
        awk '{printf "%.2f %.2f\n", $1, $2 + $3}' "$WORK/time.txt"
    done
}

stats() { # "wall cpu" lines on stdin: "| median wall | min-max wall | median cpu | min-max cpu |"
    python3 -c '
import statistics, sys
rows = [tuple(map(float, line.split())) for line in sys.stdin if line.strip()]
wall, cpu = sorted(r[0] for r in rows), sorted(r[1] for r in rows)
print("| %.2f | %.2f-%.2f | %.2f | %.2f-%.2f |" % (statistics.median(wall), wall[0], wall[-1],
                                               statistics.median(cpu), cpu[0], cpu[-1]))'
}

HOSTS_LISTED=$(ansible-inventory -i "$WORK/cold.kook.yml" --list | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["_meta"]["hostvars"]))')
BYTES=$(curl -fsS "${auth[@]}" "$URL/ansible/inventory" | wc -c)
GZIP_BYTES=$(curl -fsS "${auth[@]}" -H "Accept-Encoding: gzip" -o /dev/null -w '%{size_download}' "$URL/ansible/inventory")
log "the document: $HOSTS_LISTED hosts, $BYTES bytes; $RUNS runs per row"
ansible-inventory -i "$WORK/warm.kook.yml" --list >/dev/null  # primes the cache
BEFORE=$(not_modified)
declare -A ROWS
for command in list list-hosts; do
    for source in script cold warm; do
        case $source in
            script) file="$WORK/kook-inventory.py" ;;
            cold) file="$WORK/cold.kook.yml" ;;
            warm) file="$WORK/warm.kook.yml" ;;
        esac
        log "$command, $source"
        if [ "$command" = list ]; then
            ROWS[$command-$source]=$(time_runs ansible-inventory -i "$file" --list | stats)
        else
            ROWS[$command-$source]=$(time_runs ansible all -i "$file" --list-hosts | stats)
        fi
    done
done
AFTER=$(not_modified)
[ "$((AFTER - BEFORE))" -eq "$((2 * RUNS))" ] \
    || { echo "expected $((2 * RUNS)) answers 304 during the warm runs, Kook counted $((AFTER - BEFORE))" >&2; exit 1; }

echo "$HOSTS_LISTED hosts / $NGROUPS groups ($BYTES bytes of --list JSON, $GZIP_BYTES on the wire gzipped; a 304 has no body)," \
    "$RUNS runs per row, $(nproc) cores," \
    "load average $(cut -d' ' -f1-3 /proc/loadavg), $(ansible --version | sed -n 1p)"
for command in list list-hosts; do
    echo
    if [ "$command" = list ]; then echo '`ansible-inventory -i SOURCE --list`'; else echo '`ansible all -i SOURCE --list-hosts`'; fi
    echo
    echo "| source | wall s (median) | wall s (min-max) | CPU s (median) | CPU s (min-max) |"
    echo "| --- | --- | --- | --- | --- |"
    echo "| kook-inventory.py (script) ${ROWS[$command-script]}"
    echo "| kook.kook.inventory, cold (no cache) ${ROWS[$command-cold]}"
    echo "| kook.kook.inventory, warm (cache: true, 304) ${ROWS[$command-warm]}"
done
log "work dir: $WORK"
