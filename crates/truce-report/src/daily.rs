//! The daily situation report: summary, the health index with its chart, the counts table, a
//! map, notable incidents with their sources, the day's statements and talks. Built from values
//! the caller gathers; rendered to Markdown or HTML (self-contained: styles and drawings inline).

use std::collections::BTreeMap;
use std::fmt::Write;

use chrono::NaiveDate;
use serde::Serialize;
use truce_model::Verdict;
use truce_monitor::{DayCounts, HealthPoint};

use crate::svg::{MapPoint, escape, index_chart, point_map};

/// A source report of a notable incident.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportSource {
    /// Its title.
    pub title: String,
    /// Its address, if it has one.
    pub url: Option<String>,
    /// The sentence the incident was read from.
    pub sentence: Option<String>,
}

/// An incident worth reading about.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotableIncident {
    /// Its id.
    pub id: i64,
    /// Its place.
    pub place: String,
    /// ACLED type (and sub-type).
    pub event_type: String,
    /// Deaths as `4` or `4-7`.
    pub fatalities: String,
    /// Alleged perpetrators.
    pub perpetrators: Vec<String>,
    /// Its verdict.
    pub verdict: Option<Verdict>,
    /// Its alerts' labels.
    pub alerts: Vec<String>,
    /// Its review status.
    pub status: String,
    /// Its sources.
    pub sources: Vec<ReportSource>,
}

/// Who said what.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportStatement {
    /// The speaker, with title and organisation as the report gives them.
    pub speaker: String,
    /// What was said.
    pub text: String,
    /// The report it is from.
    pub source: String,
}

/// Everything the day's report says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DailyReport {
    /// The day.
    pub date: NaiveDate,
    /// The agreement in force (`Name v2`), if any.
    pub agreement: Option<String>,
    /// `truce 0.1.0`.
    pub producer: String,
    /// The day's counts.
    pub counts: DayCounts,
    /// The day's incidents by verdict.
    pub verdicts: BTreeMap<Verdict, u32>,
    /// The overall health index, oldest first, the day last.
    pub health: Vec<HealthPoint>,
    /// The index of the day in each area.
    pub health_by_area: Vec<(String, HealthPoint)>,
    /// The map.
    pub points: Vec<MapPoint>,
    /// Notable incidents, most serious first.
    pub notable: Vec<NotableIncident>,
    /// Alerts raised for the day's incidents (one line each).
    pub alerts: Vec<String>,
    /// Statements published that day.
    pub statements: Vec<ReportStatement>,
    /// Talks mentioned that day.
    pub talks: Vec<String>,
    /// The audit log's signed head when the report was made (`None`: no signing key).
    pub audit_head: Option<String>,
}

/// What a report says of the audit log's head (the same in every format).
pub fn audit_sentence(head: Option<&str>) -> String {
    match head {
        Some(_) => "The audit log's signed head when this report was made; anyone can later hold \
                    the log to it with `truce audit verify --against`:"
            .into(),
        None => "Not signed: this installation has no audit signing key (`truce init` makes \
                 one)."
            .into(),
    }
}

fn change(now: u32, then: u32) -> String {
    match i64::from(now) - i64::from(then) {
        0 => "=".into(),
        d if d > 0 => format!("+{d}"),
        d => d.to_string(),
    }
}

impl NotableIncident {
    /// Its alleged perpetrators in one phrase ("none named" when none is).
    pub fn perpetrator_names(&self) -> String {
        if self.perpetrators.is_empty() {
            "none named".into()
        } else {
            self.perpetrators.join(", ")
        }
    }
}

impl DailyReport {
    /// The health index chart (SVG), as the HTML and PDF reports draw it.
    pub fn chart_svg(&self) -> String {
        let series: Vec<(String, f64)> = self
            .health
            .iter()
            .map(|p| (p.date.to_string(), p.index))
            .collect();
        index_chart(&series, 640, 180)
    }

    /// The map of the day's incidents (SVG), as the HTML and PDF reports draw it.
    pub fn map_svg(&self) -> String {
        point_map(&self.points, 640, 420)
    }

    /// One paragraph: the day in figures.
    pub fn summary(&self) -> String {
        let c = &self.counts;
        let mut s = format!(
            "{} incident(s) on {} ({} the day before, {} a week before), {} killed.",
            c.total, self.date, c.previous_day, c.week_before, c.fatalities
        );
        if !self.verdicts.is_empty() {
            let v: Vec<String> = self
                .verdicts
                .iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect();
            let _ = write!(s, " Assessed: {}.", v.join(", "));
        }
        if let Some(h) = self.health.last() {
            let _ = write!(
                s,
                " Health index {:.1}{} ({}).",
                h.index,
                h.trend
                    .map(|t| format!(", {t:+.1} on the week"))
                    .unwrap_or_default(),
                h.definition
            );
        }
        if !self.alerts.is_empty() {
            let _ = write!(s, " {} alert(s) on protected sites.", self.alerts.len());
        }
        s
    }

    /// Each area's index on the day: area, index, change on the week.
    pub fn area_table(&self) -> Table {
        Table {
            header: vec!["area", "index", "week's change"],
            rows: self
                .health_by_area
                .iter()
                .map(|(area, p)| {
                    vec![
                        area.clone(),
                        format!("{:.1}", p.index),
                        p.trend.map(|t| format!("{t:+.1}")).unwrap_or_default(),
                    ]
                })
                .collect(),
        }
    }

    /// The counts: dimension, value, the day, deaths, the day before and the change, a week
    /// before and the change.
    pub fn counts_table(&self) -> Table {
        Table {
            header: vec![
                "",
                "value",
                "that day",
                "deaths",
                "day before",
                "change",
                "week before",
                "change",
            ],
            rows: self
                .counts
                .rows
                .iter()
                .map(|r| {
                    vec![
                        r.dimension.clone(),
                        r.key.clone(),
                        r.day.to_string(),
                        r.fatalities.to_string(),
                        r.previous_day.to_string(),
                        change(r.day, r.previous_day),
                        r.week_before.to_string(),
                        change(r.day, r.week_before),
                    ]
                })
                .collect(),
        }
    }

    /// The report in Markdown.
    pub fn to_markdown(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "# Daily situation report: {}\n", self.date);
        if let Some(a) = &self.agreement {
            let _ = writeln!(s, "Agreement in force: **{a}**. ");
        }
        let _ = writeln!(s, "Produced by {}.\n", self.producer);
        let _ = writeln!(s, "## Summary\n\n{}\n", self.summary());

        let _ = writeln!(s, "## Ceasefire health index\n");
        match self.health.last() {
            Some(h) => {
                let _ = writeln!(s, "{}\n", health_sentence(h));
                let _ = writeln!(
                    s,
                    "| day | index | violations | deaths |\n|---|---|---|---|"
                );
                for p in self.health.iter().rev().take(14).rev() {
                    let _ = writeln!(
                        s,
                        "| {} | {:.1} | {} | {} |",
                        p.date, p.index, p.violations, p.fatalities
                    );
                }
                s.push('\n');
                if !self.health_by_area.is_empty() {
                    s.push_str(&table_md(&self.area_table()));
                    s.push('\n');
                }
            }
            None => {
                let _ = writeln!(s, "No agreement was in force on this day.\n");
            }
        }

        let _ = writeln!(s, "## Counts\n");
        s.push_str(&table_md(&self.counts_table()));
        s.push('\n');

        let _ = writeln!(s, "## Map\n");
        for p in &self.points {
            let _ = writeln!(s, "- {} ({:.4}, {:.4})", md(&p.label), p.lat, p.lon);
        }
        if self.points.is_empty() {
            let _ = writeln!(s, "No incident with a known place.");
        }
        s.push('\n');

        if !self.alerts.is_empty() {
            let _ = writeln!(s, "## Alerts\n");
            for a in &self.alerts {
                let _ = writeln!(s, "- {}", md(a));
            }
            s.push('\n');
        }

        let _ = writeln!(s, "## Notable incidents\n");
        if self.notable.is_empty() {
            let _ = writeln!(s, "None.\n");
        }
        for n in &self.notable {
            let _ = writeln!(
                s,
                "### Incident {}: {} in {}\n\nDeaths: {}. Alleged perpetrator(s): {}. \
                 Assessment: {}. Review: {}.{}\n",
                n.id,
                md(&n.event_type),
                md(&n.place),
                n.fatalities,
                md(&n.perpetrator_names()),
                n.verdict.map_or("not assessed", Verdict::as_str),
                n.status,
                if n.alerts.is_empty() {
                    String::new()
                } else {
                    format!(" **{}**.", md(&n.alerts.join("; ")))
                }
            );
            for src in &n.sources {
                let title = match &src.url {
                    Some(u) => format!("[{}]({})", md(&src.title), u.replace(')', "%29")),
                    None => md(&src.title),
                };
                match &src.sentence {
                    Some(t) => {
                        let _ = writeln!(s, "- {title}: \"{}\"", md(t));
                    }
                    None => {
                        let _ = writeln!(s, "- {title}");
                    }
                }
            }
            s.push('\n');
        }

        let _ = writeln!(s, "## Statements\n");
        if self.statements.is_empty() {
            let _ = writeln!(s, "None recorded.\n");
        }
        for st in &self.statements {
            let _ = writeln!(
                s,
                "- **{}**: \"{}\" ({})",
                md(&st.speaker),
                md(&st.text),
                md(&st.source)
            );
        }
        s.push('\n');
        let _ = writeln!(s, "## Talks\n");
        if self.talks.is_empty() {
            let _ = writeln!(s, "None mentioned.");
        }
        for t in &self.talks {
            let _ = writeln!(s, "- {}", md(t));
        }
        let _ = writeln!(
            s,
            "\n## Audit log\n\n{}",
            audit_sentence(self.audit_head.as_deref())
        );
        if let Some(h) = &self.audit_head {
            let _ = writeln!(s, "\n`{h}`");
        }
        s
    }

    /// The report as one self-contained HTML page.
    pub fn to_html(&self) -> String {
        let mut s = String::new();
        let _ = write!(
            s,
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Daily situation report {}</title>\
             <style>body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}}\
             table{{border-collapse:collapse;margin:.5rem 0}}td,th{{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}}\
             .alert{{color:#b2182b;font-weight:bold}}.muted{{color:#666}}blockquote{{margin:.3rem 0 .3rem 1rem;color:#444}}</style></head><body>",
            self.date
        );
        let _ = write!(s, "<h1>Daily situation report: {}</h1>", self.date);
        let _ = write!(
            s,
            "<p class=\"muted\">{}Produced by {}.</p>",
            self.agreement
                .as_ref()
                .map(|a| format!("Agreement in force: <strong>{}</strong>. ", escape(a)))
                .unwrap_or_default(),
            escape(&self.producer)
        );
        let _ = write!(s, "<h2>Summary</h2><p>{}</p>", escape(&self.summary()));
        let _ = write!(s, "<h2>Ceasefire health index</h2>");
        match self.health.last() {
            Some(h) => {
                s.push_str(&self.chart_svg());
                let _ = write!(s, "<p>{}</p>", escape(&health_sentence(h)));
                if !self.health_by_area.is_empty() {
                    s.push_str(&table_html(&self.area_table()));
                }
            }
            None => s.push_str("<p>No agreement was in force on this day.</p>"),
        }
        s.push_str("<h2>Counts</h2>");
        s.push_str(&table_html(&self.counts_table()));
        s.push_str("<h2>Map</h2>");
        s.push_str(&self.map_svg());
        if !self.alerts.is_empty() {
            s.push_str("<h2>Alerts</h2><ul>");
            for a in &self.alerts {
                let _ = write!(s, "<li class=\"alert\">{}</li>", escape(a));
            }
            s.push_str("</ul>");
        }
        s.push_str("<h2>Notable incidents</h2>");
        if self.notable.is_empty() {
            s.push_str("<p>None.</p>");
        }
        for n in &self.notable {
            let _ = write!(
                s,
                "<h3>Incident {}: {} in {}</h3><p>Deaths: {}. Alleged perpetrator(s): {}. Assessment: {}. Review: {}.{}</p><ul>",
                n.id,
                escape(&n.event_type),
                escape(&n.place),
                escape(&n.fatalities),
                escape(&n.perpetrator_names()),
                escape(n.verdict.map_or("not assessed", Verdict::as_str)),
                escape(&n.status),
                if n.alerts.is_empty() {
                    String::new()
                } else {
                    format!(
                        " <span class=\"alert\">{}</span>",
                        escape(&n.alerts.join("; "))
                    )
                }
            );
            for src in &n.sources {
                let title = match &src.url {
                    Some(u) if u.starts_with("http://") || u.starts_with("https://") => {
                        format!("<a href=\"{}\">{}</a>", escape(u), escape(&src.title))
                    }
                    _ => escape(&src.title).into_owned(),
                };
                let _ = write!(
                    s,
                    "<li>{title}{}</li>",
                    src.sentence
                        .as_ref()
                        .map(|t| format!("<blockquote>{}</blockquote>", escape(t)))
                        .unwrap_or_default()
                );
            }
            s.push_str("</ul>");
        }
        s.push_str("<h2>Statements</h2>");
        if self.statements.is_empty() {
            s.push_str("<p>None recorded.</p>");
        } else {
            s.push_str("<ul>");
            for st in &self.statements {
                let _ = write!(
                    s,
                    "<li><strong>{}</strong>: &ldquo;{}&rdquo; <span class=\"muted\">({})</span></li>",
                    escape(&st.speaker),
                    escape(&st.text),
                    escape(&st.source)
                );
            }
            s.push_str("</ul>");
        }
        s.push_str("<h2>Talks</h2>");
        if self.talks.is_empty() {
            s.push_str("<p>None mentioned.</p>");
        } else {
            s.push_str("<ul>");
            for t in &self.talks {
                let _ = write!(s, "<li>{}</li>", escape(t));
            }
            s.push_str("</ul>");
        }
        let _ = write!(
            s,
            "<h2>Audit log</h2><p>{}</p>",
            escape(&audit_sentence(self.audit_head.as_deref()))
        );
        if let Some(h) = &self.audit_head {
            let _ = write!(s, "<p><code>{}</code></p>", escape(h));
        }
        s.push_str("</body></html>\n");
        s
    }
}

/// The index of a day with every input that made it, in one sentence (the same in every format).
pub fn health_sentence(h: &HealthPoint) -> String {
    format!(
        "{:.1} on {} ({}): {} likely violation(s) and {} death(s) that day; {:.2} violations and \
         {:.2} deaths a day over the last 7 days, against {:.2} and {:.2} in the agreement's \
         first {} day(s); pressure {:.3}.",
        h.index,
        h.date,
        h.definition,
        h.violations,
        h.fatalities,
        h.violations_7d,
        h.fatalities_7d,
        h.baseline.violations,
        h.baseline.fatalities,
        h.baseline.days,
        h.pressure
    )
}

/// A table of the report, the same in every format: a header and rows of plain-text cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Column names.
    pub header: Vec<&'static str>,
    /// Rows, one cell a column.
    pub rows: Vec<Vec<String>>,
}

fn table_md(t: &Table) -> String {
    let line = |cells: Vec<String>| {
        let cells: Vec<String> = cells
            .iter()
            .map(|c| {
                if c.is_empty() {
                    " ".into()
                } else {
                    format!(" {c} ")
                }
            })
            .collect();
        format!("|{}|\n", cells.join("|"))
    };
    let mut s = line(t.header.iter().map(|h| h.to_string()).collect());
    s.push_str(&format!("|{}\n", "---|".repeat(t.header.len())));
    for r in &t.rows {
        s.push_str(&line(r.iter().map(|c| md(c)).collect()));
    }
    s
}

fn table_html(t: &Table) -> String {
    let mut s = String::from("<table><tr>");
    for h in &t.header {
        let _ = write!(s, "<th>{}</th>", escape(h));
    }
    s.push_str("</tr>");
    for r in &t.rows {
        s.push_str("<tr>");
        for c in r {
            let _ = write!(s, "<td>{}</td>", escape(c));
        }
        s.push_str("</tr>");
    }
    s.push_str("</table>");
    s
}

/// Keeps Markdown from reading report text as markup (tables, links, emphasis, HTML).
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '|' | '*' | '_' | '[' | ']' | '`' | '<' | '>' | '#' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
