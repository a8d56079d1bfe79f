//! A map with no tile server: the capitals of the 552 regions (their
//! coordinates come from the API) drawn as an SVG of the archipelago, with
//! overlays (gurus as points sized by score, a visit route as a line).

use std::fmt::Write as _;

use super::html::E;

/// A region's capital as the map needs it.
#[derive(Clone, Debug)]
pub struct Place {
    /// Kemendagri code.
    pub code: String,
    /// Region name.
    pub name: String,
    /// Latitude of the capital (degrees).
    pub lat: f64,
    /// Longitude of the capital (degrees).
    pub lon: f64,
}

/// West, north edges and pixels per degree of the equirectangular view.
const WEST: f64 = 94.5;
const NORTH: f64 = 6.5;
const SCALE: f64 = 10.0;
/// The view box: 94.5°E-141.5°E, 6.5°N-11.5°S.
const WIDTH: f64 = 470.0;
const HEIGHT: f64 = 180.0;

/// Map coordinates of a point.
pub fn project(lat: f64, lon: f64) -> (f64, f64) {
    ((lon - WEST) * SCALE, (NORTH - lat) * SCALE)
}

/// Something drawn over the capitals.
#[derive(Debug)]
pub enum Overlay<'a> {
    /// A point of radius `r` with a label (its `<title>`), highlighted.
    Point {
        /// Where.
        place: &'a Place,
        /// Radius in map units.
        r: f64,
        /// Tooltip and accessible name.
        label: String,
        /// Text drawn beside the point (a rank, a stop number).
        mark: Option<String>,
    },
    /// A line through the places in order.
    Line(Vec<&'a Place>),
}

/// The SVG: every capital as a grey dot (one path, a few kilobytes), then
/// the overlays. `title` is the map's accessible name; the page must give
/// the same facts as text beside it.
pub fn svg(capitals: &[Place], overlays: &[Overlay<'_>], title: &str) -> String {
    let mut out = String::with_capacity(capitals.len() * 14 + 1024);
    let _ = write!(
        out,
        r#"<svg class="map" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{}"><rect width="{WIDTH}" height="{HEIGHT}" class="sea"/><path class="land" d=""#,
        E(title)
    );
    for p in capitals {
        let (x, y) = project(p.lat, p.lon);
        let _ = write!(out, "M{x:.1} {y:.1}h0");
    }
    out.push_str("\"/>");
    for o in overlays {
        match o {
            Overlay::Line(places) if places.len() > 1 => {
                out.push_str(r#"<polyline class="route" points=""#);
                for p in places {
                    let (x, y) = project(p.lat, p.lon);
                    let _ = write!(out, "{x:.1},{y:.1} ");
                }
                out.push_str("\"/>");
            }
            Overlay::Line(_) => {}
            Overlay::Point {
                place,
                r,
                label,
                mark,
            } => {
                let (x, y) = project(place.lat, place.lon);
                let _ = write!(
                    out,
                    r#"<g class="pin"><title>{}</title><circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}"/>"#,
                    E(label)
                );
                if let Some(m) = mark {
                    let _ = write!(
                        out,
                        r#"<text x="{:.1}" y="{:.1}">{}</text>"#,
                        x + r + 1.0,
                        y + 1.5,
                        E(m)
                    );
                }
                out.push_str("</g>");
            }
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_archipelago_fits_the_view() {
        // Sabang (far west and north) and Merauke (far east and south).
        let (x, y) = project(5.89, 95.32);
        assert!(x > 0.0 && y > 0.0);
        let (x, y) = project(-8.49, 140.40);
        assert!(x < WIDTH && y < HEIGHT);
    }

    #[test]
    fn labels_are_escaped() {
        let p = Place {
            code: "1".into(),
            name: "x".into(),
            lat: 0.0,
            lon: 110.0,
        };
        let s = svg(
            std::slice::from_ref(&p),
            &[Overlay::Point {
                place: &p,
                r: 3.0,
                label: "<b>".into(),
                mark: None,
            }],
            "t",
        );
        assert!(s.contains("&lt;b&gt;") && !s.contains("<b>"));
    }
}
