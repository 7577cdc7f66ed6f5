//! The site's files from memory: `/pkg` (the built script, WASM and stylesheet) and the icons at
//! the top of the site folder, read once at startup with their precompressed `.br` and `.gz`
//! siblings and answered without touching the disk. Served from the folder (`ServeDir`), every
//! request read its file on tokio's blocking pool: 64 connections asking for the 340 KB WASM
//! grew the process to 80 threads and its RSS from 50 to 92 MB. nginx serves these files itself
//! in production (`deploy/nginx/quill.conf`); this is for Quill on its own.
//!
//! Only a release build's site is kept in memory (its names carry content hashes): a
//! development build's files change under the running server, and are served from the folder.

use super::conditional::none_match;
use super::negotiate::accepts_encoding;
use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;

/// The most a folder may hold to be kept in memory, all encodings counted; a bigger one (say,
/// the leftovers of many builds) is served from disk instead.
pub const MAX_FOLDER_BYTES: u64 = 32 * 1024 * 1024;

/// One built file in its encodings.
struct SiteFile {
    content_type: &'static str,
    etag: HeaderValue,
    identity: Bytes,
    br: Option<Bytes>,
    gzip: Option<Bytes>,
}

/// The files of one folder by name.
pub struct SiteFiles {
    files: HashMap<String, SiteFile>,
}

#[derive(Debug, thiserror::Error)]
pub enum SiteFilesError {
    #[error("reading {0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0} holds more than {MAX_FOLDER_BYTES} bytes")]
    TooBig(String),
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("wasm") => "application/wasm",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        Some("xml") => "application/xml",
        Some("webmanifest") => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

impl SiteFiles {
    /// Reads every file of `dir` (not its subfolders) with its `.br` and `.gz` siblings.
    pub fn load(dir: &Path) -> Result<Self, SiteFilesError> {
        let io = |e| SiteFilesError::Io(dir.display().to_string(), e);
        let mut raw: HashMap<String, Bytes> = HashMap::new();
        let mut total = 0u64;
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            if !entry.file_type().map_err(io)?.is_file() {
                continue;
            }
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            total += entry.metadata().map_err(io)?.len();
            if total > MAX_FOLDER_BYTES {
                return Err(SiteFilesError::TooBig(dir.display().to_string()));
            }
            let path = entry.path();
            let bytes = std::fs::read(&path)
                .map_err(|e| SiteFilesError::Io(path.display().to_string(), e))?;
            raw.insert(name, Bytes::from(bytes));
        }
        let mut files = HashMap::new();
        for (name, identity) in &raw {
            if name.ends_with(".br") || name.ends_with(".gz") {
                continue;
            }
            let digest = Sha256::digest(identity);
            let etag = digest[..12].iter().fold(String::from("\""), |mut s, b| {
                s.push_str(&format!("{b:02x}"));
                s
            }) + "\"";
            files.insert(
                name.clone(),
                SiteFile {
                    content_type: content_type(name),
                    etag: HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"\"")),
                    identity: identity.clone(),
                    br: raw.get(&format!("{name}.br")).cloned(),
                    gzip: raw.get(&format!("{name}.gz")).cloned(),
                },
            );
        }
        Ok(Self { files })
    }

    /// Answers a request whose path (below the folder's mount point) names one of the files;
    /// `None` if none does.
    pub fn answer(&self, request: &Request, cache_control: HeaderValue) -> Option<Response> {
        let name = request.uri().path().strip_prefix('/')?;
        let file = self.files.get(name)?;
        if !matches!(*request.method(), Method::GET | Method::HEAD) {
            return Some(
                (
                    StatusCode::METHOD_NOT_ALLOWED,
                    [(header::ALLOW, HeaderValue::from_static("GET, HEAD"))],
                )
                    .into_response(),
            );
        }
        let headers = request.headers();
        let mut response = if none_match(headers, file.etag.to_str().unwrap_or_default()) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let (encoding, body) = match (accepts_encoding(headers, "br"), &file.br) {
                (true, Some(br)) => (Some("br"), br.clone()),
                _ => match (accepts_encoding(headers, "gzip"), &file.gzip) {
                    (true, Some(gzip)) => (Some("gzip"), gzip.clone()),
                    _ => (None, file.identity.clone()),
                },
            };
            let len = body.len();
            let body = if request.method() == Method::HEAD {
                Body::empty()
            } else {
                Body::from(body)
            };
            let mut response = Response::new(body);
            let h = response.headers_mut();
            h.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static(file.content_type),
            );
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
            if let Some(encoding) = encoding {
                h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            response
        };
        let h = response.headers_mut();
        h.insert(header::ETAG, file.etag.clone());
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        h.insert(header::CACHE_CONTROL, cache_control);
        Some(response)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("quill-pkg-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("quill.ab.wasm"), b"\0asm plain").unwrap();
        std::fs::write(dir.join("quill.ab.wasm.br"), b"brotli bytes").unwrap();
        std::fs::write(dir.join("quill.ab.wasm.gz"), b"gzip bytes").unwrap();
        std::fs::write(dir.join("quill.cd.js"), b"export {}").unwrap();
        std::fs::write(dir.join("sub/other.js"), b"no").unwrap();
        dir
    }

    fn get(path: &str, headers: &[(&str, &str)]) -> Request {
        let mut request = Request::builder().uri(path);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        request.body(Body::empty()).unwrap()
    }

    async fn body(response: Response) -> Vec<u8> {
        axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .unwrap()
            .to_vec()
    }

    fn ask(files: &SiteFiles, request: &Request, cache: HeaderValue) -> Response {
        files.answer(request, cache).expect("one of the files")
    }

    const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");

    #[tokio::test]
    async fn the_best_accepted_encoding_from_memory() {
        let files = SiteFiles::load(&folder()).unwrap();
        let br = ask(
            &files,
            &get("/quill.ab.wasm", &[("accept-encoding", "gzip, br")]),
            IMMUTABLE,
        );
        assert_eq!(br.status(), 200);
        assert_eq!(br.headers()["content-encoding"], "br");
        assert_eq!(br.headers()["content-type"], "application/wasm");
        assert_eq!(br.headers()["vary"], "accept-encoding");
        assert_eq!(br.headers()["cache-control"], IMMUTABLE);
        assert_eq!(body(br).await, b"brotli bytes");

        let gz = ask(
            &files,
            &get("/quill.ab.wasm", &[("accept-encoding", "br;q=0, gzip")]),
            IMMUTABLE,
        );
        assert_eq!(gz.headers()["content-encoding"], "gzip");
        assert_eq!(body(gz).await, b"gzip bytes");

        let plain = ask(&files, &get("/quill.ab.wasm", &[]), IMMUTABLE);
        assert!(plain.headers().get("content-encoding").is_none());
        assert_eq!(plain.headers()["content-length"], "10");
        let etag = plain.headers()["etag"].clone();
        assert_eq!(body(plain).await, b"\0asm plain");

        // A file without compressed siblings is sent as it is.
        let js = ask(
            &files,
            &get("/quill.cd.js", &[("accept-encoding", "br")]),
            IMMUTABLE,
        );
        assert!(js.headers().get("content-encoding").is_none());
        assert_eq!(
            js.headers()["content-type"],
            "text/javascript; charset=utf-8"
        );

        let again = ask(
            &files,
            &get(
                "/quill.ab.wasm",
                &[("if-none-match", etag.to_str().unwrap())],
            ),
            IMMUTABLE,
        );
        assert_eq!(again.status(), 304);
        assert!(body(again).await.is_empty());
    }

    /// Every file the site ships from `public/` is served with its own type (the default
    /// avatar once went out as `application/octet-stream`, and browsers refused to draw it).
    #[test]
    fn each_public_file_has_its_type() {
        let public = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("public");
        for entry in std::fs::read_dir(public).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            assert_ne!(content_type(&name), "application/octet-stream", "{name}");
        }
        assert_eq!(content_type("default-avatar.svg"), "image/svg+xml");
    }

    #[tokio::test]
    async fn only_files_of_the_folder_and_only_reads() {
        let files = SiteFiles::load(&folder()).unwrap();
        for path in [
            "/sub/other.js",
            "/../quill.ab.wasm",
            "/nothing.wasm",
            "/quill.ab.wasm.br",
        ] {
            assert!(files.answer(&get(path, &[]), IMMUTABLE).is_none(), "{path}");
        }
        let post = Request::builder()
            .method("POST")
            .uri("/quill.ab.wasm")
            .body(Body::empty())
            .unwrap();
        assert_eq!(ask(&files, &post, IMMUTABLE).status(), 405);
        let head = Request::builder()
            .method("HEAD")
            .uri("/quill.ab.wasm")
            .body(Body::empty())
            .unwrap();
        let head = ask(&files, &head, IMMUTABLE);
        assert_eq!(head.headers()["content-length"], "10");
        assert!(body(head).await.is_empty());
    }
}
