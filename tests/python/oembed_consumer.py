"""An oEmbed consumer (micawber, from PyPI) against a running `embedkeep serve`.

Usage: oembed_consumer.py API POST_URL UNKNOWN_URL CARD_PAGE

API is the server's base address (http://127.0.0.1:PORT), POST_URL an archived post, UNKNOWN_URL a
post URL the archive does not hold, CARD_PAGE a card page file of a static export whose oEmbed
discovery link points at API. Prints one line per check and exits 1 on the first failure.
"""

import html.parser
import json
import re
import sys
import urllib.error
import urllib.request

from micawber import Provider, ProviderRegistry
from micawber.exceptions import ProviderException, ProviderHTTPException


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def ok(message):
    print("ok: " + message)


class DiscoveryLinks(html.parser.HTMLParser):
    """The oEmbed discovery links of a page: <link rel=alternate type=application/json+oembed>."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        rel = (attrs.get("rel") or "").lower().split()
        if tag == "link" and "alternate" in rel and attrs.get("type") == "application/json+oembed":
            self.links.append(attrs.get("href"))


def main():
    api, post_url, unknown_url, card_page = sys.argv[1:5]
    endpoint = api.rstrip("/") + "/oembed"

    # Our endpoint as the provider of the archived platforms' post URLs.
    registry = ProviderRegistry()
    provider = Provider(endpoint, timeout=30)
    for pattern in (
        r"https?://(?:www\.)?instagram\.com/p/\S+",
        r"https?://(?:www\.)?(?:twitter|x)\.com/\S+/status/\S+",
        r"https?://(?:www\.)?tiktok\.com/\S+",
        r"https?://(?:www\.)?youtube\.com/\S+",
    ):
        registry.register(pattern, provider)

    data = registry.request(post_url, maxwidth=400)
    if data.get("type") != "rich":
        fail("type is %r, not rich: %r" % (data.get("type"), data))
    if data.get("version") != "1.0":
        fail("version is %r" % data.get("version"))
    card = data.get("html") or ""
    if 'class="ek-card' not in card or "<figure" not in card:
        fail("html is not the card: %r" % card[:300])
    if not isinstance(data.get("width"), int) or data["width"] > 400 or data["width"] <= 0:
        fail("width %r does not respect maxwidth=400" % data.get("width"))
    if not isinstance(data.get("height"), int) or data["height"] <= 0:
        fail("height %r" % data.get("height"))
    for field in ("provider_name", "provider_url"):
        if not data.get(field):
            fail("%s missing: %r" % (field, data))
    ok("rich answer for %s: %dx%d by %s" % (post_url, data["width"], data["height"], data["provider_name"]))

    # Held to the width asked, and to the height the answer reports (what does not fit scrolls).
    bound = 'style="max-width:400px;max-height:%dpx;overflow:auto"' % data["height"]
    if bound not in card:
        fail("html is not held to maxwidth=400 and its height: %r" % card[:120])

    # The consumer's own rendering (no bound asked): a standalone URL in text becomes the card.
    plain = registry.request(post_url).get("html") or ""
    if 'class="ek-card' not in plain or "max-width" in plain.split("<style>")[0]:
        fail("html without maxwidth is not the card alone: %r" % plain[:300])
    text = "Before the post.\n%s\nAfter the post." % post_url
    rendered = registry.parse_text(text)
    if plain not in rendered or not rendered.startswith("Before the post.\n"):
        fail("parse_text did not put the card in place: %r" % rendered[:300])
    ok("parse_text swaps the URL for the card")

    # A post the archive does not hold: micawber's HTTP error, 404.
    try:
        registry.request(unknown_url)
        fail("an unknown URL was answered")
    except ProviderHTTPException as e:
        if e.status != 404:
            fail("unknown URL answered HTTP %s, not 404" % e.status)
        ok("unknown URL: %s" % e)
    except ProviderException as e:
        fail("unknown URL: %r is not an HTTP error" % e)

    # format=xml is not served: 501, as oEmbed 1.0 says for an unsupported format.
    xml = "%s?url=%s&format=xml" % (endpoint, urllib.request.quote(post_url, safe=""))
    try:
        urllib.request.urlopen(xml, timeout=30)
        fail("format=xml was answered")
    except urllib.error.HTTPError as e:
        if e.code != 501:
            fail("format=xml answered %s, not 501" % e.code)
        ok("format=xml: 501")

    # A card page names its oEmbed document; following the link gives the same rich answer.
    with open(card_page, encoding="utf-8") as f:
        page = f.read()
    parser = DiscoveryLinks()
    parser.feed(page)
    if len(parser.links) != 1:
        fail("%d oEmbed discovery links in %s" % (len(parser.links), card_page))
    href = parser.links[0]
    if not href.startswith(endpoint + "?"):
        fail("discovery link %r does not point at %s" % (href, endpoint))
    with urllib.request.urlopen(href, timeout=30) as answer:
        found = json.loads(answer.read().decode("utf-8"))
    if found.get("type") != "rich" or not re.search(r'class="ek-card', found.get("html", "")):
        fail("the discovered document is not the card: %r" % found)
    ok("card page discovery link: %s" % href)


if __name__ == "__main__":
    main()
