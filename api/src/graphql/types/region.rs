//! `Region`, its yearly indices and its statistics.

use async_graphql::{Context, ID, Object, SimpleObject};
use entity::region;

use super::{Adoption, Agreement, Practice, Visit, load_many, load_one};
use crate::domain::region::stats;
use crate::error::Result;
use crate::graphql::enums::{AgreementStage, PracticeStatus, RegionKind};
use crate::graphql::loaders::*;

/// An Indonesian province, regency (kabupaten) or city (kota), keyed by its
/// official Kemendagri code.
pub struct Region(pub region::Model);

/// An Indonesian province, regency (kabupaten) or city (kota), keyed by its
/// official Kemendagri code.
#[Object]
impl Region {
    /// Kemendagri code: `32` for a province (Jawa Barat), `32.11` for a
    /// regency or city (Kabupaten Sumedang).
    async fn code(&self) -> ID {
        ID(self.0.code.clone())
    }

    /// Official name, e.g. "Kabupaten Sumedang".
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Province, regency or city.
    async fn kind(&self) -> RegionKind {
        self.0.kind.into()
    }

    /// Code of the province a regency or city belongs to; null for a province.
    async fn province_code(&self) -> Option<&str> {
        self.0.province_code.as_deref()
    }

    /// The province a regency or city belongs to; null for a province.
    async fn province(&self, ctx: &Context<'_>) -> Result<Option<Region>> {
        match &self.0.province_code {
            Some(code) => Ok(load_one(ctx, RegionByCode(code.clone())).await?.map(Region)),
            None => Ok(None),
        }
    }

    /// The regencies and cities of a province (empty for a regency or city).
    async fn sub_regions(&self, ctx: &Context<'_>) -> Result<Vec<Region>> {
        Ok(load_many(ctx, SubRegionsOf(self.0.code.clone()))
            .await?
            .into_iter()
            .map(Region)
            .collect())
    }

    /// Seat of government (ibu kota).
    async fn capital(&self) -> Option<&str> {
        self.0.capital.as_deref()
    }

    /// Latitude of the capital (WGS84 degrees).
    async fn latitude(&self) -> Option<f64> {
        self.0.latitude
    }

    /// Longitude of the capital (WGS84 degrees).
    async fn longitude(&self) -> Option<f64> {
        self.0.longitude
    }

    /// Elevation of the capital in metres.
    async fn elevation_m(&self) -> Option<i32> {
        self.0.elevation_m
    }

    /// Hours ahead of UTC: 7 (WIB), 8 (WITA) or 9 (WIT).
    async fn utc_offset(&self) -> Option<i32> {
        self.0.utc_offset
    }

    /// Population count.
    async fn population(&self) -> Option<i64> {
        self.0.population
    }

    /// Area in square kilometres.
    async fn area_km2(&self) -> Option<f64> {
        self.0.area_km2
    }

    /// People per square kilometre, when area and population are known.
    async fn density_per_km2(&self) -> Option<f64> {
        match (self.0.population, self.0.area_km2) {
            (Some(p), Some(a)) if a > 0.0 => Some(p as f64 / a),
            _ => None,
        }
    }

    /// Yearly index values (SPBE, IPP, innovation), latest year first.
    async fn indices(&self, ctx: &Context<'_>) -> Result<Vec<RegionIndex>> {
        Ok(load_many(ctx, IndicesOf(self.0.code.clone()))
            .await?
            .into_iter()
            .map(RegionIndex)
            .collect())
    }

    /// Practices this region owns (is the guru of), by title.
    async fn practices(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only practices with this status.")] status: Option<PracticeStatus>,
        #[graphql(desc = "Also list archived practices.", default)] include_archived: bool,
    ) -> Result<Vec<Practice>> {
        let all = load_many(ctx, PracticesOwnedBy(self.0.code.clone())).await?;
        let status = status.map(entity::PracticeStatus::from);
        Ok(all
            .into_iter()
            .filter(|p| status.is_none_or(|s| p.status == s))
            .filter(|p| include_archived || p.archived_at.is_none())
            .map(Practice)
            .collect())
    }

    /// Agreements this region is a party to, latest signing first.
    async fn agreements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only agreements at this stage.")] stage: Option<AgreementStage>,
    ) -> Result<Vec<Agreement>> {
        let all = load_many(ctx, AgreementsOfRegion(self.0.code.clone())).await?;
        let stage = stage.map(entity::AgreementStage::from);
        Ok(all
            .into_iter()
            .filter(|a| stage.is_none_or(|s| a.stage == s))
            .map(Agreement)
            .collect())
    }

    /// Practices this region is adopting or has adopted.
    async fn adoptions(&self, ctx: &Context<'_>) -> Result<Vec<Adoption>> {
        Ok(load_many(ctx, AdoptionsByRegion(self.0.code.clone()))
            .await?
            .into_iter()
            .map(Adoption)
            .collect())
    }

    /// Benchmarking visits this region made to others, latest first.
    async fn visits_made(&self, ctx: &Context<'_>) -> Result<Vec<Visit>> {
        Ok(load_many(ctx, VisitsMadeBy(self.0.code.clone()))
            .await?
            .into_iter()
            .map(Visit)
            .collect())
    }

    /// Benchmarking visits this region hosted, latest first.
    async fn visits_hosted(&self, ctx: &Context<'_>) -> Result<Vec<Visit>> {
        Ok(load_many(ctx, VisitsHostedBy(self.0.code.clone()))
            .await?
            .into_iter()
            .map(Visit)
            .collect())
    }

    /// When the profile was last corrected; null for the reference data as shipped.
    async fn updated_at(&self) -> Option<crate::graphql::scalars::DateTime> {
        self.0.updated_at.map(crate::graphql::scalars::DateTime)
    }

    /// Version for optimistic concurrency (profile corrections).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// Counts for coordinators: practices, transfers, agreements by partner
    /// category, visits.
    async fn stats(&self, ctx: &Context<'_>) -> Result<RegionStats> {
        Ok(RegionStats(
            load_one(ctx, StatsOf(self.0.code.clone()))
                .await?
                .unwrap_or_default(),
        ))
    }
}

/// Index values of a region for one year.
pub struct RegionIndex(pub entity::region_index::Model);

/// Index values of a region for one year.
#[Object]
impl RegionIndex {
    /// Year the values refer to.
    async fn year(&self) -> i32 {
        self.0.year
    }

    /// SPBE (e-government) index, 0 to 5.
    async fn spbe_index(&self) -> Option<f64> {
        self.0.spbe_index
    }

    /// IPP, Indeks Pelayanan Publik (public service index), 0 to 5.
    async fn public_service_index(&self) -> Option<f64> {
        self.0.public_service_index
    }

    /// Regional innovation index.
    async fn innovation_index(&self) -> Option<f64> {
        self.0.innovation_index
    }

    /// Where the values come from.
    async fn source(&self) -> Option<&str> {
        self.0.source.as_deref()
    }
}

/// Counts about a region's cooperation.
pub struct RegionStats(pub stats::RegionStats);

/// Counts about a region's cooperation.
#[Object]
impl RegionStats {
    /// Practices the region owns.
    async fn practices_owned(&self) -> i64 {
        self.0.practices_owned
    }

    /// Links from agreements to practices this region owns: how often its
    /// practices are transferred.
    async fn transfers_given(&self) -> i64 {
        self.0.transfers_given
    }

    /// Practices of other regions transferred by agreements this region is party to.
    async fn transfers_received(&self) -> i64 {
        self.0.transfers_received
    }

    /// Agreements the region is a party to.
    async fn agreements_total(&self) -> i64 {
        self.0.agreements_total
    }

    /// Agreements by the category of the partner; an agreement with
    /// partners in two categories counts in both.
    async fn agreements_by_partner_category(&self) -> PartnerCategoryCounts {
        self.0.by_partner.into()
    }

    /// Benchmarking visits hosted.
    async fn visits_hosted(&self) -> i64 {
        self.0.visits_hosted
    }

    /// Benchmarking visits made.
    async fn visits_made(&self) -> i64 {
        self.0.visits_made
    }
}

/// Agreements by partner category, as provincial cooperation bureaus report
/// them (Jawa Barat in 2024: 27 / 20 / 29).
#[derive(SimpleObject)]
pub struct PartnerCategoryCounts {
    /// With regions of the same province (regencies and cities inside it, or
    /// the province itself).
    pub within_province: i64,
    /// With other provinces.
    pub other_provinces: i64,
    /// With regencies and cities of other provinces.
    pub outside_province: i64,
    /// With third parties (not a region).
    pub third_parties: i64,
}

impl From<crate::domain::region::stats::PartnerCounts> for PartnerCategoryCounts {
    fn from(c: crate::domain::region::stats::PartnerCounts) -> Self {
        Self {
            within_province: c.within_province,
            other_provinces: c.other_provinces,
            outside_province: c.outside_province,
            third_parties: c.third_parties,
        }
    }
}
