//! The evidence and transfer records of candidate practices, and the
//! region indices, each read in one statement per table.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use entity::{
    AdoptionStage, PracticeStatus, Sector, adoption, adoption_follow_up, agreement,
    agreement_practice, outcome, practice, practice_sector, region_index, visit, visit_practice,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use uuid::Uuid;

use crate::domain::agreement::stage;
use crate::error::Result;

use super::MatchedPractice;

/// The evidence and transfer records of a set of practices, read in one
/// statement per table.
#[derive(Default)]
pub(super) struct Evidence {
    /// Practice -> (has achieved value, has baseline too, first metric text).
    pub(super) outcomes: HashMap<Uuid, Vec<outcome::Model>>,
    pub(super) adoptions: HashMap<Uuid, Vec<adoption::Model>>,
    /// Adoptions (by id) whose follow-up reported an outcome the adopter
    /// measured.
    pub(super) measured_adoptions: HashSet<Uuid>,
    /// Practice -> signed agreements transferring it.
    pub(super) agreements: HashMap<Uuid, Vec<agreement::Model>>,
    /// Practice -> visits that studied it.
    pub(super) visits: HashMap<Uuid, Vec<visit::Model>>,
    pub(super) sectors: HashMap<Uuid, Vec<Sector>>,
}

impl Evidence {
    pub(super) async fn load(
        db: &impl ConnectionTrait,
        practices: &[practice::Model],
    ) -> Result<Self> {
        if practices.is_empty() {
            return Ok(Self::default());
        }
        let ids: Vec<Uuid> = practices.iter().map(|p| p.id).collect();
        let mut e = Self::default();
        for o in outcome::Entity::find()
            .filter(outcome::Column::PracticeId.is_in(ids.clone()))
            .all(db)
            .await?
        {
            e.outcomes.entry(o.practice_id).or_default().push(o);
        }
        for a in adoption::Entity::find()
            .filter(adoption::Column::PracticeId.is_in(ids.clone()))
            .all(db)
            .await?
        {
            e.adoptions.entry(a.practice_id).or_default().push(a);
        }
        let adoption_ids: Vec<Uuid> = e.adoptions.values().flatten().map(|a| a.id).collect();
        if !adoption_ids.is_empty() {
            e.measured_adoptions = adoption_follow_up::Entity::find()
                .filter(adoption_follow_up::Column::AdoptionId.is_in(adoption_ids))
                .filter(adoption_follow_up::Column::StillRunning.eq(true))
                .filter(adoption_follow_up::Column::OutcomeValue.is_not_null())
                .all(db)
                .await?
                .into_iter()
                .map(|f| f.adoption_id)
                .collect();
        }
        let links = agreement_practice::Entity::find()
            .filter(agreement_practice::Column::PracticeId.is_in(ids.clone()))
            .all(db)
            .await?;
        let signed: HashMap<Uuid, agreement::Model> = if links.is_empty() {
            HashMap::new()
        } else {
            agreement::Entity::find()
                .filter(agreement::Column::Id.is_in(links.iter().map(|l| l.agreement_id)))
                .all(db)
                .await?
                .into_iter()
                .filter(|a| stage::is_proven_transfer(a.stage))
                .map(|a| (a.id, a))
                .collect()
        };
        for link in links {
            if let Some(a) = signed.get(&link.agreement_id) {
                e.agreements
                    .entry(link.practice_id)
                    .or_default()
                    .push(a.clone());
            }
        }
        let studied = visit_practice::Entity::find()
            .filter(visit_practice::Column::PracticeId.is_in(ids.clone()))
            .all(db)
            .await?;
        let visits: HashMap<Uuid, visit::Model> = if studied.is_empty() {
            HashMap::new()
        } else {
            visit::Entity::find()
                .filter(visit::Column::Id.is_in(studied.iter().map(|l| l.visit_id)))
                .all(db)
                .await?
                .into_iter()
                .map(|v| (v.id, v))
                .collect()
        };
        for link in studied {
            if let Some(v) = visits.get(&link.visit_id) {
                e.visits
                    .entry(link.practice_id)
                    .or_default()
                    .push(v.clone());
            }
        }
        for s in practice_sector::Entity::find()
            .filter(practice_sector::Column::PracticeId.is_in(ids))
            .all(db)
            .await?
        {
            e.sectors.entry(s.practice_id).or_default().push(s.sector);
        }
        Ok(e)
    }

    /// Regions named in the reasons (adopters, visitors).
    pub(super) fn region_codes(&self) -> impl Iterator<Item = String> + '_ {
        self.adoptions
            .values()
            .flatten()
            .map(|a| a.region_code.clone())
            .chain(
                self.visits
                    .values()
                    .flatten()
                    .map(|v| v.visitor_region_code.clone()),
            )
    }

    pub(super) fn matched(
        &self,
        p: practice::Model,
        relevance: f64,
        today: NaiveDate,
    ) -> MatchedPractice {
        let outcomes = self.outcomes.get(&p.id).map(Vec::as_slice).unwrap_or(&[]);
        let measured = outcomes.iter().any(|o| o.achieved_value.is_some());
        let with_baseline = outcomes
            .iter()
            .any(|o| o.achieved_value.is_some() && o.baseline_value.is_some());
        let mut evidence = if with_baseline {
            0.5
        } else if measured {
            0.35
        } else {
            0.0
        };
        if p.status == PracticeStatus::Active {
            evidence += 0.25;
        }
        evidence += 0.25 * recency(p.last_verified_on, today);
        let adoptions = self.adoptions.get(&p.id).map(Vec::as_slice).unwrap_or(&[]);
        let completed = adoptions
            .iter()
            .filter(|a| a.stage == AdoptionStage::Adopted)
            .count();
        let under_way = adoptions
            .iter()
            .filter(|a| {
                matches!(
                    a.stage,
                    AdoptionStage::Interested | AdoptionStage::Preparing | AdoptionStage::Piloting
                )
            })
            .count();
        // Adopters still running it that report a result they measured.
        let reporting = adoptions
            .iter()
            .filter(|a| {
                a.stage != AdoptionStage::Stopped && self.measured_adoptions.contains(&a.id)
            })
            .count();
        let agreements = self.agreements.get(&p.id).map_or(0, Vec::len);
        let visits = self.visits.get(&p.id).map_or(0, |v| {
            v.iter()
                .filter(|v| v.host_region_code == p.owner_region_code)
                .count()
        });
        MatchedPractice {
            practice: p,
            relevance,
            evidence: evidence.clamp(0.0, 1.0),
            measured,
            completed_adoptions: count(completed),
            adoptions_under_way: count(under_way),
            adopters_reporting_results: count(reporting),
            agreements: count(agreements),
            visits: count(visits),
        }
    }

    pub(super) fn sectors_of(&self, matched: &[MatchedPractice]) -> HashSet<Sector> {
        matched
            .iter()
            .flat_map(|m| {
                self.sectors
                    .get(&m.practice.id)
                    .into_iter()
                    .flatten()
                    .copied()
            })
            .collect()
    }
}

pub(super) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// 1 when verified in the last two years, falling to 0 at six years; 0 when never.
pub(super) fn recency(verified: Option<NaiveDate>, today: NaiveDate) -> f64 {
    let Some(v) = verified else { return 0.0 };
    let years = (today - v).num_days() as f64 / 365.25;
    if years <= 2.0 {
        1.0
    } else {
        ((6.0 - years) / 4.0).clamp(0.0, 1.0)
    }
}

/// Transfers as a factor: saturates as proof accumulates. An adopter that
/// reports a result it measured itself counts as much again as an agreement
/// (the practice worked elsewhere, not only moved there).
pub(super) fn transfer_factor(
    completed: u32,
    under_way: u32,
    agreements: u32,
    visits: u32,
    reporting: u32,
) -> f64 {
    let raw = 2.0 * f64::from(completed)
        + f64::from(reporting)
        + f64::from(agreements)
        + 0.5 * f64::from(visits)
        + 0.25 * f64::from(under_way);
    1.0 - (-raw / 3.0).exp()
}

/// The index a topic is judged on, from the sectors of the matching practices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexKind {
    Spbe,
    PublicService,
    Innovation,
}

impl IndexKind {
    pub(super) fn for_sectors(sectors: &HashSet<Sector>) -> Self {
        use Sector::*;
        if sectors
            .iter()
            .any(|s| matches!(s, EGovernment | SmartCity | DataAndStatistics | Encryption))
        {
            Self::Spbe
        } else if sectors.contains(&PublicService) {
            Self::PublicService
        } else {
            Self::Innovation
        }
    }

    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Spbe => "SPBE index",
            Self::PublicService => "public service index (IPP)",
            Self::Innovation => "regional innovation index",
        }
    }

    pub(super) fn value(self, i: &region_index::Model) -> Option<f64> {
        match self {
            Self::Spbe => i.spbe_index,
            Self::PublicService => i.public_service_index,
            Self::Innovation => i.innovation_index,
        }
    }
}

/// All index rows of each region, latest year first.
pub(super) async fn latest_indices(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> Result<HashMap<String, Vec<region_index::Model>>> {
    let mut out: HashMap<String, Vec<region_index::Model>> = HashMap::new();
    for i in region_index::Entity::find()
        .filter(region_index::Column::RegionCode.is_in(codes.iter().map(String::as_str)))
        .all(db)
        .await?
    {
        out.entry(i.region_code.clone()).or_default().push(i);
    }
    for v in out.values_mut() {
        v.sort_by_key(|i| std::cmp::Reverse(i.year));
    }
    Ok(out)
}

pub(super) fn latest(
    rows: Option<&Vec<region_index::Model>>,
    kind: IndexKind,
) -> Option<(f64, i32)> {
    rows?
        .iter()
        .find_map(|i| kind.value(i).map(|v| (v, i.year)))
}
