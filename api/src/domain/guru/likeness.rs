//! How alike two regions are (kind, population, area, density, elevation,
//! island group), and the regions most like one.

use entity::{RegionKind, region};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use crate::domain::region::query::distance_km;
use crate::error::Result;

use super::coords;
use super::text::num;

/// A part of the likeness of two regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Component {
    Kind,
    Population,
    Area,
    Density,
    Elevation,
    Island,
}

/// How alike two regions are, 0 (nothing alike) to 1 (alike in every
/// known respect), with its parts. Symmetric; 1 for a region with itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Likeness {
    pub value: f64,
    pub components: Vec<(Component, f64)>,
}

/// The island group of a province code (Kemendagri's first digit groups
/// them): Sumatera, Jawa, Bali-Nusa Tenggara, Kalimantan, Sulawesi, Maluku,
/// Papua.
pub fn island_group(code: &str) -> Option<&'static str> {
    match code.get(0..1)? {
        "1" | "2" => Some("Sumatera"),
        "3" => Some("Jawa"),
        "5" => Some("Bali-Nusa Tenggara"),
        "6" => Some("Kalimantan"),
        "7" => Some("Sulawesi"),
        "8" => Some("Maluku"),
        "9" => Some("Papua"),
        _ => None,
    }
}

pub(super) fn ratio(a: f64, b: f64) -> Option<f64> {
    (a > 0.0 && b > 0.0).then(|| a.min(b) / a.max(b))
}

pub(super) fn density(r: &region::Model) -> Option<f64> {
    let p = r.population? as f64;
    let a = r.area_km2?;
    (a > 0.0).then(|| p / a)
}

/// The likeness measure of [`find_gurus`] and `similarRegions`: the mean of
/// the parts both regions have data for. Kind: 1 same, 0.5 regency and
/// city, 0 province and regency or city. Population, area and density:
/// smaller over larger. Elevation of the capitals: `exp(-|difference| / 400 m)`.
/// Island group: 1 same, 0 not.
pub fn likeness(a: &region::Model, b: &region::Model) -> Likeness {
    let mut c = Vec::new();
    let kind = if a.kind == b.kind {
        1.0
    } else if a.kind != RegionKind::Province && b.kind != RegionKind::Province {
        0.5
    } else {
        0.0
    };
    c.push((Component::Kind, kind));
    if let (Some(x), Some(y)) = (a.population, b.population)
        && let Some(r) = ratio(x as f64, y as f64)
    {
        c.push((Component::Population, r));
    }
    if let (Some(x), Some(y)) = (a.area_km2, b.area_km2)
        && let Some(r) = ratio(x, y)
    {
        c.push((Component::Area, r));
    }
    if let (Some(x), Some(y)) = (density(a), density(b))
        && let Some(r) = ratio(x, y)
    {
        c.push((Component::Density, r));
    }
    if let (Some(x), Some(y)) = (a.elevation_m, b.elevation_m) {
        c.push((
            Component::Elevation,
            (-(f64::from(x) - f64::from(y)).abs() / 400.0).exp(),
        ));
    }
    if let (Some(x), Some(y)) = (island_group(&a.code), island_group(&b.code)) {
        c.push((Component::Island, if x == y { 1.0 } else { 0.0 }));
    }
    let value = c.iter().map(|(_, v)| v).sum::<f64>() / c.len() as f64;
    Likeness {
        value,
        components: c,
    }
}

pub(super) fn kind_word(k: RegionKind) -> &'static str {
    match k {
        RegionKind::Province => "province",
        RegionKind::Regency => "regency",
        RegionKind::City => "city",
    }
}

/// "hilly (450 m)" for an elevation of the capital.
pub(super) fn terrain(m: i32) -> String {
    let w = if m < 100 {
        "lowland"
    } else if m < 500 {
        "hilly"
    } else {
        "highland"
    };
    format!("{w} ({m} m)")
}

/// "1.2 M people" / "850 k people".
pub fn people(n: i64) -> String {
    let n = n as f64;
    if n >= 1e6 {
        format!("{} M people", num((n / 1e5).round() / 10.0))
    } else if n >= 1e3 {
        format!("{} k people", num((n / 1e3).round()))
    } else {
        format!("{n} people")
    }
}

impl Likeness {
    /// "similar (78%): regency like you, 1.2 M people (you 1.4 M), hilly
    /// (450 m) like you (...), same island group (Jawa); differs: ..."
    pub fn describe(&self, seeker: &region::Model, other: &region::Model) -> String {
        let mut alike = Vec::new();
        let mut differs = Vec::new();
        for (c, v) in &self.components {
            let close = *v >= 0.7;
            let text = match c {
                Component::Kind => {
                    if seeker.kind == other.kind {
                        format!("{} like you", kind_word(other.kind))
                    } else {
                        format!(
                            "a {} (you: {})",
                            kind_word(other.kind),
                            kind_word(seeker.kind)
                        )
                    }
                }
                Component::Population => format!(
                    "{} (you {})",
                    people(other.population.unwrap_or(0)),
                    people(seeker.population.unwrap_or(0))
                ),
                Component::Area => format!(
                    "{} km² (you {})",
                    num(other.area_km2.unwrap_or(0.0).round()),
                    num(seeker.area_km2.unwrap_or(0.0).round())
                ),
                Component::Density => format!(
                    "{} people/km² (you {})",
                    num(density(other).unwrap_or(0.0).round()),
                    num(density(seeker).unwrap_or(0.0).round())
                ),
                Component::Elevation => format!(
                    "{} (you {})",
                    terrain(other.elevation_m.unwrap_or(0)),
                    terrain(seeker.elevation_m.unwrap_or(0))
                ),
                Component::Island => {
                    let g = island_group(&other.code).unwrap_or("?");
                    if close {
                        format!("same island group ({g})")
                    } else {
                        format!(
                            "island group {g} (you {})",
                            island_group(&seeker.code).unwrap_or("?")
                        )
                    }
                }
            };
            if close {
                alike.push(text);
            } else {
                differs.push(text);
            }
        }
        let mut s = format!("{:.0}% alike", self.value * 100.0);
        if !alike.is_empty() {
            s.push_str(&format!("; similar: {}", alike.join(", ")));
        }
        if !differs.is_empty() {
            s.push_str(&format!("; differs: {}", differs.join(", ")));
        }
        s
    }
}

/// A region like another, for `similarRegions`.
#[derive(Clone, Debug)]
pub struct Similar {
    pub region: region::Model,
    pub likeness: Likeness,
    pub distance_km: Option<f64>,
    pub text: String,
}

/// The regions most like `code`, most alike first. Itself is left out,
/// unless `among` (a list to compare with, instead of all regions) names it.
pub async fn similar_regions(
    db: &impl ConnectionTrait,
    code: &str,
    kinds: &[RegionKind],
    among: &[String],
    first: usize,
) -> Result<Vec<Similar>> {
    crate::domain::region::query::check_code("code", code)?;
    for c in among {
        crate::domain::region::query::check_code("among", c)?;
    }
    let me = crate::domain::region::query::require(db, "code", code).await?;
    let mut q = region::Entity::find();
    if among.is_empty() {
        q = q.filter(region::Column::Code.ne(code));
    } else {
        q = q.filter(region::Column::Code.is_in(among.iter().map(String::as_str)));
    }
    if !kinds.is_empty() {
        q = q.filter(region::Column::Kind.is_in(kinds.iter().copied()));
    }
    let mut out: Vec<Similar> = q
        .all(db)
        .await?
        .into_iter()
        .map(|r| {
            let l = likeness(&me, &r);
            let text = l.describe(&me, &r);
            Similar {
                distance_km: coords(&me).zip(coords(&r)).map(|(a, b)| distance_km(a, b)),
                likeness: l,
                region: r,
                text,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.likeness
            .value
            .total_cmp(&a.likeness.value)
            .then(a.region.code.cmp(&b.region.code))
    });
    out.truncate(first);
    Ok(out)
}
