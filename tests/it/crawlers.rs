//! `/robots.txt` and the sitemap: what crawlers are told, on SQLite and PostgreSQL.

use crate::common::{on_each_database, TestApp};

fn locs(xml: &str) -> Vec<String> {
    regex_lite::Regex::new(r"<loc>([^<]*)</loc>")
        .unwrap()
        .captures_iter(xml)
        .map(|c| c[1].to_string())
        .collect()
}

async fn get(app: &TestApp, path: &str) -> (u16, String, String) {
    let res = app.get(path, &[]).await;
    let status = res.status().as_u16();
    let kind = res
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, res.text().await.unwrap())
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    robots_and_the_sitemap_name_every_public_page,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let base = app
            .state
            .config
            .public_url
            .trim_end_matches('/')
            .to_string();
        let (status, kind, robots) = get(&app, "/robots.txt").await;
        assert_eq!((status, kind.as_str()), (200, "text/plain; charset=utf-8"));
        assert!(
            robots.contains(&format!("Sitemap: {base}/sitemap.xml")),
            "{robots}"
        );
        assert!(robots.contains("Disallow: /api/") && robots.contains("Disallow: /_fn/"));

        // An empty site: the index still names a part, which lists the home and about pages.
        let (status, kind, index) = get(&app, "/sitemap.xml").await;
        assert_eq!(
            (status, kind.as_str()),
            (200, "application/xml; charset=utf-8")
        );
        assert!(
            index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
        assert_eq!(
            locs(&index),
            [
                format!("{base}/sitemap/users-1.xml"),
                format!("{base}/sitemap/posts-1.xml")
            ]
        );
        let (_, _, users) = get(&app, "/sitemap/users-1.xml").await;
        assert_eq!(locs(&users), [format!("{base}/"), format!("{base}/about")]);

        app.register("bob", "bob@example.com", "password123").await;
        app.signed_in("ann").await;
        let made = app
            .call("create_post", &[("title", "One"), ("content", "x")])
            .await;
        let post = made.headers()["location"].to_str().unwrap().to_string();
        let (_, _, users) = get(&app, "/sitemap/users-1.xml").await;
        assert_eq!(
            locs(&users),
            [
                format!("{base}/"),
                format!("{base}/about"),
                format!("{base}/user/ann")
            ],
            "only users with posts"
        );
        assert!(users.contains("<lastmod>"), "{users}");
        let (_, _, posts) = get(&app, "/sitemap/posts-1.xml").await;
        assert_eq!(locs(&posts), [format!("{base}{post}")]);
        assert!(
            regex_lite::Regex::new(r"<lastmod>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ</lastmod>")
                .unwrap()
                .is_match(&posts)
        );
        for missing in [
            "/sitemap/posts-2.xml",
            "/sitemap/posts-0.xml",
            "/sitemap/tags-1.xml",
            "/sitemap/posts-1",
            "/sitemap/posts-01.xml",
        ] {
            assert_eq!(get(&app, missing).await.0, 404, "{missing}");
        }
    }
);
