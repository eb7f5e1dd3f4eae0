//! The API's OpenAPI document: every route documented with who may call it, its parameters, its
//! body and its answers, nothing documented that is not served, and the whole a valid OpenAPI
//! 3.1 document by an independent validator. (That every answer the tests see matches its
//! schema is checked by the tests' client itself: `support::conforms`.)

// Each test binary uses part of the shared support.
#[allow(dead_code)]
mod support;

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;
use support::{TestServer, openapi};
use truce_server::ROUTES;

/// Every `$ref` in a value.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get("$ref") {
                out.push(r.clone());
            }
            m.values().for_each(|x| refs(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[test]
fn every_route_is_documented_with_its_parameters_bodies_and_answers_and_nothing_else() {
    let doc = openapi();
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| ["get", "post", "delete", "put", "patch"].contains(&k.as_str()))
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let served: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    assert_eq!(documented, served);

    let mut ids = BTreeSet::new();
    for r in ROUTES {
        let op = &doc["paths"][r.path][r.method.to_lowercase()];
        let at = format!("{} {}", r.method, r.path);
        assert_eq!(op["summary"], r.summary, "{at}");
        assert!(
            op["description"].as_str().unwrap().contains("Allowed: "),
            "{at}: who may call it"
        );
        assert!(ids.insert(op["operationId"].to_string()), "{at}: its id");
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        for name in r
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        {
            assert!(
                params
                    .iter()
                    .any(|p| p["name"] == name && p["in"] == "path" && p["required"] == true),
                "{at}: path parameter {name}"
            );
        }
        for p in &params {
            assert!(p["schema"].is_object(), "{at}: {p} has no schema");
            assert!(p["description"].is_string(), "{at}: {p} is not described");
        }
        let answers = op["responses"].as_object().unwrap();
        let ok: Vec<&String> = answers.keys().filter(|s| s.starts_with('2')).collect();
        assert!(!ok.is_empty(), "{at}: no success documented");
        for status in ok {
            let content = answers[status]["content"].as_object();
            let content = content.unwrap_or_else(|| panic!("{at} {status}: no content"));
            for (kind, body) in content {
                assert!(
                    body["schema"].is_object(),
                    "{at} {status} {kind}: no schema"
                );
                // A JSON answer is described field by field, not as "an object".
                if kind == "application/json" && r.path != "/api/v1/openapi.json" {
                    assert_ne!(
                        body["schema"],
                        serde_json::json!({"type": "object"}),
                        "{at}"
                    );
                }
            }
        }
        for status in ["400", "401", "403", "404"] {
            assert_eq!(
                answers[status]["content"]["application/json"]["schema"]["$ref"],
                "#/components/schemas/ErrorBody",
                "{at} {status}"
            );
        }
        // A change that reads a body says what it reads.
        let reads_body = r.method == "POST"
            && !["/publish", "/unlock", "/pause", "/resume"]
                .iter()
                .any(|end| r.path.ends_with(end));
        if reads_body {
            let content = op["requestBody"]["content"].as_object();
            let content = content.unwrap_or_else(|| panic!("{at}: no request body"));
            assert!(content.values().all(|c| c["schema"].is_object()), "{at}");
        }
    }
    // Every reference names a schema the document holds.
    let mut all = Vec::new();
    refs(doc, &mut all);
    for r in all {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r}"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{r} dangles"
        );
    }
}

#[test]
fn the_record_types_are_described_field_by_field() {
    let schemas = &openapi()["components"]["schemas"];
    let incident = &schemas["IncidentView"]["properties"]["incident"];
    let incident = match incident["$ref"].as_str() {
        Some(r) => &schemas[r.rsplit('/').next().unwrap()],
        None => incident,
    };
    for field in [
        "event_type",
        "date",
        "location",
        "fatalities",
        "perpetrators",
        "target",
    ] {
        assert!(
            incident["properties"][field].is_object(),
            "{field}: {incident}"
        );
    }
    // The words a field may take are listed where the vocabulary is closed.
    let status = serde_json::to_string(&schemas["ReviewStatus"]).unwrap();
    assert!(
        status.contains("under review") && status.contains("discounted"),
        "{status}"
    );
    let code = serde_json::to_string(&schemas["ErrorCode"]).unwrap();
    assert!(
        code.contains("not_found") && code.contains("busy"),
        "{code}"
    );
}

#[test]
fn the_document_is_valid_openapi_3_1() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec_pretty(openapi()).unwrap()).unwrap();
    let script = "import sys\nfrom openapi_spec_validator import validate\nfrom openapi_spec_validator.readers import read_from_filename\nspec, _ = read_from_filename(sys.argv[1])\nvalidate(spec)\nprint('valid')";
    let has_validator = Command::new("python3")
        .args(["-c", "import openapi_spec_validator"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_validator {
        eprintln!(
            "SKIPPED the_document_is_valid_openapi_3_1: Python's openapi-spec-validator is not \
             installed (`pip install openapi-spec-validator==0.9.0`; .ci/run installs it)"
        );
        return;
    }
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "openapi-spec-validator refused the document:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_documented_query_parameter_is_read_by_its_route() {
    let s = TestServer::start(true).await;
    let mut admin = s.as_role("admin").await;
    let doc = openapi();
    // A value each parameter reads; the routes refuse a parameter they do not read ("unknown
    // field", 400).
    let sample = |name: &str| match name {
        "since" | "until" | "date" => "2025-05-20",
        "limit" => "5",
        "public" | "failed" => "1",
        "imported" | "include_discounted" => "true",
        "format" => "jsonl",
        "dataset" => "acled",
        "topic" => "any",
        "bbox" => "30,40,30,40",
        "type" => "Battles",
        "status" => "confirmed",
        "target" => "medical",
        "after" => "1",
        "towns" | "areas" => "5",
        _ => "x",
    };
    for r in ROUTES
        .iter()
        .filter(|r| r.method == "GET" && !r.path.contains('{'))
    {
        let op = &doc["paths"][r.path]["get"];
        for p in op["parameters"].as_array().into_iter().flatten() {
            if p["in"] != "query" {
                continue;
            }
            let name = p["name"].as_str().unwrap();
            let mut value = sample(name);
            if r.path == "/api/v1/reports/daily" && name == "format" {
                value = "md";
            }
            if r.path == "/api/v1/external" && name == "after" {
                value = "2025-05-20:1";
            }
            let mut query = format!("{name}={value}");
            if r.path.starts_with("/api/v1/export") && name != "format" {
                query.push_str("&format=jsonl");
            }
            if r.path == "/api/v1/reports/daily" && name != "date" {
                query.push_str("&date=2025-05-20");
            }
            if r.path.starts_with("/api/v1/search") && name != "q" {
                query.push_str("&q=hospital");
            }
            if r.path == "/api/v1/map/places" && name != "bbox" {
                query.push_str("&bbox=35,36,36,37");
            }
            let reply = admin.get(&format!("{}?{query}", r.path)).await;
            assert!(
                !reply.text.contains("unknown field"),
                "{}: {}",
                r.path,
                reply.text
            );
            assert!(
                reply.status < 400 || (name == "cursor" && reply.status == 400),
                "{} refuses its documented parameter {name}: {} {}",
                r.path,
                reply.status,
                reply.text
            );
        }
        // And a route that reads parameters refuses one it does not document, rather than
        // ignoring it (a misspelt filter would otherwise return everything).
        let reads = op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
        if reads {
            let reply = admin.get(&format!("{}?colour=red", r.path)).await;
            assert_eq!(reply.status, 400, "{} ignores an unknown parameter", r.path);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_answers_generated_requests_as_its_document_says_and_never_fails() {
    // Schemathesis (PyPI) reads the document and sends every route requests made from it, valid
    // and invalid: no answer may be a server error, and every answer must be one the document
    // promises (status, content type, body schema).
    let has_schemathesis = Command::new("st")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_schemathesis {
        eprintln!(
            "SKIPPED the_api_answers_generated_requests_as_its_document_says_and_never_fails: \
             schemathesis is not installed (`pip install schemathesis==4.32.5`; .ci/run installs it)"
        );
        return;
    }
    let s = TestServer::start(true).await;
    let mut admin = s.as_role("admin").await;
    let token = admin
        .post(
            "/api/v1/tokens",
            serde_json::json!({"name": "schemathesis"}),
        )
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let base = s.base.clone();
    // Schemathesis keeps a cache where it runs: somewhere of its own, not in the repository.
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        Command::new("st")
            .current_dir(dir)
            .args([
                "run",
                &format!("{base}/api/v1/openapi.json"),
                "--url",
                &base,
            ])
            .args(["-H", &format!("Authorization: Bearer {token}")])
            .args([
                "--checks",
                "not_a_server_error,response_schema_conformance,status_code_conformance,\
                 content_type_conformance",
            ])
            // Revoking the run's own token would leave the rest of the run unauthenticated.
            .args(["--exclude-method", "DELETE"])
            .args(["--max-examples", "8", "--max-time", "90", "--workers", "1"])
            .args(["--seed", "1", "--no-color"])
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found answers the document does not promise:\n{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
