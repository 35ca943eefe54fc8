#!/usr/bin/env python3
"""Loopback fixture server for embedkeep's benchmarks (python3 standard library only).

It speaks the URL scheme of `[http.host_overrides]`, as the tests' fixture server does:
a request for `http://127.0.0.1:PORT/HOST/PATH?QUERY` is the logical URL
`https://HOST/PATH?QUERY`. It answers:

  * https://news.example.com/sitemap.xml   a sitemap of N generated article URLs
  * https://news.example.com/bench/all.html every one of those embeds on one page
  * https://news.example.com/bench/NNNNNN.html
                                            a generated article page with 1 to 3 embeds, in the
                                            markup of tests/fixtures/local/article-four-platforms.html,
                                            of posts whose platform answers are recorded; which
                                            posts (and how many) varies with the article number
  * every exchange recorded in tests/fixtures/samples/manifest.json (platform answers and media
    images), matched on host + path + sorted decoded query pairs like `match_key` in
    tests/support/mod.rs: `format=json` is ignored, X syndication matches on `id` only and
    Bluesky getPostThread on `uri` only; the first entry for a key wins
  * with --distinct-posts, one more embed per article: an Instagram post of its own
    (https://www.instagram.com/p/BkNNNNNNNNN/, NNNNNNNNN the article number), answered with the
    recorded single-image embed page (instagram/embed-captioned-C8kQx2LtA1b-image.html) with the
    shortcode and caption rewritten, so that the archive grows by one post per article and each
    post is re-checked on its own schedule
  * with --only-distinct (implies --distinct-posts), articles embed nothing but their own post,
    so archiving N articles makes an archive of N posts at one post's cost each
  * with --distinct-images (with --distinct-posts), each article's own post shows an image of
    its own: https://scontent.cdninstagram.com/v/bench/NNNNNNNNN_480x600.png, a generated
    480x600 PNG (a textured gradient, varied per post), so the archive holds one thumbnail per
    post rather than one shared by all
  * http://127.0.0.1:PORT/__stats           request counters as JSON (not a logical URL)

Anything else answers HTTP 599, so nothing is ever mistaken for a gone post.

Usage:
  fixture_server.py [--port 0] [--articles 10000] [--filler-bytes 40000]
                    [--samples DIR] [--port-file FILE]
The chosen port is printed on the first line of standard output ("listening on PORT") and,
with --port-file, written to FILE. It binds 127.0.0.1 only.
"""

import argparse
import json
import os
import re
import struct
import sys
import threading
import time
import urllib.parse
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

NEWS_HOST = "news.example.com"
ARTICLE_PREFIX = "/bench/"
SITEMAP_PATH = "/sitemap.xml"
# A fixed date, so the sitemap's bytes are the same on every poll (an unchanged source queues
# nothing) and every article looks older than its first fetch.
LASTMOD = "2026-01-15T08:00:00Z"

# The embed markup forms of tests/fixtures/local/article-four-platforms.html, one per post whose
# platform answers are recorded in the sample manifest.
IG_STYLE = (
    ' style=" background:#FFF; border:0; border-radius:3px; box-shadow:0 0 1px 0 rgba(0,0,0,0.5),'
    '0 1px 10px 0 rgba(0,0,0,0.15); margin: 1px; max-width:540px; min-width:326px; padding:0; '
    'width:99.375%;"'
)


def instagram(code, who):
    link = f"https://www.instagram.com/p/{code}/?utm_source=ig_embed&amp;utm_campaign=loading"
    return (
        f'<blockquote class="instagram-media" data-instgrm-captioned data-instgrm-permalink="{link}" '
        f'data-instgrm-version="14"{IG_STYLE}><div style="padding:16px;"> <a href="{link}" '
        'style=" background:#FFFFFF; line-height:0; padding:0 0; text-align:center; '
        'text-decoration:none; width:100%;" target="_blank"> <div style="padding:19% 0;"></div>'
        '<div style="padding-top: 8px;"> <div style=" color:#3897f0; font-family:Arial,sans-serif; '
        'font-size:14px; font-style:normal; font-weight:550; line-height:18px;">View this post on '
        'Instagram</div></div></a><p style=" color:#c9c8cd; font-family:Arial,sans-serif; '
        'font-size:14px; line-height:17px; margin-bottom:0; margin-top:8px; overflow:hidden; '
        'padding:8px 0 7px; text-align:center; text-overflow:ellipsis; white-space:nowrap;">'
        f'<a href="{link}" style=" color:#c9c8cd; font-family:Arial,sans-serif; font-size:14px; '
        'font-style:normal; font-weight:normal; line-height:17px; text-decoration:none;" '
        f'target="_blank">A post shared by {who}</a></p></div></blockquote>\n'
        '<script async src="//www.instagram.com/embed.js"></script>\n'
    )


EMBEDS = [
    ("instagram C8kQx2LtA1b", instagram("C8kQx2LtA1b", "Harbour Desk (@harbourdesk)")),
    ("instagram C8tZr5pIe0B", instagram("C8tZr5pIe0B", "Market Notes · Lyon (@marketnotes)")),
    ("instagram C82rTq0Nx7e", instagram("C82rTq0Nx7e", "Night Desk (@nightdesk.news)")),
    (
        "x 20",
        '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">just setting up my twttr</p>'
        '&mdash; jack (@jack) <a href="https://twitter.com/jack/status/20?ref_src=twsrc%5Etfw">'
        "March 21, 2006</a></blockquote> "
        '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n',
    ),
    (
        "x 436461658601713664",
        '<blockquote class="twitter-tweet"><p lang="es" dir="ltr">RT '
        '<a href="https://twitter.com/PabloHerreros?ref_src=twsrc%5Etfw">@PabloHerreros</a> '
        'Pepephone rompe la baraja - <a href="http://t.co/mFn7mcB1vy">http://t.co/mFn7mcB1vy</a>'
        "</p>&mdash; Pepephone (@pepephone) "
        '<a href="https://twitter.com/pepephone/status/436461658601713664?ref_src=twsrc%5Etfw">'
        "February 20, 2014</a></blockquote>\n"
        '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n',
    ),
    (
        "youtube eiHXASgRTcA",
        '<figure class="video"><iframe width="200" height="150" '
        'src="https://www.youtube.com/embed/eiHXASgRTcA?feature=oembed" frameborder="0" '
        'allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; '
        'picture-in-picture; web-share" referrerpolicy="strict-origin-when-cross-origin" '
        'allowfullscreen title="Noisy kittens waiting for dinner!"></iframe></figure>\n',
    ),
    (
        "tiktok 6806030056956251397",
        '<blockquote class="tiktok-embed" '
        'cite="https://www.tiktok.com/@a3noticias/video/6806030056956251397" '
        'data-video-id="6806030056956251397" data-embed-from="oembed" '
        'style="max-width:605px; min-width:325px;"> <section> <a target="_blank" '
        'title="@a3noticias" href="https://www.tiktok.com/@a3noticias?refer=embed">@a3noticias</a> '
        '<p>Nuestro <a title="aplausosanitario" target="_blank" '
        'href="https://www.tiktok.com/tag/aplausosanitario?refer=embed">#AplausoSanitario</a> '
        "más sincero. Para todos.</p> </section> </blockquote> "
        '<script async src="https://www.tiktok.com/embed.js"></script>\n',
    ),
]

# A paragraph of article text, repeated to pad pages to a news page's size.
PARAGRAPH = (
    "<p>The harbour authority said on Tuesday that the new ferry timetable would take effect "
    "next month, after a consultation that drew more than two thousand responses from "
    "residents, commuters and the businesses along the quay. Officials expect crossings to "
    "be shorter at peak hours and less frequent late at night.</p>\n"
)


def embeds_for(n):
    """The embeds of article n: 1 to 3 distinct posts, varied with n."""
    count = 1 + n % 3
    first = (n * 5) % len(EMBEDS)
    step = 1 + (n // 3) % (len(EMBEDS) - 1)
    picks = []
    i = first
    while len(picks) < count:
        if i not in picks:
            picks.append(i)
        i = (i + step) % len(EMBEDS)
    return picks


DISTINCT_TEMPLATE_CODE = "C8kQx2LtA1b"
DISTINCT_TEMPLATE_FILE = "instagram/embed-captioned-C8kQx2LtA1b-image.html"
DISTINCT_TEMPLATE_CAPTION = b"Morning light over the harbour"


def distinct_code(n):
    """An Instagram-shaped shortcode (11 characters) of article n's own post."""
    return f"Bk{n:09d}"


DISTINCT_TEMPLATE_IMAGE = b"t51.2885-15/449876543_1080x1350_n.jpg"
DISTINCT_IMAGE_HOST = "scontent.cdninstagram.com"
DISTINCT_IMAGE_PREFIX = "/v/bench/"
DISTINCT_IMAGE_SUFFIX = "_480x600.png"
IMAGE_W, IMAGE_H = 480, 600


def distinct_embed_page(template, code, images=False):
    body = template.replace(DISTINCT_TEMPLATE_CODE.encode(), code.encode())
    if images:
        body = body.replace(DISTINCT_TEMPLATE_IMAGE,
                            f"bench/{code[2:]}{DISTINCT_IMAGE_SUFFIX}".encode())
    return body.replace(DISTINCT_TEMPLATE_CAPTION,
                        DISTINCT_TEMPLATE_CAPTION + f" (post {code})".encode())


def base_pixels():
    """The raw RGB rows (each led by PNG filter byte 0) of a textured gradient, made once."""
    rows = []
    for y in range(IMAGE_H):
        row = bytearray([0])
        for x in range(IMAGE_W):
            grain = ((x // 6) * 7 + (y // 6) * 13) % 24
            row += bytes(((x * 255 // IMAGE_W + grain) % 256,
                          (y * 255 // IMAGE_H + grain) % 256,
                          (128 + grain * 3) % 256))
        rows.append(bytes(row))
    return b"".join(rows)


def distinct_png(base, n):
    """Post n's image: the base shifted in colour by n and with n's digits stamped as a bar of
    pixels in its first rows, so no two posts share an image."""
    raw = bytearray(base.translate(bytes((b + n) % 256 for b in range(256))))
    stride = 1 + IMAGE_W * 3
    stamp = f"{n:09d}".encode() * 8
    for y in range(8):
        at = y * stride + 1
        raw[at:at + len(stamp)] = stamp
    for y in range(IMAGE_H):
        raw[y * stride] = 0
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", IMAGE_W, IMAGE_H, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(raw), 1)) + chunk(b"IEND", b""))


def article_html(n, filler, picks=None, distinct=False, only_distinct=False):
    if picks is None:
        picks = [] if only_distinct else embeds_for(n)
    extra = [instagram(distinct_code(n), "Bench Desk (@benchdesk)")] if distinct else []
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Bench article {n} | The Example Gazette</title>\n"
        f'<meta property="og:title" content="Bench article {n}">\n'
        f'<link rel="canonical" href="https://{NEWS_HOST}{ARTICLE_PREFIX}{n:06d}.html">\n'
        "</head>\n<body>\n<article>\n"
        f"<h1>Bench article {n}</h1>\n"
    ]
    # Text, then each embed followed by more text.
    chunk = filler // (len(picks) + 1)
    parts.append(pad(chunk))
    for markup in [EMBEDS[p][1] for p in picks] + extra:
        parts.append(markup)
        parts.append(pad(chunk))
    parts.append("</article>\n</body>\n</html>\n")
    return "".join(parts).encode("utf-8")


def pad(nbytes):
    if nbytes <= 0:
        return ""
    return PARAGRAPH * max(1, nbytes // len(PARAGRAPH))


def sitemap_xml(count):
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n'
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
    for n in range(count):
        out.append(
            f"<url><loc>https://{NEWS_HOST}{ARTICLE_PREFIX}{n:06d}.html</loc>"
            f"<lastmod>{LASTMOD}</lastmod></url>\n"
        )
    out.append("</urlset>\n")
    return "".join(out).encode("utf-8")


def match_key(host, path, query):
    """host + path + sorted decoded query pairs, as tests/support/mod.rs matches recordings."""
    host = host.lower()
    path = urllib.parse.unquote(path or "/")
    keep = None
    if (host, path) == ("cdn.syndication.twimg.com", "/tweet-result"):
        keep = {"id"}
    elif (host, path) == ("public.api.bsky.app", "/xrpc/app.bsky.feed.getPostThread"):
        keep = {"uri"}
    pairs = [
        (k, v)
        for k, v in urllib.parse.parse_qsl(query or "", keep_blank_values=True)
        if (keep is None or k in keep) and not (k == "format" and v == "json")
    ]
    pairs.sort()
    return f"{host}{path}?{pairs!r}"


HOST_IN_BODY = re.compile(rb"https?://([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")


def hosts_in(body):
    """Hosts of the absolute URLs in a recorded body (JSON's escaped slashes included): media
    and links the client may follow, routed here too so that they answer 599 on loopback."""
    text = body.replace(b"\\/", b"/")
    return {m.group(1).decode("ascii").lower() for m in HOST_IN_BODY.finditer(text)}


def load_manifest(samples):
    with open(os.path.join(samples, "manifest.json"), encoding="utf-8") as f:
        entries = json.load(f)
    routes = {}
    hosts = set()
    for e in entries:
        url = urllib.parse.urlsplit(e["request"]["url"])
        resp = e["response"]
        body = b""
        if resp.get("body_file"):
            with open(os.path.join(samples, resp["body_file"]), "rb") as f:
                body = f.read()
        headers = [(k, str(v)) for k, v in (resp.get("headers") or {}).items()]
        hosts.add(url.hostname)
        hosts |= hosts_in(body)
        routes.setdefault(match_key(url.hostname, url.path, url.query),
                          (int(resp["status"]), headers, body))
    return routes, hosts


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.started = time.time()
        self.by_kind = {}
        self.unknown = {}  # logical URL -> count, for the first few distinct ones


    def count(self, kind):
        with self.lock:
            self.by_kind[kind] = self.by_kind.get(kind, 0) + 1

    def miss(self, url):
        with self.lock:
            self.by_kind["599"] = self.by_kind.get("599", 0) + 1
            if url in self.unknown or len(self.unknown) < 50:
                self.unknown[url] = self.unknown.get(url, 0) + 1

    def snapshot(self):
        with self.lock:
            return {"uptime_s": round(time.time() - self.started, 1),
                    "requests": dict(self.by_kind),
                    "unknown_urls": dict(self.unknown)}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: the client reuses its connections
    server_version = "embedkeep-bench-fixtures"

    def log_message(self, fmt, *args):  # quiet: one line per request would cost more than it says
        pass

    def send(self, status, headers, body, head_only=False):
        self.send_response_only(status)
        for k, v in headers:
            if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def answer(self, head_only=False):
        srv = self.server
        target = urllib.parse.urlsplit(self.path)
        if target.path == "/__stats":
            body = json.dumps(srv.stats.snapshot()).encode()
            return self.send(200, [("content-type", "application/json")], body, head_only)
        path = target.path.lstrip("/")
        host, _, rest = path.partition("/")
        rest = "/" + rest
        if host == NEWS_HOST:
            if rest == SITEMAP_PATH:
                srv.stats.count("sitemap")
                return self.send(200, [("content-type", "application/xml")], srv.sitemap,
                                 head_only)
            if rest == ARTICLE_PREFIX + "all.html":
                srv.stats.count("article")
                return self.send(200, [("content-type", "text/html; charset=utf-8")],
                                 article_html(0, srv.filler, list(range(len(EMBEDS)))),
                                 head_only)
            if rest.startswith(ARTICLE_PREFIX) and rest.endswith(".html"):
                num = rest[len(ARTICLE_PREFIX):-len(".html")]
                if num.isdigit() and int(num) < srv.articles:
                    srv.stats.count("article")
                    return self.send(200, [("content-type", "text/html; charset=utf-8")],
                                     article_html(int(num), srv.filler,
                                                  distinct=srv.distinct is not None,
                                                  only_distinct=srv.only_distinct),
                                     head_only)
        if (srv.distinct is not None and host == "www.instagram.com"
                and rest.startswith("/p/Bk") and rest.endswith("/embed/captioned/")):
            code = rest[len("/p/"):-len("/embed/captioned/")]
            if len(code) == 11 and code[2:].isdigit() and int(code[2:]) < srv.articles:
                srv.stats.count("distinct instagram post")
                return self.send(200, [("content-type", 'text/html; charset="utf-8"')],
                                 distinct_embed_page(srv.distinct, code,
                                                     images=srv.base_pixels is not None),
                                 head_only)
        if (srv.base_pixels is not None and host == DISTINCT_IMAGE_HOST
                and rest.startswith(DISTINCT_IMAGE_PREFIX) and rest.endswith(DISTINCT_IMAGE_SUFFIX)):
            num = rest[len(DISTINCT_IMAGE_PREFIX):-len(DISTINCT_IMAGE_SUFFIX)]
            if num.isdigit() and int(num) < srv.articles:
                srv.stats.count("distinct image")
                return self.send(200, [("content-type", "image/png")],
                                 distinct_png(srv.base_pixels, int(num)), head_only)
        found = srv.routes.get(match_key(host, rest, target.query))
        if found is not None:
            status, headers, body = found
            srv.stats.count("recorded " + host)
            return self.send(status, headers, body, head_only)
        logical = f"https://{host}{rest}" + (f"?{target.query}" if target.query else "")
        srv.stats.miss(logical)
        return self.send(599, [("content-type", "text/plain")],
                         f"no fixture for {logical}".encode(), head_only)

    def do_GET(self):
        self.answer()

    def do_HEAD(self):
        self.answer(head_only=True)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: any free one)")
    ap.add_argument("--articles", type=int, default=10000, help="articles in the sitemap")
    ap.add_argument("--filler-bytes", type=int, default=40000,
                    help="approximate bytes of text around the embeds of each article")
    ap.add_argument("--samples", default=os.path.join(here, "..", "tests", "fixtures", "samples"),
                    help="the recorded samples folder (manifest.json and bodies)")
    ap.add_argument("--port-file", help="write the chosen port to this file")
    ap.add_argument("--distinct-posts", action="store_true",
                    help="give each article one more embed: an Instagram post of its own")
    ap.add_argument("--sitemap-articles", type=int,
                    help="list only the first N articles in the sitemap (default: --articles); "
                         "the others are still served, for an archive run to take by URL")
    ap.add_argument("--only-distinct", action="store_true",
                    help="articles embed only their own post (implies --distinct-posts)")
    ap.add_argument("--distinct-images", action="store_true",
                    help="each article's own post shows a generated image of its own")
    ap.add_argument("--list-hosts", action="store_true",
                    help="print every host to route here, one a line, and exit: the hosts of "
                         "the recorded requests, news.example.com, and every host named in a "
                         "recorded body (media URLs a post points to that were not recorded)")
    args = ap.parse_args()

    routes, hosts = load_manifest(args.samples)
    if args.list_hosts:
        for h in sorted(hosts | {NEWS_HOST}):
            print(h)
        return
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.routes = routes
    server.articles = args.articles
    server.filler = args.filler_bytes
    server.sitemap = sitemap_xml(min(args.articles, args.sitemap_articles or args.articles))
    server.stats = Stats()
    server.distinct = None
    server.only_distinct = args.only_distinct
    server.base_pixels = base_pixels() if args.distinct_images else None
    if args.distinct_posts or args.only_distinct:
        with open(os.path.join(args.samples, DISTINCT_TEMPLATE_FILE), "rb") as f:
            server.distinct = f.read()
    port = server.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{port}\n")
        os.replace(tmp, args.port_file)
    print(f"listening on {port}", flush=True)
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    sys.exit(main())
