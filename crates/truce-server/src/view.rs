//! What callers see of an incident: the same data for the API and the pages, redacted by role.

use serde::Serialize;
use serde_json::{Value, json};
use truce_model::correction::shown;
use truce_model::{
    Attribution, Count, DocumentId, EventRef, Grade, Incident, ReviewStatus, Role, Ruling,
};
use truce_store::{CaseFile, Correction, StoredIncident};
use utoipa::ToSchema;

use crate::access::Permission;
use crate::caller::Caller;
use crate::error::ApiError;
use crate::state::AppState;

/// Coordinates shown to the public: rounded to a tenth of a degree (about 11 km), so that a
/// protected site's exact place is not published.
pub fn coarse(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// One line of the incident list, as the caller may see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IncidentSummary {
    /// The incident's id.
    pub id: i64,
    /// When, if the reports say.
    pub date: Option<chrono::NaiveDate>,
    /// ACLED event type.
    pub event_type: String,
    /// ACLED sub-event type.
    pub sub_event_type: Option<String>,
    /// The place's name.
    pub place: Option<String>,
    /// Its first-level area.
    pub admin1: Option<String>,
    /// Its country (ISO 3166 code).
    pub country: Option<String>,
    /// Latitude (to a tenth of a degree for the public).
    pub lat: Option<f64>,
    /// Longitude (to a tenth of a degree for the public).
    pub lon: Option<f64>,
    /// Killed: the lowest, best and highest figures reported.
    pub fatalities: Option<Count>,
    /// Who is said to be responsible (which source named whom only for those who may read the
    /// sources).
    pub perpetrators: Vec<Attribution>,
    /// What was hit (`medical`, `education`, ...).
    pub target: Option<String>,
    /// How many documents tell it.
    pub sources: usize,
    /// Its review status.
    pub status: ReviewStatus,
}

/// One line of the incident list.
pub fn summary(i: &StoredIncident, caller: &Caller) -> IncidentSummary {
    let r = &i.incident;
    let public = caller.user.is_none();
    let loc = r.location.as_ref();
    let shown = |v: f64| if public { coarse(v) } else { v };
    IncidentSummary {
        id: i.id,
        date: r.date,
        event_type: r.event_type.clone(),
        sub_event_type: r.sub_event_type.clone(),
        place: loc.map(|l| l.name.clone()),
        admin1: loc.and_then(|l| l.admin1.clone()),
        country: loc.and_then(|l| l.country.clone()),
        lat: loc.and_then(|l| l.lat).map(shown),
        lon: loc.and_then(|l| l.lon).map(shown),
        fatalities: r.fatalities,
        perpetrators: r
            .perpetrators
            .iter()
            .map(|p| {
                if caller.may(Permission::ReadSources) {
                    p.clone()
                } else {
                    Attribution {
                        named_by: Vec::new(),
                        ..p.clone()
                    }
                }
            })
            .collect(),
        target: r.target.clone(),
        sources: r.documents().len(),
        status: i.status,
    }
}

/// A stretch of a source's text, marked when it carries the event.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct Segment {
    /// The text (shown escaped).
    pub text: String,
    /// Whether it is a sentence the event was read from.
    pub mark: bool,
    /// The fields that sentence carries (`event`, `place`, `toll`, `perpetrator`, `target`).
    #[schema(value_type = Vec<String>)]
    pub fields: Vec<&'static str>,
}

/// One source event of an incident, as shown.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct SourceView {
    /// `12:0`.
    pub event: String,
    /// The document.
    pub document_id: i64,
    /// Its external id.
    pub external_id: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// Its URL.
    pub url: Option<String>,
    /// Its publication date.
    pub published: Option<String>,
    /// What this source says was killed.
    pub killed: Option<u32>,
    /// Where this source places it.
    pub place: Option<String>,
    /// The text around its sentences, marked.
    pub segments: Vec<Segment>,
}

/// A statement from one of the incident's sources.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct StatementView {
    /// Who.
    pub speaker: Option<String>,
    /// Title and organisation.
    pub role: Option<String>,
    /// What.
    pub text: String,
    /// Stance.
    pub stance: Option<String>,
    /// The document.
    pub document_id: i64,
}

/// What a role may see of an incident, and may do to it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IncidentView {
    /// Id.
    pub id: i64,
    /// Review status.
    pub status: ReviewStatus,
    /// Grade.
    pub grade: Option<Grade>,
    /// Whether it was retracted.
    pub retracted: bool,
    /// The merged record with corrections applied, as the caller may read it: coarse
    /// coordinates and no gazetteer id, sources nor claims for the public; which source said
    /// what only for those who may read the sources.
    #[schema(value_type = Incident)]
    pub incident: Value,
    /// Corrections and retractions, oldest first.
    pub corrections: Vec<CorrectionView>,
    /// How many source documents.
    pub source_count: usize,
    /// The sources (not for the public).
    pub sources: Option<Vec<SourceView>>,
    /// Related statements (not for the public).
    pub statements: Option<Vec<StatementView>>,
    /// The case file (the public sees a published ruling only).
    pub case: Option<CaseView>,
    /// What the caller may do here: `review`, `correct`, `decide`, `message`, `submit`, `ask`,
    /// `answer`, `rule`, `publish`.
    #[schema(value_type = Vec<String>)]
    pub can: Vec<&'static str>,
    /// How the incident stands against the agreement in force (not for the public).
    pub assessment: Option<AssessmentView>,
    /// Alerts it raised on protected sites (not for the public: site names).
    pub alerts: Vec<AlertView>,
}

/// A correction or retraction, as shown to whoever may read the incident (a corrected place
/// by name, never its point).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CorrectionView {
    /// Its id.
    pub id: i64,
    /// `correction` or `retraction`.
    pub kind: String,
    /// The field corrected (none for a retraction).
    pub field: Option<String>,
    /// What it read before.
    pub old: Option<String>,
    /// What it reads now.
    pub new: Option<String>,
    /// Why.
    pub reason: String,
    /// Who.
    pub by: String,
    /// When (RFC 3339).
    pub at: String,
}

impl CorrectionView {
    fn of(c: &Correction) -> Self {
        Self {
            id: c.id,
            kind: c.kind.as_str().to_string(),
            field: c.field.clone(),
            old: c.field.as_ref().map(|_| shown(c.old_value.as_deref())),
            new: c.field.as_ref().map(|_| shown(c.new_value.as_deref())),
            reason: c.reason.clone(),
            by: c.corrected_by.clone(),
            at: c.corrected_at.to_rfc3339(),
        }
    }
}

/// An incident's case file as the caller may read it; the public sees the published ruling
/// only (`ruling`, `ruling_note`, `published_at`).
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct CaseView {
    /// Who opened it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opened_by: Option<String>,
    /// When (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opened_at: Option<String>,
    /// Each party's submissions that the caller may read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parties: Option<Vec<PartySubmissions>>,
    /// Requests for information the caller may read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rfis: Option<Vec<RfiView>>,
    /// The co-chairs' ruling.
    pub ruling: Option<Ruling>,
    /// Its reasons.
    pub ruling_note: Option<String>,
    /// Who ruled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ruled_by: Option<String>,
    /// When (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ruled_at: Option<String>,
    /// When the outcome was published (RFC 3339).
    pub published_at: Option<String>,
}

/// One party's submissions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartySubmissions {
    /// The party.
    pub party: String,
    /// Its submissions, oldest first.
    pub submissions: Vec<SubmissionView>,
}

/// A party's submission.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubmissionView {
    /// Its id.
    pub id: i64,
    /// Who wrote it.
    pub author: String,
    /// What it says.
    pub body: String,
    /// When (RFC 3339).
    pub at: String,
}

/// A request for information.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RfiView {
    /// Its id.
    pub id: i64,
    /// The party asked.
    pub addressed_to: String,
    /// The question.
    pub question: String,
    /// The day by which to answer.
    pub deadline: chrono::NaiveDate,
    /// Unanswered past its deadline.
    pub overdue: bool,
    /// Who asked.
    pub asked_by: String,
    /// The answer, once given.
    pub answer: Option<String>,
    /// Who answered.
    pub answered_by: Option<String>,
    /// When (RFC 3339).
    pub answered_at: Option<String>,
}

/// An incident's assessment, as shown.
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct AssessmentView {
    /// What the incident is with respect to the agreement.
    pub verdict: truce_model::Verdict,
    /// `Name v2`, when an agreement was in force.
    pub agreement: Option<String>,
    /// Why.
    pub reasons: Vec<String>,
}

/// An alert, as shown (the site's name and distance, never its coordinates).
#[derive(Debug, Clone, Serialize, PartialEq, ToSchema)]
pub struct AlertView {
    /// "strike on a known medical facility".
    pub label: String,
    /// Why, in words.
    pub reason: String,
}

fn case_view(case: &CaseFile, public: bool) -> Option<CaseView> {
    if public {
        return case.published_at.map(|at| CaseView {
            ruling: case.ruling,
            ruling_note: case.ruling_note.clone(),
            published_at: Some(at.to_rfc3339()),
            ..CaseView::default()
        });
    }
    let mut parties: Vec<&str> = case.submissions.iter().map(|s| s.party.as_str()).collect();
    parties.sort();
    parties.dedup();
    let today = chrono::Utc::now().date_naive();
    Some(CaseView {
        opened_by: Some(case.opened_by.clone()),
        opened_at: Some(case.opened_at.to_rfc3339()),
        parties: Some(
            parties
                .iter()
                .map(|p| PartySubmissions {
                    party: p.to_string(),
                    submissions: case
                        .submissions
                        .iter()
                        .filter(|s| s.party == *p)
                        .map(|s| SubmissionView {
                            id: s.id,
                            author: s.author.clone(),
                            body: s.body.clone(),
                            at: s.submitted_at.to_rfc3339(),
                        })
                        .collect(),
                })
                .collect(),
        ),
        rfis: Some(
            case.rfis
                .iter()
                .map(|r| RfiView {
                    id: r.id,
                    addressed_to: r.addressed_to.clone(),
                    question: r.question.clone(),
                    deadline: r.deadline,
                    overdue: r.answer.is_none() && r.deadline < today,
                    asked_by: r.asked_by.clone(),
                    answer: r.answer.clone(),
                    answered_by: r.answered_by.clone(),
                    answered_at: r.answered_at.map(|t| t.to_rfc3339()),
                })
                .collect(),
        ),
        ruling: case.ruling,
        ruling_note: case.ruling_note.clone(),
        ruled_by: case.ruled_by.clone(),
        ruled_at: case.ruled_at.map(|t| t.to_rfc3339()),
        published_at: case.published_at.map(|t| t.to_rfc3339()),
    })
}

/// Splits a document's text into segments around the event's sentences.
pub fn segments(
    text: &str,
    spans: &[(usize, usize)],
    fields: impl Fn(&str) -> Vec<&'static str>,
) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<(usize, usize)> = spans
        .iter()
        .map(|&(s, e)| (s.min(chars.len()), e.min(chars.len())))
        .filter(|(s, e)| s < e)
        .collect();
    spans.sort();
    let (from, to) = match (spans.first(), spans.last()) {
        (Some(f), Some(l)) => (f.0.saturating_sub(600), (l.1 + 600).min(chars.len())),
        _ => (0, chars.len().min(1200)),
    };
    let mut out = Vec::new();
    let mut at = from;
    let piece = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    if from > 0 {
        out.push(Segment {
            text: "…".into(),
            mark: false,
            fields: vec![],
        });
    }
    for (s, e) in spans {
        if s < at {
            continue;
        }
        if s > at {
            out.push(Segment {
                text: piece(at, s),
                mark: false,
                fields: vec![],
            });
        }
        let t = piece(s, e);
        out.push(Segment {
            fields: fields(&t),
            text: t,
            mark: true,
        });
        at = e;
    }
    if to > at {
        out.push(Segment {
            text: piece(at, to),
            mark: false,
            fields: vec![],
        });
    }
    if to < chars.len() {
        out.push(Segment {
            text: "…".into(),
            mark: false,
            fields: vec![],
        });
    }
    out
}

/// Builds what a caller may see of an incident.
pub async fn incident_view(
    state: &AppState,
    caller: &Caller,
    stored: &StoredIncident,
) -> Result<IncidentView, ApiError> {
    let public = caller.user.is_none();
    let store = &state.store;
    let corrections = store.corrections(stored.id).await?;
    let st = store.incident_state(stored.id).await?;
    // The stored record is the corrected record (the store applies corrections as it writes).
    let mut record = serde_json::to_value(&stored.incident).map_err(ApiError::internal)?;
    let documents = stored.incident.documents();
    if public {
        for k in ["lat", "lon"] {
            if let Some(v) = record["location"][k].as_f64() {
                record["location"][k] = json!(coarse(v));
            }
        }
        // A gazetteer id names the exact point the rounding hides.
        if let Some(Value::Object(l)) = record.get_mut("location") {
            l.remove("geonameid");
        }
        if let Value::Object(m) = &mut record {
            m.remove("sources");
        }
    }
    if public || !caller.may(Permission::ReadSources) {
        // Which source said what names the sources: only for those who may read them.
        if let Value::Object(m) = &mut record {
            m.remove("fatalities_from");
        }
        if let Some(ps) = record["perpetrators"].as_array_mut() {
            for p in ps {
                if let Value::Object(m) = p {
                    m.remove("named_by");
                }
            }
        }
        // Who accuses and who denies, without the source event that carries it.
        if let Some(cs) = record["claims"].as_array_mut() {
            for party in cs {
                for side in ["accused_by", "denied_by", "confirmed_by"] {
                    for c in party[side].as_array_mut().into_iter().flatten() {
                        if let Value::Object(m) = c {
                            m.remove("source");
                        }
                    }
                }
            }
        }
    }
    if public && let Value::Object(m) = &mut record {
        // The public view holds the published record's fields; claims stay with the case.
        m.remove("claims");
    }
    let (sources, statements) = if caller.may(Permission::ReadSources) {
        let (s, t) = sources_of(state, &stored.incident.sources).await?;
        (Some(s), Some(t))
    } else {
        (None, None)
    };
    let case = if caller.may(Permission::ReadCase) || public {
        store
            .case_file(stored.id, &caller.reader())
            .await?
            .and_then(|c| case_view(&c, public))
    } else {
        None
    };
    let mut can = Vec::new();
    for (p, name) in [
        (Permission::Review, "review"),
        (Permission::Correct, "correct"),
        (Permission::Decide, "decide"),
        (Permission::Message, "message"),
        (Permission::Submit, "submit"),
        (Permission::AskRfi, "ask"),
        (Permission::AnswerRfi, "answer"),
        (Permission::Rule, "rule"),
        (Permission::Publish, "publish"),
    ] {
        if caller.may(p) {
            can.push(name);
        }
    }
    let (assessment, alerts) = if caller.may(Permission::ReadSources) && !public {
        let assessment = store
            .assessments(Some(&[stored.id]))
            .await?
            .into_iter()
            .next()
            .map(|a| AssessmentView {
                verdict: a.verdict,
                agreement: a
                    .agreement
                    .map(|n| truce_monitor::agreement::label(&n, a.agreement_version.unwrap_or(0))),
                reasons: a.reasons,
            });
        let alerts = truce_app::monitoring::standing_alerts(store.as_ref(), &[stored.id])
            .await?
            .into_iter()
            .map(|a| AlertView {
                reason: a.alert.reason,
                label: a.alert.label,
            })
            .collect();
        (assessment, alerts)
    } else {
        (None, Vec::new())
    };
    Ok(IncidentView {
        assessment,
        alerts,
        id: stored.id,
        status: st.as_ref().map_or(ReviewStatus::Unverified, |s| s.status),
        grade: st.as_ref().and_then(|s| s.grade),
        retracted: stored.retracted,
        incident: record,
        corrections: corrections.iter().map(CorrectionView::of).collect(),
        source_count: documents.len(),
        sources,
        statements,
        case,
        can,
    })
}

async fn sources_of(
    state: &AppState,
    refs: &[EventRef],
) -> Result<(Vec<SourceView>, Vec<StatementView>), ApiError> {
    let events = state.store.events_by_ref(refs).await?;
    let mut out = Vec::new();
    let mut statements = Vec::new();
    let mut seen_docs = Vec::new();
    for r in refs {
        let Some(e) = events
            .iter()
            .find(|e| e.document_id.0 == r.document && e.ordinal == r.ordinal)
        else {
            continue;
        };
        let doc = state.store.document(DocumentId(r.document)).await?;
        let text = doc
            .as_ref()
            .and_then(|d| d.doc.text.clone())
            .unwrap_or_default();
        let ev = &e.event;
        let place = ev.location.as_ref().map(|l| l.name.clone());
        let killed = ev.fatalities.and_then(|f| f.low.or(f.best));
        let perps: Vec<String> = ev
            .actors
            .iter()
            .filter(|a| a.role == truce_model::ActorRole::Perpetrator)
            .flat_map(|a| {
                a.name
                    .split(|c: char| !c.is_alphanumeric())
                    .map(str::to_lowercase)
                    .collect::<Vec<_>>()
            })
            .filter(|w| {
                w.len() > 3
                    && !matches!(
                        w.as_str(),
                        "forces" | "military" | "group" | "armed" | "unidentified"
                    )
            })
            .collect();
        let fields = |s: &str| {
            let lower = s.to_lowercase();
            let mut f = vec!["event"];
            if place.as_ref().is_some_and(|p| {
                let p = p.to_lowercase();
                lower.contains(&p)
                    || p.split_whitespace()
                        .last()
                        .is_some_and(|w| w.len() > 3 && lower.contains(w))
            }) {
                f.push("place");
            }
            if let Some(k) = killed
                && (lower
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| w == k.to_string())
                    || truce_model::calendar::number_word(k).is_some_and(|w| {
                        lower.split(|c: char| !c.is_alphanumeric()).any(|x| x == w)
                    }))
            {
                f.push("toll");
            }
            if perps.iter().any(|w| lower.contains(w.as_str())) {
                f.push("perpetrator");
            }
            if ev.target.is_some()
                && [
                    "hospital", "clinic", "school", "market", "bakery", "mosque", "church", "camp",
                    "convoy",
                ]
                .iter()
                .any(|w| lower.contains(w))
            {
                f.push("target");
            }
            f
        };
        let spans: Vec<(usize, usize)> = ev.evidence.iter().map(|v| (v.start, v.end)).collect();
        out.push(SourceView {
            event: r.to_string(),
            document_id: r.document,
            external_id: e.external_id.clone(),
            title: doc.as_ref().and_then(|d| d.doc.title.clone()),
            url: doc.as_ref().and_then(|d| d.doc.url.clone()),
            published: e.published.map(|p| p.to_string()),
            killed,
            place: place.clone(),
            segments: segments(&text, &spans, fields),
        });
        if !seen_docs.contains(&r.document) {
            seen_docs.push(r.document);
            if let Some(x) = state.store.extraction(DocumentId(r.document)).await? {
                for s in x.record.statements.iter().take(20) {
                    let role = match (&s.title, &s.organization) {
                        (Some(t), Some(o)) => Some(format!("{t}, {o}")),
                        (Some(t), None) => Some(t.clone()),
                        (None, Some(o)) => Some(o.clone()),
                        (None, None) => None,
                    };
                    statements.push(StatementView {
                        speaker: s.speaker.clone(),
                        role,
                        text: s.text.clone(),
                        stance: s.stance.clone(),
                        document_id: r.document,
                    });
                }
            }
        }
    }
    Ok((out, statements))
}

/// Whether the role is a party's.
pub fn is_party(caller: &Caller) -> bool {
    caller.role() == Some(Role::Party)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_mark_the_event_sentences_and_keep_the_rest() {
        let text = "Intro. Shells hit the market, killing 6. Outro.";
        let segs = segments(text, &[(7, 40)], |_| vec!["event"]);
        assert_eq!(
            segs.iter().map(|s| s.text.as_str()).collect::<String>(),
            text
        );
        assert!(segs.iter().any(|s| s.mark && s.text.starts_with("Shells")));
        // Out-of-range spans are clipped, never a panic.
        let segs = segments("short", &[(3, 99), (50, 60)], |_| vec![]);
        assert_eq!(
            segs.iter().map(|s| s.text.as_str()).collect::<String>(),
            "short"
        );
    }
}
