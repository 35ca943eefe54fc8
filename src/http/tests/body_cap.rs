//! Body cap: Content-Length, chunked and endless streams, compression bombs, decoding.

use super::*;

fn assert_too_large(result: Result<Response, HttpError>, expected_url: &str) {
    match result {
        Err(HttpError::TooLarge { url, limit }) => {
            assert_eq!(url, expected_url);
            assert_eq!(limit, LIMIT);
        }
        Err(other) => panic!("expected TooLarge, got {other}"),
        Ok(r) => panic!("expected TooLarge, got {} bytes", r.body.len()),
    }
}

#[tokio::test]
async fn a_content_length_over_the_cap_fails_before_reading_the_body() {
    let (addr, _) = serve(|_, mut s| async move {
        let head = "HTTP/1.1 200 OK\r\ncontent-length: 50000000\r\n\r\n";
        let _ = s.write_all(head.as_bytes()).await;
        let _ = s.write_all(&[b'a'; 1024]).await;
        // Never send the rest: a client that waits for it would time out instead.
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let started = Instant::now();
    let result = client_for("big.test", addr)
        .get(&url("https://big.test/huge"))
        .await;
    assert_too_large(result, "https://big.test/huge");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_body_exactly_at_the_cap_is_read_whole() {
    let (addr, _) = serve(|_, mut s| async move {
        respond(&mut s, "200 OK", &[], &vec![b'x'; LIMIT as usize]).await;
    })
    .await;
    let r = client_for("edge.test", addr)
        .get(&url("https://edge.test/"))
        .await
        .unwrap();
    assert_eq!(r.body.len() as u64, LIMIT);
}

/// Write `chunks` chunks of 4 KiB (`None`: forever, until the client hangs up).
async fn write_chunked(mut s: TcpStream, chunks: Option<usize>) {
    let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-type: text/plain\r\n\r\n";
    if s.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let mut chunk = b"1000\r\n".to_vec();
    chunk.extend_from_slice(&[b'z'; 4096]);
    chunk.extend_from_slice(b"\r\n");
    let mut sent = 0;
    while chunks.is_none_or(|n| sent < n) {
        if s.write_all(&chunk).await.is_err() {
            return;
        }
        sent += 1;
    }
    let _ = s.write_all(b"0\r\n\r\n").await;
}

#[tokio::test]
async fn a_chunked_body_over_the_cap_is_too_large() {
    let (addr, _) = serve(|_, s| write_chunked(s, Some(50))).await;
    let result = client_for("chunks.test", addr)
        .get(&url("https://chunks.test/x"))
        .await;
    assert_too_large(result, "https://chunks.test/x");
}

#[tokio::test]
async fn a_chunked_body_under_the_cap_is_read_whole() {
    let (addr, _) = serve(|_, s| write_chunked(s, Some(3))).await;
    let r = client_for("chunks.test", addr)
        .get(&url("https://chunks.test/x"))
        .await
        .unwrap();
    assert_eq!(r.body.len(), 3 * 4096);
}

#[tokio::test]
async fn an_endless_chunked_body_ends_in_too_large() {
    let (addr, _) = serve(|_, s| write_chunked(s, None)).await;
    let started = Instant::now();
    let result = client_for("endless.test", addr)
        .get(&url("https://endless.test/stream"))
        .await;
    assert_too_large(result, "https://endless.test/stream");
    assert!(started.elapsed() < Duration::from_secs(4));
}

/// `len` zero bytes, gzip-compressed, built in 1 MiB steps so the test itself stays small.
fn gzip_zeros(len: usize) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let block = vec![0u8; 1024 * 1024];
    let mut left = len;
    while left > 0 {
        let n = left.min(block.len());
        encoder.write_all(&block[..n]).unwrap();
        left -= n;
    }
    encoder.finish().unwrap()
}

#[tokio::test]
async fn a_gzip_bomb_stops_at_the_cap() {
    let bomb = gzip_zeros(50 * 1024 * 1024);
    assert!(bomb.len() < 200 * 1024, "the bomb is {} bytes", bomb.len());
    let (addr, _) = serve(move |_, mut s| {
        let bomb = bomb.clone();
        async move {
            let headers = [("content-encoding", "gzip"), ("content-type", "text/html")];
            respond(&mut s, "200 OK", &headers, &bomb).await;
        }
    })
    .await;
    let result = client_for("bomb.test", addr)
        .get(&url("https://bomb.test/"))
        .await;
    assert_too_large(result, "https://bomb.test/");
}

#[tokio::test]
async fn gzip_and_brotli_bodies_are_decoded() {
    let text = "<p>compressed answer</p>".repeat(20);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(text.as_bytes()).unwrap();
    let gz = gz.finish().unwrap();
    let mut br = Vec::new();
    brotli::BrotliCompress(
        &mut text.as_bytes(),
        &mut br,
        &brotli::enc::BrotliEncoderParams::default(),
    )
    .unwrap();
    let (addr, _) = serve(move |head, mut s| {
        let (gz, br) = (gz.clone(), br.clone());
        async move {
            let (encoding, body) = if target_of(&head).ends_with("/br") {
                ("br", br)
            } else {
                ("gzip", gz)
            };
            respond(&mut s, "200 OK", &[("content-encoding", encoding)], &body).await;
        }
    })
    .await;
    let c = client_for("zip.test", addr);
    for path in ["gz", "br"] {
        let r = c
            .get(&url(&format!("https://zip.test/{path}")))
            .await
            .unwrap();
        assert_eq!(r.text(), text, "{path}");
    }
}

#[tokio::test]
async fn a_brotli_bomb_stops_at_the_cap() {
    // 8 MiB of zeros, 128 times the cap; a low quality keeps the test fast in debug builds.
    let zeros = vec![0u8; 8 * 1024 * 1024];
    let mut bomb = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 1,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut zeros.as_slice(), &mut bomb, &params).unwrap();
    drop(zeros);
    assert!(bomb.len() < 64 * 1024, "the bomb is {} bytes", bomb.len());
    let (addr, _) = serve(move |_, mut s| {
        let bomb = bomb.clone();
        async move {
            respond(&mut s, "200 OK", &[("content-encoding", "br")], &bomb).await;
        }
    })
    .await;
    let result = client_for("bomb.test", addr)
        .get(&url("https://bomb.test/br"))
        .await;
    assert_too_large(result, "https://bomb.test/br");
}

#[tokio::test]
async fn a_broken_gzip_body_is_a_decode_error() {
    let (addr, _) = serve(|_, mut s| async move {
        let garbage = b"\x1f\x8b\x08\x00this is not deflate data at all";
        respond(&mut s, "200 OK", &[("content-encoding", "gzip")], garbage).await;
    })
    .await;
    match client_for("bad.test", addr)
        .get(&url("https://bad.test/z"))
        .await
    {
        Err(HttpError::Decode { url, .. }) => assert_eq!(url, "https://bad.test/z"),
        other => panic!("{other:?}"),
    }
}

/// A deflate body (zlib, as RFC 9110 defines the coding) is decoded like gzip; a coding the
/// client does not decode (zstd, compress, a server's own) is an error naming it and the URL,
/// never its bytes read as the answer; `identity` is no coding.
#[tokio::test]
async fn deflate_is_decoded_and_other_codings_are_refused() {
    let text = "<p>compressed answer</p>".repeat(20);
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    zlib.write_all(text.as_bytes()).unwrap();
    let zlib = zlib.finish().unwrap();
    let plain = text.clone();
    let (addr, _) = serve(move |head, mut s| {
        let (zlib, plain) = (zlib.clone(), plain.clone());
        async move {
            let target = target_of(&head);
            let (coding, body) = match target.rsplit('/').next().unwrap_or_default() {
                "deflate" => ("deflate", zlib),
                "identity" => ("identity", plain.into_bytes()),
                "zstd" => ("zstd", b"(\xb5/\xfd\x04\x58\x09\x00\x00x".to_vec()),
                "listed" => ("identity, gzip", zlib),
                _ => ("x-custom, gzip", zlib),
            };
            respond(&mut s, "200 OK", &[("content-encoding", coding)], &body).await;
        }
    })
    .await;
    let c = client_for("zip.test", addr);
    for path in ["deflate", "identity"] {
        let r = c
            .get(&url(&format!("https://zip.test/{path}")))
            .await
            .unwrap();
        assert_eq!(r.text(), text, "{path}");
    }
    // A list is named as it was sent, `identity` and all.
    for (path, named) in [
        ("zstd", "zstd"),
        ("custom", "x-custom, gzip"),
        ("listed", "Content-Encoding identity, gzip, which"),
    ] {
        let asked = format!("https://zip.test/{path}");
        match c.get(&url(&asked)).await {
            Err(e @ HttpError::Decode { .. }) => {
                let message = e.to_string();
                assert!(
                    message.contains(&asked) && message.contains(named),
                    "{message}"
                );
            }
            other => panic!("{path}: {other:?}"),
        }
    }
}
