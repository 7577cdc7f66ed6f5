//! The RealWorld (Conduit) API at /api: the behaviours its Postman suite checks, and that it is
//! the same site underneath (an article is a post, a favorite a like).

use crate::common::{on_each_database, Backend, TestApp};
use reqwest::Method;
use serde_json::{json, Value};

async fn rw(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = TestApp::new_client()
        .request(method, app.url(&format!("/api{path}")))
        .header("X-Requested-With", "XMLHttpRequest");
    if let Some(token) = token {
        req = req.header("Authorization", format!("Token {token}"));
    }
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn sign_up(app: &TestApp, name: &str) -> String {
    let (status, body) = rw(
        app,
        Method::POST,
        "/users",
        None,
        Some(json!({"user": {"email": format!("{name}@mail.com"), "password": "password", "username": name}})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    body["user"]["token"].as_str().unwrap().to_string()
}

fn is_timestamp(value: &Value) -> bool {
    let re = regex_lite::Regex::new(
        r"^\d{4,}-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d:[0-5]\d\.\d+(?:[+-][0-2]\d:[0-5]\d|Z)$",
    )
    .unwrap();
    value.as_str().is_some_and(|s| re.is_match(s))
}

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    users_and_profiles,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let token = sign_up(&app, "jake").await;
        // Registering again: a 422 in RealWorld's shape.
        let (status, body) = rw(
            &app,
            Method::POST,
            "/users",
            None,
            Some(json!({"user": {"email": "jake@mail.com", "password": "password", "username": "jake"}})),
        )
        .await;
        assert_eq!(status, 422, "{backend:?}");
        assert!(
            body["errors"]["username"][0].is_string() && body["errors"]["email"][0].is_string(),
            "{body}"
        );
        let (status, body) = rw(
            &app,
            Method::POST,
            "/users",
            None,
            Some(json!({"user": {"email": "x", "password": "short", "username": "a"}})),
        )
        .await;
        assert_eq!(status, 422);
        assert_eq!(body["errors"].as_object().unwrap().len(), 3, "{body}");

        // Login.
        let (status, body) = rw(
            &app,
            Method::POST,
            "/users/login",
            None,
            Some(json!({"user": {"email": "jake@mail.com", "password": "password"}})),
        )
        .await;
        assert_eq!(status, 200);
        let user = &body["user"];
        for key in ["email", "username", "bio", "image", "token"] {
            assert!(user.get(key).is_some(), "{key}");
        }
        assert!(
            user["image"].as_str().unwrap().starts_with("http://"),
            "absolute"
        );
        let (status, body) = rw(
            &app,
            Method::POST,
            "/users/login",
            None,
            Some(json!({"user": {"email": "jake@mail.com", "password": "wrong-password"}})),
        )
        .await;
        assert_eq!(status, 401);
        assert!(body["errors"].is_object());

        // The current user, with the token sent as RealWorld sends it.
        let (status, body) = rw(&app, Method::GET, "/user", Some(&token), None).await;
        assert_eq!(status, 200);
        assert_eq!(body["user"]["username"], "jake");
        assert_eq!(body["user"]["token"], token.as_str());
        let (status, body) = rw(&app, Method::GET, "/user", None, None).await;
        assert_eq!(status, 401);
        assert!(body["errors"]["token"][0].is_string());
        let (status, _) = rw(&app, Method::GET, "/user", Some("not-a-jwt"), None).await;
        assert_eq!(status, 401);

        // Update: the same e-mail needs nothing more; a bio; a new e-mail needs Quill's
        // current password; an image address cannot be set.
        let (status, body) = rw(
            &app,
            Method::PUT,
            "/user",
            Some(&token),
            Some(json!({"user": {"email": "jake@mail.com", "bio": "I work at statefarm"}})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["user"]["bio"], "I work at statefarm");
        let (status, body) = rw(
            &app,
            Method::PUT,
            "/user",
            Some(&token),
            Some(json!({"user": {"email": "new@mail.com"}})),
        )
        .await;
        assert_eq!(status, 403, "{body}");
        assert!(body["errors"]["current_password"][0].is_string());
        let (status, body) = rw(
            &app,
            Method::PUT,
            "/user",
            Some(&token),
            Some(json!({"user": {"image": "https://evil.example/x.png"}})),
        )
        .await;
        assert_eq!(status, 422);
        assert!(body["errors"]["image"][0].is_string());
        let (status, _) = rw(
            &app,
            Method::PUT,
            "/user",
            Some(&token),
            Some(json!({"user": {"email": "new@mail.com", "current_password": "password"}})),
        )
        .await;
        assert_eq!(status, 200);

        // Profiles and follows.
        let celeb = sign_up(&app, "celeb_jake").await;
        let (status, body) = rw(&app, Method::GET, "/profiles/celeb_jake", None, None).await;
        assert_eq!(status, 200);
        assert_eq!(body["profile"]["following"], false);
        for key in ["username", "bio", "image", "following"] {
            assert!(body["profile"].get(key).is_some(), "{key}");
        }
        let (status, body) = rw(
            &app,
            Method::POST,
            "/profiles/celeb_jake/follow",
            Some(&token),
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["profile"]["following"], true);
        let (_, body) = rw(
            &app,
            Method::GET,
            "/profiles/celeb_jake",
            Some(&token),
            None,
        )
        .await;
        assert_eq!(body["profile"]["following"], true);
        let (status, body) = rw(
            &app,
            Method::DELETE,
            "/profiles/celeb_jake/follow",
            Some(&token),
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["profile"]["following"], false);
        let (status, _) = rw(
            &app,
            Method::POST,
            "/profiles/jake/follow",
            Some(&token),
            None,
        )
        .await;
        assert_eq!(status, 422, "nobody follows themselves");
        let (status, _) = rw(
            &app,
            Method::POST,
            "/profiles/celeb_jake/follow",
            None,
            None,
        )
        .await;
        assert_eq!(status, 401);
        let (status, body) = rw(&app, Method::GET, "/profiles/nobody", Some(&celeb), None).await;
        assert_eq!(status, 404);
        assert!(body["errors"].is_object());
        // A path nothing serves: RealWorld's 404, not the site's page.
        let (status, body) = rw(&app, Method::GET, "/nothing/here", None, None).await;
        assert_eq!(status, 404);
        assert!(body["errors"].is_object());
    }
);

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    articles_favorites_comments_and_tags,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        let token = sign_up(&app, "jake").await;
        let other = sign_up(&app, "jane").await;

        let (status, body) = rw(&app, Method::GET, "/articles", None, None).await;
        assert_eq!(status, 200);
        assert_eq!(body, json!({"articles": [], "articlesCount": 0}));

        let (status, body) = rw(
            &app,
            Method::POST,
            "/articles",
            Some(&token),
            Some(json!({"article": {"title": "How to train your dragon", "description": "Ever wonder how?",
                "body": "Very carefully.", "tagList": ["training", "dragons"]}})),
        )
        .await;
        assert_eq!(status, 201, "{backend:?} {body}");
        let article = &body["article"];
        let slug = article["slug"].as_str().unwrap().to_string();
        assert_eq!(slug, "how-to-train-your-dragon");
        assert!(is_timestamp(&article["createdAt"]) && is_timestamp(&article["updatedAt"]));
        assert_eq!(
            article["tagList"],
            json!(["dragons", "training"]),
            "in name order"
        );
        assert_eq!(article["favorited"], false);
        assert_eq!(article["favoritesCount"], 0);
        assert_eq!(article["author"]["username"], "jake");
        assert_eq!(article["body"], "Very carefully.");

        // It is a post on the site.
        let id: i64 = sqlx::query_scalar("SELECT id FROM posts WHERE slug = $1")
            .bind(&slug)
            .fetch_one(&app.state.db)
            .await
            .unwrap();
        let (status, html) = app.page_text(&format!("/post/{id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("How to train your dragon") && html.contains("Very carefully."));

        // Invalid: RealWorld's field names.
        let (status, body) = rw(
            &app,
            Method::POST,
            "/articles",
            Some(&token),
            Some(json!({"article": {"title": "", "description": "d", "body": " "}})),
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            body["errors"]["title"][0].is_string() && body["errors"]["body"][0].is_string(),
            "{body}"
        );
        let (status, _) = rw(
            &app,
            Method::POST,
            "/articles",
            None,
            Some(json!({"article": {"title": "t", "description": "d", "body": "b"}})),
        )
        .await;
        assert_eq!(status, 401);

        // Lists and filters; a list leaves out the body.
        for query in ["", "?author=jake", "?tag=dragons", "?limit=1&offset=0"] {
            let (status, body) =
                rw(&app, Method::GET, &format!("/articles{query}"), None, None).await;
            assert_eq!(status, 200, "{query}");
            assert_eq!(body["articlesCount"], 1, "{query}");
            assert_eq!(body["articles"][0]["slug"], slug.as_str());
            assert!(body["articles"][0].get("body").is_none());
        }
        for query in [
            "?author=nobody",
            "?tag=nothing",
            "?favorited=jake",
            "?offset=1",
        ] {
            let (_, body) = rw(&app, Method::GET, &format!("/articles{query}"), None, None).await;
            assert_eq!(body["articles"].as_array().unwrap().len(), 0, "{query}");
        }
        let (status, _) = rw(&app, Method::GET, "/articles?limit=x", None, None).await;
        assert_eq!(status, 422);

        // Favorites.
        let (status, body) = rw(
            &app,
            Method::POST,
            &format!("/articles/{slug}/favorite"),
            Some(&other),
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["article"]["favorited"], true);
        assert_eq!(body["article"]["favoritesCount"], 1);
        let (_, body) = rw(
            &app,
            Method::GET,
            "/articles?favorited=jane",
            Some(&other),
            None,
        )
        .await;
        assert_eq!(body["articlesCount"], 1);
        assert_eq!(body["articles"][0]["favorited"], true);
        let (_, body) = rw(&app, Method::GET, &format!("/articles/{slug}"), None, None).await;
        assert_eq!(body["article"]["favorited"], false, "for a visitor");
        let (status, body) = rw(
            &app,
            Method::DELETE,
            &format!("/articles/{slug}/favorite"),
            Some(&other),
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["article"]["favorited"], false);
        assert_eq!(body["article"]["favoritesCount"], 0);

        // The feed: the articles of followed authors.
        let (_, body) = rw(&app, Method::GET, "/articles/feed", Some(&other), None).await;
        assert_eq!(body["articlesCount"], 0);
        rw(
            &app,
            Method::POST,
            "/profiles/jake/follow",
            Some(&other),
            None,
        )
        .await;
        let (_, body) = rw(&app, Method::GET, "/articles/feed", Some(&other), None).await;
        assert_eq!(body["articlesCount"], 1);
        assert_eq!(body["articles"][0]["author"]["following"], true);
        let (status, _) = rw(&app, Method::GET, "/articles/feed", None, None).await;
        assert_eq!(status, 401);

        // Update: only the author; the slug stays.
        let (status, _) = rw(
            &app,
            Method::PUT,
            &format!("/articles/{slug}"),
            Some(&other),
            Some(json!({"article": {"body": "Mine now"}})),
        )
        .await;
        assert_eq!(status, 403);
        let (status, body) = rw(
            &app,
            Method::PUT,
            &format!("/articles/{slug}"),
            Some(&token),
            Some(json!({"article": {"body": "With two hands", "title": "Dragons, trained"}})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["article"]["body"], "With two hands");
        assert_eq!(body["article"]["slug"], slug.as_str());
        assert_eq!(body["article"]["description"], "Ever wonder how?", "kept");
        assert_eq!(
            body["article"]["tagList"],
            json!(["dragons", "training"]),
            "kept"
        );

        // Comments.
        let comments = format!("/articles/{slug}/comments");
        let (status, body) = rw(
            &app,
            Method::POST,
            &comments,
            Some(&other),
            Some(json!({"comment": {"body": "Thank you so much!"}})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let comment = &body["comment"];
        assert!(is_timestamp(&comment["createdAt"]) && is_timestamp(&comment["updatedAt"]));
        assert_eq!(comment["author"]["username"], "jane");
        let comment_id = comment["id"].as_i64().unwrap();
        let (status, body) = rw(&app, Method::GET, &comments, None, None).await;
        assert_eq!(status, 200);
        assert_eq!(body["comments"].as_array().unwrap().len(), 1);
        let (status, body) = rw(
            &app,
            Method::POST,
            &comments,
            Some(&other),
            Some(json!({"comment": {"body": ""}})),
        )
        .await;
        assert_eq!(status, 422);
        assert!(body["errors"]["body"][0].is_string());
        let third = sign_up(&app, "joe").await;
        let (status, _) = rw(
            &app,
            Method::DELETE,
            &format!("{comments}/{comment_id}"),
            Some(&third),
            None,
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = rw(
            &app,
            Method::DELETE,
            &format!("{comments}/{comment_id}"),
            Some(&other),
            None,
        )
        .await;
        assert_eq!(status, 204);
        let (_, body) = rw(&app, Method::GET, &comments, None, None).await;
        assert_eq!(body["comments"], json!([]));

        // Tags.
        let (status, body) = rw(&app, Method::GET, "/tags", None, None).await;
        assert_eq!(status, 200);
        let mut tags: Vec<String> = serde_json::from_value(body["tags"].clone()).unwrap();
        tags.sort();
        assert_eq!(tags, ["dragons", "training"]);

        // A post written on the site is an article.
        app.signed_in("sitewriter").await;
        app.call(
            "create_post",
            &[
                ("title", "From the site"),
                ("summary", "S"),
                ("content", "C"),
            ],
        )
        .await;
        let (status, body) = rw(&app, Method::GET, "/articles/from-the-site", None, None).await;
        assert_eq!(status, 200);
        assert_eq!(body["article"]["description"], "S");

        // Delete: only the author; then it is gone everywhere.
        let (status, _) = rw(
            &app,
            Method::DELETE,
            &format!("/articles/{slug}"),
            Some(&other),
            None,
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = rw(
            &app,
            Method::DELETE,
            &format!("/articles/{slug}"),
            Some(&token),
            None,
        )
        .await;
        assert_eq!(status, 204);
        let (status, _) = rw(&app, Method::GET, &format!("/articles/{slug}"), None, None).await;
        assert_eq!(status, 404);
        assert_eq!(app.page_text(&format!("/post/{id}")).await.0, 404);
    }
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_as_for_the_rest_api() {
    let app = TestApp::spawn_with(
        Backend::Sqlite,
        &[("CORS_ORIGINS", "https://conduit.example")],
    )
    .await;
    let preflight = |origin: &'static str| {
        TestApp::new_client()
            .request(Method::OPTIONS, app.url("/api/articles"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header(
                "access-control-request-headers",
                "authorization, content-type, x-requested-with",
            )
            .send()
    };
    let res = preflight("https://conduit.example").await.unwrap();
    assert!(res.status().is_success());
    assert_eq!(
        res.headers()["access-control-allow-origin"],
        "https://conduit.example"
    );
    let allowed = res.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    assert!(
        allowed.contains("x-requested-with") && allowed.contains("authorization"),
        "{allowed}"
    );
    let res = preflight("https://evil.example").await.unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());
}
