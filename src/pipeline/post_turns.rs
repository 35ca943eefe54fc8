//! One check of a post at a time in the process. The daemon's workers archive articles side by
//! side, and a post several of them embed (a viral post, in every story about it) would be
//! asked once per article at the same moment, each answer counted as a check of its own: two
//! gone answers of one moment would pass for two checks towards `liveness.gone_after_checks`.
//! A check waits for the one in flight, and then finds it in the archive
//! ([`super::RunScope::reusing_checks_within`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// The posts being checked, each with the lock its checks take turns on. Shared by every clone
/// of a [`super::Pipeline`].
#[derive(Debug, Default)]
pub(crate) struct PostTurns {
    held: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
}

/// A post's turn: while it is held, no other check of the post in this process starts. The
/// post's entry goes when the last turn on it ends.
pub(crate) struct PostTurn {
    turns: Arc<PostTurns>,
    post_id: i64,
    _held: tokio::sync::OwnedMutexGuard<()>,
}

impl PostTurns {
    /// Wait for the post's turn.
    pub(crate) async fn take(self: &Arc<Self>, post_id: i64) -> PostTurn {
        let lock = {
            // A poisoned map is still a map of locks: a panic elsewhere changed no entry half-way.
            let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(held.entry(post_id).or_default())
        };
        PostTurn {
            turns: Arc::clone(self),
            post_id,
            _held: lock.lock_owned().await,
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.held.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

impl Drop for PostTurn {
    fn drop(&mut self) {
        let mut held = self.turns.held.lock().unwrap_or_else(|e| e.into_inner());
        // The map's own reference and this turn's: nobody else waits on the post.
        if held
            .get(&self.post_id)
            .is_some_and(|lock| Arc::strong_count(lock) <= 2)
        {
            held.remove(&self.post_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn checks_of_one_post_take_turns_and_the_map_empties() {
        let turns = Arc::new(PostTurns::default());
        let first = turns.take(7).await;
        let other = turns.take(8).await;
        let waiting = {
            let turns = Arc::clone(&turns);
            tokio::spawn(async move {
                let _turn = turns.take(7).await;
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "the second check of post 7 waits");
        drop(first);
        waiting.await.expect("the waiting check ran");
        drop(other);
        assert_eq!(turns.len(), 0);
    }
}
