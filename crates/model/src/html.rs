//! The one HTML escaper, for every place that writes text into markup by hand: plain-text
//! posts, search snippets, sitemaps (XML), and the raw-text children Leptos does not escape
//! (`<textarea>`, `<title>`). The five characters it escapes make text safe in element
//! content and in quoted attribute values alike, in HTML and in XML.

/// `c` as markup text, appended to `out`.
pub fn push_escaped(c: char, out: &mut String) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        c => out.push(c),
    }
}

/// `text` as markup text, appended to `out`.
pub fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        push_escaped(c, out);
    }
}

/// `text` as markup text.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    escape_into(text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_five_characters_of_markup() {
        assert_eq!(
            escape(r#"<a href="x" title='y'>&amp;</a> é"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt; é"
        );
        assert_eq!(escape(""), "");
    }
}
