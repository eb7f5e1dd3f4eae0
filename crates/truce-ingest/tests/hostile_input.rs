//! Every parser takes arbitrary bytes without panicking, and what it returns is consistent.

use proptest::prelude::*;
use truce_ingest::parse::{InputHints, parse_input};
use truce_model::ContentHash;

/// Shells around arbitrary text, to reach each parser's inner code rather than the sniffer.
const SHELLS: &[(&str, &str)] = &[
    ("", ""),
    ("<html><body><p>", "</p></body></html>"),
    (
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>",
        "</title></item></channel></rss>",
    ),
    (
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><summary>",
        "</summary></entry></feed>",
    ),
    ("{\"text\": \"", "\"}"),
    ("{\"text\": \"a\"}\n{\"text\": \"", "\"}\n"),
    (
        "From: a@b\nSubject: s\nContent-Type: multipart/mixed; boundary=b\n\n--b\n",
        "\n--b--",
    ),
];

fn check(bytes: &[u8], ext: Option<&str>) {
    let hash = ContentHash::of(bytes);
    if let Ok(parsed) = parse_input(
        bytes,
        hash,
        InputHints {
            extension: ext,
            url: None,
        },
    ) {
        for report in parsed.reports.iter().flatten() {
            assert!(!report.text.is_empty(), "a parsed report always has text");
            assert_eq!(report.text.trim_end(), report.text, "text is tidied");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        check(&bytes, None);
    }

    #[test]
    fn arbitrary_text_in_every_shell_never_panics(text in "\\PC{0,400}", shell in 0..SHELLS.len(), cut in 0usize..600) {
        let (open, close) = SHELLS[shell];
        let mut doc = format!("{open}{text}{close}");
        // Also try the document cut short at an arbitrary character.
        check(doc.as_bytes(), Some("jsonl"));
        check(doc.as_bytes(), None);
        let cut = doc.char_indices().nth(cut).map_or(doc.len(), |(i, _)| i);
        doc.truncate(cut);
        check(doc.as_bytes(), None);
    }
}

#[test]
fn known_crashers_of_dependencies_are_contained() {
    let inputs: &[&[u8]] = &[
        "<rss version=\"2.0\"><channel><item><author>«jo@e.com»</author><title>t</title></item></channel></rss>".as_bytes(),
        b"<html><body>\xff\xfe\x00<p>",
        b"<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
        "{\"text\": \"\\ud800\"}".as_bytes(),
        b"From: x\nContent-Type: multipart/mixed; boundary=\"\"\n\n--\n",
    ];
    for input in inputs {
        check(input, None);
    }
}

#[test]
fn deeply_nested_html_does_not_overflow_the_stack() {
    let html = format!(
        "<html><body>{}text{}</body></html>",
        "<div>".repeat(20_000),
        "</div>".repeat(20_000)
    );
    check(html.as_bytes(), None);
}
