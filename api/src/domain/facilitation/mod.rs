//! Facilitation requests (the KERABAT case: Sumatera Barat built it so
//! agencies can ask for cooperation facilitation at any time). An agency
//! of a region asks its province's cooperation bureau (TKKSD) for help:
//! drafting, finding a partner, a legal review. The province's admins see
//! the queue, assign, answer and close; every step is kept with its date,
//! actor and note. Status rules: [`status`].

pub mod status;

use chrono::Utc;
use entity::{
    FacilitationKind, FacilitationStatus, agreement, facilitation_request, facilitation_step,
    learning_request,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::domain::request::status::check_move;
use crate::domain::write::{
    self, MAX_LONG_TEXT, MAX_SHORT_TEXT, MAX_TITLE, ObjectKind, audit, check_version,
};
use crate::error::{ApiError, Result};
use status::Side;

/// A new facilitation request.
#[derive(Clone, Debug)]
pub struct NewFacilitation {
    pub region_code: String,
    pub agency: String,
    pub kind: FacilitationKind,
    pub subject: String,
    pub description: Option<String>,
    pub agreement_id: Option<Uuid>,
    pub learning_request_id: Option<Uuid>,
}

/// A move of a facilitation request.
#[derive(Clone, Debug)]
pub struct Move {
    pub to: FacilitationStatus,
    pub note: Option<String>,
    /// Required for ASSIGNED.
    pub assignee: Option<String>,
    /// Required for ANSWERED.
    pub answer: Option<String>,
}

async fn step(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    request: Uuid,
    status: FacilitationStatus,
    note: Option<String>,
) -> Result<()> {
    facilitation_step::Model {
        id: Uuid::new_v4(),
        request_id: request,
        on: Utc::now().date_naive(),
        status,
        note,
        actor: viewer.actor(),
        created_at: Utc::now(),
    }
    .into_active_model()
    .insert(db)
    .await?;
    Ok(())
}

/// Refuses a viewer who may not act for `side` on request `r`: the
/// requesting region's writers (editors, admins over it) for the
/// requester; the province's admins (or a national admin) for the bureau.
async fn check_side(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    r: &facilitation_request::Model,
    side: Side,
) -> Result<()> {
    match side {
        Side::Requester => {
            viewer
                .check_region(db, &r.region_code, "facilitation requests")
                .await
        }
        Side::Bureau => {
            viewer.require_admin().map_err(|_| {
                ApiError::forbidden(format!(
                    "only an admin of province {} (its cooperation bureau) handles its facilitation requests",
                    r.province_code
                ))
            })?;
            viewer
                .check_region(db, &r.province_code, "facilitation requests")
                .await
        }
    }
}

/// Submits a request to the province's bureau (writers of the region).
pub async fn submit(
    db: &DatabaseConnection,
    viewer: &Viewer,
    n: NewFacilitation,
) -> Result<facilitation_request::Model> {
    let agency = write::required_text("agency", &n.agency, MAX_TITLE)?;
    let subject = write::required_text("subject", &n.subject, MAX_TITLE)?;
    let description = write::optional_text("description", n.description, MAX_LONG_TEXT)?;
    let txn = write::begin(db).await?;
    let region = crate::domain::region::query::require(&txn, "regionCode", &n.region_code).await?;
    let province_code = region.province_code.clone().unwrap_or(region.code.clone());
    viewer
        .check_region(&txn, &region.code, "facilitation requests")
        .await?;
    if let Some(a) = n.agreement_id {
        let found = agreement::Entity::find_by_id(a).one(&txn).await?;
        if found.is_none() {
            return Err(ApiError::bad_input(
                "agreementId",
                format!("no agreement has id {a}"),
            ));
        }
        crate::domain::agreement::query::require_party(&txn, a, &region.code, "agreementId")
            .await?;
    }
    if let Some(l) = n.learning_request_id {
        let r = learning_request::Entity::find_by_id(l).one(&txn).await?;
        if r.is_none_or(|r| r.region_code != region.code) {
            return Err(ApiError::bad_input(
                "learningRequestId",
                format!("region {} has no learning request with id {l}", region.code),
            ));
        }
    }
    let now = Utc::now();
    let m = facilitation_request::Model {
        id: Uuid::new_v4(),
        region_code: region.code,
        province_code,
        agency,
        kind: n.kind,
        subject,
        description,
        agreement_id: n.agreement_id,
        learning_request_id: n.learning_request_id,
        status: FacilitationStatus::Submitted,
        assignee: None,
        answer: None,
        closed_on: None,
        created_at: now,
        updated_at: now,
        version: 1,
    }
    .into_active_model()
    .insert(&txn)
    .await?;
    step(&txn, viewer, m.id, FacilitationStatus::Submitted, None).await?;
    audit(
        &txn,
        viewer,
        "submitFacilitationRequest",
        ObjectKind::FacilitationRequest,
        m.id,
        write::NONE,
        Some(&m),
    )
    .await?;
    write::commit(txn).await?;
    Ok(m)
}

/// Moves a request one step (see [`status`]): the bureau assigns (naming
/// the assignee), answers (with the answer), closes, or takes an answered
/// request back; the requester withdraws. Each move is a step with its
/// date, actor and note.
pub async fn advance(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    mv: Move,
) -> Result<facilitation_request::Model> {
    let note = write::optional_text("note", mv.note, MAX_SHORT_TEXT)?;
    let assignee = write::optional_text("assignee", mv.assignee, MAX_TITLE)?;
    let answer = write::optional_text("answer", mv.answer, MAX_LONG_TEXT)?;
    let txn = write::begin(db).await?;
    let before = facilitation_request::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no facilitation request has id {id}")))?;
    check_side(&txn, viewer, &before, status::side(mv.to)).await?;
    check_version("the facilitation request", before.version, version)?;
    check_move(
        "a facilitation request",
        "to",
        before.status,
        mv.to,
        status::next(before.status),
    )?;
    let mut r = before.clone();
    r.status = mv.to;
    match mv.to {
        FacilitationStatus::Assigned => {
            r.assignee = Some(assignee.ok_or_else(|| {
                ApiError::bad_input("assignee", "say who at the bureau handles it")
            })?);
        }
        FacilitationStatus::Answered => {
            r.answer = Some(
                answer.ok_or_else(|| ApiError::bad_input("answer", "an answer needs its text"))?,
            );
        }
        FacilitationStatus::Closed | FacilitationStatus::Withdrawn => {
            r.closed_on = Some(Utc::now().date_naive());
        }
        FacilitationStatus::Submitted => {}
    }
    let action = match mv.to {
        FacilitationStatus::Withdrawn => "withdrawFacilitationRequest",
        _ => "advanceFacilitationRequest",
    };
    let saved = write::save_versioned(&txn, viewer, action, &before, r).await?;
    step(&txn, viewer, id, mv.to, note).await?;
    write::commit(txn).await?;
    Ok(saved)
}

/// Which requests to list.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// A province's queue (its bureau's admins, or a national admin).
    pub province_code: Option<String>,
    /// One region's requests (its writers, or admins over it).
    pub region_code: Option<String>,
    /// Only in these statuses; open ones (not closed or withdrawn) when
    /// empty.
    pub statuses: Vec<FacilitationStatus>,
}

/// Requests matching `filter` the viewer may see, oldest first (a queue).
pub async fn list(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    f: &Filter,
    limit: u64,
) -> Result<Vec<facilitation_request::Model>> {
    viewer.require_writer()?;
    let mut q = facilitation_request::Entity::find();
    match (&f.province_code, &f.region_code) {
        (None, None) => {
            return Err(ApiError::bad_input(
                "filter",
                "give a provinceCode (the bureau's queue) or a regionCode (a region's requests)",
            ));
        }
        (Some(p), _) => {
            viewer.require_admin()?;
            viewer.check_region(db, p, "facilitation requests").await?;
            q = q.filter(facilitation_request::Column::ProvinceCode.eq(p));
        }
        (None, Some(_)) => {}
    }
    if let Some(r) = &f.region_code {
        viewer.check_region(db, r, "facilitation requests").await?;
        q = q.filter(facilitation_request::Column::RegionCode.eq(r));
    }
    let statuses: Vec<FacilitationStatus> = if f.statuses.is_empty() {
        use sea_orm::Iterable;
        FacilitationStatus::iter()
            .filter(|s| status::is_open(*s))
            .collect()
    } else {
        f.statuses.clone()
    };
    Ok(
        q.filter(facilitation_request::Column::Status.is_in(statuses))
            .order_by_asc(facilitation_request::Column::CreatedAt)
            .order_by_asc(facilitation_request::Column::Id)
            .limit(limit)
            .all(db)
            .await?,
    )
}

/// One request, for a viewer who may see it (its region's writers, its
/// province's admins); `None` if none has that id.
pub async fn one(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
) -> Result<Option<facilitation_request::Model>> {
    let Some(r) = facilitation_request::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    let requester = viewer.may_write_region(db, &r.region_code).await?;
    let bureau = matches!(viewer, Viewer::Admin { .. })
        && viewer.may_write_region(db, &r.province_code).await?;
    if !(requester || bureau) {
        return Err(ApiError::forbidden(format!(
            "{} may not read facilitation requests of region {}",
            viewer.actor(),
            r.region_code
        )));
    }
    Ok(Some(r))
}

/// The steps of a request, in order.
pub async fn steps(db: &impl ConnectionTrait, id: Uuid) -> Result<Vec<facilitation_step::Model>> {
    Ok(facilitation_step::Entity::find()
        .filter(facilitation_step::Column::RequestId.eq(id))
        .order_by_asc(facilitation_step::Column::CreatedAt)
        .order_by_asc(facilitation_step::Column::Id)
        .all(db)
        .await?)
}

/// Counts of requests by status (for the coordinator statistics): a
/// province's whole queue, or a regency's or city's own requests; every
/// request, open or settled.
pub async fn counts(
    db: &impl ConnectionTrait,
    region: &entity::region::Model,
) -> Result<Vec<(FacilitationStatus, u64)>> {
    use sea_orm::Iterable;
    let column = if region.province_code.is_none() {
        facilitation_request::Column::ProvinceCode
    } else {
        facilitation_request::Column::RegionCode
    };
    let rows = facilitation_request::Entity::find()
        .filter(column.eq(&region.code))
        .all(db)
        .await?;
    Ok(FacilitationStatus::iter()
        .map(|s| (s, rows.iter().filter(|r| r.status == s).count() as u64))
        .collect())
}
