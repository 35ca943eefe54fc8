#!/usr/bin/env python3
"""Start-up cost of `embedkeep` as a whole process: CPU time (user + system, from the child's
rusage) and wall time of many runs of `embedkeep --version` and of `embedkeep scan` of a tiny
page, with medians. CPU time is the figure to compare: on a shared machine the wall time also
counts waiting for a core.

    cargo build --release
    python3 bench/startup.py target/release/embedkeep --runs 200
"""

import argparse
import os
import statistics
import subprocess
import tempfile
import time

TINY_PAGE = (
    "<!doctype html><html><head><title>tiny</title></head><body><p>One post:</p>"
    '<blockquote class="instagram-media" data-instgrm-permalink='
    '"https://www.instagram.com/p/C8kQx2LtA1b/"><a href="https://www.instagram.com/p/C8kQx2LtA1b/">'
    "A post shared by Harbour (@harbour)</a></blockquote></body></html>\n"
)


def run_once(argv):
    """(CPU ms, wall ms) of one run of argv, its output thrown away."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = (time.perf_counter() - started) * 1000
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}")
    return (usage.ru_utime + usage.ru_stime) * 1000, wall


def measure(name, argv, runs):
    cpu, wall = zip(*(run_once(argv) for _ in range(runs)))
    print(f"{name:<28} runs {runs:>4}  CPU median {statistics.median(cpu):6.1f} ms "
          f"(p10 {statistics.quantiles(cpu, n=10)[0]:5.1f}, p90 {statistics.quantiles(cpu, n=10)[-1]:5.1f})  "
          f"wall median {statistics.median(wall):6.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", nargs="?", default="target/release/embedkeep")
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "tiny.html")
        with open(page, "w", encoding="utf-8") as f:
            f.write(TINY_PAGE)
        config = os.path.join(tmp, "embedkeep.toml")
        open(config, "w").close()
        base = [args.binary, "--config", config]
        measure("embedkeep --version", [args.binary, "--version"], args.runs)
        measure("embedkeep scan tiny.html", base + ["scan", page], args.runs)
        measure("embedkeep scan tiny --json", base + ["scan", page, "--json"], args.runs)
        measure("/bin/true (process floor)", ["/bin/true"], args.runs)


if __name__ == "__main__":
    main()
