//! The oEmbed answer: the JSON object every oEmbed endpoint returns (oembed.com, "Response
//! parameters"), read one way for every platform's oEmbed source. Every field is optional: a
//! missing one, or one of another type (a `title` that is an object), leaves a gap in the
//! snapshot rather than failing the answer. Providers send the
//! thumbnail size as a JSON number or, sometimes, a string, so it is read leniently. A
//! platform's own extensions (TikTok's `author_unique_id`, Vimeo's `upload_date`) are not here:
//! that platform reads them from the body.
//!
//! Only parsing belongs here: what an error status means and which fields identify a live post
//! is the oEmbed reader's ([`oembed_endpoint`](crate::platforms::oembed_endpoint)), with each
//! endpoint's own table, or, for a source not read through it, that source's own classifier.

use serde::Deserialize;

use crate::platforms::lenient_json::scalar;
use crate::platforms::readers::as_u32;

/// The fields of an oEmbed answer the platforms read.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OembedAnswer {
    #[serde(deserialize_with = "scalar")]
    pub title: Option<String>,
    #[serde(deserialize_with = "scalar")]
    pub author_name: Option<String>,
    #[serde(deserialize_with = "scalar")]
    pub author_url: Option<String>,
    /// The embed code; X and Instagram put the post's text and date only here.
    #[serde(deserialize_with = "scalar")]
    pub html: Option<String>,
    #[serde(deserialize_with = "scalar")]
    pub thumbnail_url: Option<String>,
    pub thumbnail_width: Option<serde_json::Value>,
    pub thumbnail_height: Option<serde_json::Value>,
    /// `photo`, `video`, `link` or `rich`.
    #[serde(deserialize_with = "scalar")]
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// A `photo` answer's image.
    #[serde(deserialize_with = "scalar")]
    pub url: Option<String>,
    /// The item's width and height (a photo's pixels, a player's size).
    pub width: Option<serde_json::Value>,
    pub height: Option<serde_json::Value>,
    /// An extension many providers add (WordPress, Vimeo): the item's description.
    #[serde(deserialize_with = "scalar")]
    pub description: Option<String>,
    /// The provider's site, against which a relative `author_url` is read.
    #[serde(deserialize_with = "scalar")]
    pub provider_url: Option<String>,
}

impl OembedAnswer {
    /// Read an answer body, which must be a JSON object (an array is no oEmbed answer, even
    /// though serde could read one into the fields in order).
    pub fn from_json(body: &[u8]) -> Result<OembedAnswer, serde_json::Error> {
        match serde_json::from_slice::<serde_json::Value>(body)? {
            object @ serde_json::Value::Object(_) => serde_json::from_value(object),
            other => Err(serde::de::Error::custom(format!(
                "expected a JSON object, found {}",
                match other {
                    serde_json::Value::Array(_) => "an array",
                    serde_json::Value::String(_) => "a string",
                    serde_json::Value::Number(_) => "a number",
                    serde_json::Value::Bool(_) => "a boolean",
                    _ => "null",
                }
            ))),
        }
    }

    /// The thumbnail's width and height, where they are numbers.
    pub fn thumbnail_size(&self) -> (Option<u32>, Option<u32>) {
        (
            self.thumbnail_width.as_ref().and_then(as_u32),
            self.thumbnail_height.as_ref().and_then(as_u32),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_optional_and_sizes_lenient() {
        let a = OembedAnswer::from_json(
            br#"{"title":"t","thumbnail_width":"480","thumbnail_height":360,"type":"video"}"#,
        )
        .expect("parses");
        assert_eq!(a.title.as_deref(), Some("t"));
        assert_eq!(a.author_name, None);
        assert_eq!(a.thumbnail_size(), (Some(480), Some(360)));
        assert!(OembedAnswer::from_json(b"<html>").is_err());
        assert!(OembedAnswer::from_json(b"[]").is_err());
    }

    /// A field of another type than the specification's costs that field, not the answer: the
    /// rest is read, and a size that is no whole number of pixels is no size.
    #[test]
    fn a_field_of_another_type_costs_that_field() {
        let a = OembedAnswer::from_json(
            br#"{"title":{"text":"t"},"author_name":["a"],"html":7,"type":"video",
                 "thumbnail_url":"https://i.example/t.jpg","thumbnail_width":"wide",
                 "thumbnail_height":-5,"width":"100%","height":null,"provider_url":false}"#,
        )
        .expect("parses");
        assert_eq!((&a.title, &a.author_name, &a.html), (&None, &None, &None));
        assert_eq!(a.kind.as_deref(), Some("video"));
        assert_eq!(a.thumbnail_url.as_deref(), Some("https://i.example/t.jpg"));
        assert_eq!(a.thumbnail_size(), (None, None));
        assert_eq!(a.provider_url, None);
    }
}
