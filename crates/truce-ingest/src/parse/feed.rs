//! RSS, Atom and JSON feeds: each item is a report, with its link, title and date.
//!
//! feed-rs is known to panic on some malformed input (a multibyte character next to an e-mail
//! address in `<author>`), so it always runs inside `catch_unwind`: a panic is a malformed feed.

use std::panic::{AssertUnwindSafe, catch_unwind};

use feed_rs::model::{Entry, FeedType};
use truce_model::{ContentHash, DocumentFormat};

use super::{ParsedReport, PartFailure, html_to_text, tidy_text};
use crate::ReadError;

/// Reads every item of a feed.
pub(super) fn parse(
    bytes: &[u8],
    sniffed: DocumentFormat,
) -> Result<Vec<Result<ParsedReport, PartFailure>>, ReadError> {
    let name = match sniffed {
        DocumentFormat::Atom => "Atom feed",
        DocumentFormat::JsonFeed => "JSON feed",
        _ => "RSS feed",
    };
    let parsed = catch_unwind(AssertUnwindSafe(|| feed_rs::parser::parse(bytes)))
        .map_err(|_| ReadError::Malformed {
            format: name,
            detail: "the feed parser crashed on it".into(),
        })?
        .map_err(|e| ReadError::Malformed {
            format: name,
            detail: e.to_string(),
        })?;
    if parsed.entries.is_empty() {
        return Err(ReadError::NoText(match parsed.feed_type {
            FeedType::Atom => "Atom feed (no entries)",
            FeedType::JSON => "JSON feed (no items)",
            _ => "RSS feed (no items)",
        }));
    }
    Ok(parsed
        .entries
        .iter()
        .enumerate()
        .map(|(i, entry)| item(i + 1, entry))
        .collect())
}

fn item(number: usize, entry: &Entry) -> Result<ParsedReport, PartFailure> {
    let title = entry
        .title
        .as_ref()
        .map(|t| clean(&t.content, t.content_type.as_ref()));
    let link = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .or(entry.links.first())
        .map(|l| l.href.clone());
    let body = entry
        .content
        .as_ref()
        .and_then(|c| c.body.as_ref().map(|b| clean(b, c.content_type.as_ref())))
        .filter(|b| !b.is_empty())
        .or_else(|| {
            entry
                .summary
                .as_ref()
                .map(|s| clean(&s.content, s.content_type.as_ref()))
        })
        .unwrap_or_default();
    let text = match (&title, body.is_empty()) {
        (_, false) => body,
        (Some(t), true) if !t.is_empty() => t.clone(),
        _ => String::new(),
    };
    let content_hash = ContentHash::of_parts(&[
        b"feed item",
        entry.id.as_bytes(),
        link.as_deref().unwrap_or("").as_bytes(),
        title.as_deref().unwrap_or("").as_bytes(),
        text.as_bytes(),
    ]);
    let part = format!("item {number}");
    if text.is_empty() {
        return Err(PartFailure {
            part,
            content_hash,
            error: ReadError::NoText("feed item"),
        });
    }
    Ok(ParsedReport {
        part: Some(part),
        content_hash,
        external_id: Some(entry.id.clone()).filter(|id| !id.is_empty()),
        title: title.filter(|t| !t.is_empty()),
        url: link,
        published: entry.published.or(entry.updated).map(|d| d.date_naive()),
        text,
    })
}

fn clean(content: &str, content_type: &str) -> String {
    if content_type.contains("html") || content.contains("</") || content.contains("<p") {
        html_to_text(content)
    } else {
        tidy_text(content)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Monitor</title>
<item><title>Shelling in Daraa</title><link>https://m.example/1</link><guid>m-1</guid>
<pubDate>Tue, 03 Mar 2026 08:00:00 +0000</pubDate>
<description>&lt;p&gt;Shelling hit Daraa al-Balad on Monday.&lt;/p&gt;</description></item>
<item><title>Talks resume</title><link>https://m.example/2</link></item>
<item><link>https://m.example/3</link></item>
</channel></rss>"#;

    #[test]
    fn each_item_is_a_report() {
        let items = parse(RSS.as_bytes(), DocumentFormat::Rss).unwrap();
        assert_eq!(items.len(), 3);
        let first = items[0].as_ref().unwrap();
        assert_eq!(first.text, "Shelling hit Daraa al-Balad on Monday.");
        assert_eq!(first.title.as_deref(), Some("Shelling in Daraa"));
        assert_eq!(first.url.as_deref(), Some("https://m.example/1"));
        assert_eq!(first.external_id.as_deref(), Some("m-1"));
        assert_eq!(first.published, chrono::NaiveDate::from_ymd_opt(2026, 3, 3));
        assert_eq!(first.part.as_deref(), Some("item 1"));
        // A title alone is still a (short) report; nothing at all is a failed part.
        assert_eq!(items[1].as_ref().unwrap().text, "Talks resume");
        assert_eq!(
            items[2].as_ref().unwrap_err().error,
            ReadError::NoText("feed item")
        );
    }

    #[test]
    fn truncated_feed_is_malformed() {
        let cut = &RSS[..RSS.len() / 2];
        let err = parse(cut.as_bytes(), DocumentFormat::Rss).unwrap_err();
        assert!(matches!(err, ReadError::Malformed { .. }), "{err:?}");
    }

    #[test]
    fn author_that_crashes_feed_rs_is_a_malformed_feed_not_a_panic() {
        let rss = "<rss version=\"2.0\"><channel><item><title>t</title><author>«jo@e.com»</author><description>d</description></item></channel></rss>";
        // Whether feed-rs panics or not, we must get an answer.
        let _ = parse(rss.as_bytes(), DocumentFormat::Rss);
    }
}
