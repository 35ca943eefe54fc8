#!/usr/bin/env bash
# The daemon's memory and throughput on loopback: idle RSS, RSS and articles/posts per second
# while it works through a sitemap of generated articles served by bench/fixture_server.py,
# peak RSS (VmHWM), and RSS at the end of the run.
#
# One daemon process runs the whole time, on a fresh database:
#   1. idle   IDLE seconds with no sources (schedules firing, nothing to do);
#   2. load   the config gains the sitemap source and the daemon is sent SIGHUP; the next
#             discover tick (every minute) queues the ARTICLES articles; sampled for DURATION
#             seconds. Once the queue drains, the rest of the phase is the daemon idling with
#             a full archive (re-checks of the archived posts every RECHECK_MIN..RECHECK_MAX),
#             so DURATION=3600 gives the RSS an hour after the load started.
#   3. stop   SIGTERM; the time to exit and the exit code are reported.
# Every INTERVAL seconds bench/sampler.py records VmRSS, VmHWM, threads, CPU seconds and the
# archive's counts in samples.csv; report.txt summarises it.
#
# Usage: bench/daemon.sh [PATH_TO_EMBEDKEEP]
#   Without a path, builds with `cargo build --release --locked` and uses that binary.
# Environment (defaults):
#   DURATION=300     seconds of the load phase (1800: the 30-minute figure; 3600: an hour)
#   IDLE=60          seconds of the idle phase
#   ARTICLES=10000   articles in the sitemap
#   INTERVAL=5       seconds between samples
#   WORKERS=4        schedule.workers
#   RECHECK_MIN=2m RECHECK_MAX=5m   schedule.recheck_min / recheck_max
#   FILLER=40000     approximate bytes of text per generated article page
#   DISTINCT=0       1: each article also embeds an Instagram post of its own, so the archive
#                    grows by a post per article and re-checks scale with it (see fixture_server.py)
#   LOG=embedkeep=info   RUST_LOG for the daemon (its log is daemon.log)
#   OUT=bench/out/daemon-YYYYmmddTHHMMSS   where the database, config, log and samples go
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

DURATION=${DURATION:-300}
IDLE=${IDLE:-60}
ARTICLES=${ARTICLES:-10000}
INTERVAL=${INTERVAL:-5}
WORKERS=${WORKERS:-4}
RECHECK_MIN=${RECHECK_MIN:-2m}
RECHECK_MAX=${RECHECK_MAX:-5m}
FILLER=${FILLER:-40000}
DISTINCT=${DISTINCT:-0}
LOG=${LOG:-embedkeep=info}
OUT=${OUT:-$root/bench/out/daemon-$(date -u +%Y%m%dT%H%M%S)}

if [[ $# -ge 1 ]]; then
    bin=$(realpath "$1")
else
    (cd "$root" && cargo build --release --locked --bin embedkeep)
    bin="${CARGO_TARGET_DIR:-$root/target}/release/embedkeep"
fi
[[ -x $bin ]] || { echo "daemon.sh: no executable at $bin" >&2; exit 2; }

mkdir -p "$OUT"
OUT=$(realpath "$OUT")
db="$OUT/archive.db"
cfg="$OUT/embedkeep.toml"
csv="$OUT/samples.csv"
rm -f "$db" "$db-wal" "$db-shm" "$csv"

server_pid=""
daemon_pid=""
cleanup() {
    local code=$?
    if [[ -n $daemon_pid ]] && kill -0 "$daemon_pid" 2>/dev/null; then
        kill -TERM "$daemon_pid" 2>/dev/null || true
        for _ in $(seq 1 60); do kill -0 "$daemon_pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$daemon_pid" 2>/dev/null || true
    fi
    if [[ -n $server_pid ]] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The fixture server, on a free loopback port.
rm -f "$OUT/port"
distinct_arg=()
[[ $DISTINCT == 1 ]] && distinct_arg=(--distinct-posts)
python3 "$here/fixture_server.py" --articles "$ARTICLES" --filler-bytes "$FILLER" \
    "${distinct_arg[@]}" --port-file "$OUT/port" >"$OUT/fixture-server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do [[ -s $OUT/port ]] && break; sleep 0.1; done
[[ -s $OUT/port ]] || { echo "daemon.sh: the fixture server did not start" >&2; cat "$OUT/fixture-server.log" >&2; exit 1; }
port=$(cat "$OUT/port")
base="http://127.0.0.1:$port"

# The config: every host with a recorded answer (and the news site) goes to the fixture server.
write_config() {
    local with_source=$1
    {
        cat <<EOF
[politeness]
per_host_interval = "0s"
per_host_concurrency = 8

[schedule]
discover = "* * * * *"
recheck = "* * * * *"
recheck_min = "$RECHECK_MIN"
recheck_max = "$RECHECK_MAX"
workers = $WORKERS

EOF
        if [[ $with_source == yes ]]; then
            printf '[[sources]]\nsitemap = "https://news.example.com/sitemap.xml"\n\n'
        fi
        echo "[http.host_overrides]"
        python3 "$here/fixture_server.py" --list-hosts | while read -r host; do
            printf '"%s" = "%s/%s"\n' "$host" "$base" "$host"
        done
    } >"$cfg.tmp"
    mv "$cfg.tmp" "$cfg"
}
write_config no

wait_log() { # wait_log PATTERN SECONDS
    local i
    for i in $(seq 1 $(($2 * 10))); do
        grep -q "$1" "$OUT/daemon.log" 2>/dev/null && return 0
        kill -0 "$daemon_pid" 2>/dev/null || { echo "daemon.sh: the daemon exited" >&2; cat "$OUT/daemon.log" >&2; return 1; }
        sleep 0.1
    done
    echo "daemon.sh: no '$1' in the daemon's log after $2 s" >&2
    return 1
}

echo "daemon.sh: $("$bin" --version), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "daemon.sh: output in $OUT"
t0=$(date +%s.%N)
env -u EMBEDKEEP_DB -u EMBEDKEEP_CONFIG -u NOTIFY_SOCKET -u JOURNAL_STREAM -u WATCHDOG_USEC \
    HOME="$OUT" XDG_DATA_HOME="$OUT/data" XDG_CONFIG_HOME="$OUT/config" RUST_LOG="$LOG" \
    "$bin" --config "$cfg" --db "$db" daemon >"$OUT/daemon.stdout" 2>"$OUT/daemon.log" &
daemon_pid=$!
wait_log "daemon started" 30

sampler() { # sampler PHASE SECONDS
    python3 "$here/sampler.py" sample --pid "$daemon_pid" --db "$db" --csv "$csv" \
        --phase "$1" --duration "$2" --interval "$INTERVAL" --t0 "$t0" --echo \
        --server-pid "$server_pid"
}

echo "daemon.sh: idle phase, $IDLE s, no sources"
sampler idle "$IDLE"

echo "daemon.sh: load phase, $DURATION s: sitemap of $ARTICLES articles, SIGHUP"
write_config yes
kill -HUP "$daemon_pid"
wait_log "config reloaded" 30
sampler load "$DURATION"

echo "daemon.sh: SIGTERM"
stop_start=$(date +%s.%N)
kill -TERM "$daemon_pid"
code=0
wait "$daemon_pid" || code=$?
stop_end=$(date +%s.%N)
daemon_pid=""
curl_stats() { python3 -c 'import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' "$1"; }
curl_stats "$base/__stats" >"$OUT/fixture-stats.json" || true

{
    echo "embedkeep daemon benchmark: $("$bin" --version); $ARTICLES articles; idle $IDLE s, load $DURATION s;"
    echo "workers $WORKERS; recheck $RECHECK_MIN..$RECHECK_MAX; distinct posts $DISTINCT; samples every $INTERVAL s;"
    echo "$(nproc) cores; RUST_LOG=$LOG; started $(date -u -d "@${t0%.*}" +%FT%TZ); load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
    python3 "$here/sampler.py" report --csv "$csv" --articles "$ARTICLES"
    echo
    awk -v a="$stop_start" -v b="$stop_end" -v c="$code" 'BEGIN { printf "stop: SIGTERM to exit %.1f s, exit code %s\n", b - a, c }'
    echo "daemon log: $(grep -c ' WARN ' "$OUT/daemon.log" || true) WARN and $(grep -c ' ERROR ' "$OUT/daemon.log" || true) ERROR lines"
    grep -E ' (WARN|ERROR) ' "$OUT/daemon.log" | sed -E 's/^[^ ]+ +//' | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z//g' \
        | sort | uniq -c | sort -rn | head -10 || true
    echo "fixture server: $(cat "$OUT/fixture-stats.json" 2>/dev/null)"
} | tee "$OUT/report.txt"
