//! Dates in report text, resolved against the publication date.
//!
//! Explicit dates ("April 28, 2016", "28 April", "2016-04-28") are read as written; a date
//! without a year takes the publication's year, or the year before when that would put it in
//! the future. Relative expressions are resolved backwards from the publication date, as news
//! uses them: "on Thursday" is the last Thursday on or before publication, "yesterday" the day
//! before, "overnight" and "last night" the night before, "last week" a week before (ACLED time
//! precision 2), "earlier this month" the month (precision 3).

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::text::{Shape, Tokens};

/// A date expression found in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    /// Its words.
    pub tokens: std::ops::Range<usize>,
    /// The (first) date it means.
    pub date: NaiveDate,
    /// The last date of a range ("overnight": the night spans two dates).
    pub date_end: Option<NaiveDate>,
    /// ACLED time precision: 1 day, 2 week, 3 month.
    pub precision: u8,
}

fn month(word: &str) -> Option<u32> {
    truce_model::calendar::month_number(word)
}

fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" | "mon" => Weekday::Mon,
        "tuesday" | "tue" | "tues" => Weekday::Tue,
        "wednesday" | "wed" => Weekday::Wed,
        "thursday" | "thu" | "thurs" => Weekday::Thu,
        "friday" | "fri" => Weekday::Fri,
        "saturday" | "sat" => Weekday::Sat,
        "sunday" | "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// A day number, possibly ordinal: `28`, `28th`, `1st`.
fn number(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &word[digits.len()..];
    let ordinal = matches!(suffix, "" | "st" | "nd" | "rd" | "th");
    (!digits.is_empty() && digits.len() <= 2 && ordinal)
        .then(|| digits.parse().ok())
        .flatten()
}

fn year(word: &str) -> Option<i32> {
    (word.len() == 4)
        .then(|| word.parse::<i32>().ok())
        .flatten()
        .filter(|y| (1900..=2100).contains(y))
}

/// The latest day on or before `published` that is `wd`.
fn last_weekday(published: NaiveDate, wd: Weekday, strictly_before: bool) -> NaiveDate {
    let back = (published.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
    let back = if back == 0 && strictly_before {
        7
    } else {
        back
    };
    published - Duration::days(i64::from(back))
}

/// Every date expression in `tokens`, resolved against `published` where needed.
pub fn find_dates(tokens: &Tokens, published: Option<NaiveDate>) -> Vec<DateMention> {
    let mut out = Vec::new();
    let n = tokens.len();
    let w = |i: usize| if i < n { tokens.folded(i) } else { "" };
    let mut i = 0;
    while i < n {
        let word = w(i);
        // ISO: 2016-04-28 (three words joined by hyphens).
        if let Some(y) = year(word)
            && i + 2 < n
            && tokens.list[i + 1].hyphen_before
            && tokens.list[i + 2].hyphen_before
            && let (Some(m), Some(d)) = (number(w(i + 1)), number(w(i + 2)))
            && let Some(date) = NaiveDate::from_ymd_opt(y, m, d)
        {
            out.push(DateMention {
                tokens: i..i + 3,
                date,
                date_end: None,
                precision: 1,
            });
            i += 3;
            continue;
        }
        // Month Day (Year) / Day Month (Year).
        let month_first =
            month(word).filter(|_| tokens.list[i].shape != Shape::Lower || word.len() > 3);
        if let Some(m) = month_first
            && let Some(d) = number(w(i + 1)).filter(|d| (1..=31).contains(d))
            && i + 1 < n
        {
            let (y, len) = match year(w(i + 2)) {
                Some(y) => (Some(y), 3),
                None => (None, 2),
            };
            if let Some(date) = complete(m, d, y, published) {
                out.push(DateMention {
                    tokens: i..i + len,
                    date,
                    date_end: None,
                    precision: 1,
                });
                i += len;
                continue;
            }
        }
        if let Some(d) = number(word).filter(|d| (1..=31).contains(d))
            && i + 1 < n
            && let Some(m) = month(w(i + 1)).filter(|_| tokens.list[i + 1].shape != Shape::Lower)
        {
            let (y, len) = match year(w(i + 2)) {
                Some(y) => (Some(y), 3),
                None => (None, 2),
            };
            if let Some(date) = complete(m, d, y, published) {
                out.push(DateMention {
                    tokens: i..i + len,
                    date,
                    date_end: None,
                    precision: 1,
                });
                i += len;
                continue;
            }
        }
        let Some(pub_date) = published else {
            i += 1;
            continue;
        };
        // Weekdays: "on Thursday", "late Saturday night", "last Friday".
        if let Some(wd) = weekday(word).filter(|_| tokens.list[i].shape != Shape::Lower) {
            let last = i > 0 && w(i - 1) == "last";
            let next = i > 0 && w(i - 1) == "next";
            if !next {
                let date = last_weekday(pub_date, wd, last);
                let night = matches!(w(i + 1), "night") && date < pub_date;
                let date_end = night.then(|| date + Duration::days(1));
                out.push(DateMention {
                    tokens: i..i + 1,
                    date,
                    date_end,
                    precision: 1,
                });
            }
            i += 1;
            continue;
        }
        let rel: Option<(usize, NaiveDate, Option<NaiveDate>, u8)> =
            match (word, w(i + 1), w(i + 2)) {
                ("yesterday", ..) => Some((1, pub_date - Duration::days(1), None, 1)),
                ("today", ..) | ("tonight", ..) => Some((1, pub_date, None, 1)),
                ("this", "morning" | "afternoon" | "evening", _) => Some((2, pub_date, None, 1)),
                ("last", "night", _) => Some((2, pub_date - Duration::days(1), Some(pub_date), 1)),
                ("overnight", ..) => Some((1, pub_date - Duration::days(1), Some(pub_date), 1)),
                ("last", "week", _) => Some((2, pub_date - Duration::days(7), None, 2)),
                ("earlier", "this", "week") | ("this", "week", _) => Some((
                    if word == "this" { 2 } else { 3 },
                    last_weekday(pub_date, Weekday::Mon, false),
                    None,
                    2,
                )),
                ("last", "month", _) => {
                    let first = pub_date.with_day(1).unwrap_or(pub_date) - Duration::days(1);
                    Some((2, first.with_day(1).unwrap_or(first), None, 3))
                }
                ("earlier", "this", "month") | ("this", "month", _) => Some((
                    if word == "this" { 2 } else { 3 },
                    pub_date.with_day(1).unwrap_or(pub_date),
                    None,
                    3,
                )),
                _ => None,
            };
        if let Some((len, date, date_end, precision)) = rel {
            out.push(DateMention {
                tokens: i..i + len,
                date,
                date_end,
                precision,
            });
            i += len;
            continue;
        }
        // "3 days ago", "two days ago".
        if w(i + 2) == "ago" && matches!(w(i + 1), "days" | "day") {
            let count = number(word).or_else(|| small_number_word(word));
            if let Some(k) = count.filter(|k| *k <= 31) {
                out.push(DateMention {
                    tokens: i..i + 3,
                    date: pub_date - Duration::days(i64::from(k)),
                    date_end: None,
                    precision: 1,
                });
                i += 3;
                continue;
            }
        }
        i += 1;
    }
    out
}

fn small_number_word(word: &str) -> Option<u32> {
    const WORDS: [&str; 11] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS.iter().position(|w| *w == word).map(|i| i as u32)
}

/// A calendar date from its parts; without a year, the publication's year (or the one before,
/// when the date would otherwise lie more than two days after publication).
fn complete(m: u32, d: u32, y: Option<i32>, published: Option<NaiveDate>) -> Option<NaiveDate> {
    match (y, published) {
        (Some(y), _) => NaiveDate::from_ymd_opt(y, m, d),
        (None, Some(p)) => {
            let this_year = NaiveDate::from_ymd_opt(p.year(), m, d)?;
            if this_year > p + Duration::days(2) {
                NaiveDate::from_ymd_opt(p.year() - 1, m, d)
            } else {
                Some(this_year)
            }
        }
        (None, None) => None,
    }
}

/// Years mentioned in the text (for telling background from news).
pub fn years(tokens: &Tokens) -> Vec<(usize, i32)> {
    (0..tokens.len())
        .filter_map(|i| year(tokens.folded(i)).map(|y| (i, y)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn first(text: &str, published: NaiveDate) -> Option<(NaiveDate, Option<NaiveDate>, u8)> {
        let t = tokenize(text);
        find_dates(&t, Some(published))
            .first()
            .map(|m| (m.date, m.date_end, m.precision))
    }

    #[test]
    fn relative_dates_resolve_backwards_from_publication() {
        // 2016-04-28 was a Thursday.
        let p = d(2016, 4, 28);
        let cases = [
            ("It happened on Thursday.", Some((d(2016, 4, 28), None, 1))),
            ("It happened on Wednesday.", Some((d(2016, 4, 27), None, 1))),
            ("It happened on Friday.", Some((d(2016, 4, 22), None, 1))),
            (
                "It happened last Thursday.",
                Some((d(2016, 4, 21), None, 1)),
            ),
            (
                "Late Tuesday night a strike",
                Some((d(2016, 4, 26), Some(d(2016, 4, 27)), 1)),
            ),
            ("It happened yesterday.", Some((d(2016, 4, 27), None, 1))),
            (
                "An overnight strike",
                Some((d(2016, 4, 27), Some(d(2016, 4, 28)), 1)),
            ),
            (
                "Last night warplanes",
                Some((d(2016, 4, 27), Some(d(2016, 4, 28)), 1)),
            ),
            ("Shelling last week", Some((d(2016, 4, 21), None, 2))),
            ("earlier this month", Some((d(2016, 4, 1), None, 3))),
            ("three days ago", Some((d(2016, 4, 25), None, 1))),
            ("They will meet next Monday.", None),
            ("We may go.", None),
        ];
        for (text, expected) in cases {
            assert_eq!(first(text, p), expected, "{text}");
        }
    }

    #[test]
    fn explicit_dates_in_common_formats() {
        let p = d(2016, 4, 28);
        assert_eq!(first("On April 27, 2016 the", p).unwrap().0, d(2016, 4, 27));
        assert_eq!(first("On 27 April 2016 the", p).unwrap().0, d(2016, 4, 27));
        assert_eq!(first("On 2016-04-27 the", p).unwrap().0, d(2016, 4, 27));
        assert_eq!(first("On April 27 the", p).unwrap().0, d(2016, 4, 27));
        // A day-month after publication means last year.
        assert_eq!(first("On December 30 the", p).unwrap().0, d(2015, 12, 30));
    }
}
