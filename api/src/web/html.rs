//! HTML text: escaping every value that reaches a page, and the search
//! engine's highlighted snippets re-checked before they are trusted.

use std::fmt;

/// Text escaped for HTML content and double- or single-quoted attributes.
pub struct E<'a>(pub &'a str);

impl fmt::Display for E<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut last = 0;
        for (i, c) in self.0.char_indices() {
            let rep = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => continue,
            };
            f.write_str(&self.0[last..i])?;
            f.write_str(rep)?;
            last = i + c.len_utf8();
        }
        f.write_str(&self.0[last..])
    }
}

/// Text the API writes in English (reasons, plan steps, error messages),
/// escaped, and marked `lang="en"` on a page in another language so a
/// screen reader pronounces it right.
pub fn english(page: super::i18n::Lang, s: &str) -> String {
    if page == super::i18n::Lang::En {
        esc(s)
    } else {
        format!(r#"<span lang="en">{}</span>"#, E(s))
    }
}

/// `s` escaped, as an owned string.
pub fn esc(s: &str) -> String {
    E(s).to_string()
}

/// A search snippet (matched words between `<em>` and `</em>`, the rest
/// escaped by the engine) made safe whatever the engine sent: the text
/// between the markers is unescaped and escaped again, and only `<em>` and
/// `</em>` survive as tags.
pub fn snippet(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut open = false;
    let mut rest = s;
    while !rest.is_empty() {
        let next = [rest.find("<em>"), rest.find("</em>")]
            .into_iter()
            .flatten()
            .min();
        let (text, tag) = match next {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        };
        out.push_str(&esc(&unescape(text)));
        match tag {
            Some(t) if t.starts_with("<em>") => {
                if !open {
                    out.push_str("<mark>");
                    open = true;
                }
                rest = &t[4..];
            }
            Some(t) => {
                if open {
                    out.push_str("</mark>");
                    open = false;
                }
                rest = &t[5..];
            }
            None => rest = "",
        }
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

/// Undoes the escaping of the five characters HTML escapes.
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// A query-string value percent-encoded (`application/x-www-form-urlencoded`).
pub fn url(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A query string from pairs (`a=1&b=2`), values encoded.
pub fn query_string(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", url(k), url(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            esc(r#"<script>alert("x'")</script> & co"#),
            "&lt;script&gt;alert(&quot;x&#39;&quot;)&lt;/script&gt; &amp; co"
        );
    }

    #[test]
    fn snippets_keep_only_em_as_mark() {
        assert_eq!(
            snippet("Aplikasi <em>e-Office</em> &lt;Sumedang&gt;"),
            "Aplikasi <mark>e-Office</mark> &lt;Sumedang&gt;"
        );
        // A raw tag the engine failed to escape is escaped here.
        assert_eq!(
            snippet("<script>x</script> <em>a"),
            "&lt;script&gt;x&lt;/script&gt; <mark>a</mark>"
        );
    }

    #[test]
    fn encodes_query_values() {
        assert_eq!(url("desa digital&x=1"), "desa+digital%26x%3D1");
    }
}
