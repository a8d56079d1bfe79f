//! `/regions/{code}`: a region's profile, indices, practices, agreements
//! and its agreements by partner category as `Region.stats` counts them.

use std::fmt::Write as _;

use axum::extract::Path;
use axum::response::Response;
use serde_json::json;

use super::html::{E, url};
use super::i18n::{Msg, amount, int, label, number};
use super::layout::{AGREEMENT_FIELDS, Nav, agreement_table};
use super::{Ctx, Fail, Page, s};

/// The GraphQL document of the page (`AGREEMENT_FIELDS` spliced in).
pub fn query() -> String {
    format!(
        r"query RegionPage($code: ID!) {{
  region(code: $code) {{
    code name kind capital population areaKm2 densityPerKm2 elevationM latitude longitude
    province {{ code name }}
    indices {{ year spbeIndex publicServiceIndex innovationIndex source }}
    stats {{ agreementsTotal practicesOwned transfersGiven transfersReceived visitsHosted visitsMade
      agreementsByPartnerCategory {{ withinProvince otherProvinces outsideProvince thirdParties }} }}
    practices {{ slug title summary }}
    agreements {{ {AGREEMENT_FIELDS} }}
  }}
}}"
    )
}

/// `GET /regions/{code}`
pub async fn page(Path(code): Path<String>, ctx: Ctx) -> Response {
    ctx.respond(render(&ctx, &code).await)
}

async fn render(ctx: &Ctx, code: &str) -> Result<Page, Fail> {
    let data = ctx.gql(&query(), json!({ "code": code })).await?;
    let r = &data["region"];
    if r.is_null() {
        return Err(Fail::not_found(format!(
            "{} ({code})",
            ctx.t(Msg::NotFoundText)
        )));
    }
    let lang = ctx.lang;
    let mut body = String::with_capacity(8 * 1024);
    let _ = write!(
        body,
        r#"<p class="meta">{} · {}"#,
        E(&label(lang, s(&r["kind"]))),
        E(s(&r["code"]))
    );
    if let Some(p) = r["province"]["name"].as_str() {
        let _ = write!(
            body,
            r#" · <a href="/regions/{}">{}</a>"#,
            E(s(&r["province"]["code"])),
            E(p)
        );
    }
    let _ = write!(
        body,
        r#"</p><section aria-labelledby="pr-h"><h2 id="pr-h">{}</h2><dl class="facts">"#,
        ctx.t(Msg::Profile)
    );
    let mut fact = |m: Msg, v: Option<String>| {
        if let Some(v) = v {
            let _ = write!(body, "<div><dt>{}</dt><dd>{}</dd></div>", ctx.t(m), v);
        }
    };
    fact(
        Msg::Capital,
        r["capital"].as_str().map(|c| E(c).to_string()),
    );
    fact(
        Msg::Population,
        r["population"].as_i64().map(|p| int(lang, p)),
    );
    fact(
        Msg::Area,
        r["areaKm2"]
            .as_f64()
            .map(|a| format!("{} km²", amount(lang, a))),
    );
    fact(
        Msg::Density,
        r["densityPerKm2"]
            .as_f64()
            .map(|d| format!("{} /km²", number(lang, d, 1))),
    );
    fact(
        Msg::Elevation,
        r["elevationM"]
            .as_i64()
            .map(|e| format!("{} m", int(lang, e))),
    );
    fact(
        Msg::Coordinates,
        r["latitude"]
            .as_f64()
            .zip(r["longitude"].as_f64())
            .map(|(la, lo)| format!("{}°, {}°", number(lang, la, 3), number(lang, lo, 3))),
    );
    body.push_str("</dl></section>");

    // Indices.
    let _ = write!(
        body,
        r#"<section aria-labelledby="ix-h"><h2 id="ix-h">{}</h2>"#,
        ctx.t(Msg::Indices)
    );
    let indices = r["indices"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if indices.is_empty() {
        let _ = write!(body, "<p>{}</p>", ctx.t(Msg::NoIndices));
    } else {
        let _ = write!(
            body,
            r#"<div class="scroll"><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
            ctx.t(Msg::Year),
            ctx.t(Msg::Spbe),
            ctx.t(Msg::Ipp),
            ctx.t(Msg::Innovation),
            ctx.t(Msg::Source)
        );
        for i in indices {
            let v = |k: &str| {
                i[k].as_f64()
                    .map_or_else(|| "–".into(), |x| number(lang, x, 2))
            };
            let _ = write!(
                body,
                r#"<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>"#,
                i["year"].as_i64().unwrap_or_default(),
                v("spbeIndex"),
                v("publicServiceIndex"),
                v("innovationIndex"),
                E(s(&i["source"]))
            );
        }
        body.push_str("</tbody></table></div>");
    }
    body.push_str("</section>");

    // Figures and partner categories.
    let st = &r["stats"];
    let _ = write!(
        body,
        r#"<section aria-labelledby="st-h"><h2 id="st-h">{}</h2><dl class="facts">"#,
        ctx.t(Msg::Figures)
    );
    for (m, k) in [
        (Msg::PracticesOwned, "practicesOwned"),
        (Msg::TransfersGiven, "transfersGiven"),
        (Msg::TransfersReceived, "transfersReceived"),
        (Msg::VisitsHosted, "visitsHosted"),
        (Msg::VisitsMade, "visitsMade"),
        (Msg::Agreements, "agreementsTotal"),
    ] {
        let _ = write!(
            body,
            "<div><dt>{}</dt><dd>{}</dd></div>",
            ctx.t(m),
            int(lang, st[k].as_i64().unwrap_or_default())
        );
    }
    let _ = write!(body, "</dl><h3>{}</h3>", ctx.t(Msg::PartnerCategories));
    let cats = &st["agreementsByPartnerCategory"];
    let rows = [
        (Msg::WithinProvince, "withinProvince"),
        (Msg::OtherProvinces, "otherProvinces"),
        (Msg::OutsideProvince, "outsideProvince"),
        (Msg::ThirdParties, "thirdParties"),
    ];
    body.push_str(&super::cooperation::bars(
        ctx,
        Msg::PartnerCategories,
        rows.iter()
            .map(|(m, k)| (ctx.t(*m).to_owned(), cats[*k].as_i64().unwrap_or_default())),
    ));
    let _ = write!(
        body,
        r#"<p><a href="/cooperation?region={}">{}</a></p></section>"#,
        E(&url(s(&r["code"]))),
        ctx.t(Msg::SeeCooperation)
    );

    // Practices.
    let _ = write!(
        body,
        r#"<section aria-labelledby="pc-h"><h2 id="pc-h">{}</h2>"#,
        ctx.t(Msg::Practices)
    );
    let practices = r["practices"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if practices.is_empty() {
        let _ = write!(body, "<p>{}</p>", ctx.t(Msg::NoPractices));
    } else {
        body.push_str(r#"<ul class="cards">"#);
        for p in practices {
            let _ = write!(
                body,
                r#"<li><h3><a href="/practices/{}">{}</a></h3><p>{}</p></li>"#,
                E(s(&p["slug"])),
                E(s(&p["title"])),
                E(s(&p["summary"]))
            );
        }
        body.push_str("</ul>");
    }
    let _ = write!(
        body,
        r#"</section><section aria-labelledby="ag-h"><h2 id="ag-h">{}</h2>{}</section>"#,
        ctx.t(Msg::Agreements),
        agreement_table(ctx, &r["agreements"])
    );
    Ok(Page {
        title: s(&r["name"]).to_owned(),
        nav: Nav::Search,
        body,
    })
}
