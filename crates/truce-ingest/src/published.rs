//! Publication dates from metadata strings and datelines.

use chrono::{DateTime, NaiveDate};

/// The month (1-12) a word names: full names and three-letter abbreviations, any case, with an
/// optional trailing dot ("Sept." too).
pub use truce_model::calendar::month_number;

/// Parses a date as metadata writes it: RFC 3339 / ISO 8601 (`2016-04-28`,
/// `2016-04-28T06:12:00Z`), RFC 2822 (`Thu, 28 Apr 2016 06:12:00 +0000`), `2016/04/28`,
/// `April 28, 2016`, `28 April 2016`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.date_naive());
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt.date_naive());
    }
    if s.len() >= 10 && s.is_char_boundary(10) {
        let head = &s[..10];
        for fmt in ["%Y-%m-%d", "%Y/%m/%d"] {
            if let Ok(date) = NaiveDate::parse_from_str(head, fmt) {
                return Some(date);
            }
        }
    }
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    date_in_words(&words).map(|(date, _)| date)
}

/// A month-name date at the start of `words` (after an optional weekday): `April 28 2016`
/// or `28 April 2016`. Returns the date and how many words it used.
fn date_in_words(words: &[&str]) -> Option<(NaiveDate, usize)> {
    let skip = usize::from(words.first().is_some_and(|w| is_weekday(w)));
    let w = &words[skip.min(words.len())..];
    if w.len() < 3 {
        return None;
    }
    let day = |s: &str| {
        let digits = s.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
        digits.parse::<u32>().ok().filter(|d| (1..=31).contains(d))
    };
    let year = |s: &str| {
        s.trim_end_matches('.')
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=2100).contains(y))
    };
    let (m, d, y) = if let Some(m) = month_number(w[0]) {
        (m, day(w[1])?, year(w[2])?)
    } else {
        (month_number(w[1])?, day(w[0])?, year(w[2])?)
    };
    NaiveDate::from_ymd_opt(y, m, d).map(|date| (date, skip + 3))
}

fn is_weekday(word: &str) -> bool {
    let w = word.trim_end_matches([',', '.']).to_ascii_lowercase();
    truce_model::calendar::WEEKDAYS
        .iter()
        .any(|d| *d == w || (w.len() == 3 && d.starts_with(&w)))
}

/// The date of a dateline at the top of a report: a full date (with year) early in its first
/// line, before the first sentence ends, as in `ALEPPO, Syria, April 28, 2016 (Reuters) -` or
/// `28 April 2016 - Field report`. When the first line is a headline (it does not end like a
/// sentence), the second line is read too.
pub fn dateline_date(text: &str) -> Option<NaiveDate> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next()?;
    if let Some(date) = date_in_line(first) {
        return Some(date);
    }
    if first.ends_with(['.', '!', '?', '"', '”']) {
        return None;
    }
    lines.next().and_then(date_in_line)
}

fn date_in_line(line: &str) -> Option<NaiveDate> {
    let mut head: String = line.chars().take(200).collect();
    if let Some(end) = head.find(". ") {
        head.truncate(end);
    }
    let words: Vec<&str> = head
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '-' | '–' | '—' | ':'))
        .filter(|w| !w.is_empty())
        .collect();
    for i in 0..words.len() {
        if let Some((date, _)) = date_in_words(&words[i..]) {
            return Some(date);
        }
    }
    iso_date_in(&head)
}

/// The first `YYYY-MM-DD` in `s` that is a real date.
fn iso_date_in(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(9)).find_map(|i| {
        let w = &b[i..i + 10];
        let shape = w.iter().enumerate().all(|(j, c)| match j {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
        let bounded = (i == 0 || !b[i - 1].is_ascii_digit())
            && b.get(i + 10).is_none_or(|c| !c.is_ascii_digit());
        (shape && bounded)
            .then(|| NaiveDate::parse_from_str(std::str::from_utf8(w).ok()?, "%Y-%m-%d").ok())
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn metadata_formats() {
        let cases = [
            ("2016-04-28", d(2016, 4, 28)),
            ("2016-04-28T23:10:00+03:00", d(2016, 4, 28)),
            ("Thu, 28 Apr 2016 06:12:00 +0000", d(2016, 4, 28)),
            ("2016/04/28", d(2016, 4, 28)),
            ("April 28, 2016", d(2016, 4, 28)),
            ("28 April 2016", d(2016, 4, 28)),
            ("Sept. 3, 2015", d(2015, 9, 3)),
            ("Thursday, April 28, 2016", d(2016, 4, 28)),
            ("yesterday", None),
            ("2016-02-30", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_date(input), expected, "{input:?}");
        }
    }

    #[test]
    fn datelines() {
        let cases = [
            (
                "ALEPPO, Syria, April 28, 2016 (Reuters) - An airstrike hit...",
                d(2016, 4, 28),
            ),
            ("August 1 2011 Factbox: the city of Hama", d(2011, 8, 1)),
            (
                "3 March 2026 — Field monitors in Idlib report",
                d(2026, 3, 3),
            ),
            ("GENEVA (AP) — 2016-04-28 — Talks stalled.", d(2016, 4, 28)),
            (
                "An airstrike hit a clinic.\nOn April 28, 2016 the ...",
                None,
            ),
            ("No date here at all", None),
            (
                "Clinic hit\n\nIDLIB, March 3, 2026 - A clinic",
                d(2026, 3, 3),
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(dateline_date(input), expected, "{input:?}");
        }
    }
}
