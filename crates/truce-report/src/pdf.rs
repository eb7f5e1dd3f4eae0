//! The daily report as PDF, typeset by Typst (the `typst` crate as a library, held by
//! `typst-as-lib`): every script printed as written (Arabic shaped and set right to left inside
//! English sentences), with DejaVu Sans bundled in the binary (Latin, Greek, Cyrillic, Arabic,
//! Hebrew, Armenian, Georgian), so nothing is looked up on the machine and nothing fetched. The
//! template (`templates/daily.typ`) sets every text from JSON as text, never as markup; the map
//! and the health chart are the HTML report's SVG drawings.

use std::sync::OnceLock;

use serde_json::{Value, json};
use typst::foundations::{Bytes, Dict, IntoValue};
use typst_as_lib::{TypstEngine, TypstTemplateMainFile};

use crate::daily::{DailyReport, Table, audit_sentence, health_sentence};

static TEMPLATE: &str = include_str!("../templates/daily.typ");
static REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// Why a report could not be typeset.
#[derive(Debug, thiserror::Error)]
#[error("the PDF report could not be typeset: {0}")]
pub struct PdfError(String);

/// The engine, with its fonts read once.
fn engine() -> &'static TypstEngine<TypstTemplateMainFile> {
    static ENGINE: OnceLock<TypstEngine<TypstTemplateMainFile>> = OnceLock::new();
    ENGINE.get_or_init(|| {
        TypstEngine::builder()
            .main_file(TEMPLATE)
            .fonts([REGULAR, BOLD])
            .build()
    })
}

fn table(t: &Table) -> Value {
    json!({"header": t.header, "rows": t.rows})
}

/// What the template sets, as JSON.
fn data(r: &DailyReport) -> Value {
    let mut byline = format!("Produced by {}.", r.producer);
    if let Some(a) = &r.agreement {
        byline = format!("Agreement in force: {a}. {byline}");
    }
    let notable: Vec<Value> = r
        .notable
        .iter()
        .map(|n| {
            let perpetrators = n.perpetrator_names();
            let alerts = if n.alerts.is_empty() {
                String::new()
            } else {
                format!(" {}.", n.alerts.join("; "))
            };
            json!({
                "heading": format!("Incident {}: {} in {}", n.id, n.event_type, n.place),
                "details": format!(
                    "Deaths: {}. Alleged perpetrator(s): {perpetrators}. Assessment: {}. Review: {}.{alerts}",
                    n.fatalities,
                    n.verdict.map_or("not assessed", truce_model::Verdict::as_str),
                    n.status
                ),
                "sources": n.sources.iter().map(|s| json!({
                    "title": s.title,
                    // Only web addresses become links.
                    "url": s.url.as_ref().filter(|u| u.starts_with("http://") || u.starts_with("https://")),
                    "sentence": s.sentence,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let labelled = r.points.iter().filter(|p| !p.label.is_empty()).count();
    json!({
        "title": format!("Daily situation report: {}", r.date),
        "producer": r.producer,
        "byline": byline,
        "summary": r.summary(),
        "health": r.health.last().map(|h| json!({
            "sentence": health_sentence(h),
            "areas": (!r.health_by_area.is_empty()).then(|| table(&r.area_table())),
        })),
        "counts": table(&r.counts_table()),
        "map_note": format!(
            "{} incident(s) with a known place; colours by event type, size by deaths; {labelled} named.",
            r.points.len()
        ),
        "alerts": r.alerts,
        "notable": notable,
        "statements": r.statements,
        "talks": r.talks,
        "audit": {"sentence": audit_sentence(r.audit_head.as_deref()), "head": r.audit_head},
    })
}

/// Renders the report as PDF bytes.
pub fn render(r: &DailyReport) -> Result<Vec<u8>, PdfError> {
    let mut inputs = Dict::new();
    inputs.insert("data".into(), data(r).to_string().into_value());
    inputs.insert(
        "map".into(),
        Bytes::new(r.map_svg().into_bytes()).into_value(),
    );
    inputs.insert(
        "chart".into(),
        Bytes::new(r.chart_svg().into_bytes()).into_value(),
    );
    let document: typst_layout::PagedDocument = engine()
        .compile_with_input(inputs)
        .output
        .map_err(|e| PdfError(e.to_string()))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|errors| {
        PdfError(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}
