#!/usr/bin/env python3
"""The cost of one re-check, whole process: `embedkeep check POST_URL` on an archived post,
timed with /usr/bin/time -v, next to what any command on the archive costs anyway.

It starts bench/fixture_server.py on loopback, archives https://news.example.com/bench/all.html
(one article with every benchmark embed: three Instagram posts, two X posts, one YouTube video,
one TikTok video) into a fresh database, then runs each command below RUNS times, round-robin
(one run of each in turn, so a slow spell of a shared machine hits all of them alike):

  version      embedkeep --version                 process start-up only
  config       embedkeep config check              start-up + reading and validating the config
  show         embedkeep show POST                 start-up + opening the archive + one read
  check:NAME   embedkeep check POST                one re-check of one post (for each post)
  check --all  embedkeep check --all               every archived post in one process

Each figure is the median over the runs (min and max in brackets): wall time (read around the
run), CPU time (user + system, from wait4) and peak RSS (from /usr/bin/time -v). The cost of the re-check
proper is check:NAME minus show; the start-up share is version / check:NAME.

Usage: bench/recheck.py [--bin PATH] [--runs 20] [--out DIR]
Without --bin it runs `cargo build --release --locked` and uses that binary.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ARTICLE = "https://news.example.com/bench/all.html"
POSTS = [
    ("instagram-image", "https://www.instagram.com/p/C8kQx2LtA1b/"),
    ("instagram-carousel", "https://www.instagram.com/p/C8tZr5pIe0B/"),
    ("instagram-reel", "https://www.instagram.com/p/C82rTq0Nx7e/"),
    ("x-syndication", "https://twitter.com/jack/status/20"),
    ("x-oembed-fallback", "https://twitter.com/pepephone/status/436461658601713664"),
    ("youtube", "https://www.youtube.com/watch?v=eiHXASgRTcA"),
    ("tiktok", "https://www.tiktok.com/@a3noticias/video/6806030056956251397"),
]


def build():
    subprocess.run(["cargo", "build", "--release", "--locked", "--bin", "embedkeep"],
                   cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    return os.path.join(target, "release", "embedkeep")


def start_server(workdir):
    port_file = os.path.join(workdir, "port")
    log = open(os.path.join(workdir, "fixture-server.log"), "w")
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "fixture_server.py"),
                             "--articles", "10", "--port-file", port_file],
                            stdout=log, stderr=subprocess.STDOUT)
    for _ in range(100):
        if os.path.exists(port_file) and os.path.getsize(port_file) > 0:
            with open(port_file) as f:
                return proc, int(f.read())
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("recheck.py: the fixture server did not start")


def write_config(path, port):
    hosts = subprocess.run([sys.executable, os.path.join(HERE, "fixture_server.py"),
                            "--list-hosts"], check=True, capture_output=True,
                           text=True).stdout.split()
    with open(path, "w") as f:
        f.write('[politeness]\nper_host_interval = "0s"\nper_host_concurrency = 8\n\n')
        f.write("[http.host_overrides]\n")
        for h in hosts:
            f.write(f'"{h}" = "http://127.0.0.1:{port}/{h}"\n')


def parse_time_v(text):
    """Wall seconds, CPU seconds and peak RSS (KiB) from /usr/bin/time -v output."""
    def field(name):
        m = re.search(rf"^\s*{re.escape(name)}: (.+)$", text, re.M)
        if not m:
            raise ValueError(f"no '{name}' in /usr/bin/time output:\n{text}")
        return m.group(1).strip()
    wall = 0.0
    for part in field("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"):
        wall = wall * 60 + float(part)
    cpu = float(field("User time (seconds)")) + float(field("System time (seconds)"))
    return wall, cpu, int(field("Maximum resident set size (kbytes)"))


def timed(cmd, env, workdir):
    """(wall s, cpu s, peak RSS KiB) of one run. /usr/bin/time -v gives the peak RSS (and
    checks the others); its times have a resolution of 10 ms, so wall time is read here around
    the run and CPU time (user + system, the command's and its children's) from wait4."""
    out = os.path.join(workdir, "time.txt")
    err = os.path.join(workdir, "stderr.txt")
    with open(err, "w") as errf:
        start = time.perf_counter()
        p = subprocess.Popen(["/usr/bin/time", "-v", "-o", out] + cmd, env=env,
                             stdout=subprocess.DEVNULL, stderr=errf)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - start
        p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        with open(err) as f:
            raise SystemExit(f"recheck.py: {' '.join(cmd)} exited {p.returncode}:\n{f.read()}")
    with open(out) as f:
        _, _, rss = parse_time_v(f.read())
    return wall, usage.ru_utime + usage.ru_stime, rss


def med(xs):
    return statistics.median(xs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", help="the embedkeep binary (default: build --release)")
    ap.add_argument("--runs", type=int, default=20, help="runs of each command")
    ap.add_argument("--out", help="keep the database, config and results here")
    args = ap.parse_args()
    binary = os.path.realpath(args.bin) if args.bin else build()
    workdir = args.out or tempfile.mkdtemp(prefix="embedkeep-recheck-")
    os.makedirs(workdir, exist_ok=True)
    db = os.path.join(workdir, "archive.db")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    cfg = os.path.join(workdir, "embedkeep.toml")
    env = {k: v for k, v in os.environ.items()
           if k not in ("EMBEDKEEP_DB", "EMBEDKEEP_CONFIG", "RUST_LOG", "NOTIFY_SOCKET")}
    env["HOME"] = workdir
    server, port = start_server(workdir)
    try:
        write_config(cfg, port)
        base = [binary, "--config", cfg, "--db", db]
        subprocess.run(base + ["archive", ARTICLE], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        commands = [("version", [binary, "--version"]),
                    ("config", base + ["config", "check"]),
                    ("show", base + ["show", POSTS[0][1]])]
        commands += [(f"check:{name}", base + ["check", url]) for name, url in POSTS]
        commands.append(("check --all", base + ["check", "--all"]))
        results = {name: [] for name, _ in commands}
        for name, cmd in commands:  # one warm-up run each (page cache, first connection)
            timed(cmd, env, workdir)
        for _ in range(args.runs):
            for name, cmd in commands:
                results[name].append(timed(cmd, env, workdir))
    finally:
        server.terminate()
        server.wait(timeout=10)
        if not args.out:
            shutil.rmtree(workdir, ignore_errors=True)

    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    lines = [f"{version}; {args.runs} runs of each command, round-robin, after one warm-up run; "
             f"{os.cpu_count()} cores, load average {open('/proc/loadavg').read().split()[0]} at the end",
             f"{'command':<30} {'wall ms median [min..max]':>28} {'cpu ms median':>14} "
             f"{'peak RSS MiB':>13}"]
    for name, _ in commands:
        rs = results[name]
        walls = [r[0] * 1000 for r in rs]
        cpus = [r[1] * 1000 for r in rs]
        rss = [r[2] / 1024 for r in rs]
        lines.append(f"{name:<30} {med(walls):>10.1f} [{min(walls):>6.1f}..{max(walls):>6.1f}] "
                     f"{med(cpus):>14.1f} {med(rss):>13.1f}")
    wall = lambda n: med([r[0] for r in results[n]]) * 1000
    cpu = lambda n: med([r[1] for r in results[n]]) * 1000
    lines.append("")
    lines.append("re-check proper (check:NAME minus show), and the start-up share (version / check):")
    for name, _ in POSTS:
        n = f"check:{name}"
        lines.append(f"  {name:<22} wall {wall(n) - wall('show'):>6.1f} ms, cpu "
                     f"{cpu(n) - cpu('show'):>6.1f} ms; start-up {wall('version') / wall(n):.0%} "
                     f"of wall, archive open + read (show) {wall('show') / wall(n):.0%}")
    per_post = (wall("check --all") - wall("show")) / len(POSTS)
    lines.append(f"  check --all: {wall('check --all'):.0f} ms for {len(POSTS)} posts, "
                 f"{per_post:.1f} ms wall per post over show (posts checked concurrently), "
                 f"{(cpu('check --all') - cpu('show')) / len(POSTS):.1f} ms cpu per post")
    text = "\n".join(lines)
    print(text)
    if args.out:
        with open(os.path.join(args.out, "report.txt"), "w") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
