#!/usr/bin/env python3
"""Archive throughput of two embedkeep binaries, whole command, pairwise in one run.

It starts bench/fixture_server.py on loopback (with --distinct-posts: every article also
embeds an Instagram post of its own, so each article brings a new post and a new image), then
for each round runs, for each binary in turn, `embedkeep archive URL1 … URLn` (the first
ARTICLES generated articles) into a fresh database. Each run is one process doing everything an
archive does: article fetch and discovery, platform requests, media downloads, thumbnails, and
SQLite writes. Alternating the binaries within a round puts a slow spell of a shared machine on
both alike.

Per binary: median wall seconds and CPU seconds of the command (min..max), posts in the archive,
checks (each embed of each article resolved is one), media thumbnails made, and posts/s and checks/s from the
median wall time; then each binary's wall time over the first's, median of the per-round
ratios.

Usage: bench/archive_compare.py --bin NAME=PATH --bin NAME=PATH [--articles 40] [--rounds 7]
         [--cpus 1]   (taskset the commands to these cores; the fixture server stays unpinned)
"""

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from recheck import write_config  # noqa: E402  (same config: overrides, no politeness delay)


def start_server(workdir, articles):
    port_file = os.path.join(workdir, "port")
    log = open(os.path.join(workdir, "fixture-server.log"), "w")
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "fixture_server.py"),
                             "--articles", str(articles), "--distinct-posts",
                             "--port-file", port_file],
                            stdout=log, stderr=subprocess.STDOUT)
    for _ in range(100):
        if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
            with open(port_file) as f:
                return proc, int(f.read())
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("archive_compare.py: the fixture server did not start")


def run_once(binary, cfg, db, urls, env, cpus):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    cmd = [binary, "--config", cfg, "--db", db, "-q", "archive", *urls]
    if cpus:
        cmd = ["taskset", "-c", cpus, *cmd]
    start = time.perf_counter()
    p = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(p.pid, 0)
    wall = time.perf_counter() - start
    stderr = p.stderr.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):  # 1: some embed could not be archived (a partial result)
        raise SystemExit(f"archive_compare.py: {binary} exited {code}:\n{stderr}")
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        posts = conn.execute("SELECT COUNT(*) FROM posts").fetchone()[0]
        checks = conn.execute("SELECT COUNT(*) FROM checks").fetchone()[0]
        thumbs = conn.execute(
            "SELECT COUNT(*) FROM media WHERE thumbnail_sha256 IS NOT NULL").fetchone()[0]
    return wall, usage.ru_utime + usage.ru_stime, posts, checks, thumbs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", action="append", required=True, help="NAME=PATH, twice or more")
    ap.add_argument("--articles", type=int, default=40)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--cpus", default="", help="taskset -c list for the embedkeep commands")
    args = ap.parse_args()
    bins = []
    for spec in args.bin:
        name, _, path = spec.partition("=")
        if not path or not os.access(path, os.X_OK):
            raise SystemExit(f"archive_compare.py: --bin {spec!r}: want NAME=EXECUTABLE")
        bins.append((name, os.path.realpath(path)))
    workdir = tempfile.mkdtemp(prefix="embedkeep-archive-compare-")
    env = {k: v for k, v in os.environ.items()
           if k not in ("EMBEDKEEP_DB", "EMBEDKEEP_CONFIG", "RUST_LOG", "NOTIFY_SOCKET")}
    env["HOME"] = workdir
    urls = [f"https://news.example.com/bench/{i:06d}.html" for i in range(1, args.articles + 1)]
    results = {name: [] for name, _ in bins}
    server, port = start_server(workdir, args.articles)
    try:
        cfg = os.path.join(workdir, "embedkeep.toml")
        write_config(cfg, port)
        for name, binary in bins:  # warm-up: page cache, the server's first answers
            run_once(binary, cfg, os.path.join(workdir, f"{name}.db"), urls, env, args.cpus)
        for _ in range(args.rounds):
            for name, binary in bins:
                db = os.path.join(workdir, f"{name}.db")
                results[name].append(run_once(binary, cfg, db, urls, env, args.cpus))
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)

    pinned = f", commands pinned to cores {args.cpus}" if args.cpus else ""
    print(f"archive of {args.articles} articles (fixture server, --distinct-posts), "
          f"{args.rounds} rounds, binaries alternating{pinned}")
    print(f"{'binary':<10} {'wall s median [min..max]':>26} {'cpu s':>7} {'posts':>6} "
          f"{'checks':>7} {'thumbs':>9} {'posts/s':>8} {'checks/s':>9}")
    first = bins[0][0]
    for name, _ in bins:
        rs = results[name]
        walls = [r[0] for r in rs]
        wall = statistics.median(walls)
        cpu = statistics.median(r[1] for r in rs)
        posts, checks, snaps = rs[-1][2], rs[-1][3], rs[-1][4]
        print(f"{name:<10} {wall:>10.2f} [{min(walls):>5.2f}..{max(walls):>5.2f}] {cpu:>7.2f} "
              f"{posts:>6} {checks:>7} {snaps:>9} {posts / wall:>8.1f} {checks / wall:>9.1f}")
    for name, _ in bins[1:]:
        ratios = [b[0] / a[0] for a, b in zip(results[first], results[name])]
        cpu_ratios = [b[1] / a[1] for a, b in zip(results[first], results[name])]
        print(f"{name} / {first}: wall {statistics.median(ratios):.2f}, "
              f"cpu {statistics.median(cpu_ratios):.2f} (median of per-round ratios)")


if __name__ == "__main__":
    main()
