#!/usr/bin/env python3
"""The lxml baseline for `embedkeep scan`: the same kind of work in one Python process.

For every page given (files, or directories walked for *.html, *.htm and *.txt like `scan`
walks them), parse it with lxml and list the embeds found by the selectors publishers' embed
code uses: the platforms' blockquote classes (with the post link inside), iframes by host, and
the platforms' embed scripts; plain-text files are searched for the Instagram remnant header.
Prints one JSON document shaped like `scan --json` (url, title, error, embeds, remnants).

    pip install lxml          # not a dependency of the project; for this benchmark only
    python3 bench/lxml_scan.py tests/fixtures/articles tests/fixtures/articles-unseen > out.json
"""

import json
import os
import re
import sys
from urllib.parse import urljoin, urlsplit

import lxml.html

PAGE_EXTENSIONS = (".html", ".htm", ".txt")

# Blockquote class -> platform.
BLOCKQUOTE_CLASSES = {
    "instagram-media": "instagram",
    "twitter-tweet": "x",
    "twitter-video": "x",
    "tiktok-embed": "tiktok",
    "bluesky-embed": "bluesky",
    "mastodon-embed": "mastodon",
    "text-post-media": "threads",
    "reddit-embed-bq": "reddit",
    "reddit-card": "reddit",
    "tumblr-post": "tumblr",
    "imgur-embed-pub": "imgur",
    "fb-xfbml-parse-ignore": "facebook",
}

# Iframe host (suffix match) -> platform.
IFRAME_HOSTS = {
    "youtube.com": "youtube",
    "youtube-nocookie.com": "youtube",
    "youtu.be": "youtube",
    "player.vimeo.com": "vimeo",
    "dailymotion.com": "dailymotion",
    "open.spotify.com": "spotify",
    "w.soundcloud.com": "soundcloud",
    "facebook.com": "facebook",
    "instagram.com": "instagram",
    "platform.twitter.com": "x",
    "tiktok.com": "tiktok",
    "embed.bsky.app": "bluesky",
    "giphy.com": "giphy",
    "player.twitch.tv": "twitch",
    "clips.twitch.tv": "twitch",
    "linkedin.com": "linkedin",
    "embed.podcasts.apple.com": "apple_podcasts",
    "bandcamp.com": "bandcamp",
    "assets.pinterest.com": "pinterest",
    "reddit.com": "reddit",
    "redditmedia.com": "reddit",
    "threads.net": "threads",
    "threads.com": "threads",
}

# Embed script host or path -> platform.
SCRIPT_MARKERS = {
    "platform.twitter.com/widgets.js": "x",
    "instagram.com/embed.js": "instagram",
    "tiktok.com/embed.js": "tiktok",
    "embed.bsky.app/static/embed.js": "bluesky",
    "embed.redditmedia.com/widgets/platform.js": "reddit",
    "assets.tumblr.com/post.js": "tumblr",
    "s.imgur.com/min/embed.js": "imgur",
    "connect.facebook.net": "facebook",
    "www.threads.net/embed.js": "threads",
}

REMNANT = re.compile(r"A post shared by ([^\n(]*?)\s*\(@([A-Za-z0-9_.]+)\)")


def pages(args):
    for arg in args:
        if os.path.isdir(arg):
            found = []
            for root, dirs, files in os.walk(arg):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in files:
                    if not name.startswith(".") and name.lower().endswith(PAGE_EXTENSIONS):
                        found.append(os.path.join(root, name))
            yield from sorted(found)
        else:
            yield arg


def host_of(url):
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def iframe_platform(src):
    host = host_of(src)
    for suffix, platform in IFRAME_HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return platform
    return None


def scan_html(data, base):
    doc = lxml.html.document_fromstring(data)
    title = doc.findtext(".//title")
    embeds = []
    for bq in doc.iter("blockquote"):
        classes = (bq.get("class") or "").split()
        platform = next((BLOCKQUOTE_CLASSES[c] for c in classes if c in BLOCKQUOTE_CLASSES), None)
        if platform is None:
            continue
        post = bq.get("data-instgrm-permalink") or bq.get("cite")
        if not post:
            links = [a.get("href") for a in bq.iter("a") if a.get("href")]
            post = links[-1] if links else None
        embeds.append({"platform": platform, "kind": "blockquote",
                       "post_url": urljoin(base, post) if post else None})
    for frame in doc.iter("iframe"):
        src = frame.get("src") or frame.get("data-src") or ""
        if src.startswith("//"):
            src = "https:" + src
        platform = iframe_platform(src)
        if platform:
            embeds.append({"platform": platform, "kind": "iframe", "post_url": urljoin(base, src)})
    scripts = []
    for script in doc.iter("script"):
        src = script.get("src") or ""
        for marker, platform in SCRIPT_MARKERS.items():
            if marker in src:
                scripts.append(platform)
    return title, embeds, sorted(set(scripts))


def scan_file(path):
    report = {"url": path, "title": None, "error": None, "embeds": [], "remnants": [],
              "scripts": []}
    try:
        with open(path, "rb") as f:
            data = f.read()
        if path.lower().endswith(".txt"):
            text = data.decode("utf-8", "replace")
            report["remnants"] = [{"platform": "instagram", "author_name": m.group(1),
                                   "author_handle": m.group(2)} for m in REMNANT.finditer(text)]
        else:
            base = "file://" + os.path.abspath(path)
            title, embeds, scripts = scan_html(data, base)
            report.update(title=title, embeds=embeds, scripts=scripts)
    except Exception as e:  # one bad page is one failed entry, as in `scan`
        report["error"] = f"{path}: {e}"
    return report


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: lxml_scan.py PATH...")
    articles = [scan_file(p) for p in pages(sys.argv[1:])]
    json.dump({"articles": articles}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
