//! Case confidentiality: every item of an incident's workspace (submission, request for
//! information, answer, message, review note, draft ruling, correction, history entry) reaches
//! exactly its audience, through every route that can show it, for every role and for two
//! parties of one incident.

// Each test binary uses part of the shared support.
#[allow(dead_code)]
mod support;

use serde_json::json;
use support::{PASSWORD, TestServer};
use truce_model::Role;
use truce_store::NewUser;

const PARTY_A: &str = "Military Forces of Syria";
const PARTY_B: &str = "Hayat Tahrir al-Sham";

/// The readers of the matrix, with the account name each logs in as.
const READERS: &[&str] = &[
    "public", "admin", "co-chair", "monitor", "party", "party-b", "viewer",
];

/// Each item's marker and who must read it (in the order of [`READERS`]).
const ITEMS: &[(&str, [bool; 7])] = &[
    //                        public admin chair monitor partyA partyB viewer
    ("SUB-A-7f3", [false, true, true, true, true, false, false]),
    ("SUB-B-2c9", [false, true, true, true, false, true, false]),
    ("RFI-A-81d", [false, true, true, true, true, false, false]),
    ("ANS-A-5e0", [false, true, true, true, true, false, false]),
    ("RFI-B-33a", [false, true, true, true, false, true, false]),
    ("ANS-B-9b4", [false, true, true, true, false, true, false]),
    (
        "MSG-CHAIRS-1a7",
        [false, true, true, false, false, false, false],
    ),
    (
        "MSG-STAFF-6d2",
        [false, true, true, true, false, false, false],
    ),
    (
        "MSG-PARTIES-4f8",
        [false, true, true, true, true, true, false],
    ),
    (
        "MSG-TO-A-0c5",
        [false, true, true, true, true, false, false],
    ),
    (
        "MSG-FROM-A-e71",
        [false, true, true, true, true, false, false],
    ),
    (
        "MSG-FROM-B-b58",
        [false, true, true, true, false, true, false],
    ),
    (
        "REVIEW-NOTE-d40",
        [false, true, true, true, false, false, false],
    ),
    (
        "DRAFT-RULING-a62",
        [false, true, true, false, false, false, false],
    ),
    ("CORRECTION-58e", [true, true, true, true, true, true, true]),
];

async fn incident_of_party_a(s: &TestServer) -> i64 {
    s.incidents()
        .await
        .into_iter()
        .find(|i| i.incident.perpetrators.iter().any(|p| p.name == PARTY_A))
        .expect("an incident blaming party A")
        .id
}

/// Everything a reader can be shown of one incident, through every route that shows items.
async fn everything_shown(s: &TestServer, reader: &str, id: i64) -> String {
    let mut c = s.as_role(reader).await;
    let mut all = String::new();
    for path in [
        format!("/api/v1/incidents/{id}"),
        format!("/api/v1/incidents/{id}?public=1"),
        format!("/api/v1/incidents/{id}/case"),
        format!("/api/v1/incidents/{id}/messages"),
        format!("/api/v1/incidents/{id}/history"),
        format!("/incidents/{id}"),
        "/api/v1/unread".to_string(),
        "/api/v1/incidents?limit=500".to_string(),
    ] {
        let r = c.get(&path).await;
        assert!(
            [200, 401, 403, 404].contains(&r.status),
            "{reader} {path}: {} {}",
            r.status,
            r.text
        );
        all.push_str(&r.text);
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_item_reaches_exactly_its_audience_through_every_route() {
    let s = TestServer::start(true).await;
    let hash = truce_server::auth::hash_password(PASSWORD).unwrap();
    s.store
        .create_user(
            &NewUser {
                username: "party-b".into(),
                password_hash: hash,
                role: Role::Party,
                party: Some(PARTY_B.into()),
            },
            "test",
        )
        .await
        .unwrap();
    let id = incident_of_party_a(&s).await;
    let base = format!("/api/v1/incidents/{id}");
    let mut chair = s.as_role("co-chair").await;
    let mut monitor = s.as_role("monitor").await;
    let mut a = s.as_role("party").await;
    let mut b = s.as_role("party-b").await;

    // Party B is not blamed: it cannot see the incident until it is asked about it.
    assert_eq!(b.get(&base).await.status, 404);
    let ask =
        |party: &str, q: &str| json!({"party": party, "question": q, "deadline": "2030-01-01"});
    let rfi_a = chair
        .post(&format!("{base}/case/rfis"), ask(PARTY_A, "RFI-A-81d"))
        .await;
    let rfi_b = chair
        .post(&format!("{base}/case/rfis"), ask(PARTY_B, "RFI-B-33a"))
        .await;
    assert_eq!((rfi_a.status, rfi_b.status), (201, 201), "{}", rfi_b.text);
    let (rfi_a, rfi_b) = (rfi_a.json()["id"].clone(), rfi_b.json()["id"].clone());
    // Now party B sees it, and sees it listed.
    assert_eq!(b.get(&base).await.status, 200);
    let listed = b.get("/api/v1/incidents?limit=500").await.json();
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == id),
        "{listed}"
    );

    let post = |r: support::Reply, what: &str| {
        assert!(
            [200, 201].contains(&r.status),
            "{what}: {} {}",
            r.status,
            r.text
        );
    };
    post(
        a.post(
            &format!("{base}/case/submissions"),
            json!({"body": "SUB-A-7f3"}),
        )
        .await,
        "A submits",
    );
    post(
        b.post(
            &format!("{base}/case/submissions"),
            json!({"body": "SUB-B-2c9"}),
        )
        .await,
        "B submits",
    );
    // Each party answers its own request and cannot answer the other's.
    let other = a
        .post(
            &format!("{base}/case/rfis/{rfi_b}/answer"),
            json!({"answer": "not ours"}),
        )
        .await;
    assert!([403, 404].contains(&other.status), "{}", other.text);
    post(
        a.post(
            &format!("{base}/case/rfis/{rfi_a}/answer"),
            json!({"answer": "ANS-A-5e0"}),
        )
        .await,
        "A answers",
    );
    post(
        b.post(
            &format!("{base}/case/rfis/{rfi_b}/answer"),
            json!({"answer": "ANS-B-9b4"}),
        )
        .await,
        "B answers",
    );
    for (who, body, audience) in [
        ("chair", "MSG-CHAIRS-1a7", Some("co-chairs")),
        ("monitor", "MSG-STAFF-6d2", None),
        ("chair", "MSG-PARTIES-4f8", Some("parties")),
        (
            "chair",
            "MSG-TO-A-0c5",
            Some("party:Military Forces of Syria"),
        ),
        ("a", "MSG-FROM-A-e71", None),
        ("b", "MSG-FROM-B-b58", None),
    ] {
        let mut m = json!({"body": body});
        if let Some(x) = audience {
            m["audience"] = json!(x);
        }
        let c = match who {
            "chair" => &mut chair,
            "monitor" => &mut monitor,
            "a" => &mut a,
            _ => &mut b,
        };
        post(c.post(&format!("{base}/messages"), m).await, body);
    }
    // Nobody writes beyond their reach.
    for (who, audience) in [
        ("a", "parties"),
        ("a", "party:Hayat Tahrir al-Sham"),
        ("a", "staff"),
        ("monitor", "co-chairs"),
        ("chair", "public"),
    ] {
        let c = match who {
            "chair" => &mut chair,
            "monitor" => &mut monitor,
            _ => &mut a,
        };
        let r = c
            .post(
                &format!("{base}/messages"),
                json!({"body": "x", "audience": audience}),
            )
            .await;
        assert_eq!(r.status, 400, "{audience}: {}", r.text);
    }
    post(
        monitor
            .post(
                &format!("{base}/reviews"),
                json!({"status": "confirmed", "note": "REVIEW-NOTE-d40"}),
            )
            .await,
        "review",
    );
    post(
        chair
            .post(
                &format!("{base}/case/ruling"),
                json!({"ruling": "violation", "note": "DRAFT-RULING-a62"}),
            )
            .await,
        "ruling",
    );
    post(
        monitor
            .post(
                &format!("{base}/corrections"),
                json!({"field": "fatalities.low", "value": "4", "reason": "CORRECTION-58e"}),
            )
            .await,
        "correction",
    );

    let mut failures = Vec::new();
    for (r, reader) in READERS.iter().enumerate() {
        let shown = everything_shown(&s, reader, id).await;
        for (marker, audience) in ITEMS {
            if shown.contains(marker) != audience[r] {
                failures.push(format!(
                    "{reader} {} {marker}",
                    if audience[r] { "misses" } else { "reads" }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");

    // Published, the ruling reaches everyone; the submissions stay with their parties.
    post(
        chair.post(&format!("{base}/case/publish"), json!({})).await,
        "publish",
    );
    for reader in ["public", "viewer", "party", "party-b", "monitor"] {
        let shown = everything_shown(&s, reader, id).await;
        assert!(
            shown.contains("DRAFT-RULING-a62"),
            "{reader} misses the published ruling"
        );
        assert_eq!(
            shown.contains("SUB-A-7f3"),
            ["party", "monitor"].contains(&reader),
            "{reader}"
        );
        assert_eq!(
            shown.contains("SUB-B-2c9"),
            ["party-b", "monitor"].contains(&reader),
            "{reader}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unread_lists_only_messages_a_party_may_read_on_incidents_that_concern_it() {
    let s = TestServer::start(true).await;
    let own = incident_of_party_a(&s).await;
    let other = s
        .incidents()
        .await
        .into_iter()
        .find(|i| !i.incident.perpetrators.iter().any(|p| p.name == PARTY_A))
        .unwrap()
        .id;
    let mut chair = s.as_role("co-chair").await;
    for (id, audience) in [(other, "parties"), (own, "staff"), (own, "co-chairs")] {
        let r = chair
            .post(
                &format!("/api/v1/incidents/{id}/messages"),
                json!({"body": "for some", "audience": audience}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let mut party = s.as_role("party").await;
    let unread = party.get("/api/v1/unread").await.json();
    assert_eq!(unread["items"], json!([]), "{unread}");
    chair
        .post(
            &format!("/api/v1/incidents/{own}/messages"),
            json!({"body": "to you", "audience": "parties"}),
        )
        .await;
    let unread = party.get("/api/v1/unread").await.json();
    assert_eq!(unread["items"], json!([{"incident": own, "unread": 1}]));
    // The monitor sees the staff message but not the co-chairs' own.
    let mut monitor = s.as_role("monitor").await;
    let unread = monitor.get("/api/v1/unread").await.json();
    let items = unread["items"].as_array().unwrap();
    let on_own = items.iter().find(|i| i["incident"] == own).unwrap();
    assert_eq!(on_own["unread"], 2, "{unread}");
}

/// Whether the public's map holds the incident inside a box (south, north, west, east).
async fn public_map_has(c: &mut support::Client, id: i64, b: [f64; 4]) -> bool {
    let r = c
        .get(&format!(
            "/api/v1/incidents/points?bbox={},{},{},{}",
            b[0], b[1], b[2], b[3]
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.json()["points"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p[0] == json!(id))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_cannot_recover_more_than_the_rounded_position() {
    let s = TestServer::start(true).await;
    let (id, exact) = s
        .incidents()
        .await
        .into_iter()
        .find_map(|i| {
            let l = i.incident.location.as_ref()?;
            let (lat, lon) = (l.lat?, l.lon?);
            // One whose exact place differs from its rounding, so that a leak would show.
            ((lat * 10.0).round() / 10.0 != lat && (lon * 10.0).round() / 10.0 != lon)
                .then_some((i.id, [lat, lon]))
        })
        .expect("a placed incident");
    let mut public = s.as_role("public").await;
    // Bisect each coordinate with box filters, as an attacker would (the attack took 80
    // requests); what comes out is the published rounding, not the point.
    let mut recovered = [0.0; 2];
    for (axis, found) in recovered.iter_mut().enumerate() {
        let (mut lo, mut hi) = (-180.0_f64, 180.0_f64);
        for _ in 0..60 {
            let mid = (lo + hi) / 2.0;
            let mut b = [-90.0, 90.0, -180.0, 180.0];
            b[axis * 2] = lo;
            b[axis * 2 + 1] = mid;
            if public_map_has(&mut public, id, b).await {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        *found = hi;
    }
    for axis in 0..2 {
        let rounded = (exact[axis] * 10.0).round() / 10.0;
        assert!(
            (recovered[axis] - rounded).abs() < 1e-6,
            "axis {axis}: bisection found {} for {} (published {rounded})",
            recovered[axis],
            exact[axis]
        );
    }
    // The text filter matches published fields only: not the exact coordinates, not the
    // sources' identities.
    let stored = s.store.incident(id).await.unwrap().unwrap();
    let doc = s
        .store
        .document(truce_model::DocumentId(stored.incident.sources[0].document))
        .await
        .unwrap()
        .unwrap();
    let mut probes = vec![format!("{:.4}", exact[0]), "geonameid".to_string()];
    probes.extend(doc.doc.external_id.clone());
    for probe in probes {
        let r = public
            .get(&format!("/api/v1/incidents?q={probe}&limit=500"))
            .await
            .json();
        assert_eq!(r["items"], json!([]), "q={probe} matched for the public");
    }
    let place = stored.incident.location.as_ref().unwrap().name.clone();
    let r = public
        .get(&format!("/api/v1/incidents?q={place}"))
        .await
        .json();
    assert!(r["items"].as_array().unwrap().iter().any(|i| i["id"] == id));
    // The detail names no gazetteer entry, and its coordinates are the rounded ones.
    let d = public.get(&format!("/api/v1/incidents/{id}")).await.json();
    assert!(d["incident"]["location"].get("geonameid").is_none(), "{d}");
    assert_eq!(
        d["incident"]["location"]["lat"].as_f64().unwrap(),
        (exact[0] * 10.0).round() / 10.0
    );
    // The public page prints the audit log's signed head.
    let page = public.get("/public").await;
    let head = page
        .text
        .split("<code>")
        .find(|s| s.starts_with("truce-tree-head v1"))
        .and_then(|s| s.split("</code>").next())
        .expect("a signed head on the public page");
    let head: truce_model::SignedTreeHead = head.parse().unwrap();
    assert!(head.head.size > 0);
    // Staff filter on the exact values.
    let mut monitor = s.as_role("monitor").await;
    let tight = [
        exact[0] - 1e-4,
        exact[0] + 1e-4,
        exact[1] - 1e-4,
        exact[1] + 1e-4,
    ];
    assert!(public_map_has(&mut monitor, id, tight).await);
    assert!(!public_map_has(&mut public, id, tight).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_audiences_and_account_names_get_clear_errors() {
    let s = TestServer::start(true).await;
    let id = incident_of_party_a(&s).await;
    let mut chair = s.as_role("co-chair").await;
    let huge = "x".repeat(100_000);
    for audience in [
        "party:",
        "party:   ",
        "everyone",
        "PUBLIC",
        "\u{0}",
        "party",
        "co-chairs;DROP TABLE messages",
        huge.as_str(),
    ] {
        let r = chair
            .post(
                &format!("/api/v1/incidents/{id}/messages"),
                json!({"body": "x", "audience": audience}),
            )
            .await;
        assert_eq!(r.status, 400, "{:.40}: {}", audience, r.text);
        assert_eq!(r.json()["error"]["code"], "bad_request");
    }
    // An empty audience is the writer's default (the staff, for a co-chair).
    let r = chair
        .post(
            &format!("/api/v1/incidents/{id}/messages"),
            json!({"body": "x", "audience": ""}),
        )
        .await;
    assert_eq!(r.json()["audience"], "staff", "{}", r.text);
    // A party named "party:X" cannot smuggle another audience: the name is the whole party.
    let r = chair
        .post(
            &format!("/api/v1/incidents/{id}/messages"),
            json!({"body": "x", "audience": "party:Military Forces of Syria:staff"}),
        )
        .await;
    assert_eq!(r.json()["audience"], "party:Military Forces of Syria:staff");
    let mut a = s.as_role("party").await;
    let shown = a
        .get(&format!("/api/v1/incidents/{id}/messages"))
        .await
        .text;
    assert!(!shown.contains("Syria:staff"), "{shown}");
    // Unlocking accounts that do not exist, or with hostile names.
    let mut admin = s.as_role("admin").await;
    for name in ["nobody", "%00", "..%2F..%2Fetc", "a%27%20OR%201%3D1"] {
        let r = admin
            .post(&format!("/api/v1/users/{name}/unlock"), json!({}))
            .await;
        assert_eq!(r.status, 404, "{name}: {}", r.text);
    }
}

/// Who accuses and who denies reaches every signed-in reader with the source event that carries
/// it (all of them may read sources), and the public not at all; the page shows them side by
/// side, and in the case file.
#[tokio::test]
async fn claims_are_shown_side_by_side_to_those_who_may_read_them() {
    let s = TestServer::start(true).await;
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../truce-extract/tests/fixtures/claims/wire-aleppo-hospital.txt"
    ))
    .unwrap();
    let mut admin = s.as_role("admin").await;
    let r = admin
        .post(
            "/api/v1/documents",
            json!({"id": "wire-claims", "text": text, "published": "2016-04-28"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = s
        .incidents()
        .await
        .into_iter()
        .find(|i| !i.incident.claims.is_empty())
        .expect("an incident with claims")
        .id;

    let detail = admin.get(&format!("/api/v1/incidents/{id}")).await.json();
    let claims = detail["incident"]["claims"]
        .as_array()
        .or_else(|| detail["claims"].as_array())
        .cloned()
        .unwrap_or_default();
    let syria = claims
        .iter()
        .find(|c| c["party"] == "Military Forces of Syria")
        .unwrap_or_else(|| panic!("{detail:#}"));
    assert_eq!(syria["accused_by"][0]["claimant"], "John Kerry");
    assert_eq!(syria["accused_by"][0]["deliberate"], true);
    assert!(syria["accused_by"][0]["source"]["document"].is_i64());
    assert_eq!(syria["denied_by"][0]["claimant"], "Syrian Defence Ministry");

    let page = admin.get(&format!("/incidents/{id}")).await.text;
    assert!(page.contains("id=\"claims\""), "{page}");
    assert!(page.contains("John Kerry (Secretary of State), calls it deliberate"));
    assert!(page.contains("id=\"case-claims\""));

    // The envoy's words on the ceasefire and the talks are the diplomatic track: on the
    // dashboard and through the API, newest first, never an event.
    let dash = admin.get("/").await.text;
    assert!(dash.contains("id=\"diplomacy\""), "{dash}");
    assert!(dash.contains("Staffan de Mistura"), "{dash}");
    // The round of talks the report announces is on the track with where, when and its status.
    assert!(dash.contains("id=\"rounds\""), "{dash}");
    assert!(
        dash.contains("fourth round of talks</strong> in Geneva, 2016-05 <em>planned</em>"),
        "{dash}"
    );
    let track = admin.get("/api/v1/statements?topic=any").await.json();
    let topics: Vec<&str> = track["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["record"]["topic"].as_str())
        .collect();
    assert!(
        topics.contains(&"ceasefire") && topics.contains(&"talks"),
        "{track:#}"
    );
    let talks = admin.get("/api/v1/statements?topic=talks").await.json();
    assert!(
        talks["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["record"]["topic"] == "talks")
    );
    assert_eq!(
        admin.get("/api/v1/statements?topic=weather").await.status,
        400
    );
    // A party reads who accuses it and who denies it.
    let mut party = s.as_role("party").await;
    let seen = party.get(&format!("/api/v1/incidents/{id}")).await.text;
    assert!(
        seen.contains("accused_by") && seen.contains("John Kerry"),
        "{seen}"
    );
    // The public view carries no claims at all.
    let mut public = s.as_role("public").await;
    let r = public
        .get(&format!("/api/v1/incidents/{id}?public=1"))
        .await;
    assert!(
        !r.text.contains("John Kerry") && !r.text.contains("accused_by"),
        "{}",
        r.text
    );
}
