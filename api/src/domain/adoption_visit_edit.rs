//! Writes of adoptions (a region taking up a practice) and benchmarking
//! visits, and the admin corrections of region data.

use chrono::{NaiveDate, Utc};
use entity::{
    AdoptionStage, adoption, agreement_party, practice, region, region_index, visit, visit_practice,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, IntoActiveModel, QueryFilter,
};
use uuid::Uuid;

use super::write::{self, MAX_LONG_TEXT, MAX_SHORT_TEXT, audit, check_version};
use crate::auth::Viewer;
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

async fn require_practice(db: &impl ConnectionTrait, id: Uuid) -> Result<practice::Model> {
    practice::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::bad_input("practiceId", format!("no practice has id {id}")))
}

async fn require_party(
    db: &impl ConnectionTrait,
    agreement_id: Uuid,
    region: &str,
    field: &str,
) -> Result<()> {
    let party = agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.eq(agreement_id))
        .filter(agreement_party::Column::RegionCode.eq(region))
        .one(db)
        .await?;
    if party.is_none() {
        return Err(ApiError::bad_input(
            field,
            format!("region {region} is not a party to agreement {agreement_id}"),
        ));
    }
    Ok(())
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
    let notes = write::optional_text("notes", notes, MAX_LONG_TEXT)?;
    let txn = write::begin(db).await?;
    super::regions::require(&txn, "regionCode", region_code).await?;
    viewer.check_region(&txn, region_code, "adoptions").await?;
    let p = require_practice(&txn, practice_id).await?;
    if p.owner_region_code == region_code {
        return Err(ApiError::bad_input(
            "regionCode",
            "a region does not adopt its own practice",
        ));
    }
    if let Some(a) = agreement_id {
        require_party(&txn, a, region_code, "agreementId").await?;
    }
    let open = adoption::Entity::find()
        .filter(adoption::Column::PracticeId.eq(practice_id))
        .filter(adoption::Column::RegionCode.eq(region_code))
        .filter(adoption::Column::Stage.ne(Stopped))
        .one(&txn)
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
        agreement_id,
        stage: Interested,
        started_on,
        adopted_on: None,
        stopped_on: None,
        stop_reason: None,
        notes,
        created_at: now,
        updated_at: now,
        version: 1,
    }
    .into_active_model()
    .insert(&txn)
    .await?;
    audit(
        &txn,
        viewer,
        "recordAdoption",
        "Adoption",
        saved.id,
        write::NONE,
        Some(&saved),
    )
    .await?;
    txn.commit().await?;
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

async fn save_adoption(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    action: &str,
    before: &adoption::Model,
    mut a: adoption::Model,
) -> Result<adoption::Model> {
    a.version = before.version + 1;
    a.updated_at = Utc::now();
    let res = adoption::Entity::update_many()
        .set(a.clone().into_active_model().reset_all())
        .filter(adoption::Column::Id.eq(before.id))
        .filter(adoption::Column::Version.eq(before.version))
        .exec(db)
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::conflict(
            "the adoption was changed by someone else; reload it",
        ));
    }
    audit(
        db,
        viewer,
        action,
        "Adoption",
        before.id,
        Some(before),
        Some(&a),
    )
    .await?;
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
    let saved = save_adoption(&txn, viewer, "advanceAdoption", &before, a).await?;
    txn.commit().await?;
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
    require_party(&txn, agreement_id, &before.region_code, "agreementId").await?;
    let mut a = before.clone();
    a.agreement_id = Some(agreement_id);
    let saved = save_adoption(&txn, viewer, "attachAdoptionToAgreement", &before, a).await?;
    txn.commit().await?;
    Ok(saved)
}

/// A visit to schedule.
#[derive(Clone, Debug)]
pub struct NewVisit {
    pub visitor_region_code: String,
    pub host_region_code: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub learning_objectives: Vec<String>,
    pub practice_ids: Vec<Uuid>,
    pub delegation_size: Option<i32>,
    pub notes: Option<String>,
}

/// Schedules a benchmarking visit (by the visitor or the host).
pub async fn schedule_visit(
    db: &DatabaseConnection,
    viewer: &Viewer,
    v: NewVisit,
) -> Result<visit::Model> {
    let txn = write::begin(db).await?;
    let saved = schedule_visit_in(&txn, viewer, v, "", "scheduleVisit").await?;
    txn.commit().await?;
    Ok(saved)
}

/// Schedules the visits of a plan (`saveVisitPlan`): all or none. Field
/// names in errors are prefixed with `stops[i].`.
pub async fn save_visit_plan(
    db: &DatabaseConnection,
    viewer: &Viewer,
    visits: Vec<NewVisit>,
) -> Result<Vec<visit::Model>> {
    if visits.is_empty() || visits.len() > 10 {
        return Err(ApiError::bad_input(
            "input.stops",
            "a plan has between 1 and 10 stops",
        ));
    }
    let mut hosts = std::collections::HashSet::new();
    for (i, v) in visits.iter().enumerate() {
        if !hosts.insert(v.host_region_code.clone()) {
            return Err(ApiError::bad_input(
                format!("input.stops[{i}].host"),
                format!("{} appears twice in the plan", v.host_region_code),
            ));
        }
    }
    let txn = write::begin(db).await?;
    let mut saved = Vec::new();
    for (i, v) in visits.into_iter().enumerate() {
        saved.push(
            schedule_visit_in(
                &txn,
                viewer,
                v,
                &format!("input.stops[{i}]."),
                "saveVisitPlan",
            )
            .await?,
        );
    }
    txn.commit().await?;
    Ok(saved)
}

async fn schedule_visit_in(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    v: NewVisit,
    prefix: &str,
    action: &str,
) -> Result<visit::Model> {
    let f = |name: &str| format!("{prefix}{name}");
    if v.visitor_region_code == v.host_region_code {
        return Err(ApiError::bad_input(
            f("hostRegionCode"),
            "a region does not visit itself",
        ));
    }
    if v.ends_on < v.starts_on {
        return Err(ApiError::bad_input(
            f("endsOn"),
            "endsOn is before startsOn",
        ));
    }
    if (v.ends_on - v.starts_on).num_days() > 30 {
        return Err(ApiError::bad_input(
            f("endsOn"),
            "a benchmarking visit lasts at most 31 days",
        ));
    }
    if v.delegation_size.is_some_and(|n| !(1..=1000).contains(&n)) {
        return Err(ApiError::bad_input(
            f("delegationSize"),
            "delegationSize is between 1 and 1000",
        ));
    }
    let objectives = write::text_list(&f("learningObjectives"), v.learning_objectives)?;
    let notes = write::optional_text(&f("notes"), v.notes, MAX_LONG_TEXT)?;
    super::regions::require(txn, &f("visitorRegionCode"), &v.visitor_region_code).await?;
    super::regions::require(txn, &f("hostRegionCode"), &v.host_region_code).await?;
    if !(viewer.may_write_region(txn, &v.visitor_region_code).await?
        || viewer.may_write_region(txn, &v.host_region_code).await?)
    {
        viewer.require_writer()?;
        return Err(ApiError::forbidden(format!(
            "{} may only schedule visits of or to its own region",
            viewer.actor()
        )));
    }
    for pid in &v.practice_ids {
        require_practice(txn, *pid).await?;
    }
    let now = Utc::now();
    let saved = visit::Model {
        id: Uuid::new_v4(),
        visitor_region_code: v.visitor_region_code,
        host_region_code: v.host_region_code,
        starts_on: v.starts_on,
        ends_on: v.ends_on,
        learning_objectives: objectives,
        delegation_size: v.delegation_size,
        agreement_id: None,
        adoption_id: None,
        notes,
        created_at: now,
        updated_at: now,
        version: 1,
    }
    .into_active_model()
    .insert(txn)
    .await?;
    let mut ids = v.practice_ids;
    ids.sort();
    ids.dedup();
    for practice_id in ids {
        visit_practice::Model {
            visit_id: saved.id,
            practice_id,
        }
        .into_active_model()
        .insert(txn)
        .await?;
    }
    audit(
        txn,
        viewer,
        action,
        "Visit",
        saved.id,
        write::NONE,
        Some(&saved),
    )
    .await?;
    Ok(saved)
}

/// Records what a visit produced: what was learned, the agreement or
/// adoption that followed.
pub async fn record_visit_outcome(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    notes: Option<String>,
    agreement_id: Option<Uuid>,
    adoption_id: Option<Uuid>,
) -> Result<visit::Model> {
    let notes = write::optional_text("notes", notes, MAX_LONG_TEXT)?;
    let txn = write::begin(db).await?;
    let before = visit::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no visit has id {id}")))?;
    if !(viewer
        .may_write_region(&txn, &before.visitor_region_code)
        .await?
        || viewer
            .may_write_region(&txn, &before.host_region_code)
            .await?)
    {
        viewer.require_writer()?;
        return Err(ApiError::forbidden(format!(
            "{} is neither the visitor nor the host",
            viewer.actor()
        )));
    }
    check_version("the visit", before.version, version)?;
    if let Some(a) = agreement_id {
        require_party(&txn, a, &before.visitor_region_code, "agreementId").await?;
    }
    if let Some(ad) = adoption_id {
        let found = adoption::Entity::find_by_id(ad).one(&txn).await?;
        if found.is_none_or(|x| x.region_code != before.visitor_region_code) {
            return Err(ApiError::bad_input(
                "adoptionId",
                "the adoption must be the visitor's",
            ));
        }
    }
    let mut v = before.clone();
    if notes.is_some() {
        v.notes = notes;
    }
    if agreement_id.is_some() {
        v.agreement_id = agreement_id;
    }
    if adoption_id.is_some() {
        v.adoption_id = adoption_id;
    }
    v.version = before.version + 1;
    v.updated_at = Utc::now();
    let res = visit::Entity::update_many()
        .set(v.clone().into_active_model().reset_all())
        .filter(visit::Column::Id.eq(id))
        .filter(visit::Column::Version.eq(before.version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::conflict(
            "the visit was changed by someone else; reload it",
        ));
    }
    audit(
        &txn,
        viewer,
        "recordVisitOutcome",
        "Visit",
        id,
        Some(&before),
        Some(&v),
    )
    .await?;
    txn.commit().await?;
    Ok(v)
}

/// Index values of a region for one year (admin).
#[derive(Clone, Debug)]
pub struct IndexValues {
    pub spbe_index: Option<f64>,
    pub public_service_index: Option<f64>,
    pub innovation_index: Option<f64>,
    pub source: Option<String>,
}

/// Sets (creates or replaces) a region's index values for `year`.
pub async fn set_region_index(
    db: &DatabaseConnection,
    viewer: &Viewer,
    code: &str,
    year: i32,
    v: IndexValues,
) -> Result<region_index::Model> {
    viewer.require_admin()?;
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::bad_input(
            "year",
            format!("{year} is not a plausible year"),
        ));
    }
    for (field, value) in [
        ("spbeIndex", v.spbe_index),
        ("publicServiceIndex", v.public_service_index),
    ] {
        if value.is_some_and(|x| !(0.0..=5.0).contains(&x)) {
            return Err(ApiError::bad_input(
                field,
                format!("{field} is on a 0-5 scale"),
            ));
        }
    }
    if v.innovation_index
        .is_some_and(|x| !x.is_finite() || x < 0.0)
    {
        return Err(ApiError::bad_input(
            "innovationIndex",
            "innovationIndex is a non-negative number",
        ));
    }
    let source = write::optional_text("source", v.source, MAX_SHORT_TEXT)?;
    let txn = write::begin(db).await?;
    super::regions::require(&txn, "regionCode", code).await?;
    viewer.check_region(&txn, code, "indices").await?;
    let before = region_index::Entity::find()
        .filter(region_index::Column::RegionCode.eq(code))
        .filter(region_index::Column::Year.eq(year))
        .one(&txn)
        .await?;
    let after = region_index::Model {
        id: before.as_ref().map_or_else(Uuid::new_v4, |b| b.id),
        region_code: code.to_owned(),
        year,
        spbe_index: v.spbe_index,
        public_service_index: v.public_service_index,
        innovation_index: v.innovation_index,
        source,
    };
    match &before {
        Some(_) => {
            let mut am = after.clone().into_active_model().reset_all();
            am.id = sea_orm::ActiveValue::Unchanged(after.id);
            am.update(&txn).await?;
        }
        None => {
            after.clone().into_active_model().insert(&txn).await?;
        }
    }
    audit(
        &txn,
        viewer,
        "setRegionIndex",
        "RegionIndex",
        after.id,
        before.as_ref(),
        Some(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// A correction of a region's reference profile (admin).
#[derive(Clone, Debug, Default)]
pub struct ProfileCorrection {
    pub capital: Option<Option<String>>,
    pub latitude: Option<Option<f64>>,
    pub longitude: Option<Option<f64>>,
    pub elevation_m: Option<Option<i32>>,
    pub area_km2: Option<Option<f64>>,
    pub population: Option<Option<i64>>,
}

/// Corrects a region's profile at `version`.
pub async fn correct_region(
    db: &DatabaseConnection,
    viewer: &Viewer,
    code: &str,
    version: i32,
    c: ProfileCorrection,
) -> Result<region::Model> {
    viewer.require_admin()?;
    let txn = write::begin(db).await?;
    let before = super::regions::require(&txn, "code", code).await?;
    viewer.check_region(&txn, code, "the profile").await?;
    check_version("the region", before.version, version)?;
    let mut r = before.clone();
    if let Some(v) = c.capital {
        r.capital = write::optional_text("capital", v, 200)?;
    }
    if let Some(v) = c.latitude {
        if v.is_some_and(|x| !(-11.5..=6.5).contains(&x)) {
            return Err(ApiError::bad_input(
                "latitude",
                "latitude is outside Indonesia (-11.5 to 6.5)",
            ));
        }
        r.latitude = v;
    }
    if let Some(v) = c.longitude {
        if v.is_some_and(|x| !(94.0..=141.5).contains(&x)) {
            return Err(ApiError::bad_input(
                "longitude",
                "longitude is outside Indonesia (94 to 141.5)",
            ));
        }
        r.longitude = v;
    }
    if let Some(v) = c.elevation_m {
        r.elevation_m = v;
    }
    if let Some(v) = c.area_km2 {
        if v.is_some_and(|x| !x.is_finite() || x <= 0.0) {
            return Err(ApiError::bad_input(
                "areaKm2",
                "areaKm2 is a positive number",
            ));
        }
        r.area_km2 = v;
    }
    if let Some(v) = c.population {
        if v.is_some_and(|x| x < 0) {
            return Err(ApiError::bad_input(
                "population",
                "population is not negative",
            ));
        }
        r.population = v;
    }
    r.version = before.version + 1;
    r.updated_at = Some(Utc::now());
    let res = region::Entity::update_many()
        .set(r.clone().into_active_model().reset_all())
        .filter(region::Column::Code.eq(code))
        .filter(region::Column::Version.eq(before.version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(ApiError::conflict(
            "the region was changed by someone else; reload it",
        ));
    }
    audit(
        &txn,
        viewer,
        "correctRegionProfile",
        "Region",
        code,
        Some(&before),
        Some(&r),
    )
    .await?;
    txn.commit().await?;
    Ok(r)
}
