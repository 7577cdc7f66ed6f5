//! One request must never change another's answer.

use crate::common::{Backend, TestApp, FAVICON};
use reqwest::header::{ACCEPT, ORIGIN};

/// Many page loads and static files beside many refused cross-site posts: the refusal's error
/// page is rendered outside the Leptos routes, and once rendered under whatever owner the
/// worker thread had last, it could set the status of a page load running beside it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn refused_posts_never_change_the_answer_of_another_request() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let mut tasks = Vec::new();
    for worker in 0..12 {
        let client = TestApp::new_client();
        let (home, favicon, logout) = (
            app.url("/"),
            app.url("/favicon.svg"),
            app.url("/_fn/logout"),
        );
        tasks.push(tokio::spawn(async move {
            let mut wrong = Vec::new();
            for _ in 0..100 {
                match worker % 3 {
                    0 => {
                        let res = client
                            .post(&logout)
                            .header(ACCEPT, "text/html")
                            .header(ORIGIN, "https://evil.example")
                            .send()
                            .await
                            .unwrap();
                        if res.status() != 403 {
                            wrong.push(format!("refused post: {}", res.status()));
                        }
                    }
                    1 => {
                        let res = client
                            .get(&home)
                            .header(ACCEPT, "text/html")
                            .send()
                            .await
                            .unwrap();
                        let status = res.status();
                        let html = res.text().await.unwrap();
                        if status != 200 || !html.contains("<title>Quill - Home</title>") {
                            wrong.push(format!("home page: {status}"));
                        }
                    }
                    _ => {
                        let res = client.get(&favicon).send().await.unwrap();
                        let status = res.status();
                        if status != 200 || res.text().await.unwrap() != FAVICON {
                            wrong.push(format!("favicon: {status}"));
                        }
                    }
                }
            }
            wrong
        }));
    }
    let mut wrong = Vec::new();
    for task in tasks {
        wrong.extend(task.await.unwrap());
    }
    assert!(
        wrong.is_empty(),
        "{} of 1,200 answers were wrong: {wrong:?}",
        wrong.len()
    );
}
