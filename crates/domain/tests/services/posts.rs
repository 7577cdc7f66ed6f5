//! Who may change a post, and in what order the answers come: no such post (404), then not
//! yours (403), then a change that breaks a rule (422), on the pages and in the API alike.

use crate::common::{
    assert_forbidden, assert_not_found, input, invalid_fields, on_each_database, TestDomain,
};
use quill_domain::model::FieldName;
use quill_domain::posts;

on_each_database!(
    #[tokio::test]
    /// A stranger can neither change nor delete someone's post, and the post stays as it was;
    /// its author can change it.
    strangers_may_not_change_a_post,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let s = &domain.services;
        let ann = domain.user("ann").await;
        let bob = domain.user("bob").await;
        let id = domain.post(&ann, "Ann's post").await;

        assert_forbidden(posts::update(s, &bob, id, input("Taken over")).await);
        assert_forbidden(posts::delete(s, &bob, id).await);
        assert_forbidden(posts::editable(&s.db, &bob, id).await);
        let post = posts::get(&s.db, None, id).await.unwrap();
        assert_eq!(post.title, "Ann's post");
        assert_eq!(domain.count("SELECT COUNT(*) FROM posts").await, 1);

        posts::update(s, &ann, id, input("Ann's post, revised"))
            .await
            .unwrap();
        let post = posts::get(&s.db, None, id).await.unwrap();
        assert_eq!(post.title, "Ann's post, revised");
        assert_eq!(post.author.id, ann.id);
    }
);

on_each_database!(
    #[tokio::test]
    /// An administrator may change and delete anyone's post; the author stays the author.
    admins_may_change_anyones_post,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let s = &domain.services;
        let ann = domain.user("ann").await;
        let root = domain.admin("root").await;
        let id = domain.post(&ann, "Ann's post").await;

        posts::update(s, &root, id, input("Moderated"))
            .await
            .unwrap();
        let post = posts::get(&s.db, None, id).await.unwrap();
        assert_eq!(post.title, "Moderated");
        assert_eq!(post.author.id, ann.id, "the author stays the author");

        posts::delete(s, &root, id).await.unwrap();
        assert_eq!(domain.count("SELECT COUNT(*) FROM posts").await, 0);
        assert_not_found(posts::get(&s.db, None, id).await);
        assert_not_found(posts::delete(s, &root, id).await);
    }
);

on_each_database!(
    #[tokio::test]
    /// 404 before 403 before 422: a missing post is not found whoever asks and whatever the
    /// change; invalid input from a stranger is forbidden, not invalid; only someone who may
    /// change the post learns what is wrong with the change, which is then not stored.
    not_found_then_forbidden_then_invalid,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let s = &domain.services;
        let ann = domain.user("ann").await;
        let bob = domain.user("bob").await;
        let root = domain.admin("root").await;
        let id = domain.post(&ann, "Ann's post").await;
        let missing = id + 1000;

        // No such post: 404 for its would-be author, a stranger and an admin, valid or not.
        for user in [&ann, &bob, &root] {
            assert_not_found(posts::update(s, user, missing, input("")).await);
            assert_not_found(posts::update(s, user, missing, input("Fine")).await);
            assert_not_found(posts::delete(s, user, missing).await);
        }

        // Someone else's post: 403, even for a change that breaks every rule.
        assert_forbidden(posts::update(s, &bob, id, input("")).await);
        let mut broken = input("");
        broken.content = "";
        broken.format = Some("no-such-format");
        assert_forbidden(posts::update(s, &bob, id, broken).await);

        // Its author and an admin are told what is wrong, field by field.
        assert_eq!(
            invalid_fields(posts::update(s, &ann, id, input("")).await),
            [FieldName::Title]
        );
        let mut broken = input("");
        broken.content = "";
        broken.format = Some("no-such-format");
        assert_eq!(
            invalid_fields(posts::update(s, &root, id, broken).await),
            [FieldName::Title, FieldName::Content, FieldName::Format]
        );
        let post = posts::get(&s.db, None, id).await.unwrap();
        assert_eq!(post.title, "Ann's post", "a refused change is not stored");
        assert_eq!(post.content, "A few words.");
    }
);

on_each_database!(
    #[tokio::test]
    /// A post's page reads what it shows: a Markdown post's HTML without its source, a
    /// plain-text post's source without its HTML; lists read neither.
    a_post_is_read_as_it_is_shown,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let s = &domain.services;
        let ann = domain.user("ann").await;
        let mut markdown = input("In Markdown");
        markdown.content = "Some **strong** words.";
        let md = posts::create(s, &ann, markdown).await.unwrap();
        let mut text = input("In plain text");
        text.content = "Plain <words>.";
        text.format = Some("text");
        let plain = posts::create(s, &ann, text).await.unwrap();

        let shown = posts::to_show(&s.db, None, md).await.unwrap();
        assert_eq!(shown.content, "");
        assert!(shown.content_html.contains("<strong>strong</strong>"));
        let shown = posts::to_show(&s.db, None, plain).await.unwrap();
        assert_eq!(
            (shown.content.as_str(), shown.content_html.as_str()),
            ("Plain <words>.", "")
        );
        // The whole post, for the editor and the API.
        let whole = posts::get(&s.db, None, md).await.unwrap();
        assert_eq!(whole.content, "Some **strong** words.");
        assert!(whole.content_html.contains("<strong>"));
        // A card: the excerpt, not the text.
        let feed = posts::feed(&s.db, None, 1).await.unwrap();
        let card = feed.posts.iter().find(|p| p.id == md).unwrap();
        assert_eq!(card.excerpt, "Some strong words.");
    }
);
