#!/usr/bin/env bash
# embedkeep's thumbnail against Pillow with draft mode and vipsthumbnail: the same camera JPEG,
# the same width and WebP quality, pinned to one core, many repetitions, in one run; prints the
# milliseconds per image, the ratios and the output sizes (bench/thumbnail_compare.py).
#
# Usage: bench/thumbnail_compare.sh [[NAME=]THUMBNAIL_BENCH_BINARY ...]
#   Without a path, builds the thumbnail bench (`cargo bench --bench thumbnail --no-run`). With
#   several (e.g. before=OLD after=NEW), each is timed in the same rounds; ratios are of the last.
# Needs: python3 with Pillow (PyPI), vipsthumbnail (Debian: libvips-tools), taskset.
# Environment (defaults):
#   IMAGE=tests/fixtures/samples/images/photo-1744x2464-camera.jpg   the JPEG (the bench's)
#   WIDTH=480 QUALITY=80   thumbnail width and WebP quality (embedkeep's defaults)
#   REPS=40 ROUNDS=7       images per timed batch, batches per thumbnailer
#   CPU=1                  the core everything is pinned to
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

IMAGE=${IMAGE:-$root/tests/fixtures/samples/images/photo-1744x2464-camera.jpg}
WIDTH=${WIDTH:-480}
QUALITY=${QUALITY:-80}
REPS=${REPS:-40}
ROUNDS=${ROUNDS:-7}
CPU=${CPU:-1}

bins=()
if [[ $# -ge 1 ]]; then
    for spec in "$@"; do
        name=""; path=$spec
        if [[ $spec == *=* ]]; then name=${spec%%=*}=; path=${spec#*=}; fi
        [[ -x $path ]] || { echo "thumbnail_compare.sh: no executable at '$path'" >&2; exit 2; }
        bins+=(--bin "$name$(realpath "$path")")
    done
else
    bin=$(cd "$root" && cargo bench --locked --bench thumbnail --no-run --message-format=json \
        | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "thumbnail" and m.get("executable"):
        print(m["executable"])')
    [[ -x $bin ]] || { echo "thumbnail_compare.sh: no executable at '$bin'" >&2; exit 2; }
    bins+=(--bin "$bin")
fi

# The libwebp method embedkeep uses, so Pillow is also timed at the same effort.
method=$(sed -n 's/^const WEBP_METHOD: i32 = \([0-9]\);.*/\1/p' "$root/src/media/encode.rs")

exec taskset -c "$CPU" python3 "$here/thumbnail_compare.py" "${bins[@]}" --image "$IMAGE" \
    --width "$WIDTH" --quality "$QUALITY" --method "${method:-4}" --reps "$REPS" --rounds "$ROUNDS"
