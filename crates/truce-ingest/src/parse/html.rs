//! HTML pages: the main article text, without navigation, share buttons, "More Coverage" boxes
//! or repeated photo captions; title, canonical URL and publication date from the metadata.

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};

use dom_query::Document as Dom;
use dom_smoothie::{Config, Readability, TextMode};
use truce_model::ContentHash;

use super::{ParsedReport, tidy_text};
use crate::ReadError;
use crate::published::{dateline_date, parse_date};

/// Elements that never hold the report itself.
const BOILERPLATE_SELECTORS: &str = "script, style, noscript, nav, aside, footer, form, button, \
     iframe, svg, figcaption, [role=navigation], [role=banner], [role=complementary], \
     [aria-hidden=true], .share, .social, .related, .newsletter, .advert, .ad, .caption, \
     .breadcrumb, .more-coverage, #comments, .comments";

/// Short lines that are page furniture when they stand alone.
const BOILERPLATE_LINES: &[&str] = &[
    "more coverage",
    "related coverage",
    "related",
    "related stories",
    "related articles",
    "share",
    "share this",
    "share this article",
    "share on facebook",
    "share on twitter",
    "tweet",
    "email",
    "print",
    "advertisement",
    "skip to content",
    "skip to main content",
    "read more",
    "sign up",
    "subscribe",
    "follow us",
    "comments",
    "copy link",
    "menu",
    "home",
    "log in",
    "most read",
    "top stories",
    "trending",
    "whatsapp",
    "facebook",
    "twitter",
];

/// Reads an HTML page.
pub(super) fn parse(
    html: &str,
    raw_hash: ContentHash,
    url: Option<&str>,
) -> Result<ParsedReport, ReadError> {
    // Readability is quadratic in nesting depth: a hostile page of 20,000 nested <div>s would
    // take minutes. Such pages are read by stripping tags instead.
    let result = if nesting_depth(html) > MAX_NESTING {
        Ok(Page {
            title: None,
            url: None,
            published: None,
            text: strip_tags(html),
        })
    } else {
        catch_unwind(AssertUnwindSafe(|| extract(html, url)))
    };
    let page = result.map_err(|_| ReadError::Malformed {
        format: "HTML",
        detail: "the HTML parser gave up on this page".into(),
    })?;
    if page.text.is_empty() {
        return Err(ReadError::NoText("HTML page"));
    }
    let published = page
        .published
        .as_deref()
        .and_then(parse_date)
        .or_else(|| dateline_date(&page.text));
    Ok(ParsedReport {
        part: None,
        content_hash: raw_hash,
        external_id: None,
        title: page.title,
        url: page.url.or_else(|| url.map(str::to_string)),
        published,
        text: page.text,
    })
}

struct Page {
    title: Option<String>,
    url: Option<String>,
    published: Option<String>,
    text: String,
}

fn meta(dom: &Dom, selectors: &[&str]) -> Option<String> {
    selectors.iter().find_map(|sel| {
        let node = dom.select(sel);
        let value = node
            .attr("content")
            .or_else(|| node.attr("datetime"))
            .or_else(|| node.attr("href"))?;
        let value = value.trim().to_string();
        (!value.is_empty()).then_some(value)
    })
}

fn extract(html: &str, url: Option<&str>) -> Page {
    let dom = Dom::from(html);
    let published = meta(
        &dom,
        &[
            "meta[property='article:published_time']",
            "meta[name='article:published_time']",
            "meta[itemprop='datePublished']",
            "meta[name='date']",
            "meta[name='pubdate']",
            "meta[name='publish-date']",
            "meta[name='dc.date']",
            "meta[name='DC.date.issued']",
            "time[datetime]",
        ],
    );
    let canonical = meta(&dom, &["link[rel='canonical']", "meta[property='og:url']"])
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let og_title = meta(&dom, &["meta[property='og:title']"]);

    dom.select(BOILERPLATE_SELECTORS).remove();
    let base_url = url.filter(|u| u.starts_with("http://") || u.starts_with("https://"));
    let cfg = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    let article = Readability::with_document(dom.clone(), base_url, Some(cfg))
        .ok()
        .and_then(|mut r| r.parse().ok());
    let (title, raw_text, article_published) = match article {
        Some(a) if a.text_content.trim().len() >= 40 => (
            Some(a.title.to_string()),
            a.text_content.to_string(),
            a.published_time,
        ),
        // Too short for readability to be confident: take the whole body.
        _ => {
            let body = dom.select("body");
            let text = if body.exists() {
                body.formatted_text()
            } else {
                dom.formatted_text()
            };
            (None, text.to_string(), None)
        }
    };
    let title = title
        .filter(|t| !t.trim().is_empty())
        .or(og_title)
        .or_else(|| Some(dom.select("title").text().trim().to_string()).filter(|t| !t.is_empty()))
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "));
    Page {
        title,
        url: canonical,
        published: published.or(article_published),
        text: drop_boilerplate_lines(&raw_text),
    }
}

/// Drops page furniture that survived main-content extraction: stand-alone share and
/// "More Coverage" lines, photo credits, and any paragraph repeated word for word (scraped pages
/// repeat a photo caption above and below the story).
fn drop_boilerplate_lines(text: &str) -> String {
    let mut seen: HashSet<String> = HashSet::new();
    let mut kept = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            kept.push("");
            continue;
        }
        let key = trimmed.to_lowercase();
        let bare = key.trim_matches(|c: char| !c.is_alphanumeric());
        if BOILERPLATE_LINES.contains(&bare) || is_photo_credit(&key) {
            continue;
        }
        if key.chars().count() > 20 && !seen.insert(key.clone()) {
            continue;
        }
        kept.push(trimmed);
    }
    tidy_text(&kept.join("\n"))
}

fn is_photo_credit(line: &str) -> bool {
    let short = line.chars().count() < 200;
    short
        && (line.starts_with("photo:")
            || line.starts_with("photograph:")
            || line.starts_with("image:")
            || line.starts_with("(photo")
            || line.ends_with("/getty images")
            || line.ends_with("getty images)")
            || (line.contains("photo/") && line.ends_with(')'))
            || line.starts_with("file photo"))
}

/// Deeper nesting than this is not read through the DOM.
const MAX_NESTING: usize = 400;

/// Elements that have no end tag, or whose end tag pages often leave out.
const UNCLOSED: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "td", "tr", "th", "option", "dt", "dd",
];

/// An estimate of the deepest element nesting, from the tags alone (no DOM is built).
fn nesting_depth(html: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(offset) = html[i..].find('<') {
        let start = i + offset + 1;
        let Some(&first) = bytes.get(start) else {
            break;
        };
        let end = html[start..].find('>').map_or(bytes.len(), |e| start + e);
        let closing = first == b'/';
        let name_start = if closing { start + 1 } else { start };
        let name: String = html[name_start..end]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !name.is_empty() && !UNCLOSED.contains(&name.as_str()) {
            if closing {
                depth = depth.saturating_sub(1);
            } else if !html[start..end].ends_with('/') {
                depth += 1;
                max = max.max(depth);
            }
        }
        i = end.min(bytes.len());
        if i >= bytes.len() {
            break;
        }
    }
    max
}

/// Text from HTML without building a DOM: tags dropped (block tags become line breaks),
/// script and style bodies skipped, common entities decoded.
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        let gt = rest.find('>').map_or(rest.len(), |g| g + 1);
        let tag = rest[..gt].to_ascii_lowercase();
        rest = &rest[gt..];
        for skipped in ["script", "style"] {
            if tag.starts_with(&format!("<{skipped}")) {
                let close = format!("</{skipped}");
                let end = rest.to_ascii_lowercase().find(&close).unwrap_or(rest.len());
                rest = &rest[end..];
            }
        }
        let block = [
            "<p", "</p", "<br", "<div", "</div", "<li", "<h1", "<h2", "<h3", "<tr", "</h",
        ];
        if block.iter().any(|b| tag.starts_with(b)) {
            out.push('\n');
        }
    }
    out.push_str(rest);
    let text = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    tidy_text(&lines.join("\n"))
}

/// The text of an HTML fragment (a feed item's description), paragraphs kept apart.
pub fn html_to_text(fragment: &str) -> String {
    if nesting_depth(fragment) > MAX_NESTING {
        return strip_tags(fragment);
    }
    let result = catch_unwind(AssertUnwindSafe(|| {
        let dom = Dom::from(format!("<html><body>{fragment}</body></html>"));
        dom.select(BOILERPLATE_SELECTORS).remove();
        dom.select("body").formatted_text().to_string()
    }));
    tidy_text(&result.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html><head>
<title>Hospital hit in Idlib | The Ledger</title>
<meta property="og:title" content="Hospital hit in Idlib">
<meta property="article:published_time" content="2026-03-04T07:30:00Z">
<link rel="canonical" href="https://ledger.example/idlib-hospital">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<div class="share"><button>Share</button><a>Tweet</a></div>
<article>
<h1>Hospital hit in Idlib</h1>
<figure><img src="a.jpg"><figcaption>Smoke rises over the town. (Photo/Staff)</figcaption></figure>
<p>An airstrike hit the surgical hospital in Kafr Nabl overnight, killing at least seven people, the facility's director said on Wednesday.</p>
<p>Rescue workers said two nurses were among the dead and that the building's ground floor had collapsed after the strike.</p>
<p>The ceasefire monitoring cell said it had received the coordinates of the hospital from its operators in January.</p>
<p>More Coverage</p>
</article>
<footer>Copyright The Ledger</footer>
</body></html>"#;

    #[test]
    fn extracts_article_text_and_metadata() {
        let r = parse(PAGE, ContentHash::of(PAGE.as_bytes()), None).unwrap();
        assert!(
            r.text
                .contains("An airstrike hit the surgical hospital in Kafr Nabl"),
            "{}",
            r.text
        );
        assert!(r.text.contains("coordinates of the hospital"));
        for junk in ["Home", "Tweet", "More Coverage", "Copyright", "Smoke rises"] {
            assert!(!r.text.contains(junk), "{junk:?} left in {:?}", r.text);
        }
        assert_eq!(r.published, chrono::NaiveDate::from_ymd_opt(2026, 3, 4));
        assert_eq!(
            r.url.as_deref(),
            Some("https://ledger.example/idlib-hospital")
        );
        assert!(r.title.unwrap().contains("Hospital hit in Idlib"));
    }

    #[test]
    fn repeated_caption_paragraphs_are_dropped() {
        let text = "Smoke over the old market after the strike, seen from the roof.\nBody text.\nSmoke over the old market after the strike, seen from the roof.";
        assert_eq!(
            drop_boilerplate_lines(text),
            "Smoke over the old market after the strike, seen from the roof.\nBody text."
        );
    }

    #[test]
    fn truncated_page_still_yields_its_text() {
        let html =
            "<html><body><p>Shelling hit the eastern districts of Deir ez-Zor on Tuesday and";
        let r = parse(html, ContentHash::of(html.as_bytes()), None).unwrap();
        assert!(
            r.text.starts_with("Shelling hit the eastern districts"),
            "{}",
            r.text
        );
    }

    #[test]
    fn page_without_text_fails() {
        let html = "<html><body><nav>Home</nav><img src=x></body></html>";
        assert_eq!(
            parse(html, ContentHash::of(b"x"), None).unwrap_err(),
            ReadError::NoText("HTML page")
        );
    }

    #[test]
    fn hostile_nesting_is_read_without_a_dom() {
        let html = format!(
            "<html><body>{}Shelling in Homs.{}</body></html>",
            "<div>".repeat(5000),
            "</div>".repeat(5000)
        );
        assert!(nesting_depth(&html) > MAX_NESTING);
        let r = parse(&html, ContentHash::of(b"n"), None).unwrap();
        assert_eq!(r.text, "Shelling in Homs.");
        assert!(nesting_depth(PAGE) < 20);
    }

    #[test]
    fn strip_tags_keeps_blocks_apart_and_drops_scripts() {
        let html = "<p>One &amp; two</p><script>var x = '<p>';</script><p>Three</p>";
        assert_eq!(strip_tags(html), "One & two\n\nThree");
    }

    #[test]
    fn fragments_keep_paragraphs() {
        assert_eq!(
            html_to_text("<p>One &amp; two.</p><p>Three.</p>"),
            "One & two.\n\nThree."
        );
    }
}
