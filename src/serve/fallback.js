/* embedkeep fallback.js: archived cards where gone embeds were. README: "Fallbacks on article pages". */
// Down, slow or odd service: the page stays as it was. Cards are parsed inert, stripped of
// anything active and moved in by DOM calls: no HTML from strings.
(function (run) {
  // The tag is known only as it first runs; the embeds once the page is parsed. A module
  // (`<script type="module">`) has no current script: its tag is found by its address.
  var me = document.currentScript || [].filter.call(document.querySelectorAll('script[src]'), function (s) {
    return /\/fallback\.js([?#]|$)/.test(s.src);
  }).pop(), go = function () {
    try { run(me); } catch (e) { /* the page never sees our failures */ }
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', go);
  else go();
})(function (me) {
  'use strict';
  var doc = document, root = doc.documentElement;
  if (!me || !window.fetch || !window.DOMParser || !window.URL || !window.URLSearchParams ||
      root.hasAttribute('data-ek-fallback')) return;
  root.setAttribute('data-ek-fallback', '');
  // In the page now (an app may replace even the document element), in the document or in a
  // shadow tree attached to it. (Every browser with `fetch` has `isConnected`.)
  var inPage = function (el) { return el.isConnected; };
  // The open shadow roots in scope, and theirs in turn (at most 100): a web component's own
  // markup, where a publisher's element may keep its embed.
  var shadows = function (scope) {
    var roots = [], queue = [scope];
    while (queue.length && roots.length < 100) {
      [].forEach.call(queue.shift().querySelectorAll('*'), function (el) {
        if (el.shadowRoot && roots.length < 100) queue.push(roots[roots.push(el.shadowRoot) - 1]);
      });
    }
    return roots;
  };
  var setting = function (name) { return me.getAttribute('data-' + name); };
  var seconds = function (value, otherwise) {
    var n = parseFloat(value);
    return n > 0 && n <= 600 ? n * 1000 : otherwise;
  };
  var base = new URL(setting('service') || './', me.src || location.href);
  if (!/^https?:$/.test(base.protocol)) return;
  if (!/\/$/.test(base.pathname)) base.pathname += '/';
  var timeout = seconds(setting('timeout'), 4000);
  var unrendered = seconds(setting('unrendered-after'), 0);
  // The status route takes 50 addresses a request; a page asks about 200 at most in its life.
  // A request line (`GET PATH?QUERY HTTP/1.1`) stays under proxies' 8 KiB: the query gets what
  // the path leaves, less room for the method and version.
  var MAX_URLS = 200, MAX_ASK = 50, MAX_URL = 2048, MAX_FOUND = 1000;
  var MAX_QUERY = 8192 - 64 - new URL('v1/posts/status', base).pathname.length;

  var web = function (raw) {
    try { var u = new URL(raw, doc.baseURI); } catch (e) { return null; }
    return /^https?:$/.test(u.protocol) ? u.href : null;
  };
  var attr = function (name) { return function (el) { return web(el.getAttribute(name) || ''); }; };
  // The first (or last) link inside el matching re.
  var link = function (re, last) {
    return function (el) {
      var found = null, links = el.getElementsByTagName('a');
      for (var i = 0; i < links.length; i++) {
        var href = web(links[i].getAttribute('href') || '');
        if (href && re.test(href)) { found = href; if (!last) break; }
      }
      return found;
    };
  };
  var byId = function (name, prefix) {
    return function (el) { var id = el.getAttribute(name) || ''; return /^[\w-]{1,40}$/.test(id) ? prefix + id : null; };
  };
  var either = function (a, b) { return function (el) { return a(el) || b(el); }; };
  var PLAYERS = /(^|\.)((youtube(-nocookie)?|vimeo|spotify|soundcloud|facebook|instagram|twitter|x|tiktok|reddit(media)?|threads|giphy|linkedin|tumblr|imgur)\.com|bsky\.app|threads\.net|twitch\.tv|pinterest\.[a-z.]+)$/;
  // Embed forms and where each writes its post URL.
  var FORMS = [
    ['blockquote.instagram-media,blockquote[data-instgrm-permalink]',
      either(attr('data-instgrm-permalink'), link(/instagram\.com\/(p|reels?|tv)\//))],
    ['blockquote.twitter-tweet,blockquote.twitter-video', link(/\/status(es)?\/\d+/, true)],
    ['blockquote.tiktok-embed', either(attr('cite'), link(/\/(video|photo)\/\d+/))],
    ['blockquote.text-post-media', either(attr('data-text-post-permalink'), link(/\/post\//))],
    ['blockquote.bluesky-embed', link(/\/profile\/[^/]+\/post\//, true)],
    ['blockquote.mastodon-embed', function (el) {
      return web((el.getAttribute('data-embed-url') || '').replace(/\/embed\/?$/, ''));
    }],
    ['blockquote.reddit-embed-bq,blockquote.reddit-card', link(/\/comments\//)],
    ['blockquote.imgur-embed-pub', byId('data-id', 'https://imgur.com/')],
    ['div.fb-post,div.fb-video', attr('data-href')],
    // Facebook's older XFBML: fb:post, fb:video, read from href or data-href.
    ['fb\\:post,fb\\:video', either(attr('href'), attr('data-href'))],
    ['lite-youtube', byId('videoid', 'https://www.youtube.com/watch?v=')],
    // Drawn by X's widgets.js: the frame names the post before it has a src.
    ['iframe[data-tweet-id]', byId('data-tweet-id', 'https://x.com/i/status/')],
    // A frame's srcdoc is what it shows, not its src.
    ['iframe:not([srcdoc])', function (el) {
      var src = web(el.getAttribute('src') || el.getAttribute('data-src') || '');
      if (!src) return null;
      var u = new URL(src);
      return PLAYERS.test(u.hostname) || /\/embed\/?$/.test(u.pathname) ? src : null;
    }]
  ];

  var found = [], asked = [];
  // A platform's own drawing of an embed (X's and Instagram's frames): the embed it replaced
  // was looked at already, under the address its code gave.
  var platformDrawn = function (el) {
    return !!el.closest('.twitter-tweet-rendered,.instagram-media-rendered,.fb_iframe_widget,[data-tweet-id]');
  };
  // The embeds in scope (an element or the document) not yet found; `later`: in what was
  // added after the first look.
  var look = function (scope, later) {
    var fresh = [];
    FORMS.forEach(function (form) {
      var els = [].slice.call(scope.querySelectorAll(form[0]));
      if (scope.matches && scope.matches(form[0])) els.unshift(scope);
      els.forEach(function (el) {
        if (found.length >= MAX_FOUND || el.closest('.ek-fallback') || later && platformDrawn(el) ||
            found.some(function (f) { return f.el.contains(el); })) return;
        var url = form[1](el);
        if (!url || url.length > MAX_URL) return;
        var item = { el: el, url: url, at: Date.now() };
        found.push(item);
        fresh.push(item);
      });
    });
    return fresh;
  };

  var ask = function (address, wanted) {
    var abort = window.AbortController && new AbortController();
    var timer = setTimeout(function () { if (abort) abort.abort(); }, timeout);
    return fetch(address, { mode: 'cors', credentials: 'omit', signal: abort && abort.signal })
      .then(function (r) {
        var type = r.headers.get('content-type') || '';
        if (!r.ok || type.indexOf(wanted) < 0) throw new Error(type);
        return wanted === 'json' ? r.json() : r.text();
      })
      .then(function (body) { clearTimeout(timer); return body; },
        function (e) { clearTimeout(timer); throw e; });
  };

  var ACTIVE = /^(script|i?frame|frameset|object|embed|link|meta|base|form|input|button|textarea|template|svg|math)$/i;
  var ADDRESS = /^(href|src|action|formaction|poster|background|cite)$/i;
  // A page that enforces Trusted Types parses markup only through a policy: the script's own,
  // `embedkeep`, which passes the card on as it is (it is parsed inert and cleaned below). A page
  // whose policy names leave it out gets no policy, and its embeds are left alone.
  var policy = null;
  if (window.trustedTypes && window.trustedTypes.createPolicy) {
    try {
      policy = window.trustedTypes.createPolicy('embedkeep', { createHTML: function (s) { return s; } });
    } catch (e) { policy = null; }
  }
  // The card's nodes, inert; paths are the service's.
  // Refused by Trusted Types without our policy: no cards, and no card asked for, ever.
  var refused = false;
  var cardNodes = function (html) {
    try {
      var parsed = new DOMParser().parseFromString(policy ? policy.createHTML(html) : html, 'text/html');
    } catch (e) { refused = true; throw e; }
    var all = parsed.querySelectorAll('*');
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      if (ACTIVE.test(el.localName)) { if (el.parentNode) el.parentNode.removeChild(el); continue; }
      for (var j = el.attributes.length - 1; j >= 0; j--) {
        var a = el.attributes[j], name = a.name.toLowerCase(), value = a.value.trim();
        if (/^on/.test(name) || name === 'srcset' || name === 'style' && /url\(|expression/i.test(value)) {
          el.removeAttribute(a.name);
        } else if (ADDRESS.test(name)) {
          var safe = /^\/[^/\\]/.test(value) ? new URL(value, base).href : /^https?:\/\//i.test(value) ? web(value) : null;
          if (safe) el.setAttribute(a.name, safe); else el.removeAttribute(a.name);
        }
      }
    }
    var nodes = [].slice.call(parsed.head.childNodes).concat([].slice.call(parsed.body.childNodes));
    return nodes.map(function (n) { return doc.importNode(n, true); });
  };

  var swap = function (item, entry) {
    if (refused || item.swapped || !item.el.parentNode || !entry.card_url) return;
    var address = web(new URL(entry.card_url, base).href);
    if (!address) return;
    item.swapped = true;
    ask(address, 'text/html').then(function (html) {
      var nodes = cardNodes(html);
      // Only a card of ours: a proxy's or a site's page answering at the card's address is not
      // put in the article.
      var card = nodes.some(function (n) {
        return n.nodeType === 1 && (n.matches('figure.ek-card') || !!n.querySelector('figure.ek-card'));
      });
      if (!card || !item.el.parentNode) return;
      var box = doc.createElement('div');
      box.className = 'ek-fallback';
      box.setAttribute('data-ek-status', entry.status);
      box.setAttribute('data-ek-url', item.url);
      nodes.forEach(function (n) { box.appendChild(n); });
      item.el.parentNode.replaceChild(box, item.el);
    }).catch(function () { item.swapped = false; });
  };

  // Drawn by its platform: replaced, framed or marked.
  var drawn = function (el) {
    return !inPage(el) || el.localName === 'iframe' || !!el.querySelector('iframe') ||
      /-rendered\b|fb_iframe_widget/.test(el.className || '');
  };

  var byUrl = {};
  // Gone: its card now. Archived and left undrawn: its card after the delay.
  var settle = function (items) {
    items.forEach(function (item) {
      var entry = byUrl['=' + item.url];
      if (!entry) return;
      if (entry.status === 'gone') swap(item, entry);
      else if (unrendered && entry.archived === true && !item.timed) {
        item.timed = true;
        setTimeout(function () {
          try { if (!drawn(item.el)) swap(item, entry); } catch (e) { /* as above */ }
        }, Math.max(0, unrendered - (Date.now() - item.at)));
      }
    });
  };
  var answered = function (answer) {
    if (!answer || !Array.isArray(answer.posts)) return;
    answer.posts.forEach(function (p) {
      if (p && typeof p.url === 'string' && typeof p.status === 'string' &&
          (p.card_url === null || typeof p.card_url === 'string')) byUrl['=' + p.url] = p;
    });
    settle(found);
  };
  // The embeds of scopes; new addresses asked about in batches, each answered apart. Embeds
  // the page has thrown away are forgotten, so that a page re-drawing its embeds keeps room.
  var start = function (scopes, later) {
    found = found.filter(function (f) { return inPage(f.el); });
    var items = [], batch = null, room = 0;
    scopes.forEach(function (scope) {
      if (scope !== doc && !inPage(scope)) return;
      [scope].concat(shadows(scope)).forEach(function (s) { items = items.concat(look(s, later)); });
    });
    settle(items);
    items.forEach(function (item) {
      var u = item.url;
      if (asked.indexOf(u) >= 0 || asked.length >= MAX_URLS) return;
      asked.push(u);
      // Measured as URLSearchParams writes it (it escapes ! ' ( ) ~, encodeURIComponent not).
      var n = new URLSearchParams({ url: u }).toString().length + 1;
      if (!batch || n > room || batch.length >= MAX_ASK) {
        if (batch) send(batch);
        batch = []; room = MAX_QUERY;
      }
      batch.push(u);
      room -= n;
    });
    if (batch) send(batch);
  };
  var send = function (batch) {
    var q = new URLSearchParams();
    batch.forEach(function (u) { q.append('url', u); });
    ask(new URL('v1/posts/status?' + q, base).href, 'json').then(answered)
      .catch(function () { /* service down, slow or odd: leave the page alone */ });
  };
  start([doc]);
  // Embeds that come later (more stories on scroll, a page that draws itself): looked for a
  // moment after they arrive, in their own subtree; a flood, in the whole page.
  if (!window.MutationObserver) return;
  var added = [], timer = null;
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      // An embed completed later (its link or id set, or added, once the page hydrates) is
      // looked at whole. Past 200, the whole page is looked at once: no need to keep the rest.
      [].forEach.call(r.type === 'attributes' ? [r.target] : r.addedNodes, function (n) {
        if (n.nodeType === 1 && added.length <= 200) added.push(n.closest('blockquote') || n);
      });
    });
    if (timer || !added.length) return;
    timer = setTimeout(function () {
      var nodes = added.length > 200 ? [doc] : added;
      added = []; timer = null;
      try { start(nodes, true); } catch (e) { /* as above */ }
    }, 300);
  }).observe(doc, { childList: true, subtree: true, attributes: true,
    attributeFilter: ['href', 'cite', 'src', 'data-src', 'data-href', 'videoid', 'data-instgrm-permalink'] });
});
