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
        ..Default::default()
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
            "line 2, column event_date: \"2025-02-30\" is not a date",
        ),
        (
            b"event_id_cnty,event_date,event_type,fatalities\nX,2025-05-01,Battles,many\n",
            "column fatalities: \"many\" is not a number",
        ),
        (
            b"event_id_cnty,event_date,event_type,latitude\nX,2025-05-01,Battles,NaN\n",
            "column latitude: \"NaN\" is not a number",
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

#[test]
fn acled_files_of_every_release_are_read_as_shipped() {
    // A 2015 release: upper-case headers, the old event types, the day and month in words.
    let old = "EVENT_ID_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,ALLY_ACTOR_1,INTER1,ACTOR2,INTER2,INTERACTION,COUNTRY,ADMIN1,LOCATION,LATITUDE,LONGITUDE,GEO_PRECISION,NOTES,FATALITIES\n\
               KEN101,01-January-2015,2015,1,Battle-Government regains territory,Military Forces of Kenya (2013-),,1,Al Shabaab,2,12,Kenya,Lamu,Mpeketoni,-2.39,40.70,1,Troops retook the village.,4\n\
               KEN102,02-January-2015,2015,2,Remote violence,Al Shabaab,,2,,0,20,Kenya,Garissa,Garissa,-0.45,39.65,2,A roadside bomb.,0\n\
               KEN103,03-January-2015,2015,1,Riots/Protests,Protesters (Kenya),,6,,0,60,Kenya,Nairobi,Nairobi,-1.28,36.82,1,A march.,0\n";
    let r = read_acled(old.as_bytes()).unwrap();
    let got: Vec<(&str, &str, Option<&str>, Option<u8>)> = r
        .iter()
        .map(|e| {
            (
                e.date.as_str(),
                e.event_type.as_str(),
                e.sub_event_type.as_deref(),
                e.inter1,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "2015-01-01",
                "Battles",
                Some("Government regains territory"),
                Some(1)
            ),
            ("2015-01-02", "Explosions/Remote violence", None, Some(2)),
            ("2015-01-03", "Protests", None, Some(6)),
        ]
    );
    assert_eq!(r[0].country.as_deref(), Some("KE"));
    assert_eq!(
        (r[0].geo_precision, r[1].time_precision),
        (Some(1), Some(2))
    );
    assert_eq!(r[0].actor2.as_deref(), Some("Al Shabaab"));

    // Kenya with two-digit years: 31-12-19 is the last day of 2019, checked by the year column
    // (it was read as 0031-12-19, silently).
    let kenya = "event_id_cnty,event_date,year,event_type,country,location,fatalities\n\
                 KEN200,31-12-19,2019,Battles,Kenya,Mandera,2\n\
                 KEN201,04-01-10,2010,Battles,Kenya,Wajir,0\n";
    let r = read_acled(kenya.as_bytes()).unwrap();
    assert_eq!(
        (r[0].date.as_str(), r[1].date.as_str()),
        ("2019-12-31", "2010-01-04")
    );

    // 2020: 9-May-20; 2024 on: actor categories in words.
    let recent = "event_id_cnty,event_date,year,event_type,sub_event_type,actor1,inter1,actor2,inter2,interaction,country,iso\n\
                  SYR1,9-May-20,2020,Battles,Armed clash,Military Forces of Syria (2000-),1,Hayat Tahrir al-Sham,2,12,Syria,760\n\
                  SYR2,10 May 2024,2024,Violence against civilians,Attack,Unidentified Armed Group (Syria),Political militia,Civilians (Syria),Civilians,Political militia-Civilians,Syria,760\n";
    let r = read_acled(recent.as_bytes()).unwrap();
    assert_eq!(r[0].date, "2020-05-09");
    assert_eq!((r[1].inter1, r[1].inter2), (Some(3), Some(7)));
}

#[test]
fn an_ambiguous_or_contradictory_date_is_refused_never_guessed() {
    let cases = [
        (
            "event_id_cnty,event_date,event_type\nX1,05/06/2019,Battles\nX2,07/08/2019,Battles\n",
            "line 2, column event_date: \"05/06/2019\" could be 2019-05-06 or 2019-06-05",
        ),
        (
            "event_id_cnty,event_date,year,event_type\nX1,2019-12-31,2018,Battles\n",
            "line 2, column event_date: \"2019-12-31\" reads as 2019-12-31, but column year says 2018",
        ),
        (
            "EVENT_ID_CNTY,EVENT_DATE,EVENT_TYPE\nX1,2019-12-31,Skirmish\n",
            "line 2, column EVENT_TYPE: \"Skirmish\" is not one of ACLED's event types",
        ),
        (
            "event_id_cnty,event_date,event_type,inter1\nX1,2019-12-31,Battles,Pirates\n",
            "line 2, column inter1: \"Pirates\" is not one of ACLED's actor categories",
        ),
        (
            "event_id_cnty,event_date,event_type,fatalities\nX1,2019-12-31,Battles,-3\n",
            "line 2, column fatalities: \"-3\" is not a count of people",
        ),
    ];
    for (text, expected) in cases {
        let e = read_acled(text.as_bytes()).unwrap_err().to_string();
        assert!(e.starts_with(expected), "{text:?}: {e}");
    }
    // One date of the file that reads one way only settles the others.
    let settled =
        "event_id_cnty,event_date,event_type\nX1,05/06/2019,Battles\nX2,31/12/2019,Battles\n";
    assert_eq!(
        read_acled(settled.as_bytes()).unwrap()[0].date,
        "2019-06-05"
    );
}

#[test]
fn ucdp_ged_files_of_every_version_are_read() {
    // An early GED: best_est, no active_year or code_status, a date with a time.
    let early = "ID,YEAR,TYPE_OF_VIOLENCE,SIDE_A,SIDE_B,WHERE_PREC,WHERE_COORDINATES,ADM_1,LATITUDE,LONGITUDE,COUNTRY,DATE_PREC,DATE_START,DATE_END,BEST_EST\n\
                 7001,1995,3,Government of Rwanda,Civilians,1,Kigali,Kigali,-1.95,30.06,Rwanda,1,1995-04-22 00:00:00.000,1995-04-22,12\n";
    let r = read_ucdp(early.as_bytes()).unwrap();
    assert_eq!(r[0].date, "1995-04-22");
    assert_eq!(r[0].violence, Some(3));
    assert_eq!(r[0].event_type, "Violence against civilians");
    assert_eq!((r[0].fatalities, r[0].geo_precision), (12, Some(1)));
    // Today's: active_year and code_status, best.
    let today = "id,relid,year,active_year,code_status,type_of_violence,side_a,side_b,where_prec,where_coordinates,latitude,longitude,country,date_prec,date_start,date_end,best,high,low\n\
                 9001,SYR-2019-1,2019,1,Clear,1,Government of Syria,HTS,4,Idlib province,35.9,36.6,Syria,3,2019-05-14,2019-05-20,7,9,5\n";
    let r = read_ucdp(today.as_bytes()).unwrap();
    assert_eq!(
        (r[0].violence, r[0].geo_precision, r[0].time_precision),
        (Some(1), Some(3), Some(2))
    );
    let e = read_ucdp(&b"id,date_start,type_of_violence,best\n1,2019-01-01,4,0\n"[..])
        .unwrap_err()
        .to_string();
    assert_eq!(e, "line 2, column type_of_violence: \"4\" is not 1, 2 or 3");
}

#[test]
fn the_dataset_is_told_by_its_header_in_any_case() {
    use truce_report::Dataset;
    assert_eq!(
        Dataset::of_header("EVENT_ID_CNTY,EVENT_DATE,YEAR\n"),
        Some(Dataset::Acled)
    );
    assert_eq!(
        Dataset::of_header("\u{feff}\"event_id_cnty\",\"event_date\""),
        Some(Dataset::Acled)
    );
    assert_eq!(
        Dataset::of_header("id,year,TYPE_OF_VIOLENCE"),
        Some(Dataset::Ucdp)
    );
    assert_eq!(Dataset::of_header("id,date,notes"), None);
    assert_eq!(Dataset::of_header("my_event_id_cnty_copy"), None);
}
