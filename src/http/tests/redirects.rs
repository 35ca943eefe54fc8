//! Redirects: the hop limit, mapping Locations into the logical space, refused targets.

use super::*;

/// Answers `/{host}/hop/N` with a redirect to `/hop/N+1` (relative to the logical URL) until
/// `N == last`, which answers 200 with its own target.
async fn redirect_chain(last: usize) -> (SocketAddr, Arc<AtomicUsize>) {
    serve(move |head, mut s| async move {
        let target = target_of(&head);
        let n: usize = target
            .rsplit('/')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if n >= last {
            respond(&mut s, "200 OK", &[], target.as_bytes()).await;
        } else {
            let next = format!("/hop/{}", n + 1);
            respond(&mut s, "302 Found", &[("location", &next)], b"").await;
        }
    })
    .await
}

#[tokio::test]
async fn a_redirect_loop_ends_in_too_many_redirects() {
    let (addr, hits) = redirect_chain(20).await;
    match client_for("loop.test", addr)
        .get(&url("https://loop.test/hop/0"))
        .await
    {
        Err(HttpError::TooManyRedirects { url, limit }) => {
            assert_eq!((url.as_str(), limit), ("https://loop.test/hop/0", 5));
        }
        other => panic!("{other:?}"),
    }
    // The first request and five followed hops; the sixth redirect is not followed.
    assert_eq!(hits.load(Ordering::SeqCst), 6);
}

#[tokio::test]
async fn exactly_max_redirects_are_followed() {
    let (addr, _) = redirect_chain(5).await;
    let r = client_for("chain.test", addr)
        .get(&url("https://chain.test/hop/0"))
        .await
        .unwrap();
    assert_eq!(r.status, 200);
    assert_eq!(r.url.as_str(), "https://chain.test/hop/5");
    assert_eq!(&r.body[..], b"/chain.test/hop/5");
}

/// A fixture server that redirects `/{host}/go` to the `to` query value and answers anything
/// else with its own request target.
async fn redirector() -> (SocketAddr, Arc<AtomicUsize>) {
    serve(|head, mut s| async move {
        let target = target_of(&head);
        let full = Url::parse(&format!("http://fixture{target}")).unwrap();
        if full.path().ends_with("/go") {
            let to = full
                .query_pairs()
                .find(|(k, _)| k == "to")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            respond(&mut s, "301 Moved Permanently", &[("location", &to)], b"").await;
        } else {
            respond(&mut s, "200 OK", &[], target.as_bytes()).await;
        }
    })
    .await
}

fn go(logical_base: &str, to: &str) -> Url {
    let mut u = url(logical_base);
    u.set_path("/go");
    u.query_pairs_mut().append_pair("to", to);
    u
}

#[tokio::test]
async fn redirect_locations_are_mapped_into_the_logical_space() {
    let (addr, hits) = redirector().await;
    let c = client(&http_config(&[
        (
            "www.instagram.com",
            format!("http://{addr}/www.instagram.com"),
        ),
        ("news.test", format!("http://{addr}/news.test")),
    ]));
    // (logical start, Location, final logical URL, path the fixture server saw last)
    let cases = [
        (
            "https://news.test/",
            "/story?id=1".to_string(),
            "https://news.test/story?id=1",
            "/news.test/story?id=1",
        ),
        (
            "https://news.test/a/",
            "b/c".to_string(),
            "https://news.test/b/c",
            "/news.test/b/c",
        ),
        (
            "https://www.instagram.com/",
            format!("http://{addr}/www.instagram.com/p/X/?x=1"),
            "https://www.instagram.com/p/X/?x=1",
            "/www.instagram.com/p/X/?x=1",
        ),
        (
            "https://news.test/",
            "https://www.instagram.com/accounts/login/?next=%2Fp%2FX%2F".to_string(),
            "https://www.instagram.com/accounts/login/?next=%2Fp%2FX%2F",
            "/www.instagram.com/accounts/login/?next=%2Fp%2FX%2F",
        ),
        (
            "https://news.test/",
            format!("http://{addr}/www.instagram.com/reel/Y/"),
            "https://www.instagram.com/reel/Y/",
            "/www.instagram.com/reel/Y/",
        ),
    ];
    for (start, location, final_url, seen) in cases {
        let before = hits.load(Ordering::SeqCst);
        let r = c.get(&go(start, &location)).await.unwrap();
        assert_eq!(r.url.as_str(), final_url, "{location}");
        assert_eq!(String::from_utf8_lossy(&r.body), seen, "{location}");
        assert_eq!(hits.load(Ordering::SeqCst), before + 2, "{location}");
    }
}

#[tokio::test]
async fn redirects_from_an_override_target_to_private_addresses_are_refused() {
    let (addr, _) = redirector().await;
    let (inner_addr, inner_hits) = serve(|_, mut s| async move {
        respond(&mut s, "200 OK", &[], b"internal secrets").await;
    })
    .await;
    let c = client_for("www.instagram.com", addr);
    let cases = [
        (
            format!("http://{inner_addr}/admin"),
            inner_addr.ip().to_string(),
        ),
        (
            "http://169.254.169.254/latest/meta-data/".to_string(),
            "169.254.169.254".to_string(),
        ),
        ("http://[::1]/".to_string(), "::1".to_string()),
        ("http://10.0.0.7:8080/".to_string(), "10.0.0.7".to_string()),
    ];
    for (location, address) in cases {
        let start = go("https://www.instagram.com/", &location);
        match c.get(&start).await {
            Err(HttpError::RefusedAddress { url, address: got }) => {
                assert_eq!(got, address, "{location}");
                assert_eq!(url, Url::parse(&location).unwrap().as_str());
            }
            other => panic!("{location}: {other:?}"),
        }
    }
    assert_eq!(inner_hits.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn redirects_to_other_schemes_are_invalid() {
    let (addr, _) = redirector().await;
    let c = client_for("www.instagram.com", addr);
    for location in [
        "ftp://example.com/file",
        "file:///etc/passwd",
        "javascript:alert(1)",
    ] {
        match c.get(&go("https://www.instagram.com/", location)).await {
            Err(HttpError::InvalidUrl { url, .. }) => assert_eq!(url, location),
            other => panic!("{location}: {other:?}"),
        }
    }
}
