//! Site paths as URLs: percent-encoding for hrefs, decoding for lookups.
//!
//! Inside the build a page's path is kept decoded (`/aws/über uns/`) because it names folders
//! on disk; every href written into a page goes through [`href`], so a file named `a#b.md` or
//! `100%.md` still gets a link that reaches it.

/// The href for a site path (`/aws/lambda/`) under `base_path` (`/` or `/kb/`), with every
/// character that is not safe in a URL path percent-encoded.
pub fn href(base_path: &str, path: &str) -> String {
    let mut out = String::with_capacity(base_path.len() + path.len());
    out.push_str(base_path);
    encode_path_into(path.trim_start_matches('/'), &mut out);
    out
}

/// Percent-encodes `path`, keeping `/` and the characters RFC 3986 allows in a path segment.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    encode_path_into(path, &mut out);
    out
}

fn encode_path_into(path: &str, out: &mut String) {
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"/-._~!$&'()*+,;=:@".contains(&byte);
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
}

/// Decodes `%XX` escapes (`Step%20Functions` -> `Step Functions`); text that does not decode
/// to UTF-8 is returned unchanged.
pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_what_would_break_a_url() {
        assert_eq!(href("/kb/", "/aws/lambda/"), "/kb/aws/lambda/");
        assert_eq!(href("/", "/aws/a#b/"), "/aws/a%23b/");
        assert_eq!(href("/", "/100%/"), "/100%25/");
        assert_eq!(href("/", "/front only/"), "/front%20only/");
        assert_eq!(href("/", "/über/"), "/%C3%BCber/");
    }

    #[test]
    fn decoding_round_trips() {
        for path in ["/a b/", "/100%/", "/über/", "/a#b/"] {
            assert_eq!(percent_decode(&encode_path(path)), path);
        }
        assert_eq!(percent_decode("%zz"), "%zz");
    }
}
