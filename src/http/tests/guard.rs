//! The private-address guard and what the client refuses to build or fetch.

use super::*;

#[tokio::test]
async fn literal_private_addresses_are_refused_with_the_guard_on_and_allowed_with_it_off() {
    let (addr, hits) = serve(|_, mut s| async move {
        respond(&mut s, "200 OK", &[], b"hello").await;
    })
    .await;
    let by_ip = url(&format!("http://{addr}/x"));
    let by_name = url(&format!("http://localhost:{}/x", addr.port()));

    let guarded = client(&http_config(&[]));
    match guarded.get(&by_ip).await {
        Err(HttpError::RefusedAddress { url, address }) => {
            assert_eq!(url, by_ip.as_str());
            assert_eq!(address, "127.0.0.1");
        }
        other => panic!("{other:?}"),
    }
    // A name is checked after resolution, by the guarded resolver.
    match guarded.get(&by_name).await {
        Err(HttpError::RefusedAddress { url, address }) => {
            assert_eq!(url, by_name.as_str());
            assert!(address.contains("localhost"), "{address}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0);

    let mut open = http_config(&[]);
    open.allow_private_addresses = true;
    let open = client(&open);
    for u in [&by_ip, &by_name] {
        let r = open.get(u).await.unwrap();
        assert_eq!(&r.body[..], b"hello");
    }
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn only_http_and_https_are_fetched() {
    let c = client(&http_config(&[]));
    for u in [
        "ftp://example.com/",
        "file:///etc/passwd",
        "data:text/plain,hi",
    ] {
        match c.get(&url(u)).await {
            Err(HttpError::InvalidUrl { url, .. }) => assert_eq!(url, u),
            other => panic!("{u}: {other:?}"),
        }
    }
}

#[test]
fn a_bad_override_base_fails_client_construction() {
    let config = http_config(&[("a.test", "not a url".to_string())]);
    match HttpClient::new(&config, &polite(1)) {
        Err(HttpError::InvalidUrl { url, .. }) => assert_eq!(url, "not a url"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_user_agent_that_is_not_a_header_value_fails_client_construction() {
    let mut config = http_config(&[]);
    config.user_agent = "embedkeep\r\nx-injected: 1".into();
    match HttpClient::new(&config, &polite(1)) {
        Err(e @ HttpError::Build { .. }) => assert!(e.to_string().contains("HTTP client"), "{e}"),
        other => panic!("{other:?}"),
    }
}
