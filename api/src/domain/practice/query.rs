//! Practices: the filtered, ordered list with keyset pagination.

use chrono::{DateTime, Utc};
use entity::{practice, practice_sector, region};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};
use uuid::Uuid;

use crate::domain::{Cursor, Page, parse_id};
use crate::error::{ApiError, Result};

/// Which practices to list.
#[derive(Clone, Debug, Default)]
pub struct PracticeFilter {
    pub owner_region_code: Option<String>,
    pub province_code: Option<String>,
    pub sector: Option<entity::Sector>,
    pub status: Option<entity::PracticeStatus>,
    pub looking_for_adopters: Option<bool>,
    pub include_archived: bool,
}

/// Orderings of the practice list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PracticeOrder {
    /// Title A-Z.
    Title,
    /// Most recently updated first.
    UpdatedAt,
}

impl PracticeOrder {
    /// Name bound into cursors, so a cursor of one ordering is refused by another.
    pub fn name(self) -> &'static str {
        match self {
            Self::Title => "practices:TITLE",
            Self::UpdatedAt => "practices:UPDATED_AT",
        }
    }

    /// The cursor pointing after `p`.
    pub fn cursor(self, p: &practice::Model) -> Cursor {
        let key = match self {
            Self::Title => p.title.clone(),
            Self::UpdatedAt => p.updated_at.to_rfc3339(),
        };
        Cursor {
            order: self.name().to_owned(),
            key: Some(key),
            id: p.id.to_string(),
        }
    }
}

/// Validates a filter's region codes before it runs.
pub async fn check_filter(db: &impl ConnectionTrait, f: &PracticeFilter) -> Result<()> {
    if let Some(code) = &f.owner_region_code {
        crate::domain::region::query::require(db, "filter.ownerRegionCode", code).await?;
    }
    if let Some(code) = &f.province_code {
        let r = crate::domain::region::query::require(db, "filter.provinceCode", code).await?;
        if r.kind != entity::RegionKind::Province {
            return Err(ApiError::bad_input(
                "filter.provinceCode",
                format!("{code:?} is not a province code"),
            ));
        }
    }
    Ok(())
}

/// The filtered query, without ordering or paging (also used for counts).
pub fn filtered(f: &PracticeFilter) -> Select<practice::Entity> {
    let mut q = practice::Entity::find();
    if let Some(code) = &f.owner_region_code {
        q = q.filter(practice::Column::OwnerRegionCode.eq(code.as_str()));
    }
    if let Some(p) = &f.province_code {
        q = q.filter(
            practice::Column::OwnerRegionCode.in_subquery(
                Query::select()
                    .column(region::Column::Code)
                    .from(region::Entity)
                    .cond_where(
                        Condition::any()
                            .add(region::Column::Code.eq(p.as_str()))
                            .add(region::Column::ProvinceCode.eq(p.as_str())),
                    )
                    .to_owned(),
            ),
        );
    }
    if let Some(sector) = f.sector {
        q = q.filter(
            practice::Column::Id.in_subquery(
                Query::select()
                    .column(practice_sector::Column::PracticeId)
                    .from(practice_sector::Entity)
                    .and_where(practice_sector::Column::Sector.eq(sector))
                    .to_owned(),
            ),
        );
    }
    if let Some(status) = f.status {
        q = q.filter(practice::Column::Status.eq(status));
    }
    if let Some(looking) = f.looking_for_adopters {
        q = q.filter(practice::Column::LookingForAdopters.eq(looking));
    }
    if !f.include_archived {
        q = q.filter(practice::Column::ArchivedAt.is_null());
    }
    q
}

/// One page of practices.
pub async fn list(
    db: &impl ConnectionTrait,
    f: &PracticeFilter,
    order: PracticeOrder,
    after: Option<&Cursor>,
    limit: u64,
) -> Result<Page<practice::Model>> {
    let mut q = filtered(f);
    if let Some(c) = after {
        let id: Uuid = parse_id("after", &c.id)?;
        let key = c
            .key
            .clone()
            .ok_or_else(|| ApiError::bad_input("after", "invalid cursor"))?;
        q = match order {
            PracticeOrder::Title => q.filter(
                Condition::any()
                    .add(practice::Column::Title.gt(key.as_str()))
                    .add(
                        Condition::all()
                            .add(practice::Column::Title.eq(key.as_str()))
                            .add(practice::Column::Id.gt(id)),
                    ),
            ),
            PracticeOrder::UpdatedAt => {
                let at: DateTime<Utc> = DateTime::parse_from_rfc3339(&key)
                    .map_err(|_| ApiError::bad_input("after", "invalid cursor"))?
                    .with_timezone(&Utc);
                q.filter(
                    Condition::any()
                        .add(practice::Column::UpdatedAt.lt(at))
                        .add(
                            Condition::all()
                                .add(practice::Column::UpdatedAt.eq(at))
                                .add(practice::Column::Id.gt(id)),
                        ),
                )
            }
        };
    }
    q = match order {
        PracticeOrder::Title => q.order_by_asc(practice::Column::Title),
        PracticeOrder::UpdatedAt => q.order_by_desc(practice::Column::UpdatedAt),
    };
    let rows = q
        .order_by_asc(practice::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    Ok(Page::from_rows(rows, limit))
}

/// The practice `id`, or `BAD_USER_INPUT` on `practiceId` when none has it.
pub async fn require(db: &impl ConnectionTrait, id: Uuid) -> Result<practice::Model> {
    practice::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::bad_input("practiceId", format!("no practice has id {id}")))
}
