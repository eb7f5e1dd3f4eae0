//! The store's behaviour, through the `Store` trait only, on a fresh database per test.

use std::sync::Arc;

use truce_model::{
    ContentHash, DocumentFormat, DocumentId, DocumentStatus, NewDocument, SourceRef,
};
use truce_store::{DocumentQuery, IngestBatch, RawBlob, SaveOutcome, Store};

async fn fresh() -> (tempfile::TempDir, Box<dyn Store>) {
    let dir = tempfile::tempdir().unwrap();
    let store = truce_store::open(dir.path().join("t.db").to_str().unwrap())
        .await
        .unwrap();
    (dir, store)
}

fn parsed(location: &str, part: Option<&str>, text: &str, raw: &RawBlob) -> NewDocument {
    NewDocument {
        content_hash: ContentHash::of_parts(&[location.as_bytes(), text.as_bytes()]),
        raw_hash: Some(raw.hash),
        external_id: Some(format!("ext-{text}")),
        format: Some(DocumentFormat::Text),
        source: SourceRef {
            part: part.map(str::to_string),
            ..SourceRef::file(location)
        },
        title: Some("Title".into()),
        url: None,
        published: chrono::NaiveDate::from_ymd_opt(2026, 3, 4),
        language: Some("eng".into()),
        text: Some(text.into()),
        status: DocumentStatus::Parsed,
        error: None,
    }
}

fn failed(location: &str, part: Option<&str>, hash_seed: &str) -> NewDocument {
    NewDocument {
        content_hash: ContentHash::of(hash_seed.as_bytes()),
        raw_hash: None,
        external_id: None,
        format: None,
        source: SourceRef {
            part: part.map(str::to_string),
            ..SourceRef::file(location)
        },
        title: None,
        url: None,
        published: None,
        language: None,
        text: None,
        status: DocumentStatus::Failed,
        error: Some("empty input".into()),
    }
}

fn raw(bytes: &[u8]) -> RawBlob {
    RawBlob::new(Arc::<[u8]>::from(bytes))
}

#[tokio::test]
async fn a_document_round_trips_with_every_field() {
    let (_dir, store) = fresh().await;
    let blob = raw(b"bytes");
    let doc = parsed("/r/a.txt", None, "Shelling in Homs.", &blob);
    let out = store
        .save_batch(&IngestBatch {
            raws: vec![blob.clone()],
            documents: vec![doc.clone()],
            ..Default::default()
        })
        .await
        .unwrap();
    let SaveOutcome::Stored(id) = out[0] else {
        panic!("{out:?}")
    };
    let back = store.document(id).await.unwrap().unwrap();
    assert_eq!(back.doc, doc);
    assert_eq!(back.attempts, 1);
    assert_eq!(store.raw(&blob.hash).await.unwrap().unwrap(), b"bytes");
}

#[tokio::test]
async fn the_same_content_hash_is_stored_once() {
    let (_dir, store) = fresh().await;
    let blob = raw(b"x");
    let doc = parsed("/r/a.txt", None, "same", &blob);
    let batch = IngestBatch {
        raws: vec![blob.clone(), blob],
        documents: vec![doc.clone(), doc],
        ..Default::default()
    };
    let out = store.save_batch(&batch).await.unwrap();
    assert!(matches!(out[0], SaveOutcome::Stored(_)));
    assert_eq!(out[1], SaveOutcome::Duplicate(out[0].id()));
    assert_eq!(store.document_counts().await.unwrap().parsed, 1);
}

#[tokio::test]
async fn a_repeated_failure_counts_attempts_and_a_later_success_recovers_it() {
    let (_dir, store) = fresh().await;
    let first = store
        .save_batch(&IngestBatch {
            raws: vec![],
            documents: vec![failed("/r/b.txt", None, "h")],
            ..Default::default()
        })
        .await
        .unwrap();
    let again = store
        .save_batch(&IngestBatch {
            raws: vec![],
            documents: vec![failed("/r/b.txt", None, "h")],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(again[0], SaveOutcome::FailedAgain(first[0].id()));
    assert_eq!(
        store
            .document(first[0].id())
            .await
            .unwrap()
            .unwrap()
            .attempts,
        2
    );

    // The same hash now parsed: the row becomes a parsed document.
    let blob = raw(b"y");
    let mut fixed = parsed("/r/b.txt", None, "fixed", &blob);
    fixed.content_hash = ContentHash::of(b"h");
    let out = store
        .save_batch(&IngestBatch {
            raws: vec![blob],
            documents: vec![fixed],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(out[0], SaveOutcome::Recovered(first[0].id()));
    let doc = store.document(first[0].id()).await.unwrap().unwrap();
    assert_eq!(doc.doc.status, DocumentStatus::Parsed);
    assert_eq!(doc.doc.error, None);
}

#[tokio::test]
async fn a_parsed_source_supersedes_its_whole_failure_but_not_other_parts() {
    let (_dir, store) = fresh().await;
    let whole = failed("/r/c.jsonl", None, "whole");
    let part = failed("/r/c.jsonl", Some("line 2"), "part");
    let ids = store
        .save_batch(&IngestBatch {
            raws: vec![],
            documents: vec![whole, part],
            ..Default::default()
        })
        .await
        .unwrap();
    let blob = raw(b"z");
    store
        .save_batch(&IngestBatch {
            raws: vec![blob.clone()],
            documents: vec![parsed("/r/c.jsonl", Some("line 1"), "ok", &blob)],
            ..Default::default()
        })
        .await
        .unwrap();
    let status = |id: DocumentId| {
        let store = &store;
        async move { store.document(id).await.unwrap().unwrap().doc.status }
    };
    assert_eq!(status(ids[0].id()).await, DocumentStatus::Superseded);
    assert_eq!(
        status(ids[1].id()).await,
        DocumentStatus::Failed,
        "line 2 still fails"
    );
}

#[tokio::test]
async fn listing_pages_by_cursor_and_filters_by_status() {
    let (_dir, store) = fresh().await;
    let blob = raw(b"w");
    let mut docs: Vec<NewDocument> = (0..25)
        .map(|i| parsed("/r/d", Some(&format!("line {i}")), &i.to_string(), &blob))
        .collect();
    docs.push(failed("/r/e", None, "e"));
    store
        .save_batch(&IngestBatch {
            raws: vec![blob],
            documents: docs,
            ..Default::default()
        })
        .await
        .unwrap();
    let mut query = DocumentQuery {
        limit: 10,
        ..Default::default()
    };
    let mut seen = 0;
    loop {
        let page = store.list_documents(&query).await.unwrap();
        let Some(last) = page.last() else { break };
        assert!(page.len() <= 10);
        seen += page.len();
        query.after = Some(last.id);
    }
    assert_eq!(seen, 26);
    let failed_only = store
        .list_documents(&DocumentQuery {
            status: Some(DocumentStatus::Failed),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(failed_only.len(), 1);
}

#[tokio::test]
async fn documents_are_found_by_id_external_id_or_hash_prefix() {
    let (_dir, store) = fresh().await;
    let blob = raw(b"v");
    let doc = parsed("/r/f", None, "found", &blob);
    let hash = doc.content_hash.to_hex();
    store
        .save_batch(&IngestBatch {
            raws: vec![blob],
            documents: vec![doc],
            ..Default::default()
        })
        .await
        .unwrap();
    for key in ["1", "ext-found", &hash[..8]] {
        assert_eq!(store.find_documents(key).await.unwrap().len(), 1, "{key}");
    }
    assert!(
        store.find_documents("abc").await.unwrap().is_empty(),
        "short prefixes are not hashes"
    );
    assert!(
        store
            .find_documents("' OR 1=1 --")
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_path_that_cannot_be_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let err =
        match truce_store::open(dir.path().join("no/such/folder/t.db").to_str().unwrap()).await {
            Ok(_) => panic!("opened a database in a missing folder"),
            Err(e) => e.to_string(),
        };
    assert!(err.starts_with("cannot open the database at"), "{err}");
}

fn incident(date: Option<&str>, document: i64) -> truce_store::NewIncident {
    truce_store::NewIncident {
        id: None,
        incident: truce_model::Incident {
            event_type: "Battles".into(),
            sub_event_type: None,
            date: date.and_then(|d| d.parse().ok()),
            date_end: None,
            time_precision: 1,
            location: None,
            fatalities: None,
            fatalities_from: None,
            injured: None,
            perpetrators: Vec::new(),
            target: None,
            civilian_targeting: None,
            first_reported: None,
            last_reported: None,
            sources: vec![truce_model::EventRef {
                document,
                ordinal: 0,
            }],
            claims: Vec::new(),
        },
    }
}

#[tokio::test]
async fn incidents_page_newest_first_by_cursor_with_undated_ones_last() {
    let (_dir, store) = fresh().await;
    let dates = [
        Some("2025-05-14"),
        None,
        Some("2025-05-16"),
        Some("2025-05-14"),
        None,
        Some("2025-05-15"),
        Some("2025-05-16"),
    ];
    let new: Vec<_> = dates
        .iter()
        .enumerate()
        .map(|(i, d)| incident(*d, i as i64 + 1))
        .collect();
    store.replace_incidents(Some(&[]), &new, &[]).await.unwrap();
    for limit in [1, 2, 3, 7, 10] {
        let mut seen = Vec::new();
        let mut before = None;
        loop {
            let page = store
                .incidents(&truce_store::IncidentQuery {
                    newest_first: true,
                    before: before.clone(),
                    limit: Some(limit),
                    ..Default::default()
                })
                .await
                .unwrap();
            let Some(last) = page.last() else { break };
            before = Some(last.page_key());
            seen.extend(page.iter().map(|i| (i.incident.date, i.id)));
        }
        let mut expected = seen.clone();
        expected.sort_by(|a, b| {
            a.0.is_none()
                .cmp(&b.0.is_none())
                .then_with(|| b.0.cmp(&a.0))
                .then_with(|| b.1.cmp(&a.1))
        });
        expected.dedup();
        assert_eq!(seen.len(), 7, "page size {limit}: {seen:?}");
        assert_eq!(seen, expected, "page size {limit}");
    }
}

#[tokio::test]
async fn incident_records_are_read_in_id_order_by_page_with_their_assessment() {
    // A file is read on the bulk reader's own connection; an in-memory database by the pool.
    let (_dir, store) = fresh().await;
    incident_records_of(store.as_ref()).await;
    let memory = truce_store::open(":memory:").await.unwrap();
    incident_records_of(memory.as_ref()).await;
}

async fn incident_records_of(store: &dyn Store) {
    let dates = [
        Some("2025-05-16"),
        None,
        Some("2025-05-14"),
        Some("2025-05-15"),
        Some("2025-05-17"),
    ];
    let new: Vec<_> = dates
        .iter()
        .enumerate()
        .map(|(i, d)| incident(*d, i as i64 + 1))
        .collect();
    let ids = store.replace_incidents(Some(&[]), &new, &[]).await.unwrap();
    store
        .save_assessments(&[truce_store::StoredAssessment {
            incident_id: ids[2],
            verdict: truce_model::Verdict::LikelyViolation,
            agreement: Some("Test \u{1f}\u{1e} truce \"2\"".into()),
            agreement_version: Some(2),
            reasons: vec!["A covered party.".into()],
        }])
        .await
        .unwrap();
    let alert = kind_alert;
    store
        .raise_alerts(
            &[],
            &[
                alert(ids[3], "hospital"),
                alert(ids[1], "school"),
                alert(ids[3], "school"),
            ],
        )
        .await
        .unwrap();
    for (since, expected) in [(None, 5), (Some("2025-05-15"), 3), (Some("2026-01-01"), 0)] {
        for limit in [1, 2, 5, 9] {
            let (mut after, mut seen) = (0, Vec::new());
            loop {
                let page = store.incident_records(since, after, limit).await.unwrap();
                assert!(page.len() <= limit as usize);
                let Some(last) = page.last() else { break };
                after = last.id;
                seen.extend(page);
            }
            assert_eq!(seen.len(), expected, "since {since:?}, page size {limit}");
            assert!(seen.windows(2).all(|w| w[0].id < w[1].id), "in id order");
            for r in &seen {
                let incident = r.incident().unwrap();
                assert!(
                    since
                        .is_none_or(|s| incident.date.map(|d| d.to_string()).as_deref() >= Some(s))
                );
                assert_eq!(r.status, truce_model::ReviewStatus::Unverified);
                assert!(
                    r.updated_at > 1_700_000_000,
                    "Unix seconds: {}",
                    r.updated_at
                );
                if r.id == ids[2] {
                    assert_eq!(r.verdict, Some(truce_model::Verdict::LikelyViolation));
                    assert_eq!(
                        r.agreement.as_deref(),
                        Some("Test \u{1f}\u{1e} truce \"2\"")
                    );
                    assert_eq!(r.agreement_version, Some(2));
                } else {
                    assert_eq!(r.verdict, None);
                }
                let kinds: Vec<&str> = r.alerts.iter().map(|a| a.kind().as_str()).collect();
                let expected: &[&str] = match r.id {
                    id if id == ids[3] => &["hospital", "school"],
                    id if id == ids[1] => &["school"],
                    _ => &[],
                };
                assert_eq!(kinds, expected, "alerts of incident {}", r.id);
            }
        }
    }
}

#[tokio::test]
async fn incident_ids_are_never_given_twice_and_kept_ids_may_come_in_any_order() {
    let (_dir, store) = fresh().await;
    let ids = store
        .replace_incidents(
            Some(&[]),
            &[
                incident(Some("2026-01-01"), 1),
                incident(Some("2026-01-02"), 2),
            ],
            &[],
        )
        .await
        .unwrap();
    assert_eq!(ids, [1, 2]);
    // Incident 2, the newest, is retired: a fresh incident written before the one that keeps
    // id 2 must not take it (an older build gave it the freed id, then failed on the kept one).
    let keep = truce_store::NewIncident {
        id: Some(2),
        ..incident(Some("2026-01-02"), 2)
    };
    let ids = store
        .replace_incidents(Some(&[2]), &[incident(Some("2026-01-03"), 3), keep], &[])
        .await
        .unwrap();
    assert_eq!(ids, [3, 2]);
    // Retired for good: its id is not given to the next incident.
    store.replace_incidents(Some(&[3]), &[], &[]).await.unwrap();
    let ids = store
        .replace_incidents(Some(&[]), &[incident(None, 4)], &[])
        .await
        .unwrap();
    assert_eq!(ids, [4]);
    // A kept id still in use is refused, and nothing is written.
    let clash = truce_store::NewIncident {
        id: Some(1),
        ..incident(None, 5)
    };
    let err = store
        .replace_incidents(Some(&[]), &[incident(None, 6), clash], &[])
        .await
        .unwrap_err();
    assert!(matches!(err, truce_store::StoreError::Conflict(_)), "{err}");
    let members = store.incident_members(None).await.unwrap();
    let ids: Vec<i64> = members.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, [1, 2, 4]);
}

/// The documents waiting at a stage, after `after`.
async fn pending(
    store: &dyn Store,
    stage: truce_store::PendingStage,
    after: Option<DocumentId>,
) -> Vec<DocumentId> {
    store.pending_documents(stage, after, 10).await.unwrap()
}

#[tokio::test]
async fn work_is_queued_with_what_makes_it_necessary_and_leaves_with_what_completes_it() {
    use truce_store::PendingStage::{Extract, Resolve};
    let (_dir, store) = fresh().await;
    let blob = raw(b"two reports");
    let outcomes = store
        .save_batch(&IngestBatch {
            raws: vec![blob.clone()],
            documents: vec![
                parsed("a.txt", None, "one", &blob),
                parsed("b.txt", None, "two", &blob),
                failed("c.txt", None, "three"),
            ],
            queue_extraction: true,
        })
        .await
        .unwrap();
    let ids: Vec<DocumentId> = outcomes.iter().map(|o| o.id()).collect();
    // Only the parsed documents wait for extraction; nothing waits for resolution yet.
    assert_eq!(pending(store.as_ref(), Extract, None).await, ids[..2]);
    assert_eq!(
        pending(store.as_ref(), Extract, Some(ids[0])).await,
        ids[1..2]
    );
    assert!(pending(store.as_ref(), Resolve, None).await.is_empty());
    // A batch stored without queueing (`--no-extract`) queues nothing.
    store
        .save_batch(&IngestBatch {
            raws: vec![blob.clone()],
            documents: vec![parsed("d.txt", None, "four", &blob)],
            queue_extraction: false,
        })
        .await
        .unwrap();
    assert_eq!(pending(store.as_ref(), Extract, None).await.len(), 2);
    // Saving an extraction moves the document to the resolution queue.
    let record = truce_model::Extraction {
        id: ids[0].to_string(),
        events: Vec::new(),
        statements: Vec::new(),
        places: Vec::new(),
        talks: Vec::new(),
    };
    store
        .save_extractions("test", &[(ids[0], record)])
        .await
        .unwrap();
    assert_eq!(pending(store.as_ref(), Extract, None).await, ids[1..2]);
    assert_eq!(pending(store.as_ref(), Resolve, None).await, ids[..1]);
    // Writing the incidents of a neighbourhood takes its documents off the queue.
    store
        .replace_incidents(Some(&[]), &[], &ids[..1])
        .await
        .unwrap();
    assert!(pending(store.as_ref(), Resolve, None).await.is_empty());
}

#[tokio::test]
async fn incidents_written_from_a_stale_neighbourhood_never_leave_an_event_outside() {
    use truce_store::PendingStage::Resolve;
    let (_dir, store) = fresh().await;
    let blob = raw(b"a report");
    let outcomes = store
        .save_batch(&IngestBatch {
            raws: vec![blob.clone()],
            documents: vec![parsed("a.txt", None, "one", &blob)],
            queue_extraction: true,
        })
        .await
        .unwrap();
    let doc = outcomes[0].id();
    let event = |n: u32| truce_model::Event {
        event_type: "Battles".into(),
        sub_event_type: None,
        date: format!("2026-03-0{}", n + 1).parse().ok(),
        date_end: None,
        time_precision: Some(1),
        location: None,
        actors: Vec::new(),
        target: None,
        fatalities: None,
        toll_update: false,
        injured: None,
        civilian_targeting: None,
        evidence: Vec::new(),
        confidence: 0.5,
        claims: Vec::new(),
    };
    let record = truce_model::Extraction {
        id: doc.to_string(),
        events: vec![event(0), event(1)],
        statements: Vec::new(),
        places: Vec::new(),
        talks: Vec::new(),
    };
    store
        .save_extractions("test", &[(doc, record)])
        .await
        .unwrap();
    let key = |ordinal| truce_model::EventRef {
        document: doc.0,
        ordinal,
    };
    let holding = |keys: Vec<truce_model::EventRef>| truce_store::NewIncident {
        id: None,
        incident: truce_model::Incident {
            sources: keys,
            ..incident(None, doc.0).incident
        },
    };
    let ids = store
        .replace_incidents(Some(&[]), &[holding(vec![key(0), key(1)])], &[doc])
        .await
        .unwrap();
    assert!(pending(store.as_ref(), Resolve, None).await.is_empty());
    // Another writer, working from what it read earlier, retires the incident and files only
    // one of the two events: the other is not lost from sight, its document waits again.
    store
        .replace_incidents(Some(&ids), &[holding(vec![key(0)])], &[])
        .await
        .unwrap();
    assert_eq!(pending(store.as_ref(), Resolve, None).await, [doc]);
}

#[tokio::test]
async fn the_stores_audience_rule_is_the_models_for_every_reader_and_audience() {
    use truce_model::{Audience, Reader, Role};
    let (_dir, store) = fresh().await;
    let audiences = [
        Audience::CoChairs,
        Audience::Staff,
        Audience::Party("A".into()),
        Audience::Party("B".into()),
        Audience::Parties,
        Audience::Public,
    ];
    for a in &audiences {
        store
            .add_message(7, "writer", &a.to_string(), &[], a)
            .await
            .unwrap();
    }
    let mut readers = vec![Reader::public(), Reader::new(Role::Party, None)];
    for role in Role::ALL {
        readers.push(Reader::new(*role, None));
    }
    readers.push(Reader::new(Role::Party, Some("A".into())));
    readers.push(Reader::new(Role::Party, Some("B".into())));
    for reader in &readers {
        let read: Vec<String> = store
            .messages(7, reader)
            .await
            .unwrap()
            .into_iter()
            .map(|m| m.body)
            .collect();
        let expected: Vec<String> = audiences
            .iter()
            .filter(|a| reader.may_read(a))
            .map(ToString::to_string)
            .collect();
        assert_eq!(read, expected, "{reader:?}");
    }
}

fn correction(
    incident_id: i64,
    kind: truce_model::CorrectionKind,
    field: Option<&str>,
    new: Option<&str>,
) -> truce_model::Correction {
    truce_model::Correction {
        id: 0,
        incident_id,
        kind,
        field: field.map(str::to_string),
        old_value: None,
        new_value: new.map(str::to_string),
        reason: "checked against the hospital register".into(),
        corrected_by: "chair".into(),
        corrected_at: chrono::Utc::now(),
    }
}

/// A correction changes the stored record (and the columns the filters read) at once, and stands
/// over every later merge of the incident: a new source joining it does not undo it.
#[tokio::test]
async fn a_correction_is_the_record_and_outlives_every_later_merge() {
    use truce_model::CorrectionKind::{Correction, Retraction};
    let (_dir, store) = fresh().await;
    let ids = store
        .replace_incidents(
            Some(&[]),
            &[
                incident(Some("2025-05-14"), 1),
                incident(Some("2025-05-15"), 2),
            ],
            &[],
        )
        .await
        .unwrap();
    let (a, b) = (ids[0], ids[1]);
    store
        .add_correction(&correction(
            a,
            Correction,
            Some("date"),
            Some("\"2025-05-10\""),
        ))
        .await
        .unwrap();
    store
        .add_correction(&correction(
            a,
            Correction,
            Some("fatalities.low"),
            Some("7"),
        ))
        .await
        .unwrap();
    let read = store.incident(a).await.unwrap().unwrap();
    assert_eq!(read.incident.date, "2025-05-10".parse().ok());
    assert_eq!(read.incident.fatalities.unwrap().low, Some(7));
    assert!(!read.retracted);
    // The date filter reads the corrected column.
    let q = truce_store::IncidentQuery {
        until: Some("2025-05-11".into()),
        ..Default::default()
    };
    let found: Vec<i64> = store
        .incidents(&q)
        .await
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(found, vec![a]);

    // A second source joins the incident (the resolver writes it again, same id): the corrections
    // stand over the new merge.
    let mut merged = incident(Some("2025-05-14"), 1);
    merged.id = Some(a);
    merged.incident.sources.push(truce_model::EventRef {
        document: 3,
        ordinal: 0,
    });
    merged.incident.fatalities = Some(truce_model::Count {
        low: Some(3),
        best: Some(3),
        high: Some(9),
    });
    store
        .replace_incidents(Some(&[a]), &[merged], &[])
        .await
        .unwrap();
    let read = store.incident(a).await.unwrap().unwrap();
    assert_eq!(read.incident.sources.len(), 2);
    assert_eq!(read.incident.date, "2025-05-10".parse().ok());
    let f = read.incident.fatalities.unwrap();
    assert_eq!((f.low, f.high), (Some(7), Some(9)));

    // A retraction is marked on reads and leaves the incident out of what stands.
    store
        .add_correction(&correction(b, Retraction, None, None))
        .await
        .unwrap();
    assert!(store.incident(b).await.unwrap().unwrap().retracted);
    let records = store.incident_records(None, 0, 10).await.unwrap();
    let stands: Vec<(i64, bool)> = records.iter().map(|r| (r.id, r.stands())).collect();
    assert_eq!(stands, vec![(a, true), (b, false)]);

    // A correction of an incident that is not (or no longer) on the record is refused.
    let e = store
        .add_correction(&correction(
            9999,
            Correction,
            Some("date"),
            Some("\"2025-05-10\""),
        ))
        .await
        .unwrap_err();
    assert!(matches!(e, truce_store::StoreError::NotFound(_)), "{e}");
}

/// An alert the incident no longer raises is cleared (kept in the log), and stands again, as new,
/// when it is raised again.
#[tokio::test]
async fn alerts_an_incident_no_longer_raises_are_cleared_and_kept() {
    let (_dir, store) = fresh().await;
    let ids = store
        .replace_incidents(Some(&[]), &[incident(Some("2025-05-14"), 1)], &[])
        .await
        .unwrap();
    let alert = |kind: &str| kind_alert(ids[0], kind);
    let raised = store
        .raise_alerts(&ids, &[alert("hospital"), alert("school")])
        .await
        .unwrap();
    assert_eq!(raised.len(), 2);
    assert!(
        store
            .raise_alerts(&ids, &[alert("hospital"), alert("school")])
            .await
            .unwrap()
            .is_empty()
    );
    // Corrected: only the hospital stands.
    assert!(
        store
            .raise_alerts(&ids, &[alert("hospital")])
            .await
            .unwrap()
            .is_empty()
    );
    let log = store.alerts_of(&ids).await.unwrap();
    let state: Vec<(&str, bool)> = log
        .iter()
        .map(|a| (a.kind().as_str(), a.cleared_at.is_some()))
        .collect();
    assert_eq!(state, vec![("hospital", false), ("school", true)]);
    // Raised again: it stands again and is new.
    let again = store
        .raise_alerts(&ids, &[alert("hospital"), alert("school")])
        .await
        .unwrap();
    assert_eq!(
        again.iter().map(|a| a.kind().as_str()).collect::<Vec<_>>(),
        vec!["school"]
    );
    assert!(
        store
            .alerts_of(&ids)
            .await
            .unwrap()
            .iter()
            .all(|a| a.cleared_at.is_none())
    );
}

/// An alert raised by the kind of target alone ("hospital reported hit").
fn kind_alert(incident_id: i64, kind: &str) -> truce_store::NewAlert {
    let kind = truce_model::SiteKind::parse(kind).unwrap();
    truce_store::NewAlert {
        incident_id,
        site_id: None,
        alert: truce_model::Alert {
            site: None,
            site_name: None,
            kind,
            distance_km: None,
            label: format!("{} reported hit", kind.as_str()),
            reason: "the reports say so".into(),
            notified_to: Vec::new(),
            perpetrator_was_notified: false,
        },
    }
}

fn external(id: &str, date: &str, fatalities: u32) -> truce_model::ExternalRecord {
    truce_model::ExternalRecord {
        id: id.into(),
        date: date.into(),
        event_type: "Battles".into(),
        location: "Ariha".into(),
        country: Some("SY".into()),
        lat: Some(35.81),
        lon: Some(36.61),
        fatalities,
        actor: Some("Military Forces of Syria (2000-)".into()),
        inter1: Some(1),
        geo_precision: Some(1),
        notes: Some("Clashes, \"heavy\"; a note".into()),
        line: 2,
        ..Default::default()
    }
}

#[tokio::test]
async fn imported_events_are_kept_apart_updated_in_place_and_read_by_day() {
    use truce_model::Dataset;
    use truce_store::ExternalQuery;
    let (_dir, store) = fresh().await;
    let first = [
        external("SYR1", "2025-05-14", 2),
        external("SYR2", "2025-05-15", 0),
        external("SYR3", "2025-05-16", 5),
    ];
    let done = store
        .import_external(Dataset::Acled, &first, "acled.csv sha256:ab", "cli:tester")
        .await
        .unwrap();
    assert_eq!((done.added, done.updated), (3, 0));
    // A later release: one event's toll revised, one new; the same id in UCDP is another event.
    let later = [
        external("SYR3", "2025-05-16", 7),
        external("SYR4", "2025-05-17", 1),
    ];
    let done = store
        .import_external(Dataset::Acled, &later, "acled-2.csv", "cli:tester")
        .await
        .unwrap();
    assert_eq!((done.added, done.updated), (1, 1));
    store
        .import_external(
            Dataset::Ucdp,
            &[external("SYR3", "2025-05-16", 9)],
            "ged.csv",
            "cli:tester",
        )
        .await
        .unwrap();
    let all = store
        .external_events(&ExternalQuery {
            limit: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(all.len(), 5);
    let acled: Vec<(String, u32)> = all
        .iter()
        .filter(|e| e.dataset == Dataset::Acled)
        .map(|e| (e.record.id.clone(), e.record.fatalities))
        .collect();
    assert_eq!(
        acled,
        [
            ("SYR1".to_string(), 2),
            ("SYR2".into(), 0),
            ("SYR3".into(), 7),
            ("SYR4".into(), 1)
        ]
    );
    let syr1 = &all[0];
    assert_eq!(
        syr1.record,
        external("SYR1", "2025-05-14", 2),
        "every field kept"
    );
    assert_eq!(syr1.source, "acled.csv sha256:ab");
    // By day and dataset, paged.
    let page = |after: Option<(String, i64)>| ExternalQuery {
        dataset: Some(Dataset::Acled),
        since: Some("2025-05-15".into()),
        until: Some("2025-05-17".into()),
        after,
        limit: 2,
    };
    let one = store.external_events(&page(None)).await.unwrap();
    let ids: Vec<&str> = one.iter().map(|e| e.record.id.as_str()).collect();
    assert_eq!(ids, ["SYR2", "SYR3"]);
    let last = one.last().map(|e| (e.record.date.clone(), e.id));
    let two = store.external_events(&page(last)).await.unwrap();
    let ids: Vec<&str> = two.iter().map(|e| e.record.id.as_str()).collect();
    assert_eq!(ids, ["SYR4"]);
    let held = store.external_holdings().await.unwrap();
    assert_eq!(held.len(), 2);
    assert_eq!(
        (
            held[0].dataset,
            held[0].events,
            held[0].first.as_str(),
            held[0].last.as_str()
        ),
        (Dataset::Acled, 4, "2025-05-14", "2025-05-17")
    );
    // Each import is on the audit log, and the incidents' record is untouched.
    let log = store.audit(Some("dataset:acled"), 0, 10).await.unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].action, "external.import");
    assert!(
        store
            .incidents(&truce_store::IncidentQuery::default())
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn monitoring_rows_the_store_cannot_read_as_their_type_are_reported_corrupt() {
    let (dir, store) = fresh().await;
    let ids = store
        .replace_incidents(Some(&[]), &[incident(Some("2025-05-14"), 1)], &[])
        .await
        .unwrap();
    store
        .save_assessments(&[truce_store::StoredAssessment {
            incident_id: ids[0],
            verdict: truce_model::Verdict::OutsideScope,
            agreement: None,
            agreement_version: None,
            reasons: Vec::new(),
        }])
        .await
        .unwrap();
    store
        .raise_alerts(&ids, &[kind_alert(ids[0], "school")])
        .await
        .unwrap();
    // Read back as written: typed, the alert whole.
    let a = store.assessments(Some(&ids)).await.unwrap();
    assert_eq!(a[0].verdict, truce_model::Verdict::OutsideScope);
    let alerts = store.alerts_of(&ids).await.unwrap();
    assert_eq!(alerts[0].kind(), truce_model::SiteKind::School);
    assert_eq!(alerts[0].label(), "school reported hit");

    // Someone writes words the model has no type for into the file (past the table's CHECK).
    let c = rusqlite::Connection::open(dir.path().join("t.db")).unwrap();
    c.execute_batch("PRAGMA ignore_check_constraints = ON")
        .unwrap();
    c.execute("UPDATE assessments SET verdict = 'perhaps'", [])
        .unwrap();
    c.execute("UPDATE alerts SET record = '{\"kind\": \"castle\"}'", [])
        .unwrap();
    drop(c);
    for e in [
        store.assessments(Some(&ids)).await.unwrap_err(),
        store.assessments(None).await.unwrap_err(),
        store.alerts_of(&ids).await.unwrap_err(),
        store.alerts(None, 10).await.unwrap_err(),
    ] {
        assert!(
            matches!(e, truce_store::StoreError::Corrupt(_)),
            "{e:?} should be Corrupt"
        );
    }
    let e = store.assessments(None).await.unwrap_err().to_string();
    assert!(e.contains("\"perhaps\" is not a verdict"), "{e}");
}

#[tokio::test]
async fn reports_are_found_by_their_words_in_any_spelling_and_no_words_are_syntax() {
    let (_dir, store) = fresh().await;
    let texts = [
        "Shelling hit the surgical hospital in Arīḩā overnight, doctors said.",
        "A market in Saraqib was struck at noon.",
        "Relatives gathered outside the HOSPITAL gates in Idlib to protest.",
    ];
    let blob = raw(b"bytes");
    let documents: Vec<NewDocument> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| parsed(&format!("/r/{i}.txt"), None, t, &blob))
        .collect();
    store
        .save_batch(&IngestBatch {
            raws: vec![blob.clone()],
            documents,
            ..Default::default()
        })
        .await
        .unwrap();
    let hits = store.search_reports("hospital", 10).await.unwrap();
    assert_eq!(hits.len(), 2, "{hits:#?}");
    assert!(
        hits.iter()
            .all(|h| h.snippet.to_lowercase().contains("hospital"))
    );
    // Diacritics folded: the plain spelling finds the transliterated one.
    let ariha = store.search_reports("ariha hospital", 10).await.unwrap();
    assert_eq!(ariha.len(), 1, "{ariha:#?}");
    assert!(ariha[0].snippet.contains("Arīḩā"), "{}", ariha[0].snippet);
    assert_eq!(
        store
            .search_reports("market Idlib", 10)
            .await
            .unwrap()
            .len(),
        0
    );
    // What FTS5 would read as syntax is read as words, or as nothing: never an error.
    for hostile in [
        "",
        "   ",
        "*",
        "\"",
        "hospital AND",
        "NEAR(",
        "title:hospital",
        "-market",
        "(((",
        "'",
        "hospital\" OR \"market",
    ] {
        let found = store.search_reports(hostile, 10).await;
        assert!(found.is_ok(), "{hostile:?}: {found:?}");
    }
    assert_eq!(
        store.search_reports("text:market", 10).await.unwrap().len(),
        0,
        "`text` is a word here (no report says it), not the column"
    );
}
