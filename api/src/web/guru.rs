//! `/guru`: a seeker region and a topic give the ranked gurus of
//! `findGurus`, each reason's contribution to the score drawn as a bar,
//! and the gurus on the map as points sized by score.

use std::fmt::Write as _;

use axum::response::Response;
use serde_json::{Value, json};

use super::html::{E, english, query_string};
use super::i18n::{Msg, fill, int, label, number};
use super::layout::Nav;
use super::map::{self, Overlay};
use super::{Ctx, Fail, Page, places, region_select, s};

/// The GraphQL document of the page.
pub const QUERY: &str = r"query GuruPage($seeker: ID!, $topic: String!, $first: Int) {
  findGurus(seeker: $seeker, topic: $topic, first: $first) {
    score distanceKm likeness behindSeeker
    region { code name province { name } }
    reasons { factor text contribution }
    practices { measured agreements completedAdoptions adoptionsUnderWay visitsHosted practice { slug title } }
  }
}";

/// Gurus shown.
const FIRST: u32 = 5;

/// `GET /guru?seeker=36.02&topic=e-office`
pub async fn page(ctx: Ctx) -> Response {
    ctx.respond(render(&ctx).await)
}

async fn render(ctx: &Ctx) -> Result<Page, Fail> {
    let lang = ctx.lang;
    let regions = ctx.regions().await?;
    let seeker = ctx.param("seeker");
    let topic = ctx.param("topic");
    let mut body = format!(
        r#"<p class="lead">{intro}</p><form method="get" action="/guru" class="inline"><p><label for="seeker">{seeker_l}</label>{select}</p><p><label for="topic">{topic_l}</label><input id="topic" name="topic" type="text" required value="{topic}" aria-describedby="topic-hint"><small id="topic-hint">{hint}</small></p><p><button type="submit">{find}</button></p></form>"#,
        intro = ctx.t(Msg::GuruIntro),
        seeker_l = ctx.t(Msg::Seeker),
        select = region_select(lang, "seeker", "seeker", &regions, seeker, true),
        topic_l = ctx.t(Msg::Topic),
        topic = E(topic.unwrap_or_default()),
        hint = ctx.t(Msg::TopicHint),
        find = ctx.t(Msg::FindButton),
    );
    let (Some(seeker), Some(topic)) = (seeker, topic) else {
        return Ok(Page {
            title: ctx.t(Msg::GuruTitle).to_owned(),
            nav: Nav::Guru,
            body,
        });
    };
    let data = ctx
        .gql(
            QUERY,
            json!({ "seeker": seeker, "topic": topic, "first": FIRST }),
        )
        .await
        .map_err(|f| f.with_form(&body))?;
    let gurus = data["findGurus"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let seeker_name = regions
        .iter()
        .find(|r| r.code == seeker)
        .map_or(seeker, |r| r.name.as_str());
    let _ = write!(
        body,
        r#"<section aria-labelledby="res-h"><h2 id="res-h">{} · {} · “{}”</h2>"#,
        ctx.t(Msg::Results),
        E(seeker_name),
        E(topic)
    );
    if gurus.is_empty() {
        let _ = write!(body, "<p>{}</p></section>", ctx.t(Msg::NoGurus));
        return Ok(Page {
            title: ctx.t(Msg::GuruTitle).to_owned(),
            nav: Nav::Guru,
            body,
        });
    }
    let top = gurus
        .iter()
        .filter_map(|g| g["score"].as_f64())
        .fold(0.0_f64, f64::max)
        .max(f64::EPSILON);

    // The map: the seeker as a ring, gurus sized by score, numbered.
    let capitals = places(&regions);
    let find = |code: &str| capitals.iter().find(|p| p.code == code);
    let mut overlays = Vec::new();
    if let Some(p) = find(seeker) {
        overlays.push(Overlay::Point {
            place: p,
            r: 2.5,
            label: format!("{}: {}", ctx.t(Msg::Seeker), p.name),
            mark: None,
        });
    }
    for (i, g) in gurus.iter().enumerate() {
        if let Some(p) = find(s(&g["region"]["code"])) {
            let score = g["score"].as_f64().unwrap_or_default();
            overlays.push(Overlay::Point {
                place: p,
                r: 2.0 + 5.0 * score / top,
                label: format!(
                    "{}. {} ({} {})",
                    i + 1,
                    p.name,
                    ctx.t(Msg::Score),
                    number(lang, score, 2)
                ),
                mark: Some((i + 1).to_string()),
            });
        }
    }
    let _ = write!(
        body,
        r#"<figure class="mapbox">{}<figcaption>{}. {}</figcaption></figure><ol class="cards gurus">"#,
        map::svg(&capitals, &overlays, ctx.t(Msg::GuruMap)),
        ctx.t(Msg::GuruMap),
        ctx.t(Msg::MapNote)
    );
    for g in gurus {
        guru(ctx, &mut body, g, top);
    }
    let today = chrono::Local::now().date_naive();
    let plan = query_string(&[
        ("seeker".into(), seeker.into()),
        ("topic".into(), topic.into()),
        (
            "from".into(),
            (today + chrono::Days::new(14))
                .format("%Y-%m-%d")
                .to_string(),
        ),
        (
            "to".into(),
            (today + chrono::Days::new(15))
                .format("%Y-%m-%d")
                .to_string(),
        ),
    ]);
    let _ = write!(
        body,
        r#"</ol><p><a class="button" href="/plan?{}">{}</a></p></section>"#,
        E(&plan),
        ctx.t(Msg::PlanWith)
    );
    Ok(Page {
        title: format!("{} · {}", ctx.t(Msg::GuruTitle), topic),
        nav: Nav::Guru,
        body,
    })
}

/// One guru: name, score, each reason with its contribution as a bar (as
/// long as the contribution relative to the best guru's score), and the
/// matching practices.
fn guru(ctx: &Ctx, out: &mut String, g: &Value, top: f64) {
    let lang = ctx.lang;
    let r = &g["region"];
    let score = g["score"].as_f64().unwrap_or_default();
    let _ = write!(
        out,
        r#"<li><h3><a href="/regions/{}">{}</a></h3><p class="meta">"#,
        E(s(&r["code"])),
        E(s(&r["name"])),
    );
    if let Some(p) = r["province"]["name"].as_str() {
        let _ = write!(out, "{} · ", E(p));
    }
    if let Some(d) = g["distanceKm"].as_f64() {
        let _ = write!(
            out,
            "{} {} km · ",
            ctx.t(Msg::Distance),
            int(lang, d.round() as i64)
        );
    }
    let _ = write!(
        out,
        r#"<strong>{} {}</strong></p>"#,
        ctx.t(Msg::Score),
        number(lang, score, 2)
    );
    if g["behindSeeker"] == true {
        let _ = write!(out, r#"<p class="warn">{}</p>"#, ctx.t(Msg::BehindSeeker));
    }
    let _ = write!(
        out,
        r#"<table class="bars reasons"><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col"><span class="sr">{}</span></th></tr></thead><tbody>"#,
        ctx.t(Msg::Reasons),
        ctx.t(Msg::Factor),
        ctx.t(Msg::Contribution),
        ctx.t(Msg::Chart),
    );
    for reason in g["reasons"].as_array().into_iter().flatten() {
        let c = reason["contribution"].as_f64().unwrap_or_default();
        let factor = s(&reason["factor"]);
        let _ = write!(
            out,
            r#"<tr><th scope="row">{}{}<small>{}</small></th><td class="num">{}</td><td class="bar f-{}" aria-hidden="true"><span style="width:{:.1}%"></span></td></tr>"#,
            E(&label(lang, factor)),
            summary(ctx, factor, g).map_or_else(String::new, |t| format!(": {}", E(&t))),
            english(lang, s(&reason["text"])),
            number(lang, c, 2),
            factor.to_ascii_lowercase(),
            (c / top * 100.0).clamp(0.0, 100.0)
        );
    }
    out.push_str("</tbody></table>");
    let practices = g["practices"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if !practices.is_empty() {
        let _ = write!(out, "<p>{}: ", ctx.t(Msg::MatchingPractices));
        let links: Vec<String> = practices
            .iter()
            .map(|p| {
                format!(
                    r#"<a href="/practices/{}">{}</a>"#,
                    E(s(&p["practice"]["slug"])),
                    E(s(&p["practice"]["title"]))
                )
            })
            .collect();
        out.push_str(&links.join(", "));
        out.push_str("</p>");
    }
    out.push_str("</li>");
}

/// A reason in the page's language, from the suggestion's figures (the
/// API's `text` is English and stays beside it as the detail); `None` for
/// a factor without figures of its own.
fn summary(ctx: &Ctx, factor: &str, g: &Value) -> Option<String> {
    let lang = ctx.lang;
    let practices = g["practices"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let n = |k: &str| -> i64 { practices.iter().filter_map(|p| p[k].as_i64()).sum() };
    let count = |x: usize| int(lang, i64::try_from(x).unwrap_or(i64::MAX));
    Some(match factor {
        "RELEVANCE" => fill(ctx.t(Msg::ReasonRelevance), &[count(practices.len())]),
        "EVIDENCE" => fill(
            ctx.t(Msg::ReasonEvidence),
            &[
                count(practices.iter().filter(|p| p["measured"] == true).count()),
                count(practices.len()),
            ],
        ),
        "TRANSFERS" => fill(
            ctx.t(Msg::ReasonTransfers),
            &[
                int(lang, n("completedAdoptions")),
                int(lang, n("agreements")),
                int(lang, n("visitsHosted")),
                int(lang, n("adoptionsUnderWay")),
            ],
        ),
        "LIKENESS" => fill(
            ctx.t(Msg::ReasonLikeness),
            &[number(lang, g["likeness"].as_f64()? * 100.0, 0)],
        ),
        "DISTANCE" => fill(
            ctx.t(Msg::ReasonDistance),
            &[int(lang, g["distanceKm"].as_f64()?.round() as i64)],
        ),
        _ => return None,
    })
}
