//! Text for the two places where Leptos writes a string into the HTML without escaping it:
//! the children of `<textarea>` (tachys renders them raw) and the `<title>` that leptos_meta
//! writes into the head. Unescaped, a post containing `</textarea><script>` would run script.
//! The escaping is done on the server only: in the browser the same strings go into the DOM as
//! text (`document.title`, a text node), where escaping would show up as `&lt;`.

/// Escapes text for an HTML raw-text context, on the server.
pub fn server_escaped(text: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        crate::model::html::escape(text)
    }
    #[cfg(not(feature = "ssr"))]
    {
        text.to_string()
    }
}

/// The children of a `<textarea>`. The browser drops one newline right after `<textarea>`,
/// so the server writes one, and content that starts with a line break keeps it.
pub fn textarea_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        format!("\n{}", server_escaped(text))
    } else {
        text.to_string()
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_on_the_server() {
        assert_eq!(
            server_escaped("a</title><b>&"),
            "a&lt;/title&gt;&lt;b&gt;&amp;"
        );
        assert_eq!(textarea_text("</textarea>x"), "\n&lt;/textarea&gt;x");
    }
}
