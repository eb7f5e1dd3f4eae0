//! Statements and talks on short reports written for these tests.

use std::sync::LazyLock;

use chrono::NaiveDate;
use truce_extract::{ExtractInput, Extractor};
use truce_model::{Extraction, Statement};

static ENGINE: LazyLock<Extractor> = LazyLock::new(|| Extractor::new().expect("engine builds"));

fn read(text: &str) -> Extraction {
    ENGINE.extract(&ExtractInput {
        id: "t".into(),
        text: text.into(),
        published: NaiveDate::from_ymd_opt(2016, 4, 28),
    })
}

fn statements(text: &str) -> Vec<Statement> {
    read(text).statements
}

fn by<'a>(st: &'a [Statement], fragment: &str) -> &'a Statement {
    st.iter()
        .find(|s| s.text.contains(fragment))
        .unwrap_or_else(|| panic!("no statement with {fragment:?}: {st:#?}"))
}

/// The offsets point at the statement's text, in chars.
fn offsets_hold(text: &str, st: &[Statement]) {
    for s in st {
        let slice: String = text.chars().skip(s.start).take(s.end - s.start).collect();
        assert_eq!(slice, s.text, "offsets of {:?}", s.text);
    }
}

const REPORT: &str = "Deadly strike tests fragile truce

State Department spokesman John Kirby said the United States was in constant daily communication with Russia about the truce.

\u{201c}It is hard to know who fired first,\u{201d} said Kirby, \u{201c}but the strike on the hospital is indefensible.\u{201d}

Kirby said it appears that Russia is not exerting its influence on the government. He added that the co-chairs would meet on Friday.

\"We condemn this attack on a medical facility in the strongest terms,\" Secretary of State John Kerry told reporters in Washington. \"It has to stop.

\"Those responsible must be held to account.\"

U.N. envoy Staffan de Mistura warned that the ceasefire was barely alive. According to the U.N. envoy, a fourth round of proximity talks could start next month.

The Syrian foreign ministry denied that government aircraft had flown over the city. The spokesman called for restraint from all sides.";

#[test]
fn direct_quotes_split_and_across_paragraphs() {
    let st = statements(REPORT);
    offsets_hold(REPORT, &st);
    let split = by(&st, "It is hard to know who fired first");
    assert!(split.direct);
    assert!(
        split.text.contains("indefensible"),
        "a quote split by its attribution is one statement"
    );
    assert_eq!(
        split.speaker.as_deref(),
        Some("John Kirby"),
        "a surname resolves to the full name"
    );
    assert_eq!(split.cue.as_deref(), Some("said"));

    let kerry = by(&st, "We condemn this attack");
    assert_eq!(kerry.speaker.as_deref(), Some("John Kerry"));
    assert_eq!(kerry.title.as_deref(), Some("Secretary of State"));
    assert_eq!(kerry.cue.as_deref(), Some("told"));
    assert_eq!(kerry.stance, None);
    let continued = by(&st, "Those responsible must be held to account");
    assert_eq!(
        continued.speaker.as_deref(),
        Some("John Kerry"),
        "a quote paragraph goes on with the last speaker"
    );
}

#[test]
fn indirect_speech_titles_and_references() {
    let st = statements(REPORT);
    let first = by(&st, "constant daily communication");
    assert!(!first.direct);
    assert_eq!(first.speaker.as_deref(), Some("John Kirby"));
    assert_eq!(first.title.as_deref(), Some("spokesman"));
    assert_eq!(first.organization.as_deref(), Some("State Department"));

    let appears = by(&st, "Russia is not exerting its influence");
    assert_eq!(appears.speaker.as_deref(), Some("John Kirby"));
    let added = by(&st, "the co-chairs would meet on Friday");
    assert_eq!(
        added.speaker.as_deref(),
        Some("John Kirby"),
        "a pronoun resolves to the last speaker"
    );
    assert_eq!(added.cue.as_deref(), Some("added"));

    let envoy = by(&st, "the ceasefire was barely alive");
    assert_eq!(envoy.speaker.as_deref(), Some("Staffan de Mistura"));
    assert_eq!(envoy.title.as_deref(), Some("envoy"));
    assert_eq!(envoy.organization.as_deref(), Some("U.N."));
    assert_eq!(envoy.cue.as_deref(), Some("warned"));
    let according = by(&st, "a fourth round of proximity talks could start");
    assert_eq!(
        according.speaker.as_deref(),
        Some("Staffan de Mistura"),
        "a title alone resolves to the last person with it"
    );
    assert_eq!(according.cue.as_deref(), Some("according to"));
}

#[test]
fn organisations_speak_and_stances_show() {
    let st = statements(REPORT);
    let denial = by(&st, "government aircraft had flown over the city");
    assert_eq!(denial.speaker.as_deref(), Some("Syrian foreign ministry"));
    assert_eq!(
        denial.organization.as_deref(),
        Some("Syrian foreign ministry")
    );
    assert_eq!(denial.stance.as_deref(), Some("denies"));
    let restraint = by(&st, "restraint from all sides");
    assert_eq!(restraint.stance.as_deref(), Some("calls_for_restraint"));
    let observatory = statements(
        "The Syrian Observatory for Human Rights said 12 civilians were killed in the raid.",
    );
    assert_eq!(
        observatory[0].speaker.as_deref(),
        Some("Syrian Observatory for Human Rights")
    );
    assert_eq!(
        statements("Rebels accused the army of shelling the town.")[0]
            .stance
            .as_deref(),
        Some("accuses")
    );
}

#[test]
fn straight_curly_and_doubled_apostrophe_quotes() {
    for text in [
        "\"The truce is holding in most places,\" the envoy said.",
        "\u{201c}The truce is holding in most places,\u{201d} the envoy said.",
        "''The truce is holding in most places,'' the envoy said.",
    ] {
        let st = statements(text);
        assert_eq!(st.len(), 1, "{text}: {st:#?}");
        assert!(st[0].direct);
        assert_eq!(st[0].text, "The truce is holding in most places");
        offsets_hold(text, &st);
    }
}

#[test]
fn talks_with_round_place_mediator_and_status() {
    let text = "The third round of proximity talks in Geneva ended on Wednesday, said U.N. envoy Staffan de Mistura. He hopes to convene a fourth round next month, provided both sides respect the truce. A planned meeting of the co-chairs was postponed.";
    let talks = read(text).talks;
    let third = talks
        .iter()
        .find(|t| t.ordinal == Some(3))
        .expect("the third round");
    assert_eq!(third.place.as_deref(), Some("Geneva"));
    assert_eq!(third.status.as_deref(), Some("held"));
    assert_eq!(third.date.as_deref(), Some("2016-04-27"));
    assert_eq!(third.mediator.as_deref(), Some("Staffan de Mistura"));
    let fourth = talks
        .iter()
        .find(|t| t.ordinal == Some(4))
        .expect("the fourth round");
    assert_eq!(fourth.status.as_deref(), Some("conditional"));
    assert_eq!(fourth.date.as_deref(), Some("2016-05"));
    assert!(
        talks
            .iter()
            .any(|t| t.status.as_deref() == Some("postponed")),
        "{talks:#?}"
    );
}
