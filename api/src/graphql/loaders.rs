//! Every relation field goes through this DataLoader, so the number of SQL
//! statements of a query depends on its shape, never on how many rows it
//! returns. One `DbLoader` serves all key types; each key newtype names one
//! relation. A fresh `DataLoader` is made per request (see
//! `http/execute.rs`), so its cache never outlives a request.

use std::collections::HashMap;
use std::hash::Hash;

use async_graphql::dataloader::Loader;
use entity::{
    adoption, adoption_follow_up, agreement, agreement_evaluation, agreement_party,
    agreement_practice, agreement_stage_change, audit_entry, expression_of_interest,
    expression_practice, indicator_measurement, learning_request, learning_request_practice,
    learning_request_sector, outcome, practice, practice_sector, region, region_index, visit,
    visit_practice, work_plan_activity, work_plan_indicator,
};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::domain::region::stats::{self, RegionStats};
use crate::error::ApiError;

/// Loads rows by key in batches.
#[derive(Clone)]
pub struct DbLoader {
    db: DatabaseConnection,
}

impl DbLoader {
    /// A loader reading from `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

/// The `DataLoader` type placed in each request's data.
pub type AppLoader = async_graphql::dataloader::DataLoader<DbLoader>;

macro_rules! keys {
    ($($(#[$m:meta])* $name:ident($t:ty);)+) => {
        $(
            $(#[$m])*
            #[derive(Clone, Debug, PartialEq, Eq, Hash)]
            pub struct $name(pub $t);
        )+
    };
}

keys! {
    /// A region by code.
    RegionByCode(String);
    /// A practice by id.
    PracticeById(Uuid);
    /// An agreement by id.
    AgreementById(Uuid);
    /// An adoption by id.
    AdoptionById(Uuid);
    /// A visit by id.
    VisitById(Uuid);
    /// The sectors of a practice.
    SectorsOf(Uuid);
    /// The outcomes of a practice.
    OutcomesOf(Uuid);
    /// The practices a region owns.
    PracticesOwnedBy(String);
    /// The agreements transferring a practice.
    AgreementsTransferring(Uuid);
    /// The practices an agreement transfers.
    PracticesTransferredBy(Uuid);
    /// The parties of an agreement.
    PartiesOf(Uuid);
    /// The stage history of an agreement.
    HistoryOf(Uuid);
    /// The agreements a region is party to.
    AgreementsOfRegion(String);
    /// The implementing agreements under a framework.
    ImplementingAgreementsOf(Uuid);
    /// The agreements continuing (renewing or widening) an agreement.
    ContinuationsOf(Uuid);
    /// The adoptions of a practice.
    AdoptionsOfPractice(Uuid);
    /// The adoptions by a region.
    AdoptionsByRegion(String);
    /// The adoptions under an agreement.
    AdoptionsUnderAgreement(Uuid);
    /// The visits a region made.
    VisitsMadeBy(String);
    /// The visits a region hosted.
    VisitsHostedBy(String);
    /// The visits that studied a practice.
    VisitsStudying(Uuid);
    /// The practices studied on a visit.
    PracticesStudiedOn(Uuid);
    /// The yearly indices of a region.
    IndicesOf(String);
    /// The regencies and cities of a province.
    SubRegionsOf(String);
    /// Statistics of a region.
    StatsOf(String);
    /// The audit entries of an object, by its id.
    ChangesOf(String);
    /// The evaluations of an agreement.
    EvaluationsOf(Uuid);
    /// A learning request by id.
    LearningRequestById(Uuid);
    /// The sectors of a learning request.
    SectorsOfRequest(Uuid);
    /// The practices a learning request has in mind.
    PracticesInMindOf(Uuid);
    /// The expressions of interest answering a learning request.
    ExpressionsOn(Uuid);
    /// The practices an expression of interest offers.
    PracticesOfferedBy(Uuid);
    /// The work-plan indicators of an agreement.
    IndicatorsOf(Uuid);
    /// The work-plan activities of an agreement.
    ActivitiesOf(Uuid);
    /// The measurements of a work-plan indicator.
    MeasurementsOf(Uuid);
    /// The measurements recorded with an evaluation.
    MeasurementsWith(Uuid);
    /// The follow-ups of an adoption.
    FollowUpsOf(Uuid);
}

/// An object accepting an expression of interest may have created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CreatedObject {
    /// A visit, by id.
    Visit(Uuid),
    /// An adoption, by id.
    Adoption(Uuid),
    /// An agreement, by id.
    Agreement(Uuid),
}

/// The learning request behind an object that accepting one of its
/// expressions of interest created.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RequestBehind(pub CreatedObject);

fn group<K: Eq + Hash, V>(rows: Vec<V>, key: impl Fn(&V) -> K) -> HashMap<K, Vec<V>> {
    let mut map: HashMap<K, Vec<V>> = HashMap::new();
    for r in rows {
        map.entry(key(&r)).or_default().push(r);
    }
    map
}

fn uuids<'a, K: 'a>(keys: &'a [K], f: impl Fn(&K) -> Uuid + 'a) -> impl Iterator<Item = Uuid> + 'a {
    keys.iter().map(f)
}

impl DbLoader {
    /// Loads practices by id and re-keys them through a join table.
    async fn practices_via<K: Eq + Hash>(
        &self,
        links: Vec<(K, Uuid)>,
    ) -> Result<HashMap<K, Vec<practice::Model>>, ApiError> {
        let ids: Vec<Uuid> = links.iter().map(|(_, id)| *id).collect();
        let by_id: HashMap<Uuid, practice::Model> = practice::Entity::find()
            .filter(practice::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let mut out: HashMap<K, Vec<practice::Model>> = HashMap::new();
        for (k, id) in links {
            if let Some(p) = by_id.get(&id) {
                out.entry(k).or_default().push(p.clone());
            }
        }
        for v in out.values_mut() {
            v.sort_by(|a, b| a.title.cmp(&b.title));
        }
        Ok(out)
    }

    /// Loads agreements by id and re-keys them through a join table.
    async fn agreements_via<K: Eq + Hash + Clone>(
        &self,
        links: Vec<(K, Uuid)>,
    ) -> Result<HashMap<K, Vec<agreement::Model>>, ApiError> {
        let ids: Vec<Uuid> = links.iter().map(|(_, id)| *id).collect();
        let by_id: HashMap<Uuid, agreement::Model> = agreement::Entity::find()
            .filter(agreement::Column::Id.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let mut out: HashMap<K, Vec<agreement::Model>> = HashMap::new();
        let mut seen = std::collections::HashSet::new();
        for (k, id) in links {
            // A region listed twice as a party still has the agreement once.
            if let Some(a) = by_id.get(&id)
                && seen.insert((k.clone(), id))
            {
                out.entry(k).or_default().push(a.clone());
            }
        }
        for v in out.values_mut() {
            sort_agreements(v);
        }
        Ok(out)
    }
}

/// Latest signing first, undated last, then by title.
pub fn sort_agreements(v: &mut [agreement::Model]) {
    v.sort_by(|a, b| {
        b.signed_on
            .is_some()
            .cmp(&a.signed_on.is_some())
            .then(b.signed_on.cmp(&a.signed_on))
            .then(a.title.cmp(&b.title))
    });
}

macro_rules! by_id_loader {
    ($key:ident, $entity:ident, $col:expr, $field:ident, $kt:ty) => {
        impl Loader<$key> for DbLoader {
            type Value = $entity::Model;
            type Error = ApiError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let ids: Vec<$kt> = keys.iter().map(|k| k.0.clone()).collect();
                let rows = $entity::Entity::find()
                    .filter($col.is_in(ids))
                    .all(&self.db)
                    .await?;
                Ok(rows
                    .into_iter()
                    .map(|r| ($key(r.$field.clone()), r))
                    .collect())
            }
        }
    };
}

by_id_loader!(RegionByCode, region, region::Column::Code, code, String);
by_id_loader!(PracticeById, practice, practice::Column::Id, id, Uuid);
by_id_loader!(AgreementById, agreement, agreement::Column::Id, id, Uuid);
by_id_loader!(AdoptionById, adoption, adoption::Column::Id, id, Uuid);
by_id_loader!(VisitById, visit, visit::Column::Id, id, Uuid);
by_id_loader!(
    LearningRequestById,
    learning_request,
    learning_request::Column::Id,
    id,
    Uuid
);

macro_rules! many_loader {
    ($key:ident, $entity:ident, $col:expr, $field:ident, $kt:ty, |$q:ident| $order:expr) => {
        impl Loader<$key> for DbLoader {
            type Value = Vec<$entity::Model>;
            type Error = ApiError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let ids: Vec<$kt> = keys.iter().map(|k| k.0.clone()).collect();
                let $q = $entity::Entity::find().filter($col.is_in(ids));
                let rows = $order.all(&self.db).await?;
                Ok(group(rows, |r| $key(r.$field.clone())))
            }
        }
    };
}

many_loader!(
    OutcomesOf,
    outcome,
    outcome::Column::PracticeId,
    practice_id,
    Uuid,
    |q| q
        .order_by_asc(outcome::Column::AchievedYear)
        .order_by_asc(outcome::Column::Metric)
);
many_loader!(
    PracticesOwnedBy,
    practice,
    practice::Column::OwnerRegionCode,
    owner_region_code,
    String,
    |q| q.order_by_asc(practice::Column::Title)
);
many_loader!(
    PartiesOf,
    agreement_party,
    agreement_party::Column::AgreementId,
    agreement_id,
    Uuid,
    |q| q
        .order_by_asc(agreement_party::Column::Position)
        .order_by_asc(agreement_party::Column::Id)
);
many_loader!(
    HistoryOf,
    agreement_stage_change,
    agreement_stage_change::Column::AgreementId,
    agreement_id,
    Uuid,
    |q| q
        .order_by_asc(agreement_stage_change::Column::RecordedAt)
        .order_by_asc(agreement_stage_change::Column::Id)
);
many_loader!(
    AdoptionsOfPractice,
    adoption,
    adoption::Column::PracticeId,
    practice_id,
    Uuid,
    |q| q.order_by_asc(adoption::Column::RegionCode)
);
many_loader!(
    AdoptionsByRegion,
    adoption,
    adoption::Column::RegionCode,
    region_code,
    String,
    |q| q.order_by_desc(adoption::Column::UpdatedAt)
);
many_loader!(
    VisitsMadeBy,
    visit,
    visit::Column::VisitorRegionCode,
    visitor_region_code,
    String,
    |q| q.order_by_desc(visit::Column::StartsOn)
);
many_loader!(
    VisitsHostedBy,
    visit,
    visit::Column::HostRegionCode,
    host_region_code,
    String,
    |q| q.order_by_desc(visit::Column::StartsOn)
);
many_loader!(
    IndicesOf,
    region_index,
    region_index::Column::RegionCode,
    region_code,
    String,
    |q| q.order_by_desc(region_index::Column::Year)
);

impl Loader<AdoptionsUnderAgreement> for DbLoader {
    type Value = Vec<adoption::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[AdoptionsUnderAgreement],
    ) -> Result<HashMap<AdoptionsUnderAgreement, Self::Value>, Self::Error> {
        let rows = adoption::Entity::find()
            .filter(adoption::Column::AgreementId.is_in(uuids(keys, |k| k.0)))
            .order_by_asc(adoption::Column::RegionCode)
            .all(&self.db)
            .await?;
        let mut out: HashMap<AdoptionsUnderAgreement, Vec<adoption::Model>> = HashMap::new();
        for r in rows {
            if let Some(a) = r.agreement_id {
                out.entry(AdoptionsUnderAgreement(a)).or_default().push(r);
            }
        }
        Ok(out)
    }
}

impl Loader<SubRegionsOf> for DbLoader {
    type Value = Vec<region::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[SubRegionsOf],
    ) -> Result<HashMap<SubRegionsOf, Self::Value>, Self::Error> {
        let rows = region::Entity::find()
            .filter(region::Column::ProvinceCode.is_in(keys.iter().map(|k| k.0.clone())))
            .order_by_asc(region::Column::Code)
            .all(&self.db)
            .await?;
        let mut out: HashMap<SubRegionsOf, Vec<region::Model>> = HashMap::new();
        for r in rows {
            if let Some(p) = r.province_code.clone() {
                out.entry(SubRegionsOf(p)).or_default().push(r);
            }
        }
        Ok(out)
    }
}

macro_rules! children_loader {
    ($key:ident, $col:expr, $field:ident) => {
        impl Loader<$key> for DbLoader {
            type Value = Vec<agreement::Model>;
            type Error = ApiError;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let rows = agreement::Entity::find()
                    .filter($col.is_in(uuids(keys, |k| k.0)))
                    .all(&self.db)
                    .await?;
                let mut out: HashMap<$key, Vec<agreement::Model>> = HashMap::new();
                for r in rows {
                    if let Some(p) = r.$field {
                        out.entry($key(p)).or_default().push(r);
                    }
                }
                for v in out.values_mut() {
                    sort_agreements(v);
                }
                Ok(out)
            }
        }
    };
}

children_loader!(
    ImplementingAgreementsOf,
    agreement::Column::ParentId,
    parent_id
);
children_loader!(
    ContinuationsOf,
    agreement::Column::ContinuesId,
    continues_id
);

many_loader!(
    ExpressionsOn,
    expression_of_interest,
    expression_of_interest::Column::LearningRequestId,
    learning_request_id,
    Uuid,
    |q| q
        .order_by_asc(expression_of_interest::Column::CreatedAt)
        .order_by_asc(expression_of_interest::Column::Id)
);

impl Loader<RequestBehind> for DbLoader {
    type Value = learning_request::Model;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[RequestBehind],
    ) -> Result<HashMap<RequestBehind, Self::Value>, Self::Error> {
        let (mut visits, mut adoptions, mut agreements) = (Vec::new(), Vec::new(), Vec::new());
        for k in keys {
            match k.0 {
                CreatedObject::Visit(id) => visits.push(id),
                CreatedObject::Adoption(id) => adoptions.push(id),
                CreatedObject::Agreement(id) => agreements.push(id),
            }
        }
        let expressions = expression_of_interest::Entity::find()
            .filter(
                Condition::any()
                    .add(expression_of_interest::Column::VisitId.is_in(visits))
                    .add(expression_of_interest::Column::AdoptionId.is_in(adoptions))
                    .add(expression_of_interest::Column::AgreementId.is_in(agreements)),
            )
            .all(&self.db)
            .await?;
        let requests: HashMap<Uuid, learning_request::Model> = learning_request::Entity::find()
            .filter(
                learning_request::Column::Id
                    .is_in(expressions.iter().map(|e| e.learning_request_id)),
            )
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        let mut out = HashMap::new();
        for e in expressions {
            let Some(r) = requests.get(&e.learning_request_id) else {
                continue;
            };
            let created = [
                e.visit_id.map(CreatedObject::Visit),
                e.adoption_id.map(CreatedObject::Adoption),
                e.agreement_id.map(CreatedObject::Agreement),
            ];
            for c in created.into_iter().flatten() {
                out.insert(RequestBehind(c), r.clone());
            }
        }
        Ok(out)
    }
}

impl Loader<SectorsOfRequest> for DbLoader {
    type Value = Vec<entity::Sector>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[SectorsOfRequest],
    ) -> Result<HashMap<SectorsOfRequest, Self::Value>, Self::Error> {
        let rows = learning_request_sector::Entity::find()
            .filter(learning_request_sector::Column::LearningRequestId.is_in(uuids(keys, |k| k.0)))
            .all(&self.db)
            .await?;
        let mut out: HashMap<SectorsOfRequest, Vec<entity::Sector>> = HashMap::new();
        for r in rows {
            out.entry(SectorsOfRequest(r.learning_request_id))
                .or_default()
                .push(r.sector);
        }
        for v in out.values_mut() {
            v.sort_by_key(entity::wire_name);
        }
        Ok(out)
    }
}

impl Loader<PracticesInMindOf> for DbLoader {
    type Value = Vec<practice::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[PracticesInMindOf],
    ) -> Result<HashMap<PracticesInMindOf, Self::Value>, Self::Error> {
        let links = learning_request_practice::Entity::find()
            .filter(
                learning_request_practice::Column::LearningRequestId.is_in(uuids(keys, |k| k.0)),
            )
            .all(&self.db)
            .await?;
        self.practices_via(
            links
                .into_iter()
                .map(|l| (PracticesInMindOf(l.learning_request_id), l.practice_id))
                .collect(),
        )
        .await
    }
}

impl Loader<PracticesOfferedBy> for DbLoader {
    type Value = Vec<practice::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[PracticesOfferedBy],
    ) -> Result<HashMap<PracticesOfferedBy, Self::Value>, Self::Error> {
        let links = expression_practice::Entity::find()
            .filter(expression_practice::Column::ExpressionId.is_in(uuids(keys, |k| k.0)))
            .all(&self.db)
            .await?;
        self.practices_via(
            links
                .into_iter()
                .map(|l| (PracticesOfferedBy(l.expression_id), l.practice_id))
                .collect(),
        )
        .await
    }
}

impl Loader<SectorsOf> for DbLoader {
    type Value = Vec<entity::Sector>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[SectorsOf],
    ) -> Result<HashMap<SectorsOf, Self::Value>, Self::Error> {
        let rows = practice_sector::Entity::find()
            .filter(practice_sector::Column::PracticeId.is_in(uuids(keys, |k| k.0)))
            .all(&self.db)
            .await?;
        let mut out: HashMap<SectorsOf, Vec<entity::Sector>> = HashMap::new();
        for r in rows {
            out.entry(SectorsOf(r.practice_id))
                .or_default()
                .push(r.sector);
        }
        for v in out.values_mut() {
            v.sort_by_key(|s| format!("{s:?}"));
        }
        Ok(out)
    }
}

impl Loader<AgreementsTransferring> for DbLoader {
    type Value = Vec<agreement::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[AgreementsTransferring],
    ) -> Result<HashMap<AgreementsTransferring, Self::Value>, Self::Error> {
        let links = agreement_practice::Entity::find()
            .filter(agreement_practice::Column::PracticeId.is_in(uuids(keys, |k| k.0)))
            .all(&self.db)
            .await?;
        self.agreements_via(
            links
                .into_iter()
                .map(|l| (AgreementsTransferring(l.practice_id), l.agreement_id))
                .collect(),
        )
        .await
    }
}

impl Loader<PracticesTransferredBy> for DbLoader {
    type Value = Vec<practice::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[PracticesTransferredBy],
    ) -> Result<HashMap<PracticesTransferredBy, Self::Value>, Self::Error> {
        let links = agreement_practice::Entity::find()
            .filter(agreement_practice::Column::AgreementId.is_in(uuids(keys, |k| k.0)))
            .all(&self.db)
            .await?;
        self.practices_via(
            links
                .into_iter()
                .map(|l| (PracticesTransferredBy(l.agreement_id), l.practice_id))
                .collect(),
        )
        .await
    }
}

impl Loader<AgreementsOfRegion> for DbLoader {
    type Value = Vec<agreement::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[AgreementsOfRegion],
    ) -> Result<HashMap<AgreementsOfRegion, Self::Value>, Self::Error> {
        let parties = agreement_party::Entity::find()
            .filter(agreement_party::Column::RegionCode.is_in(keys.iter().map(|k| k.0.clone())))
            .all(&self.db)
            .await?;
        self.agreements_via(
            parties
                .into_iter()
                .filter_map(|p| {
                    p.region_code
                        .map(|c| (AgreementsOfRegion(c), p.agreement_id))
                })
                .collect(),
        )
        .await
    }
}

impl Loader<VisitsStudying> for DbLoader {
    type Value = Vec<visit::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[VisitsStudying],
    ) -> Result<HashMap<VisitsStudying, Self::Value>, Self::Error> {
        let links = visit_practice::Entity::find()
            .filter(visit_practice::Column::PracticeId.is_in(uuids(keys, |k| k.0)))
            .all(&self.db)
            .await?;
        let visits: HashMap<Uuid, visit::Model> = visit::Entity::find()
            .filter(visit::Column::Id.is_in(links.iter().map(|l| l.visit_id)))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|v| (v.id, v))
            .collect();
        let mut out: HashMap<VisitsStudying, Vec<visit::Model>> = HashMap::new();
        for l in links {
            if let Some(v) = visits.get(&l.visit_id) {
                out.entry(VisitsStudying(l.practice_id))
                    .or_default()
                    .push(v.clone());
            }
        }
        for v in out.values_mut() {
            v.sort_by_key(|v| std::cmp::Reverse(v.starts_on));
        }
        Ok(out)
    }
}

impl Loader<PracticesStudiedOn> for DbLoader {
    type Value = Vec<practice::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[PracticesStudiedOn],
    ) -> Result<HashMap<PracticesStudiedOn, Self::Value>, Self::Error> {
        let links = visit_practice::Entity::find()
            .filter(visit_practice::Column::VisitId.is_in(uuids(keys, |k| k.0)))
            .all(&self.db)
            .await?;
        self.practices_via(
            links
                .into_iter()
                .map(|l| (PracticesStudiedOn(l.visit_id), l.practice_id))
                .collect(),
        )
        .await
    }
}

impl Loader<StatsOf> for DbLoader {
    type Value = RegionStats;
    type Error = ApiError;

    async fn load(&self, keys: &[StatsOf]) -> Result<HashMap<StatsOf, Self::Value>, Self::Error> {
        let codes: Vec<String> = keys.iter().map(|k| k.0.clone()).collect();
        Ok(stats::for_regions(&self.db, &codes)
            .await?
            .into_iter()
            .map(|(k, v)| (StatsOf(k), v))
            .collect())
    }
}

impl Loader<ChangesOf> for DbLoader {
    type Value = Vec<audit_entry::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ChangesOf],
    ) -> Result<HashMap<ChangesOf, Self::Value>, Self::Error> {
        let rows = audit_entry::Entity::find()
            .filter(audit_entry::Column::ObjectId.is_in(keys.iter().map(|k| k.0.clone())))
            .order_by_desc(audit_entry::Column::At)
            .order_by_asc(audit_entry::Column::Id)
            .all(&self.db)
            .await?;
        Ok(group(rows, |r| ChangesOf(r.object_id.clone())))
    }
}

many_loader!(
    EvaluationsOf,
    agreement_evaluation,
    agreement_evaluation::Column::AgreementId,
    agreement_id,
    Uuid,
    |q| q.order_by_desc(agreement_evaluation::Column::EvaluatedOn)
);

many_loader!(
    IndicatorsOf,
    work_plan_indicator,
    work_plan_indicator::Column::AgreementId,
    agreement_id,
    Uuid,
    |q| q
        .order_by_asc(work_plan_indicator::Column::Position)
        .order_by_asc(work_plan_indicator::Column::Id)
);

many_loader!(
    ActivitiesOf,
    work_plan_activity,
    work_plan_activity::Column::AgreementId,
    agreement_id,
    Uuid,
    |q| q
        .order_by_asc(work_plan_activity::Column::Position)
        .order_by_asc(work_plan_activity::Column::Id)
);

many_loader!(
    MeasurementsOf,
    indicator_measurement,
    indicator_measurement::Column::IndicatorId,
    indicator_id,
    Uuid,
    |q| q
        .order_by_desc(indicator_measurement::Column::MeasuredOn)
        .order_by_desc(indicator_measurement::Column::CreatedAt)
);

impl Loader<MeasurementsWith> for DbLoader {
    type Value = Vec<indicator_measurement::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[MeasurementsWith],
    ) -> Result<HashMap<MeasurementsWith, Self::Value>, Self::Error> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let rows = indicator_measurement::Entity::find()
            .filter(indicator_measurement::Column::EvaluationId.is_in(ids))
            .order_by_asc(indicator_measurement::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let mut map: HashMap<MeasurementsWith, Self::Value> = HashMap::new();
        for r in rows {
            if let Some(e) = r.evaluation_id {
                map.entry(MeasurementsWith(e)).or_default().push(r);
            }
        }
        Ok(map)
    }
}

many_loader!(
    FollowUpsOf,
    adoption_follow_up,
    adoption_follow_up::Column::AdoptionId,
    adoption_id,
    Uuid,
    |q| q
        .order_by_desc(adoption_follow_up::Column::FollowedUpOn)
        .order_by_desc(adoption_follow_up::Column::CreatedAt)
);
