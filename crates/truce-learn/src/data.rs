//! Training files: gold records read in place (never copied), each file known by its hash.

use std::path::Path;

use chrono::NaiveDate;
use serde_json::Value;
use truce_extract::ExtractInput;
use truce_extract::learn::TrainedOn;

use crate::LearnError;

/// One gold file with events or places, read whole.
#[derive(Debug, Clone)]
pub struct TrainingFile {
    /// Its file name (`acled.jsonl`).
    pub name: String,
    /// Lower-case hex SHA-256 of its bytes.
    pub sha256: String,
    /// Its records (JSON objects; unreadable lines are skipped).
    pub records: Vec<Value>,
}

/// Lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    truce_model::ContentHash::of(bytes).to_hex()
}

impl TrainingFile {
    /// Reads one gold file.
    pub fn read(path: &Path) -> Result<Self, LearnError> {
        let bytes = std::fs::read(path).map_err(|source| LearnError::Read {
            path: path.display().to_string(),
            source,
        })?;
        let records = String::from_utf8_lossy(&bytes)
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(Value::is_object)
            .collect();
        Ok(Self {
            name: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sha256: sha256_hex(&bytes),
            records,
        })
    }

    /// Every `.jsonl` file of a folder whose records carry gold events or gold places, in name
    /// order.
    pub fn read_dir(dir: &Path) -> Result<Vec<Self>, LearnError> {
        let entries = std::fs::read_dir(dir).map_err(|source| LearnError::Read {
            path: dir.display().to_string(),
            source,
        })?;
        let mut paths: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
            .collect();
        paths.sort();
        let mut out = Vec::new();
        for p in paths {
            let f = Self::read(&p)?;
            if f.has_gold("events") || f.has_gold("places") {
                out.push(f);
            }
        }
        if out.is_empty() {
            return Err(LearnError::NoData(format!(
                "no .jsonl file in {} has gold events or places",
                dir.display()
            )));
        }
        Ok(out)
    }

    /// Whether its records carry a non-empty gold list of this kind (`events`, `places`).
    pub fn has_gold(&self, kind: &str) -> bool {
        self.records.iter().any(|r| {
            r.get("gold")
                .and_then(|g| g.get(kind))
                .and_then(Value::as_array)
                .is_some_and(|a| !a.is_empty())
        })
    }

    /// The file as a model records it.
    pub fn trained_on(&self) -> TrainedOn {
        TrainedOn {
            file: self.name.clone(),
            sha256: self.sha256.clone(),
        }
    }
}

/// The engine's input for one gold record: its id, text and publication date.
pub fn extract_input(record: &Value) -> ExtractInput {
    ExtractInput {
        id: match record.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => String::new(),
        },
        text: record
            .get("text")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        published: record
            .get("published")
            .and_then(Value::as_str)
            .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok()),
    }
}
