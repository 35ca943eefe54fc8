//! Images kept in memory between requests. An image's address is the sha256 of its bytes, so
//! a kept image can never be stale: nothing needs to be compared with the archive before it is
//! served again. Reading one from the archive costs a statement, a point read and the copying
//! of its overflow pages out of the file, several times what serving it from memory costs.
//!
//! Only thumbnail-sized images are kept: a kept original of several megabytes would push out
//! the thumbnails of hundreds of posts for one reader.

use axum::http::HeaderValue;
use bytes::Bytes;

use super::budget_map::BudgetMap;

/// The largest image kept.
pub(super) const MEDIA_CACHE_LARGEST: usize = 512 * 1024;

/// An image as it is served: its bytes, its `Content-Type` and its `ETag` (its digest, quoted).
#[derive(Clone, Debug)]
pub(super) struct Image {
    pub bytes: Bytes,
    pub content_type: HeaderValue,
    pub etag: HeaderValue,
}

/// Images by the sha256 of their bytes, within a byte budget.
pub(super) struct MediaCache {
    by_digest: BudgetMap<[u8; 32], Image>,
    largest: usize,
}

impl MediaCache {
    pub(super) fn new(budget: usize, largest: usize) -> MediaCache {
        MediaCache {
            by_digest: BudgetMap::new(budget),
            largest,
        }
    }

    /// The image kept under `digest`.
    pub(super) fn get(&self, digest: &[u8; 32]) -> Option<Image> {
        self.by_digest.get_with(digest, |image| Some(image.clone()))
    }

    /// Keep `image` under `digest`, unless it is larger than the largest image kept.
    pub(super) fn put(&self, digest: [u8; 32], image: Image) {
        let bytes = image.bytes.len();
        if bytes <= self.largest {
            self.by_digest.put(digest, image, bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(len: usize) -> Image {
        Image {
            bytes: Bytes::from(vec![7; len]),
            content_type: HeaderValue::from_static("image/webp"),
            etag: HeaderValue::from_static("\"digest\""),
        }
    }

    #[test]
    fn a_kept_image_is_served_with_its_type() {
        let cache = MediaCache::new(1000, 100);
        cache.put([1; 32], image(10));
        let kept = cache.get(&[1; 32]).expect("kept");
        assert_eq!(kept.bytes.as_ref(), &[7; 10]);
        assert_eq!(kept.content_type, "image/webp");
        assert!(cache.get(&[2; 32]).is_none());
    }

    #[test]
    fn an_image_larger_than_the_largest_kept_is_not_kept() {
        let cache = MediaCache::new(1000, 100);
        cache.put([1; 32], image(100));
        cache.put([2; 32], image(101));
        assert!(cache.get(&[1; 32]).is_some());
        assert!(cache.get(&[2; 32]).is_none());
        assert_eq!(cache.by_digest.usage(), (1, 100));
    }

    #[test]
    fn a_cache_of_no_bytes_keeps_nothing() {
        // `serve.media_cache_mb = 0`: every request reads the archive.
        let cache = MediaCache::new(0, 100);
        cache.put([1; 32], image(1));
        assert!(cache.get(&[1; 32]).is_none());
        assert_eq!(cache.by_digest.usage(), (0, 0));
    }
}
