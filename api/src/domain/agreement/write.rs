//! Writes of agreements and the legal path they follow:
//!
//! proposed -> under review (TKKSD) -> offered -> framework drafted ->
//! framework signed -> implementing drafted -> implementing signed -> in
//! implementation -> evaluated (repeatable) -> ended / renewed / terminated;
//! rejected from any review step. A PKS (implementing agreement) skips the
//! framework steps and may be signed only under a signed framework.

use chrono::{NaiveDate, Utc};
use entity::{
    AgreementCategory, AgreementKind, AgreementStage, agreement, agreement_evaluation,
    agreement_party, agreement_practice, agreement_stage_change, practice,
};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use uuid::Uuid;

use super::stage;
use crate::auth::Viewer;
use crate::domain::write::{
    self, MAX_LONG_TEXT, MAX_SHORT_TEXT, MAX_TITLE, ObjectKind, audit, check_version,
};
use crate::error::{ApiError, Result};

use AgreementStage::*;

/// A party to add: a region (by code) or a named third party.
#[derive(Clone, Debug, Default)]
pub struct PartyInput {
    pub region_code: Option<String>,
    pub third_party_name: Option<String>,
    pub position: Option<i32>,
    pub signatory_name: Option<String>,
    pub signatory_title: Option<String>,
}

/// A new agreement; it starts as `proposed`.
#[derive(Clone, Debug)]
pub struct NewAgreement {
    pub title: String,
    pub number: Option<String>,
    pub kind: Option<AgreementKind>,
    pub category: AgreementCategory,
    pub scope: Vec<String>,
    pub agencies: Vec<String>,
    pub parties: Vec<PartyInput>,
    pub parent_id: Option<Uuid>,
    pub valid_from: Option<NaiveDate>,
    pub valid_until: Option<NaiveDate>,
    pub notes: Option<String>,
    pub practice_ids: Vec<Uuid>,
}

/// Changes to an agreement; `Some(None)` clears a nullable field.
#[derive(Clone, Debug, Default)]
pub struct AgreementPatch {
    pub title: Option<String>,
    pub number: Option<Option<String>>,
    pub kind: Option<Option<AgreementKind>>,
    pub category: Option<AgreementCategory>,
    pub scope: Option<Vec<String>>,
    pub agencies: Option<Vec<String>>,
    pub signed_place: Option<Option<String>>,
    pub valid_from: Option<Option<NaiveDate>>,
    pub valid_until: Option<Option<NaiveDate>>,
    pub notes: Option<Option<String>>,
}

fn check_dates(from: Option<NaiveDate>, until: Option<NaiveDate>) -> Result<()> {
    if let (Some(f), Some(u)) = (from, until)
        && u < f
    {
        return Err(ApiError::bad_input(
            "validUntil",
            "validUntil is before validFrom",
        ));
    }
    Ok(())
}

async fn check_parties(
    db: &impl ConnectionTrait,
    parties: &[PartyInput],
) -> Result<Vec<agreement_party::Model>> {
    let mut seen_regions = Vec::new();
    let mut seen_positions = Vec::new();
    let mut out = Vec::new();
    for (i, p) in parties.iter().enumerate() {
        let field = format!("parties[{i}]");
        let region = p
            .region_code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let third = write::optional_text(
            &format!("{field}.thirdPartyName"),
            p.third_party_name.clone(),
            MAX_TITLE,
        )?;
        match (region, &third) {
            (Some(_), Some(_)) | (None, None) => {
                return Err(ApiError::bad_input(
                    &field,
                    "a party is either a region (regionCode) or a third party (thirdPartyName)",
                ));
            }
            _ => {}
        }
        if let Some(code) = region {
            crate::domain::region::query::require(db, &format!("{field}.regionCode"), code).await?;
            if seen_regions.contains(&code) {
                return Err(ApiError::bad_input(
                    &field,
                    format!("region {code} is listed twice"),
                ));
            }
            seen_regions.push(code);
        }
        if let Some(pos) = p.position {
            if pos < 1 {
                return Err(ApiError::bad_input(
                    format!("{field}.position"),
                    "position starts at 1 (pihak kesatu)",
                ));
            }
            if seen_positions.contains(&pos) {
                return Err(ApiError::bad_input(
                    format!("{field}.position"),
                    format!("two parties at position {pos}"),
                ));
            }
            seen_positions.push(pos);
        }
        out.push(agreement_party::Model {
            id: Uuid::new_v4(),
            agreement_id: Uuid::nil(),
            position: p.position,
            region_code: region.map(str::to_owned),
            third_party_name: third,
            signatory_name: write::optional_text(
                &format!("{field}.signatoryName"),
                p.signatory_name.clone(),
                MAX_TITLE,
            )?,
            signatory_title: write::optional_text(
                &format!("{field}.signatoryTitle"),
                p.signatory_title.clone(),
                MAX_TITLE,
            )?,
        });
    }
    Ok(out)
}

fn region_codes(parties: &[agreement_party::Model]) -> Vec<String> {
    parties
        .iter()
        .filter_map(|p| p.region_code.clone())
        .collect()
}

/// Refuses a number another agreement of one of the same regions already has.
async fn check_number(
    db: &impl ConnectionTrait,
    number: &str,
    regions: &[String],
    except: Option<Uuid>,
) -> Result<()> {
    let mut q = agreement::Entity::find()
        .filter(agreement::Column::Number.eq(number))
        .filter(
            agreement::Column::Id.in_subquery(
                Query::select()
                    .column(agreement_party::Column::AgreementId)
                    .from(agreement_party::Entity)
                    .and_where(
                        agreement_party::Column::RegionCode
                            .is_in(regions.iter().map(String::as_str)),
                    )
                    .to_owned(),
            ),
        );
    if let Some(id) = except {
        q = q.filter(agreement::Column::Id.ne(id));
    }
    if q.one(db).await?.is_some() {
        return Err(ApiError::conflict(format!(
            "another agreement of the same region already has number {number:?}"
        )));
    }
    Ok(())
}

async fn parties_of(db: &impl ConnectionTrait, id: Uuid) -> Result<Vec<agreement_party::Model>> {
    Ok(agreement_party::Entity::find()
        .filter(agreement_party::Column::AgreementId.eq(id))
        .all(db)
        .await?)
}

async fn history(
    db: &impl ConnectionTrait,
    id: Uuid,
    stage: AgreementStage,
    on: Option<NaiveDate>,
    note: Option<String>,
) -> Result<()> {
    agreement_stage_change::Model {
        id: Uuid::new_v4(),
        agreement_id: id,
        stage,
        on_date: on,
        note,
        recorded_at: Utc::now(),
    }
    .into_active_model()
    .insert(db)
    .await?;
    Ok(())
}

async fn insert_agreement(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    action: &str,
    a: agreement::Model,
    parties: Vec<agreement_party::Model>,
    practice_ids: &[Uuid],
    note: Option<String>,
) -> Result<agreement::Model> {
    let saved = a.into_active_model().insert(db).await?;
    for mut p in parties {
        p.id = Uuid::new_v4();
        p.agreement_id = saved.id;
        p.into_active_model().insert(db).await?;
    }
    for pid in practice_ids {
        agreement_practice::Model {
            agreement_id: saved.id,
            practice_id: *pid,
        }
        .into_active_model()
        .insert(db)
        .await?;
    }
    history(
        db,
        saved.id,
        saved.stage,
        Some(Utc::now().date_naive()),
        note,
    )
    .await?;
    audit(
        db,
        viewer,
        action,
        ObjectKind::Agreement,
        saved.id,
        write::NONE,
        Some(&saved),
    )
    .await?;
    Ok(saved)
}

async fn check_practices(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<()> {
    for id in ids {
        if practice::Entity::find_by_id(*id).one(db).await?.is_none() {
            return Err(ApiError::bad_input(
                "practiceIds",
                format!("no practice has id {id}"),
            ));
        }
    }
    Ok(())
}

/// Creates an agreement as a proposal, with its parties and transfers.
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    n: NewAgreement,
) -> Result<agreement::Model> {
    let txn = write::begin(db).await?;
    let saved = create_in(&txn, viewer, n, None).await?;
    write::commit(txn).await?;
    Ok(saved)
}

/// [`create`] inside the caller's transaction; `imported` carries an
/// imported agreement's id, stage and signing (history says "imported").
pub async fn create_in(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    n: NewAgreement,
    imported: Option<Imported>,
) -> Result<agreement::Model> {
    let title = write::required_text("title", &n.title, MAX_TITLE)?;
    let number = write::optional_text("number", n.number, 100)?;
    let scope = write::text_list("scope", n.scope)?;
    let agencies = write::text_list("agencies", n.agencies)?;
    let notes = write::optional_text("notes", n.notes, MAX_LONG_TEXT)?;
    check_dates(n.valid_from, n.valid_until)?;
    if n.parties.is_empty() {
        return Err(ApiError::bad_input(
            "parties",
            "an agreement needs at least one party",
        ));
    }
    let parties = check_parties(txn, &n.parties).await?;
    let regions = region_codes(&parties);
    viewer
        .check_any_region(txn, &regions, "this agreement")
        .await?;
    if let Some(num) = &number {
        check_number(txn, num, &regions, None).await?;
    }
    if let Some(pid) = n.parent_id {
        let parent = agreement::Entity::find_by_id(pid)
            .one(txn)
            .await?
            .ok_or_else(|| ApiError::bad_input("parentId", format!("no agreement has id {pid}")))?;
        if parent.kind == Some(AgreementKind::PerjanjianKerjaSama) {
            return Err(ApiError::bad_input(
                "parentId",
                "the parent must be a framework (Kesepakatan Bersama or Nota Kesepakatan)",
            ));
        }
        if n.kind
            .is_some_and(|k| k != AgreementKind::PerjanjianKerjaSama)
        {
            return Err(ApiError::bad_input(
                "kind",
                "only a Perjanjian Kerja Sama sits under a framework",
            ));
        }
    }
    check_practices(txn, &n.practice_ids).await?;
    if let Some(im) = &imported {
        check_imported(im, parties.len())?;
    }
    let now = Utc::now();
    let a = agreement::Model {
        id: imported
            .as_ref()
            .and_then(|i| i.id)
            .unwrap_or_else(Uuid::new_v4),
        number,
        title,
        kind: n.kind,
        category: n.category,
        stage: imported.as_ref().map_or(Proposed, |i| i.stage),
        signed_on: imported.as_ref().and_then(|i| i.signed_on),
        signed_place: imported.as_ref().and_then(|i| i.signed_place.clone()),
        valid_from: n.valid_from,
        valid_until: n.valid_until,
        scope,
        agencies,
        parent_id: n.parent_id,
        continues_id: None,
        continuation: None,
        notes,
        created_at: now,
        updated_at: now,
        version: 1,
    };
    let (action, note) = match &imported {
        Some(_) => ("importAgreement", Some("imported".to_owned())),
        None => ("createAgreement", None),
    };
    insert_agreement(txn, viewer, action, a, parties, &n.practice_ids, note).await
}

/// What an import says beyond a new agreement: its id, stage and signing.
#[derive(Clone, Debug)]
pub struct Imported {
    pub id: Option<Uuid>,
    pub stage: AgreementStage,
    pub signed_on: Option<NaiveDate>,
    pub signed_place: Option<String>,
}

fn check_imported(im: &Imported, parties: usize) -> Result<()> {
    let signed = stage::was_signed(im.stage);
    if let Some(d) = im.signed_on
        && d > Utc::now().date_naive()
    {
        return Err(ApiError::bad_input("signedOn", "signedOn is in the future"));
    }
    if signed && parties < 2 {
        return Err(ApiError::bad_input(
            "parties",
            "a signed agreement has at least two parties",
        ));
    }
    if !signed && im.signed_on.is_some() {
        return Err(ApiError::bad_input(
            "signedOn",
            "an agreement not yet signed has no signing date",
        ));
    }
    Ok(())
}

/// Loads an agreement for a write by a party (or an admin over one).
pub(super) async fn load_for_write(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
    version: Option<i32>,
) -> Result<agreement::Model> {
    let a = agreement::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no agreement has id {id}")))?;
    let parties = parties_of(db, id).await?;
    viewer
        .check_any_region(db, &region_codes(&parties), "this agreement")
        .await?;
    if let Some(v) = version {
        check_version("the agreement", a.version, v)?;
    }
    Ok(a)
}

/// Applies `patch` to agreement `id` at `version`.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    patch: AgreementPatch,
) -> Result<agreement::Model> {
    let txn = write::begin(db).await?;
    let before = load_for_write(&txn, viewer, id, Some(version)).await?;
    let mut a = before.clone();
    if let Some(v) = patch.title {
        a.title = write::required_text("title", &v, MAX_TITLE)?;
    }
    if let Some(v) = patch.number {
        a.number = write::optional_text("number", v, 100)?;
        if let Some(num) = &a.number {
            check_number(
                &txn,
                num,
                &region_codes(&parties_of(&txn, id).await?),
                Some(id),
            )
            .await?;
        }
    }
    if let Some(v) = patch.kind {
        a.kind = v;
    }
    if let Some(v) = patch.category {
        a.category = v;
    }
    if let Some(v) = patch.scope {
        a.scope = write::text_list("scope", v)?;
    }
    if let Some(v) = patch.agencies {
        a.agencies = write::text_list("agencies", v)?;
    }
    if let Some(v) = patch.signed_place {
        a.signed_place = write::optional_text("signedPlace", v, MAX_TITLE)?;
    }
    if let Some(v) = patch.valid_from {
        a.valid_from = v;
    }
    if let Some(v) = patch.valid_until {
        a.valid_until = v;
    }
    if let Some(v) = patch.notes {
        a.notes = write::optional_text("notes", v, MAX_LONG_TEXT)?;
    }
    check_dates(a.valid_from, a.valid_until)?;
    let saved = write::save_versioned(&txn, viewer, "updateAgreement", &before, a).await?;
    write::commit(txn).await?;
    Ok(saved)
}

/// Adds a party; returns it with the agreement (new version).
pub async fn add_party(
    db: &DatabaseConnection,
    viewer: &Viewer,
    agreement_id: Uuid,
    party: PartyInput,
) -> Result<(agreement_party::Model, agreement::Model)> {
    let txn = write::begin(db).await?;
    let before = load_for_write(&txn, viewer, agreement_id, None).await?;
    let existing = parties_of(&txn, agreement_id).await?;
    let mut all: Vec<PartyInput> = existing
        .iter()
        .map(|p| PartyInput {
            region_code: p.region_code.clone(),
            third_party_name: p.third_party_name.clone(),
            position: p.position,
            ..PartyInput::default()
        })
        .collect();
    all.push(party);
    let checked = check_parties(&txn, &all).await?;
    let mut new = checked
        .last()
        .cloned()
        .ok_or_else(|| ApiError::bad_input("party", "no party given"))?;
    new.agreement_id = agreement_id;
    let saved = new.into_active_model().insert(&txn).await?;
    audit(
        &txn,
        viewer,
        "addAgreementParty",
        ObjectKind::AgreementParty,
        saved.id,
        write::NONE,
        Some(&saved),
    )
    .await?;
    let a =
        write::save_versioned(&txn, viewer, "addAgreementParty", &before, before.clone()).await?;
    write::commit(txn).await?;
    Ok((saved, a))
}

/// Removes a party (an agreement keeps at least one).
pub async fn remove_party(
    db: &DatabaseConnection,
    viewer: &Viewer,
    party_id: Uuid,
) -> Result<agreement::Model> {
    let txn = write::begin(db).await?;
    let party = agreement_party::Entity::find_by_id(party_id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no party has id {party_id}")))?;
    let before = load_for_write(&txn, viewer, party.agreement_id, None).await?;
    if parties_of(&txn, party.agreement_id).await?.len() <= 1 {
        return Err(ApiError::bad_input(
            "partyId",
            "an agreement keeps at least one party",
        ));
    }
    if stage::is_in_force(before.stage) {
        return Err(ApiError::bad_input(
            "partyId",
            "a party cannot leave a signed agreement; terminate or renew it instead",
        ));
    }
    agreement_party::Entity::delete_by_id(party_id)
        .exec(&txn)
        .await?;
    audit(
        &txn,
        viewer,
        "removeAgreementParty",
        ObjectKind::AgreementParty,
        party_id,
        Some(&party),
        write::NONE,
    )
    .await?;
    let a = write::save_versioned(
        &txn,
        viewer,
        "removeAgreementParty",
        &before,
        before.clone(),
    )
    .await?;
    write::commit(txn).await?;
    Ok(a)
}

/// Links (or, with `link` false, unlinks) a transferred practice.
pub async fn set_practice_link(
    db: &DatabaseConnection,
    viewer: &Viewer,
    agreement_id: Uuid,
    practice_id: Uuid,
    link: bool,
) -> Result<agreement::Model> {
    let txn = write::begin(db).await?;
    let before = load_for_write(&txn, viewer, agreement_id, None).await?;
    check_practices(&txn, &[practice_id]).await?;
    let existing = agreement_practice::Entity::find_by_id((agreement_id, practice_id))
        .one(&txn)
        .await?;
    let action = if link {
        "linkAgreementPractice"
    } else {
        "unlinkAgreementPractice"
    };
    match (link, existing) {
        (true, None) => {
            let l = agreement_practice::Model {
                agreement_id,
                practice_id,
            }
            .into_active_model()
            .insert(&txn)
            .await?;
            audit(
                &txn,
                viewer,
                action,
                ObjectKind::AgreementPractice,
                format!("{agreement_id}/{practice_id}"),
                write::NONE,
                Some(&l),
            )
            .await?;
        }
        (false, Some(l)) => {
            agreement_practice::Entity::delete_by_id((agreement_id, practice_id))
                .exec(&txn)
                .await?;
            audit(
                &txn,
                viewer,
                action,
                ObjectKind::AgreementPractice,
                format!("{agreement_id}/{practice_id}"),
                Some(&l),
                write::NONE,
            )
            .await?;
        }
        // Already as asked: nothing to change.
        _ => {
            write::commit(txn).await?;
            return Ok(before);
        }
    }
    let a = write::save_versioned(&txn, viewer, action, &before, before.clone()).await?;
    write::commit(txn).await?;
    Ok(a)
}

/// What an advance produced.
#[derive(Debug)]
pub struct Advanced {
    pub agreement: agreement::Model,
    /// The follow-up agreement a renewal created.
    pub renewal: Option<agreement::Model>,
    /// What the move did not refuse but should be seen to.
    pub warnings: Vec<Warning>,
}

/// Something a write accepted but should tell: a stable code and a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub code: &'static str,
    pub message: String,
}

/// The warning a PKS signed without an indicator gets.
pub const NO_MEASURABLE_PLAN: &str = "NO_MEASURABLE_PLAN";

/// Moves an agreement along the legal path.
pub async fn advance(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: Option<i32>,
    to: AgreementStage,
    on: Option<NaiveDate>,
    note: Option<String>,
) -> Result<Advanced> {
    let today = Utc::now().date_naive();
    let on = on.unwrap_or(today);
    if on > today {
        return Err(ApiError::bad_input(
            "on",
            format!("{on} is in the future: record a stage when it happened"),
        ));
    }
    let note = write::optional_text("note", note, MAX_SHORT_TEXT)?;
    let txn = write::begin(db).await?;
    let before = load_for_write(&txn, viewer, id, version).await?;
    let allowed = stage::allowed_next(before.kind, before.stage);
    if !allowed.contains(&to) {
        let names: Vec<String> = allowed.iter().map(entity::wire_name).collect();
        let next = if names.is_empty() {
            "none: this agreement is closed".to_owned()
        } else {
            names.join(", ")
        };
        return Err(ApiError::bad_input(
            "to",
            format!(
                "an agreement cannot move from {} to {}; allowed next stages: {next}",
                entity::wire_name(&before.stage),
                entity::wire_name(&to)
            ),
        ));
    }
    let parties = parties_of(&txn, id).await?;
    let mut a = before.clone();
    if stage::is_signing(to) {
        if parties.len() < 2 {
            return Err(ApiError::bad_input(
                "to",
                "signing needs at least two parties",
            ));
        }
        let pks = a.kind == Some(AgreementKind::PerjanjianKerjaSama);
        if to == ImplementingSigned && pks {
            let parent = match a.parent_id {
                Some(pid) => agreement::Entity::find_by_id(pid).one(&txn).await?,
                None => None,
            };
            if !parent.is_some_and(|p| stage::is_in_force(p.stage)) {
                return Err(ApiError::bad_input(
                    "to",
                    "an implementing agreement (PKS) needs a signed parent framework",
                ));
            }
        }
        if to == FrameworkSigned || pks {
            a.signed_on = Some(on);
        }
    }
    let mut warnings = Vec::new();
    if to == ImplementingSigned && super::plan::indicators_of(&txn, id).await?.is_empty() {
        warnings.push(Warning {
            code: NO_MEASURABLE_PLAN,
            message: "signed without a measurable work plan: add indicators (unit, baseline, target, target date) with addWorkPlanIndicator so its achievement can be evaluated".into(),
        });
    }
    a.stage = to;
    history(&txn, id, to, Some(on), note.clone()).await?;
    let saved = write::save_versioned(&txn, viewer, "advanceAgreement", &before, a).await?;
    let renewal = if to == Renewed {
        let now = Utc::now();
        let links = agreement_practice::Entity::find()
            .filter(agreement_practice::Column::AgreementId.eq(id))
            .all(&txn)
            .await?;
        let practice_ids: Vec<Uuid> = links.iter().map(|l| l.practice_id).collect();
        let follow = agreement::Model {
            id: Uuid::new_v4(),
            number: None,
            title: saved.title.clone(),
            kind: saved.kind,
            category: saved.category,
            stage: Proposed,
            signed_on: None,
            signed_place: None,
            valid_from: None,
            valid_until: None,
            scope: saved.scope.clone(),
            agencies: saved.agencies.clone(),
            parent_id: saved.parent_id,
            continues_id: Some(id),
            continuation: Some(entity::ContinuationKind::Renews),
            notes: None,
            created_at: now,
            updated_at: now,
            version: 1,
        };
        let note = Some(format!("renewal of agreement {id}"));
        Some(
            insert_agreement(
                &txn,
                viewer,
                "advanceAgreement",
                follow,
                parties,
                &practice_ids,
                note,
            )
            .await?,
        )
    } else {
        None
    };
    write::commit(txn).await?;
    Ok(Advanced {
        agreement: saved,
        renewal,
        warnings,
    })
}

/// What an evaluation recorded.
#[derive(Debug)]
pub struct Evaluated {
    pub evaluation: agreement_evaluation::Model,
    /// The values measured for work-plan indicators with it.
    pub measurements: Vec<entity::indicator_measurement::Model>,
    pub agreement: agreement::Model,
}

/// Records an evaluation, with the values its work-plan indicators
/// reached; an agreement in implementation moves to evaluated.
pub async fn evaluate(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    on: NaiveDate,
    progress: Option<i32>,
    findings: String,
    measurements: Vec<super::plan::MeasurementInput>,
) -> Result<Evaluated> {
    if on > Utc::now().date_naive() {
        return Err(ApiError::bad_input(
            "on",
            "an evaluation date cannot be in the future",
        ));
    }
    if progress.is_some_and(|p| !(0..=100).contains(&p)) {
        return Err(ApiError::bad_input(
            "progress",
            "progress is a percentage from 0 to 100",
        ));
    }
    let findings = write::required_text("findings", &findings, MAX_LONG_TEXT)?;
    let txn = write::begin(db).await?;
    let before = load_for_write(&txn, viewer, id, None).await?;
    if !stage::is_in_force(before.stage) {
        return Err(ApiError::bad_input(
            "agreementId",
            "only a signed, running agreement can be evaluated",
        ));
    }
    let indicators = super::plan::indicators_of(&txn, id).await?;
    super::plan::check_measurements(&measurements, &indicators)?;
    let e = agreement_evaluation::Model {
        id: Uuid::new_v4(),
        agreement_id: id,
        evaluated_on: on,
        progress,
        findings,
        created_at: Utc::now(),
    }
    .into_active_model()
    .insert(&txn)
    .await?;
    audit(
        &txn,
        viewer,
        "recordEvaluation",
        ObjectKind::AgreementEvaluation,
        e.id,
        write::NONE,
        Some(&e),
    )
    .await?;
    let mut a = before.clone();
    if stage::is_implemented(a.stage) {
        a.stage = Evaluated;
        history(
            &txn,
            id,
            Evaluated,
            Some(on),
            Some("evaluation recorded".into()),
        )
        .await?;
    }
    let measured = super::plan::insert_measurements(&txn, viewer, e.id, on, measurements).await?;
    let saved = write::save_versioned(&txn, viewer, "recordEvaluation", &before, a).await?;
    write::commit(txn).await?;
    Ok(Evaluated {
        evaluation: e,
        measurements: measured,
        agreement: saved,
    })
}
