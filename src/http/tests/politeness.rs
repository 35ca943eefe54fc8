//! Per-host politeness seen from the server: concurrent handlers and request spacing.

use super::*;

/// A server that counts handlers running at once and remembers the highest count.
async fn counting_server() -> (SocketAddr, Arc<AtomicUsize>) {
    let active = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let peak_out = peak.clone();
    let (addr, _) = serve(move |_, mut s| {
        let (active, peak) = (active.clone(), peak.clone());
        async move {
            let now = active.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(80)).await;
            active.fetch_sub(1, Ordering::SeqCst);
            respond(&mut s, "200 OK", &[], b"ok").await;
        }
    })
    .await;
    (addr, peak_out)
}

async fn get_all(c: &HttpClient, urls: Vec<Url>) {
    let mut set = tokio::task::JoinSet::new();
    for u in urls {
        let c = c.clone();
        set.spawn(async move { c.get(&u).await.map(|r| r.status) });
    }
    while let Some(done) = set.join_next().await {
        assert_eq!(done.unwrap().unwrap(), 200);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn per_host_concurrency_is_never_exceeded() {
    let (addr, peak) = counting_server().await;
    let config = http_config(&[("www.instagram.com", format!("http://{addr}/ig"))]);
    let c = HttpClient::new(&config, &polite(2)).unwrap();
    let urls = (0..10)
        .map(|i| url(&format!("https://www.instagram.com/p/{i}/")))
        .collect();
    get_all(&c, urls).await;
    // Never more than two, and the cap was actually reached (the requests did overlap).
    assert_eq!(peak.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrency_is_counted_per_logical_host_not_per_target() {
    let (addr, peak) = counting_server().await;
    let config = http_config(&[
        ("a.test", format!("http://{addr}/a")),
        ("b.test", format!("http://{addr}/b")),
    ]);
    let c = HttpClient::new(&config, &polite(1)).unwrap();
    let urls = (0..4)
        .flat_map(|i| {
            [
                url(&format!("https://a.test/{i}")),
                url(&format!("https://b.test/{i}")),
            ]
        })
        .collect();
    get_all(&c, urls).await;
    assert_eq!(peak.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_interval_spaces_requests_to_one_host() {
    let (addr, _) = serve(|_, mut s| async move {
        respond(&mut s, "200 OK", &[], b"ok").await;
    })
    .await;
    let config = http_config(&[("paced.test", format!("http://{addr}/p"))]);
    let politeness = PolitenessConfig {
        per_host_concurrency: 4,
        per_host_interval: Duration::from_millis(150),
        ..PolitenessConfig::default()
    };
    let c = HttpClient::new(&config, &politeness).unwrap();
    let started = Instant::now();
    for i in 0..3 {
        c.get(&url(&format!("https://paced.test/{i}")))
            .await
            .unwrap();
    }
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
}
