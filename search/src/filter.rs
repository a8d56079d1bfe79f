//! Filters, shared by both engines. Attribute names come from a whitelist
//! (the constants below), never from the user; values are quoted and escaped
//! when turned into a Meilisearch filter expression.

/// Sector code of a practice.
pub const SECTOR: &str = "sector";
/// Province code (of the owner, the parties or the region).
pub const PROVINCE: &str = "province";
/// Region kind: PROVINCE, REGENCY or CITY.
pub const REGION_KIND: &str = "regionKind";
/// Practice status.
pub const STATUS: &str = "status";
/// Agreement stage.
pub const STAGE: &str = "stage";
/// Whether the owner looks for adopters.
pub const LOOKING_FOR_ADOPTERS: &str = "lookingForAdopters";
/// Whether the practice has measured outcomes.
pub const HAS_OUTCOMES: &str = "hasOutcomes";

/// Every facet attribute, in the order facets are reported.
pub const FACETS: [&str; 5] = [SECTOR, PROVINCE, REGION_KIND, STATUS, STAGE];

/// Every filterable attribute.
pub const FILTERABLE: [&str; 7] = [
    SECTOR,
    PROVINCE,
    REGION_KIND,
    STATUS,
    STAGE,
    LOOKING_FOR_ADOPTERS,
    HAS_OUTCOMES,
];

/// Narrows a search. Within a list any value matches; across lists all
/// must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub sectors: Vec<String>,
    pub provinces: Vec<String>,
    pub region_kinds: Vec<String>,
    pub statuses: Vec<String>,
    pub stages: Vec<String>,
    pub looking_for_adopters: Option<bool>,
    pub has_outcomes: Option<bool>,
}

impl Filter {
    /// The conditions as (attribute, accepted values), the empty ones left
    /// out.
    pub fn conditions(&self) -> Vec<(&'static str, Vec<String>)> {
        let mut out = Vec::new();
        let lists = [
            (SECTOR, &self.sectors),
            (PROVINCE, &self.provinces),
            (REGION_KIND, &self.region_kinds),
            (STATUS, &self.statuses),
            (STAGE, &self.stages),
        ];
        for (attr, values) in lists {
            if !values.is_empty() {
                out.push((attr, values.clone()));
            }
        }
        if let Some(b) = self.looking_for_adopters {
            out.push((LOOKING_FOR_ADOPTERS, vec![b.to_string()]));
        }
        if let Some(b) = self.has_outcomes {
            out.push((HAS_OUTCOMES, vec![b.to_string()]));
        }
        out
    }

    /// The attributes this filter constrains.
    pub fn attributes(&self) -> Vec<&'static str> {
        self.conditions().into_iter().map(|(a, _)| a).collect()
    }

    /// The filter as a Meilisearch expression: `attr IN ["v1", "v2"] AND …`,
    /// or `None` when it constrains nothing.
    pub fn to_meili(&self) -> Option<String> {
        let parts: Vec<String> = self
            .conditions()
            .into_iter()
            .map(|(attr, values)| {
                let quoted: Vec<String> = values.iter().map(|v| quote(v)).collect();
                format!("{attr} IN [{}]", quoted.join(", "))
            })
            .collect();
        if parts.is_empty() {
            None
        } else {
            Some(parts.join(" AND "))
        }
    }
}

/// A value in double quotes with `\` and `"` escaped, as Meilisearch's filter
/// grammar reads it.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        if c == '\\' || c == '"' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meili_filter_quotes_and_escapes_every_value() {
        let f = Filter {
            sectors: vec!["HEALTH".into(), r#"x" OR status = "ACTIVE"#.into()],
            provinces: vec![r"32\".into()],
            looking_for_adopters: Some(true),
            ..Filter::default()
        };
        assert_eq!(
            f.to_meili().as_deref(),
            Some(
                r#"sector IN ["HEALTH", "x\" OR status = \"ACTIVE"] AND province IN ["32\\"] AND lookingForAdopters IN ["true"]"#
            )
        );
        assert_eq!(Filter::default().to_meili(), None);
    }
}
