//! Recognising what an input is from its bytes, not its name.
//!
//! The extension is only a hint (`.jsonl`, `.eml`); a feed saved as `.txt` is still a feed, and
//! a PNG renamed `.html` is still refused as binary.

use truce_model::DocumentFormat;

/// What the first bytes of an input say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// A report in this format.
    Format(DocumentFormat),
    /// A binary file, named by kind.
    Binary(&'static str),
    /// Nothing but whitespace.
    Empty,
}

const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"%PDF-", "PDF document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "executable"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd archive"),
    (b"SQLite format 3\0", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office document"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\0\0\0", "binary data"),
];

/// Names the binary kind of `bytes`, or `None` when they may be text.
///
/// Looks for well-known magic numbers, then for NUL bytes and control characters that text
/// does not contain (UTF-16 text, which has NUL bytes, is recognised by its byte-order mark
/// and is not binary).
pub fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
        return None;
    }
    if let Some((_, kind)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(kind);
    }
    if bytes.len() >= 12 && &bytes[..4] == b"RIFF" {
        return Some("RIFF media (WebP, WAV or AVI)");
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Some("binary data");
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    if control * 20 > head.len() {
        return Some("binary data");
    }
    None
}

/// Recognises the format of an input that is known to be text.
///
/// `extension` is the lower-case file extension, if any, used only where the content is
/// ambiguous.
pub fn sniff_text(text: &str, extension: Option<&str>) -> Sniffed {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.is_empty() {
        return Sniffed::Empty;
    }
    let format = if body.starts_with('<') {
        sniff_markup(body)
    } else if body.starts_with('{') {
        sniff_json_object(body, extension)
    } else if body.starts_with('[') {
        DocumentFormat::Json
    } else if extension == Some("eml") || looks_like_email(body) {
        DocumentFormat::Email
    } else {
        DocumentFormat::Text
    };
    Sniffed::Format(format)
}

fn sniff_markup(body: &str) -> DocumentFormat {
    let mut head: String = body.chars().take(4096).collect();
    head.make_ascii_lowercase();
    let first_tag = first_element(&head);
    match first_tag {
        Some(tag) if tag == "rss" || tag == "rdf:rdf" => DocumentFormat::Rss,
        Some(tag) if tag == "feed" => DocumentFormat::Atom,
        Some(_) => DocumentFormat::Html,
        // Only a prolog or comments in the first 4 KiB: decide on what the prolog promises.
        None if head.contains("<rss") => DocumentFormat::Rss,
        None if head.contains("<feed") => DocumentFormat::Atom,
        None => DocumentFormat::Html,
    }
}

/// The name of the first element, skipping the XML prolog, doctype, comments and processing
/// instructions.
fn first_element(head: &str) -> Option<String> {
    let mut rest = head;
    loop {
        let start = rest.find('<')?;
        rest = &rest[start..];
        if rest.starts_with("<?") {
            rest = &rest[rest.find("?>")? + 2..];
        } else if rest.starts_with("<!--") {
            rest = &rest[rest.find("-->")? + 3..];
        } else if rest.starts_with("<!") {
            rest = &rest[rest.find('>')? + 1..];
        } else {
            let name: String = rest[1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, ':' | '-' | '_'))
                .collect();
            return (!name.is_empty()).then_some(name);
        }
    }
}

fn sniff_json_object(body: &str, extension: Option<&str>) -> DocumentFormat {
    if matches!(extension, Some("jsonl" | "ndjson")) {
        return DocumentFormat::Jsonl;
    }
    let head: String = body.chars().take(512).collect();
    if head.contains("jsonfeed.org/version") {
        return DocumentFormat::JsonFeed;
    }
    // JSONL: the first line is a whole JSON value and another record follows it.
    let mut lines = body.lines().filter(|l| !l.trim().is_empty());
    if let (Some(first), Some(second)) = (lines.next(), lines.next())
        && second.trim_start().starts_with('{')
        && serde_json::from_str::<serde_json::Value>(first).is_ok()
    {
        return DocumentFormat::Jsonl;
    }
    DocumentFormat::Json
}

/// An RFC 5322 header block: `Name: value` lines (with folded continuations) up to a blank
/// line, naming at least two of the headers every mail has.
fn looks_like_email(body: &str) -> bool {
    const KNOWN: [&str; 8] = [
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "mime-version",
        "received",
        "return-path",
    ];
    let mut known = 0;
    for line in body.lines().take(200) {
        if line.trim().is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            continue;
        }
        let Some((name, _)) = line.split_once(':') else {
            return false;
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return false;
        }
        if KNOWN.contains(&name.to_ascii_lowercase().as_str()) {
            known += 1;
        }
    }
    known >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(text: &str) -> Sniffed {
        sniff_text(text, None)
    }

    #[test]
    fn recognises_each_format_from_content() {
        let cases: &[(&str, DocumentFormat)] = &[
            ("Shelling resumed at dawn.", DocumentFormat::Text),
            (
                "<!DOCTYPE html><html><body><p>x</p></body></html>",
                DocumentFormat::Html,
            ),
            (
                "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel/></rss>",
                DocumentFormat::Rss,
            ),
            (
                "<?xml version=\"1.0\"?><!-- c --><feed xmlns=\"http://www.w3.org/2005/Atom\"/>",
                DocumentFormat::Atom,
            ),
            ("<rdf:RDF xmlns:rdf=\"x\"></rdf:RDF>", DocumentFormat::Rss),
            ("{\"text\": \"a\"}", DocumentFormat::Json),
            ("[{\"text\": \"a\"}]", DocumentFormat::Json),
            (
                "{\"text\": \"a\"}\n{\"text\": \"b\"}\n",
                DocumentFormat::Jsonl,
            ),
            (
                "{\"version\": \"https://jsonfeed.org/version/1.1\", \"items\": []}",
                DocumentFormat::JsonFeed,
            ),
            (
                "From: a@b.org\nSubject: Daily report\nDate: Mon, 1 Feb 2016 10:00:00 +0000\n\nBody",
                DocumentFormat::Email,
            ),
            ("Note: this is text.\nAnother: line\n", DocumentFormat::Text),
        ];
        for (text, expected) in cases {
            assert_eq!(format(text), Sniffed::Format(*expected), "{text:?}");
        }
    }

    #[test]
    fn whitespace_only_is_empty() {
        assert_eq!(format(" \n\t "), Sniffed::Empty);
        assert_eq!(format("\u{feff}"), Sniffed::Empty);
    }

    #[test]
    fn binary_files_are_named() {
        assert_eq!(binary_kind(b"\x89PNG\r\n\x1a\nrest"), Some("PNG image"));
        assert_eq!(binary_kind(b"PK\x03\x04zipdata"), Some("ZIP archive"));
        assert_eq!(binary_kind(b"text with a \0 nul"), Some("binary data"));
        assert_eq!(binary_kind("Plain words, caf\u{e9}.".as_bytes()), None);
        assert_eq!(binary_kind(b"\xff\xfeh\0i\0"), None);
    }

    #[test]
    fn jsonl_extension_is_a_hint_for_one_record() {
        assert_eq!(
            sniff_text("{\"text\": \"a\"}", Some("jsonl")),
            Sniffed::Format(DocumentFormat::Jsonl)
        );
    }
}
