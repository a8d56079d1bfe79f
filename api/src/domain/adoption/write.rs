//! Writes of adoptions (a region taking up a practice) along their
//! stages.

use chrono::{NaiveDate, Utc};
use entity::{AdoptionStage, adoption};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::domain::write::{self, MAX_LONG_TEXT, MAX_SHORT_TEXT, ObjectKind, audit, check_version};
use crate::error::{ApiError, Result};

use AdoptionStage::*;

/// The stages an adoption may move to from `from`.
pub fn adoption_next(from: AdoptionStage) -> &'static [AdoptionStage] {
    match from {
        Interested => &[Preparing, Stopped],
        Preparing => &[Piloting, Stopped],
        Piloting => &[Adopted, Stopped],
        Adopted => &[Stopped],
        Stopped => &[],
    }
}

/// An adoption to record; it starts as INTERESTED.
#[derive(Clone, Debug)]
pub struct NewAdoption {
    pub practice_id: Uuid,
    pub region_code: String,
    pub agreement_id: Option<Uuid>,
    pub started_on: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// Records that `region_code` takes up a practice.
pub async fn record_adoption(
    db: &DatabaseConnection,
    viewer: &Viewer,
    practice_id: Uuid,
    region_code: &str,
    agreement_id: Option<Uuid>,
    started_on: Option<NaiveDate>,
    notes: Option<String>,
) -> Result<adoption::Model> {
    let txn = write::begin(db).await?;
    let n = NewAdoption {
        practice_id,
        region_code: region_code.to_owned(),
        agreement_id,
        started_on,
        notes,
    };
    let saved = record_adoption_in(&txn, viewer, n, "", "recordAdoption").await?;
    write::commit(txn).await?;
    Ok(saved)
}

/// [`record_adoption`] inside the caller's transaction (accepting an
/// expression of interest); field names in errors get `prefix`, the audit
/// entry says `action`.
pub async fn record_adoption_in(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    n: NewAdoption,
    prefix: &str,
    action: &str,
) -> Result<adoption::Model> {
    let f = |name: &str| format!("{prefix}{name}");
    let region_code = n.region_code.as_str();
    let practice_id = n.practice_id;
    let notes = write::optional_text(&f("notes"), n.notes, MAX_LONG_TEXT)?;
    crate::domain::region::query::require(txn, &f("regionCode"), region_code).await?;
    viewer.check_region(txn, region_code, "adoptions").await?;
    let p = crate::domain::practice::query::require(txn, practice_id).await?;
    if p.owner_region_code == region_code {
        return Err(ApiError::bad_input(
            f("regionCode"),
            "a region does not adopt its own practice",
        ));
    }
    if let Some(a) = n.agreement_id {
        crate::domain::agreement::query::require_party(txn, a, region_code, &f("agreementId"))
            .await?;
    }
    let open = adoption::Entity::find()
        .filter(adoption::Column::PracticeId.eq(practice_id))
        .filter(adoption::Column::RegionCode.eq(region_code))
        .filter(adoption::Column::Stage.ne(Stopped))
        .one(txn)
        .await?;
    if let Some(o) = open {
        return Err(ApiError::conflict(format!(
            "region {region_code} already has an open adoption of this practice ({})",
            o.id
        )));
    }
    let now = Utc::now();
    let saved = adoption::Model {
        id: Uuid::new_v4(),
        practice_id,
        region_code: region_code.to_owned(),
        agreement_id: n.agreement_id,
        stage: Interested,
        started_on: n.started_on,
        adopted_on: None,
        stopped_on: None,
        stop_reason: None,
        notes,
        created_at: now,
        updated_at: now,
        version: 1,
    }
    .into_active_model()
    .insert(txn)
    .await?;
    audit(
        txn,
        viewer,
        action,
        ObjectKind::Adoption,
        saved.id,
        write::NONE,
        Some(&saved),
    )
    .await?;
    Ok(saved)
}

async fn adoption_for_write(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
) -> Result<adoption::Model> {
    let a = adoption::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no adoption has id {id}")))?;
    viewer.check_region(db, &a.region_code, "adoptions").await?;
    check_version("the adoption", a.version, version)?;
    Ok(a)
}

/// Moves an adoption along interested -> preparing -> piloting -> adopted,
/// or to stopped with a reason.
pub async fn advance_adoption(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    to: AdoptionStage,
    on: Option<NaiveDate>,
    reason: Option<String>,
) -> Result<adoption::Model> {
    let today = Utc::now().date_naive();
    let on = on.unwrap_or(today);
    if on > today {
        return Err(ApiError::bad_input(
            "on",
            "a stage is recorded when it happened, not in the future",
        ));
    }
    let reason = write::optional_text("reason", reason, MAX_SHORT_TEXT)?;
    if to == Stopped && reason.is_none() {
        return Err(ApiError::bad_input(
            "reason",
            "say why the adoption stopped",
        ));
    }
    let txn = write::begin(db).await?;
    let before = adoption_for_write(&txn, viewer, id, version).await?;
    if !adoption_next(before.stage).contains(&to) {
        let next: Vec<String> = adoption_next(before.stage)
            .iter()
            .map(|s| format!("{s:?}").to_uppercase())
            .collect();
        return Err(ApiError::bad_input(
            "to",
            format!(
                "an adoption cannot move from {:?} to {:?}; allowed next stages: {}",
                before.stage,
                to,
                if next.is_empty() {
                    "none".to_owned()
                } else {
                    next.join(", ")
                }
            )
            .to_uppercase(),
        ));
    }
    let mut a = before.clone();
    a.stage = to;
    a.started_on.get_or_insert(on);
    match to {
        Adopted => a.adopted_on = Some(on),
        Stopped => {
            a.stopped_on = Some(on);
            a.stop_reason = reason;
        }
        _ => {}
    }
    let saved = write::save_versioned(&txn, viewer, "advanceAdoption", &before, a).await?;
    write::commit(txn).await?;
    Ok(saved)
}

/// Attaches an adoption to an agreement the adopter is party to.
pub async fn attach_adoption(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    agreement_id: Uuid,
) -> Result<adoption::Model> {
    let txn = write::begin(db).await?;
    let before = adoption_for_write(&txn, viewer, id, version).await?;
    crate::domain::agreement::query::require_party(
        &txn,
        agreement_id,
        &before.region_code,
        "agreementId",
    )
    .await?;
    let mut a = before.clone();
    a.agreement_id = Some(agreement_id);
    let saved =
        write::save_versioned(&txn, viewer, "attachAdoptionToAgreement", &before, a).await?;
    write::commit(txn).await?;
    Ok(saved)
}
