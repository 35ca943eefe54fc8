#!/usr/bin/env python3
"""The paths bench/serve.sh loads, and the same bytes as files for nginx (python3 stdlib only).

Lists the archive with the binary's own `embedkeep list --json` (read-only), takes up to
--posts posts and every thumbnail their latest snapshots show, then GETs each card
(`/v1/posts/ID/card`) and each image (`/v1/media/SHA256`) from the running `embedkeep serve`
and writes the answer's body to ROOT/<the same path>, so nginx answers the same path with the
same bytes. Writes cards.txt and media.txt (one path a line) next to ROOT for wrk.

Usage: serve_dump.py --bin BIN --config CFG --db DB --base http://127.0.0.1:PORT --out DIR
"""

import argparse
import http.client
import json
import os
import subprocess
import sys
import urllib.parse


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--base", required=True, help="the running embedkeep serve")
    ap.add_argument("--out", required=True, help="ROOT is OUT/www; path lists go in OUT")
    ap.add_argument("--posts", type=int, default=10000)
    args = ap.parse_args()

    listed = subprocess.run(
        [args.bin, "--config", args.config, "--db", args.db, "-q", "list", "--json",
         "--limit", str(args.posts)],
        check=True, capture_output=True)
    posts = json.loads(listed.stdout)["posts"]
    cards, media = [], []
    seen = set()
    for post in posts:
        cards.append(f"/v1/posts/{post['id']}/card")
        for m in (post.get("snapshot") or {}).get("media") or []:
            sha = (m.get("thumbnail") or {}).get("sha256")
            if sha and sha not in seen:
                seen.add(sha)
                media.append(f"/v1/media/{sha}")

    base = urllib.parse.urlsplit(args.base)
    conn = http.client.HTTPConnection(base.hostname, base.port, timeout=30)
    root = os.path.join(args.out, "www")
    total = 0
    for path in cards + media:
        conn.request("GET", path)
        answer = conn.getresponse()
        body = answer.read()
        if answer.status != 200:
            sys.exit(f"serve_dump.py: GET {path} answered {answer.status}: {body[:200]!r}")
        file = os.path.join(root, path.lstrip("/"))
        os.makedirs(os.path.dirname(file), exist_ok=True)
        with open(file, "wb") as f:
            f.write(body)
        total += len(body)
    for name, paths in (("cards.txt", cards), ("media.txt", media)):
        with open(os.path.join(args.out, name), "w") as f:
            f.write("".join(p + "\n" for p in paths))
    print(f"serve_dump.py: {len(cards)} cards and {len(media)} images, {total} bytes, in {root}")


if __name__ == "__main__":
    main()
