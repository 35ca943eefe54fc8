#!/usr/bin/env python3
"""In-process discovery against the lxml baseline, pairwise in one run.

Both sides do one pass over the same pages (`tests/fixtures/articles/*.html`, the corpus of
`benches/discover.rs`) with the pages already in memory, so only the work on the page counts:

- embedkeep: the criterion benchmark `discover/corpus_N_pages` (`benches/discover.rs`), run by
  its built binary; its estimate of one pass (the middle of criterion's interval) is taken;
- lxml: `scan_html` of `bench/lxml_scan.py` (parse with lxml, then the embed selectors) on
  every page, `--passes` passes, the median pass.

The two alternate for `--rounds` rounds (the order rotating), so that a change in the machine's
load falls on both; the ratio is lxml's time over embedkeep's, per round, and its median.

    pip install lxml
    cargo bench --bench discover --no-run
    python3 bench/discover_vs_lxml.py --rounds 5
"""

import argparse
import glob
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import lxml_scan  # noqa: E402  (the baseline's own code, beside this script)

UNITS = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}


def bench_binary(target_dir):
    found = [p for p in glob.glob(os.path.join(target_dir, "release", "deps", "discover-*"))
             if os.access(p, os.X_OK) and not p.endswith(".d")]
    if not found:
        sys.exit("discover_vs_lxml.py: no bench binary; run `cargo bench --bench discover --no-run`")
    return max(found, key=os.path.getmtime)


def embedkeep_pass_ms(binary, seconds):
    out = subprocess.run(
        [binary, "--bench", "discover/corpus", "--noplot", "--warm-up-time", "1",
         "--measurement-time", str(seconds)],
        capture_output=True, text=True, check=True, cwd=ROOT).stdout
    m = re.search(r"time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", out)
    if not m:
        sys.exit(f"discover_vs_lxml.py: no estimate in the bench output:\n{out}")
    return float(m.group(1)) * UNITS[m.group(2)]


def lxml_pass_ms(pages, passes):
    times = []
    for _ in range(passes):
        start = time.perf_counter()
        for data in pages:
            lxml_scan.scan_html(data, "https://news.example/article")
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--passes", type=int, default=5, help="lxml passes per round")
    ap.add_argument("--seconds", type=int, default=5, help="criterion measurement time per round")
    ap.add_argument("--target-dir", default=os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")))
    args = ap.parse_args()

    paths = sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/articles/*.html")))
    pages = [open(p, "rb").read() for p in paths]
    size = sum(map(len, pages))
    binary = bench_binary(args.target_dir)
    print(f"{len(pages)} pages, {size / 2**20:.1f} MiB; bench binary {os.path.basename(binary)}")

    rows = []
    for r in range(args.rounds):
        order = ["embedkeep", "lxml"] if r % 2 == 0 else ["lxml", "embedkeep"]
        got = {}
        for side in order:
            got[side] = (embedkeep_pass_ms(binary, args.seconds) if side == "embedkeep"
                         else lxml_pass_ms(pages, args.passes))
        ratio = got["lxml"] / got["embedkeep"]
        rows.append((got["embedkeep"], got["lxml"], ratio))
        print(f"round {r + 1}: embedkeep {got['embedkeep']:.1f} ms, lxml {got['lxml']:.1f} ms "
              f"per pass: lxml takes {ratio:.1f}x embedkeep's time", flush=True)
    ek = statistics.median(r[0] for r in rows)
    lx = statistics.median(r[1] for r in rows)
    ratio = statistics.median(r[2] for r in rows)
    print(f"median: embedkeep {ek:.1f} ms ({size / 2**20 / (ek / 1e3):.0f} MiB/s), "
          f"lxml {lx:.1f} ms ({size / 2**20 / (lx / 1e3):.0f} MiB/s); "
          f"embedkeep is {ratio:.1f}x as fast (median of per-round ratios; target >= 10x)")


if __name__ == "__main__":
    main()
