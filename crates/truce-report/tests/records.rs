//! Reading other datasets' files and comparing records: the matching rules as a table, and files
//! of every bad shape.

use proptest::prelude::*;
use truce_report::{ExternalRecord, compare, read_acled, read_ucdp};

fn record(id: &str, date: &str, kind: &str, at: Option<(f64, f64)>, place: &str) -> ExternalRecord {
    ExternalRecord {
        id: id.into(),
        date: date.into(),
        event_type: kind.into(),
        sub_event_type: None,
        location: place.into(),
        admin1: None,
        country: Some("SY".into()),
        lat: at.map(|a| a.0),
        lon: at.map(|a| a.1),
        fatalities: 0,
        actor: None,
        line: 0,
    }
}

#[test]
#[allow(clippy::type_complexity, reason = "the rows of a table test")]
fn the_matching_table() {
    const STRIKE: &str = "Explosions/Remote violence";
    let aleppo = Some((36.20, 37.16));
    let near = Some((36.25, 37.16)); // 5.6 km north
    let far = Some((36.40, 37.16)); // 22 km north
    let rows: [(&str, &str, Option<(f64, f64)>, &str, &str, bool); 8] = [
        (
            "same day, same place",
            "2025-05-14",
            aleppo,
            STRIKE,
            "Aleppo",
            true,
        ),
        (
            "a day late, 6 km away",
            "2025-05-15",
            near,
            STRIKE,
            "Aleppo",
            true,
        ),
        (
            "two days late",
            "2025-05-16",
            aleppo,
            STRIKE,
            "Aleppo",
            false,
        ),
        ("22 km away", "2025-05-14", far, STRIKE, "Aleppo", false),
        (
            "coded as a battle",
            "2025-05-14",
            aleppo,
            "Battles",
            "Aleppo",
            true,
        ),
        (
            "a protest",
            "2025-05-14",
            aleppo,
            "Protests",
            "Aleppo",
            false,
        ),
        (
            "no coordinates, same name",
            "2025-05-14",
            None,
            STRIKE,
            "aleppo",
            true,
        ),
        (
            "no coordinates, another name",
            "2025-05-14",
            None,
            STRIKE,
            "Halab",
            false,
        ),
    ];
    for (what, date, at, kind, place, matched) in rows {
        let ours = [record(
            "1",
            "2025-05-14",
            STRIKE,
            if at.is_some() { aleppo } else { None },
            "Aleppo",
        )];
        let theirs = [record("A", date, kind, at, place)];
        let c = compare(&ours, &theirs);
        assert_eq!(c.matched.len() == 1, matched, "{what}: {c:?}");
        assert_eq!(c.only_theirs.len() + c.matched.len(), 1, "{what}");
    }
}

#[test]
fn each_record_matches_once_closest_first() {
    let a = Some((36.20, 37.16));
    let ours = [
        record("1", "2025-05-14", "Battles", a, "x"),
        record("2", "2025-05-15", "Battles", a, "x"),
    ];
    let theirs = [record("A", "2025-05-15", "Battles", a, "x")];
    let c = compare(&ours, &theirs);
    assert_eq!(c.matched.len(), 1);
    assert_eq!(
        c.matched[0].0.id, "2",
        "the same day wins over the day before"
    );
    assert_eq!(c.only_truce[0].id, "1");
    // Truce records outside the file's dates are not counted as missing from it.
    let later = [record("3", "2025-09-01", "Battles", a, "x")];
    assert!(compare(&later, &theirs).only_truce.is_empty());
}

#[test]
fn acled_files_are_read_by_column_name_whatever_the_order_and_date_style() {
    let text = "notes,event_date,fatalities,event_id_cnty,event_type,latitude,longitude,location,country,iso\n\
                \"a note, with a comma\",14 May 2025,3,SYR900,Battles,36.2,37.16,Aleppo,Syria,760\n";
    let r = read_acled(text.as_bytes()).unwrap();
    assert_eq!(r[0].date, "2025-05-14");
    assert_eq!(r[0].fatalities, 3);
    assert_eq!(r[0].country.as_deref(), Some("SY"));
    assert_eq!(r[0].line, 2);
}

#[test]
fn bad_files_get_clear_errors() {
    let cases: [(&[u8], &str); 6] = [
        (b"", "no \"event_id_cnty\" column"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not"),
        (
            b"event_id_cnty,event_date,event_type\nX,2025-02-30,Battles\n",
            "line 2: \"2025-02-30\" is not a date",
        ),
        (
            b"event_id_cnty,event_date,event_type,fatalities\nX,2025-05-01,Battles,many\n",
            "fatalities \"many\" is not a number",
        ),
        (
            b"event_id_cnty,event_date,event_type,latitude\nX,2025-05-01,Battles,NaN\n",
            "latitude \"NaN\" is not a number",
        ),
        (
            b"event_id_cnty,event_date,event_type\nX,2025-05-01\n",
            "line 2",
        ),
    ];
    for (bytes, expected) in cases {
        let e = read_acled(bytes).unwrap_err().to_string();
        assert!(
            e.contains(expected),
            "{:?}: {e}",
            String::from_utf8_lossy(bytes)
        );
    }
    let e = read_ucdp(&b"id,date_start,best\n"[..])
        .unwrap_err()
        .to_string();
    assert!(e.contains("no \"type_of_violence\" column"), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    /// Whatever the bytes, reading them is an answer or an error, never a panic.
    #[test]
    fn any_bytes_are_read_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..400),
                                     header in prop::sample::select(vec![
                                         "event_id_cnty,event_date,event_type,latitude,longitude,fatalities\n",
                                         "id,date_start,type_of_violence,best,latitude\n", ""])) {
        let mut input = header.as_bytes().to_vec();
        input.extend_from_slice(&bytes);
        let _ = read_acled(input.as_slice());
        let _ = read_ucdp(input.as_slice());
    }
}
