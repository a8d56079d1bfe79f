//! `/practices/{slug}`: a practice: summary, evidence and outcomes, owner,
//! agreements, adopters by stage, visits, contact.

use std::fmt::Write as _;

use axum::extract::Path;
use axum::response::Response;
use serde_json::{Value, json};

use super::html::{E, url};
use super::i18n::{Msg, amount, date, label};
use super::layout::{AGREEMENT_FIELDS, Nav, agreement_table};
use super::{Ctx, Fail, Page, s};

/// The GraphQL document of the page (`AGREEMENT_FIELDS` spliced in).
pub fn query() -> String {
    format!(
        r"query PracticePage($slug: String!) {{
  practice(slug: $slug) {{
    id slug title summary description lessonsLearned contact links form maturity status yearStarted lookingForAdopters lastVerifiedOn sectors
    owner {{ code name province {{ code name }} }}
    outcomes {{ metric unit baselineValue baselineYear achievedValue achievedYear change source }}
    agreements {{ {AGREEMENT_FIELDS} }}
    adoptions {{ stage startedOn adoptedOn region {{ code name }} }}
    visits {{ startsOn endsOn visitor {{ code name }} host {{ code name }} }}
  }}
}}"
    )
}

/// The adoption stages in their order.
const ADOPTION_STAGES: [&str; 5] = ["INTERESTED", "PREPARING", "PILOTING", "ADOPTED", "STOPPED"];

/// `GET /practices/{slug}`
pub async fn page(Path(slug): Path<String>, ctx: Ctx) -> Response {
    ctx.respond(render(&ctx, &slug).await)
}

async fn render(ctx: &Ctx, slug: &str) -> Result<Page, Fail> {
    let data = ctx.gql(&query(), json!({ "slug": slug })).await?;
    let p = &data["practice"];
    if p.is_null() {
        return Err(Fail::not_found(format!(
            "{} ({slug})",
            ctx.t(Msg::NotFoundText)
        )));
    }
    let lang = ctx.lang;
    let mut body = String::with_capacity(8 * 1024);
    let owner = &p["owner"];
    let _ = write!(
        body,
        r#"<p class="meta">{}: <a href="/regions/{}">{}</a>"#,
        ctx.t(Msg::Owner),
        E(s(&owner["code"])),
        E(s(&owner["name"]))
    );
    if let Some(prov) = owner["province"]["name"].as_str() {
        let _ = write!(
            body,
            r#" (<a href="/regions/{}">{}</a>)"#,
            E(s(&owner["province"]["code"])),
            E(prov)
        );
    }
    for sector in p["sectors"].as_array().into_iter().flatten() {
        let _ = write!(
            body,
            r#" <span class="tag">{}</span>"#,
            E(&label(lang, s(sector)))
        );
    }
    if p["lookingForAdopters"] == true {
        let _ = write!(
            body,
            r#" <span class="tag ok">{}</span>"#,
            ctx.t(Msg::LookingForAdopters)
        );
    }
    let _ = write!(
        body,
        r#"</p><section aria-labelledby="sum-h"><h2 id="sum-h">{}</h2><p class="lead">{}</p>"#,
        ctx.t(Msg::Summary),
        E(s(&p["summary"]))
    );
    if let Some(d) = p["description"].as_str() {
        let _ = write!(body, "<p>{}</p>", E(d));
    }
    let _ = write!(body, r#"<dl class="facts">"#);
    let mut fact = |m: Msg, v: String| {
        if !v.is_empty() {
            let _ = write!(body, "<div><dt>{}</dt><dd>{}</dd></div>", ctx.t(m), v);
        }
    };
    fact(Msg::Form, E(&label(lang, s(&p["form"]))).to_string());
    fact(
        Msg::Maturity,
        E(&label(lang, s(&p["maturity"]))).to_string(),
    );
    fact(Msg::Status, E(&label(lang, s(&p["status"]))).to_string());
    fact(
        Msg::YearStarted,
        p["yearStarted"]
            .as_i64()
            .map(|y| y.to_string())
            .unwrap_or_default(),
    );
    fact(
        Msg::LastVerified,
        p["lastVerifiedOn"]
            .as_str()
            .map(|d| date(lang, d))
            .unwrap_or_default(),
    );
    body.push_str("</dl>");
    if let Some(l) = p["lessonsLearned"].as_str() {
        let _ = write!(
            body,
            "<h3>{}</h3><p>{}</p>",
            ctx.t(Msg::LessonsLearned),
            E(l)
        );
    }
    body.push_str("</section>");

    // Evidence and outcomes.
    let _ = write!(
        body,
        r#"<section aria-labelledby="ev-h"><h2 id="ev-h">{}</h2>"#,
        ctx.t(Msg::Evidence)
    );
    let outcomes = p["outcomes"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if outcomes.is_empty() {
        let _ = write!(body, "<p>{}</p>", ctx.t(Msg::NoOutcomes));
    } else {
        let _ = write!(
            body,
            r#"<div class="scroll"><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
            ctx.t(Msg::Metric),
            ctx.t(Msg::Baseline),
            ctx.t(Msg::Achieved),
            ctx.t(Msg::Change),
            ctx.t(Msg::Source)
        );
        for o in outcomes {
            let unit = o["unit"]
                .as_str()
                .map(|u| format!(" {}", E(u)))
                .unwrap_or_default();
            let value = |v: &str, y: &str| match o[v].as_f64() {
                Some(x) => format!(
                    "{}{unit}{}",
                    amount(lang, x),
                    o[y].as_i64().map(|y| format!(" ({y})")).unwrap_or_default()
                ),
                None => "–".into(),
            };
            let change = o["change"]
                .as_f64()
                .map(|c| {
                    format!(
                        "{}{}{unit}",
                        if c > 0.0 { "+" } else { "" },
                        amount(lang, c)
                    )
                })
                .unwrap_or_else(|| "–".into());
            let _ = write!(
                body,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                E(s(&o["metric"])),
                value("baselineValue", "baselineYear"),
                value("achievedValue", "achievedYear"),
                change,
                E(s(&o["source"]))
            );
        }
        body.push_str("</tbody></table></div>");
    }
    let _ = write!(
        body,
        r#"<p><a href="/guru?topic={}">{}</a></p></section>"#,
        E(&url(s(&p["title"]))),
        ctx.t(Msg::FindGuruOn)
    );

    // Agreements.
    let _ = write!(
        body,
        r#"<section aria-labelledby="ag-h"><h2 id="ag-h">{}</h2>{}</section>"#,
        ctx.t(Msg::Agreements),
        agreement_table(ctx, &p["agreements"])
    );

    // Adopters by stage.
    let _ = write!(
        body,
        r#"<section aria-labelledby="ad-h"><h2 id="ad-h">{}</h2>"#,
        ctx.t(Msg::AdoptersByStage)
    );
    let adoptions = p["adoptions"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if adoptions.is_empty() {
        let _ = write!(body, "<p>{}</p>", ctx.t(Msg::NoAdopters));
    } else {
        body.push_str(r#"<dl class="stages">"#);
        for stage in ADOPTION_STAGES {
            let at: Vec<&Value> = adoptions.iter().filter(|a| a["stage"] == stage).collect();
            if at.is_empty() {
                continue;
            }
            let names: Vec<String> = at
                .iter()
                .map(|a| {
                    format!(
                        r#"<a href="/regions/{}">{}</a>"#,
                        E(s(&a["region"]["code"])),
                        E(s(&a["region"]["name"]))
                    )
                })
                .collect();
            let _ = write!(
                body,
                "<div><dt>{} ({})</dt><dd>{}</dd></div>",
                E(&label(lang, stage)),
                at.len(),
                names.join(", ")
            );
        }
        body.push_str("</dl>");
    }
    body.push_str("</section>");

    // Visits.
    let _ = write!(
        body,
        r#"<section aria-labelledby="vi-h"><h2 id="vi-h">{}</h2>"#,
        ctx.t(Msg::Visits)
    );
    let visits = p["visits"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if visits.is_empty() {
        let _ = write!(body, "<p>{}</p>", ctx.t(Msg::NoVisits));
    } else {
        body.push_str("<ul>");
        for v in visits {
            let _ = write!(
                body,
                r#"<li><a href="/regions/{}">{}</a> → <a href="/regions/{}">{}</a>, {}"#,
                E(s(&v["visitor"]["code"])),
                E(s(&v["visitor"]["name"])),
                E(s(&v["host"]["code"])),
                E(s(&v["host"]["name"])),
                date(lang, s(&v["startsOn"]))
            );
            if v["endsOn"] != v["startsOn"] {
                let _ = write!(body, " – {}", date(lang, s(&v["endsOn"])));
            }
            body.push_str("</li>");
        }
        body.push_str("</ul>");
    }
    body.push_str("</section>");

    // Contact and links.
    let _ = write!(
        body,
        r#"<section aria-labelledby="co-h"><h2 id="co-h">{}</h2><p>{}</p>"#,
        ctx.t(Msg::Contact),
        p["contact"]
            .as_str()
            .map_or_else(|| ctx.t(Msg::NoContact).to_owned(), |c| E(c).to_string())
    );
    let links: Vec<&str> = p["links"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if !links.is_empty() {
        let _ = write!(body, "<h3>{}</h3><ul>", ctx.t(Msg::Links));
        for l in links {
            // Only web addresses become links (never `javascript:`).
            if l.starts_with("https://") || l.starts_with("http://") {
                let _ = write!(
                    body,
                    r#"<li><a href="{0}" rel="noopener">{0}</a></li>"#,
                    E(l)
                );
            } else {
                let _ = write!(body, "<li>{}</li>", E(l));
            }
        }
        body.push_str("</ul>");
    }
    body.push_str("</section>");
    Ok(Page {
        title: s(&p["title"]).to_owned(),
        nav: Nav::Search,
        body,
    })
}
