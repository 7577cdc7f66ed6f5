//! Accounts: registration conflicts, sign-in's one answer for every failure, and who may
//! delete an account.

use crate::common::{
    assert_forbidden, assert_not_found, client, conflict_fields, not_confirmed_fields,
    on_each_database, TestDomain, PASSWORD,
};
use quill_domain::model::FieldName;
use quill_domain::users::{self, Registration};
use quill_domain::{conversation, export};
use quill_domain::{Error, Unauthenticated};

on_each_database!(
    #[tokio::test]
    /// A username taken in any case, or an e-mail address taken in any case, is a conflict
    /// that names the field (both when both are taken), and nothing is stored.
    registration_conflicts_name_the_field,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let s = &domain.services;
        let ann = domain.user("ann").await;

        let attempt = |username: &'static str, email: &'static str| async move {
            let registration = Registration::parse(username, email, PASSWORD, PASSWORD).unwrap();
            users::register(s, registration, false).await
        };
        assert_eq!(
            conflict_fields(attempt("ANN", "other@example.com").await),
            [FieldName::Username]
        );
        // The address is stored in lower case: another case is the same address.
        assert_eq!(
            conflict_fields(attempt("bob", "Ann@Example.COM").await),
            [FieldName::Email]
        );
        assert_eq!(
            conflict_fields(attempt("Ann", "ann@example.com").await),
            [FieldName::Username, FieldName::Email]
        );
        assert_eq!(domain.count("SELECT COUNT(*) FROM users").await, 1);
        // A username is found in any case, too.
        assert_eq!(users::by_username(&s.db, "aNN").await.unwrap().id, ann.id);

        // Another name and address: welcome.
        let bob = attempt("bob", "bob@example.com").await.unwrap();
        assert_eq!(domain.count("SELECT COUNT(*) FROM users").await, 2);
        assert!(!users::get(&s.db, bob).await.unwrap().is_admin);
    }
);

on_each_database!(
    #[tokio::test]
    /// A wrong password, an unknown address and empty fields all get the same
    /// `BadCredentials`; the right password finds the account, whatever the address's case
    /// and surrounding spaces.
    bad_credentials_are_one_answer,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let s = &domain.services;
        let ann = domain.user("ann").await;

        for (email, password) in [
            ("ann@example.com", "wrong-password"),
            ("nobody@example.com", PASSWORD),
            ("", PASSWORD),
            ("ann@example.com", ""),
        ] {
            let result = users::authenticate(s, client(), email, password).await;
            assert!(
                matches!(
                    result,
                    Err(Error::Unauthenticated(Unauthenticated::BadCredentials))
                ),
                "{email:?} / {password:?}: {result:?}"
            );
        }
        let user = users::authenticate(s, client(), " ANN@Example.com ", PASSWORD)
            .await
            .unwrap();
        assert_eq!(user.id, ann.id);
    }
);

on_each_database!(
    #[tokio::test]
    /// An account is deleted by its owner, who confirms it with their password, or by an
    /// administrator, who does not; never by a stranger. The last administrator cannot be
    /// deleted (a conflict on the form). Everything of the account goes with it, and the
    /// counters of what it touched follow.
    who_may_delete_an_account,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let s = &domain.services;
        let db = &s.db;
        let ann = domain.user("ann").await;
        let bob = domain.user("bob").await;
        let root = domain.admin("root").await;
        let anns = domain.post(&ann, "Ann's post").await;
        let bobs = domain.post(&bob, "Bob's post").await;
        conversation::add_comment(db, &bob, anns, "Bob on Ann's post.")
            .await
            .unwrap();
        conversation::add_comment(db, &ann, bobs, "Ann on Bob's post.")
            .await
            .unwrap();
        conversation::set_like(db, &ann, bobs, true).await.unwrap();
        conversation::set_like(db, &bob, anns, true).await.unwrap();
        conversation::set_follow(db, &ann, bob.id, true)
            .await
            .unwrap();
        conversation::set_follow(db, &bob, ann.id, true)
            .await
            .unwrap();
        users::start_session(db, bob.id, false).await.unwrap();

        assert_forbidden(users::delete(s, &bob, ann.id, Some(PASSWORD)).await);
        assert_eq!(users::get(db, ann.id).await.unwrap().id, ann.id);

        // One's own account: the password, and the right one.
        for given in [None, Some(""), Some("not the password")] {
            assert_eq!(
                not_confirmed_fields(users::delete(s, &bob, bob.id, given).await),
                [FieldName::CurrentPassword],
                "{given:?}"
            );
        }
        assert_eq!(users::get(db, bob.id).await.unwrap().id, bob.id);

        assert_eq!(
            conflict_fields(users::delete(s, &root, root.id, Some(PASSWORD)).await),
            [FieldName::Form],
            "the last administrator stays"
        );
        assert!(users::get(db, root.id).await.unwrap().is_admin);

        users::delete(s, &bob, bob.id, Some(PASSWORD))
            .await
            .unwrap();
        assert_not_found(users::get(db, bob.id).await);
        for (sql, left) in [
            ("SELECT COUNT(*) FROM posts", 1),
            ("SELECT COUNT(*) FROM comments", 0),
            ("SELECT COUNT(*) FROM likes", 0),
            ("SELECT COUNT(*) FROM follows", 0),
            ("SELECT COUNT(*) FROM sessions", 0),
            ("SELECT comment_count FROM posts", 0),
            ("SELECT like_count FROM posts", 0),
            ("SELECT like_count + follower_count + following_count FROM users WHERE username = 'ann'", 0),
        ] {
            assert_eq!(domain.count(sql).await, left, "{sql}");
        }

        // An administrator deletes someone else's account without a password.
        users::delete(s, &root, ann.id, None).await.unwrap();
        assert_not_found(users::get(db, ann.id).await);
        assert_eq!(domain.count("SELECT COUNT(*) FROM posts").await, 0);
        assert_not_found(users::delete(s, &root, bob.id, None).await);
        assert_eq!(domain.count("SELECT COUNT(*) FROM users").await, 1);
    }
);

on_each_database!(
    #[tokio::test]
    /// An export reads a batch of rows at a time: every post of an author of more than a
    /// batch is in it once, and nobody else's.
    an_export_reads_past_a_batch,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let ann = domain.user("ann").await;
        let bob = domain.user("bob").await;
        domain.post(&bob, "Not ann's").await;
        for n in 0..205 {
            domain.post(&ann, &format!("Post {n}")).await;
        }
        let zip = export::write_zip(&domain.services.db, &ann, Vec::new())
            .await
            .unwrap();
        // Each entry's name is stored twice, in its header and in the directory at the end.
        let names = |needle: &str| {
            zip.windows(needle.len())
                .filter(|w| *w == needle.as_bytes())
                .count()
        };
        for n in [0, 199, 200, 204] {
            assert_eq!(names(&format!("-post-{n}.md")), 2, "post {n}");
        }
        assert_eq!(names(".md"), 2 * 205);
        assert_eq!(names("not-anns"), 0);
    }
);
