//! The day of each row of an ACLED or UCDP file, in whatever form the file writes it.
//!
//! ACLED has shipped at least `2020-05-09`, `09 May 2020`, `9-May-20`, `01-January-2015`,
//! `31-12-19` and `31/12/2019`; UCDP `2019-12-31` and `2019-12-31 00:00:00.000`. Some forms read
//! one text two ways (`05/06/2019`, `19-12-31`). A day is never guessed: each text is read in
//! every form, and a reading is kept only if
//!
//! - its year is the row's `year` column, where the file has one;
//! - it is not after today (these are records of what happened);
//! - its form reads every other date of the file too, where some form does (a file is written in
//!   one form: one row's `31/12/2019` says how its `05/06/2019` reads).
//!
//! A row left with one day has it; a row left with none, or with two, is refused with its line
//! and column.

use chrono::{Datelike, NaiveDate};

use super::ImportError;

/// The forms tried, each a `chrono` format.
const FORMS: [&str; 22] = [
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.fZ",
    "%Y/%m/%d",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%d-%B-%Y",
    "%d-%b-%Y",
    "%d-%B-%y",
    "%d-%b-%y",
    "%d/%m/%Y",
    "%m/%d/%Y",
    "%d-%m-%Y",
    "%m-%d-%Y",
    "%d.%m.%Y",
    "%d/%m/%y",
    "%m/%d/%y",
    "%d-%m-%y",
    "%m-%d-%y",
    "%y-%m-%d",
];

/// Years a day of these datasets can fall in (UCDP begins in 1989, ACLED in 1997; older
/// archives are welcome, four-digit readings of two digits are not).
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// A row's date as read so far.
struct Pending {
    line: u64,
    text: String,
    /// Every (form, day) reading of the text.
    readings: Vec<(usize, NaiveDate)>,
}

/// Reads the dates of a file row by row, and settles them once all are read.
pub(super) struct DayReader {
    column: String,
    year_column: Option<String>,
    latest: NaiveDate,
    rows: Vec<Pending>,
    /// The forms that read every date so far, one bit a form.
    common: u32,
}

impl DayReader {
    /// A reader of the dates of column `column`, checked against column `year_column`.
    pub(super) fn new(column: &str, year_column: Option<&str>) -> Self {
        Self::until(
            column,
            year_column,
            chrono::Utc::now().date_naive() + chrono::Duration::days(1),
        )
    }

    /// A reader that takes no day after `latest`.
    fn until(column: &str, year_column: Option<&str>, latest: NaiveDate) -> Self {
        Self {
            column: column.to_string(),
            year_column: year_column.map(str::to_string),
            latest,
            rows: Vec::new(),
            common: (1 << FORMS.len()) - 1,
        }
    }

    /// Reads the date `text` of the row at `line`, whose year column says `year` (empty when it
    /// is blank or the file has none).
    pub(super) fn push(&mut self, line: u64, text: &str, year: &str) -> Result<(), ImportError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ImportError::cell(line, &self.column, "no date".into()));
        }
        let year = match (year.trim(), &self.year_column) {
            ("", _) | (_, None) => None,
            (y, Some(column)) => Some(
                y.parse::<i32>()
                    .map_err(|_| ImportError::cell(line, column, format!("{y:?} is not a year")))?,
            ),
        };
        let mut read = Vec::new();
        for (form, f) in FORMS.iter().enumerate() {
            if let Ok(day) = NaiveDate::parse_from_str(text, f)
                && YEARS.contains(&day.year())
            {
                read.push((form, day));
            }
        }
        if read.is_empty() {
            return Err(ImportError::cell(
                line,
                &self.column,
                format!("{text:?} is not a date"),
            ));
        }
        let readings: Vec<(usize, NaiveDate)> = read
            .iter()
            .copied()
            .filter(|(_, d)| year.is_none_or(|y| d.year() == y) && *d <= self.latest)
            .collect();
        if readings.is_empty() {
            let days = distinct(read.iter().map(|(_, d)| *d));
            let problem = match year {
                Some(y) if days.iter().all(|d| d.year() != y) => format!(
                    "{text:?} reads as {}, but column {} says {y}",
                    list(&days),
                    self.year_column.as_deref().unwrap_or("year")
                ),
                _ => format!("{text:?} reads as {}, a day still to come", list(&days)),
            };
            return Err(ImportError::cell(line, &self.column, problem));
        }
        self.common &= readings.iter().fold(0, |bits, (form, _)| bits | 1 << form);
        self.rows.push(Pending {
            line,
            text: text.to_string(),
            readings,
        });
        Ok(())
    }

    /// The day of every row pushed, in order (`YYYY-MM-DD`), or the first row whose date cannot
    /// be told.
    pub(super) fn finish(self) -> Result<Vec<String>, ImportError> {
        let mut days = Vec::with_capacity(self.rows.len());
        for row in &self.rows {
            let settled: Vec<NaiveDate> = distinct(
                row.readings
                    .iter()
                    .filter(|(form, _)| self.common == 0 || self.common & (1 << form) != 0)
                    .map(|(_, d)| *d),
            );
            match settled.as_slice() {
                [day] => days.push(day.to_string()),
                _ => {
                    return Err(ImportError::cell(
                        row.line,
                        &self.column,
                        format!(
                            "{:?} could be {}, and nothing in the file tells which (a year \
                             column, or another date written in the same form that reads one \
                             way only); refused rather than guessed",
                            row.text,
                            list(&settled)
                        ),
                    ));
                }
            }
        }
        Ok(days)
    }
}

/// The days, each once, in order.
fn distinct(days: impl Iterator<Item = NaiveDate>) -> Vec<NaiveDate> {
    let mut out: Vec<NaiveDate> = days.collect();
    out.sort();
    out.dedup();
    out
}

/// "2019-06-05 or 2019-05-06".
fn list(days: &[NaiveDate]) -> String {
    days.iter()
        .map(NaiveDate::to_string)
        .collect::<Vec<_>>()
        .join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    }

    /// The days of a file's dates, each with its year column ("" for none).
    fn read(rows: &[(&str, &str)], with_year: bool) -> Result<Vec<String>, String> {
        let mut r = DayReader::until("event_date", with_year.then_some("year"), today());
        for (k, (text, year)) in rows.iter().enumerate() {
            r.push(k as u64 + 2, text, year)
                .map_err(|e| e.to_string())?;
        }
        r.finish().map_err(|e| e.to_string())
    }

    #[test]
    fn every_form_acled_has_shipped_reads_the_same_day() {
        for (text, year) in [
            ("2020-05-09", "2020"),
            ("09 May 2020", "2020"),
            ("9 May 2020", "2020"),
            ("9-May-20", "2020"),
            ("09-May-2020", "2020"),
            ("09-May-2020", ""),
            ("2020-05-09 00:00:00.000", "2020"),
            ("9-May-20", ""),
        ] {
            assert_eq!(
                read(&[(text, year)], true),
                Ok(vec!["2020-05-09".to_string()]),
                "{text}"
            );
        }
        assert_eq!(
            read(&[("01-January-2015", "2015")], true),
            Ok(vec!["2015-01-01".into()])
        );
    }

    #[test]
    fn two_digit_years_are_read_with_the_year_column() {
        // Kenya's 31-12-19 could be 2031-12-19 by another form; the year column says 2019.
        assert_eq!(
            read(&[("31-12-19", "2019"), ("04-01-10", "2010")], true),
            Ok(vec!["2019-12-31".into(), "2010-01-04".into()])
        );
        // Without one, a day to come is no reading: 2031-12-19 is left out.
        assert_eq!(
            read(&[("31-12-19", "")], false),
            Ok(vec!["2019-12-31".into()])
        );
    }

    #[test]
    fn one_date_of_the_file_settles_the_others() {
        // 05/06/2019 alone could be either; 31/12/2019 reads day first only.
        assert_eq!(
            read(&[("05/06/2019", ""), ("31/12/2019", "")], false),
            Ok(vec!["2019-06-05".into(), "2019-12-31".into()])
        );
        assert_eq!(
            read(&[("05/06/2019", ""), ("12/31/2019", "")], false),
            Ok(vec!["2019-05-06".into(), "2019-12-31".into()])
        );
    }

    #[test]
    fn an_ambiguous_or_contradicted_date_is_refused_with_its_line_and_column() {
        let e = read(&[("05/06/2019", "2019"), ("07/08/2019", "2019")], true).unwrap_err();
        assert!(
            e.starts_with(
                "line 2, column event_date: \"05/06/2019\" could be 2019-05-06 or 2019-06-05"
            ),
            "{e}"
        );
        let e = read(&[("2019-12-31", "2018")], true).unwrap_err();
        assert_eq!(
            e,
            "line 2, column event_date: \"2019-12-31\" reads as 2019-12-31, but column year says 2018"
        );
        let e = read(&[("2019-12-31", "twenty")], true).unwrap_err();
        assert_eq!(e, "line 2, column year: \"twenty\" is not a year");
        for bad in [
            "",
            "yesterday",
            "2025-02-30",
            "0010-01-04",
            "31-31-31",
            "2099-01-01",
        ] {
            let e = read(&[(bad, "")], false).unwrap_err();
            assert!(e.starts_with("line 2, column event_date: "), "{bad}: {e}");
        }
    }
}
