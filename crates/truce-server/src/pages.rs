//! The pages people use: log in and out, the dashboard (also as the public view), and an
//! incident's page. Pages are rendered by askama, which escapes everything it shows.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::{Duration, Utc};
use serde::Deserialize;
use serde_json::Value;
use truce_model::{Audience, Grade, ReviewStatus, Role, Ruling};
use truce_store::NewAudit;

use crate::access::Permission;
use crate::api::incidents::visible;
use crate::auth::{
    LOGIN_CSRF_COOKIE, SESSION_COOKIE, SESSION_HOURS, cookie, decoy_hash, random_token, same,
    set_cookie, token_hash,
};
use crate::caller::{Caller, Credential};
use crate::error::ApiError;
use crate::state::AppState;
use crate::throttle::Throttle;
use crate::view::{CaseView, CorrectionView, IncidentView, incident_view, is_party};

/// What every page shows of the caller.
#[derive(Debug, Clone, Default)]
pub struct Chrome {
    username: Option<String>,
    role: String,
    csrf: Option<String>,
}

impl Chrome {
    fn of(caller: &Caller) -> Self {
        Self {
            username: caller.user.as_ref().map(|u| u.username.clone()),
            role: caller
                .role()
                .map_or("public".into(), |r| r.as_str().to_string()),
            csrf: match &caller.credential {
                Credential::Session { csrf, .. } => Some(csrf.clone()),
                _ => None,
            },
        }
    }
}

fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => ApiError::internal(e).into_response(),
    }
}

/// A page refused or not found, in the workspace's frame, with a way back.
#[derive(Template)]
#[template(path = "refused.html")]
struct RefusedPage {
    chrome: Chrome,
    status: u16,
    heading: String,
    message: String,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    error: Option<String>,
    form_csrf: String,
    next: String,
}

/// Only a path on this site may follow a login: it starts with one `/`, and holds no backslash,
/// whitespace or control character (browsers drop tabs and newlines from a URL, so `/\t/evil`
/// would become `//evil`, another site).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n
                    .chars()
                    .any(|c| c == '\\' || c.is_whitespace() || c.is_control())
                && n.len() < 500 =>
        {
            n.to_string()
        }
        _ => "/".into(),
    }
}

/// Query of the login page.
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
}

fn login_page(
    state: &AppState,
    status: StatusCode,
    error: Option<String>,
    next: String,
) -> Response {
    let token = random_token();
    let mut resp = render(&LoginPage {
        chrome: Chrome::default(),
        error,
        form_csrf: token.clone(),
        next,
    });
    *resp.status_mut() = status;
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            LOGIN_CSRF_COOKIE,
            &token,
            "/login",
            3600,
            state.secure_cookies,
        ),
    );
    resp
}

/// `GET /login`.
pub async fn login_form(
    State(state): State<AppState>,
    axum::extract::Query(q): axum::extract::Query<LoginQuery>,
) -> Response {
    login_page(&state, StatusCode::OK, None, safe_next(q.next.as_deref()))
}

/// The login form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

/// `POST /login`: checks the form's CSRF token against its cookie, the throttle, then the
/// password; a success always starts a new session (an old cookie is never reused).
pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    let cookie_csrf = cookie(&headers, LOGIN_CSRF_COOKIE);
    if !cookie_csrf.is_some_and(|c| same(&c, &f.csrf)) {
        return login_page(
            &state,
            StatusCode::FORBIDDEN,
            Some("The form expired; try again.".into()),
            next,
        );
    }
    let ip = addr.ip();
    let refuse = |wait: std::time::Duration| {
        let mut resp = login_page(
            &state,
            StatusCode::TOO_MANY_REQUESTS,
            Some(format!(
                "Too many failed attempts. Try again in {} minutes.",
                wait.as_secs() / 60 + 1
            )),
            next.clone(),
        );
        resp.headers_mut().insert(
            header::RETRY_AFTER,
            HeaderValue::from(wait.as_secs().max(1)),
        );
        resp
    };
    // Per address, across every name.
    if let Some(wait) = state.throttle.addresses.locked(&ip) {
        return refuse(wait);
    }
    let name = f.username.trim();
    let found = match state.store.user_by_name(name).await {
        Ok(found) => found,
        Err(e) => return ApiError::from(e).into_response(),
    };
    // Per account, across every address (a name without an account locks the same way).
    let locked = match &found {
        Some((user, _)) => user
            .locked_until
            .map(|t| (t - Utc::now()).to_std().unwrap_or_default()),
        None => state
            .throttle
            .unknown_names
            .locked(&Throttle::name_key(name)),
    };
    if let Some(wait) = locked {
        return refuse(wait);
    }
    let hash = found
        .as_ref()
        .map_or_else(|| decoy_hash().to_string(), |(_, h)| h.clone());
    let Ok(ok) = state.passwords.verify(f.password.clone(), hash).await else {
        let mut resp = login_page(
            &state,
            StatusCode::SERVICE_UNAVAILABLE,
            Some("The server is busy checking other logins; try again in a moment.".into()),
            next,
        );
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        return resp;
    };
    let user = match found {
        Some((user, _)) if ok && !user.disabled => user,
        other => {
            state.throttle.addresses.fail(&ip);
            let counted = match &other {
                Some((user, _)) => state
                    .store
                    .record_login_failure(user.id, &state.lockout)
                    .await
                    .map(|_| ()),
                None => {
                    state.throttle.unknown_names.fail(&Throttle::name_key(name));
                    Ok(())
                }
            };
            if let Err(e) = counted {
                return ApiError::from(e).into_response();
            }
            return login_page(
                &state,
                StatusCode::UNAUTHORIZED,
                Some("Wrong username or password.".into()),
                next,
            );
        }
    };
    if let Err(e) = state.store.clear_login_failures(user.id).await {
        return ApiError::from(e).into_response();
    }
    let token = random_token();
    let csrf = random_token();
    let expires = Utc::now() + Duration::hours(SESSION_HOURS);
    if let Err(e) = state
        .store
        .create_session(user.id, &token_hash(&token), &csrf, expires)
        .await
    {
        return ApiError::from(e).into_response();
    }
    let _ = state
        .store
        .append_audit(&NewAudit::staff(
            &user.username,
            "session.login",
            format!("user:{}", user.username),
            serde_json::json!({"address": ip.to_string()}),
        ))
        .await;
    let mut resp = Redirect::to(&next).into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(
            SESSION_COOKIE,
            &token,
            "/",
            SESSION_HOURS * 3600,
            state.secure_cookies,
        ),
    );
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(LOGIN_CSRF_COOKIE, "", "/login", 0, state.secure_cookies),
    );
    resp
}

/// The logout form.
#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    csrf: String,
}

/// `POST /logout`: ends the session (the form carries the session's CSRF token).
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<LogoutForm>,
) -> Response {
    let token = cookie(&headers, SESSION_COOKIE);
    if let Some(token) = token {
        let hash = token_hash(&token);
        match state.store.session(&hash).await {
            Ok(Some((_, csrf))) if same(&csrf, &f.csrf) => {
                if let Err(e) = state.store.delete_session(&hash).await {
                    return ApiError::from(e).into_response();
                }
            }
            Ok(Some(_)) => return ApiError::csrf().into_response(),
            _ => {}
        }
    }
    let mut resp = Redirect::to("/login").into_response();
    resp.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", "/", 0, state.secure_cookies),
    );
    resp
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    public: bool,
    /// Whether the caller may read the archive: the health index, the alerts, imported events
    /// and the reports that say the searched words are shown only then (their routes refuse
    /// everyone else).
    archive: bool,
    since: String,
    until: String,
    types: Vec<&'static str>,
    targets: Vec<&'static str>,
    statuses: Vec<&'static str>,
    /// The audit log's signed head (the public view).
    audit_head: Option<String>,
    /// The diplomatic track: the newest statements about the ceasefire and the talks (date,
    /// who, topic, words), for those who may read the archive.
    diplomacy: Vec<(String, String, String, String)>,
    /// The rounds of talks and meetings the reports tell, newest first (reported, what, where,
    /// when, status).
    rounds: Vec<(String, String, String, String, String)>,
    /// The register of watched sources, for those who keep it (none for others).
    sources: Option<Vec<SourceRow>>,
    /// What a person should know about the sources: each quiet or failing one's notice.
    source_notices: Vec<String>,
}

/// A watched source as the dashboard lists it.
struct SourceRow {
    id: i64,
    name: String,
    url: String,
    kind: &'static str,
    every: String,
    status: String,
    reports: u64,
    last: String,
    next: String,
    paused: bool,
    error: Option<String>,
}

impl SourceRow {
    fn of(s: &truce_model::WatchedSource, now: chrono::DateTime<Utc>) -> Self {
        use truce_model::SourceHealth;
        use truce_model::watched::span;
        let status = match s.health(now) {
            SourceHealth::Paused => "paused".to_string(),
            SourceHealth::Waiting => "not fetched yet".to_string(),
            SourceHealth::Failing { failures, .. } => format!("failing ({failures} in a row)"),
            SourceHealth::Quiet { .. } => "quiet".to_string(),
            SourceHealth::Healthy => s.state.status.to_string(),
        };
        Self {
            id: s.id,
            name: s.name.clone(),
            url: s.url.clone(),
            kind: s.kind.as_str(),
            every: span(i64::from(s.every_secs)),
            status,
            reports: s.state.reports,
            last: s.state.last_fetch_at.map_or_else(
                || "never".to_string(),
                |t| format!("{} ago", span((now - t).num_seconds())),
            ),
            next: s.next_fetch_words(now),
            paused: s.paused,
            error: s.state.error.clone(),
        }
    }
}

const TYPES: &[&str] = &[
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Protests",
    "Riots",
    "Strategic developments",
];

const TARGETS: &[&str] = &[
    "medical",
    "education",
    "market",
    "religious",
    "residential",
    "aid",
    "water",
    "military",
    "infrastructure",
];

async fn dashboard_page(state: &AppState, caller: &Caller, public: bool) -> Response {
    // The default range: the 30 days up to the latest incident the caller can see.
    let mut q = truce_store::IncidentQuery {
        newest_first: true,
        limit: Some(1),
        ..Default::default()
    };
    if public || caller.user.is_none() {
        q.status = Some(ReviewStatus::Confirmed.as_str().into());
    }
    let latest = state
        .store
        .incidents(&q)
        .await
        .ok()
        .and_then(|v| v.first().and_then(|i| i.incident.date))
        .unwrap_or_else(|| Utc::now().date_naive());
    let public = public || caller.user.is_none();
    let audit_head = if public {
        state.audit_head().await
    } else {
        None
    };
    let diplomacy = if !public && caller.may(Permission::ReadArchive) {
        state
            .store
            .statements(&truce_store::StatementQuery {
                topic: Some(String::new()),
                newest_first: true,
                limit: Some(12),
                ..Default::default()
            })
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|s| {
                let st = s.statement;
                let who = match (&st.speaker, &st.title) {
                    (Some(n), Some(t)) => format!("{n} ({t})"),
                    (Some(n), None) => n.clone(),
                    (None, _) => "unnamed".to_string(),
                };
                (
                    s.date.unwrap_or_default(),
                    who,
                    st.topic.unwrap_or_default(),
                    st.text,
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let rounds = if !public && caller.may(Permission::ReadArchive) {
        state
            .store
            .talks(None, 8)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|t| {
                let k = t.talk;
                (
                    t.date.unwrap_or_default(),
                    k.name,
                    k.place.unwrap_or_default(),
                    k.date.unwrap_or_default(),
                    k.status.unwrap_or_default(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let (sources, source_notices) = if !public && caller.may(Permission::ManageSources) {
        let now = Utc::now();
        let list = state.store.sources().await.unwrap_or_else(|e| {
            tracing::error!("cannot read the register of sources: {e}");
            Vec::new()
        });
        let notices = list.iter().filter_map(|s| s.notice(now)).collect();
        (
            Some(list.iter().map(|s| SourceRow::of(s, now)).collect()),
            notices,
        )
    } else {
        (None, Vec::new())
    };
    render(&DashboardPage {
        chrome: Chrome::of(caller),
        public,
        sources,
        source_notices,
        archive: !public && caller.may(Permission::ReadArchive),
        audit_head,
        diplomacy,
        rounds,
        since: (latest - Duration::days(30)).to_string(),
        until: latest.to_string(),
        types: TYPES.to_vec(),
        targets: TARGETS.to_vec(),
        statuses: ReviewStatus::ALL.iter().map(|s| s.as_str()).collect(),
    })
}

/// `GET /`: the dashboard (the public view for visitors who are not logged in).
pub async fn dashboard(State(state): State<AppState>, caller: Caller) -> Response {
    dashboard_page(&state, &caller, false).await
}

/// `GET /public`: the dashboard as the public sees it.
pub async fn public(State(state): State<AppState>, caller: Caller) -> Response {
    dashboard_page(&state, &caller, true).await
}

struct CasePage {
    ruling: Option<String>,
    ruling_note: Option<String>,
    published: bool,
    parties: Vec<(String, Vec<String>)>,
    rfis: Vec<String>,
}

/// One party's row of the claims table: the party, then who accuses, denies and confirms, each
/// claimant with their title, "(calls it deliberate)" where they do, and the source event where
/// the caller may read sources.
fn party_claims(c: &Value) -> (String, String, String, String) {
    let side = |key: &str| {
        c[key]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|x| {
                        let mut who = match (x["claimant"].as_str(), x["title"].as_str()) {
                            (Some(n), Some(t)) => format!("{n} ({t})"),
                            (Some(n), None) => n.to_string(),
                            (None, Some(t)) => t.to_string(),
                            (None, None) => "unnamed".to_string(),
                        };
                        if x["deliberate"] == true {
                            who.push_str(", calls it deliberate");
                        }
                        if let (Some(d), Some(o)) = (
                            x["source"]["document"].as_i64(),
                            x["source"]["ordinal"].as_u64(),
                        ) {
                            who.push_str(&format!(" [source {d}:{o}]"));
                        }
                        who
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .unwrap_or_default()
    };
    (
        s(&c["party"]),
        side("accused_by"),
        side("denied_by"),
        side("confirmed_by"),
    )
}

#[derive(Template)]
#[template(path = "incident.html")]
struct IncidentPage {
    chrome: Chrome,
    v: IncidentView,
    lat: String,
    lon: String,
    what: String,
    when: String,
    place: String,
    killed: String,
    injured: String,
    target: String,
    perpetrators: Vec<String>,
    /// For each party: who accuses it, who denies it, who confirms it.
    claims: Vec<(String, String, String, String)>,
    reported: String,
    corrections: Vec<String>,
    statuses: Vec<(&'static str, bool)>,
    /// Each grade, and whether the record holds it now (the form opens on it).
    grades: Vec<(&'static str, bool)>,
    rulings: Vec<&'static str>,
    correctable: Vec<&'static str>,
    case: Option<CasePage>,
    is_party: bool,
    /// Whether the map draws the protected sites around the incident: for those who keep the
    /// register only.
    sites: bool,
    open_rfis: Vec<(i64, String)>,
    /// Author, time, body, audience.
    messages: Option<Vec<(String, String, String, String)>>,
    /// The audiences the caller may write a message to (value, label), the default first.
    audiences: Vec<(String, String)>,
    history: Option<Vec<crate::history::HistoryLine>>,
}

fn s(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn range(v: &Value) -> String {
    match (v["low"].as_u64(), v["high"].as_u64()) {
        (Some(l), Some(h)) if l != h => format!("{l} to {h} (lowest and highest figures reported)"),
        (Some(l), _) => l.to_string(),
        _ => "-".into(),
    }
}

/// `GET /incidents/{id}`: the merged record, the sources with their sentences highlighted, the
/// map around it, related statements, the case file, messages and history.
pub async fn incident(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Response {
    match incident_inner(&state, &caller, id).await {
        Ok(r) => r,
        Err(e) if e.status == StatusCode::NOT_FOUND && caller.user.is_none() => {
            Redirect::to(&format!("/login?next=/incidents/{id}")).into_response()
        }
        Err(e) => {
            let heading = match e.status {
                StatusCode::NOT_FOUND | StatusCode::FORBIDDEN => {
                    format!("Incident {id} cannot be shown")
                }
                _ => format!("Incident {id} could not be read"),
            };
            let mut page = render(&RefusedPage {
                chrome: Chrome::of(&caller),
                status: e.status.as_u16(),
                heading,
                message: e.message,
            });
            if page.status().is_success() {
                *page.status_mut() = e.status;
            }
            page
        }
    }
}

/// Who reads an item, in words.
fn audience_label(a: &Audience) -> String {
    match a {
        Audience::CoChairs => "co-chairs only".into(),
        Audience::Staff => "staff (co-chairs and monitors)".into(),
        Audience::Party(p) => format!("staff and {p}"),
        Audience::Parties => "staff and every party".into(),
        Audience::Public => "public".into(),
    }
}

async fn incident_inner(state: &AppState, caller: &Caller, id: i64) -> Result<Response, ApiError> {
    caller.require(Permission::ReadIncidents)?;
    let stored = visible(state, caller, id).await?;
    let v = incident_view(state, caller, &stored).await?;
    let r = &v.incident;
    let loc = &r["location"];
    let place = place_line(loc);
    let corrections = correction_lines(&v.corrections);
    let case = v.case.as_ref().map(case_page);
    let open_rfis = open_rfis(&v, caller);
    let messages = messages(state, caller, id).await?;
    let audiences = audiences(state, caller, &stored).await?;
    let history = history(state, caller, id).await?;
    let page = IncidentPage {
        chrome: Chrome::of(caller),
        lat: loc["lat"].as_f64().map_or(String::new(), |x| x.to_string()),
        lon: loc["lon"].as_f64().map_or(String::new(), |x| x.to_string()),
        what: match r["sub_event_type"].as_str() {
            Some(sub) => format!("{} ({sub})", s(&r["event_type"])),
            None => s(&r["event_type"]),
        },
        when: s(&r["date"]),
        place,
        killed: range(&r["fatalities"]),
        injured: range(&r["injured"]),
        target: s(&r["target"]),
        perpetrators: perpetrator_lines(r),
        claims: r["claims"]
            .as_array()
            .map(|cs| cs.iter().map(party_claims).collect())
            .unwrap_or_default(),
        reported: format!("{} to {}", s(&r["first_reported"]), s(&r["last_reported"])),
        corrections,
        statuses: ReviewStatus::ALL
            .iter()
            .map(|x| (x.as_str(), *x == v.status))
            .collect(),
        grades: Grade::ALL
            .iter()
            .map(|g| (g.as_str(), Some(*g) == v.grade))
            .collect(),
        rulings: Ruling::ALL.iter().map(|r| r.as_str()).collect(),
        correctable: truce_model::correction::Field::names(),
        case,
        is_party: is_party(caller),
        sites: caller.may(Permission::ManageMonitoring),
        open_rfis,
        messages,
        audiences,
        history,
        v,
    };
    Ok(render(&page))
}

/// "Place, province, country", as far as the record says.
fn place_line(loc: &Value) -> String {
    match (
        loc["name"].as_str(),
        loc["admin1"].as_str(),
        loc["country"].as_str(),
    ) {
        (Some(n), Some(a), Some(c)) => format!("{n}, {a}, {c}"),
        (Some(n), None, Some(c)) => format!("{n}, {c}"),
        (Some(n), _, _) => n.to_string(),
        _ => "-".into(),
    }
}

/// One line a correction or retraction, oldest first.
fn correction_lines(corrections: &[CorrectionView]) -> Vec<String> {
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    corrections
        .iter()
        .map(|c| {
            if c.kind == "retraction" {
                format!("{}: retracted by {}: {}", c.at, c.by, c.reason)
            } else {
                format!(
                    "{}: {} corrected from {} to {} by {}: {}",
                    c.at,
                    dash(&c.field),
                    dash(&c.old),
                    dash(&c.new),
                    c.by,
                    c.reason
                )
            }
        })
        .collect()
}

/// The case file as the page shows it: each party's submissions, the requests for information.
fn case_page(c: &CaseView) -> CasePage {
    CasePage {
        ruling: c.ruling.map(|r| r.as_str().to_string()),
        ruling_note: c.ruling_note.clone(),
        published: c.published_at.is_some(),
        parties: c
            .parties
            .iter()
            .flatten()
            .map(|p| {
                (
                    p.party.clone(),
                    p.submissions
                        .iter()
                        .map(|x| format!("{} ({}, {})", x.body, x.author, x.at))
                        .collect(),
                )
            })
            .collect(),
        rfis: c
            .rfis
            .iter()
            .flatten()
            .map(|x| {
                let answer = match (&x.answer, x.overdue) {
                    (Some(a), _) => format!(
                        "answered by {}: {a}",
                        x.answered_by.as_deref().unwrap_or("-")
                    ),
                    (None, true) => "OVERDUE, unanswered".to_string(),
                    (None, false) => "unanswered".to_string(),
                };
                format!(
                    "#{} to {}: {} (by {}; {})",
                    x.id, x.addressed_to, x.question, x.deadline, answer
                )
            })
            .collect(),
    }
}

/// The requests still unanswered that the caller may answer (a party: those addressed to it).
fn open_rfis(v: &IncidentView, caller: &Caller) -> Vec<(i64, String)> {
    v.case
        .iter()
        .flat_map(|c| c.rfis.iter().flatten())
        .filter(|x| x.answer.is_none())
        .filter(|x| {
            caller.role() != Some(Role::Party)
                || caller.user.as_ref().and_then(|u| u.party.as_deref())
                    == Some(x.addressed_to.as_str())
        })
        .map(|x| (x.id, x.question.clone()))
        .collect()
}

/// The messages the caller may read (marked read), with author, time, body and audience.
async fn messages(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<Option<Vec<(String, String, String, String)>>, ApiError> {
    Ok(if caller.may(Permission::Message) {
        let list = state.store.messages(id, &caller.reader()).await?;
        if let (Some(u), Some(last)) = (&caller.user, list.last()) {
            state.store.mark_read(u.id, id, last.id).await?;
        }
        Some(
            list.into_iter()
                .map(|m| {
                    (
                        m.author,
                        m.posted_at.format("%Y-%m-%d %H:%M").to_string(),
                        m.body,
                        audience_label(&m.audience),
                    )
                })
                .collect(),
        )
    } else {
        None
    })
}

/// The audiences the caller may write a message to (value, label), the default first.
async fn audiences(
    state: &AppState,
    caller: &Caller,
    stored: &truce_store::StoredIncident,
) -> Result<Vec<(String, String)>, ApiError> {
    let id = stored.id;
    Ok(if caller.may(Permission::Message) {
        let reader = caller.reader();
        let mut parties: Vec<String> = stored
            .incident
            .perpetrators
            .iter()
            .map(|p| p.name.clone())
            .chain(state.store.case_parties(id).await?)
            .collect();
        parties.sort();
        parties.dedup();
        let mut offered: Vec<Audience> = Vec::new();
        for a in std::iter::once(reader.default_audience())
            .chain([Audience::CoChairs, Audience::Staff, Audience::Parties])
            .chain(parties.into_iter().map(Audience::Party))
        {
            if reader.may_address(&a) && !offered.contains(&a) {
                offered.push(a);
            }
        }
        offered
            .iter()
            .map(|a| (a.to_string(), audience_label(a)))
            .collect()
    } else {
        Vec::new()
    })
}

/// The incident's audit history as the caller may read it.
async fn history(
    state: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<Option<Vec<crate::history::HistoryLine>>, ApiError> {
    Ok(if caller.may(Permission::ReadSources) {
        Some(
            state
                .store
                .history(&format!("incident:{id}"), &caller.reader(), 0, 500)
                .await?
                .into_iter()
                .map(|e| crate::history::describe(&e))
                .collect(),
        )
    } else {
        None
    })
}

/// One line an alleged perpetrator, with how many sources name it.
fn perpetrator_lines(r: &Value) -> Vec<String> {
    r["perpetrators"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| {
                    format!(
                        "{} (named by {} source{})",
                        s(&p["name"]),
                        s(&p["sources"]),
                        if p["sources"] == 1 { "" } else { "s" }
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_same_site_paths_follow_a_login() {
        assert_eq!(safe_next(Some("/incidents/12?x=1")), "/incidents/12?x=1");
        for hostile in [
            "//evil.example",
            "/\t/evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "https://evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "evil.example",
            "/\u{0}x",
        ] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
