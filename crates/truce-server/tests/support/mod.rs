//! A real server on 127.0.0.1 over a fresh database holding the fixture reports, and a small
//! HTTP client that keeps its own cookies.

use std::sync::{Arc, OnceLock};

use reqwest::header::{COOKIE, HeaderMap, SET_COOKIE};
use serde_json::Value;
use truce_app::Extractor;
use truce_model::Role;
use truce_store::{NewUser, Store};

/// The fixture reports (the same fictional strikes the CLI's incident tests use), plus a hostile
/// one whose text carries markup.
pub(crate) const REPORTS: &str =
    include_str!("../../../truce-cli/tests/fixtures/incidents/reports.jsonl");
pub(crate) const HOSTILE: &str = r#"{"id": "fx-hostile", "published": "2025-05-20", "title": "<script>alert('title')</script>", "text": "JISR AL-SHUGHUR, Syria - <script>alert('xss')</script> Artillery shells hit the market of Jisr al-Shughur on Tuesday, killing six people, residents said. <img src=x onerror=alert(1)>"}"#;

/// Every test's password.
pub(crate) const PASSWORD: &str = "a long test password";

fn engine() -> Arc<Extractor> {
    static ENGINE: OnceLock<Arc<Extractor>> = OnceLock::new();
    ENGINE
        .get_or_init(|| Arc::new(Extractor::new().expect("engine")))
        .clone()
}

pub(crate) struct TestServer {
    pub(crate) base: String,
    pub(crate) store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// A server over the fixtures, with one account per role (`admin`, `co-chair`, `monitor`,
    /// `party` for "Military Forces of Syria", `viewer`) and, with `review`, every incident
    /// confirmed.
    pub(crate) async fn start(review: bool) -> Self {
        Self::start_with(review, truce_server::Limits::default()).await
    }

    /// [`TestServer::start`] with the server's connection limits.
    pub(crate) async fn start_with(review: bool, limits: truce_server::Limits) -> Self {
        Self::start_configured(review, limits, Default::default()).await
    }

    /// [`TestServer::start_with`] with an alert rule (`[monitor] radius_km`).
    pub(crate) async fn start_configured(
        review: bool,
        limits: truce_server::Limits,
        alert_rule: truce_monitor::AlertRule,
    ) -> Self {
        let config = truce_server::ServerConfig {
            alert_rule,
            ..Default::default()
        };
        Self::start_serving(review, limits, config).await
    }

    /// [`TestServer::start_with`] with the server's settings (a signing key is made for it).
    pub(crate) async fn start_serving(
        review: bool,
        limits: truce_server::Limits,
        config: truce_server::ServerConfig,
    ) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("truce.db");
        let store: Arc<dyn Store> =
            Arc::from(truce_store::open(db.to_str().unwrap()).await.unwrap());
        let file = dir.path().join("reports.jsonl");
        std::fs::write(&file, format!("{REPORTS}\n{HOSTILE}\n")).unwrap();
        let summary = truce_pipeline::Ingestor::new(
            store.as_ref(),
            Default::default(),
            &truce_pipeline::Quiet,
        )
        .ingest_paths(&[file], &[])
        .await
        .unwrap();
        truce_pipeline::extract_documents(store.as_ref(), engine(), Some(&summary.new_documents()))
            .await
            .unwrap();
        let hash = truce_server::auth::hash_password(PASSWORD).unwrap();
        for role in Role::ALL {
            let party = (*role == Role::Party).then(|| "Military Forces of Syria".to_string());
            store
                .create_user(
                    &NewUser {
                        username: role.as_str().into(),
                        password_hash: hash.clone(),
                        role: *role,
                        party,
                    },
                    "test",
                )
                .await
                .unwrap();
        }
        if review {
            for i in store.incidents(&Default::default()).await.unwrap() {
                store
                    .add_review(&truce_store::Review {
                        id: 0,
                        incident_id: i.id,
                        status: truce_model::ReviewStatus::Confirmed,
                        grade: None,
                        note: "seeded".into(),
                        reviewed_by: "monitor".into(),
                        reviewed_at: chrono::Utc::now(),
                    })
                    .await
                    .unwrap();
            }
        }
        let factory: truce_server::ExtractorFactory =
            Arc::new(|| Extractor::new().map_err(|e| e.to_string()));
        let app = truce_server::app(
            store.clone(),
            factory,
            &truce_server::ServerConfig {
                signing_key: Some(Arc::new(
                    truce_model::SigningKey::from_pkcs8(
                        &truce_model::SigningKey::generate().unwrap(),
                    )
                    .unwrap(),
                )),
                ..config
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(truce_server::serve(listener, app, limits));
        Self {
            base,
            store,
            _dir: dir,
        }
    }

    /// The database file.
    /// Adds an agreement over the fixtures' strikes ("Aleppo truce" v2 from 1 May 2025, the
    /// Syrian forces a party) and a notified hospital where they hit, then assesses every
    /// incident.
    pub(crate) async fn monitor_with_agreement_and_site(&self) {
        let agreement = truce_monitor::Agreement::from_toml(
            "name = \"Aleppo truce\"\nversion = 2\nstart = \"2025-05-01\"\n\
             parties = [\"Military Forces of Syria\"]\n",
            &|_: &str| Err("no files".into()),
        )
        .unwrap();
        self.store
            .add_agreement(
                &truce_store::NewAgreement {
                    name: agreement.name.clone(),
                    version: 2,
                    definition: serde_json::to_string(&agreement).unwrap(),
                    source: String::new(),
                },
                "test",
            )
            .await
            .unwrap();
        let sites = truce_monitor::site::from_csv(
            "name,type,lat,lon,notified\nAl-Nour Hospital,hospital,36.2010,37.1610,\
             Military Forces of Syria=2025-04-20\n",
        )
        .unwrap();
        self.store.add_sites(&sites, "test").await.unwrap();
        truce_pipeline::monitor_incidents(self.store.as_ref(), None, Default::default())
            .await
            .unwrap();
    }

    pub(crate) fn db_path(&self) -> String {
        self._dir.path().join("truce.db").display().to_string()
    }

    pub(crate) fn client(&self) -> Client {
        Client {
            base: self.base.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: Vec::new(),
            csrf: None,
            token: None,
        }
    }

    /// A client logged in as the account named after a role ("public" for nobody).
    pub(crate) async fn as_role(&self, role: &str) -> Client {
        let mut c = self.client();
        if role != "public" {
            let status = c.login(role, PASSWORD).await;
            assert_eq!(status, 303, "login as {role}");
        }
        c
    }

    /// Incidents as the admin sees them (id, record).
    pub(crate) async fn incidents(&self) -> Vec<truce_store::StoredIncident> {
        self.store.incidents(&Default::default()).await.unwrap()
    }
}

/// The API's OpenAPI document, as the server serves it.
pub(crate) fn openapi() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| serde_json::to_value(truce_server::openapi_spec()).unwrap())
}

/// The documented route a request path takes (`/api/v1/incidents/12` takes
/// `/api/v1/incidents/{id}`), a literal segment before a parameter.
pub(crate) fn route_of(path: &str) -> Option<&'static str> {
    let path = path.split('?').next().unwrap_or(path);
    let asked: Vec<&str> = path.split('/').collect();
    let paths = openapi()["paths"].as_object()?;
    let fits = |template: &str, literal_only: bool| {
        let t: Vec<&str> = template.split('/').collect();
        t.len() == asked.len()
            && t.iter()
                .zip(&asked)
                .all(|(t, a)| t == a || (!literal_only && t.starts_with('{') && t.ends_with('}')))
    };
    paths
        .keys()
        .find(|t| fits(t, true))
        .or_else(|| paths.keys().find(|t| fits(t, false)))
        .map(String::as_str)
}

/// Checks an answer of the API against the document: its status is one the route documents,
/// and a JSON body matches the schema documented for that status. Every test's client calls it,
/// so every answer the tests see is one the document promises.
pub(crate) fn conforms(method: &str, path: &str, reply: &Reply) {
    if !path.starts_with("/api/v1/") {
        return;
    }
    let doc = openapi();
    let Some(route) = route_of(path) else {
        // An unknown route answers 404 with the error body.
        assert_eq!(
            reply.status, 404,
            "{method} {path}: undocumented route answered"
        );
        return;
    };
    let Some(op) = doc["paths"][route].get(method.to_lowercase()) else {
        assert_eq!(
            reply.status, 405,
            "{method} {path}: undocumented method answered"
        );
        return;
    };
    let status = reply.status.to_string();
    let Some(response) = op["responses"].get(&status) else {
        panic!("{method} {path}: status {status} is not in the document ({route})");
    };
    let json = reply
        .headers
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    if !json {
        return;
    }
    let schema = &response["content"]["application/json"]["schema"];
    assert!(
        schema.is_object(),
        "{method} {path}: a JSON answer with status {status}, and no schema for it"
    );
    let body: Value = serde_json::from_str(&reply.text)
        .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {}", reply.text));
    let validator = validator(route, method, &status, schema);
    let errors: Vec<String> = validator
        .iter_errors(&body)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} {path} answered {status} unlike its schema:\n{}\n{}",
        errors.join("\n"),
        reply.text.chars().take(2000).collect::<String>()
    );
}

/// The validator of a route's answer with a status, compiled once per test binary (each holds
/// the document's components, so compiling it for every answer would be most of the check).
fn validator(
    route: &str,
    method: &str,
    status: &str,
    schema: &Value,
) -> Arc<jsonschema::Validator> {
    type Compiled = std::collections::HashMap<String, Arc<jsonschema::Validator>>;
    static COMPILED: OnceLock<std::sync::Mutex<Compiled>> = OnceLock::new();
    let key = format!("{method} {route} {status}");
    let mut compiled = COMPILED.get_or_init(Default::default).lock().unwrap();
    compiled
        .entry(key)
        .or_insert_with(|| {
            let mut root = schema.clone();
            root["components"] = openapi()["components"].clone();
            Arc::new(jsonschema::draft202012::new(&root).unwrap_or_else(|e| {
                panic!("{method} {route} {status}: the documented schema is not one: {e}")
            }))
        })
        .clone()
}

pub(crate) struct Client {
    pub(crate) base: String,
    pub(crate) http: reqwest::Client,
    pub(crate) cookies: Vec<(String, String)>,
    pub(crate) csrf: Option<String>,
    pub(crate) token: Option<String>,
}

pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) text: String,
}

impl Reply {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }
}

impl Client {
    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, headers: &HeaderMap) {
        for v in headers.get_all(SET_COOKIE) {
            let s = v.to_str().unwrap();
            let (kv, attrs) = s.split_once(';').unwrap_or((s, ""));
            let (k, val) = kv.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != k);
            if !attrs.contains("Max-Age=0") {
                self.cookies.push((k.to_string(), val.to_string()));
            }
        }
    }

    pub(crate) async fn send(&mut self, method: &str, path: &str, body: Option<Value>) -> Reply {
        self.try_send(method, path, body).await.unwrap()
    }

    /// [`Client::send`], saying when the request could not be sent or answered.
    pub(crate) async fn try_send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> Result<Reply, reqwest::Error> {
        let url = format!("{}{}", self.base, path);
        let mut req = self.http.request(method.parse().unwrap(), &url);
        if !self.cookies.is_empty() {
            req = req.header(COOKIE, self.cookie_header());
        }
        if let Some(t) = &self.token {
            req = req.bearer_auth(t);
        }
        if let Some(c) = &self.csrf
            && method != "GET"
        {
            req = req.header("X-CSRF-Token", c);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        self.keep_cookies(&headers);
        let reply = Reply {
            status,
            headers,
            text: resp.text().await?,
        };
        conforms(method, path, &reply);
        Ok(reply)
    }

    pub(crate) async fn get(&mut self, path: &str) -> Reply {
        self.send("GET", path, None).await
    }

    pub(crate) async fn post(&mut self, path: &str, body: Value) -> Reply {
        self.send("POST", path, Some(body)).await
    }

    /// Logs in through the form (its CSRF cookie and field); returns the status.
    pub(crate) async fn login(&mut self, username: &str, password: &str) -> u16 {
        let page = self.get("/login").await;
        let token = page
            .text
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_string();
        let resp = self
            .http
            .post(format!("{}/login", self.base))
            .header(COOKIE, self.cookie_header())
            .form(&[
                ("username", username),
                ("password", password),
                ("csrf", &token),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        self.keep_cookies(&headers);
        if status == 303 {
            let me = self.get("/api/v1/me").await.json();
            self.csrf = me["csrf"].as_str().map(str::to_string);
        }
        status
    }

    pub(crate) fn session(&self) -> Option<String> {
        self.cookies
            .iter()
            .find(|(k, _)| k == truce_server::auth::SESSION_COOKIE)
            .map(|(_, v)| v.clone())
    }
}
