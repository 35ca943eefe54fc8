#!/usr/bin/env python3
"""Samples a running embedkeep daemon and summarises the samples (python3 standard library only).

  sampler.py sample --pid PID --db DB --csv FILE --phase NAME --duration S [--interval S]
      Every INTERVAL seconds for DURATION seconds (or until the process exits), append one row
      to FILE: the process's memory from /proc/PID/status (VmRSS, VmHWM, threads), its CPU
      seconds from /proc/PID/stat, and counts from the archive, read through a read-only
      connection (articles, embeds, checks, snapshots, posts, jobs by state), plus the size of
      the database and its WAL.

  sampler.py report --csv FILE [--articles N]
      Per phase: RSS (first, median, max, last), peak RSS (VmHWM), the RSS trend (least-squares
      slope), articles/s, embeds/s and checks/s while there was work, and when the queue drained.
"""

import argparse
import csv
import os
import sqlite3
import statistics
import sys
import time

FIELDS = [
    "unix", "elapsed_s", "phase", "rss_kb", "hwm_kb", "threads", "cpu_s",
    "articles", "articles_failed", "embeds", "posts", "checks", "snapshots",
    "jobs_queued", "jobs_running", "jobs_done", "jobs_failed", "db_bytes", "server_cpu_s",
]

CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM", "Threads"):
                    out[key] = int(value.split()[0])
        with open(f"/proc/{pid}/stat") as f:
            # Fields after the command name (which may contain spaces) start after ')'.
            rest = f.read().rsplit(")", 1)[1].split()
            out["cpu"] = (int(rest[11]) + int(rest[12])) / CLK_TCK  # utime + stime
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return None
    return out


def db_counts(db):
    """Counts from the archive; empty values while it is not there yet or busy."""
    counts = {}
    if not os.path.exists(db):
        return counts
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            q = lambda sql: conn.execute(sql).fetchone()[0]
            counts["articles"] = q("SELECT count(*) FROM articles")
            counts["articles_failed"] = q("SELECT count(*) FROM articles WHERE error IS NOT NULL")
            counts["embeds"] = q("SELECT count(*) FROM article_embeds")
            counts["posts"] = q("SELECT count(*) FROM posts")
            counts["checks"] = q("SELECT count(*) FROM checks")
            counts["snapshots"] = q("SELECT count(*) FROM snapshots")
            for state, n in conn.execute("SELECT state, count(*) FROM jobs GROUP BY state"):
                counts[f"jobs_{state}"] = n
            for state in ("queued", "running", "done", "failed"):
                counts.setdefault(f"jobs_{state}", 0)
        finally:
            conn.close()
    except sqlite3.Error:
        return {}
    size = 0
    for suffix in ("", "-wal"):
        try:
            size += os.path.getsize(db + suffix)
        except OSError:
            pass
    counts["db_bytes"] = size
    return counts


def sample(args):
    new = not os.path.exists(args.csv) or os.path.getsize(args.csv) == 0
    t0 = args.t0 if args.t0 is not None else time.time()
    end = time.monotonic() + args.duration
    with open(args.csv, "a", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        if new:
            w.writeheader()
        while True:
            st = proc_status(args.pid)
            if st is None:
                print(f"sampler: process {args.pid} is gone", file=sys.stderr)
                return 1
            now = time.time()
            row = {"unix": f"{now:.1f}", "elapsed_s": f"{now - t0:.1f}", "phase": args.phase,
                   "rss_kb": st.get("VmRSS", ""), "hwm_kb": st.get("VmHWM", ""),
                   "threads": st.get("Threads", ""), "cpu_s": f"{st.get('cpu', 0):.2f}"}
            row.update(db_counts(args.db))
            if args.server_pid:
                server = proc_status(args.server_pid)
                if server is not None:
                    row["server_cpu_s"] = f"{server.get('cpu', 0):.2f}"
            w.writerow(row)
            f.flush()
            if args.echo:
                print(f"[{row['elapsed_s']:>7}s {args.phase}] rss {int(row['rss_kb']) / 1024:.1f} MiB"
                      f" hwm {int(row['hwm_kb']) / 1024:.1f} MiB cpu {row['cpu_s']} s"
                      f" articles {row.get('articles', '-')} checks {row.get('checks', '-')}"
                      f" queued {row.get('jobs_queued', '-')}", flush=True)
            left = end - time.monotonic()
            if left <= 0:
                return 0
            time.sleep(min(args.interval, left))


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def slope(xs, ys):
    """Least-squares slope of ys over xs (per unit of x); None with fewer than 3 points."""
    if len(xs) < 3:
        return None
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    den = sum((x - mx) ** 2 for x in xs)
    if den == 0:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den


def mib(kb):
    return f"{kb / 1024:.1f} MiB"


def report(args):
    with open(args.csv, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        print("no samples")
        return 1
    for r in rows:
        for k in FIELDS:
            if k != "phase":
                r[k] = num(r.get(k))
    phases = []
    for r in rows:
        if not phases or phases[-1][0] != r["phase"]:
            phases.append((r["phase"], []))
        phases[-1][1].append(r)
    print(f"samples: {len(rows)} from {args.csv}")
    for name, rs in phases:
        rss = [r["rss_kb"] for r in rs]
        t = [r["elapsed_s"] for r in rs]
        span = t[-1] - t[0]
        print(f"\n== phase {name}: {len(rs)} samples over {span:.0f} s "
              f"(elapsed {t[0]:.0f}..{t[-1]:.0f} s)")
        print(f"  RSS   first {mib(rss[0])}, median {mib(statistics.median(rss))}, "
              f"min {mib(min(rss))}, max {mib(max(rss))}, last {mib(rss[-1])}")
        print(f"  VmHWM (peak RSS since start) at end of phase: {mib(rs[-1]['hwm_kb'])}")
        print(f"  threads {int(rs[-1]['threads'])}, CPU used in phase "
              f"{rs[-1]['cpu_s'] - rs[0]['cpu_s']:.1f} s")
        if rs[-1].get("articles") is None:
            continue
        # The working stretch: from the sample before the first one with work queued or running
        # to the first sample where the queue was empty again.
        busy = [i for i, r in enumerate(rs)
                if (r["jobs_queued"] or 0) + (r["jobs_running"] or 0) > 0]
        if not busy:
            s = slope([x / 60 for x in t], rss)
            if s is not None:
                print(f"  RSS trend over the phase (no work queued): {s / 1024:+.3f} MiB/min")
        if busy:
            start = max(busy[0] - 1, 0)
            # The first empty queue after the work began (later re-check jobs are not part of
            # the stretch: they are the idling that follows).
            drained = next((i for i in range(busy[0], len(rs))
                            if (rs[i]["jobs_queued"] or 0) + (rs[i]["jobs_running"] or 0) == 0),
                           None)
            stop = drained if drained is not None else len(rs) - 1
            a, b = rs[start], rs[stop]
            dt = b["elapsed_s"] - a["elapsed_s"]
            if dt > 0:
                d = lambda k: (b[k] or 0) - (a[k] or 0)
                cpu = b["cpu_s"] - a["cpu_s"]
                print(f"  working {a['elapsed_s']:.0f}..{b['elapsed_s']:.0f} s ({dt:.0f} s"
                      f"{', queue drained' if drained is not None else ', queue NOT drained by the end'}):")
                print(f"    articles {d('articles'):.0f} ({d('articles') / dt:.1f}/s), "
                      f"embeds {d('embeds'):.0f} ({d('embeds') / dt:.1f}/s), "
                      f"checks {d('checks'):.0f} ({d('checks') / dt:.1f}/s), "
                      f"new snapshots {d('snapshots'):.0f}, failed articles {d('articles_failed'):.0f}")
                print(f"    daemon CPU {cpu:.0f} s ({cpu / dt:.2f} cores); "
                      f"{d('checks') / cpu if cpu else 0:.1f} checks per CPU second")
                if a.get("server_cpu_s") is not None and b.get("server_cpu_s") is not None:
                    scpu = b["server_cpu_s"] - a["server_cpu_s"]
                    print(f"    fixture server CPU {scpu:.0f} s ({scpu / dt:.2f} cores)")
                work = rs[start:stop + 1]
                wr = [r["rss_kb"] for r in work]
                print(f"    RSS while working: median {mib(statistics.median(wr))}, "
                      f"max {mib(max(wr))}")
                # Flatness: RSS at each quarter of the working stretch, and its trend after the
                # first quarter (the warm-up: pools, caches and allocator arenas filling).
                quarters = [work[min(len(work) - 1, round(q * (len(work) - 1)))]
                            for q in (0.25, 0.5, 0.75, 1.0)]
                print("    RSS at 25/50/75/100% of the stretch: "
                      + ", ".join(mib(r["rss_kb"]) for r in quarters))
                tail = work[len(work) // 4:]
                s = slope([r["elapsed_s"] / 60 for r in tail], [r["rss_kb"] for r in tail])
                if s is not None:
                    print(f"    RSS trend after the first quarter: {s / 1024:+.3f} MiB/min")
                # Windowed rates: the spread shows noise and slow-down.
                rates = []
                for i in range(1, len(work)):
                    w_dt = work[i]["elapsed_s"] - work[i - 1]["elapsed_s"]
                    if w_dt > 0:
                        rates.append(((work[i]["articles"] or 0) - (work[i - 1]["articles"] or 0)) / w_dt)
                if len(rates) >= 3:
                    q = statistics.quantiles(rates, n=10)
                    print(f"    articles/s per sample interval: median {statistics.median(rates):.1f}, "
                          f"p10 {q[0]:.1f}, p90 {q[-1]:.1f}")
                if drained is not None and drained < len(rs) - 1:
                    after = rs[drained:]
                    ar = [r["rss_kb"] for r in after]
                    print(f"  after the queue drained ({len(after)} samples, "
                          f"{after[-1]['elapsed_s'] - after[0]['elapsed_s']:.0f} s): RSS median "
                          f"{mib(statistics.median(ar))}, min {mib(min(ar))}, max {mib(max(ar))}, "
                          f"last {mib(ar[-1])}; checks {after[-1]['checks'] - after[0]['checks']:.0f}")
                    s = slope([r["elapsed_s"] / 60 for r in after], ar)
                    if s is not None:
                        print(f"    RSS trend after the queue drained: {s / 1024:+.3f} MiB/min")
        last = rs[-1]
        print(f"  at end of phase: articles {last['articles']:.0f} "
              f"(failed {last['articles_failed']:.0f}), embeds {last['embeds']:.0f}, "
              f"posts {last['posts']:.0f}, checks {last['checks']:.0f}, "
              f"snapshots {last['snapshots']:.0f}, jobs queued {last['jobs_queued']:.0f} / "
              f"running {last['jobs_running']:.0f} / done {last['jobs_done']:.0f} / "
              f"failed {last['jobs_failed']:.0f}, database {last['db_bytes'] / 1048576:.1f} MiB")
        if args.articles and busy and last["articles"] < args.articles:
            print(f"  NOTE: {args.articles - last['articles']:.0f} of {args.articles} articles "
                  "not archived by the end of the phase")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("sample")
    s.add_argument("--pid", type=int, required=True)
    s.add_argument("--db", required=True)
    s.add_argument("--csv", required=True)
    s.add_argument("--phase", required=True)
    s.add_argument("--duration", type=float, required=True)
    s.add_argument("--interval", type=float, default=5)
    s.add_argument("--t0", type=float, help="unix time that elapsed_s counts from")
    s.add_argument("--echo", action="store_true", help="print each sample")
    s.add_argument("--server-pid", type=int, help="also record this process's CPU seconds "
                   "(the fixture server, which shares the machine)")
    r = sub.add_parser("report")
    r.add_argument("--csv", required=True)
    r.add_argument("--articles", type=int, help="articles the sitemap lists")
    args = ap.parse_args()
    return sample(args) if args.cmd == "sample" else report(args)


if __name__ == "__main__":
    sys.exit(main())
