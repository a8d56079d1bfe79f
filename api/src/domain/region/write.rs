//! Admin corrections of region data: index values and the reference
//! profile.

use entity::{region, region_index};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::domain::write::{self, MAX_SHORT_TEXT, ObjectKind, audit, check_version};
use crate::error::{ApiError, Result};

/// Index values of a region for one year (admin).
#[derive(Clone, Debug)]
pub struct IndexValues {
    pub spbe_index: Option<f64>,
    pub public_service_index: Option<f64>,
    pub innovation_index: Option<f64>,
    pub source: Option<String>,
}

/// Sets (creates or replaces) a region's index values for `year`.
pub async fn set_region_index(
    db: &DatabaseConnection,
    viewer: &Viewer,
    code: &str,
    year: i32,
    v: IndexValues,
) -> Result<region_index::Model> {
    viewer.require_admin()?;
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::bad_input(
            "year",
            format!("{year} is not a plausible year"),
        ));
    }
    for (field, value) in [
        ("spbeIndex", v.spbe_index),
        ("publicServiceIndex", v.public_service_index),
    ] {
        if value.is_some_and(|x| !(0.0..=5.0).contains(&x)) {
            return Err(ApiError::bad_input(
                field,
                format!("{field} is on a 0-5 scale"),
            ));
        }
    }
    if v.innovation_index
        .is_some_and(|x| !x.is_finite() || x < 0.0)
    {
        return Err(ApiError::bad_input(
            "innovationIndex",
            "innovationIndex is a non-negative number",
        ));
    }
    let source = write::optional_text("source", v.source, MAX_SHORT_TEXT)?;
    let txn = write::begin(db).await?;
    crate::domain::region::query::require(&txn, "regionCode", code).await?;
    viewer.check_region(&txn, code, "indices").await?;
    let before = region_index::Entity::find()
        .filter(region_index::Column::RegionCode.eq(code))
        .filter(region_index::Column::Year.eq(year))
        .one(&txn)
        .await?;
    let after = region_index::Model {
        id: before.as_ref().map_or_else(Uuid::new_v4, |b| b.id),
        region_code: code.to_owned(),
        year,
        spbe_index: v.spbe_index,
        public_service_index: v.public_service_index,
        innovation_index: v.innovation_index,
        source,
    };
    match &before {
        Some(_) => {
            let mut am = after.clone().into_active_model().reset_all();
            am.id = sea_orm::ActiveValue::Unchanged(after.id);
            am.update(&txn).await?;
        }
        None => {
            after.clone().into_active_model().insert(&txn).await?;
        }
    }
    audit(
        &txn,
        viewer,
        "setRegionIndex",
        ObjectKind::RegionIndex,
        after.id,
        before.as_ref(),
        Some(&after),
    )
    .await?;
    write::commit(txn).await?;
    Ok(after)
}

/// A correction of a region's reference profile (admin).
#[derive(Clone, Debug, Default)]
pub struct ProfileCorrection {
    pub capital: Option<Option<String>>,
    pub latitude: Option<Option<f64>>,
    pub longitude: Option<Option<f64>>,
    pub elevation_m: Option<Option<i32>>,
    pub area_km2: Option<Option<f64>>,
    pub population: Option<Option<i64>>,
}

/// Corrects a region's profile at `version`.
pub async fn correct_region(
    db: &DatabaseConnection,
    viewer: &Viewer,
    code: &str,
    version: i32,
    c: ProfileCorrection,
) -> Result<region::Model> {
    viewer.require_admin()?;
    let txn = write::begin(db).await?;
    let before = crate::domain::region::query::require(&txn, "code", code).await?;
    viewer.check_region(&txn, code, "the profile").await?;
    check_version("the region", before.version, version)?;
    let mut r = before.clone();
    if let Some(v) = c.capital {
        r.capital = write::optional_text("capital", v, 200)?;
    }
    if let Some(v) = c.latitude {
        if v.is_some_and(|x| !(-11.5..=6.5).contains(&x)) {
            return Err(ApiError::bad_input(
                "latitude",
                "latitude is outside Indonesia (-11.5 to 6.5)",
            ));
        }
        r.latitude = v;
    }
    if let Some(v) = c.longitude {
        if v.is_some_and(|x| !(94.0..=141.5).contains(&x)) {
            return Err(ApiError::bad_input(
                "longitude",
                "longitude is outside Indonesia (94 to 141.5)",
            ));
        }
        r.longitude = v;
    }
    if let Some(v) = c.elevation_m {
        r.elevation_m = v;
    }
    if let Some(v) = c.area_km2 {
        if v.is_some_and(|x| !x.is_finite() || x <= 0.0) {
            return Err(ApiError::bad_input(
                "areaKm2",
                "areaKm2 is a positive number",
            ));
        }
        r.area_km2 = v;
    }
    if let Some(v) = c.population {
        if v.is_some_and(|x| x < 0) {
            return Err(ApiError::bad_input(
                "population",
                "population is not negative",
            ));
        }
        r.population = v;
    }
    let r = write::save_versioned(&txn, viewer, "correctRegionProfile", &before, r).await?;
    write::commit(txn).await?;
    Ok(r)
}
