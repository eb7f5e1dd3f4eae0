//! An incident's history in words: each audit-log entry as a reader reads it ("reviewed:
//! confirmed, grade fair: three outlets agree"), not as the log keeps it (`review.add`
//! `{"status": ...}`). The entry's action stays beside the words for those who check the log.

use serde_json::Value;
use truce_model::AuditEntry;

/// One line of an incident's history.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryLine {
    /// When (`YYYY-MM-DD HH:MM` UTC).
    pub at: String,
    /// Who.
    pub who: String,
    /// What they did, in words.
    pub what: String,
    /// The log's name for it (`review.add`).
    pub action: String,
}

/// A text field of the detail, or nothing.
fn text<'a>(d: &'a Value, key: &str) -> Option<&'a str> {
    d.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// `: “words”`, or nothing.
fn quoted(d: &Value, key: &str) -> String {
    text(d, key).map_or(String::new(), |t| format!(": “{t}”"))
}

/// A value as shown: text as itself, nothing as "none", anything else as compact JSON.
fn shown(v: &Value) -> String {
    match v {
        Value::Null => "none".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Describes one entry.
pub fn describe(e: &AuditEntry) -> HistoryLine {
    let d: Value = serde_json::from_str(&e.detail).unwrap_or(Value::Null);
    let what = match e.action.as_str() {
        "review.add" => {
            let grade = text(&d, "grade").map_or(String::new(), |g| format!(", grade {g}"));
            format!(
                "reviewed it: {}{grade}{}",
                text(&d, "status").unwrap_or("?"),
                quoted(&d, "note")
            )
        }
        "incident.correct" => format!(
            "corrected {}: {} → {}{}",
            text(&d, "field").unwrap_or("a field"),
            d.get("old").map_or("none".into(), shown),
            d.get("new").map_or("none".into(), shown),
            quoted(&d, "reason")
        ),
        "incident.retract" => format!("retracted it{}", quoted(&d, "reason")),
        "incident.decide" => {
            let n = d
                .get("decisions")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            format!(
                "decided how its reports group ({n} decision{}){}",
                if n == 1 { "" } else { "s" },
                quoted(&d, "note")
            )
        }
        "incidents.write" => "the record was written again from its reports".into(),
        "message.post" => format!("posted a message{}", quoted(&d, "body")),
        "case.open" => "opened the case file".into(),
        "case.submit" => format!(
            "{} submitted{}",
            text(&d, "party").unwrap_or("a party"),
            quoted(&d, "body")
        ),
        "case.rfi" => format!(
            "asked {}{}{}",
            text(&d, "party").unwrap_or("a party"),
            quoted(&d, "question"),
            text(&d, "deadline").map_or(String::new(), |t| format!(" (answer by {t})"))
        ),
        "case.answer" => format!("answered a request for information{}", quoted(&d, "answer")),
        "case.rule" => format!(
            "ruled: {}{}",
            text(&d, "ruling").unwrap_or("?"),
            quoted(&d, "note")
        ),
        "case.publish" => "published the ruling".into(),
        _ => match &d {
            Value::Object(m) if m.is_empty() => e.action.clone(),
            Value::Null => e.action.clone(),
            other => format!("{}: {other}", e.action),
        },
    };
    HistoryLine {
        at: e
            .at
            .get(..16)
            .map_or_else(|| e.at.clone(), |t| t.replace('T', " ")),
        who: e.actor.clone(),
        what,
        action: e.action.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str, detail: &str) -> AuditEntry {
        AuditEntry {
            seq: 1,
            at: "2026-03-05T09:12:44Z".into(),
            actor: "monitor".into(),
            action: action.into(),
            subject: "incident:12".into(),
            detail: detail.into(),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    #[test]
    fn entries_read_as_words() {
        let rows = [
            (
                "review.add",
                r#"{"status": "confirmed", "grade": "fair", "note": "three outlets agree"}"#,
                "reviewed it: confirmed, grade fair: “three outlets agree”",
            ),
            (
                "review.add",
                r#"{"status": "disputed", "grade": null, "note": ""}"#,
                "reviewed it: disputed",
            ),
            (
                "incident.correct",
                r#"{"field": "fatalities.low", "old": "4", "new": "7", "reason": "hospital register"}"#,
                "corrected fatalities.low: 4 → 7: “hospital register”",
            ),
            (
                "incident.retract",
                r#"{"field": null, "old": null, "new": null, "reason": "a hoax"}"#,
                "retracted it: “a hoax”",
            ),
            (
                "case.rule",
                r#"{"ruling": "violation", "note": "both accounts heard"}"#,
                "ruled: violation: “both accounts heard”",
            ),
            (
                "case.rfi",
                r#"{"rfi": 3, "party": "Military Forces of Syria", "question": "Which units?", "deadline": "2026-03-12"}"#,
                "asked Military Forces of Syria: “Which units?” (answer by 2026-03-12)",
            ),
            ("case.publish", "{}", "published the ruling"),
            ("something.new", r#"{"x": 1}"#, r#"something.new: {"x":1}"#),
            ("something.new", "not json", "something.new"),
        ];
        for (action, detail, expected) in rows {
            let line = describe(&entry(action, detail));
            assert_eq!(line.what, expected, "{action} {detail}");
            assert_eq!(line.at, "2026-03-05 09:12");
            assert_eq!(line.action, action);
        }
    }
}
