#!/usr/bin/env python3
"""Discovery recall through the binary, as an archivist meets it: `embedkeep scan DIR --json`
of a labelled corpus directory (each saved page's base is its own file:// URL), scored against
the directory's labels.json.

Counts the labelled posts in ordinary markup (`location` "dom", widgets left out) and how many
of them the scan reports with the same platform and post id. Platform names are compared as the
scan writes them, after the labels' `twitter` is read as `x` and `apple-podcasts` as
`applepodcasts`, and a provider without a module counts as found when the scan reports it as
`oembed` with the id `PROVIDER/ID`; a label the scan names otherwise counts as missed, so the
figure is a floor.
The Rust corpus tests (`tests/discover_corpus.rs`, `tests/discover_unseen.rs`) score in-process
discovery against a web base URL and read labels more finely; this script is the whole-process
view of the same pages.

    python3 bench/scan_recall.py target/release/embedkeep tests/fixtures/articles-unseen
"""

import json
import os
import subprocess
import sys

ALIASES = {"twitter": "x", "apple-podcasts": "applepodcasts"}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: scan_recall.py EMBEDKEEP CORPUS_DIR")
    binary, corpus = sys.argv[1], sys.argv[2]
    labels = json.load(open(os.path.join(corpus, "labels.json")))
    run = subprocess.run([binary, "scan", corpus, "--json", "-q"], capture_output=True, text=True)
    found = {}
    for article in json.loads(run.stdout)["articles"]:
        name = os.path.basename(article["url"])
        found[name] = {(e["platform"], str(e.get("post_id"))) for e in article.get("embeds", [])}
    hits, missed = 0, []
    for page in labels:
        for e in page.get("embeds", []):
            if e.get("location", "dom") != "dom" or e.get("kind", "").endswith(("timeline", "profile")):
                continue
            key = (ALIASES.get(e["platform"], e["platform"]), str(e.get("post_id")))
            # A provider without a module of its own is reported by the generic oEmbed
            # platform, its id prefixed with the provider's name.
            generic = ("oembed", f"{key[0]}/{key[1]}")
            if key in found.get(page["page"], set()) or generic in found.get(page["page"], set()):
                hits += 1
            else:
                missed.append((page["page"], *key))
    total = hits + len(missed)
    print(f"{corpus}: {hits} of {total} labelled dom posts found ({hits / max(total, 1):.3f})")
    for page, platform, post_id in missed:
        print(f"  missed {platform} {post_id} in {page}")


if __name__ == "__main__":
    main()
