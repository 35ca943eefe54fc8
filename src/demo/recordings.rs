//! The recorded platform answers the demo replays: every answer the bundled article's posts
//! need (the same recordings the tests use, `tests/fixtures/samples`, with their attribution in
//! `tests/fixtures/samples/README.md` and `manifest.json`), plus one recorded tombstone to
//! show a post going away. Generated from the manifest; each entry names its manifest id.

/// One recorded exchange.
pub struct Recording {
    /// The manifest id.
    pub id: &'static str,
    pub url: &'static str,
    pub status: u16,
    pub content_type: Option<&'static str>,
    pub location: Option<&'static str>,
    pub body: &'static [u8],
}

/// The article the demo archives (`tests/fixtures/local/article-four-platforms.html`).
pub const ARTICLE: &[u8] = include_bytes!("../../tests/fixtures/local/article-four-platforms.html");

pub const RECORDINGS: &[Recording] = &[
    Recording {
        id: "x-oembed-436461658601713664-2021",
        url: "https://publish.twitter.com/oembed?url=https%3A%2F%2Ftwitter.com%2Fpepephone%2Fstatus%2F436461658601713664&format=json",
        status: 200,
        content_type: Some("application/json; charset=utf-8"),
        location: None,
        body: include_bytes!("../../tests/fixtures/samples/x/oembed-436461658601713664-2021.json"),
    },
    Recording {
        id: "x-oembed-436461658601713664-x-url-2024",
        url: "https://publish.twitter.com/oembed?url=https%3A%2F%2Fx.com%2Fpepephone%2Fstatus%2F436461658601713664&format=json",
        status: 200,
        content_type: Some("application/json; charset=utf-8"),
        location: None,
        body: include_bytes!(
            "../../tests/fixtures/samples/x/oembed-436461658601713664-x-url-2024.json"
        ),
    },
    Recording {
        id: "x-redirect-publish-x-com",
        url: "https://publish.x.com/oembed?url=https%3A%2F%2Fx.com%2Fpepephone%2Fstatus%2F436461658601713664&format=json",
        status: 301,
        content_type: None,
        location: Some(
            "https://publish.twitter.com/oembed?url=https%3A%2F%2Fx.com%2Fpepephone%2Fstatus%2F436461658601713664&format=json",
        ),
        body: include_bytes!("../../tests/fixtures/samples/x/redirect-publish-x-com.txt"),
    },
    Recording {
        id: "x-page-pepephone-436461658601713664-2024",
        url: "https://x.com/pepephone/status/436461658601713664",
        status: 200,
        content_type: Some("text/html; charset=utf-8"),
        location: None,
        body: include_bytes!(
            "../../tests/fixtures/samples/x/page-pepephone-436461658601713664-2024.html"
        ),
    },
    Recording {
        id: "tiktok-oembed-6806030056956251397",
        url: "https://www.tiktok.com/oembed?url=https%3A%2F%2Fwww.tiktok.com%2F%40a3noticias%2Fvideo%2F6806030056956251397&format=json",
        status: 200,
        content_type: Some("application/json; charset=utf-8"),
        location: None,
        body: include_bytes!("../../tests/fixtures/samples/tiktok/oembed-6806030056956251397.json"),
    },
    Recording {
        id: "tiktok-page-a3noticias-6806030056956251397",
        url: "https://www.tiktok.com/@a3noticias/video/6806030056956251397",
        status: 200,
        content_type: Some("text/html; charset=utf-8"),
        location: None,
        body: include_bytes!(
            "../../tests/fixtures/samples/tiktok/page-a3noticias-6806030056956251397.html"
        ),
    },
    Recording {
        id: "youtube-oembed-eiHXASgRTcA-2024",
        url: "https://www.youtube.com/oembed?format=json&url=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DeiHXASgRTcA",
        status: 200,
        content_type: Some("application/json"),
        location: None,
        body: include_bytes!("../../tests/fixtures/samples/youtube/oembed-eiHXASgRTcA-2024.json"),
    },
    Recording {
        id: "youtube-oembed-youtu.be-eiHXASgRTcA-2021",
        url: "https://www.youtube.com/oembed?url=http%3A%2F%2Fyoutu.be%2FeiHXASgRTcA&format=json",
        status: 200,
        content_type: Some("application/json"),
        location: None,
        body: include_bytes!(
            "../../tests/fixtures/samples/youtube/oembed-youtu.be-eiHXASgRTcA-2021.json"
        ),
    },
    Recording {
        id: "youtube-oembed-http-watch-eiHXASgRTcA-2021",
        url: "https://www.youtube.com/oembed?url=http%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DeiHXASgRTcA&format=json",
        status: 200,
        content_type: Some("application/json"),
        location: None,
        body: include_bytes!(
            "../../tests/fixtures/samples/youtube/oembed-http-watch-eiHXASgRTcA-2021.json"
        ),
    },
    Recording {
        id: "youtube-watch-eiHXASgRTcA",
        url: "https://www.youtube.com/watch?v=eiHXASgRTcA",
        status: 200,
        content_type: Some("text/html; charset=utf-8"),
        location: None,
        body: include_bytes!("../../tests/fixtures/samples/youtube/watch-eiHXASgRTcA.html"),
    },
    Recording {
        id: "youtube-consent-page-youtu.be-eiHXASgRTcA",
        url: "https://consent.youtube.com/m?continue=https%3A%2F%2Fwww.youtube.com%2Fwatch%3Fv%3DeiHXASgRTcA%26feature%3Dyoutu.be&gl=ES&m=0&pc=yt&uxe=23983172&hl=es&src=1",
        status: 200,
        content_type: Some("text/html; charset=utf-8"),
        location: None,
        body: include_bytes!(
            "../../tests/fixtures/samples/youtube/consent-page-youtu.be-eiHXASgRTcA.html"
        ),
    },
    Recording {
        id: "x-syndication-20",
        url: "https://cdn.syndication.twimg.com/tweet-result?id=20&lang=en&token=6dq1a2xwd93",
        status: 200,
        content_type: Some("application/json"),
        location: None,
        body: include_bytes!("../../tests/fixtures/samples/x/syndication-20-tweet-text.json"),
    },
    Recording {
        id: "x-syndication-1700000000000000001-tombstone",
        url: "https://cdn.syndication.twimg.com/tweet-result?id=1700000000000000001&lang=en&token=44cpgxmyurn",
        status: 200,
        content_type: Some("application/json;charset=utf-8"),
        location: None,
        body: include_bytes!(
            "../../tests/fixtures/samples/x/syndication-1700000000000000001-tombstone.json"
        ),
    },
    Recording {
        id: "instagram-embed-captioned-C8kQx2LtA1b-image",
        url: "https://www.instagram.com/p/C8kQx2LtA1b/embed/captioned/",
        status: 200,
        content_type: Some("text/html; charset=\"utf-8\""),
        location: None,
        body: include_bytes!(
            "../../tests/fixtures/samples/instagram/embed-captioned-C8kQx2LtA1b-image.html"
        ),
    },
    Recording {
        id: "instagram-embed-captioned-C8tZr5pIe0B-carousel",
        url: "https://www.instagram.com/p/C8tZr5pIe0B/embed/captioned/",
        status: 200,
        content_type: Some("text/html; charset=\"utf-8\""),
        location: None,
        body: include_bytes!(
            "../../tests/fixtures/samples/instagram/embed-captioned-C8tZr5pIe0B-carousel.html"
        ),
    },
    Recording {
        id: "instagram-embed-captioned-C82rTq0Nx7e-reel",
        url: "https://www.instagram.com/p/C82rTq0Nx7e/embed/captioned/",
        status: 200,
        content_type: Some("text/html; charset=\"utf-8\""),
        location: None,
        body: include_bytes!(
            "../../tests/fixtures/samples/instagram/embed-captioned-C82rTq0Nx7e-reel.html"
        ),
    },
    Recording {
        id: "images-progressive-650x470",
        url: "https://i.ytimg.com/vi/eiHXASgRTcA/hqdefault.jpg",
        status: 200,
        content_type: Some("image/jpeg"),
        location: None,
        body: include_bytes!("../../tests/fixtures/samples/images/progressive-650x470.jpg"),
    },
    Recording {
        id: "images-exif-orientation-6-113x150",
        url: "https://scontent.cdninstagram.com/v/t51.2885-15/449876543_1080x1350_n.jpg?stp=dst-jpg_e35&_nc_ht=scontent.cdninstagram.com&_nc_cat=1&oh=00_AYBx1&oe=6700A1B2",
        status: 200,
        content_type: Some("image/jpeg"),
        location: None,
        body: include_bytes!("../../tests/fixtures/samples/images/exif-orientation-6-113x150.jpg"),
    },
    Recording {
        id: "images-cmyk-256x256",
        url: "https://scontent.cdninstagram.com/v/t51.2885-15/451200001_1080x1080_n.jpg?stp=dst-jpg_e35&_nc_ht=scontent.cdninstagram.com&oh=00_AYCa1&oe=6700B2C3",
        status: 200,
        content_type: Some("image/jpeg"),
        location: None,
        body: include_bytes!("../../tests/fixtures/samples/images/cmyk-256x256.jpg"),
    },
    Recording {
        id: "images-ycck-500x333",
        url: "https://scontent.cdninstagram.com/v/t51.2885-15/451200002_1080x1080_n.jpg?stp=dst-jpg_e35&_nc_ht=scontent.cdninstagram.com&oh=00_AYCb2&oe=6700B2C3",
        status: 200,
        content_type: Some("image/jpeg"),
        location: None,
        body: include_bytes!("../../tests/fixtures/samples/images/ycck-500x333.jpg"),
    },
    Recording {
        id: "images-lossy-100x100",
        url: "https://scontent.cdninstagram.com/v/t51.2885-15/451200003_1080x1080_n.webp?stp=dst-webp_e35&_nc_ht=scontent.cdninstagram.com&oh=00_AYCc3&oe=6700B2C3",
        status: 200,
        content_type: Some("image/webp"),
        location: None,
        body: include_bytes!("../../tests/fixtures/samples/images/lossy-100x100.webp"),
    },
    Recording {
        id: "images-rgba16-32x32",
        url: "https://pbs.twimg.com/profile_images/1661201415899951105/azNjKOSH_normal.jpg",
        status: 200,
        content_type: Some("image/png"),
        location: None,
        body: include_bytes!("../../tests/fixtures/samples/images/rgba16-32x32.png"),
    },
    Recording {
        id: "images-animated-1000x1000",
        url: "https://pbs.twimg.com/tweet_video_thumb/DDbh3WCXYAAZfz9.jpg",
        status: 200,
        content_type: Some("image/gif"),
        location: None,
        body: include_bytes!("../../tests/fixtures/samples/images/animated-1000x1000.gif"),
    },
    Recording {
        id: "images-truncated-650x470",
        url: "https://scontent.cdninstagram.com/v/t51.2885-15/452900004_720x1280_n.jpg?stp=dst-jpg_e15&_nc_ht=scontent.cdninstagram.com&oh=00_AYDd4&oe=6700C3D4",
        status: 200,
        content_type: Some("image/jpeg"),
        location: None,
        body: include_bytes!("../../tests/fixtures/samples/images/truncated-650x470.jpg"),
    },
];
