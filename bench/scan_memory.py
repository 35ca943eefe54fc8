#!/usr/bin/env python3
"""Peak memory of `embedkeep scan` of one large page, whole process: the 104 MB page of a
million Instagram blockquote stubs of `benches/peak_memory.rs` (`discover-1m-instagram-stubs`),
written to a file and scanned with `--json` under `/usr/bin/time -v`. Prints the maximum RSS,
the page size and their ratio (target: at most 3).

    cargo build --release
    python3 bench/scan_memory.py target/release/embedkeep [--stubs 1000000]
"""

import argparse
import os
import re
import subprocess
import tempfile


def write_page(path, stubs):
    with open(path, "w", encoding="utf-8") as f:
        f.write("<!doctype html><html><head><title>stubs</title></head><body>\n")
        for i in range(stubs):
            f.write('<blockquote class="instagram-media"><a href='
                    f'"https://www.instagram.com/p/C{i:09}/"></a></blockquote>\n')
        f.write("</body></html>\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary", nargs="?", default="target/release/embedkeep")
    parser.add_argument("--stubs", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        page = os.path.join(tmp, "stubs.html")
        write_page(page, args.stubs)
        size = os.path.getsize(page)
        config = os.path.join(tmp, "embedkeep.toml")
        with open(config, "w") as f:
            f.write(f"[http]\nmax_body_bytes = {size * 2}\n")
        argv = ["/usr/bin/time", "-v", args.binary, "--config", config, "scan", page, "--json"]
        proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        report = proc.stderr
        rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report).group(1))
        user = float(re.search(r"User time \(seconds\): ([\d.]+)", report).group(1))
        system = float(re.search(r"System time \(seconds\): ([\d.]+)", report).group(1))
        print(f"page {size:,} bytes; exit {proc.returncode}; CPU {user + system:.2f} s; "
              f"max RSS {rss_kib:,} KiB = {rss_kib * 1024 / size:.2f} × the page size")


if __name__ == "__main__":
    main()
