//! Agreements: the filtered, ordered list with keyset pagination.

use chrono::NaiveDate;
use entity::{agreement, agreement_party, agreement_practice};
use sea_orm::sea_query::{NullOrdering, Order, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};
use uuid::Uuid;

use super::stage;
use crate::domain::{Cursor, Page, parse_id};
use crate::error::{ApiError, Result};

/// Which agreements to list.
#[derive(Clone, Debug, Default)]
pub struct AgreementFilter {
    pub party_region_code: Option<String>,
    pub kind: Option<entity::AgreementKind>,
    pub category: Option<entity::AgreementCategory>,
    pub stage: Option<entity::AgreementStage>,
    pub signed_from: Option<NaiveDate>,
    pub signed_to: Option<NaiveDate>,
    pub practice_id: Option<Uuid>,
}

/// Orderings of the agreement list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgreementOrder {
    /// Latest signing first; unsigned (or undated) agreements last.
    SignedOn,
    /// Title A-Z.
    Title,
}

impl AgreementOrder {
    /// Name bound into cursors.
    pub fn name(self) -> &'static str {
        match self {
            Self::SignedOn => "agreements:SIGNED_ON",
            Self::Title => "agreements:TITLE",
        }
    }

    /// The cursor pointing after `a`.
    pub fn cursor(self, a: &agreement::Model) -> Cursor {
        let key = match self {
            Self::SignedOn => a.signed_on.map(|d| d.format("%Y-%m-%d").to_string()),
            Self::Title => Some(a.title.clone()),
        };
        Cursor {
            order: self.name().to_owned(),
            key,
            id: a.id.to_string(),
        }
    }
}

/// Validates a filter before it runs.
pub async fn check_filter(db: &impl ConnectionTrait, f: &AgreementFilter) -> Result<()> {
    if let Some(code) = &f.party_region_code {
        crate::domain::region::query::require(db, "filter.partyRegionCode", code).await?;
    }
    if let (Some(from), Some(to)) = (f.signed_from, f.signed_to)
        && to < from
    {
        return Err(ApiError::bad_input(
            "filter.signedTo",
            "signedTo is before signedFrom",
        ));
    }
    Ok(())
}

/// The filtered query, without ordering or paging (also used for counts).
pub fn filtered(f: &AgreementFilter) -> Select<agreement::Entity> {
    let mut q = agreement::Entity::find();
    if let Some(code) = &f.party_region_code {
        q = q.filter(
            agreement::Column::Id.in_subquery(
                Query::select()
                    .column(agreement_party::Column::AgreementId)
                    .from(agreement_party::Entity)
                    .and_where(agreement_party::Column::RegionCode.eq(code.as_str()))
                    .to_owned(),
            ),
        );
    }
    if let Some(kind) = f.kind {
        q = q.filter(agreement::Column::Kind.eq(kind));
    }
    if let Some(category) = f.category {
        q = q.filter(agreement::Column::Category.eq(category));
    }
    if let Some(stage) = f.stage {
        q = q.filter(agreement::Column::Stage.eq(stage));
    }
    if let Some(from) = f.signed_from {
        q = q.filter(agreement::Column::SignedOn.gte(from));
    }
    if let Some(to) = f.signed_to {
        q = q.filter(agreement::Column::SignedOn.lte(to));
    }
    if let Some(pid) = f.practice_id {
        q = q.filter(
            agreement::Column::Id.in_subquery(
                Query::select()
                    .column(agreement_practice::Column::AgreementId)
                    .from(agreement_practice::Entity)
                    .and_where(agreement_practice::Column::PracticeId.eq(pid))
                    .to_owned(),
            ),
        );
    }
    q
}

/// One page of agreements.
pub async fn list(
    db: &impl ConnectionTrait,
    f: &AgreementFilter,
    order: AgreementOrder,
    after: Option<&Cursor>,
    limit: u64,
) -> Result<Page<agreement::Model>> {
    let mut q = filtered(f);
    if let Some(c) = after {
        let id = parse_id("after", &c.id)?;
        let bad = || ApiError::bad_input("after", "invalid cursor");
        q = match order {
            AgreementOrder::Title => {
                let t = c.key.clone().ok_or_else(bad)?;
                q.filter(
                    Condition::any()
                        .add(agreement::Column::Title.gt(t.as_str()))
                        .add(
                            Condition::all()
                                .add(agreement::Column::Title.eq(t.as_str()))
                                .add(agreement::Column::Id.gt(id)),
                        ),
                )
            }
            AgreementOrder::SignedOn => match &c.key {
                Some(k) => {
                    let d = NaiveDate::parse_from_str(k, "%Y-%m-%d").map_err(|_| bad())?;
                    q.filter(
                        Condition::any()
                            .add(agreement::Column::SignedOn.lt(d))
                            .add(
                                Condition::all()
                                    .add(agreement::Column::SignedOn.eq(d))
                                    .add(agreement::Column::Id.gt(id)),
                            )
                            .add(agreement::Column::SignedOn.is_null()),
                    )
                }
                None => q.filter(
                    Condition::all()
                        .add(agreement::Column::SignedOn.is_null())
                        .add(agreement::Column::Id.gt(id)),
                ),
            },
        };
    }
    q = match order {
        AgreementOrder::Title => q.order_by_asc(agreement::Column::Title),
        AgreementOrder::SignedOn => {
            q.order_by_with_nulls(agreement::Column::SignedOn, Order::Desc, NullOrdering::Last)
        }
    };
    let rows = q
        .order_by_asc(agreement::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    Ok(Page::from_rows(rows, limit))
}

/// Refuses (`BAD_USER_INPUT` on `field`) unless `region` is a party to
/// the agreement.
pub async fn require_party(
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

/// Running agreements with no recent evaluation at `as_of` (see
/// [`stage::due_for_evaluation`]), oldest signing first; among `among`
/// when given, at most `limit` when given.
pub async fn due_for_evaluation(
    db: &impl ConnectionTrait,
    as_of: NaiveDate,
    among: Option<Vec<Uuid>>,
    limit: Option<u64>,
) -> Result<Vec<agreement::Model>> {
    let mut q = agreement::Entity::find().filter(stage::due_for_evaluation(as_of));
    if let Some(ids) = among {
        q = q.filter(agreement::Column::Id.is_in(ids));
    }
    Ok(q.order_by_asc(agreement::Column::SignedOn)
        .order_by_asc(agreement::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}

/// Agreements not yet closed whose term ends on or after `from` (when
/// given) and before `before`, soonest first (see [`stage::expiring`]);
/// among `among` when given, at most `limit` when given.
pub async fn expiring(
    db: &impl ConnectionTrait,
    from: Option<NaiveDate>,
    before: NaiveDate,
    among: Option<Vec<Uuid>>,
    limit: Option<u64>,
) -> Result<Vec<agreement::Model>> {
    let mut q = agreement::Entity::find().filter(stage::expiring(from, before));
    if let Some(ids) = among {
        q = q.filter(agreement::Column::Id.is_in(ids));
    }
    Ok(q.order_by_asc(agreement::Column::ValidUntil)
        .order_by_asc(agreement::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
