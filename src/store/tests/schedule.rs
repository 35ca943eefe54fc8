//! The re-check schedule kept in the posts table.

use super::*;

#[test]
fn due_posts_follow_next_check_at() {
    let (_dir, mut store) = new_store();
    let a = post_in_article(&mut store, "A");
    let b = post_in_article(&mut store, "B");
    let c = post_in_article(&mut store, "C");
    // A post just recorded is left to the archive checking it.
    let just_now = Utc::now();
    assert!(store.due_posts(just_now, 10).unwrap().is_empty());
    let now = just_now + Duration::hours(1);
    store
        .set_next_check_at(a, Some(now + Duration::hours(1)))
        .unwrap();
    store
        .set_next_check_at(b, Some(now - Duration::hours(1)))
        .unwrap();
    // c was never scheduled: due first.
    let due: Vec<i64> = store
        .due_posts(now, 10)
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(due, [c, b]);
    assert_eq!(store.due_posts(now, 1).unwrap().len(), 1);
    assert_eq!(store.next_due_at().unwrap(), Some(now - Duration::hours(1)));
    assert_eq!(
        store.post(a).unwrap().next_check_at,
        Some(now + Duration::hours(1))
    );
    assert!(matches!(
        store.set_next_check_at(c + 100, None),
        Err(StoreError::NotFound(_))
    ));
}
