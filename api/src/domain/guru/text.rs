//! Words of the reasons: plurals, numbers, outcomes.

use entity::outcome;

pub(super) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "Persentase penduduk miskin Jawa Barat 7.25% (2018) -> 6.82% (2019), measured".
pub fn outcome_text(o: &outcome::Model) -> String {
    let unit = o.unit.as_deref().unwrap_or("");
    let v = |x: f64, y: Option<i32>| {
        let sep = if unit == "%" || unit.is_empty() {
            ""
        } else {
            " "
        };
        match y {
            Some(y) => format!("{}{sep}{unit} ({y})", num(x)),
            None => format!("{}{sep}{unit}", num(x)),
        }
    };
    match (o.baseline_value, o.achieved_value) {
        (Some(b), Some(a)) => format!(
            "{} {} -> {} measured",
            o.metric,
            v(b, o.baseline_year),
            v(a, o.achieved_year)
        ),
        (None, Some(a)) => format!("{} {} measured", o.metric, v(a, o.achieved_year)),
        _ => format!("{} (no value yet)", o.metric),
    }
}

pub(super) fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}
