//! The `SIGI_STATE` script of TikTok's video pages from about 2021 to 2023 (between the
//! `__NEXT_DATA__` and the `__UNIVERSAL_DATA_FOR_REHYDRATION__` layouts; a 2022 page is recorded
//! in `tests/fixtures/samples/tiktok/peer-page-*-sigi.html`). It keeps the page's verdict in
//! `VideoPage` (`statusCode`, `statusMsg`: the codes of the later layout) and each video the page
//! shows in `ItemModule`, keyed by id, with its author as a bare handle beside a `nickname`.
//!
//! It is read into the later layout's video detail, so one set of rules classifies every page.

use std::collections::HashMap;

use serde::Deserialize;

use super::rehydration::{Author, ItemInfo, ItemStruct, Video, VideoDetail};

/// The id of the script element.
pub(super) const SCRIPT_ID: &str = "SIGI_STATE";

/// The video detail of `json` (the script's text) for `video_id`: the page's status, and the
/// item of that id when the page has it (never another video's).
pub(super) fn video_detail(json: &str, video_id: &str) -> Result<VideoDetail, serde_json::Error> {
    let state: State = serde_json::from_str(json)?;
    let page = state.video_page.unwrap_or_default();
    // Only the asked video's entry is typed: an odd field in another one says nothing of it.
    let item = match state.item_module.get(video_id) {
        Some(value) => Some(Item::deserialize(value)?),
        None => None,
    };
    Ok(VideoDetail {
        status_code: page.status_code,
        status_msg: page.status_msg,
        item_info: item.map(|item| ItemInfo {
            item_struct: Some(item.into_struct()),
        }),
    })
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct State {
    video_page: Option<Status>,
    #[serde(default)]
    item_module: HashMap<String, serde_json::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status {
    status_code: Option<i64>,
    status_msg: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item {
    id: Option<String>,
    desc: Option<String>,
    create_time: Option<serde_json::Value>,
    text_language: Option<String>,
    /// The author's handle (`uniqueId` in the later layout).
    author: Option<String>,
    nickname: Option<String>,
    video: Option<Video>,
}

impl Item {
    fn into_struct(self) -> ItemStruct {
        ItemStruct {
            id: self.id,
            desc: self.desc,
            create_time: self.create_time,
            text_language: self.text_language,
            author: Some(Author {
                unique_id: self.author,
                nickname: self.nickname,
            }),
            video: self.video,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_asked_video_is_read_and_no_other() {
        let json = r#"{"VideoPage":{"statusCode":0},"ItemModule":{
            "111":{"id":"111","desc":"other","author":"someone","nickname":"S"},
            "222":{"id":"222","desc":"mine ","createTime":"1661027701","author":"me","nickname":"Me",
                   "video":{"cover":"https://p.example/c.jpg","width":576,"height":1024}}}}"#;
        let detail = video_detail(json, "222").expect("reads");
        assert_eq!(detail.status_code, Some(0));
        let item = detail
            .item_info
            .and_then(|i| i.item_struct)
            .expect("the item");
        assert_eq!(item.desc.as_deref(), Some("mine "));
        let author = item.author.expect("author");
        assert_eq!(author.unique_id.as_deref(), Some("me"));
        assert_eq!(author.nickname.as_deref(), Some("Me"));
        // A page that shows other videos only has no item for the asked one.
        let absent = video_detail(json, "333").expect("reads");
        assert!(absent.item_info.is_none());
    }

    #[test]
    fn a_gone_page_keeps_its_status() {
        let json =
            r#"{"VideoPage":{"statusCode":10204,"statusMsg":"status_deleted"},"ItemModule":{}}"#;
        let detail = video_detail(json, "222").expect("reads");
        assert_eq!(detail.status_code, Some(10204));
        assert_eq!(detail.status_msg.as_deref(), Some("status_deleted"));
        assert!(detail.item_info.is_none());
        // An odd entry of the asked video is unreadable, not a video without fields.
        assert!(video_detail(r#"{"ItemModule":{"222":{"author":7}}}"#, "222").is_err());
        assert!(video_detail("[]", "222").is_err());
    }
}
