//! Other datasets end to end: ACLED and UCDP GED files imported beside truce's record (kept
//! apart from it), listed, compared with truce's incidents, imported again as a later release,
//! and refused whole when a row cannot be read.

use serde_json::Value;

use crate::helpers::Env;
use crate::monitoring::{monitored, ok, refused};

/// The number of JSON array elements at `key`.
fn len(v: &Value, key: &str) -> usize {
    v[key].as_array().map_or(0, Vec::len)
}

#[test]
fn an_exported_file_imported_again_matches_every_incident() {
    let env = monitored();
    ok(
        &env,
        &["export", "--format", "acled-csv", "--output", "acled.csv"],
    );
    let exported = std::fs::read_to_string(env.path("acled.csv")).unwrap();
    let rows = exported.lines().count() - 1;
    assert!(rows > 0);
    let said = ok(&env, &["import", "acled.csv"]);
    assert!(
        said.contains(&format!("{rows} acled events ({rows} new, 0 updated)")),
        "{said}"
    );
    let listed = ok(&env, &["import", "--list"]);
    assert!(listed.starts_with("acled"), "{listed}");
    assert!(listed.contains(&format!("{rows} events")), "{listed}");
    // Imported events are not truce's incidents: the record is as it was.
    let incidents = ok(&env, &["export", "--format", "jsonl"]).lines().count();
    assert_eq!(incidents, rows);
    let c: Value = serde_json::from_str(&ok(&env, &["compare", "--imported", "--json"])).unwrap();
    assert_eq!(len(&c, "matched"), rows, "{c}");
    assert_eq!(len(&c, "only_truce") + len(&c, "only_theirs"), 0, "{c}");
    // A later release of the same file updates the events in place.
    let said = ok(&env, &["import", "acled.csv"]);
    assert!(said.contains(&format!("(0 new, {rows} updated)")), "{said}");
    // A day range of what was imported, and one dataset.
    let c: Value = serde_json::from_str(&ok(
        &env,
        &["compare", "--imported", "--format", "ucdp", "--json"],
    ))
    .unwrap();
    assert_eq!(
        len(&c, "matched") + len(&c, "only_theirs"),
        0,
        "no UCDP import: {c}"
    );
    // Every import is on the audit log, whose chain still holds.
    let log = ok(&env, &["audit", "log"]);
    assert!(log.contains("external.import"), "{log}");
    ok(&env, &["audit", "verify"]);
}

#[test]
fn files_as_acled_and_ucdp_shipped_them_are_imported() {
    let env = Env::new();
    env.write(
        "kenya-2015.csv",
        "EVENT_ID_CNTY,EVENT_DATE,YEAR,EVENT_TYPE,ACTOR1,INTER1,COUNTRY,LOCATION,LATITUDE,LONGITUDE,FATALITIES\n\
         KEN1,01-January-2015,2015,Battle-No change of territory,Military Forces of Kenya (2013-),1,Kenya,Lamu,-2.27,40.90,3\n\
         KEN2,31-12-15,2015,Remote violence,Al Shabaab,2,Kenya,Garissa,-0.45,39.65,0\n",
    );
    env.write(
        "ged.csv",
        "id,year,type_of_violence,side_a,side_b,where_coordinates,latitude,longitude,country,date_start,date_end,best\n\
         55,2016,3,Al-Shabaab,Civilians,Mandera,3.94,41.86,Kenya,2016-10-25 00:00:00.000,2016-10-25,12\n",
    );
    let said = ok(&env, &["import", "kenya-2015.csv", "ged.csv"]);
    assert!(
        said.contains("2 acled events (2 new, 0 updated), 2015-01-01 to 2015-12-31"),
        "{said}"
    );
    assert!(
        said.contains("1 ucdp events (1 new, 0 updated), 2016-10-25 to 2016-10-25"),
        "{said}"
    );
    let listed = ok(&env, &["import", "--list"]);
    assert!(listed.contains("2015-01-01 to 2015-12-31"), "{listed}");
    assert!(listed.contains("ucdp"), "{listed}");
}

#[test]
fn a_file_with_a_row_that_cannot_be_read_is_refused_whole() {
    let env = Env::new();
    env.write(
        "bad.csv",
        "event_id_cnty,event_date,year,event_type\nX1,2019-05-01,2019,Battles\nX2,05/06/2019,2019,Battles\n",
    );
    refused(
        &env,
        &["import", "bad.csv"],
        "line 3, column event_date: \"05/06/2019\"",
    );
    env.write("empty.csv", "");
    refused(&env, &["import", "empty.csv"], "neither an ACLED file");
    env.write("binary.csv", "\u{0}\u{1}PNG\u{0}");
    refused(&env, &["import", "binary.csv"], "neither an ACLED file");
    refused(&env, &["import", "missing.csv"], "cannot read");
    refused(&env, &["import"], "name the ACLED or UCDP GED files");
    refused(
        &env,
        &["import", "--format", "gdelt", "bad.csv"],
        "use acled or ucdp",
    );
    refused(&env, &["compare"], "or compare --imported");
    refused(
        &env,
        &["compare", "--imported", "--since", "May"],
        "is not a date",
    );
    let listed = ok(&env, &["import", "--list"]);
    assert!(listed.contains("nothing imported"), "{listed}");
}

#[test]
fn imported_events_count_in_the_health_index_only_when_asked_and_never_twice() {
    let env = monitored();
    let violations_on = |args: &[&str], day: &str| -> (u64, Value) {
        let mut all = vec![
            "health",
            "--since",
            "2025-05-10",
            "--until",
            "2025-05-21",
            "--json",
        ];
        all.extend_from_slice(args);
        let out = ok(&env, &all);
        let point = out
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .find(|v| v["point"]["date"] == day)
            .unwrap();
        (
            point["point"]["violations"].as_u64().unwrap(),
            point["imported"].clone(),
        )
    };
    let (before, none) = violations_on(&[], "2025-05-20");
    assert!(none.is_null());
    // Truce's own record, exported and imported: every event matched, nothing added.
    ok(
        &env,
        &["export", "--format", "acled-csv", "--output", "own.csv"],
    );
    ok(&env, &["import", "own.csv"]);
    let (same, counted) = violations_on(&["--with-imported"], "2025-05-20");
    assert_eq!(same, before);
    assert_eq!(counted["violations"], 0, "{counted}");
    assert_eq!(counted["events"], counted["matched"], "{counted}");
    // A shelling by a party in the zone on the 20th that truce never read, one outside the zone,
    // one by a group the agreement excludes.
    env.write(
        "acled.csv",
        "event_id_cnty,event_date,year,event_type,sub_event_type,actor1,inter1,country,admin1,location,latitude,longitude,fatalities\n\
         SYR9001,20 May 2025,2025,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces of Syria (2000-),1,Syria,Aleppo,Al Bab,36.37,37.52,4\n\
         SYR9002,20 May 2025,2025,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces of Syria (2000-),1,Syria,Daraa,Daraa,32.62,36.10,2\n\
         SYR9003,20 May 2025,2025,Explosions/Remote violence,Remote explosive/landmine/IED,Islamic State (Syria),2,Syria,Aleppo,Deir Hafer,36.16,37.71,1\n",
    );
    ok(&env, &["import", "acled.csv"]);
    let (without, _) = violations_on(&[], "2025-05-20");
    assert_eq!(without, before, "imported events count only when asked");
    let (with, counted) = violations_on(&["--with-imported"], "2025-05-20");
    assert_eq!(with, before + 1, "{counted}");
    assert_eq!(counted["violations"], 1, "{counted}");
    let text = ok(
        &env,
        &[
            "health",
            "--since",
            "2025-05-18",
            "--until",
            "2025-05-21",
            "--with-imported",
        ],
    );
    assert!(text.contains("1 likely violation(s) added"), "{text}");
}
