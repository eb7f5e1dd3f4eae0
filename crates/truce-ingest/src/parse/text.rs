//! Plain text reports: the text as it is, a title from a short first line, a dateline date.

use truce_model::ContentHash;

use super::{ParsedReport, tidy_text};
use crate::ReadError;
use crate::published::dateline_date;

/// Reads a plain-text report.
pub(super) fn parse(text: &str, raw_hash: ContentHash) -> Result<ParsedReport, ReadError> {
    let text = tidy_text(text);
    if text.is_empty() {
        return Err(ReadError::Empty);
    }
    Ok(ParsedReport {
        part: None,
        content_hash: raw_hash,
        external_id: None,
        title: title_line(&text),
        url: None,
        published: dateline_date(&text),
        text,
    })
}

/// A first line that reads as a headline: short, followed by a blank line, not ending like a
/// sentence.
fn title_line(text: &str) -> Option<String> {
    let (first, rest) = text.split_once('\n')?;
    let first = first.trim();
    let headline = !first.is_empty()
        && first.chars().count() <= 160
        && rest.starts_with('\n')
        && !first.ends_with(['.', ',', ';', ':']);
    headline.then(|| first.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_and_dateline() {
        let text =
            "Clinic hit in Maarat al-Numan\n\nIDLIB, Syria, March 3, 2026 - A clinic was hit.";
        let r = parse(text, ContentHash::of(text.as_bytes())).unwrap();
        assert_eq!(r.title.as_deref(), Some("Clinic hit in Maarat al-Numan"));
        assert_eq!(r.published, chrono::NaiveDate::from_ymd_opt(2026, 3, 3));
    }

    #[test]
    fn a_sentence_is_not_a_title() {
        let text = "A clinic was hit overnight.\n\nMore follows.";
        assert_eq!(parse(text, ContentHash::of(b"x")).unwrap().title, None);
    }
}
