//! Writes of practices and their outcomes. Every function is one
//! transaction, checks the viewer's rights on the owner region, bumps the
//! practice's `version` and `updated_at`, and records the audit entry.

use chrono::{NaiveDate, Utc};
use entity::{PracticeStatus, Sector, outcome, practice, practice_sector};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter,
};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::domain::write::{
    self, MAX_LONG_TEXT, MAX_SHORT_TEXT, MAX_TITLE, ObjectKind, audit, check_version,
};
use crate::error::{ApiError, Result};

/// The fields of a new practice.
#[derive(Clone, Debug)]
pub struct NewPractice {
    pub title: String,
    pub summary: String,
    pub slug: Option<String>,
    pub description: Option<String>,
    pub owner_region_code: String,
    pub sectors: Vec<Sector>,
    pub form: entity::PracticeForm,
    pub is_digital: Option<bool>,
    pub maturity: Option<entity::Maturity>,
    pub status: PracticeStatus,
    pub last_verified_on: Option<NaiveDate>,
    pub year_started: Option<i32>,
    pub looking_for_adopters: bool,
    pub contact: Option<String>,
    pub links: Vec<String>,
    pub lessons_learned: Option<String>,
}

/// Changes to a practice; `None` leaves a field as it is, `Some(None)`
/// clears a nullable one.
#[derive(Clone, Debug, Default)]
pub struct PracticePatch {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub description: Option<Option<String>>,
    pub sectors: Option<Vec<Sector>>,
    pub form: Option<entity::PracticeForm>,
    pub is_digital: Option<Option<bool>>,
    pub maturity: Option<Option<entity::Maturity>>,
    pub status: Option<PracticeStatus>,
    pub year_started: Option<Option<i32>>,
    pub contact: Option<Option<String>>,
    pub links: Option<Vec<String>>,
    pub lessons_learned: Option<Option<String>>,
}

/// The fields of an outcome.
#[derive(Clone, Debug)]
pub struct OutcomeFields {
    pub metric: String,
    pub unit: Option<String>,
    pub baseline_value: Option<f64>,
    pub baseline_year: Option<i32>,
    pub achieved_value: Option<f64>,
    pub achieved_year: Option<i32>,
    pub source: Option<String>,
}

fn check_year(field: &str, y: Option<i32>) -> Result<()> {
    match y {
        Some(y) if !(1945..=2100).contains(&y) => Err(ApiError::bad_input(
            field,
            format!("{field} {y} is not a plausible year"),
        )),
        _ => Ok(()),
    }
}

fn check_sectors(sectors: &[Sector]) -> Result<()> {
    if sectors.is_empty() {
        return Err(ApiError::bad_input("sectors", "give at least one sector"));
    }
    Ok(())
}

/// A URL-friendly slug from a title: lowercase ASCII words joined by `-`.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let s = out.trim_end_matches('-');
    let s: String = s.chars().take(80).collect();
    if s.is_empty() {
        "practice".to_owned()
    } else {
        s.trim_end_matches('-').to_owned()
    }
}

async fn free_slug(db: &impl ConnectionTrait, base: &str) -> Result<String> {
    for n in 1..1000 {
        let candidate = if n == 1 {
            base.to_owned()
        } else {
            format!("{base}-{n}")
        };
        let taken = practice::Entity::find()
            .filter(practice::Column::Slug.eq(candidate.as_str()))
            .one(db)
            .await?
            .is_some();
        if !taken {
            return Ok(candidate);
        }
    }
    Err(ApiError::conflict(format!(
        "no free slug near {base:?}; give one explicitly"
    )))
}

async fn set_sectors(
    db: &impl ConnectionTrait,
    practice_id: Uuid,
    sectors: &[Sector],
) -> Result<()> {
    practice_sector::Entity::delete_many()
        .filter(practice_sector::Column::PracticeId.eq(practice_id))
        .exec(db)
        .await?;
    let mut unique = sectors.to_vec();
    unique.sort_by_key(|s| format!("{s:?}"));
    unique.dedup();
    for s in unique {
        practice_sector::Model {
            practice_id,
            sector: s,
        }
        .into_active_model()
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Creates a practice owned by `input.owner_region_code`.
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewPractice,
) -> Result<practice::Model> {
    let txn = write::begin(db).await?;
    let saved = create_in(&txn, viewer, input, None).await?;
    write::commit(txn).await?;
    Ok(saved)
}

/// [`create`] inside the caller's transaction; `id` keeps an imported id.
pub async fn create_in(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    input: NewPractice,
    id: Option<Uuid>,
) -> Result<practice::Model> {
    let title = write::required_text("title", &input.title, MAX_TITLE)?;
    let summary = write::required_text("summary", &input.summary, MAX_SHORT_TEXT)?;
    let description = write::optional_text("description", input.description, MAX_LONG_TEXT)?;
    let lessons = write::optional_text("lessonsLearned", input.lessons_learned, MAX_LONG_TEXT)?;
    let contact = write::optional_text("contact", input.contact, MAX_SHORT_TEXT)?;
    let links = write::text_list("links", input.links)?;
    check_year("yearStarted", input.year_started)?;
    check_sectors(&input.sectors)?;
    crate::domain::region::query::require(txn, "ownerRegionCode", &input.owner_region_code).await?;
    viewer
        .check_region(txn, &input.owner_region_code, "practices")
        .await?;
    let slug = match input.slug {
        Some(s) => {
            let s = write::required_text("slug", &s, 100)?;
            if slugify(&s) != s {
                return Err(ApiError::bad_input(
                    "slug",
                    "a slug has lowercase letters, digits and single dashes",
                ));
            }
            s
        }
        None => free_slug(txn, &slugify(&title)).await?,
    };
    let now = Utc::now();
    let model = practice::Model {
        id: id.unwrap_or_else(Uuid::new_v4),
        slug: slug.clone(),
        title,
        summary,
        description,
        owner_region_code: input.owner_region_code,
        form: input.form,
        is_digital: input.is_digital,
        maturity: input.maturity,
        status: input.status,
        last_verified_on: input.last_verified_on,
        year_started: input.year_started,
        looking_for_adopters: input.looking_for_adopters,
        contact,
        links,
        lessons_learned: lessons,
        created_at: now,
        updated_at: now,
        version: 1,
        archived_at: None,
    };
    let saved = model
        .into_active_model()
        .insert(txn)
        .await
        .map_err(|e| write::unique_conflict(e, format!("the slug {slug:?} is taken")))?;
    set_sectors(txn, saved.id, &input.sectors).await?;
    audit(
        txn,
        viewer,
        "createPractice",
        ObjectKind::Practice,
        saved.id,
        write::NONE,
        Some(&saved),
    )
    .await?;
    Ok(saved)
}

/// Loads a practice for a write: it must exist, the viewer must write for
/// its owner, and `version` (when given) must be current.
async fn load_for_write(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
    version: Option<i32>,
) -> Result<practice::Model> {
    let p = practice::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no practice has id {id}")))?;
    viewer
        .check_region(db, &p.owner_region_code, "practices")
        .await?;
    if let Some(v) = version {
        check_version("the practice", p.version, v)?;
    }
    Ok(p)
}

/// Applies `patch` to practice `id` at `version`.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    patch: PracticePatch,
) -> Result<practice::Model> {
    let txn = write::begin(db).await?;
    let saved = update_in(&txn, viewer, id, version, patch).await?;
    write::commit(txn).await?;
    Ok(saved)
}

/// [`update`] inside the caller's transaction.
pub async fn update_in(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    patch: PracticePatch,
) -> Result<practice::Model> {
    let before = load_for_write(txn, viewer, id, Some(version)).await?;
    let mut p = before.clone();
    if let Some(v) = patch.title {
        p.title = write::required_text("title", &v, MAX_TITLE)?;
    }
    if let Some(v) = patch.summary {
        p.summary = write::required_text("summary", &v, MAX_SHORT_TEXT)?;
    }
    if let Some(v) = patch.description {
        p.description = write::optional_text("description", v, MAX_LONG_TEXT)?;
    }
    if let Some(v) = patch.form {
        p.form = v;
    }
    if let Some(v) = patch.is_digital {
        p.is_digital = v;
    }
    if let Some(v) = patch.maturity {
        p.maturity = v;
    }
    if let Some(v) = patch.status {
        p.status = v;
    }
    if let Some(v) = patch.year_started {
        check_year("yearStarted", v)?;
        p.year_started = v;
    }
    if let Some(v) = patch.contact {
        p.contact = write::optional_text("contact", v, MAX_SHORT_TEXT)?;
    }
    if let Some(v) = patch.links {
        p.links = write::text_list("links", v)?;
    }
    if let Some(v) = patch.lessons_learned {
        p.lessons_learned = write::optional_text("lessonsLearned", v, MAX_LONG_TEXT)?;
    }
    if let Some(sectors) = &patch.sectors {
        check_sectors(sectors)?;
        set_sectors(txn, id, sectors).await?;
    }
    write::save_versioned(txn, viewer, "updatePractice", &before, p).await
}

/// Runs one small change (archive, verify, ...) as a versioned write.
pub async fn change(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    action: &str,
    f: impl FnOnce(&mut practice::Model),
) -> Result<practice::Model> {
    let txn = write::begin(db).await?;
    let before = load_for_write(&txn, viewer, id, Some(version)).await?;
    let mut p = before.clone();
    f(&mut p);
    let saved = write::save_versioned(&txn, viewer, action, &before, p).await?;
    write::commit(txn).await?;
    Ok(saved)
}

/// Marks the practice verified on `today`.
pub async fn verify(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    version: i32,
    today: NaiveDate,
) -> Result<practice::Model> {
    change(db, viewer, id, version, "verifyPractice", |p| {
        p.last_verified_on = Some(today)
    })
    .await
}

fn check_outcome(f: &OutcomeFields) -> Result<OutcomeFields> {
    check_year("baselineYear", f.baseline_year)?;
    check_year("achievedYear", f.achieved_year)?;
    if let (Some(b), Some(a)) = (f.baseline_year, f.achieved_year)
        && a < b
    {
        return Err(ApiError::bad_input(
            "achievedYear",
            "achievedYear is before baselineYear",
        ));
    }
    for (field, v) in [
        ("baselineValue", f.baseline_value),
        ("achievedValue", f.achieved_value),
    ] {
        if v.is_some_and(|v| !v.is_finite()) {
            return Err(ApiError::bad_input(
                field,
                format!("{field} must be a finite number"),
            ));
        }
    }
    if f.achieved_value.is_none() && f.baseline_value.is_none() {
        return Err(ApiError::bad_input(
            "achievedValue",
            "an outcome needs a measured value",
        ));
    }
    Ok(OutcomeFields {
        metric: write::required_text("metric", &f.metric, MAX_TITLE)?,
        unit: write::optional_text("unit", f.unit.clone(), 50)?,
        source: write::optional_text("source", f.source.clone(), MAX_SHORT_TEXT)?,
        ..f.clone()
    })
}

/// Bumps the practice's version for a change of one of its children.
async fn touch(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    action: &str,
    before: &practice::Model,
) -> Result<practice::Model> {
    write::save_versioned(db, viewer, action, before, before.clone()).await
}

/// Adds an outcome to a practice.
pub async fn add_outcome(
    db: &DatabaseConnection,
    viewer: &Viewer,
    practice_id: Uuid,
    fields: OutcomeFields,
) -> Result<(outcome::Model, practice::Model)> {
    let txn = write::begin(db).await?;
    let r = add_outcome_in(&txn, viewer, practice_id, fields).await?;
    write::commit(txn).await?;
    Ok(r)
}

/// [`add_outcome`] inside the caller's transaction.
pub async fn add_outcome_in(
    txn: &impl ConnectionTrait,
    viewer: &Viewer,
    practice_id: Uuid,
    fields: OutcomeFields,
) -> Result<(outcome::Model, practice::Model)> {
    let f = check_outcome(&fields)?;
    let p = load_for_write(txn, viewer, practice_id, None).await?;
    let o = outcome::Model {
        id: Uuid::new_v4(),
        practice_id,
        metric: f.metric,
        unit: f.unit,
        baseline_value: f.baseline_value,
        baseline_year: f.baseline_year,
        achieved_value: f.achieved_value,
        achieved_year: f.achieved_year,
        source: f.source,
    }
    .into_active_model()
    .insert(txn)
    .await?;
    audit(
        txn,
        viewer,
        "addOutcome",
        ObjectKind::Outcome,
        o.id,
        write::NONE,
        Some(&o),
    )
    .await?;
    let p = touch(txn, viewer, "addOutcome", &p).await?;
    Ok((o, p))
}

async fn load_outcome(db: &impl ConnectionTrait, id: Uuid) -> Result<outcome::Model> {
    outcome::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no outcome has id {id}")))
}

/// Replaces the fields of an outcome.
pub async fn update_outcome(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    fields: OutcomeFields,
) -> Result<(outcome::Model, practice::Model)> {
    let f = check_outcome(&fields)?;
    let txn = write::begin(db).await?;
    let before = load_outcome(&txn, id).await?;
    let p = load_for_write(&txn, viewer, before.practice_id, None).await?;
    let after = outcome::Model {
        id,
        practice_id: before.practice_id,
        metric: f.metric,
        unit: f.unit,
        baseline_value: f.baseline_value,
        baseline_year: f.baseline_year,
        achieved_value: f.achieved_value,
        achieved_year: f.achieved_year,
        source: f.source,
    };
    let mut am = after.clone().into_active_model().reset_all();
    am.id = sea_orm::ActiveValue::Unchanged(id);
    am.update(&txn).await?;
    audit(
        &txn,
        viewer,
        "updateOutcome",
        ObjectKind::Outcome,
        id,
        Some(&before),
        Some(&after),
    )
    .await?;
    let p = touch(&txn, viewer, "updateOutcome", &p).await?;
    write::commit(txn).await?;
    Ok((after, p))
}

/// Removes an outcome.
pub async fn remove_outcome(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
) -> Result<practice::Model> {
    let txn = write::begin(db).await?;
    let before = load_outcome(&txn, id).await?;
    let p = load_for_write(&txn, viewer, before.practice_id, None).await?;
    outcome::Entity::delete_by_id(id).exec(&txn).await?;
    audit(
        &txn,
        viewer,
        "removeOutcome",
        ObjectKind::Outcome,
        id,
        Some(&before),
        write::NONE,
    )
    .await?;
    let p = touch(&txn, viewer, "removeOutcome", &p).await?;
    write::commit(txn).await?;
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert_eq!(
            slugify("Super aplikasi e-Office Sumedang"),
            "super-aplikasi-e-office-sumedang"
        );
        assert_eq!(slugify("  Desa Digital (Jabar)!  "), "desa-digital-jabar");
        assert_eq!(slugify("!!!"), "practice");
    }
}
