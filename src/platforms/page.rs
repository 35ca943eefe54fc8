//! page: a post read from its own web page (OpenGraph, JSON-LD and Twitter-card metadata), the
//! fallback for anything embedded that no other module claims. It claims no URL by itself and
//! its embeds take no form of their own; it has no resolver yet.

use url::Url;

use crate::model::{Platform, Recognised};

/// The page module of the registry.
#[derive(Debug)]
pub struct Page;

impl crate::platforms::PlatformModule for Page {
    fn platform(&self) -> Platform {
        Platform::Page
    }

    fn recognise(&self, _url: &Url) -> Option<Recognised> {
        None
    }
}
