//! The workspace in SQLite. Every mutation runs in a `BEGIN IMMEDIATE` transaction that also
//! appends its audit-log entry, so the log's chain is written by one writer at a time.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};
use truce_model::audit::GENESIS;
use truce_model::{
    Audience, AuditEntry, Grade, Reader, ReviewStatus, Role, Ruling, Seal, chain_hash,
};

use super::SqliteStore;
use super::rows::{corrupt, day};
use crate::{
    ApiToken, CaseFile, Correction, CorrectionKind, IncidentState, LockoutPolicy, Message,
    NewAudit, NewUser, Review, Rfi, StoreError, Submission, User, Workspace,
};

pub(super) fn now() -> String {
    Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

pub(super) fn time(row: &SqliteRow, col: &str) -> Result<DateTime<Utc>, StoreError> {
    let s: String = row.try_get(col)?;
    DateTime::parse_from_rfc3339(&s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| corrupt(col, e))
}

fn opt_time(row: &SqliteRow, col: &str) -> Result<Option<DateTime<Utc>>, StoreError> {
    let s: Option<String> = row.try_get(col)?;
    s.map(|s| {
        DateTime::parse_from_rfc3339(&s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| corrupt(col, e))
    })
    .transpose()
}

fn parse<T: std::str::FromStr<Err = String>>(row: &SqliteRow, col: &str) -> Result<T, StoreError> {
    let s: String = row.try_get(col)?;
    s.parse().map_err(|e| corrupt(col, e))
}

fn opt_parse<T: std::str::FromStr<Err = String>>(
    row: &SqliteRow,
    col: &str,
) -> Result<Option<T>, StoreError> {
    let s: Option<String> = row.try_get(col)?;
    s.map(|s| s.parse().map_err(|e| corrupt(col, e)))
        .transpose()
}

fn user_from_row(row: &SqliteRow) -> Result<User, StoreError> {
    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        role: parse::<Role>(row, "role")?,
        party: row.try_get("party")?,
        created_at: time(row, "created_at")?,
        disabled: row.try_get("disabled")?,
        locked_until: opt_time(row, "locked_until")?.filter(|t| *t > Utc::now()),
    })
}

fn review_from_row(row: &SqliteRow) -> Result<Review, StoreError> {
    Ok(Review {
        id: row.try_get("id")?,
        incident_id: row.try_get("incident_id")?,
        status: parse::<ReviewStatus>(row, "status")?,
        grade: opt_parse::<Grade>(row, "grade")?,
        note: row.try_get("note")?,
        reviewed_by: row.try_get("reviewed_by")?,
        reviewed_at: time(row, "reviewed_at")?,
    })
}

fn message_from_row(row: &SqliteRow) -> Result<Message, StoreError> {
    let mentions: String = row.try_get("mentions")?;
    Ok(Message {
        id: row.try_get("id")?,
        incident_id: row.try_get("incident_id")?,
        author: row.try_get("author")?,
        body: row.try_get("body")?,
        mentions: serde_json::from_str(&mentions).map_err(|e| corrupt("mentions", e))?,
        audience: audience(row)?,
        posted_at: time(row, "posted_at")?,
    })
}

fn audience(row: &SqliteRow) -> Result<Audience, StoreError> {
    let kind: String = row.try_get("audience")?;
    let party: Option<String> = row.try_get("audience_party")?;
    Audience::from_parts(&kind, party.as_deref()).map_err(|e| corrupt("audience", e))
}

/// The audience rule of [`Reader::may_read`] in SQL, as a static string, over
/// `{alias}.audience` and `{alias}.audience_party`, with the reader bound at `$chair` (is a
/// co-chair or administrator), `$staff` (is on the staff) and `$party` (the party of a party's
/// account, else NULL): `readable!(m, 2, 3, 4)`.
macro_rules! readable {
    ($a:ident, $chair:literal, $staff:literal, $party:literal) => {
        concat!(
            "(",
            stringify!($a),
            ".audience = 'public' OR $",
            $chair,
            " OR ($",
            $staff,
            " AND ",
            stringify!($a),
            ".audience <> 'co-chairs')",
            " OR ($",
            $party,
            " IS NOT NULL AND (",
            stringify!($a),
            ".audience = 'parties'",
            " OR (",
            stringify!($a),
            ".audience = 'party' AND ",
            stringify!($a),
            ".audience_party = $",
            $party,
            "))))"
        )
    };
}
pub(super) use readable;

/// The reader's three binds for [`readable`], in order.
pub(super) fn reader_binds(reader: &Reader) -> (bool, bool, Option<String>) {
    (
        reader.is_chair(),
        reader.is_staff(),
        reader.party().map(str::to_string),
    )
}

pub(super) fn correction_from_row(row: &SqliteRow) -> Result<Correction, StoreError> {
    let kind: String = row.try_get("kind")?;
    Ok(Correction {
        id: row.try_get("id")?,
        incident_id: row.try_get("incident_id")?,
        kind: match kind.as_str() {
            "correction" => CorrectionKind::Correction,
            "retraction" => CorrectionKind::Retraction,
            other => return Err(corrupt("correction kind", other)),
        },
        field: row.try_get("field")?,
        old_value: row.try_get("old_value")?,
        new_value: row.try_get("new_value")?,
        reason: row.try_get("reason")?,
        corrected_by: row.try_get("corrected_by")?,
        corrected_at: time(row, "corrected_at")?,
    })
}

fn audit_from_row(row: &SqliteRow) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        seq: row.try_get("seq")?,
        at: row.try_get("at")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        subject: row.try_get("subject")?,
        detail: row.try_get("detail")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

/// Appends an entry inside a write transaction (which holds the database's write lock, so the
/// entry read as last is the last).
pub(super) async fn audit_tx(
    tx: &mut Transaction<'_, Sqlite>,
    e: &NewAudit,
) -> Result<AuditEntry, StoreError> {
    let last: Option<(i64, String)> = sqlx::query_as(
        "SELECT seq, hash FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)",
    )
    .fetch_optional(&mut **tx)
    .await?;
    let (seq, prev_hash) = last.map_or((1, GENESIS.to_string()), |(s, h)| (s + 1, h));
    let at = now();
    let detail = e.detail.to_string();
    let hash = chain_hash(
        &prev_hash, seq, &at, &e.actor, &e.action, &e.subject, &detail,
    );
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, action, subject, detail, prev_hash, hash, \
         audience, audience_party) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(seq)
    .bind(&at)
    .bind(&e.actor)
    .bind(&e.action)
    .bind(&e.subject)
    .bind(&detail)
    .bind(&prev_hash)
    .bind(&hash)
    .bind(e.audience.kind())
    .bind(e.audience.party())
    .execute(&mut **tx)
    .await?;
    Ok(AuditEntry {
        seq,
        at,
        actor: e.actor.clone(),
        action: e.action.clone(),
        subject: e.subject.clone(),
        detail,
        prev_hash,
        hash,
    })
}

/// Appends an entry carrying the seals of the rows it changed, as they now stand (none: the
/// entry as given).
pub(super) async fn audit_sealed(
    tx: &mut Transaction<'_, Sqlite>,
    rows: &[(&str, i64)],
    mut entry: NewAudit,
) -> Result<AuditEntry, StoreError> {
    if !rows.is_empty() {
        let mut seals = Vec::with_capacity(rows.len());
        for (table, key) in rows {
            seals.push(super::seal::seal_one(tx, table, *key).await?);
        }
        entry.detail = super::seal::with_seals(entry.detail, &seals);
    }
    audit_tx(tx, &entry).await
}

/// Appends the audit entry of a change, with the seals of the rows it changed, when it changed
/// any row; says whether it did.
async fn audit_if_changed(
    tx: &mut Transaction<'_, Sqlite>,
    changed: u64,
    rows: &[(&str, i64)],
    entry: NewAudit,
) -> Result<bool, StoreError> {
    if changed > 0 {
        audit_sealed(tx, rows, entry).await?;
    }
    Ok(changed > 0)
}

fn audit(actor: &str, action: &str, subject: String, detail: serde_json::Value) -> NewAudit {
    NewAudit::staff(actor, action, subject, detail)
}

fn audit_for(
    audience: Audience,
    actor: &str,
    action: &str,
    subject: String,
    detail: serde_json::Value,
) -> NewAudit {
    NewAudit {
        audience,
        ..NewAudit::staff(actor, action, subject, detail)
    }
}

impl SqliteStore {
    pub(super) async fn write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Ends an account's sessions and revokes its live tokens (a new password, a disabled
    /// account).
    async fn end_access(tx: &mut Transaction<'_, Sqlite>, user_id: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut **tx)
            .await?;
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
        )
        .bind(user_id)
        .bind(now())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    async fn ensure_case(
        tx: &mut Transaction<'_, Sqlite>,
        incident_id: i64,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let changed = sqlx::query(
            "INSERT INTO cases (incident_id, opened_by, opened_at) VALUES ($1, $2, $3) \
             ON CONFLICT (incident_id) DO NOTHING",
        )
        .bind(incident_id)
        .bind(actor)
        .bind(now())
        .execute(&mut **tx)
        .await?
        .rows_affected();
        let opened = audit_if_changed(
            tx,
            changed,
            &[("cases", incident_id)],
            audit_for(
                Audience::Parties,
                actor,
                "case.open",
                format!("incident:{incident_id}"),
                serde_json::json!({}),
            ),
        )
        .await?;
        Ok(opened)
    }
}

#[async_trait]
impl Workspace for SqliteStore {
    async fn create_user(&self, user: &NewUser, actor: &str) -> Result<User, StoreError> {
        let mut tx = self.write().await?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(&user.username)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!(
                "the username {:?} is taken",
                user.username
            )));
        }
        let row = sqlx::query(
            "INSERT INTO users (username, password_hash, role, party, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING *",
        )
        .bind(&user.username)
        .bind(&user.password_hash)
        .bind(user.role.as_str())
        .bind(&user.party)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let created = user_from_row(&row)?;
        audit_tx(
            &mut tx,
            &audit(
                actor,
                "user.add",
                format!("user:{}", user.username),
                serde_json::json!({"role": user.role, "party": user.party}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }

    async fn user_by_name(&self, username: &str) -> Result<Option<(User, String)>, StoreError> {
        let row = sqlx::query("SELECT * FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| Ok((user_from_row(&r)?, r.try_get("password_hash")?)))
            .transpose()
    }

    async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows = sqlx::query("SELECT * FROM users ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(user_from_row).collect()
    }

    async fn set_password(
        &self,
        username: &str,
        password_hash: &str,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "UPDATE users SET password_hash = $1 WHERE username = $2 RETURNING id",
        )
        .bind(password_hash)
        .bind(username)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else { return Ok(false) };
        Self::end_access(&mut tx, id).await?;
        audit_tx(
            &mut tx,
            &audit(
                actor,
                "user.password",
                format!("user:{username}"),
                serde_json::json!({}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn set_disabled(
        &self,
        username: &str,
        disabled: bool,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let id: Option<i64> =
            sqlx::query_scalar("UPDATE users SET disabled = $1 WHERE username = $2 RETURNING id")
                .bind(disabled)
                .bind(username)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(id) = id else { return Ok(false) };
        if disabled {
            Self::end_access(&mut tx, id).await?;
        }
        audit_tx(
            &mut tx,
            &audit(
                actor,
                if disabled {
                    "user.disable"
                } else {
                    "user.enable"
                },
                format!("user:{username}"),
                serde_json::json!({}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn record_login_failure(
        &self,
        user_id: i64,
        policy: &LockoutPolicy,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        let now = Utc::now();
        let window_start = stamp(now - policy.window);
        let lock = stamp(now + policy.lockout);
        // One statement: concurrent failures cannot lose a count.
        let row: Option<(i64, Option<String>)> = sqlx::query_as(
            "UPDATE users SET \
               failed_logins = CASE WHEN failed_since IS NULL OR failed_since < $2 THEN 1 \
                                    ELSE failed_logins + 1 END, \
               failed_since = CASE WHEN failed_since IS NULL OR failed_since < $2 THEN $3 \
                                   ELSE failed_since END \
             WHERE id = $1 RETURNING failed_logins, locked_until",
        )
        .bind(user_id)
        .bind(&window_start)
        .bind(stamp(now))
        .fetch_optional(&self.pool)
        .await?;
        let Some((failures, locked)) = row else {
            return Ok(None);
        };
        let locked = locked
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc))
            .filter(|t| *t > now);
        if locked.is_some() || failures < i64::from(policy.limit) {
            return Ok(locked);
        }
        sqlx::query(
            "UPDATE users SET locked_until = $2, failed_logins = 0, failed_since = NULL \
             WHERE id = $1",
        )
        .bind(user_id)
        .bind(&lock)
        .execute(&self.pool)
        .await?;
        Ok(Some(now + policy.lockout))
    }

    async fn clear_login_failures(&self, user_id: i64) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE users SET failed_logins = 0, failed_since = NULL, locked_until = NULL \
             WHERE id = $1 AND (failed_logins <> 0 OR locked_until IS NOT NULL)",
        )
        .bind(user_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn unlock_user(&self, username: &str, actor: &str) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let changed = sqlx::query(
            "UPDATE users SET failed_logins = 0, failed_since = NULL, locked_until = NULL \
             WHERE username = $1",
        )
        .bind(username)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let done = audit_if_changed(
            &mut tx,
            changed,
            &[],
            audit(
                actor,
                "user.unlock",
                format!("user:{username}"),
                serde_json::json!({}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(done)
    }

    async fn create_session(
        &self,
        user_id: i64,
        token_hash: &str,
        csrf: &str,
        expires_at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(now())
            .execute(&self.pool)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(user_id)
            .bind(csrf)
            .bind(now())
            .bind(stamp(expires_at))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn session(&self, token_hash: &str) -> Result<Option<(User, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT u.*, s.csrf FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0",
        )
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((user_from_row(&r)?, r.try_get("csrf")?)))
            .transpose()
    }

    async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn create_token(
        &self,
        username: &str,
        name: &str,
        token_hash: &str,
        expires_at: DateTime<Utc>,
        actor: &str,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write().await?;
        let user: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(user) = user else {
            return Err(StoreError::Conflict(format!(
                "no account named {username:?}"
            )));
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(user)
        .bind(name)
        .bind(token_hash)
        .bind(now())
        .bind(stamp(expires_at))
        .fetch_one(&mut *tx)
        .await?;
        audit_tx(
            &mut tx,
            &audit(
                actor,
                "token.add",
                format!("user:{username}"),
                serde_json::json!({"token": id, "name": name, "expires_at": stamp(expires_at)}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn token_user(&self, token_hash: &str) -> Result<Option<User>, StoreError> {
        let row = sqlx::query(
            "SELECT u.* FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 \
               AND u.disabled = 0",
        )
        .bind(token_hash)
        .bind(now())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    async fn tokens(&self) -> Result<Vec<ApiToken>, StoreError> {
        let rows = sqlx::query(
            "SELECT t.id, u.username, t.name, t.created_at, t.revoked_at, t.expires_at \
             FROM api_tokens t \
             JOIN users u ON u.id = t.user_id ORDER BY t.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ApiToken {
                    id: r.try_get("id")?,
                    username: r.try_get("username")?,
                    name: r.try_get("name")?,
                    created_at: time(r, "created_at")?,
                    revoked_at: opt_time(r, "revoked_at")?,
                    expires_at: time(r, "expires_at")?,
                })
            })
            .collect()
    }

    async fn revoke_token(&self, id: i64, actor: &str) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let changed = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
        )
        .bind(now())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let done = audit_if_changed(
            &mut tx,
            changed,
            &[],
            audit(
                actor,
                "token.revoke",
                format!("token:{id}"),
                serde_json::json!({}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(done)
    }

    async fn add_review(&self, review: &Review) -> Result<Review, StoreError> {
        let mut tx = self.write().await?;
        let at = stamp(review.reviewed_at);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO reviews (incident_id, status, grade, note, reviewed_by, reviewed_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(review.incident_id)
        .bind(review.status.as_str())
        .bind(review.grade.map(Grade::as_str))
        .bind(&review.note)
        .bind(&review.reviewed_by)
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO incident_state (incident_id, status, grade, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (incident_id) DO UPDATE SET \
             status = excluded.status, grade = excluded.grade, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(review.incident_id)
        .bind(review.status.as_str())
        .bind(review.grade.map(Grade::as_str))
        .bind(&review.reviewed_by)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        audit_sealed(
            &mut tx,
            &[("reviews", id), ("incident_state", review.incident_id)],
            audit(
                &review.reviewed_by,
                "review.add",
                format!("incident:{}", review.incident_id),
                serde_json::json!({"status": review.status, "grade": review.grade, "note": review.note}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(Review {
            id,
            ..review.clone()
        })
    }

    async fn reviews(&self, incident_id: i64) -> Result<Vec<Review>, StoreError> {
        let rows = sqlx::query("SELECT * FROM reviews WHERE incident_id = $1 ORDER BY id")
            .bind(incident_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(review_from_row).collect()
    }

    async fn incident_state(&self, incident_id: i64) -> Result<Option<IncidentState>, StoreError> {
        let row = sqlx::query("SELECT * FROM incident_state WHERE incident_id = $1")
            .bind(incident_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| {
            Ok(IncidentState {
                incident_id,
                status: parse::<ReviewStatus>(&r, "status")?,
                grade: opt_parse::<Grade>(&r, "grade")?,
                updated_by: r.try_get("updated_by")?,
                updated_at: time(&r, "updated_at")?,
            })
        })
        .transpose()
    }

    async fn add_message(
        &self,
        incident_id: i64,
        author: &str,
        body: &str,
        mentions: &[String],
        audience: &Audience,
    ) -> Result<Message, StoreError> {
        let mut tx = self.write().await?;
        let mentions_json = serde_json::to_string(mentions).map_err(|e| corrupt("mentions", e))?;
        let row = sqlx::query(
            "INSERT INTO messages (incident_id, author, body, mentions, posted_at, audience, \
             audience_party) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *",
        )
        .bind(incident_id)
        .bind(author)
        .bind(body)
        .bind(&mentions_json)
        .bind(now())
        .bind(audience.kind())
        .bind(audience.party())
        .fetch_one(&mut *tx)
        .await?;
        let message = message_from_row(&row)?;
        audit_sealed(
            &mut tx,
            &[("messages", message.id)],
            audit_for(
                audience.clone(),
                author,
                "message.post",
                format!("incident:{incident_id}"),
                serde_json::json!({"message": message.id, "body": body, "mentions": mentions,
                                   "audience": audience}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(message)
    }

    async fn messages(
        &self,
        incident_id: i64,
        reader: &Reader,
    ) -> Result<Vec<Message>, StoreError> {
        let (chair, staff, party) = reader_binds(reader);
        let rows = sqlx::query(concat!(
            "SELECT * FROM messages m WHERE m.incident_id = $1 AND ",
            readable!(m, 2, 3, 4),
            " ORDER BY m.id"
        ))
        .bind(incident_id)
        .bind(chair)
        .bind(staff)
        .bind(party)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(message_from_row).collect()
    }

    async fn mark_read(&self, user_id: i64, incident_id: i64, last: i64) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO message_reads (user_id, incident_id, last_read) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, incident_id) DO UPDATE SET last_read = max(last_read, excluded.last_read)",
        )
        .bind(user_id)
        .bind(incident_id)
        .bind(last)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn unread(&self, user: &User) -> Result<Vec<(i64, u32)>, StoreError> {
        let reader = user.reader();
        let (chair, staff, party) = reader_binds(&reader);
        // A party counts only the incidents it may see: those it is blamed for or asked about.
        let rows: Vec<(i64, i64)> = sqlx::query_as(concat!(
            "SELECT m.incident_id, count(*) FROM messages m \
             LEFT JOIN message_reads r ON r.user_id = $1 AND r.incident_id = m.incident_id \
             WHERE m.id > coalesce(r.last_read, 0) AND m.author <> $2 AND ",
            readable!(m, 3, 4, 5),
            " AND ($6 = 0 OR EXISTS (SELECT 1 FROM incidents i WHERE i.id = m.incident_id \
                        AND instr(coalesce(i.perpetrators, ''), '|' || $5 || '|') > 0) \
                    OR EXISTS (SELECT 1 FROM case_rfis q WHERE q.addressed_to = $5 \
                        AND q.incident_id = m.incident_id)) \
             GROUP BY m.incident_id ORDER BY m.incident_id"
        ))
        .bind(user.id)
        .bind(&user.username)
        .bind(chair)
        .bind(staff)
        .bind(party)
        .bind(user.role == Role::Party)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(i, n)| (i, n as u32)).collect())
    }

    async fn open_case(&self, incident_id: i64, actor: &str) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        Self::ensure_case(&mut tx, incident_id, actor).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn case_file(
        &self,
        incident_id: i64,
        reader: &Reader,
    ) -> Result<Option<CaseFile>, StoreError> {
        let (chair, staff, party) = reader_binds(reader);
        // The ruling is the co-chairs' until it is published.
        let Some(row) = sqlx::query(
            "SELECT incident_id, opened_by, opened_at, published_at, \
             CASE WHEN $2 OR published_at IS NOT NULL THEN ruling END AS ruling, \
             CASE WHEN $2 OR published_at IS NOT NULL THEN ruling_note END AS ruling_note, \
             CASE WHEN $2 OR published_at IS NOT NULL THEN ruled_by END AS ruled_by, \
             CASE WHEN $2 OR published_at IS NOT NULL THEN ruled_at END AS ruled_at \
             FROM cases WHERE incident_id = $1",
        )
        .bind(incident_id)
        .bind(chair)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        // A submission, a request and its answer are the staff's and their party's.
        let submissions = sqlx::query(
            "SELECT * FROM case_submissions WHERE incident_id = $1 AND ($2 OR party = $3) \
             ORDER BY id",
        )
        .bind(incident_id)
        .bind(staff)
        .bind(party.clone())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Submission {
                id: r.try_get("id")?,
                party: r.try_get("party")?,
                author: r.try_get("author")?,
                body: r.try_get("body")?,
                submitted_at: time(r, "submitted_at")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let rfis = sqlx::query(
            "SELECT * FROM case_rfis WHERE incident_id = $1 AND ($2 OR addressed_to = $3) \
             ORDER BY id",
        )
        .bind(incident_id)
        .bind(staff)
        .bind(party)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let deadline: String = r.try_get("deadline")?;
            Ok(Rfi {
                id: r.try_get("id")?,
                addressed_to: r.try_get("addressed_to")?,
                question: r.try_get("question")?,
                deadline: day("deadline", &deadline)?,
                asked_by: r.try_get("asked_by")?,
                asked_at: time(r, "asked_at")?,
                answer: r.try_get("answer")?,
                answered_by: r.try_get("answered_by")?,
                answered_at: opt_time(r, "answered_at")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(CaseFile {
            incident_id,
            opened_by: row.try_get("opened_by")?,
            opened_at: time(&row, "opened_at")?,
            ruling: opt_parse::<Ruling>(&row, "ruling")?,
            ruling_note: row.try_get("ruling_note")?,
            ruled_by: row.try_get("ruled_by")?,
            ruled_at: opt_time(&row, "ruled_at")?,
            published_at: opt_time(&row, "published_at")?,
            submissions,
            rfis,
        }))
    }

    async fn case_parties(&self, incident_id: i64) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT addressed_to FROM case_rfis WHERE incident_id = $1 ORDER BY 1",
        )
        .bind(incident_id)
        .fetch_all(&self.pool)
        .await?)
    }

    async fn add_submission(
        &self,
        incident_id: i64,
        party: &str,
        author: &str,
        body: &str,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write().await?;
        Self::ensure_case(&mut tx, incident_id, author).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO case_submissions (incident_id, party, author, body, submitted_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(incident_id)
        .bind(party)
        .bind(author)
        .bind(body)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        audit_sealed(
            &mut tx,
            &[("case_submissions", id)],
            audit_for(
                Audience::Party(party.to_string()),
                author,
                "case.submit",
                format!("incident:{incident_id}"),
                serde_json::json!({"submission": id, "party": party, "body": body}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn add_rfi(
        &self,
        incident_id: i64,
        party: &str,
        question: &str,
        deadline: NaiveDate,
        actor: &str,
    ) -> Result<i64, StoreError> {
        let mut tx = self.write().await?;
        Self::ensure_case(&mut tx, incident_id, actor).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO case_rfis (incident_id, addressed_to, question, deadline, asked_by, asked_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(incident_id)
        .bind(party)
        .bind(question)
        .bind(deadline.to_string())
        .bind(actor)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        audit_sealed(
            &mut tx,
            &[("case_rfis", id)],
            audit_for(
                Audience::Party(party.to_string()),
                actor,
                "case.rfi",
                format!("incident:{incident_id}"),
                serde_json::json!({"rfi": id, "party": party, "question": question,
                                   "deadline": deadline}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn answer_rfi(
        &self,
        incident_id: i64,
        rfi_id: i64,
        answer: &str,
        actor: &str,
    ) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let party: Option<String> = sqlx::query_scalar(
            "UPDATE case_rfis SET answer = $1, answered_by = $2, answered_at = $3 \
             WHERE id = $4 AND incident_id = $5 AND answer IS NULL RETURNING addressed_to",
        )
        .bind(answer)
        .bind(actor)
        .bind(now())
        .bind(rfi_id)
        .bind(incident_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(party) = party else {
            return Ok(false);
        };
        audit_sealed(
            &mut tx,
            &[("case_rfis", rfi_id)],
            audit_for(
                Audience::Party(party),
                actor,
                "case.answer",
                format!("incident:{incident_id}"),
                serde_json::json!({"rfi": rfi_id, "answer": answer}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn rule(
        &self,
        incident_id: i64,
        ruling: Ruling,
        note: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.write().await?;
        Self::ensure_case(&mut tx, incident_id, actor).await?;
        sqlx::query("UPDATE cases SET ruling = $1, ruling_note = $2, ruled_by = $3, ruled_at = $4 WHERE incident_id = $5")
            .bind(ruling.as_str())
            .bind(note)
            .bind(actor)
            .bind(now())
            .bind(incident_id)
            .execute(&mut *tx)
            .await?;
        audit_sealed(
            &mut tx,
            &[("cases", incident_id)],
            audit_for(
                Audience::CoChairs,
                actor,
                "case.rule",
                format!("incident:{incident_id}"),
                serde_json::json!({"ruling": ruling, "note": note}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn publish_case(&self, incident_id: i64, actor: &str) -> Result<bool, StoreError> {
        let mut tx = self.write().await?;
        let changed = sqlx::query(
            "UPDATE cases SET published_at = $1 WHERE incident_id = $2 AND ruling IS NOT NULL",
        )
        .bind(now())
        .bind(incident_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let done = audit_if_changed(
            &mut tx,
            changed,
            &[("cases", incident_id)],
            audit_for(
                Audience::Public,
                actor,
                "case.publish",
                format!("incident:{incident_id}"),
                serde_json::json!({}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(done)
    }

    async fn add_correction(&self, c: &Correction) -> Result<Correction, StoreError> {
        let mut tx = self.write().await?;
        // The incident's record is kept as corrected (every reader reads the same record): the
        // correction is applied to it here, in the same transaction, and over every later merge.
        let record: Option<String> =
            sqlx::query_scalar("SELECT record FROM incidents WHERE id = $1")
                .bind(c.incident_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(record) = record else {
            return Err(StoreError::NotFound(format!(
                "no incident {} (merged into another, or never recorded)",
                c.incident_id
            )));
        };
        let mut sealed: Vec<(&str, i64)> = Vec::with_capacity(2);
        if c.kind == CorrectionKind::Correction {
            let mut incident: truce_model::Incident =
                serde_json::from_str(&record).map_err(|e| corrupt("incident record", e))?;
            if truce_model::correction::correct_in_place(&mut incident, std::slice::from_ref(c)) {
                super::incidents::rewrite_incident(&mut tx, c.incident_id, &incident).await?;
                sealed.push(("incidents", c.incident_id));
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO corrections (incident_id, kind, field, old_value, new_value, reason, corrected_by, corrected_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(c.incident_id)
        .bind(c.kind.as_str())
        .bind(&c.field)
        .bind(&c.old_value)
        .bind(&c.new_value)
        .bind(&c.reason)
        .bind(&c.corrected_by)
        .bind(stamp(c.corrected_at))
        .fetch_one(&mut *tx)
        .await?;
        sealed.push(("corrections", id));
        audit_sealed(
            &mut tx,
            &sealed,
            audit_for(
                Audience::Public,
                &c.corrected_by,
                if c.kind == CorrectionKind::Retraction { "incident.retract" } else { "incident.correct" },
                format!("incident:{}", c.incident_id),
                // Read by the public: values as shown (a place's name, never its point).
                serde_json::json!({"field": c.field,
                    "old": c.field.as_ref().map(|_| truce_model::correction::shown(c.old_value.as_deref())),
                    "new": c.field.as_ref().map(|_| truce_model::correction::shown(c.new_value.as_deref())),
                    "reason": c.reason}),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(Correction { id, ..c.clone() })
    }

    async fn corrections(&self, incident_id: i64) -> Result<Vec<Correction>, StoreError> {
        let rows = sqlx::query("SELECT * FROM corrections WHERE incident_id = $1 ORDER BY id")
            .bind(incident_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(correction_from_row).collect()
    }

    async fn sealed_rows(&self) -> Result<Vec<Seal>, StoreError> {
        self.sql_sealed_rows().await
    }

    async fn save_tree_head(&self, size: u64, line: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit_heads (size, line, issued_at) VALUES ($1, $2, $3) \
             ON CONFLICT (line) DO NOTHING",
        )
        .bind(size as i64)
        .bind(line)
        .bind(now())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    async fn tree_heads(&self) -> Result<Vec<String>, StoreError> {
        Ok(
            sqlx::query_scalar("SELECT line FROM audit_heads ORDER BY id")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    async fn append_audit(&self, entry: &NewAudit) -> Result<AuditEntry, StoreError> {
        let mut tx = self.write().await?;
        let e = audit_tx(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(e)
    }

    async fn history(
        &self,
        subject: &str,
        reader: &Reader,
        after: i64,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let (chair, staff, party) = reader_binds(reader);
        let rows = sqlx::query(concat!(
            "SELECT * FROM audit_log a WHERE a.subject = $1 AND a.seq > $2 AND ",
            readable!(a, 3, 4, 5),
            " ORDER BY a.seq LIMIT $6"
        ))
        .bind(subject)
        .bind(after)
        .bind(chair)
        .bind(staff)
        .bind(party)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(audit_from_row).collect()
    }

    async fn audit(
        &self,
        subject: Option<&str>,
        after: i64,
        limit: u32,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT * FROM audit_log WHERE seq > $1 AND ($2 IS NULL OR subject = $2) ORDER BY seq LIMIT $3",
        )
        .bind(after)
        .bind(subject)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(audit_from_row).collect()
    }
}
