//! API tokens: created by admins (or the operator at the command line),
//! shown once, stored as a hash, revocable, optionally expiring.

use chrono::{DateTime, Utc};
use entity::{TokenRole, api_token};
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryOrder};
use uuid::Uuid;

use crate::auth::{self, Viewer};
use crate::domain::write::{self, ObjectKind, audit};
use crate::error::{ApiError, Result};

/// A token to create.
#[derive(Clone, Debug)]
pub struct NewToken {
    pub name: String,
    pub role: TokenRole,
    pub region_code: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Creates a token; returns the secret (shown once) and the stored record.
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    t: NewToken,
) -> Result<(String, api_token::Model)> {
    viewer.require_admin()?;
    let name = write::required_text("name", &t.name, 200)?;
    if t.expires_at.is_some_and(|e| e <= Utc::now()) {
        return Err(ApiError::bad_input("expiresAt", "expiresAt is in the past"));
    }
    let txn = write::begin(db).await?;
    match (&t.role, &t.region_code) {
        (TokenRole::Editor, None) => {
            return Err(ApiError::bad_input(
                "regionCode",
                "an editor token needs the region it writes for",
            ));
        }
        (TokenRole::Editor, Some(code)) => {
            super::region::query::require(&txn, "regionCode", code).await?;
            viewer.check_region(&txn, code, "tokens").await?;
        }
        (TokenRole::Admin, Some(code)) => {
            let r = super::region::query::require(&txn, "regionCode", code).await?;
            if r.kind != entity::RegionKind::Province {
                return Err(ApiError::bad_input(
                    "regionCode",
                    "an admin token is scoped to a province, or national",
                ));
            }
            viewer.check_region(&txn, code, "tokens").await?;
        }
        (TokenRole::Admin, None) => {
            if !matches!(
                viewer,
                Viewer::Operator | Viewer::Admin { province: None, .. }
            ) {
                return Err(ApiError::forbidden(
                    "only a national admin may create a national admin token",
                ));
            }
        }
    }
    let (secret, hash) = auth::generate_token();
    let model = api_token::Model {
        id: Uuid::new_v4(),
        name,
        token_hash: hash,
        role: t.role,
        region_code: t.region_code,
        created_at: Utc::now(),
        expires_at: t.expires_at,
        revoked_at: None,
    }
    .into_active_model()
    .insert(&txn)
    .await?;
    audit(
        &txn,
        viewer,
        "createToken",
        ObjectKind::ApiToken,
        model.id,
        write::NONE,
        Some(&model),
    )
    .await?;
    write::commit(txn).await?;
    Ok((secret, model))
}

/// Revokes a token at once; revoking twice is harmless.
pub async fn revoke(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<api_token::Model> {
    viewer.require_admin()?;
    let txn = write::begin(db).await?;
    let before = api_token::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no token has id {id}")))?;
    match &before.region_code {
        Some(code) => viewer.check_region(&txn, code, "tokens").await?,
        None => {
            if !matches!(
                viewer,
                Viewer::Operator | Viewer::Admin { province: None, .. }
            ) {
                return Err(ApiError::forbidden(
                    "only a national admin may revoke a national token",
                ));
            }
        }
    }
    if before.revoked_at.is_some() {
        write::commit(txn).await?;
        return Ok(before);
    }
    let mut after = before.clone();
    after.revoked_at = Some(Utc::now());
    let mut am = after.clone().into_active_model().reset_all();
    am.id = sea_orm::ActiveValue::Unchanged(id);
    am.update(&txn).await?;
    audit(
        &txn,
        viewer,
        "revokeToken",
        ObjectKind::ApiToken,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    write::commit(txn).await?;
    Ok(after)
}

/// Tokens the viewer may manage, newest first.
pub async fn list(db: &DatabaseConnection, viewer: &Viewer) -> Result<Vec<api_token::Model>> {
    viewer.require_admin()?;
    let all = api_token::Entity::find()
        .order_by_desc(api_token::Column::CreatedAt)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for t in all {
        let visible = match &t.region_code {
            Some(code) => viewer.may_write_region(db, code).await?,
            None => matches!(
                viewer,
                Viewer::Operator | Viewer::Admin { province: None, .. }
            ),
        };
        if visible {
            out.push(t);
        }
    }
    Ok(out)
}
