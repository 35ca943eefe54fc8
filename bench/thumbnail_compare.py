#!/usr/bin/env python3
"""One JPEG, one thumbnail width and quality, three thumbnailers, timed in one run.

  embedkeep   the thumbnail bench binary in its `compare` mode: make_thumbnail() REPS times
              in one process (JPEG decoded at a DCT scale, resized, lossy WebP)
  Pillow      Image.draft() (libjpeg-turbo's DCT scaling), resize with LANCZOS, WebP save:
              once with Pillow's default WebP method (4) and once with embedkeep's method
  vips        `vipsthumbnail` (shrink-on-load) as a command: one invocation thumbnails the
              image REPS times, one thumbnails it once; per image is the difference / (REPS-1),
              so process start-up and library loading are left out

Rounds alternate the thumbnailers so that machine noise falls on all of them alike. Each
figure is the median over ROUNDS of the per-image mean of REPS repetitions, as wall time and as
CPU time (user + system: what a busy machine's other processes do not add). Run it pinned to
one core (bench/thumbnail_compare.sh does `taskset -c 1`).
"""

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def pillow_thumbnail(data, width, quality, method):
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    height = round(image.height * width / image.width)
    # draft() picks the smallest DCT scale whose size still covers the request.
    image.draft("RGB", (width, height))
    image = image.convert("RGB").resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "WEBP", quality=quality, method=method)
    return out.getvalue(), image.size


def time_pillow(data, width, quality, method, reps):
    started, cpu = time.perf_counter(), time.process_time()
    for _ in range(reps):
        out, size = pillow_thumbnail(data, width, quality, method)
    wall = (time.perf_counter() - started) / reps * 1000
    return wall, (time.process_time() - cpu) / reps * 1000, len(out), size


def time_embedkeep(binary, image, width, reps):
    done = subprocess.run(
        [binary, "compare", image, str(width), str(reps)],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    dims = (result["width"], result["height"])
    return result["ms_per_image"], result["cpu_ms_per_image"], result["bytes"], dims


def run_vips(image, width, quality, copies, outdir):
    # vipsthumbnail writes each output next to a name of its own: give it REPS links to the
    # same file so that it decodes the same bytes each time.
    inputs = []
    for i in range(copies):
        link = os.path.join(outdir, f"in{i}.jpg")
        if not os.path.exists(link):
            os.symlink(os.path.abspath(image), link)
        inputs.append(link)
    started = time.perf_counter()
    proc = subprocess.Popen(
        ["vipsthumbnail", *inputs, "--size", f"{width}x", "-o", f"%s.webp[Q={quality}]"]
    )
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("thumbnail_compare: vipsthumbnail failed")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime


def time_vips(image, width, quality, reps, outdir):
    one, one_cpu = run_vips(image, width, quality, 1, outdir)
    many, many_cpu = run_vips(image, width, quality, reps, outdir)
    out = os.path.join(outdir, "in0.webp")
    per = lambda a, b: (b - a) / (reps - 1) * 1000
    return per(one, many), per(one_cpu, many_cpu), os.path.getsize(out), webp_size(out)


def webp_size(path):
    from PIL import Image

    with Image.open(path) as image:
        return image.size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", action="append", required=True,
                        help="the thumbnail bench binary, or NAME=PATH (repeatable: e.g. an "
                             "older build next to this one)")
    parser.add_argument("--image", required=True)
    parser.add_argument("--width", type=int, default=480)
    parser.add_argument("--quality", type=int, default=80)
    parser.add_argument("--method", type=int, default=2, help="embedkeep's libwebp method")
    parser.add_argument("--reps", type=int, default=40, help="images per timed batch")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    if shutil.which("vipsthumbnail") is None:
        sys.exit("thumbnail_compare: vipsthumbnail not found (Debian: libvips-tools)")
    with open(args.image, "rb") as f:
        data = f.read()

    bins = []
    for spec in args.bin:
        name, _, path = spec.rpartition("=")
        bins.append((f"embedkeep {name}".strip(), path))
    ours_name = bins[-1][0]
    names = [name for name, _ in bins]
    names += ["pillow-draft (method 4)", f"pillow-draft (method {args.method})", "vipsthumbnail"]
    times = {name: [] for name in names}
    cpus = {name: [] for name in names}
    sizes = {}
    with tempfile.TemporaryDirectory() as outdir:
        # One warm-up of each: page cache, lazy library loading.
        for _, path in bins:
            time_embedkeep(path, args.image, args.width, 2)
        time_pillow(data, args.width, args.quality, 4, 2)
        time_vips(args.image, args.width, args.quality, 2, outdir)
        for _ in range(args.rounds):
            for name, path in bins:
                ms, cpu, size, dims = time_embedkeep(path, args.image, args.width, args.reps)
                times[name].append(ms)
                cpus[name].append(cpu)
                sizes[name] = (size, dims)
            for method in (4, args.method):
                name = f"pillow-draft (method {method})"
                ms, cpu, size, dims = time_pillow(data, args.width, args.quality, method, args.reps)
                times[name].append(ms)
                cpus[name].append(cpu)
                sizes[name] = (size, dims)
            ms, cpu, size, dims = time_vips(args.image, args.width, args.quality, args.reps, outdir)
            times["vipsthumbnail"].append(ms)
            cpus["vipsthumbnail"].append(cpu)
            sizes["vipsthumbnail"] = (size, dims)

    print(
        f"{os.path.basename(args.image)} -> {args.width} px WebP q{args.quality}; "
        f"median of {args.rounds} rounds x {args.reps} images, ms per image"
    )
    reference = statistics.median(times["pillow-draft (method 4)"])
    ours = statistics.median(times[ours_name])
    print(f"{'thumbnailer':28} {'wall ms':>8} {'min':>7} {'cpu ms':>7} {'x pillow-m4 wall':>16} "
          f"{'cpu':>5} {'bytes':>7}  size")
    ref_cpu = statistics.median(cpus["pillow-draft (method 4)"])
    for name in names:
        median = statistics.median(times[name])
        cpu = statistics.median(cpus[name])
        size, dims = sizes[name]
        print(
            f"{name:28} {median:8.2f} {min(times[name]):7.2f} {cpu:7.2f} "
            f"{median / reference:16.2f} {cpu / ref_cpu:5.2f} {size:7d}  {dims[0]}x{dims[1]}"
        )
    print(f"{ours_name} / pillow-draft (method 4): {ours / reference:.2f} wall, "
          f"{statistics.median(cpus[ours_name]) / ref_cpu:.2f} cpu")
    method_ref = statistics.median(times[f"pillow-draft (method {args.method})"])
    print(f"{ours_name} / pillow-draft (method {args.method}): {ours / method_ref:.2f}")
    print(f"{ours_name} / vipsthumbnail: {ours / statistics.median(times['vipsthumbnail']):.2f}")
    pillow_bytes = sizes["pillow-draft (method 4)"][0]
    print(f"{ours_name} output {sizes[ours_name][0]} bytes, pillow-draft (method 4) {pillow_bytes}")


if __name__ == "__main__":
    main()
