//! A CSV file's header and rows: columns found by name in any case, under any of the names the
//! datasets have given them over the years, and each row checked to be as wide as the header.

use std::io::Read;

use super::ImportError;

/// The header of a file.
pub(super) struct Columns {
    headers: csv::StringRecord,
}

/// A column found: where it is and the name the file gives it (for messages).
#[derive(Debug, Clone)]
pub(super) struct Column {
    index: usize,
    /// As the header spells it.
    pub(super) name: String,
}

impl Columns {
    /// The column of any of `names` (the first the header has), in any case.
    pub(super) fn find(&self, names: &[&str]) -> Option<Column> {
        names.iter().find_map(|name| {
            let index = self.headers.iter().position(|h| {
                h.trim_start_matches('\u{feff}')
                    .trim()
                    .eq_ignore_ascii_case(name)
            })?;
            Some(Column {
                index,
                name: self.headers[index]
                    .trim_start_matches('\u{feff}')
                    .trim()
                    .to_string(),
            })
        })
    }

    /// [`Columns::find`], or an error saying the file is not of `format`.
    pub(super) fn need(&self, names: &[&str], format: &str) -> Result<Column, ImportError> {
        self.find(names).ok_or_else(|| {
            ImportError::Format(format!(
                "not a file of {format}: the header has no {:?} column",
                names[0]
            ))
        })
    }
}

/// A row with its line number, or why it does not fit.
pub(super) type CheckedRow = Result<(u64, csv::StringRecord), ImportError>;

/// The header's columns and the rows after it, each with its line number, checked to have as
/// many fields as the header.
pub(super) fn open<R: Read>(
    input: R,
) -> Result<(Columns, impl Iterator<Item = CheckedRow>), ImportError> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(input);
    let headers = r
        .headers()
        .map_err(|e| ImportError::Format(format!("not CSV: {e}")))?
        .clone();
    let width = headers.len();
    let rows = r.into_records().map(move |row| {
        let row = row.map_err(|e| ImportError::Format(format!("not CSV: {e}")))?;
        let line = row.position().map_or(0, |p| p.line());
        if row.len() != width {
            return Err(ImportError::Row {
                line,
                problem: format!("{} fields where the header has {width}", row.len()),
            });
        }
        Ok((line, row))
    });
    Ok((Columns { headers }, rows))
}

/// A row's field in a column (trimmed; empty when the file has no such column).
pub(super) fn field<'r>(row: &'r csv::StringRecord, column: Option<&Column>) -> &'r str {
    column
        .and_then(|c| row.get(c.index))
        .map(str::trim)
        .unwrap_or("")
}

/// A cell of `column` that cannot be read.
pub(super) fn refuse(line: u64, column: Option<&Column>, problem: String) -> ImportError {
    ImportError::cell(line, column.map_or("", |c| &c.name), problem)
}

/// A number, or nothing for an empty field; anything else is refused with its line and column.
pub(super) fn number(
    line: u64,
    row: &csv::StringRecord,
    column: Option<&Column>,
) -> Result<Option<f64>, ImportError> {
    let text = field(row, column);
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or_else(|| refuse(line, column, format!("{text:?} is not a number")))
}

/// A count of people (a whole number, not negative), or 0 for an empty field.
pub(super) fn count(
    line: u64,
    row: &csv::StringRecord,
    column: Option<&Column>,
) -> Result<u32, ImportError> {
    match number(line, row, column)? {
        None => Ok(0),
        Some(v) if v >= 0.0 && v.fract() == 0.0 && v <= f64::from(u32::MAX) => Ok(v as u32),
        Some(_) => Err(refuse(
            line,
            column,
            format!("{:?} is not a count of people", field(row, column)),
        )),
    }
}

/// A small code (1 to 9), or nothing for an empty field.
pub(super) fn code(
    line: u64,
    row: &csv::StringRecord,
    column: Option<&Column>,
) -> Result<Option<u8>, ImportError> {
    let text = field(row, column);
    if text.is_empty() {
        return Ok(None);
    }
    text.parse::<u8>()
        .ok()
        .filter(|c| (1..=9).contains(c))
        .map(Some)
        .ok_or_else(|| {
            refuse(
                line,
                column,
                format!("{text:?} is not a code of its codebook"),
            )
        })
}

/// The text, or `None` when empty.
pub(super) fn text(row: &csv::StringRecord, column: Option<&Column>) -> Option<String> {
    let t = field(row, column);
    (!t.is_empty()).then(|| t.to_string())
}
