//! The names of the built stylesheet, script and WASM files. With cargo-leptos `hash-files`
//! each name carries a hash of the file's content (`quill.5f3c….css`), so a browser or nginx
//! may keep it forever; cargo-leptos writes the hashes to `hash.txt` beside the binary
//! (`LEPTOS_HASH_FILE_NAME`). They are read once, at startup; Leptos's `HydrationScripts`
//! read that file on every render (13% of a login page's throughput), so the shell writes its
//! own loader from these names.

use leptos::prelude::LeptosOptions;
use std::path::PathBuf;
use std::sync::OnceLock;

/// The built files of the site, as the pages link them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assets {
    /// `/pkg/quill.css` or `/pkg/quill.<hash>.css`.
    pub stylesheet: String,
    /// The wasm-bindgen module that loads the WASM: `/pkg/quill.js` or `/pkg/quill.<hash>.js`.
    pub script: String,
    /// `/pkg/quill.wasm` or `/pkg/quill.<hash>.wasm`.
    pub wasm: String,
    /// Whether the names carry content hashes (and so may be cached for good).
    pub hashed: bool,
    loader: String,
}

impl Assets {
    /// The names for `options`, from the hash file `hashes` (its text), if file hashing is on
    /// and the file names all three files.
    pub fn new(options: &LeptosOptions, hashes: Option<&str>) -> Self {
        let pkg = options.site_pkg_dir.trim_matches('/');
        let name = &options.output_name;
        let hash_of = |kind: &str| {
            hashes.filter(|_| options.hash_files).and_then(|text| {
                text.lines()
                    .filter_map(|line| line.split_once(':'))
                    .find(|(k, _)| k.trim() == kind)
                    .map(|(_, hash)| hash.trim().to_string())
                    .filter(|hash| !hash.is_empty())
            })
        };
        match (hash_of("css"), hash_of("js"), hash_of("wasm")) {
            (Some(css), Some(js), Some(wasm)) => Self {
                stylesheet: format!("/{pkg}/{name}.{css}.css"),
                script: format!("/{pkg}/{name}.{js}.js"),
                wasm: format!("/{pkg}/{name}.{wasm}.wasm"),
                hashed: true,
                loader: String::new(),
            }
            .with_loader(),
            _ => Self {
                stylesheet: format!("/{pkg}/{name}.css"),
                script: format!("/{pkg}/{name}.js"),
                // wasm-bindgen's own name, unless cargo-leptos built it (it renames the file).
                wasm: match option_env!("LEPTOS_OUTPUT_NAME") {
                    Some(_) => format!("/{pkg}/{name}.wasm"),
                    None => format!("/{pkg}/{name}_bg.wasm"),
                },
                hashed: false,
                loader: String::new(),
            }
            .with_loader(),
        }
    }

    /// The inline module that hydrates the page's islands. A page without one (the feed, a
    /// post read by a visitor) loads no script and no WASM at all; otherwise it loads both,
    /// then hands each `<leptos-island>` to its function in the bundle. `__quill_hydrated`
    /// tells the browser tests the page is live.
    pub fn loader(&self) -> &str {
        &self.loader
    }

    fn with_loader(mut self) -> Self {
        self.loader = format!(
            "const islands = document.querySelectorAll(\"leptos-island\");\n\
             if (islands.length) {{\n\
             const quill = await import({script:?});\n\
             await quill.default({{ module_or_path: {wasm:?} }});\n\
             quill.hydrate();\n\
             for (const island of islands) {{\n\
             const hydrate = quill[island.dataset.component];\n\
             if (hydrate) hydrate(island); else console.error(\"no island\", island.dataset.component);\n\
             }}\n\
             }}\n\
             window.__quill_hydrated = true;",
            script = self.script,
            wasm = self.wasm
        );
        self
    }

    /// The names of this process's site, read once (at startup; every `Application` of a
    /// process serves the same site).
    pub fn of(options: &LeptosOptions) -> &'static Assets {
        ASSETS.get_or_init(|| {
            let hashes = options
                .hash_files
                .then(|| hash_file(options))
                .flatten()
                .and_then(|path| std::fs::read_to_string(path).ok());
            if options.hash_files && hashes.is_none() {
                tracing::warn!("LEPTOS_HASH_FILES is on but there is no hash file beside quill");
            }
            Self::new(options, hashes.as_deref())
        })
    }

    /// The stylesheet's address, for pages rendered outside the app (the error pages).
    pub fn stylesheet() -> &'static str {
        ASSETS
            .get()
            .map_or("/pkg/quill.css", |assets| assets.stylesheet.as_str())
    }
}

static ASSETS: OnceLock<Assets> = OnceLock::new();

/// Where cargo-leptos puts the hash file: beside the binary.
pub fn hash_file(options: &LeptosOptions) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.join(options.hash_file.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(hash_files: bool) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name("quill")
            .site_pkg_dir("pkg")
            .hash_files(hash_files)
            .build()
    }

    #[test]
    fn hashed_names_come_from_the_hash_file() {
        let text = "js: 11aa\nwasm: 22bb\ncss: 33cc\n";
        let assets = Assets::new(&options(true), Some(text));
        assert_eq!(assets.stylesheet, "/pkg/quill.33cc.css");
        assert_eq!(assets.script, "/pkg/quill.11aa.js");
        assert_eq!(assets.wasm, "/pkg/quill.22bb.wasm");
        assert!(assets.hashed);
        assert!(assets.loader().contains(r#"import("/pkg/quill.11aa.js")"#));
        assert!(assets
            .loader()
            .contains(r#"module_or_path: "/pkg/quill.22bb.wasm""#));
    }

    #[test]
    fn without_hashing_or_a_hash_file_the_plain_names_are_used() {
        let text = "js: 11aa\nwasm: 22bb\ncss: 33cc\n";
        let plain = Assets::new(&options(false), Some(text));
        assert_eq!(plain.stylesheet, "/pkg/quill.css");
        assert_eq!(plain.script, "/pkg/quill.js");
        assert!(!plain.hashed);
        assert_eq!(
            Assets::new(&options(true), None).stylesheet,
            "/pkg/quill.css"
        );
        assert!(!Assets::new(&options(true), Some("js: 1\n")).hashed);
    }
}
