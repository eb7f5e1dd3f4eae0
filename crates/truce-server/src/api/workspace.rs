//! People's work on an incident: reviews, corrections, messages and the case file.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use truce_model::correction::shown;
use truce_model::{Audience, Grade, ReviewStatus, Role, Ruling};
use truce_store::{CorrectionKind, Review};
use utoipa::ToSchema;

use super::Items;
use super::incidents::visible;
use crate::access::Permission;
use crate::caller::Caller;
use crate::error::{ApiError, Body, Id};
use crate::state::AppState;
use crate::view::CaseView;

/// Something made, by its id.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    /// Its id.
    pub id: i64,
}

/// The longest note, message or submission accepted.
const MAX_TEXT: usize = 20_000;

fn required(s: &str, what: &str) -> Result<String, ApiError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(ApiError::bad_request(format!("{what} is empty")));
    }
    if t.chars().count() > MAX_TEXT {
        return Err(ApiError::bad_request(format!(
            "{what} is longer than {MAX_TEXT} characters"
        )));
    }
    Ok(t.to_string())
}

/// A review to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// The status it moves to.
    #[schema(value_type = ReviewStatus)]
    status: String,
    /// Its grade (none or empty: ungraded).
    #[schema(value_type = Option<Grade>)]
    grade: Option<String>,
    /// Why.
    note: String,
}

/// A review recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewRecorded {
    /// The review's id.
    pub id: i64,
    /// The incident's status now.
    pub status: ReviewStatus,
    /// Its grade now.
    pub grade: Option<Grade>,
}

/// `POST /api/v1/incidents/{id}/reviews`.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/reviews", tag = "workspace",
    params(("id" = i64, Path, description = "The incident")), request_body = ReviewBody,
    responses((status = 201, description = "Recorded", body = ReviewRecorded)))]
pub async fn review(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
    Body(b): Body<ReviewBody>,
) -> Result<(StatusCode, Json<ReviewRecorded>), ApiError> {
    caller.require(Permission::Review)?;
    visible(&state, &caller, id).await?;
    let status: ReviewStatus = b
        .status
        .parse()
        .map_err(|e| ApiError::bad_request(format!("status: {e}")))?;
    let grade: Option<Grade> = match b.grade.as_deref().map(str::trim).filter(|g| !g.is_empty()) {
        None => None,
        Some(g) => Some(
            g.parse()
                .map_err(|e| ApiError::bad_request(format!("grade: {e}")))?,
        ),
    };
    let r = state
        .store
        .add_review(&Review {
            id: 0,
            incident_id: id,
            status,
            grade,
            note: required(&b.note, "the note")?,
            reviewed_by: caller.name().to_string(),
            reviewed_at: Utc::now(),
        })
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ReviewRecorded {
            id: r.id,
            status: r.status,
            grade: r.grade,
        }),
    ))
}

/// A correction or retraction.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionBody {
    /// `correction` (default) or `retraction`.
    #[schema(pattern = "^(correction|retraction)$")]
    kind: Option<String>,
    /// The field corrected (`date`, `location.name`, `fatalities.best`, ...; none for a
    /// retraction).
    field: Option<String>,
    /// Its value as it should read.
    value: Option<String>,
    /// Why (shown with the correction, to everyone who may read the incident).
    reason: String,
}

/// A correction or retraction made.
#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionMade {
    /// Its id.
    pub id: i64,
    /// `correction` or `retraction`.
    pub kind: String,
    /// The field corrected.
    pub field: Option<String>,
    /// What it read.
    pub old: String,
    /// What it reads now.
    pub new: String,
    /// Whether the incident is retracted now.
    pub retracted: bool,
    /// Alerts the corrected incident raised.
    pub alerts: Vec<AlertLabel>,
}

/// An alert, by what it says.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertLabel {
    /// "strike on a known medical facility", ...
    pub label: String,
}

/// `POST /api/v1/incidents/{id}/corrections`: the record is kept as corrected, a corrected place
/// is found in the gazetteer, and the incident is assessed again (its new alerts posted to the
/// configured webhook).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/corrections", tag = "workspace",
    params(("id" = i64, Path, description = "The incident")), request_body = CorrectionBody,
    responses((status = 201, description = "Made", body = CorrectionMade)))]
pub async fn correct(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
    Body(b): Body<CorrectionBody>,
) -> Result<(StatusCode, Json<CorrectionMade>), ApiError> {
    caller.require(Permission::Correct)?;
    visible(&state, &caller, id).await?;
    let kind = match b.kind.as_deref().unwrap_or("correction") {
        "correction" => CorrectionKind::Correction,
        "retraction" => CorrectionKind::Retraction,
        other => {
            return Err(ApiError::bad_request(format!(
                "kind: {other:?} is not correction or retraction"
            )));
        }
    };
    let request = truce_app::CorrectionRequest {
        kind,
        field: b.field,
        value: b.value,
        reason: b.reason,
    };
    // The engine (and its gazetteer) is built only for a place to look up.
    let engine = if truce_app::correction::needs_gazetteer(&request) {
        Some(state.extractor().await.map_err(ApiError::internal)?)
    } else {
        None
    };
    let done = truce_app::correct(
        state.store.as_ref(),
        engine.as_ref().map(|e| e.gazetteer()),
        state.alert_rule,
        caller.name(),
        id,
        &request,
    )
    .await?;
    state.post_alerts(done.monitor.new_alerts.clone());
    let c = &done.correction;
    Ok((
        StatusCode::CREATED,
        Json(CorrectionMade {
            id: c.id,
            kind: c.kind.as_str().to_string(),
            field: c.field.clone(),
            old: shown(c.old_value.as_deref()),
            new: shown(c.new_value.as_deref()),
            retracted: done.incident.retracted,
            alerts: done
                .monitor
                .new_alerts
                .iter()
                .map(|a| AlertLabel {
                    label: a.label().to_string(),
                })
                .collect(),
        }),
    ))
}

/// A message.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageBody {
    /// What it says (`@name` mentions an account).
    body: String,
    /// Who may read it: `staff` (the default for the staff), `co-chairs`, `parties`,
    /// `party:NAME` (the only one, and the default, for a party's account).
    audience: Option<String>,
}

/// A message on an incident.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    /// Its id.
    pub id: i64,
    /// Who wrote it.
    pub author: String,
    /// What it says.
    pub body: String,
    /// The accounts it mentions.
    pub mentions: Vec<String>,
    /// Who may read it.
    pub audience: Audience,
    /// When (RFC 3339).
    pub at: String,
}

/// A message posted.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessagePosted {
    /// Its id.
    pub id: i64,
    /// The accounts it mentions.
    pub mentions: Vec<String>,
    /// Who may read it.
    pub audience: Audience,
}

/// `GET /api/v1/incidents/{id}/messages` (marks them read for the caller).
#[utoipa::path(get, path = "/api/v1/incidents/{id}/messages", tag = "workspace",
    params(("id" = i64, Path, description = "The incident")),
    responses((status = 200, description = "The messages the caller may read, oldest first", body = Items<MessageView>)))]
pub async fn messages(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
) -> Result<Json<Items<MessageView>>, ApiError> {
    caller.require(Permission::Message)?;
    visible(&state, &caller, id).await?;
    let list = state.store.messages(id, &caller.reader()).await?;
    if let (Some(user), Some(last)) = (&caller.user, list.last()) {
        state.store.mark_read(user.id, id, last.id).await?;
    }
    let items = list
        .into_iter()
        .map(|m| MessageView {
            id: m.id,
            author: m.author,
            body: m.body,
            mentions: m.mentions,
            audience: m.audience,
            at: m.posted_at.to_rfc3339(),
        })
        .collect();
    Ok(Json(Items { items }))
}

/// The `@name` mentions of a message that name accounts.
fn mentions(body: &str, known: &[String]) -> Vec<String> {
    let mut out: Vec<String> = body
        .split(|c: char| c.is_whitespace() || ",.;:!?()".contains(c))
        .filter_map(|w| w.strip_prefix('@'))
        .filter(|w| known.iter().any(|k| k == w))
        .map(str::to_string)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `POST /api/v1/incidents/{id}/messages`.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/messages", tag = "workspace",
    params(("id" = i64, Path, description = "The incident")), request_body = MessageBody,
    responses((status = 201, description = "Posted", body = MessagePosted)))]
pub async fn post_message(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
    Body(b): Body<MessageBody>,
) -> Result<(StatusCode, Json<MessagePosted>), ApiError> {
    caller.require(Permission::Message)?;
    visible(&state, &caller, id).await?;
    let body = required(&b.body, "the message")?;
    let reader = caller.reader();
    let audience = match b
        .audience
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty())
    {
        None => reader.default_audience(),
        Some(a) => a
            .parse::<Audience>()
            .map_err(|e| ApiError::bad_request(format!("audience: {e}")))?,
    };
    if !reader.may_address(&audience) {
        return Err(ApiError::bad_request(format!(
            "audience: you may not write to {audience}"
        )));
    }
    let users = state.store.users().await?;
    let known: Vec<String> = users.iter().map(|u| u.username.clone()).collect();
    let mentioned = mentions(&body, &known);
    // Mentioning someone who could not read the message would tell them nothing, or tempt the
    // writer to widen it by mistake: say so instead.
    if let Some(u) = users
        .iter()
        .find(|u| mentioned.contains(&u.username) && !u.reader().may_read(&audience))
    {
        return Err(ApiError::bad_request(format!(
            "audience: @{} cannot read a message to {audience}; address it to them (for a \
             party, party:NAME or parties) or leave the mention out",
            u.username
        )));
    }
    let m = state
        .store
        .add_message(id, caller.name(), &body, &mentioned, &audience)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(MessagePosted {
            id: m.id,
            mentions: m.mentions,
            audience: m.audience,
        }),
    ))
}

/// An incident's case file, if one is open.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseOf {
    /// The case file as the caller may read it.
    pub case: Option<CaseView>,
}

/// `GET /api/v1/incidents/{id}/case`.
#[utoipa::path(get, path = "/api/v1/incidents/{id}/case", tag = "workspace",
    params(("id" = i64, Path, description = "The incident")),
    responses((status = 200, description = "The case file", body = CaseOf)))]
pub async fn case(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
) -> Result<Json<CaseOf>, ApiError> {
    caller.require(Permission::ReadCase)?;
    let stored = visible(&state, &caller, id).await?;
    let view = crate::view::incident_view(&state, &caller, &stored).await?;
    Ok(Json(CaseOf { case: view.case }))
}

/// A party's submission (a party account submits for its own party; an admin names it).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmissionBody {
    /// What the party says.
    body: String,
    /// The party (an administrator's submission names it; a party's account submits for its
    /// own).
    party: Option<String>,
}

/// A submission filed.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionMade {
    /// Its id.
    pub id: i64,
    /// The party it is for.
    pub party: String,
}

/// `POST /api/v1/incidents/{id}/case/submissions`.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/case/submissions", tag = "workspace",
    params(("id" = i64, Path, description = "The incident")), request_body = SubmissionBody,
    responses((status = 201, description = "Filed", body = SubmissionMade)))]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
    Body(b): Body<SubmissionBody>,
) -> Result<(StatusCode, Json<SubmissionMade>), ApiError> {
    caller.require(Permission::Submit)?;
    visible(&state, &caller, id).await?;
    let user = caller.user.as_ref().ok_or_else(ApiError::unauthenticated)?;
    let party = match user.role {
        Role::Party => user.party.clone().ok_or_else(ApiError::forbidden)?,
        _ => b
            .party
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .ok_or_else(|| ApiError::bad_request("party: name the party this submission is for"))?
            .to_string(),
    };
    let sid = state
        .store
        .add_submission(
            id,
            &party,
            &user.username,
            &required(&b.body, "the submission")?,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(SubmissionMade { id: sid, party })))
}

/// A request for information.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RfiBody {
    /// The party asked.
    party: String,
    /// The question.
    question: String,
    /// The day by which to answer (`YYYY-MM-DD`).
    deadline: String,
}

/// `POST /api/v1/incidents/{id}/case/rfis`.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/case/rfis", tag = "workspace",
    params(("id" = i64, Path, description = "The incident")), request_body = RfiBody,
    responses((status = 201, description = "Asked", body = Created)))]
pub async fn ask(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
    Body(b): Body<RfiBody>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    caller.require(Permission::AskRfi)?;
    visible(&state, &caller, id).await?;
    let deadline = NaiveDate::parse_from_str(b.deadline.trim(), "%Y-%m-%d")
        .map_err(|_| ApiError::bad_request("deadline: expected YYYY-MM-DD"))?;
    let rid = state
        .store
        .add_rfi(
            id,
            &required(&b.party, "the party")?,
            &required(&b.question, "the question")?,
            deadline,
            caller.name(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id: rid })))
}

/// An answer to a request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// The party's answer.
    answer: String,
}

/// A request answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct Answered {
    /// The request.
    pub id: i64,
    /// Always `true`.
    pub answered: bool,
}

/// `POST /api/v1/incidents/{id}/case/rfis/{rfi}/answer`: only the party asked (or an admin).
#[utoipa::path(post, path = "/api/v1/incidents/{id}/case/rfis/{rfi}/answer", tag = "workspace",
    params(("id" = i64, Path, description = "The incident"), ("rfi" = i64, Path, description = "The request")),
    request_body = AnswerBody,
    responses((status = 200, description = "Answered", body = Answered)))]
pub async fn answer(
    State(state): State<AppState>,
    caller: Caller,
    Id((id, rfi)): Id<(i64, i64)>,
    Body(b): Body<AnswerBody>,
) -> Result<Json<Answered>, ApiError> {
    caller.require(Permission::AnswerRfi)?;
    visible(&state, &caller, id).await?;
    let user = caller.user.as_ref().ok_or_else(ApiError::unauthenticated)?;
    let case = state
        .store
        .case_file(id, &caller.reader())
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no request {rfi}")))?;
    let request = case
        .rfis
        .iter()
        .find(|r| r.id == rfi)
        .ok_or_else(|| ApiError::not_found(format!("no request {rfi}")))?;
    if user.role == Role::Party && user.party.as_deref() != Some(request.addressed_to.as_str()) {
        return Err(ApiError::forbidden());
    }
    if !state
        .store
        .answer_rfi(id, rfi, &required(&b.answer, "the answer")?, &user.username)
        .await?
    {
        return Err(ApiError::conflict(format!(
            "request {rfi} is answered already"
        )));
    }
    Ok(Json(Answered {
        id: rfi,
        answered: true,
    }))
}

/// A ruling.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulingBody {
    /// The ruling.
    #[schema(value_type = Ruling)]
    ruling: String,
    /// Its reasons.
    note: String,
}

/// A ruling recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct Ruled {
    /// The ruling.
    pub ruling: Ruling,
}

/// The ruled outcome published.
#[derive(Debug, Serialize, ToSchema)]
pub struct Published {
    /// Always `true`.
    pub published: bool,
}

/// `POST /api/v1/incidents/{id}/case/ruling`.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/case/ruling", tag = "workspace",
    params(("id" = i64, Path, description = "The incident")), request_body = RulingBody,
    responses((status = 200, description = "Ruled", body = Ruled)))]
pub async fn rule(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
    Body(b): Body<RulingBody>,
) -> Result<Json<Ruled>, ApiError> {
    caller.require(Permission::Rule)?;
    visible(&state, &caller, id).await?;
    let ruling: Ruling = b
        .ruling
        .parse()
        .map_err(|e| ApiError::bad_request(format!("ruling: {e}")))?;
    state
        .store
        .rule(
            id,
            ruling,
            &required(&b.note, "the reasons")?,
            caller.name(),
        )
        .await?;
    Ok(Json(Ruled { ruling }))
}

/// `POST /api/v1/incidents/{id}/case/publish`.
#[utoipa::path(post, path = "/api/v1/incidents/{id}/case/publish", tag = "workspace",
    params(("id" = i64, Path, description = "The incident")),
    responses((status = 200, description = "Published", body = Published)))]
pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id<i64>,
) -> Result<Json<Published>, ApiError> {
    caller.require(Permission::Publish)?;
    visible(&state, &caller, id).await?;
    if !state.store.publish_case(id, caller.name()).await? {
        return Err(ApiError::conflict("there is no ruling to publish yet"));
    }
    Ok(Json(Published { published: true }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_name_known_accounts_only() {
        let known = vec!["ana".to_string(), "omar".to_string()];
        assert_eq!(
            mentions("@ana please check, cc @omar. @nobody", &known),
            vec!["ana", "omar"]
        );
        assert!(mentions("email a@b.c", &known).is_empty());
    }
}
