//! Coordinator views: a region's cooperation over a period (by partner
//! category, by stage, how many stall after the framework, what expires and
//! what is due for evaluation), and the adoption funnel of a practice.

use std::collections::{HashMap, HashSet};

use chrono::{Months, NaiveDate};
use entity::{
    AdoptionStage, AgreementStage, adoption, agreement, agreement_party, practice, region, visit,
    visit_practice,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{query, stage};
use crate::domain::region::stats::{PartnerCategory, PartnerCounts, categorize};
use crate::error::{ApiError, Result};

/// A framework without an implementing agreement this long after signing
/// has stalled.
pub const STALL_MONTHS: u32 = 12;

/// A region's cooperation over a period.
#[derive(Clone, Debug)]
pub struct CooperationStats {
    pub region: region::Model,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The date expiry, stalling and evaluation are judged at.
    pub as_of: NaiveDate,
    pub agreements: Vec<agreement::Model>,
    pub by_category: PartnerCounts,
    pub by_stage: Vec<(AgreementStage, i64)>,
    /// Framework agreements (Kesepakatan Bersama, Nota Kesepakatan) signed.
    pub frameworks_signed: i64,
    /// ... of which have an implementing agreement (Perjanjian Kerja Sama) signed.
    pub reached_implementing_agreement: i64,
    /// ... of which are being implemented (or were evaluated).
    pub reached_implementation: i64,
    /// Frameworks still without an implementing agreement [`STALL_MONTHS`]
    /// after signing (or with no signing date).
    pub stalled_after_framework: Vec<agreement::Model>,
    pub expiring: Vec<agreement::Model>,
    pub due_for_evaluation: Vec<agreement::Model>,
    /// How the signed implementing agreements stand on measurable plans.
    pub plans: super::achievement::PlanSummary,
}

/// The date an agreement is counted at: signing, else recording.
fn dated(a: &agreement::Model) -> NaiveDate {
    a.signed_on.unwrap_or_else(|| a.created_at.date_naive())
}

/// Cooperation of `code` with agreements dated (signed, else recorded)
/// between `from` and `to` inclusive.
pub async fn cooperation_stats(
    db: &impl ConnectionTrait,
    code: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    as_of: NaiveDate,
) -> Result<CooperationStats> {
    crate::domain::region::query::check_code("region", code)?;
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        return Err(ApiError::bad_input("to", "to is before from"));
    }
    let me = crate::domain::region::query::require(db, "region", code).await?;
    let (agreements, parties, children) = load(db, code, from, to).await?;
    let home = me.province_code.clone().unwrap_or_else(|| me.code.clone());
    let by_category = partner_counts(db, code, &home, &agreements, &parties).await?;
    let by_stage = count_stages(&agreements);
    let progress = framework_progress(&agreements, &children, as_of);
    let ids: Vec<Uuid> = agreements.iter().map(|a| a.id).collect();
    let expiring = query::expiring(
        db,
        Some(as_of),
        stage::expiry_window_end(as_of) + chrono::Duration::days(1),
        Some(ids.clone()),
        None,
    )
    .await?;
    let due = query::due_for_evaluation(db, as_of, Some(ids), None).await?;
    let plans = super::achievement::plan_summary(db, &agreements, as_of).await?;

    let mut agreements = agreements;
    agreements.sort_by(|a, b| dated(b).cmp(&dated(a)).then(a.id.cmp(&b.id)));
    Ok(CooperationStats {
        region: me,
        from,
        to,
        as_of,
        agreements,
        by_category,
        by_stage,
        frameworks_signed: progress.signed,
        reached_implementing_agreement: progress.reached_implementing,
        reached_implementation: progress.reached_implementation,
        stalled_after_framework: progress.stalled,
        expiring,
        due_for_evaluation: due,
        plans,
    })
}

type Loaded = (
    Vec<agreement::Model>,
    Vec<agreement_party::Model>,
    Vec<agreement::Model>,
);

/// The agreements of region `code` dated in the period, their parties,
/// and their children (implementing agreements under a framework).
async fn load(
    db: &impl ConnectionTrait,
    code: &str,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Loaded> {
    let mine = agreement_party::Entity::find()
        .filter(agreement_party::Column::RegionCode.eq(code))
        .all(db)
        .await?;
    let ids: HashSet<Uuid> = mine.iter().map(|p| p.agreement_id).collect();
    Ok(if ids.is_empty() {
        (Vec::new(), Vec::new(), Vec::new())
    } else {
        let agreements: Vec<agreement::Model> = agreement::Entity::find()
            .filter(agreement::Column::Id.is_in(ids.iter().copied()))
            .all(db)
            .await?
            .into_iter()
            .filter(|a| {
                let d = dated(a);
                from.is_none_or(|f| d >= f) && to.is_none_or(|t| d <= t)
            })
            .collect();
        let kept: Vec<Uuid> = agreements.iter().map(|a| a.id).collect();
        let parties = agreement_party::Entity::find()
            .filter(agreement_party::Column::AgreementId.is_in(kept.clone()))
            .all(db)
            .await?;
        let children = agreement::Entity::find()
            .filter(agreement::Column::ParentId.is_in(kept.clone()))
            .all(db)
            .await?;
        (agreements, parties, children)
    })
}

/// Agreements by the category of their partners, seen from `code` in
/// province `home`.
async fn partner_counts(
    db: &impl ConnectionTrait,
    code: &str,
    home: &str,
    agreements: &[agreement::Model],
    parties: &[agreement_party::Model],
) -> Result<PartnerCounts> {
    let partner_codes: Vec<String> = parties
        .iter()
        .filter_map(|p| p.region_code.clone())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let partners: HashMap<String, region::Model> = if partner_codes.is_empty() {
        HashMap::new()
    } else {
        region::Entity::find()
            .filter(region::Column::Code.is_in(partner_codes.iter().map(String::as_str)))
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.code.clone(), r))
            .collect()
    };

    let mut by_category = PartnerCounts::default();
    for a in agreements {
        let cats: HashSet<PartnerCategory> = parties
            .iter()
            .filter(|p| p.agreement_id == a.id && p.region_code.as_deref() != Some(code))
            .map(|p| match &p.region_code {
                None => PartnerCategory::ThirdParty,
                Some(c) => match partners.get(c) {
                    Some(r) => categorize(
                        home,
                        Some((&r.kind, r.code.as_str(), r.province_code.as_deref())),
                    ),
                    None => PartnerCategory::ThirdParty,
                },
            })
            .collect();
        for c in cats {
            by_category.add(c);
        }
    }
    Ok(by_category)
}

/// Agreements by stage, along the legal path.
fn count_stages(agreements: &[agreement::Model]) -> Vec<(AgreementStage, i64)> {
    let mut stage_counts: HashMap<AgreementStage, i64> = HashMap::new();
    for a in agreements {
        *stage_counts.entry(a.stage).or_default() += 1;
    }
    let mut by_stage: Vec<(AgreementStage, i64)> = stage_counts.into_iter().collect();
    by_stage.sort_by_key(|(s, _)| *s as u8);
    by_stage
}

/// How far signed frameworks got.
struct FrameworkProgress {
    signed: i64,
    reached_implementing: i64,
    reached_implementation: i64,
    stalled: Vec<agreement::Model>,
}

/// Signed frameworks, how many reached an implementing agreement and
/// implementation (themselves or through a child), and which stalled.
fn framework_progress(
    agreements: &[agreement::Model],
    children: &[agreement::Model],
    as_of: NaiveDate,
) -> FrameworkProgress {
    let stall_cutoff = as_of
        .checked_sub_months(Months::new(STALL_MONTHS))
        .unwrap_or(as_of);
    let mut frameworks_signed = 0;
    let mut reached_pks = 0;
    let mut reached_impl = 0;
    let mut stalled = Vec::new();
    for a in agreements
        .iter()
        .filter(|a| stage::is_framework(a.kind, a.stage))
    {
        if !stage::is_signed_and_kept(a.stage) {
            continue;
        }
        frameworks_signed += 1;
        let kids: Vec<&agreement::Model> = children
            .iter()
            .filter(|c| c.parent_id == Some(a.id))
            .collect();
        let pks = stage::implementing_signed(a.stage)
            || kids.iter().any(|c| stage::implementing_signed(c.stage));
        let imp =
            stage::is_implemented(a.stage) || kids.iter().any(|c| stage::is_implemented(c.stage));
        if pks {
            reached_pks += 1;
        }
        if imp {
            reached_impl += 1;
        }
        if !pks
            && a.stage == AgreementStage::FrameworkSigned
            && a.signed_on.is_none_or(|d| d <= stall_cutoff)
        {
            stalled.push(a.clone());
        }
    }
    FrameworkProgress {
        signed: frameworks_signed,
        reached_implementing: reached_pks,
        reached_implementation: reached_impl,
        stalled,
    }
}

/// One stage of an adoption funnel.
#[derive(Clone, Debug)]
pub struct FunnelStage {
    pub stage: AdoptionStage,
    pub adoptions: Vec<adoption::Model>,
    /// Agreements behind these adoptions.
    pub agreement_ids: Vec<Uuid>,
    /// Visits behind these adoptions: linked to them, or made by the adopter
    /// to study the practice.
    pub visits: Vec<visit::Model>,
}

/// The funnel of a practice: interested -> preparing -> piloting ->
/// adopted, and stopped, with the agreements and visits behind each.
pub async fn adoption_funnel(
    db: &impl ConnectionTrait,
    practice_id: Uuid,
) -> Result<(practice::Model, Vec<FunnelStage>)> {
    let p = practice::Entity::find_by_id(practice_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no practice with id {practice_id}")))?;
    let adoptions = adoption::Entity::find()
        .filter(adoption::Column::PracticeId.eq(practice_id))
        .all(db)
        .await?;
    let studied: HashSet<Uuid> = visit_practice::Entity::find()
        .filter(visit_practice::Column::PracticeId.eq(practice_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| l.visit_id)
        .collect();
    let adoption_ids: Vec<Uuid> = adoptions.iter().map(|a| a.id).collect();
    let visits: Vec<visit::Model> = if adoption_ids.is_empty() && studied.is_empty() {
        Vec::new()
    } else {
        visit::Entity::find()
            .filter(
                sea_orm::Condition::any()
                    .add(visit::Column::AdoptionId.is_in(adoption_ids))
                    .add(visit::Column::Id.is_in(studied.iter().copied())),
            )
            .all(db)
            .await?
    };
    let stages = [
        AdoptionStage::Interested,
        AdoptionStage::Preparing,
        AdoptionStage::Piloting,
        AdoptionStage::Adopted,
        AdoptionStage::Stopped,
    ];
    let mut out = Vec::new();
    for stage in stages {
        let mut these: Vec<adoption::Model> = adoptions
            .iter()
            .filter(|a| a.stage == stage)
            .cloned()
            .collect();
        these.sort_by(|a, b| a.region_code.cmp(&b.region_code).then(a.id.cmp(&b.id)));
        let mut agreement_ids: Vec<Uuid> = these.iter().filter_map(|a| a.agreement_id).collect();
        agreement_ids.sort();
        agreement_ids.dedup();
        let mut vs: Vec<visit::Model> = visits
            .iter()
            .filter(|v| {
                these.iter().any(|a| {
                    v.adoption_id == Some(a.id)
                        || (studied.contains(&v.id) && v.visitor_region_code == a.region_code)
                })
            })
            .cloned()
            .collect();
        vs.sort_by(|a, b| a.starts_on.cmp(&b.starts_on).then(a.id.cmp(&b.id)));
        vs.dedup_by_key(|v| v.id);
        out.push(FunnelStage {
            stage,
            adoptions: these,
            agreement_ids,
            visits: vs,
        });
    }
    Ok((p, out))
}
