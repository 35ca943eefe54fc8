//! A map that keeps its values within a byte budget: what the serving caches (rendered cards,
//! images) are kept in. It knows nothing of what it keeps: the caller says how many bytes a
//! value takes, and decides with [`BudgetMap::get_with`] whether a kept value still answers.
//!
//! When the budget is full, other entries make room: whichever the map yields first. Requests
//! pick posts and images in no order a recency list would predict better, and this needs no
//! bookkeeping per read, so a read takes the lock only to look up and clone.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

/// Values by key, their sizes summed within `budget` bytes.
pub(super) struct BudgetMap<K, V> {
    budget: usize,
    inner: Mutex<Entries<K, V>>,
}

struct Entries<K, V> {
    by_key: HashMap<K, Weighed<V>>,
    bytes: usize,
}

struct Weighed<V> {
    value: V,
    bytes: usize,
}

impl<K: Eq + Hash + Copy, V> BudgetMap<K, V> {
    pub(super) fn new(budget: usize) -> BudgetMap<K, V> {
        BudgetMap {
            budget,
            inner: Mutex::new(Entries {
                by_key: HashMap::new(),
                bytes: 0,
            }),
        }
    }

    /// What `answer` makes of the value kept under `key`, if one is kept. `answer` runs under
    /// the lock: it should compare and clone, nothing more.
    pub(super) fn get_with<R>(&self, key: &K, answer: impl FnOnce(&V) -> Option<R>) -> Option<R> {
        let entries = self.inner.lock().ok()?;
        answer(&entries.by_key.get(key)?.value)
    }

    /// Keep `value`, taking `bytes`, under `key`, in place of any value kept there. A value
    /// larger than the whole budget is not kept, and nothing else is evicted for it.
    pub(super) fn put(&self, key: K, value: V, bytes: usize) {
        if bytes > self.budget {
            return;
        }
        let Ok(mut entries) = self.inner.lock() else {
            return;
        };
        if let Some(old) = entries.by_key.remove(&key) {
            entries.bytes -= old.bytes;
        }
        while entries.bytes + bytes > self.budget {
            let Some(&victim) = entries.by_key.keys().next() else {
                break;
            };
            if let Some(old) = entries.by_key.remove(&victim) {
                entries.bytes -= old.bytes;
            }
        }
        entries.bytes += bytes;
        entries.by_key.insert(key, Weighed { value, bytes });
    }

    /// How many values are kept, and the bytes they take.
    #[cfg(test)]
    pub(super) fn usage(&self) -> (usize, usize) {
        let entries = self.inner.lock().unwrap();
        let summed: usize = entries.by_key.values().map(|s| s.bytes).sum();
        assert_eq!(summed, entries.bytes, "the running total drifted");
        (entries.by_key.len(), entries.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_budget_holds_and_the_last_value_put_is_kept() {
        let map = BudgetMap::new(100);
        for key in 0..20u32 {
            map.put(key, key, 30);
            let (count, bytes) = map.usage();
            assert!(bytes <= 100, "{bytes} bytes kept");
            assert!(count <= 3, "{count} values of 30 bytes in 100");
            assert_eq!(map.get_with(&key, |v| Some(*v)), Some(key));
        }
    }

    #[test]
    fn a_value_put_again_replaces_the_old_and_its_size() {
        let map = BudgetMap::new(100);
        map.put(1u8, "old", 60);
        map.put(1u8, "new", 10);
        assert_eq!(map.get_with(&1, |v| Some(*v)), Some("new"));
        assert_eq!(map.usage(), (1, 10));
        // The old size no longer counts: 90 more bytes fit beside it.
        map.put(2u8, "other", 90);
        assert_eq!(map.usage(), (2, 100));
    }

    #[test]
    fn a_value_larger_than_the_budget_is_not_kept_and_evicts_nothing() {
        let map = BudgetMap::new(100);
        map.put(1u8, (), 50);
        map.put(2u8, (), 101);
        assert_eq!(map.get_with(&2, |_| Some(())), None);
        assert_eq!(map.usage(), (1, 50));
    }

    #[test]
    fn many_threads_putting_and_getting_keep_the_budget() {
        let map = std::sync::Arc::new(BudgetMap::new(1000));
        let workers: Vec<_> = (0..8u32)
            .map(|t| {
                let map = std::sync::Arc::clone(&map);
                std::thread::spawn(move || {
                    for n in 0..2000u32 {
                        let key = (t * 7 + n) % 300;
                        map.put(key, key, 1 + (n as usize % 90));
                        if let Some(v) = map.get_with(&key, |v| Some(*v)) {
                            assert_eq!(v, key, "a key answered with another key's value");
                        }
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().expect("a worker panicked");
        }
        let (count, bytes) = map.usage();
        assert!(bytes <= 1000, "{bytes} bytes kept");
        assert!(count > 0);
    }

    #[test]
    fn the_caller_decides_whether_a_kept_value_answers() {
        let map = BudgetMap::new(100);
        map.put(1u8, 7u32, 1);
        assert_eq!(
            map.get_with(&1, |v| (*v == 7).then_some("fresh")),
            Some("fresh")
        );
        assert_eq!(map.get_with(&1, |v| (*v == 8).then_some("fresh")), None);
        assert_eq!(map.get_with(&2, |_| Some("never")), None);
    }
}
