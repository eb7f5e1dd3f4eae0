//! Claims and counter-claims, on reports written for these tests in several outlets' styles (a
//! wire story, an NGO alert, a ministry statement, a field note): a report is read as a whole,
//! reactions make no events of their own, and who alleges and who denies is in the record.

mod common;
use common::perpetrators;

use chrono::NaiveDate;
use truce_extract::{ExtractInput, Extractor};
use truce_model::{ClaimKind, Event, Extraction};

fn read(file: &str, published: &str) -> Extraction {
    let path = format!(
        "{}/tests/fixtures/claims/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    Extractor::new().unwrap().extract(&ExtractInput {
        id: file.into(),
        text,
        published: NaiveDate::parse_from_str(published, "%Y-%m-%d").ok(),
    })
}

fn country(e: &Event) -> Option<&str> {
    e.location.as_ref().and_then(|l| l.country.as_deref())
}

#[test]
fn a_wire_story_gives_its_three_occurrences_and_no_event_where_someone_reacts() {
    let x = read("wire-aleppo-hospital.txt", "2016-04-28");
    // The hospital strike, the strike on al-Kalasa, the day of fighting: nothing in the United
    // States, Russia or Washington, where people condemned, urged or were outraged.
    assert_eq!(x.events.len(), 3, "{:#?}", x.events);
    for e in &x.events {
        assert_eq!(country(e), Some("SY"), "{e:#?}");
    }
    let hospital = &x.events[0];
    assert_eq!(hospital.target.as_deref(), Some("medical"));
    assert_eq!(hospital.fatalities.and_then(|f| f.low), Some(20));
    assert_eq!(
        hospital.location.as_ref().map(|l| l.name.as_str()),
        Some("Aleppo")
    );
    // The report names nobody; the Secretary of State accuses the government: the perpetrator
    // follows the allegation, with who makes it. The ministry's counter-allegation against the
    // rebels is recorded, not taken as the perpetrator.
    assert_eq!(perpetrators(hospital), ["Military Forces of Syria"]);
    let army = hospital
        .actors
        .iter()
        .find(|a| a.name == "Military Forces of Syria")
        .unwrap();
    assert_eq!(army.alleged_by, ["John Kerry (Secretary of State)"]);
    let kerry = hospital
        .claims
        .iter()
        .find(|c| c.kind == ClaimKind::Alleges && c.claimant.as_deref() == Some("John Kerry"))
        .expect("Kerry's allegation");
    assert_eq!(kerry.accused.as_deref(), Some("Military Forces of Syria"));
    assert_eq!(kerry.title.as_deref(), Some("Secretary of State"));
    assert!(kerry.deliberate, "a deliberate strike, he says");
    let statement = &x.statements[kerry.statement.unwrap()];
    assert!(
        statement
            .text
            .contains("deliberate strike on a known medical facility")
    );
    let denial = hospital
        .claims
        .iter()
        .find(|c| c.kind == ClaimKind::Denies)
        .expect("the ministry's denial");
    assert_eq!(denial.claimant.as_deref(), Some("Syrian Defence Ministry"));
    assert_eq!(denial.accused.as_deref(), Some("Military Forces of Syria"));
    assert!(hospital.claims.iter().any(|c| c.kind == ClaimKind::Alleges
        && c.accused.as_deref() == Some("Rebels (Syria)")
        && c.claimant.as_deref() == Some("Syrian Defence Ministry")));

    let kalasa = &x.events[1];
    assert_eq!(
        kalasa.location.as_ref().map(|l| l.name.as_str()),
        Some("al-Kalasa")
    );
    // "Fighting between government forces and rebels ... more than 50 people dead": its own
    // event, both sides, ACLED's lowest figure.
    let fighting = &x.events[2];
    assert_eq!(fighting.event_type, "Battles");
    assert_eq!(fighting.fatalities.and_then(|f| f.low), Some(50));
    let sides = perpetrators(fighting);
    assert!(sides.contains(&"Military Forces of Syria") && sides.contains(&"Rebels (Syria)"));

    // Speakers: the surname links to the full name; the dateline is nobody.
    let envoy: Vec<_> = x
        .statements
        .iter()
        .filter(|s| s.text.contains("sustainable") || s.text.contains("barely alive"))
        .collect();
    assert_eq!(envoy.len(), 2);
    for s in envoy {
        assert_eq!(s.speaker.as_deref(), Some("Staffan de Mistura"), "{s:#?}");
    }
    for s in &x.statements {
        let who = s.speaker.as_deref().unwrap_or("");
        assert!(
            !who.contains("ALEPPO") && !who.contains("Thursday"),
            "{s:#?}"
        );
    }
}

#[test]
fn an_ngo_alert_tells_one_strike_however_often_it_is_named_and_keeps_the_denial() {
    let x = read("ngo-alert-kafr-nabl.txt", "2026-03-09");
    // "Russian jets bombed the clinic" and "a deliberate attack on a place every pilot knows is
    // a clinic" are one occurrence; "Moscow denied" is no event in Russia.
    assert_eq!(x.events.len(), 1, "{:#?}", x.events);
    let e = &x.events[0];
    assert_eq!(country(e), Some("SY"));
    assert_eq!(e.target.as_deref(), Some("medical"));
    assert_eq!(e.fatalities.and_then(|f| f.low), Some(2));
    // The report's own attribution comes first.
    assert_eq!(perpetrators(e), ["Military Forces of Russia"]);
    assert!(e.actors.iter().all(|a| a.alleged_by.is_empty()));
    let denial = e
        .claims
        .iter()
        .find(|c| c.kind == ClaimKind::Denies)
        .expect("Moscow's denial");
    assert_eq!(denial.claimant.as_deref(), Some("Moscow"));
    assert_eq!(denial.accused.as_deref(), Some("Military Forces of Russia"));
    assert!(e.claims.iter().any(|c| c.deliberate));
}

#[test]
fn a_ministry_statement_is_a_denial_of_the_strike_it_names() {
    let x = read("ministry-statement-ariha.txt", "2026-03-11");
    assert_eq!(x.events.len(), 1, "{:#?}", x.events);
    let e = &x.events[0];
    // The place of the deed it denies, not the capital it writes from.
    let place = e.location.as_ref().unwrap();
    assert_eq!(
        (place.country.as_deref(), place.admin1.as_deref()),
        (Some("SY"), Some("Idlib"))
    );
    assert_eq!(e.target.as_deref(), Some("market"));
    let denial = e
        .claims
        .iter()
        .find(|c| c.kind == ClaimKind::Denies)
        .expect("the ministry's denial");
    assert_eq!(denial.claimant.as_deref(), Some("Ministry of Defence"));
    assert_eq!(denial.accused.as_deref(), Some("Military Forces of Syria"));
}

#[test]
fn a_field_note_records_whom_residents_blame() {
    let x = read("field-note-saraqib.txt", "2026-03-14");
    assert_eq!(x.events.len(), 1, "{:#?}", x.events);
    let e = &x.events[0];
    assert_eq!(
        e.location.as_ref().map(|l| l.name.as_str()),
        Some("Saraqib")
    );
    let blame = e
        .claims
        .iter()
        .find(|c| c.kind == ClaimKind::Alleges)
        .expect("the residents' blame");
    assert_eq!(blame.claimant.as_deref(), Some("Residents"));
    assert_eq!(blame.accused.as_deref(), Some("Military Forces of Syria"));
    assert_eq!(perpetrators(e), ["Military Forces of Syria"]);
    // The council head's words are his, not his title's.
    let khaled = x
        .statements
        .iter()
        .find(|s| s.speaker.as_deref() == Some("Abu Khaled"))
        .unwrap();
    assert_eq!(khaled.text, "nobody had been warned");
}

#[test]
fn the_record_stays_additive_claims_absent_when_nobody_claims() {
    let x = Extractor::new().unwrap().extract(&ExtractInput {
        id: "plain".into(),
        text: "An air strike hit a market in Saraqib on Monday, killing four people.".into(),
        published: NaiveDate::from_ymd_opt(2026, 3, 3),
    });
    let json = serde_json::to_string(&x).unwrap();
    assert!(!json.contains("\"claims\""), "{json}");
    assert!(!json.contains("\"alleged_by\""), "{json}");
}
