//! Comments, likes and follows: who may delete a comment, what a comment needs, and toggles
//! that are the same done twice as once.

use crate::common::{
    assert_forbidden, assert_not_found, conflict_fields, invalid_fields, on_each_database,
    TestDomain,
};
use quill_domain::conversation;
use quill_domain::db::UserRecord;
use quill_domain::model::{CommentBody, FieldName, Paging, Toggled};
use quill_domain::posts;

on_each_database!(
    #[tokio::test]
    /// A comment may be deleted by its author, by the author of the post it is on, or by an
    /// administrator, and by nobody else; asked under another post, it is not found.
    who_may_delete_a_comment,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let db = &domain.services.db;
        let ann = domain.user("ann").await;
        let bob = domain.user("bob").await;
        let carl = domain.user("carl").await;
        let root = domain.admin("root").await;
        let post = domain.post(&ann, "Ann's post").await;
        let carls_post = domain.post(&carl, "Carl's post").await;
        let comments = "SELECT COUNT(*) FROM comments";

        // Who may delete bob's comment on ann's post, as the comments' page shows it.
        let mine = conversation::add_comment(db, &bob, post, "Nice post.")
            .await
            .unwrap();
        assert!(mine.can_delete);
        let paging = Paging {
            page: 1,
            per_page: conversation::COMMENTS_PER_PAGE,
        };
        let readers: [(&UserRecord, bool); 4] =
            [(&ann, true), (&bob, true), (&carl, false), (&root, true)];
        for (reader, may) in readers {
            let page = conversation::comments(db, Some(reader), post, paging)
                .await
                .unwrap();
            assert_eq!(page.comments.len(), 1);
            assert_eq!(page.comments[0].can_delete, may, "{}", reader.username);
        }

        // A stranger may not; under another post the comment is not found, even for its author.
        assert_forbidden(conversation::delete_comment(db, &carl, post, mine.id).await);
        assert_forbidden(conversation::deletable_comment(db, &carl, post, mine.id).await);
        assert_not_found(conversation::delete_comment(db, &bob, carls_post, mine.id).await);
        assert_eq!(domain.count(comments).await, 1);

        // The post's author may.
        conversation::delete_comment(db, &ann, post, mine.id)
            .await
            .unwrap();
        assert_eq!(domain.count(comments).await, 0);
        assert_not_found(conversation::delete_comment(db, &ann, post, mine.id).await);

        // The comment's author may.
        let again = conversation::add_comment(db, &bob, post, "Nice post, again.")
            .await
            .unwrap();
        conversation::delete_comment(db, &bob, post, again.id)
            .await
            .unwrap();

        // An administrator may.
        let carls = conversation::add_comment(db, &carl, post, "First!")
            .await
            .unwrap();
        conversation::delete_comment(db, &root, post, carls.id)
            .await
            .unwrap();
        assert_eq!(domain.count(comments).await, 0);
    }
);

on_each_database!(
    #[tokio::test]
    /// A comment needs a post (404 first, whatever its text), then a text within the rules
    /// (422 under `content`); anyone signed in may comment on anyone's post.
    a_comment_needs_a_post_then_a_text,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let db = &domain.services.db;
        let ann = domain.user("ann").await;
        let bob = domain.user("bob").await;
        let post = domain.post(&ann, "Ann's post").await;

        assert_not_found(conversation::add_comment(db, &bob, post + 1000, "").await);
        assert_not_found(conversation::add_comment(db, &bob, post + 1000, "Hello").await);
        assert_eq!(
            invalid_fields(conversation::add_comment(db, &bob, post, "   ").await),
            [FieldName::Content]
        );
        let too_long = "x".repeat(CommentBody::MAX + 1);
        assert_eq!(
            invalid_fields(conversation::add_comment(db, &bob, post, &too_long).await),
            [FieldName::Content]
        );
        assert_eq!(domain.count("SELECT COUNT(*) FROM comments").await, 0);

        let comment = conversation::add_comment(db, &bob, post, "  Hello  ")
            .await
            .unwrap();
        assert_eq!(comment.author.id, bob.id);
        assert_eq!(comment.post_id, post);
        assert_eq!(posts::get(db, None, post).await.unwrap().comment_count, 1);
    }
);

on_each_database!(
    #[tokio::test]
    /// Liking twice is one like and unliking twice is none; the post's count and the reader's
    /// mark follow; one's own post may be liked; a missing post is not found.
    likes_are_idempotent,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let db = &domain.services.db;
        let ann = domain.user("ann").await;
        let bob = domain.user("bob").await;
        let post = domain.post(&ann, "Ann's post").await;
        let likes = "SELECT COUNT(*) FROM likes";

        for _ in 0..2 {
            let toggled = conversation::set_like(db, &bob, post, true).await.unwrap();
            assert_eq!(toggled, Toggled { on: true, count: 1 });
        }
        assert_eq!(domain.count(likes).await, 1);
        let seen = posts::get(db, Some(&bob), post).await.unwrap();
        assert!(seen.liked);
        assert_eq!(seen.like_count, 1);
        assert!(!posts::get(db, Some(&ann), post).await.unwrap().liked);

        let own = conversation::set_like(db, &ann, post, true).await.unwrap();
        assert_eq!(own, Toggled { on: true, count: 2 });

        for _ in 0..2 {
            let toggled = conversation::set_like(db, &bob, post, false).await.unwrap();
            assert_eq!(
                toggled,
                Toggled {
                    on: false,
                    count: 1
                }
            );
        }
        assert_eq!(domain.count(likes).await, 1);

        assert_not_found(conversation::set_like(db, &bob, post + 1000, true).await);
        assert_not_found(conversation::set_like(db, &bob, post + 1000, false).await);
        assert_eq!(domain.count(likes).await, 1);
    }
);

on_each_database!(
    #[tokio::test]
    /// Following twice is one follow and unfollowing twice is none; nobody follows themselves
    /// (a conflict under `username`, nothing stored); a missing user is not found; Following
    /// lists the posts of the followed authors only.
    follows_are_idempotent,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let db = &domain.services.db;
        let ann = domain.user("ann").await;
        let bob = domain.user("bob").await;
        let carl = domain.user("carl").await;
        let bobs = domain.post(&bob, "Bob's post").await;
        domain.post(&carl, "Carl's post").await;
        let follows = "SELECT COUNT(*) FROM follows";

        assert_eq!(
            conflict_fields(conversation::set_follow(db, &ann, ann.id, true).await),
            [FieldName::Username]
        );
        assert_eq!(domain.count(follows).await, 0);
        assert_not_found(conversation::set_follow(db, &ann, carl.id + 1000, true).await);
        assert_eq!(domain.count(follows).await, 0);

        for _ in 0..2 {
            let toggled = conversation::set_follow(db, &ann, bob.id, true)
                .await
                .unwrap();
            assert_eq!(toggled, Toggled { on: true, count: 1 });
        }
        assert_eq!(domain.count(follows).await, 1);
        let following = posts::following(db, &ann, 1).await.unwrap();
        let ids: Vec<i64> = following.posts.iter().map(|p| p.id).collect();
        assert_eq!(
            ids,
            [bobs],
            "Following lists the followed authors' posts only"
        );

        for _ in 0..2 {
            let toggled = conversation::set_follow(db, &ann, bob.id, false)
                .await
                .unwrap();
            assert_eq!(
                toggled,
                Toggled {
                    on: false,
                    count: 0
                }
            );
        }
        assert_eq!(domain.count(follows).await, 0);
        assert!(posts::following(db, &ann, 1)
            .await
            .unwrap()
            .posts
            .is_empty());
    }
);
