//! Regions: code validation, lookups and the filtered list.

use entity::region;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};

use crate::domain::{Page, like_escape};
use crate::error::{ApiError, Result};

/// True for a well-formed Kemendagri code: `32` or `32.11`.
pub fn is_valid_code(code: &str) -> bool {
    let b = code.as_bytes();
    let two_digits = |s: &[u8]| s.len() == 2 && s.iter().all(u8::is_ascii_digit);
    match b.len() {
        2 => two_digits(b),
        5 => two_digits(&b[..2]) && b[2] == b'.' && two_digits(&b[3..]),
        _ => false,
    }
}

/// Checks the form of a code given in `field`.
pub fn check_code(field: &str, code: &str) -> Result<()> {
    if is_valid_code(code) {
        Ok(())
    } else {
        Err(ApiError::bad_input(
            field,
            format!(
                "{code:?} is not a region code; use the Kemendagri form, e.g. \"32\" or \"32.11\""
            ),
        ))
    }
}

/// Loads a region that input names, refusing malformed and unknown codes.
pub async fn require(db: &impl ConnectionTrait, field: &str, code: &str) -> Result<region::Model> {
    check_code(field, code)?;
    region::Entity::find_by_id(code.to_owned())
        .one(db)
        .await?
        .ok_or_else(|| ApiError::bad_input(field, format!("unknown region code {code:?}")))
}

/// Which regions to list.
#[derive(Clone, Debug, Default)]
pub struct RegionFilter {
    pub kind: Option<entity::RegionKind>,
    pub province_code: Option<String>,
    pub name_prefix: Option<String>,
}

/// The filtered query, without ordering or paging (also used for counts).
pub fn filtered(filter: &RegionFilter) -> Select<region::Entity> {
    let mut q = region::Entity::find();
    if let Some(kind) = filter.kind {
        q = q.filter(region::Column::Kind.eq(kind));
    }
    if let Some(p) = &filter.province_code {
        q = q.filter(region::Column::ProvinceCode.eq(p.as_str()));
    }
    if let Some(prefix) = filter
        .name_prefix
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let p = like_escape(&prefix.to_lowercase());
        let lowered = || Expr::expr(Func::lower(Expr::col(region::Column::Name)));
        // "sumedang" finds "Kabupaten Sumedang"; "kota ban" finds "Kota Bandung".
        q = q.filter(
            Condition::any()
                .add(lowered().like(LikeExpr::new(format!("{p}%")).escape('\\')))
                .add(lowered().like(LikeExpr::new(format!("kabupaten {p}%")).escape('\\')))
                .add(lowered().like(LikeExpr::new(format!("kota {p}%")).escape('\\'))),
        );
    }
    q
}

/// Validates a filter's region codes before it runs.
pub async fn check_filter(db: &impl ConnectionTrait, filter: &RegionFilter) -> Result<()> {
    if let Some(p) = &filter.province_code {
        let r = require(db, "filter.provinceCode", p).await?;
        if r.kind != entity::RegionKind::Province {
            return Err(ApiError::bad_input(
                "filter.provinceCode",
                format!("{p:?} is not a province code"),
            ));
        }
    }
    Ok(())
}

/// One page of regions in code order (a province before its regencies).
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &RegionFilter,
    after_code: Option<&str>,
    limit: u64,
) -> Result<Page<region::Model>> {
    let mut q = filtered(filter);
    if let Some(code) = after_code {
        q = q.filter(region::Column::Code.gt(code));
    }
    let rows = q
        .order_by_asc(region::Column::Code)
        .limit(limit + 1)
        .all(db)
        .await?;
    Ok(Page::from_rows(rows, limit))
}

/// Great-circle distance in kilometres between two points.
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1) = (a.0.to_radians(), a.1.to_radians());
    let (lat2, lon2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_have_the_kemendagri_form() {
        for ok in ["32", "32.11", "11.01"] {
            assert!(is_valid_code(ok), "{ok}");
        }
        for bad in ["", "3", "321", "32.1", "32-11", "ab", "32.11.01", "32.1a"] {
            assert!(!is_valid_code(bad), "{bad}");
        }
    }

    #[test]
    fn distance_is_zero_to_itself_and_symmetric() {
        let sumedang = (-6.85, 107.92);
        let lebak = (-6.36, 106.25);
        assert!(distance_km(sumedang, sumedang).abs() < 1e-9);
        let d = distance_km(sumedang, lebak);
        assert!((d - distance_km(lebak, sumedang)).abs() < 1e-9);
        assert!(d > 150.0 && d < 220.0, "{d}");
    }
}
