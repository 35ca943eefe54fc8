#!/usr/bin/env bash
# `embedkeep serve` against nginx serving the same bytes from files: the card route
# (GET /v1/posts/ID/card) and the media route (GET /v1/media/SHA256) under wrk at 32 and 128
# connections, each request for a path picked at random among many posts or images. While
# embedkeep is loaded, an `embedkeep archive` run writes to the same database. Prints req/s and
# p99 latency of both servers at each concurrency, and their ratio.
#
#   1. build    bench/fixture_server.py serves POSTS generated articles, each embedding one
#               Instagram post of its own with an image of its own; `embedkeep daemon` archives
#               them from the sitemap into a fresh database (POSTS posts, POSTS thumbnails).
#               Skipped with DB=FILE (a database made by an earlier run, copied first).
#   2. export   `embedkeep serve` starts on the database (read-only); bench/serve_dump.py lists
#               the posts with `embedkeep list --json` and GETs every card and thumbnail from
#               it into files at the same paths; nginx (an unprivileged process with its own
#               config in OUT, on another loopback port) serves those files.
#   3. load     a sequential `embedkeep archive` of further generated articles starts in the
#               background (the writer); for each route and connection count, wrk loads
#               embedkeep and then nginx on the same paths, both while the writer runs; then
#               the writer stops. Each measured run follows a short warm-up run. With PERF=1, `perf record -g` samples the serve process during
#               the PERF_ROUTE run at the last connection count (OUT/perf.data, summary in
#               OUT/perf.txt).
#
# Usage: bench/serve.sh [PATH_TO_EMBEDKEEP]
#   Without a path, builds with `cargo build --release --locked` and uses that binary.
# Environment (defaults):
#   POSTS=10000        posts in the archive (one per generated article)
#   DURATION=20        seconds of each measured wrk run (WARMUP=3 seconds before each)
#   CONNECTIONS="32 128"   wrk connection counts
#   THREADS=2          wrk threads
#   WORKERS=4          schedule.workers of the daemon that builds the archive
#   BUILD_TIMEOUT=3600 seconds the build phase may take
#   WRITER=1           0: no archive run during the loads
#   PERF=0             1: perf record -g on the serve process during the last PERF_ROUTE run
#   PERF_ROUTE=card    the route profiled with PERF=1: card or media
#   ROUTES="card media"    the routes loaded
#   HOT=               N: the loads pick among the first N posts' cards and images only (a
#                      publisher's readers mostly read its recent articles); empty: among all
#   DB=                an archive from an earlier run (OUT/archive.db) to start from
#   MEDIA_CACHE_MB=    serve.media_cache_mb of the server under load (empty: its default)
#   OUT=bench/out/serve-YYYYmmddTHHMMSS   where the database, configs, logs and files go
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

POSTS=${POSTS:-10000}
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-3}
CONNECTIONS=${CONNECTIONS:-32 128}
THREADS=${THREADS:-2}
WORKERS=${WORKERS:-4}
BUILD_TIMEOUT=${BUILD_TIMEOUT:-3600}
WRITER=${WRITER:-1}
PERF=${PERF:-0}
PERF_ROUTE=${PERF_ROUTE:-card}
ROUTES=${ROUTES:-card media}
HOT=${HOT:-}
DB=${DB:-}
MEDIA_CACHE_MB=${MEDIA_CACHE_MB:-}
OUT=${OUT:-$root/bench/out/serve-$(date -u +%Y%m%dT%H%M%S)}

for tool in wrk nginx python3; do
    command -v "$tool" >/dev/null || { echo "serve.sh: needs $tool (Debian: apt-get install $tool)" >&2; exit 2; }
done
nginx_bin=$(command -v nginx)

if [[ $# -ge 1 ]]; then
    bin=$(realpath "$1")
else
    (cd "$root" && cargo build --release --locked --bin embedkeep)
    bin="${CARGO_TARGET_DIR:-$root/target}/release/embedkeep"
fi
[[ -x $bin ]] || { echo "serve.sh: no executable at $bin" >&2; exit 2; }

mkdir -p "$OUT"
OUT=$(realpath "$OUT")
db="$OUT/archive.db"
cfg="$OUT/embedkeep.toml"
if [[ -n $DB ]]; then
    src=$(realpath "$DB")
    if [[ $src != "$db" ]]; then
        rm -f "$db" "$db-wal" "$db-shm"
        cp "$src" "$db"
        for ext in wal shm; do [[ -f $src-$ext ]] && cp "$src-$ext" "$db-$ext"; done
    fi
else
    rm -f "$db" "$db-wal" "$db-shm"
fi

server_pid="" daemon_pid="" serve_pid="" nginx_pid="" writer_pid=""
stop() { # stop PID: SIGTERM, wait up to 30 s, then SIGKILL
    local pid=$1
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local code=$?
    stop "$writer_pid"; stop "$daemon_pid"; stop "$serve_pid"; stop "$nginx_pid"; stop "$server_pid"
    exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

spawn_embedkeep() { # spawn_embedkeep ARGS... & (the bench's config and database, no user settings)
    # Always run in the background: `exec` makes $! the embedkeep process itself, so that
    # `stop` signals it rather than the subshell that runs this function.
    exec env -u EMBEDKEEP_DB -u EMBEDKEEP_CONFIG -u NOTIFY_SOCKET -u JOURNAL_STREAM -u WATCHDOG_USEC \
        HOME="$OUT" XDG_DATA_HOME="$OUT/data" XDG_CONFIG_HOME="$OUT/config" \
        "$bin" --config "$cfg" --db "$db" "$@"
}
posts_in_archive() {
    python3 - "$db" <<'EOF'
import sqlite3, sys
try:
    c = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=10)
    print(c.execute("select count(*) from posts").fetchone()[0])
except sqlite3.Error:
    print(0)
EOF
}
wait_for() { # wait_for FILE PATTERN SECONDS PID: until PATTERN is in FILE
    local i
    for i in $(seq 1 $(($3 * 10))); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        kill -0 "$4" 2>/dev/null || { echo "serve.sh: process $4 exited; its log:" >&2; cat "$1" >&2; return 1; }
        sleep 0.1
    done
    echo "serve.sh: no '$2' in $1 after $3 s" >&2
    return 1
}
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

echo "serve.sh: $("$bin" --version), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "serve.sh: output in $OUT"

# The fixture server: POSTS articles in the sitemap, as many more for the writer to archive.
rm -f "$OUT/port"
python3 "$here/fixture_server.py" --articles $((POSTS * 2)) --sitemap-articles "$POSTS" \
    --only-distinct --distinct-images --filler-bytes 4000 \
    --port-file "$OUT/port" >"$OUT/fixture-server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 100); do [[ -s $OUT/port ]] && break; sleep 0.1; done
[[ -s $OUT/port ]] || { echo "serve.sh: the fixture server did not start" >&2; cat "$OUT/fixture-server.log" >&2; exit 1; }
base="http://127.0.0.1:$(cat "$OUT/port")"

# Every host with a recorded answer goes to the fixture server; nothing leaves loopback. The
# server listens on a free loopback port (read from its log).
{
    cat <<EOF
[politeness]
per_host_interval = "0s"
per_host_concurrency = 8

[schedule]
discover = "* * * * *"
recheck = "0 0 1 1 *"
recheck_min = "30d"
recheck_max = "60d"
workers = $WORKERS

[serve]
listen = "127.0.0.1:0"
metrics_listen = "127.0.0.1:0"
${MEDIA_CACHE_MB:+media_cache_mb = $MEDIA_CACHE_MB}

[[sources]]
sitemap = "https://news.example.com/sitemap.xml"

[http.host_overrides]
EOF
    python3 "$here/fixture_server.py" --list-hosts | while read -r host; do
        printf '"%s" = "%s/%s"\n' "$host" "$base" "$host"
    done
} >"$cfg"

# 1. build
have=$(posts_in_archive)
if (( have < POSTS )); then
    echo "serve.sh: build: the daemon archives $POSTS generated articles (one post each); $have posts so far"
    t0=$(date +%s)
    spawn_embedkeep daemon >"$OUT/daemon.stdout" 2>"$OUT/daemon.log" &
    daemon_pid=$!
    while :; do
        sleep 10
        have=$(posts_in_archive)
        now=$(date +%s)
        echo "serve.sh: build: $have posts after $((now - t0)) s"
        (( have >= POSTS )) && break
        kill -0 "$daemon_pid" 2>/dev/null || { echo "serve.sh: the daemon exited" >&2; tail -20 "$OUT/daemon.log" >&2; exit 1; }
        (( now - t0 < BUILD_TIMEOUT )) || { echo "serve.sh: build: not done after $BUILD_TIMEOUT s" >&2; exit 1; }
    done
    stop "$daemon_pid"
    daemon_pid=""
    echo "serve.sh: build: $have posts in $(($(date +%s) - t0)) s"
fi

# 2. export
spawn_embedkeep serve >"$OUT/serve.stdout" 2>"$OUT/serve.log" &
serve_pid=$!
wait_for "$OUT/serve.log" "listening on http://" 30 "$serve_pid"
ek_url=$(grep -o 'listening on http://[0-9.:]*' "$OUT/serve.log" | head -1 | sed 's/listening on //')
rm -rf "$OUT/www"
python3 "$here/serve_dump.py" --bin "$bin" --config "$cfg" --db "$db" --base "$ek_url" \
    --out "$OUT" --posts "$POSTS"

mkdir -p "$OUT/nginx/tmp"
nginx_port=$(free_port)
cat >"$OUT/nginx/nginx.conf" <<EOF
# nginx for bench/serve.sh: unprivileged, everything under $OUT.
worker_processes auto;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path $OUT/nginx/tmp/body;
    proxy_temp_path $OUT/nginx/tmp/proxy;
    fastcgi_temp_path $OUT/nginx/tmp/fastcgi;
    uwsgi_temp_path $OUT/nginx/tmp/uwsgi;
    scgi_temp_path $OUT/nginx/tmp/scgi;
    types { }
    server {
        listen 127.0.0.1:$nginx_port;
        root $OUT/www;
        location /v1/posts/ {
            default_type "text/html; charset=utf-8";
            add_header Cache-Control "public, max-age=60";
        }
        location /v1/media/ {
            default_type image/webp;
            add_header Cache-Control "public, max-age=31536000, immutable";
        }
    }
}
EOF
"$nginx_bin" -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" -g 'daemon off;' 2>"$OUT/nginx/stderr.log" &
nginx_pid=$!
nginx_url="http://127.0.0.1:$nginx_port"
for _ in $(seq 1 50); do
    python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
        "$nginx_url$(head -1 "$OUT/cards.txt")" 2>/dev/null && break
    kill -0 "$nginx_pid" 2>/dev/null || { echo "serve.sh: nginx exited" >&2; cat "$OUT/nginx/stderr.log" "$OUT/nginx/error.log" >&2; exit 1; }
    sleep 0.2
done
# The same bytes on both sides, checked on a sample of paths.
python3 - "$ek_url" "$nginx_url" "$OUT/cards.txt" "$OUT/media.txt" <<'EOF'
import sys, urllib.request
ek, ngx = sys.argv[1], sys.argv[2]
for name in sys.argv[3:]:
    paths = open(name).read().split()
    for p in paths[:: max(1, len(paths) // 50)]:
        a = urllib.request.urlopen(ek + p, timeout=10).read()
        b = urllib.request.urlopen(ngx + p, timeout=10).read()
        if a != b:
            sys.exit(f"serve.sh: {p} differs between embedkeep and nginx")
print("serve.sh: embedkeep and nginx answer the same bytes (sampled)")
EOF

# 3. load
results="$OUT/results.txt"
: >"$results"
load() { # load SERVER URL ROUTE CONNECTIONS
    local server=$1 url=$2 route=$3 conns=$4 paths line
    case $route in card) paths="$OUT/cards.txt" ;; media) paths="$OUT/media.txt" ;; esac
    if [[ -n $HOT ]]; then
        head -n "$HOT" "$paths" >"$paths.hot"
        paths="$paths.hot"
    fi
    PATHS=$paths wrk -t"$THREADS" -c"$conns" -d"${WARMUP}s" -s "$here/serve.lua" "$url" >/dev/null
    local perf_pid=""
    # The profile is taken during the PERF_ROUTE run at the last connection count, so that the
    # runs at the other counts are measured without perf's overhead.
    if [[ $PERF == 1 && $server == embedkeep && $route == "$PERF_ROUTE" && $conns == "${CONNECTIONS##* }" ]]; then
        # cpu-clock, a software event: the default (hardware cycles) records nothing on a
        # virtual machine without a PMU.
        perf record -e cpu-clock -F 999 -g -o "$OUT/perf.data" -p "$serve_pid" -- sleep "$DURATION" \
            >"$OUT/perf.log" 2>&1 &
        perf_pid=$!
    fi
    PATHS=$paths wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --timeout 10s -s "$here/serve.lua" \
        "$url" >"$OUT/wrk-$server-$route-$conns.txt"
    [[ -n $perf_pid ]] && wait "$perf_pid" || true
    line=$(grep '^RESULT' "$OUT/wrk-$server-$route-$conns.txt")
    echo "$server $route $conns $line" | tee -a "$results"
}

posts_before=$(posts_in_archive)
if [[ $WRITER == 1 ]]; then
    urls=()
    for n in $(seq "$POSTS" $((POSTS * 2 - 1))); do
        urls+=("https://news.example.com/bench/$(printf '%06d' "$n").html")
    done
    spawn_embedkeep -q archive "${urls[@]}" >"$OUT/writer.stdout" 2>"$OUT/writer.log" &
    writer_pid=$!
fi
t_writer=$(date +%s.%N)
# Pair by pair: each embedkeep run is followed at once by nginx's run on the same paths, both
# while the writer runs, so that the two servers face the same machine (the writer's CPU use
# included) and a drift in the machine's load falls on both alike.
for route in $ROUTES; do
    for conns in $CONNECTIONS; do
        load embedkeep "$ek_url" "$route" "$conns"
        load nginx "$nginx_url" "$route" "$conns"
    done
done
t_writer_end=$(date +%s.%N)
writer_alive=no
if [[ -n $writer_pid ]] && kill -0 "$writer_pid" 2>/dev/null; then writer_alive=yes; fi
stop "$writer_pid"
writer_pid=""
posts_after=$(posts_in_archive)

if [[ -n $serve_pid ]] && [[ $PERF == 1 ]] && [[ -f $OUT/perf.data ]]; then
    perf report -i "$OUT/perf.data" --stdio --no-children --sort dso,symbol -g none --percent-limit 0.5 2>/dev/null \
        | grep -v '^$' | head -80 >"$OUT/perf.txt" || true
fi

{
    echo
    echo "embedkeep serve vs nginx $("$nginx_bin" -v 2>&1 | sed 's/.*\///'): $("$bin" --version); $(nproc) cores;"
    echo "$posts_before posts in the archive; $(wc -l <"$OUT/cards.txt") card paths, $(wc -l <"$OUT/media.txt") image paths;${HOT:+ loads pick among the first $HOT of each;}"
    echo "wrk -t$THREADS, ${DURATION} s per run after ${WARMUP} s warm-up; load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
    if [[ $WRITER == 1 ]]; then
        awk -v a="$posts_before" -v b="$posts_after" -v t0="$t_writer" -v t1="$t_writer_end" -v alive="$writer_alive" \
            'BEGIN { printf "writer: embedkeep archive wrote %d posts during the loads (%.1f posts/s; still running at the end: %s)\n", b - a, (b - a) / (t1 - t0), alive }'
    else
        echo "writer: none (WRITER=0)"
    fi
    python3 - "$results" <<'EOF'
import sys
rows = {}
for line in open(sys.argv[1]):
    server, route, conns, _, *fields = line.split()
    rows[(server, route, int(conns))] = dict(f.split("=") for f in fields)
print()
print(f"{'route':6} {'conns':>5} | {'embedkeep req/s':>15} {'p99 ms':>7} | {'nginx req/s':>11} {'p99 ms':>7} | {'req/s ratio':>11} {'errors':>6}")
verdicts = []
for (server, route, conns) in sorted(k for k in rows if k[0] == "embedkeep"):
    ek, ngx = rows[(server, route, conns)], rows.get(("nginx", route, conns))
    if ngx is None:
        continue
    ratio = float(ek["rps"]) / float(ngx["rps"])
    ek_p99 = int(ek["p99_us"]) / 1000
    errors = int(ek["errors"]) + int(ek["non2xx"]) + int(ngx["errors"]) + int(ngx["non2xx"])
    print(f"{route:6} {conns:>5} | {float(ek['rps']):>15.0f} {ek_p99:>7.2f} | "
          f"{float(ngx['rps']):>11.0f} {int(ngx['p99_us']) / 1000:>7.2f} | {ratio:>10.2f}x {errors:>6}")
    if conns == 32:
        ok = ratio >= 0.5 and ek_p99 < 5
        verdicts.append(f"{route} at 32 connections: {ratio:.2f}x nginx's req/s, p99 {ek_p99:.2f} ms: "
                        f"{'target met' if ok else 'target missed'} (>= 0.5x, < 5 ms)")
print()
print("\n".join(verdicts))
EOF
} | tee "$OUT/report.txt"
