//! A page that sends its visitor elsewhere answers with a redirect, whatever the client accepts.

use crate::common::{on_each_database, redirect_target, TestApp};
use reqwest::header::ACCEPT;

on_each_database!(
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    redirects_do_not_depend_on_the_accept_header,
    |backend| async move {
        let app = TestApp::spawn(backend).await;
        // curl sends `*/*`, some link checkers nothing at all.
        let get = |path: &'static str, accept: Option<&'static str>| {
            let mut req = app.client.get(app.url(path));
            if let Some(accept) = accept {
                req = req.header(ACCEPT, accept);
            }
            req.send()
        };
        for accept in [None, Some("*/*"), Some("application/json")] {
            for (path, target) in [
                ("/post/new", "/login?next=/post/new"),
                ("/account", "/login?next=/account"),
            ] {
                let res = get(path, accept).await.unwrap();
                assert_eq!(res.status(), 302, "{path} with {accept:?}");
                assert_eq!(redirect_target(&res).as_deref(), Some(target));
            }
        }
        app.signed_in("ann").await;
        for accept in [None, Some("*/*")] {
            for path in ["/login", "/register", "/reset_password"] {
                let res = get(path, accept).await.unwrap();
                assert_eq!(res.status(), 302, "{path} with {accept:?}, signed in");
                assert_eq!(redirect_target(&res).as_deref(), Some("/"));
            }
            let res = get("/account", accept).await.unwrap();
            assert_eq!(res.status(), 200, "{accept:?}");
            assert!(res.headers().get("location").is_none());
        }
        // A server function called by the hydrated page keeps leptos's protocol: 200 and a
        // Location to navigate to.
        let res = app.call("logout", &[]).await;
        assert_eq!(res.status(), 200);
        assert_eq!(redirect_target(&res).as_deref(), Some("/"));
    }
);
