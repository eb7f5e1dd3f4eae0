//! JSON and JSONL records: `{"id"?, "text", "title"?, "url"?, "published"?}`.
//!
//! Other keys are ignored, so evaluation files (which carry `gold`) ingest as they are. A
//! record that breaks the schema fails alone, named by its line or position.

use serde::Deserialize;
use serde_json::Value;
use truce_model::ContentHash;

use super::{ParsedReport, PartFailure, tidy_text};
use crate::ReadError;
use crate::published::parse_date;

#[derive(Deserialize)]
struct Record {
    id: Option<Value>,
    text: Option<Value>,
    title: Option<Value>,
    url: Option<Value>,
    published: Option<Value>,
}

/// Reads a JSON file: one record, an array of records, or an object holding an array under
/// `documents`, `records`, `items` or `reports`.
pub(super) fn parse_json(text: &str) -> Result<Vec<Result<ParsedReport, PartFailure>>, ReadError> {
    let value: Value = serde_json::from_str(text).map_err(|e| ReadError::Malformed {
        format: "JSON",
        detail: e.to_string(),
    })?;
    let records = match value {
        Value::Array(items) => items,
        Value::Object(mut map) => {
            let list = ["documents", "records", "items", "reports"]
                .iter()
                .find_map(|k| match map.remove(*k) {
                    Some(Value::Array(items)) if !map.contains_key("text") => Some(items),
                    _ => None,
                });
            match list {
                Some(items) => items,
                None => {
                    let value = Value::Object(map);
                    let bytes = serde_json::to_vec(&value).unwrap_or_default();
                    return Ok(vec![record(value, &bytes, None)]);
                }
            }
        }
        _ => {
            return Err(ReadError::Malformed {
                format: "JSON",
                detail: "expected an object with \"text\" or an array of such objects".into(),
            });
        }
    };
    if records.is_empty() {
        return Err(ReadError::NoText("JSON array (no records)"));
    }
    Ok(records
        .into_iter()
        .enumerate()
        .map(|(i, value)| {
            let bytes = serde_json::to_vec(&value).unwrap_or_default();
            record(value, &bytes, Some(format!("record {}", i + 1)))
        })
        .collect())
}

/// Reads a JSONL file, one record a line; blank lines are skipped.
pub(super) fn parse_jsonl(text: &str) -> Vec<Result<ParsedReport, PartFailure>> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            let part = format!("line {}", i + 1);
            let line = line.trim_end_matches('\r');
            match serde_json::from_str::<Value>(line) {
                Ok(value) => record(value, line.as_bytes(), Some(part)),
                Err(e) => Err(PartFailure {
                    part,
                    content_hash: ContentHash::of(line.as_bytes()),
                    error: ReadError::Malformed {
                        format: "JSONL line",
                        detail: e.to_string(),
                    },
                }),
            }
        })
        .collect()
}

fn record(value: Value, bytes: &[u8], part: Option<String>) -> Result<ParsedReport, PartFailure> {
    let content_hash = ContentHash::of(bytes);
    let fail = |detail: String| PartFailure {
        part: part.clone().unwrap_or_else(|| "record".into()),
        content_hash,
        error: ReadError::Malformed {
            format: "JSON record",
            detail,
        },
    };
    let record: Record = match value {
        Value::Object(_) => serde_json::from_value(value).map_err(|e| fail(e.to_string()))?,
        other => return Err(fail(format!("expected an object, found {}", kind(&other)))),
    };
    let text = match record.text {
        Some(Value::String(s)) => tidy_text(&s),
        Some(Value::Null) | None => return Err(fail("no \"text\" field".into())),
        Some(other) => {
            return Err(fail(format!(
                "\"text\" must be a string, found {}",
                kind(&other)
            )));
        }
    };
    if text.is_empty() {
        return Err(PartFailure {
            part: part.unwrap_or_else(|| "record".into()),
            content_hash,
            error: ReadError::NoText("record (\"text\" is empty)"),
        });
    }
    let string = |field: &str, v: Option<Value>| -> Result<Option<String>, PartFailure> {
        match v {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
            Some(Value::Number(n)) if field == "id" => Ok(Some(n.to_string())),
            Some(other) => Err(fail(format!(
                "{field:?} must be a string, found {}",
                kind(&other)
            ))),
        }
    };
    let published = match string("published", record.published)? {
        None => None,
        Some(s) => Some(parse_date(&s).ok_or_else(|| {
            fail(format!(
                "\"published\" is {s:?}, not a date (YYYY-MM-DD expected)"
            ))
        })?),
    };
    Ok(ParsedReport {
        external_id: string("id", record.id)?,
        title: string("title", record.title)?,
        url: string("url", record.url)?,
        part,
        content_hash,
        published,
        text,
    })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_keeps_ids_and_fails_bad_lines_alone() {
        let input = "{\"id\": \"r1\", \"text\": \"Shelling in Homs.\", \"published\": \"2016-04-28\", \"gold\": {}}\n\
                     not json\n\n\
                     {\"id\": 7, \"text\": \"Clashes near Hama.\"}\n\
                     {\"text\": 5}\n\
                     {\"text\": \"x\", \"published\": \"last week\"}\n";
        let out = parse_jsonl(input);
        assert_eq!(out.len(), 5);
        let first = out[0].as_ref().unwrap();
        assert_eq!(first.external_id.as_deref(), Some("r1"));
        assert_eq!(
            first.published,
            chrono::NaiveDate::from_ymd_opt(2016, 4, 28)
        );
        assert_eq!(first.part.as_deref(), Some("line 1"));
        assert_eq!(out[1].as_ref().unwrap_err().part, "line 2");
        assert_eq!(out[2].as_ref().unwrap().external_id.as_deref(), Some("7"));
        assert_eq!(out[2].as_ref().unwrap().part.as_deref(), Some("line 4"));
        let err = out[3].as_ref().unwrap_err().error.to_string();
        assert!(err.contains("\"text\" must be a string"), "{err}");
        let err = out[4].as_ref().unwrap_err().error.to_string();
        assert!(err.contains("not a date"), "{err}");
    }

    #[test]
    fn json_array_and_single_object() {
        let many = parse_json("[{\"text\": \"a\"}, {\"text\": \"b\"}]").unwrap();
        assert_eq!(many.len(), 2);
        assert_eq!(many[1].as_ref().unwrap().part.as_deref(), Some("record 2"));
        let one = parse_json("{\"text\": \"a\", \"title\": \"T\"}").unwrap();
        assert_eq!(one[0].as_ref().unwrap().title.as_deref(), Some("T"));
        let wrapped = parse_json("{\"documents\": [{\"text\": \"a\"}]}").unwrap();
        assert_eq!(wrapped.len(), 1);
        assert!(parse_json("42").is_err());
        assert!(parse_json("{\"text\": ").is_err());
    }
}
