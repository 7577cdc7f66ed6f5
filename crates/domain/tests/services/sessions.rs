//! What proves who someone is between requests: web sessions, API tokens, reset links, and
//! the flashes one request leaves for the next page.

use crate::common::{client, invalid_fields, on_each_database, TestDomain, PASSWORD, SECRET};
use quill_domain::jwt::{self, TokenError};
use quill_domain::model::{FieldName, Flash, FlashBag, FlashLevel};
use quill_domain::{db, flash, reset, tokens, users};
use quill_domain::{Error, Unauthenticated};

/// Whether `result` is the refusal of an API token for `why`.
fn refused<T>(result: &Result<T, Error>, why: TokenError) -> bool {
    matches!(result, Err(Error::Unauthenticated(Unauthenticated::Token(e))) if *e == why)
}

on_each_database!(
    #[tokio::test]
    /// A session finds its user until it is ended; only the token's hash is stored, a session
    /// lasts a day (a month when remembered), ending one leaves the others, and logging out
    /// everywhere ends them all.
    sessions_last_until_ended,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let db = &domain.services.db;
        let ann = domain.user("ann").await;

        let short = users::start_session(db, ann.id, false).await.unwrap();
        let long = users::start_session(db, ann.id, true).await.unwrap();
        let found = users::session_user(db, &short).await.unwrap().unwrap();
        assert_eq!(found.user.id, ann.id);
        assert_eq!(found.session_id, tokens::token_hash(&short));
        assert_ne!(found.session_id, short, "the cookie's token is not stored");

        let lifetimes: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT expires_at - created_at, remember FROM sessions ORDER BY expires_at",
        )
        .fetch_all(db)
        .await
        .unwrap();
        // The end is reckoned a moment before the start is written: a second may tick between.
        let lasts = |(seconds, remember): (i64, i64), lifetime: i64, remembered: i64| {
            (lifetime - 1..=lifetime).contains(&seconds) && remember == remembered
        };
        assert_eq!(lifetimes.len(), 2);
        assert!(
            lasts(lifetimes[0], users::SESSION_SECONDS, 0)
                && lasts(lifetimes[1], users::REMEMBER_SECONDS, 1),
            "{lifetimes:?}"
        );

        users::end_session(db, &found.session_id).await.unwrap();
        assert!(users::session_user(db, &short).await.unwrap().is_none());
        let other = users::session_user(db, &long).await.unwrap().unwrap();
        assert_eq!(
            other.user.id, ann.id,
            "ending one session leaves the others"
        );
        assert!(users::session_user(db, "no-such-token")
            .await
            .unwrap()
            .is_none());

        users::log_out_everywhere(db, ann.id).await.unwrap();
        assert!(users::session_user(db, &long).await.unwrap().is_none());
        assert_eq!(domain.count("SELECT COUNT(*) FROM sessions").await, 0);
    }
);

on_each_database!(
    #[tokio::test]
    /// A token names its holder until it is revoked; revoking one token (twice is once) leaves
    /// the user's other tokens working.
    api_tokens_work_until_revoked,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let s = &domain.services;
        let ann = domain.user("ann").await;

        let token = jwt::issue_for(s, &ann).unwrap();
        let other = jwt::issue_for(s, &ann).unwrap();
        let (user, claims) = jwt::holder(s, &token).await.unwrap();
        assert_eq!(user.id, ann.id);
        assert_eq!(claims.user_id(), Some(ann.id));
        assert_eq!(claims.exp - claims.iat, s.config.api_token_seconds);

        jwt::revoke(s, &claims).await.unwrap();
        jwt::revoke(s, &claims).await.unwrap();
        assert_eq!(domain.count("SELECT COUNT(*) FROM revoked_tokens").await, 1);
        let result = jwt::holder(s, &token).await;
        assert!(refused(&result, TokenError::Revoked), "{result:?}");
        let (user, _) = jwt::holder(s, &other).await.unwrap();
        assert_eq!(user.id, ann.id, "the user's other token still works");

        // Not a token at all, and one signed with another key.
        let result = jwt::holder(s, "not-a-token").await;
        assert!(refused(&result, TokenError::Malformed), "{result:?}");
        let (forged, _) = jwt::issue(&"x".repeat(40), ann.id, 0, db::now(), 60).unwrap();
        let result = jwt::holder(s, &forged).await;
        assert!(refused(&result, TokenError::Tampered), "{result:?}");
    }
);

on_each_database!(
    #[tokio::test]
    /// A token of a deleted account is refused as revoked; logging out everywhere ends every
    /// token made before it, and tokens made after it work.
    api_tokens_end_with_their_account_and_everywhere,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let s = &domain.services;
        let ann = domain.user("ann").await;
        let bob = domain.user("bob").await;

        let before = jwt::issue_for(s, &ann).unwrap();
        users::log_out_everywhere(&s.db, ann.id).await.unwrap();
        let result = jwt::holder(s, &before).await;
        assert!(refused(&result, TokenError::Revoked), "{result:?}");
        // A token carries the generation of the record it is made from: from the stale
        // record, it is born ended.
        let stale = jwt::issue_for(s, &ann).unwrap();
        assert!(refused(&jwt::holder(s, &stale).await, TokenError::Revoked));
        let ann = users::get(&s.db, ann.id).await.unwrap();
        let after = jwt::issue_for(s, &ann).unwrap();
        assert_eq!(jwt::holder(s, &after).await.unwrap().0.id, ann.id);

        let token = jwt::issue_for(s, &bob).unwrap();
        assert_eq!(jwt::holder(s, &token).await.unwrap().0.id, bob.id);
        users::delete(s, &bob, bob.id, Some(crate::common::PASSWORD))
            .await
            .unwrap();
        let result = jwt::holder(s, &token).await;
        assert!(refused(&result, TokenError::Revoked), "{result:?}");
    }
);

on_each_database!(
    #[tokio::test]
    /// A flash is shown once: taken, it is gone; an unknown token finds an empty one.
    flashes_show_once,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let db = &domain.services.db;
        let bag = FlashBag {
            messages: vec![Flash {
                level: FlashLevel::Success,
                message: "Your post has been created!".into(),
            }],
            echo: None,
        };

        let token = flash::keep(db, &bag).await.unwrap();
        assert_eq!(domain.count("SELECT COUNT(*) FROM flashes").await, 1);
        assert_eq!(flash::take(db, &token).await.unwrap(), bag);
        assert!(flash::take(db, &token).await.unwrap().is_empty());
        assert_eq!(domain.count("SELECT COUNT(*) FROM flashes").await, 0);
        assert!(flash::take(db, "no-such-token").await.unwrap().is_empty());
    }
);

on_each_database!(
    #[tokio::test]
    /// A reset link sets a new password once: the new password must be typed twice alike, and
    /// once set it ends the account's sessions and the link itself (it is bound to the old
    /// password); the old password no longer signs in, the new one does.
    reset_links_work_once,
    |backend| async move {
        let domain = TestDomain::start(backend).await;
        let s = &domain.services;
        let ann = domain.user("ann").await;
        let session = users::start_session(&s.db, ann.id, false).await.unwrap();
        let link = tokens::make_reset_token(SECRET, ann.id, &ann.password_hash, db::now() + 600);

        assert_eq!(reset::link_user(s, &link).await.unwrap().id, ann.id);
        assert_eq!(
            invalid_fields(reset::set_password(s, &link, "new-password", "other-password").await),
            [FieldName::ConfirmPassword]
        );
        reset::set_password(s, &link, "new-password", "new-password")
            .await
            .unwrap();

        let again = reset::set_password(s, &link, "third-password", "third-password").await;
        assert!(
            matches!(
                again,
                Err(Error::Unauthenticated(Unauthenticated::ResetLink))
            ),
            "{again:?}"
        );
        assert!(users::session_user(&s.db, &session)
            .await
            .unwrap()
            .is_none());
        let old = users::authenticate(s, client(), "ann@example.com", PASSWORD).await;
        assert!(
            matches!(
                old,
                Err(Error::Unauthenticated(Unauthenticated::BadCredentials))
            ),
            "{old:?}"
        );
        let user = users::authenticate(s, client(), "ann@example.com", "new-password")
            .await
            .unwrap();
        assert_eq!(user.id, ann.id);

        // A link that was never made, and one past its time.
        let expired = tokens::make_reset_token(SECRET, ann.id, &user.password_hash, 1);
        for bad in ["1.2.3.forged", expired.as_str()] {
            let result = reset::link_user(s, bad).await;
            assert!(
                matches!(
                    result,
                    Err(Error::Unauthenticated(Unauthenticated::ResetLink))
                ),
                "{bad}: {result:?}"
            );
        }
    }
);
