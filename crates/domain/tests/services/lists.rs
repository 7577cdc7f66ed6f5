//! The site's lists: the home feed's pages and the sitemap's parts.

use crate::common::{assert_not_found, on_each_database, TestDomain};
use quill_domain::posts::{self, PER_PAGE};
use quill_domain::sitemap::{self, Kind};

on_each_database!(
    #[tokio::test]
    /// The feed's pages hold `PER_PAGE` posts each, newest first, every post on exactly one
    /// page; an empty feed still has its first page; a page past the last is not found.
    feed_pages_hold_per_page_posts,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let db = &domain.services.db;
        let ann = domain.user("ann").await;

        let empty = posts::feed(db, None, 1).await.unwrap();
        assert!(empty.posts.is_empty());
        assert_eq!(empty.pagination.total, 0);
        assert_not_found(posts::feed(db, None, 2).await);

        let count = 2 * PER_PAGE + 1;
        let mut ids = Vec::new();
        for n in 1..=count {
            ids.push(domain.post(&ann, &format!("Post number {n}")).await);
        }
        let mut seen = Vec::new();
        for (page, expected) in [(1, PER_PAGE), (2, PER_PAGE), (3, 1)] {
            let list = posts::feed(db, Some(&ann), page).await.unwrap();
            assert_eq!(list.posts.len(), expected as usize, "page {page}");
            assert_eq!(list.pagination.total, u64::from(count));
            assert_eq!(list.pagination.pages(), 3);
            seen.extend(list.posts.iter().map(|p| p.id));
        }
        ids.reverse();
        assert_eq!(seen, ids, "newest first, each post once");
        assert_not_found(posts::feed(db, None, 4).await);
        assert_not_found(posts::feed(db, None, u32::MAX).await);
    }
);

on_each_database!(
    #[tokio::test]
    /// Part 1 of the sitemap lists every post (by id) and every user with posts (by name),
    /// and exists even when empty; a part past the last, or part 0, is not found.
    sitemap_parts,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let db = &domain.services.db;

        for kind in [Kind::Posts, Kind::Users] {
            assert!(sitemap::part(db, kind, 1).await.unwrap().is_empty());
            assert_not_found(sitemap::part(db, kind, 2).await);
            assert_not_found(sitemap::part(db, kind, 0).await);
            assert_not_found(sitemap::part(db, kind, -1).await);
        }

        let ann = domain.user("ann").await;
        let bob = domain.user("bob").await;
        let first = domain.post(&ann, "First").await;
        let second = domain.post(&ann, "Second").await;
        let keys = |rows: Vec<(String, i64)>| rows.into_iter().map(|(key, _)| key).collect();

        let posts: Vec<String> = keys(sitemap::part(db, Kind::Posts, 1).await.unwrap());
        assert_eq!(posts, [first.to_string(), second.to_string()]);
        let users: Vec<String> = keys(sitemap::part(db, Kind::Users, 1).await.unwrap());
        assert_eq!(
            users,
            ["ann"],
            "only users with posts, not {}",
            bob.username
        );
        assert_eq!(sitemap::part_counts(db).await.unwrap(), (1, 1));
        assert_not_found(sitemap::part(db, Kind::Posts, 2).await);
        assert_not_found(sitemap::part(db, Kind::Users, 2).await);

        // Deleting every post leaves part 1 (empty) and no more.
        posts::delete(&domain.services, &ann, first).await.unwrap();
        posts::delete(&domain.services, &ann, second).await.unwrap();
        assert!(sitemap::part(db, Kind::Posts, 1).await.unwrap().is_empty());
        assert!(sitemap::part(db, Kind::Users, 1).await.unwrap().is_empty());
        assert_not_found(sitemap::part(db, Kind::Posts, 2).await);
    }
);
