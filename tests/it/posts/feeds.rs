//! Atom feeds: the site's, an author's and a tag's, with absolute addresses, whole sanitized
//! posts, at most 20 entries, an ETag answered with 304; the pages name their feed.

use super::{insert_posts, user_id};
use crate::common::{on_each_database, TestApp};

fn entry_ids(xml: &str) -> Vec<String> {
    regex_lite::Regex::new(r"<entry><title>[^<]*</title><id>([^<]*)</id>")
        .unwrap()
        .captures_iter(xml)
        .map(|c| c[1].to_string())
        .collect()
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    feeds_carry_the_latest_posts_whole,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let base = app
            .state
            .config
            .public_url
            .trim_end_matches('/')
            .to_string();
        app.register("bob", "bob@example.com", "password123").await;
        let bob = user_id(&app, "bob").await;
        insert_posts(&app, bob, 21).await;
        app.signed_in("ann").await;
        let made = app
            .call(
                "create_post",
                &[
                    ("title", "Ann's <news>"),
                    ("content", "Some **news** <script>x()</script>"),
                    ("tags", "rust"),
                ],
            )
            .await;
        let post = made.headers()["location"].to_str().unwrap().to_string();

        let res = app.get("/feed.atom", &[]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["content-type"],
            "application/atom+xml; charset=utf-8"
        );
        let etag = res.headers()["etag"].to_str().unwrap().to_string();
        let xml = res.text().await.unwrap();
        assert!(
            xml.contains(r#"<feed xmlns="http://www.w3.org/2005/Atom">"#),
            "{xml}"
        );
        assert!(xml.contains(&format!(r#"<id>{base}/feed.atom</id>"#)));
        assert!(xml.contains(&format!(
            r#"<link href="{base}/feed.atom" rel="self" type="application/atom+xml"/>"#
        )));
        assert!(xml.contains(&format!(
            r#"<link href="{base}/" rel="alternate" type="text/html"/>"#
        )));
        let ids = entry_ids(&xml);
        assert_eq!(ids.len(), 20, "the latest 20");
        assert_eq!(ids[0], format!("{base}{post}"), "newest first, absolute");
        assert!(
            xml.contains("<title>Ann&apos;s &lt;news&gt;</title>")
                || xml.contains("<title>Ann's &lt;news&gt;</title>"),
            "{xml}"
        );
        // The whole sanitized HTML, escaped inside the XML: markup kept, the script text.
        let content = xml.split("<content type=\"html\">").nth(1).unwrap();
        let content = &content[..content.find("</content>").unwrap()];
        assert_eq!(
            content,
            "&lt;p&gt;Some &lt;strong&gt;news&lt;/strong&gt; \
             &amp;lt;script&amp;gt;x()&amp;lt;/script&amp;gt;&lt;/p&gt;\n"
        );
        assert!(
            xml.contains(&format!(r#"<category term="rust" scheme="{base}/tag/"/>"#)),
            "{xml}"
        );
        // The same document again is a 304 for a reader that has it.
        let again = app.get("/feed.atom", &[("If-None-Match", &etag)]).await;
        assert_eq!(again.status(), 304);
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert!(again.text().await.unwrap().is_empty());
        // A weak validator of the same document, a list, and `*` match too (RFC 9110, 13.1.2);
        // another tag does not.
        let weak = format!("W/{etag}");
        let listed = format!("\"0000\", {weak}");
        for asked in [weak.as_str(), listed.as_str(), "*"] {
            let again = app.get("/feed.atom", &[("If-None-Match", asked)]).await;
            assert_eq!(again.status(), 304, "If-None-Match: {asked}");
        }
        let other = app
            .get("/feed.atom", &[("If-None-Match", "\"0000\"")])
            .await;
        assert_eq!(other.status(), 200);

        let xml = app
            .get("/user/ann/feed.atom", &[])
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(entry_ids(&xml), [format!("{base}{post}")]);
        let xml = app
            .get("/tag/rust/feed.atom", &[])
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(entry_ids(&xml), [format!("{base}{post}")]);
        for missing in [
            "/user/nobody/feed.atom",
            "/tag/nothing/feed.atom",
            "/tag/Bad/feed.atom",
        ] {
            assert_eq!(app.get(missing, &[]).await.status(), 404, "{missing}");
        }
        // A change is a new document.
        let id = post.trim_start_matches("/post/").to_string();
        app.call(
            "update_post",
            &[("id", &id), ("title", "Changed"), ("content", "x")],
        )
        .await;
        assert_eq!(
            app.get("/feed.atom", &[("If-None-Match", &etag)])
                .await
                .status(),
            200
        );
        // The pages name their feeds.
        for (page, feed) in [
            ("/", "/feed.atom"),
            ("/user/ann", "/user/ann/feed.atom"),
            ("/tag/rust", "/tag/rust/feed.atom"),
        ] {
            let (_, html) = app.page_text(page).await;
            assert!(
                html.contains(&format!(r#"href="{base}{feed}""#))
                    && html.contains(r#"type="application/atom+xml""#),
                "{page}"
            );
        }
    }
);
