//! The distinct URLs a source document lists, the first of them kept and the rest only
//! counted: a sitemap may list a million URLs under its size cap, and holding each one left out
//! (to tell a repeat from a new one) cost more than the document itself.

use std::collections::HashSet;
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

use url::Url;

/// What became of one URL offered to [`Distinct::admit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Admit {
    /// A new URL within the cap: keep it.
    Keep,
    /// A URL offered before.
    Repeat,
    /// A new URL past the cap: count it as left out.
    LeftOut,
}

/// The URLs offered so far: those kept whole (at most `max`), those past the cap as 64-bit
/// hashes, enough to count them once each.
pub(super) struct Distinct {
    kept: HashSet<Url>,
    past: HashSet<u64>,
    hasher: RandomState,
    max: usize,
}

impl Distinct {
    pub(super) fn new(max: usize) -> Distinct {
        Distinct {
            kept: HashSet::new(),
            past: HashSet::new(),
            hasher: RandomState::new(),
            max,
        }
    }

    pub(super) fn admit(&mut self, url: &Url) -> Admit {
        if self.kept.contains(url) {
            return Admit::Repeat;
        }
        if self.kept.len() < self.max {
            self.kept.insert(url.clone());
            return Admit::Keep;
        }
        if self.past.insert(self.hasher.hash_one(url.as_str())) {
            Admit::LeftOut
        } else {
            Admit::Repeat
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_distinct_urls_are_kept_and_the_rest_counted_once() {
        let mut d = Distinct::new(2);
        let url = |s: &str| Url::parse(s).unwrap();
        let got: Vec<Admit> = ["a", "b", "a", "c", "d", "c", "b"]
            .iter()
            .map(|p| d.admit(&url(&format!("https://news.test/{p}"))))
            .collect();
        assert_eq!(
            got,
            [
                Admit::Keep,
                Admit::Keep,
                Admit::Repeat,
                Admit::LeftOut,
                Admit::LeftOut,
                Admit::Repeat,
                Admit::Repeat
            ]
        );
        // Past the cap nothing is held whole.
        assert_eq!(d.kept.len(), 2);
        assert_eq!(d.past.len(), 2);
    }
}
