//! What pages say about themselves: one meta description each (a post's is its excerpt), and
//! one `<h1>` on every page, forms included.

use crate::common::{on_each_database, TestApp};

fn descriptions(html: &str) -> Vec<String> {
    regex_lite::Regex::new(r#"<meta name="description" content="([^"]*)""#)
        .unwrap()
        .captures_iter(html)
        .map(|c| c[1].to_string())
        .collect()
}

fn canonical(html: &str) -> Vec<String> {
    regex_lite::Regex::new(r#"<link href="([^"]*)" rel="canonical""#)
        .unwrap()
        .captures_iter(html)
        .map(|c| c[1].to_string())
        .collect()
}

/// The page at `path` as a visitor (no session) sees it.
async fn as_visitor(app: &TestApp, visitor: &reqwest::Client, path: &str) -> String {
    visitor
        .get(app.url(path))
        .header("Accept", "text/html")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

fn headings(html: &str) -> usize {
    html.matches("<h1").count()
}

on_each_database!(
    #[tokio::test]
    every_page_has_one_description_and_one_heading,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("writer").await;
        let made = app
            .call(
                "create_post",
                &[
                    ("title", "Meta"),
                    (
                        "content",
                        "First   line\n\nand the second line, which goes on",
                    ),
                ],
            )
            .await;
        let post = made.headers()["location"].to_str().unwrap().to_string();
        let reader = TestApp::new_client();
        for path in ["/", "/about", "/user/writer", &post, "/nowhere"] {
            let html = as_visitor(&app, &reader, path).await;
            let found = descriptions(&html);
            assert!(
                found.len() == 1 && !found[0].is_empty(),
                "{path}: {found:?}"
            );
            assert_eq!(headings(&html), 1, "{path}");
        }
        for path in ["/login", "/register", "/reset_password"] {
            let html = as_visitor(&app, &reader, path).await;
            assert_eq!(descriptions(&html).len(), 1, "{path}");
            assert_eq!(
                headings(&html),
                1,
                "{path}: the form's title is its heading"
            );
        }
        for path in ["/post/new", "/account", &format!("{post}/update")] {
            let (status, html) = app.page_text(path).await;
            assert_eq!(status, 200, "{path}");
            assert_eq!(descriptions(&html).len(), 1, "{path}");
            assert_eq!(headings(&html), 1, "{path}");
        }
        let (_, html) = app.page_text(&post).await;
        assert_eq!(
            descriptions(&html),
            ["First line and the second line, which goes on"]
        );
        // Canonical addresses: PUBLIC_URL and the path, the page number only past the first,
        // other query strings dropped; none on an error page.
        let public = app.base.clone();
        for (asked, expected) in [
            ("/?utm_source=x", "/".to_string()),
            ("/?page=1", "/".to_string()),
            (&post, post.clone()),
            ("/user/writer?page=1&x=y", "/user/writer".to_string()),
            ("/login?next=/post/new", "/login".to_string()),
            ("/about", "/about".to_string()),
        ] {
            // As a visitor: a signed-in reader is sent away from the login page.
            let html = as_visitor(&app, &reader, asked).await;
            assert_eq!(canonical(&html), [format!("{public}{expected}")], "{asked}");
        }
        let (_, html) = app.page_text("/nowhere").await;
        assert!(canonical(&html).is_empty());
    }
);

/// The `content` of each `<meta property=…>` or `<meta name=…>` named `key`.
fn meta_values(html: &str, key: &str) -> Vec<String> {
    let pattern = format!(
        r#"<meta (?:property|name)="{}" content="([^"]*)""#,
        regex_lite::escape(key)
    );
    regex_lite::Regex::new(&pattern)
        .unwrap()
        .captures_iter(html)
        .map(|c| c[1].to_string())
        .collect()
}

on_each_database!(
    #[tokio::test]
    a_post_page_tells_link_previews_what_it_is,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        app.signed_in("writer").await;
        let made = app
            .call(
                "create_post",
                &[
                    ("title", "Seen in previews"),
                    ("content", "A **short** text for the card."),
                    ("tags", "rust, web"),
                ],
            )
            .await;
        let post = made.headers()["location"].to_str().unwrap().to_string();
        let html = as_visitor(&app, &TestApp::new_client(), &post).await;
        let base = app
            .state
            .config
            .public_url
            .trim_end_matches('/')
            .to_string();
        for (key, expected) in [
            ("og:type", "article".to_string()),
            ("og:title", "Seen in previews".to_string()),
            ("og:description", "A short text for the card.".to_string()),
            ("og:url", format!("{base}{post}")),
            ("og:image", format!("{base}/default-avatar.svg")),
            ("article:author", format!("{base}/user/writer")),
            ("twitter:card", "summary".to_string()),
            ("twitter:title", "Seen in previews".to_string()),
            ("twitter:image", format!("{base}/default-avatar.svg")),
        ] {
            assert_eq!(meta_values(&html, key), [expected], "{key}");
        }
        assert_eq!(meta_values(&html, "article:tag"), ["rust", "web"]);
        let published = meta_values(&html, "article:published_time");
        assert_eq!(published.len(), 1);
        assert!(published[0].ends_with('Z'), "{published:?}");
        // Only posts are articles.
        let home = as_visitor(&app, &TestApp::new_client(), "/").await;
        assert!(meta_values(&home, "og:type").is_empty());
    }
);
