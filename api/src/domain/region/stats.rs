//! Region statistics for coordinators: practices owned, transfers given and
//! received, and agreements by partner category (the split Jawa Barat
//! reports as 27 within the province / 20 other provinces / 29 regencies and
//! cities outside). Computed for many regions at once, in a fixed number of
//! statements.

use std::collections::{HashMap, HashSet};

use entity::{agreement_party, agreement_practice, practice, region, visit};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::error::Result;

/// Counts about one region.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegionStats {
    pub practices_owned: i64,
    pub transfers_given: i64,
    pub transfers_received: i64,
    pub agreements_total: i64,
    /// Agreements by partner category.
    pub by_partner: PartnerCounts,
    pub visits_hosted: i64,
    pub visits_made: i64,
}

/// Partner category of one party, seen from a region in province `home`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PartnerCategory {
    /// A region of the same province (the province itself or its regencies and cities).
    WithinProvince,
    /// Another province.
    OtherProvince,
    /// A regency or city of another province.
    OutsideProvince,
    /// Not a region.
    ThirdParty,
}

/// Agreements counted by partner category; an agreement with partners in
/// two categories counts in both.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PartnerCounts {
    pub within_province: i64,
    pub other_provinces: i64,
    pub outside_province: i64,
    pub third_parties: i64,
}

impl PartnerCounts {
    /// Counts one more agreement in `category`.
    pub fn add(&mut self, category: PartnerCategory) {
        match category {
            PartnerCategory::WithinProvince => self.within_province += 1,
            PartnerCategory::OtherProvince => self.other_provinces += 1,
            PartnerCategory::OutsideProvince => self.outside_province += 1,
            PartnerCategory::ThirdParty => self.third_parties += 1,
        }
    }
}

/// Classifies a partner region (`None` for a third party) relative to `home`.
pub fn categorize(
    home: &str,
    partner: Option<(&entity::RegionKind, &str, Option<&str>)>,
) -> PartnerCategory {
    match partner {
        None => PartnerCategory::ThirdParty,
        Some((kind, code, province)) => {
            let partner_home = province.unwrap_or(code);
            if partner_home == home {
                PartnerCategory::WithinProvince
            } else if *kind == entity::RegionKind::Province {
                PartnerCategory::OtherProvince
            } else {
                PartnerCategory::OutsideProvince
            }
        }
    }
}

fn grouped_counts(rows: Vec<sea_orm::QueryResult>) -> Result<HashMap<String, i64>> {
    let mut out = HashMap::new();
    for r in rows {
        let k: String = r.try_get_by_index(0)?;
        let n: i64 = r.try_get_by_index(1)?;
        out.insert(k, n);
    }
    Ok(out)
}

/// Statistics for each of `codes` (unknown codes are absent).
pub async fn for_regions(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> Result<HashMap<String, RegionStats>> {
    let regions = region::Entity::find()
        .filter(region::Column::Code.is_in(codes.iter().map(String::as_str)))
        .all(db)
        .await?;
    if regions.is_empty() {
        return Ok(HashMap::new());
    }
    let codes: Vec<&str> = regions.iter().map(|r| r.code.as_str()).collect();
    let owned = practices_owned(db, &codes).await?;
    let given = transfers_given(db, &codes).await?;
    let received = transfers_received(db, &codes).await?;
    let hosted = visits_by(db, &codes, visit::Column::HostRegionCode).await?;
    let made = visits_by(db, &codes, visit::Column::VisitorRegionCode).await?;
    let per_region = partner_categories(db, &regions, &codes).await?;
    let totals = agreements_of(db, &codes).await?;

    let mut out = HashMap::new();
    for reg in &regions {
        let code = reg.code.clone();
        let mut s = RegionStats {
            practices_owned: owned.get(&code).copied().unwrap_or(0),
            transfers_given: given.get(&code).copied().unwrap_or(0),
            transfers_received: received.get(&code).copied().unwrap_or(0),
            agreements_total: totals.get(&code).map_or(0, |s| s.len() as i64),
            visits_hosted: hosted.get(&code).copied().unwrap_or(0),
            visits_made: made.get(&code).copied().unwrap_or(0),
            ..RegionStats::default()
        };
        if let Some((_, seen)) = per_region.get(&code) {
            for (_, cat) in seen {
                s.by_partner.add(*cat);
            }
        }
        out.insert(code, s);
    }
    Ok(out)
}

/// Practices owned, by region.
async fn practices_owned(
    db: &impl ConnectionTrait,
    codes: &[&str],
) -> Result<HashMap<String, i64>> {
    let counts = grouped_counts(
        db.query_all(
            Query::select()
                .column(practice::Column::OwnerRegionCode)
                .expr(Expr::col(practice::Column::Id).count())
                .from(practice::Entity)
                .and_where(Expr::col(practice::Column::OwnerRegionCode).is_in(codes.to_vec()))
                .group_by_col(practice::Column::OwnerRegionCode),
        )
        .await?,
    )?;
    Ok(counts)
}

/// Agreement links of the practices each region owns.
async fn transfers_given(
    db: &impl ConnectionTrait,
    codes: &[&str],
) -> Result<HashMap<String, i64>> {
    let counts = grouped_counts(
        db.query_all(
            Query::select()
                .column((practice::Entity, practice::Column::OwnerRegionCode))
                .expr(
                    Expr::col((
                        agreement_practice::Entity,
                        agreement_practice::Column::AgreementId,
                    ))
                    .count(),
                )
                .from(agreement_practice::Entity)
                .inner_join(
                    practice::Entity,
                    Expr::col((practice::Entity, practice::Column::Id)).equals((
                        agreement_practice::Entity,
                        agreement_practice::Column::PracticeId,
                    )),
                )
                .and_where(
                    Expr::col((practice::Entity, practice::Column::OwnerRegionCode))
                        .is_in(codes.to_vec()),
                )
                .group_by_col((practice::Entity, practice::Column::OwnerRegionCode)),
        )
        .await?,
    )?;
    Ok(counts)
}

/// Practices of other regions in the agreements each region is party to.
async fn transfers_received(
    db: &impl ConnectionTrait,
    codes: &[&str],
) -> Result<HashMap<String, i64>> {
    let counts = grouped_counts(
        db.query_all(
            Query::select()
                .column((agreement_party::Entity, agreement_party::Column::RegionCode))
                .expr(
                    Expr::col((
                        agreement_practice::Entity,
                        agreement_practice::Column::PracticeId,
                    ))
                    .count(),
                )
                .from(agreement_party::Entity)
                .inner_join(
                    agreement_practice::Entity,
                    Expr::col((
                        agreement_practice::Entity,
                        agreement_practice::Column::AgreementId,
                    ))
                    .equals((
                        agreement_party::Entity,
                        agreement_party::Column::AgreementId,
                    )),
                )
                .inner_join(
                    practice::Entity,
                    Expr::col((practice::Entity, practice::Column::Id)).equals((
                        agreement_practice::Entity,
                        agreement_practice::Column::PracticeId,
                    )),
                )
                .and_where(
                    Expr::col((agreement_party::Entity, agreement_party::Column::RegionCode))
                        .is_in(codes.to_vec()),
                )
                .and_where(
                    Expr::col((practice::Entity, practice::Column::OwnerRegionCode)).ne(Expr::col(
                        (agreement_party::Entity, agreement_party::Column::RegionCode),
                    )),
                )
                .group_by_col((agreement_party::Entity, agreement_party::Column::RegionCode)),
        )
        .await?,
    )?;
    Ok(counts)
}

/// Visits by region, counted on `column` (host or visitor).
async fn visits_by(
    db: &impl ConnectionTrait,
    codes: &[&str],
    column: visit::Column,
) -> Result<HashMap<String, i64>> {
    grouped_counts(
        db.query_all(
            Query::select()
                .column(column)
                .expr(Expr::col(visit::Column::Id).count())
                .from(visit::Entity)
                .and_where(Expr::col(column).is_in(codes.to_vec()))
                .group_by_col(column),
        )
        .await?,
    )
}

/// The categories of partner per agreement, by region.
type Seen = HashSet<(Uuid, PartnerCategory)>;

/// Every (region, agreement, other party) triple, with the other party's
/// region kind and province, as partner categories per region.
async fn partner_categories(
    db: &impl ConnectionTrait,
    regions: &[region::Model],
    codes: &[&str],
) -> Result<HashMap<String, (HashSet<Uuid>, Seen)>> {
    let me = Alias::new("me");
    let other = Alias::new("other");
    let r = Alias::new("r");
    let pairs = db
        .query_all(
            Query::select()
                .expr(Expr::col((me.clone(), agreement_party::Column::RegionCode)))
                .expr(Expr::col((
                    me.clone(),
                    agreement_party::Column::AgreementId,
                )))
                .expr(Expr::col((
                    other.clone(),
                    agreement_party::Column::RegionCode,
                )))
                .expr(Expr::col((r.clone(), region::Column::Kind)))
                .expr(Expr::col((r.clone(), region::Column::ProvinceCode)))
                .from_as(agreement_party::Entity, me.clone())
                .join_as(
                    JoinType::InnerJoin,
                    agreement_party::Entity,
                    other.clone(),
                    Expr::col((other.clone(), agreement_party::Column::AgreementId))
                        .equals((me.clone(), agreement_party::Column::AgreementId))
                        .and(
                            Expr::col((other.clone(), agreement_party::Column::Id))
                                .ne(Expr::col((me.clone(), agreement_party::Column::Id))),
                        ),
                )
                .join_as(
                    JoinType::LeftJoin,
                    region::Entity,
                    r.clone(),
                    Expr::col((r.clone(), region::Column::Code))
                        .equals((other.clone(), agreement_party::Column::RegionCode)),
                )
                .and_where(
                    Expr::col((me.clone(), agreement_party::Column::RegionCode))
                        .is_in(codes.to_vec()),
                ),
        )
        .await?;

    let home_of: HashMap<&str, &str> = regions
        .iter()
        .map(|r| {
            (
                r.code.as_str(),
                r.province_code.as_deref().unwrap_or(r.code.as_str()),
            )
        })
        .collect();
    let mut per_region: HashMap<String, (HashSet<Uuid>, Seen)> = HashMap::new();
    for row in pairs {
        let me_code: String = row.try_get_by_index(0)?;
        let agreement_id: Uuid = row.try_get_by_index(1)?;
        let other_code: Option<String> = row.try_get_by_index(2)?;
        let kind: Option<entity::RegionKind> = row.try_get_by_index(3)?;
        let province: Option<String> = row.try_get_by_index(4)?;
        let Some(home) = home_of.get(me_code.as_str()) else {
            continue;
        };
        let partner = match (&other_code, &kind) {
            (Some(code), Some(kind)) => Some((kind, code.as_str(), province.as_deref())),
            _ => None,
        };
        let cat = categorize(home, partner);
        let entry = per_region.entry(me_code).or_default();
        entry.0.insert(agreement_id);
        entry.1.insert((agreement_id, cat));
    }
    Ok(per_region)
}

/// The agreements each region is party to, alone or not.
async fn agreements_of(
    db: &impl ConnectionTrait,
    codes: &[&str],
) -> Result<HashMap<String, HashSet<Uuid>>> {
    let solo = db
        .query_all(
            Query::select()
                .column(agreement_party::Column::RegionCode)
                .column(agreement_party::Column::AgreementId)
                .from(agreement_party::Entity)
                .and_where(Expr::col(agreement_party::Column::RegionCode).is_in(codes.to_vec())),
        )
        .await?;
    let mut totals: HashMap<String, HashSet<Uuid>> = HashMap::new();
    for row in solo {
        let code: String = row.try_get_by_index(0)?;
        let id: Uuid = row.try_get_by_index(1)?;
        totals.entry(code).or_default().insert(id);
    }
    Ok(totals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use entity::RegionKind::*;

    #[test]
    fn partners_fall_into_the_four_categories_seen_from_jawa_barat() {
        assert_eq!(
            categorize("32", Some((&Regency, "32.11", Some("32")))),
            PartnerCategory::WithinProvince
        );
        assert_eq!(
            categorize("32", Some((&Province, "15", None))),
            PartnerCategory::OtherProvince
        );
        assert_eq!(
            categorize("32", Some((&Regency, "62.08", Some("62")))),
            PartnerCategory::OutsideProvince
        );
        assert_eq!(categorize("32", None), PartnerCategory::ThirdParty);
        // From a regency, its own province is within the province.
        assert_eq!(
            categorize("32", Some((&Province, "32", None))),
            PartnerCategory::WithinProvince
        );
    }
}
