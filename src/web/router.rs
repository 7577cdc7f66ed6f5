//! The router: static files, avatars, health, metrics, feeds and crawler files, both APIs, the
//! server functions and the pages, wrapped in one middleware stack.
//!
//! The route list of the Leptos app is generated once per process. Generating it renders the
//! app with Leptos's process-wide "suppress resource loading" flag on (leptos_server's
//! `SuppressResourceLoad`, leptos #4773): a page rendered anywhere in the process during that
//! window would wait forever for its resources. Generated once, before any router exists, it
//! cannot overlap a render.

use crate::app::{shell, App};
use crate::domain::net::IpNet;
use crate::web::assets::Assets;
use crate::web::middleware::{self, ErrorPage};
use crate::web::request::ClientAddress;
use crate::web::static_files::SiteFiles;
use crate::web::AppState;
use crate::web::{avatars, health};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::sync::Arc;
use std::sync::OnceLock;
use std::time::Duration;
use tower::{ServiceBuilder, ServiceExt};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::classify::ServerErrorsFailureClass;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_http::trace::TraceLayer;

/// The Leptos routes, generated on first use and shared by every router of the process.
pub fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The error page the middleware answers with outside the Leptos routes.
const ERROR_PAGE: ErrorPage =
    |status, user| crate::pages::errors::error_document(status.as_u16(), user);

/// The other files of the site folder (favicon, pictures), and the 404 page for everything else.
/// Not leptos_axum's `file_and_error_handler`: it wraps each file in `Owner::new()`, which
/// inherits the owner the worker thread last ran, and copies that request's response options
/// (status, headers) onto the file's response.
async fn site_file_or_404(
    State(state): State<AppState>,
    in_memory: Option<Arc<SiteFiles>>,
    request: Request,
) -> Response {
    let options = &state.leptos_options;
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        if let Some(files) = in_memory {
            return match files.answer(&request, HeaderValue::from_static(REVALIDATE)) {
                Some(found) => found,
                None => not_found_page(&state, request).await,
            };
        }
        let (parts, body) = request.into_parts();
        let files = ServeDir::new(options.site_root.as_ref())
            .precompressed_br()
            .precompressed_gzip();
        let attempt = Request::from_parts(parts.clone(), Body::empty());
        let Ok(found) = files.oneshot(attempt).await;
        if found.status() != StatusCode::NOT_FOUND {
            return found.map(Body::new);
        }
        return not_found_page(&state, Request::from_parts(parts, body)).await;
    }
    not_found_page(&state, request).await
}

/// The app rendered at an address none of its routes match: the 404 page in the layout, in a
/// turn at rendering like every page.
async fn not_found_page(state: &AppState, request: Request) -> Response {
    let options = state.leptos_options.clone();
    let render = leptos_axum::render_app_async(move || shell(&options))(request);
    middleware::render_in_turn(state, middleware::whole(render))
        .await
        .0
}

/// A call to a server function that does not exist: a 404 (leptos_axum would answer 400, with
/// advice for developers).
async fn no_such_server_function() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "404 Not Found: there is no such server function.",
    )
        .into_response()
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const REVALIDATE: &str = "public, max-age=0, must-revalidate";

/// The pkg folder as it is on disk, for builds without hashed names.
fn pkg_from_disk(dir: &str, cache_control: &'static str) -> Router {
    Router::new().fallback_service(
        ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                HeaderValue::from_static(cache_control),
            ))
            .service(ServeDir::new(dir).precompressed_br().precompressed_gzip()),
    )
}

/// Static files, avatars, health, the API, server functions and the pages, wrapped in one
/// middleware stack.
pub fn router(state: AppState) -> Router {
    let options = state.leptos_options.clone();
    let limits = state.config.limits.clone();
    let https = state.config.secure_cookies();
    let trusted: Arc<[IpNet]> = state.config.trusted_proxies.clone().into();
    let site_root = options.site_root.to_string();
    let pkg_dir = format!("{site_root}/{}", options.site_pkg_dir);

    // A release build's files are read once (hashed names change with the content: such a
    // file may be kept for good); a development build's are read from disk at each request.
    let in_memory = |dir: &str| match SiteFiles::load(std::path::Path::new(dir)) {
        Ok(files) => Some(Arc::new(files)),
        Err(err) => {
            tracing::warn!(error = %err, "serving the site's files from disk");
            None
        }
    };
    let (pkg_files, site_files) = match Assets::of(&options).hashed {
        true => (in_memory(&pkg_dir), in_memory(&site_root)),
        false => (None, None),
    };
    let pkg = match pkg_files {
        Some(files) => {
            Router::new().fallback_service(axum::routing::any(move |request: Request| {
                let files = files.clone();
                async move {
                    files
                        .answer(&request, HeaderValue::from_static(IMMUTABLE))
                        .unwrap_or_else(|| StatusCode::NOT_FOUND.into_response())
                }
            }))
        }
        None => pkg_from_disk(
            &pkg_dir,
            match Assets::of(&options).hashed {
                true => IMMUTABLE,
                false => REVALIDATE,
            },
        ),
    };

    let pages = Router::<AppState>::new()
        .leptos_routes(&state, route_list(), {
            let options = options.clone();
            move || shell(&options)
        })
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::pages,
        ));

    // The site: what browsers load, under the session, same-origin and server-function layers.
    let site = Router::new()
        .route("/media/avatars/{file}", get(avatars::avatar))
        .route("/robots.txt", get(crate::web::crawlers::robots))
        .route("/sitemap.xml", get(crate::web::crawlers::index))
        .route("/sitemap/{file}", get(crate::web::crawlers::part))
        .route("/account/export", get(crate::web::export::account))
        .route("/feed.atom", get(crate::web::feeds::site))
        .route("/user/{name}/feed.atom", get(crate::web::feeds::user))
        .route("/tag/{name}/feed.atom", get(crate::web::feeds::tag))
        // `leptos_routes` registers every server function at its own path; what reaches
        // this route is a call to one that does not exist.
        .route("/_fn/{*fn_name}", post(no_such_server_function))
        .merge(pages)
        .nest_service("/pkg", pkg)
        .fallback(move |state: State<AppState>, request: Request| {
            site_file_or_404(state, site_files.clone(), request)
        })
        // The last layer is the outermost. Outer to inner: server-function calls told from
        // pages once (every layer inside reads the mark), redirects, the request context (so
        // that a refused request still knows who is signed in for its error page), the
        // same-origin check before any body is read, the server-function guard.
        // The guard reads every server function's body itself, bounded by the function's own
        // limit (a whole post is larger than the router's 64 KiB), and hands it on read; no
        // other route of the site reads a body.
        .layer(DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(
            ERROR_PAGE,
            crate::server_fns::guard::server_fn_guard,
        ))
        .layer(axum::middleware::from_fn_with_state(
            ERROR_PAGE,
            middleware::same_origin,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::request_context,
        ))
        .layer(axum::middleware::from_fn(
            middleware::redirects_are_redirects,
        ))
        .layer(axum::middleware::from_fn(middleware::tell_server_fns));

    // Beside it, what programs call: health checks and metrics (cheap, no database for the
    // first and last), and both APIs (bearer tokens only: the session cookie means nothing
    // there, and a browser cannot forge a token, so no same-origin check).
    let app = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(crate::web::metrics::endpoint))
        .nest("/api/v1", crate::api::v1::router(&state.config))
        .nest("/api", crate::api::realworld_router(&state.config))
        .merge(site)
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(axum::middleware::from_fn(crate::web::metrics::track))
        .with_state(state);

    app.layer(
        ServiceBuilder::new()
            .layer(axum::middleware::from_fn_with_state(
                trusted,
                middleware::client_address,
            ))
            .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http().make_span_with(|request: &Request| {
                    let id = request
                        .headers()
                        .get(REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    let path = middleware::loggable_path(request.uri().path());
                    let client = ClientAddress::of(request.extensions()).0;
                    tracing::info_span!("request", id, %client, method = %request.method(), path = %path)
                })
                // One line a request: its span's fields (id, client, method, path without
                // secrets) with the status and the time taken.
                .on_response(
                    |response: &Response, latency: Duration, _span: &tracing::Span| {
                        tracing::info!(
                            status = response.status().as_u16(),
                            duration_ms = latency.as_secs_f64() * 1000.0,
                            "answered"
                        );
                    },
                )
                // An error line for a failure, but not for a 503 Quill chose to answer (a
                // full hashing or picture queue: load shed on purpose, already in the line
                // above). tower-http's default logged each at ERROR, so a flood of logins
                // wrote thousands of error lines a second.
                .on_failure(
                    |class: ServerErrorsFailureClass, latency: Duration, _span: &tracing::Span| {
                        match class {
                            ServerErrorsFailureClass::StatusCode(StatusCode::SERVICE_UNAVAILABLE) => {}
                            class => tracing::error!(
                                classification = %class,
                                duration_ms = latency.as_secs_f64() * 1000.0,
                                "response failed"
                            ),
                        }
                    },
                ),
            )
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                Duration::from_secs(limits.request_timeout_seconds),
            ))
            .layer(axum::middleware::from_fn_with_state(
                https,
                middleware::security_headers,
            ))
            .layer(CatchPanicLayer::custom(
                |_panic: Box<dyn std::any::Any + Send>| {
                    tracing::error!("a request handler panicked");
                    middleware::html_error(ERROR_PAGE, StatusCode::INTERNAL_SERVER_ERROR, None)
                },
            ))
            .layer(CompressionLayer::new())
            // Innermost, so that every extractor and server function reads the timed body.
            .layer(RequestBodyTimeoutLayer::new(Duration::from_secs(
                limits.body_timeout_seconds,
            ))),
    )
}
