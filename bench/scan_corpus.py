#!/usr/bin/env python3
"""Whole-corpus scan, whole process, pairwise in one run: `embedkeep scan DIR... --json` in one
process, the lxml baseline (`bench/lxml_scan.py`, one Python process), and the page-by-page
way (one `embedkeep scan FILE --json` process per page). The three alternate within each
repetition (the order rotating), so a change in the machine's load hits all of them alike.
Reports medians of CPU time (user + system of the process and its children) and of wall time,
and the ratios to the lxml baseline.

    pip install lxml          # for the baseline only
    cargo build --release
    python3 bench/scan_corpus.py target/release/embedkeep --reps 7
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DIRS = ["tests/fixtures/articles", "tests/fixtures/articles-unseen"]
PAGE_EXTENSIONS = (".html", ".htm", ".txt")


def pages(dirs):
    found = []
    for d in dirs:
        for root, subdirs, files in os.walk(d):
            subdirs[:] = [s for s in subdirs if not s.startswith(".")]
            found += [os.path.join(root, f) for f in files
                      if not f.startswith(".") and f.lower().endswith(PAGE_EXTENSIONS)]
    return sorted(found)


def timed(commands):
    """(CPU ms, wall ms) of running each command in turn, output thrown away."""
    before = os.times()
    started = time.perf_counter()
    for argv in commands:
        proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if proc.returncode not in (0, 1):  # 1: some page failed, still a full run
            raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}")
    wall = (time.perf_counter() - started) * 1000
    after = os.times()
    cpu = (after.children_user - before.children_user
           + after.children_system - before.children_system) * 1000
    return cpu, wall


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", nargs="?", default="target/release/embedkeep")
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--page-by-page-reps", type=int, default=3,
                        help="repetitions of the one-process-per-page way (slow)")
    args = parser.parse_args()
    files = pages(DIRS)
    size = sum(os.path.getsize(f) for f in files)
    print(f"corpus: {len(files)} pages, {size / 2**20:.1f} MiB ({', '.join(DIRS)})")
    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "embedkeep.toml")
        with open(config, "w") as f:
            f.write("[http]\nmax_body_bytes = 104857600\n")
        ek = [args.binary, "--config", config, "scan"]
        ways = {
            "embedkeep scan, one process": [ek + DIRS + ["--json"]],
            "lxml script, one process": [[sys.executable, os.path.join(HERE, "lxml_scan.py")] + DIRS],
            "embedkeep scan, page by page": [ek + [f, "--json"] for f in files],
        }
        results = {name: [] for name in ways}
        names = list(ways)
        for rep in range(args.reps):
            order = names[rep % 3:] + names[:rep % 3]
            for name in order:
                if name.endswith("page by page") and rep >= args.page_by_page_reps:
                    continue
                results[name].append(timed(ways[name]))
    base_cpu = statistics.median(c for c, _ in results["lxml script, one process"])
    base_wall = statistics.median(w for _, w in results["lxml script, one process"])
    print(f"{'way':<32} {'runs':>4} {'CPU ms':>9} {'wall ms':>9} {'CPU ÷ lxml':>11} {'wall ÷ lxml':>12}")
    for name, runs in results.items():
        cpu = statistics.median(c for c, _ in runs)
        wall = statistics.median(w for _, w in runs)
        print(f"{name:<32} {len(runs):>4} {cpu:>9.0f} {wall:>9.0f} {cpu / base_cpu:>11.2f} {wall / base_wall:>12.2f}")


if __name__ == "__main__":
    main()
