//! `/cooperation`: for cooperation coordinators, a region's pipeline from
//! `cooperationStats`: frameworks signed, implementing agreements reached,
//! implementation, stalled ones; how many signed PKS have measurable work
//! plans and met targets; by stage and partner category; agreements due
//! for evaluation and expiring.

use std::fmt::Write as _;

use axum::response::Response;
use serde_json::json;

use super::html::E;
use super::i18n::{Msg, date, int, label};
use super::layout::{AGREEMENT_FIELDS, Nav, agreement_table};
use super::{Ctx, Fail, Page, region_select, s};

/// The GraphQL document of the page (`AGREEMENT_FIELDS` spliced in).
pub fn query() -> String {
    format!(
        r"query CooperationPage($region: ID!, $from: Date, $to: Date) {{
  cooperationStats(region: $region, from: $from, to: $to) {{
    asOf total region {{ code name }}
    byPartnerCategory {{ withinProvince otherProvinces outsideProvince thirdParties }}
    byStage {{ stage count }}
    funnel {{ frameworksSigned reachedImplementingAgreement reachedImplementation stalledAfterFramework }}
    workPlans {{ signedImplementing withMeasurablePlan withTargetsMet withIndicatorsOffTrack }}
    dueForEvaluation {{ {AGREEMENT_FIELDS} }}
    expiring {{ {AGREEMENT_FIELDS} }}
    stalled {{ {AGREEMENT_FIELDS} }}
  }}
}}"
    )
}

/// `GET /cooperation?region=32&from=2020-01-01&to=2026-12-31`
pub async fn page(ctx: Ctx) -> Response {
    ctx.respond(render(&ctx).await)
}

/// A bar chart as a table: each row a label, its count and a bar as long
/// as the count relative to the largest (the bar is decoration; the count
/// is the text).
pub fn bars(ctx: &Ctx, head: Msg, rows: impl Iterator<Item = (String, i64)>) -> String {
    let rows: Vec<(String, i64)> = rows.collect();
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let mut out = format!(
        r#"<table class="bars"><thead><tr><th scope="col"><span class="sr">{}</span></th><th scope="col">{}</th><th scope="col"><span class="sr">{}</span></th></tr></thead><tbody>"#,
        ctx.t(head),
        ctx.t(Msg::Count),
        ctx.t(Msg::Count),
    );
    for (name, n) in rows {
        let pct = n as f64 * 100.0 / max as f64;
        let _ = write!(
            out,
            r#"<tr><th scope="row">{}</th><td class="num">{}</td><td class="bar" aria-hidden="true"><span style="width:{pct:.0}%"></span></td></tr>"#,
            E(&name),
            int(ctx.lang, n)
        );
    }
    out.push_str("</tbody></table>");
    out
}

async fn render(ctx: &Ctx) -> Result<Page, Fail> {
    let regions = ctx.regions().await?;
    let region = ctx.param("region");
    let from = ctx.param("from");
    let to = ctx.param("to");
    let mut body = format!(
        r#"<p class="lead">{intro}</p><form method="get" action="/cooperation" class="inline"><p><label for="region">{region_l}</label>{select}</p><p><label for="from">{from_l}</label><input id="from" name="from" type="date" value="{from}"></p><p><label for="to">{to_l}</label><input id="to" name="to" type="date" value="{to}"></p><p><button type="submit">{show}</button></p></form>"#,
        intro = ctx.t(Msg::CoopIntro),
        region_l = ctx.t(Msg::Region),
        select = region_select(ctx.lang, "region", "region", &regions, region, true),
        from_l = ctx.t(Msg::From),
        from = E(from.unwrap_or_default()),
        to_l = ctx.t(Msg::To),
        to = E(to.unwrap_or_default()),
        show = ctx.t(Msg::Show),
    );
    let Some(region) = region else {
        return Ok(Page {
            title: ctx.t(Msg::CoopTitle).to_owned(),
            nav: Nav::Cooperation,
            body,
        });
    };
    let data = ctx
        .gql(
            &query(),
            json!({ "region": region, "from": from, "to": to }),
        )
        .await
        .map_err(|f| f.with_form(&body))?;
    let c = &data["cooperationStats"];
    let lang = ctx.lang;
    let _ = write!(
        body,
        r#"<p class="meta"><a href="/regions/{}">{}</a> · {} {} · {}: {}</p>"#,
        E(s(&c["region"]["code"])),
        E(s(&c["region"]["name"])),
        ctx.t(Msg::AsOf),
        date(lang, s(&c["asOf"])),
        ctx.t(Msg::Total),
        int(lang, c["total"].as_i64().unwrap_or_default())
    );
    let f = &c["funnel"];
    let _ = write!(
        body,
        r#"<section aria-labelledby="pl-h"><h2 id="pl-h">{}</h2>{}</section>"#,
        ctx.t(Msg::Pipeline),
        bars(
            ctx,
            Msg::Pipeline,
            [
                (Msg::FrameworksSigned, "frameworksSigned"),
                (Msg::ReachedPks, "reachedImplementingAgreement"),
                (Msg::ReachedImplementation, "reachedImplementation"),
                (Msg::Stalled, "stalledAfterFramework"),
            ]
            .into_iter()
            .map(|(m, k)| (ctx.t(m).to_owned(), f[k].as_i64().unwrap_or_default()))
        )
    );
    let w = &c["workPlans"];
    let _ = write!(
        body,
        r#"<section aria-labelledby="wp-h"><h2 id="wp-h">{}</h2>{}</section>"#,
        ctx.t(Msg::WorkPlans),
        bars(
            ctx,
            Msg::WorkPlans,
            [
                (Msg::PksSigned, "signedImplementing"),
                (Msg::WithPlan, "withMeasurablePlan"),
                (Msg::TargetsMet, "withTargetsMet"),
                (Msg::OffTrackPlans, "withIndicatorsOffTrack"),
            ]
            .into_iter()
            .map(|(m, k)| (ctx.t(m).to_owned(), w[k].as_i64().unwrap_or_default()))
        )
    );
    let cats = &c["byPartnerCategory"];
    let _ = write!(
        body,
        r#"<div class="cols2"><section aria-labelledby="bs-h"><h2 id="bs-h">{}</h2>{}</section><section aria-labelledby="pc-h"><h2 id="pc-h">{}</h2>{}</section></div>"#,
        ctx.t(Msg::ByStage),
        bars(
            ctx,
            Msg::Stage,
            c["byStage"].as_array().into_iter().flatten().map(|b| (
                label(lang, s(&b["stage"])),
                b["count"].as_i64().unwrap_or_default()
            ))
        ),
        ctx.t(Msg::PartnerCategories),
        bars(
            ctx,
            Msg::PartnerCategories,
            [
                (Msg::WithinProvince, "withinProvince"),
                (Msg::OtherProvinces, "otherProvinces"),
                (Msg::OutsideProvince, "outsideProvince"),
                (Msg::ThirdParties, "thirdParties"),
            ]
            .into_iter()
            .map(|(m, k)| (ctx.t(m).to_owned(), cats[k].as_i64().unwrap_or_default()))
        )
    );
    for (id, m, k) in [
        ("due-h", Msg::DueForEvaluation, "dueForEvaluation"),
        ("exp-h", Msg::Expiring, "expiring"),
        ("st-h", Msg::Stalled, "stalled"),
    ] {
        let _ = write!(
            body,
            r#"<section aria-labelledby="{id}"><h2 id="{id}">{}</h2>{}</section>"#,
            ctx.t(m),
            agreement_table(ctx, &c[k])
        );
    }
    Ok(Page {
        title: format!("{} · {}", ctx.t(Msg::CoopTitle), s(&c["region"]["name"])),
        nav: Nav::Cooperation,
        body,
    })
}
