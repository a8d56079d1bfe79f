//! Writes of adoptions, visits and region data.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use super::{patch, viewer};
use crate::domain::adoption::write as adoptions;
use crate::domain::parse_id;
use crate::domain::region::write::{self as regions, IndexValues, ProfileCorrection};
use crate::domain::visit::write::{self as visits, NewVisit};
use crate::error::Result;
use crate::graphql::db;
use crate::graphql::enums::AdoptionStage;
use crate::graphql::scalars::Date;
use crate::graphql::types::{Adoption, Region, RegionIndex, Visit};

/// A region taking up a practice (starts as INTERESTED).
#[derive(InputObject)]
pub struct RecordAdoptionInput {
    /// The practice adopted.
    pub practice_id: ID,
    /// The adopting region's code; the caller must write for it.
    pub region_code: ID,
    /// The agreement it happens under (the region must be a party).
    pub agreement_id: Option<ID>,
    /// When it started.
    pub started_on: Option<Date>,
    /// Notes.
    pub notes: Option<String>,
}

/// A move of an adoption.
#[derive(InputObject)]
pub struct AdvanceAdoptionInput {
    /// Adoption id.
    pub id: ID,
    /// The `version` you last read.
    pub version: i32,
    /// PREPARING, PILOTING, ADOPTED, or STOPPED (with a reason).
    pub to: AdoptionStage,
    /// When it happened (default today).
    pub on: Option<Date>,
    /// Why it stopped (required for STOPPED).
    pub reason: Option<String>,
}

/// Attaches an adoption to an agreement.
#[derive(InputObject)]
pub struct AttachAdoptionToAgreementInput {
    /// Adoption id.
    pub id: ID,
    /// The `version` you last read.
    pub version: i32,
    /// Agreement id (the adopter must be a party).
    pub agreement_id: ID,
}

/// A benchmarking visit to schedule.
#[derive(InputObject)]
pub struct ScheduleVisitInput {
    /// Visiting region's code.
    pub visitor_region_code: ID,
    /// Host region's code (not the visitor).
    pub host_region_code: ID,
    /// First day.
    pub starts_on: Date,
    /// Last day (not before the first).
    pub ends_on: Date,
    /// What the delegation wants to learn.
    #[graphql(default)]
    pub learning_objectives: Vec<String>,
    /// Practices to study.
    #[graphql(default)]
    pub practice_ids: Vec<ID>,
    /// People in the delegation.
    pub delegation_size: Option<i32>,
    /// Notes.
    pub notes: Option<String>,
}

/// What a visit produced.
#[derive(InputObject)]
pub struct RecordVisitOutcomeInput {
    /// Visit id.
    pub id: ID,
    /// The `version` you last read.
    pub version: i32,
    /// What was learned.
    pub notes: Option<String>,
    /// The agreement that followed (the visitor is a party).
    pub agreement_id: Option<ID>,
    /// The adoption that followed (the visitor's).
    pub adoption_id: Option<ID>,
}

/// Index values of a region for a year (admins).
#[derive(InputObject)]
pub struct SetRegionIndexInput {
    /// Region code.
    pub region_code: ID,
    /// Year.
    pub year: i32,
    /// SPBE index, 0-5.
    pub spbe_index: Option<f64>,
    /// IPP (public service index), 0-5.
    pub public_service_index: Option<f64>,
    /// Regional innovation index.
    pub innovation_index: Option<f64>,
    /// Where the values come from.
    pub source: Option<String>,
}

/// A correction of a region's profile (admins): omitted fields stay.
#[derive(InputObject)]
pub struct CorrectRegionProfileInput {
    /// Region code.
    pub code: ID,
    /// The `version` you last read.
    pub version: i32,
    /// Seat of government.
    pub capital: MaybeUndefined<String>,
    /// Latitude of the capital.
    pub latitude: MaybeUndefined<f64>,
    /// Longitude of the capital.
    pub longitude: MaybeUndefined<f64>,
    /// Elevation of the capital, metres.
    pub elevation_m: MaybeUndefined<i32>,
    /// Area, km².
    pub area_km2: MaybeUndefined<f64>,
    /// Population.
    pub population: MaybeUndefined<i64>,
}

/// An adoption after a write.
#[derive(SimpleObject)]
pub struct AdoptionPayload {
    /// The adoption as saved.
    pub adoption: Adoption,
}

/// A visit after a write.
#[derive(SimpleObject)]
pub struct VisitPayload {
    /// The visit as saved.
    pub visit: Visit,
}

/// One stop of a plan to schedule (from `planVisits`' `stops`).
#[derive(InputObject)]
pub struct PlannedVisitInput {
    /// Host region's code.
    pub host: ID,
    /// First day of the visit (the stop's `date`).
    pub starts_on: Date,
    /// Last day (default: `startsOn`).
    pub ends_on: Option<Date>,
    /// Practices to study there.
    #[graphql(default)]
    pub practice_ids: Vec<ID>,
    /// Learning objectives (the practices' `learningObjective`).
    #[graphql(default)]
    pub learning_objectives: Vec<String>,
}

/// A plan to turn into scheduled visits.
#[derive(InputObject)]
pub struct SaveVisitPlanInput {
    /// The visiting region's code; the caller must write for it or for
    /// every host.
    pub seeker: ID,
    /// The stops, one visit each (1 to 10, no host twice).
    pub stops: Vec<PlannedVisitInput>,
    /// People in the delegation.
    pub delegation_size: Option<i32>,
    /// Notes, copied to every visit.
    pub notes: Option<String>,
}

/// The visits a plan became.
#[derive(SimpleObject)]
pub struct SaveVisitPlanPayload {
    /// The visits as saved, in the order of the stops.
    pub visits: Vec<Visit>,
}

/// Index values after a write.
#[derive(SimpleObject)]
pub struct SetRegionIndexPayload {
    /// The values as saved.
    pub index: RegionIndex,
}

/// A region after a correction.
#[derive(SimpleObject)]
pub struct CorrectRegionProfilePayload {
    /// The region as saved.
    pub region: Region,
}

/// Writes of adoptions, visits and region data.
#[derive(Default)]
pub struct AdoptionVisitMutation;

#[Object]
impl AdoptionVisitMutation {
    /// Records that a region takes up a practice.
    async fn record_adoption(
        &self,
        ctx: &Context<'_>,
        input: RecordAdoptionInput,
    ) -> Result<AdoptionPayload> {
        let a = adoptions::record_adoption(
            db(ctx)?,
            viewer(ctx),
            parse_id("input.practiceId", &input.practice_id)?,
            &input.region_code,
            input
                .agreement_id
                .map(|id| parse_id("input.agreementId", &id))
                .transpose()?,
            input.started_on.map(|d| d.0),
            input.notes,
        )
        .await?;
        Ok(AdoptionPayload {
            adoption: Adoption(a),
        })
    }

    /// Moves an adoption: interested -> preparing -> piloting -> adopted, or stopped.
    async fn advance_adoption(
        &self,
        ctx: &Context<'_>,
        input: AdvanceAdoptionInput,
    ) -> Result<AdoptionPayload> {
        let a = adoptions::advance_adoption(
            db(ctx)?,
            viewer(ctx),
            parse_id("input.id", &input.id)?,
            input.version,
            input.to.into(),
            input.on.map(|d| d.0),
            input.reason,
        )
        .await?;
        Ok(AdoptionPayload {
            adoption: Adoption(a),
        })
    }

    /// Attaches an adoption to an agreement.
    async fn attach_adoption_to_agreement(
        &self,
        ctx: &Context<'_>,
        input: AttachAdoptionToAgreementInput,
    ) -> Result<AdoptionPayload> {
        let a = adoptions::attach_adoption(
            db(ctx)?,
            viewer(ctx),
            parse_id("input.id", &input.id)?,
            input.version,
            parse_id("input.agreementId", &input.agreement_id)?,
        )
        .await?;
        Ok(AdoptionPayload {
            adoption: Adoption(a),
        })
    }

    /// Schedules a benchmarking visit (by the visitor or the host).
    async fn schedule_visit(
        &self,
        ctx: &Context<'_>,
        input: ScheduleVisitInput,
    ) -> Result<VisitPayload> {
        let practice_ids = input
            .practice_ids
            .iter()
            .map(|id| parse_id("input.practiceIds", id))
            .collect::<Result<Vec<_>>>()?;
        let v = visits::schedule_visit(
            db(ctx)?,
            viewer(ctx),
            NewVisit {
                visitor_region_code: input.visitor_region_code.0,
                host_region_code: input.host_region_code.0,
                starts_on: input.starts_on.0,
                ends_on: input.ends_on.0,
                learning_objectives: input.learning_objectives,
                practice_ids,
                delegation_size: input.delegation_size,
                notes: input.notes,
            },
        )
        .await?;
        Ok(VisitPayload { visit: Visit(v) })
    }

    /// Turns a visit plan (`planVisits`) into scheduled visits, one per
    /// stop, all or none.
    async fn save_visit_plan(
        &self,
        ctx: &Context<'_>,
        input: SaveVisitPlanInput,
    ) -> Result<SaveVisitPlanPayload> {
        let mut visits = Vec::new();
        for (i, stop) in input.stops.into_iter().enumerate() {
            let practice_ids = stop
                .practice_ids
                .iter()
                .map(|id| parse_id(&format!("input.stops[{i}].practiceIds"), id))
                .collect::<Result<Vec<_>>>()?;
            visits.push(NewVisit {
                visitor_region_code: input.seeker.0.clone(),
                host_region_code: stop.host.0,
                starts_on: stop.starts_on.0,
                ends_on: stop.ends_on.unwrap_or(stop.starts_on).0,
                learning_objectives: stop.learning_objectives,
                practice_ids,
                delegation_size: input.delegation_size,
                notes: input.notes.clone(),
            });
        }
        let saved = visits::save_visit_plan(db(ctx)?, viewer(ctx), visits).await?;
        Ok(SaveVisitPlanPayload {
            visits: saved.into_iter().map(Visit).collect(),
        })
    }

    /// Records what a visit produced.
    async fn record_visit_outcome(
        &self,
        ctx: &Context<'_>,
        input: RecordVisitOutcomeInput,
    ) -> Result<VisitPayload> {
        let v = visits::record_visit_outcome(
            db(ctx)?,
            viewer(ctx),
            parse_id("input.id", &input.id)?,
            input.version,
            input.notes,
            input
                .agreement_id
                .map(|id| parse_id("input.agreementId", &id))
                .transpose()?,
            input
                .adoption_id
                .map(|id| parse_id("input.adoptionId", &id))
                .transpose()?,
        )
        .await?;
        Ok(VisitPayload { visit: Visit(v) })
    }

    /// Sets a region's index values for a year (admins).
    async fn set_region_index(
        &self,
        ctx: &Context<'_>,
        input: SetRegionIndexInput,
    ) -> Result<SetRegionIndexPayload> {
        let i = regions::set_region_index(
            db(ctx)?,
            viewer(ctx),
            &input.region_code,
            input.year,
            IndexValues {
                spbe_index: input.spbe_index,
                public_service_index: input.public_service_index,
                innovation_index: input.innovation_index,
                source: input.source,
            },
        )
        .await?;
        Ok(SetRegionIndexPayload {
            index: RegionIndex(i),
        })
    }

    /// Corrects a region's reference profile (admins).
    async fn correct_region_profile(
        &self,
        ctx: &Context<'_>,
        input: CorrectRegionProfileInput,
    ) -> Result<CorrectRegionProfilePayload> {
        let r = regions::correct_region(
            db(ctx)?,
            viewer(ctx),
            &input.code,
            input.version,
            ProfileCorrection {
                capital: patch(input.capital),
                latitude: patch(input.latitude),
                longitude: patch(input.longitude),
                elevation_m: patch(input.elevation_m),
                area_km2: patch(input.area_km2),
                population: patch(input.population),
            },
        )
        .await?;
        Ok(CorrectRegionProfilePayload { region: Region(r) })
    }
}
