//! The `__NEXT_DATA__` script of TikTok's video pages until about 2022 (before `SIGI_STATE`,
//! [`sigi_state`](super::sigi_state)). Its `props.pageProps` keeps the page's verdict
//! (`statusCode`, `statusMsg`: the codes of the later layouts) and the video in one of two
//! shapes:
//!
//! - 2021: `itemInfo.itemStruct`, the later layout's item (caption `desc`, `author` with
//!   `uniqueId` and `nickname`, `video` with `cover`).
//! - 2020: `videoData`, with the video in `itemInfos` (caption `text`, `createTime`, `covers`
//!   and `coversOrigin` lists, `video.videoMeta` with the size) and its author in `authorInfos`
//!   (`uniqueId`, `nickName`); recorded in
//!   `tests/fixtures/samples/tiktok/peer-page-a3noticias-6806030056956251397-2020-04.html`.
//!
//! Either is read into the later layout's video detail, so one set of rules classifies every
//! page.

use serde::Deserialize;

use super::rehydration::{Author, ItemInfo, ItemStruct, Video, VideoDetail};

/// The id of the script element.
pub(super) const SCRIPT_ID: &str = "__NEXT_DATA__";

/// The video detail of `json` (the script's text): the page's status, and its item in either
/// shape (`itemInfo.itemStruct` first).
pub(super) fn video_detail(json: &str) -> Result<Option<VideoDetail>, serde_json::Error> {
    let data: NextData = serde_json::from_str(json)?;
    let Some(props) = data.props.and_then(|p| p.page_props) else {
        return Ok(None);
    };
    let item_info = match props.item_info {
        Some(info) if info.item_struct.is_some() => Some(info),
        other => props
            .video_data
            .map(|v| ItemInfo {
                item_struct: Some(v.into_struct()),
            })
            .or(other),
    };
    Ok(Some(VideoDetail {
        status_code: props.status_code,
        status_msg: props.status_msg,
        item_info,
    }))
}

#[derive(Debug, Deserialize)]
struct NextData {
    props: Option<NextProps>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct NextProps {
    page_props: Option<PageProps>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageProps {
    status_code: Option<i64>,
    status_msg: Option<String>,
    item_info: Option<ItemInfo>,
    video_data: Option<VideoData>,
}

/// The 2020 shape: the video and its author side by side.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct VideoData {
    item_infos: Option<ItemInfos>,
    author_infos: Option<AuthorInfos>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ItemInfos {
    id: Option<String>,
    text: Option<String>,
    create_time: Option<serde_json::Value>,
    #[serde(default)]
    covers: Vec<String>,
    #[serde(default)]
    covers_origin: Vec<String>,
    video: Option<VideoInfos>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct VideoInfos {
    video_meta: Option<VideoMeta>,
}

#[derive(Debug, Default, Deserialize)]
struct VideoMeta {
    width: Option<serde_json::Value>,
    height: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AuthorInfos {
    unique_id: Option<String>,
    nick_name: Option<String>,
}

impl VideoData {
    fn into_struct(self) -> ItemStruct {
        let item = self.item_infos.unwrap_or_default();
        let meta = item.video.and_then(|v| v.video_meta).unwrap_or_default();
        ItemStruct {
            id: item.id,
            desc: item.text,
            create_time: item.create_time,
            text_language: None,
            author: self.author_infos.map(|a| Author {
                unique_id: a.unique_id,
                nickname: a.nick_name,
            }),
            video: Some(Video {
                cover: item.covers.into_iter().next(),
                origin_cover: item.covers_origin.into_iter().next(),
                width: meta.width,
                height: meta.height,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_2020_page_keeps_its_video_in_video_data() {
        let json = r#"{"props":{"pageProps":{"statusCode":0,"serverCode":200,"videoData":{
            "itemInfos":{"id":"6806030056956251397","text":"Nuestro #AplausoSanitario",
              "createTime":"1584652361","covers":["https://p.example/c"],
              "coversOrigin":["https://p.example/o"],
              "video":{"urls":["https://v.example/v"],"videoMeta":{"width":480,"height":848}}},
            "authorInfos":{"uniqueId":"a3noticias","nickName":"Antena 3 Noticias"}}}}}"#;
        let detail = video_detail(json).expect("reads").expect("page props");
        assert_eq!(detail.status_code, Some(0));
        let item = detail
            .item_info
            .and_then(|i| i.item_struct)
            .expect("the item");
        assert_eq!(item.id.as_deref(), Some("6806030056956251397"));
        assert_eq!(item.desc.as_deref(), Some("Nuestro #AplausoSanitario"));
        assert_eq!(item.create_time, Some(serde_json::json!("1584652361")));
        let author = item.author.expect("author");
        assert_eq!(author.unique_id.as_deref(), Some("a3noticias"));
        assert_eq!(author.nickname.as_deref(), Some("Antena 3 Noticias"));
        let video = item.video.expect("video");
        assert_eq!(video.cover.as_deref(), Some("https://p.example/c"));
        assert_eq!(video.origin_cover.as_deref(), Some("https://p.example/o"));
        assert_eq!(video.width, Some(serde_json::json!(480)));
    }

    #[test]
    fn a_2021_page_keeps_its_item_struct() {
        let json = r#"{"props":{"pageProps":{"statusCode":0,"itemInfo":{"itemStruct":{
            "id":"1","desc":"caption","createTime":1584652361,
            "author":{"uniqueId":"me","nickname":"Me"}}}}}}"#;
        let item = video_detail(json)
            .expect("reads")
            .and_then(|d| d.item_info)
            .and_then(|i| i.item_struct)
            .expect("the item");
        assert_eq!(item.desc.as_deref(), Some("caption"));
    }

    #[test]
    fn a_missing_video_keeps_its_status_and_no_item() {
        let json = r#"{"props":{"pageProps":{"statusCode":10204,"statusMsg":""}}}"#;
        let detail = video_detail(json).expect("reads").expect("page props");
        assert_eq!(detail.status_code, Some(10204));
        assert!(detail.item_info.is_none());
    }
}
