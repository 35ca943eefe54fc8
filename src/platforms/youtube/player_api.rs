//! Players a page builds with YouTube's IFrame Player API, in an inline script, where nothing
//! in the markup names the video (the API's own example, and custom and click-to-play players
//! built on it):
//!
//! ```text
//! new YT.Player('player', { height: '315', width: '560', videoId: '94PLgLKcGW8', … });
//! ```
//!
//! Only a `videoId` written as a string in the call's own settings names the video: one held
//! in a variable is the script's to choose, and a call without one (a playlist in
//! `playerVars`) plays no single video.

use std::sync::LazyLock;

use regex::Regex;
use url::Url;

use crate::platforms::markup::{Candidate, ScriptCall, script_call_texts};

/// The call that builds a player.
pub(super) const CALL: ScriptCall = ScriptCall {
    marker: "YT.Player(",
    read,
};

/// The most bytes of a script read after each call for its settings: a player's settings
/// take a few hundred.
const MAX_CALL: usize = 2048;

/// A `videoId` setting written as a string (quoted or not, as object keys are).
static VIDEO_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:\bvideoId|['"]videoId['"])\s*:\s*['"]([A-Za-z0-9_-]{11})['"]"#)
        .unwrap_or_else(|e| panic!("YT.Player videoId pattern: {e}"))
});

/// The players `body` (a script's text) builds, in order.
fn read(body: &str, _base: &Url) -> Vec<Candidate> {
    let mut out = Vec::new();
    for call in script_call_texts(body, CALL.marker, MAX_CALL) {
        let Some(id) = VIDEO_ID.captures(call).map(|c| c[1].to_owned()) else {
            continue;
        };
        if let Some(url) = super::video_url(&id)
            && let Some(mut c) = Candidate::new(vec![url], "script YT.Player")
        {
            c.post_only = true;
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn players(body: &str) -> Vec<String> {
        let base = Url::parse("https://news.example/a").unwrap_or_else(|e| panic!("{e}"));
        read(body, &base)
            .into_iter()
            .map(|c| c.urls[0].to_string())
            .collect()
    }

    /// DuckDuckGo's click-to-load test page (privacy-test-pages, Apache-2.0) builds two players
    /// by id and one of a playlist.
    #[test]
    fn a_player_built_with_a_video_id_is_that_video() {
        let body = "function onYouTubeIframeAPIReady() {\n  const dynamicVideo = new YT.Player('dynamic-video', {\n    height: '315',\n    width: '560',\n    videoId: '94PLgLKcGW8',\n    playerVars: { 'playsinline': 1 },\n  })\n  new YT.Player('playlist', { playerVars: { list: 'PLC77007E23FF423C6' } })\n  new YT.Player('spherical-video', { \"videoId\": \"TpjK07pUtkU\" })\n}";
        assert_eq!(
            players(body),
            [
                "https://www.youtube.com/watch?v=94PLgLKcGW8",
                "https://www.youtube.com/watch?v=TpjK07pUtkU"
            ]
        );
    }

    #[test]
    fn an_id_the_script_chooses_names_nothing() {
        for body in [
            "new YT.Player('p', { videoId: ids[i] })",
            "new YT.Player('p', { videoId: 'short' })",
            "new YT.Player('p', {})",
            "var videoId = '94PLgLKcGW8';",
        ] {
            assert!(players(body).is_empty(), "{body}");
        }
    }
}
