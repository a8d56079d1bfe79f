//! `/plan`: topics, dates and hosts give `planVisits`' itinerary: the route
//! on the map, the day schedule, a link to the same plan as `.ics`
//! (`/visits/plan.ics`), and, with a token kept in the browser session,
//! saving it with the `saveVisitPlan` mutation (by the script, straight to
//! `/graphql`: the token never reaches a page handler).

use std::fmt::Write as _;

use axum::response::Response;
use serde_json::{Value, json};

use super::html::{E, english, query_string};
use super::i18n::{Lang, Msg, date, int, label};
use super::layout::Nav;
use super::map::{self, Overlay};
use super::{Ctx, Fail, Page, places, region_select, s};

/// The GraphQL document of the page.
pub const QUERY: &str = r"query PlanPage($input: VisitPlanInput!) {
  planVisits(input: $input) {
    from to daysUsed trips totalDistanceKm
    seeker { code name }
    stops { order date trip travel travelMinutes distanceFromPreviousKm topics host { code name }
      practices { topic learningObjective practice { id slug title } } }
    days { day date activities { kind start end description host { code name }
      leg { fromName toName distanceKm travel home } practiceTitles } }
    warnings { code message host topic }
  }
}";

/// Topic fields in the form.
const TOPIC_FIELDS: usize = 3;

/// `GET /plan?seeker=36.02&topic=e-office&topic=desa+digital&from=2026-12-01&to=2026-12-02&maxHosts=3&travelMode=AUTO`
pub async fn page(ctx: Ctx) -> Response {
    ctx.respond(render(&ctx).await)
}

async fn render(ctx: &Ctx) -> Result<Page, Fail> {
    let lang = ctx.lang;
    let regions = ctx.regions().await?;
    let seeker = ctx.param("seeker");
    let topics = ctx.all("topic");
    let today = chrono::Local::now().date_naive();
    let default_from = (today + chrono::Days::new(14))
        .format("%Y-%m-%d")
        .to_string();
    let default_to = (today + chrono::Days::new(15))
        .format("%Y-%m-%d")
        .to_string();
    let from = ctx.param("from");
    let to = ctx.param("to");
    let max_hosts = ctx.param("maxHosts");
    let mode = ctx.param("travelMode");

    let mut body = format!(
        r#"<p class="lead">{intro}</p><form method="get" action="/plan" class="inline"><p><label for="seeker">{seeker_l}</label>{select}</p><fieldset><legend>{topics_l}</legend>"#,
        intro = ctx.t(Msg::PlanIntro),
        seeker_l = ctx.t(Msg::Seeker),
        select = region_select(lang, "seeker", "seeker", &regions, seeker, true),
        topics_l = ctx.t(Msg::Topics),
    );
    for i in 0..TOPIC_FIELDS.max(topics.len()) {
        let _ = write!(
            body,
            r#"<label for="topic{n}"><span class="sr">{t} {n}</span><input id="topic{n}" name="topic" type="text" value="{v}"{req}></label>"#,
            n = i + 1,
            t = ctx.t(Msg::Topic),
            v = E(topics.get(i).copied().unwrap_or_default()),
            req = if i == 0 { " required" } else { "" },
        );
    }
    let _ = write!(
        body,
        r#"</fieldset><p><label for="from">{from_l}</label><input id="from" name="from" type="date" required value="{from}"></p><p><label for="to">{to_l}</label><input id="to" name="to" type="date" required value="{to}"></p><p><label for="maxHosts">{hosts_l}</label><input id="maxHosts" name="maxHosts" type="number" min="1" max="10" value="{hosts}"></p><p><label for="travelMode">{mode_l}</label><select id="travelMode" name="travelMode">"#,
        from_l = ctx.t(Msg::From),
        from = E(from.unwrap_or(&default_from)),
        to_l = ctx.t(Msg::To),
        to = E(to.unwrap_or(&default_to)),
        hosts_l = ctx.t(Msg::MaxHosts),
        hosts = E(max_hosts.unwrap_or("3")),
        mode_l = ctx.t(Msg::TravelMode),
    );
    for m in ["AUTO", "ROAD", "AIR"] {
        let _ = write!(
            body,
            r#"<option value="{m}"{}>{}</option>"#,
            if mode == Some(m) { " selected" } else { "" },
            E(&label(lang, m))
        );
    }
    let _ = write!(
        body,
        r#"</select></p><p><button type="submit">{}</button></p></form>"#,
        ctx.t(Msg::MakePlan)
    );
    let (Some(seeker), Some(from), Some(to), false) = (seeker, from, to, topics.is_empty()) else {
        return Ok(Page {
            title: ctx.t(Msg::PlanTitle).to_owned(),
            nav: Nav::Plan,
            body,
        });
    };

    let mut input = json!({ "seeker": seeker, "topics": topics, "from": from, "to": to });
    if let Some(h) = max_hosts {
        input["maxHosts"] = h.parse::<i64>().map_or_else(|_| json!(h), |n| json!(n));
    }
    if let Some(m) = mode {
        input["travelMode"] = json!(m);
    }
    let data = ctx
        .gql(QUERY, json!({ "input": input }))
        .await
        .map_err(|f| f.with_form(&body))?;
    let plan = &data["planVisits"];
    let stops = plan["stops"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();

    // The same plan as a calendar file: the page's own parameters.
    let mut ics = vec![("seeker".to_owned(), seeker.to_owned())];
    ics.extend(topics.iter().map(|t| ("topic".to_owned(), (*t).to_owned())));
    ics.push(("from".into(), from.into()));
    ics.push(("to".into(), to.into()));
    if let Some(h) = max_hosts {
        ics.push(("maxHosts".into(), h.into()));
    }
    if let Some(m) = mode {
        ics.push(("travelMode".into(), m.into()));
    }
    let _ = write!(
        body,
        r#"<section aria-labelledby="route-h"><h2 id="route-h">{route} · {seeker_name}</h2><p class="meta">{dist}: {km} km · {days_l}: {days}</p><p><a class="button" href="/visits/plan.ics?{ics}" download>{download}</a></p>"#,
        route = ctx.t(Msg::Route),
        seeker_name = E(s(&plan["seeker"]["name"])),
        dist = ctx.t(Msg::TotalDistance),
        km = int(
            lang,
            plan["totalDistanceKm"].as_f64().unwrap_or_default().round() as i64
        ),
        days_l = ctx.t(Msg::DaysUsed),
        days = plan["daysUsed"].as_i64().unwrap_or_default(),
        ics = E(&query_string(&ics)),
        download = ctx.t(Msg::DownloadIcs),
    );
    let warnings = plan["warnings"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if !warnings.is_empty() {
        let _ = write!(
            body,
            r#"<div class="warn" role="note"><h3>{}</h3><ul>"#,
            ctx.t(Msg::Warnings)
        );
        for w in warnings {
            let _ = write!(body, "<li>{}", E(&warning_text(lang, w, &regions)));
            if lang == Lang::Id {
                let _ = write!(
                    body,
                    r#"<br><small>{}</small>"#,
                    english(lang, s(&w["message"]))
                );
            }
            let _ = write!(body, " <code>{}</code></li>", E(s(&w["code"])));
        }
        body.push_str("</ul></div>");
    }
    if stops.is_empty() {
        let _ = write!(body, "<p>{}</p></section>", ctx.t(Msg::NoStops));
        return Ok(Page {
            title: ctx.t(Msg::PlanTitle).to_owned(),
            nav: Nav::Plan,
            body,
        });
    }

    // The map: home, the stops numbered, the route trip by trip.
    let capitals = places(&regions);
    let find = |code: &str| capitals.iter().find(|p| p.code == code);
    let home = find(seeker);
    let mut line = Vec::new();
    let mut overlays = Vec::new();
    let mut trip = None;
    for stop in stops {
        if trip.is_some() && trip != stop["trip"].as_i64() {
            line.extend(home);
        }
        if trip != stop["trip"].as_i64() {
            line.extend(home);
            trip = stop["trip"].as_i64();
        }
        if let Some(p) = find(s(&stop["host"]["code"])) {
            line.push(p);
            overlays.push(Overlay::Point {
                place: p,
                r: 3.0,
                label: format!("{} {}: {}", ctx.t(Msg::Stop), stop["order"], p.name),
                mark: Some(stop["order"].to_string()),
            });
        }
    }
    line.extend(home);
    if let Some(h) = home {
        overlays.push(Overlay::Point {
            place: h,
            r: 2.5,
            label: format!("{}: {}", ctx.t(Msg::Seeker), h.name),
            mark: None,
        });
    }
    overlays.insert(0, Overlay::Line(line));
    let _ = write!(
        body,
        r#"<figure class="mapbox">{}<figcaption>{}. {}</figcaption></figure><ol class="cards">"#,
        map::svg(&capitals, &overlays, ctx.t(Msg::RouteMap)),
        ctx.t(Msg::RouteMap),
        ctx.t(Msg::MapNote)
    );
    for stop in stops {
        let _ = write!(
            body,
            r#"<li><h3>{} {}: <a href="/regions/{}">{}</a></h3><p class="meta">{} · {}: {} ({} km, {} {})</p><ul>"#,
            ctx.t(Msg::Stop),
            stop["order"],
            E(s(&stop["host"]["code"])),
            E(s(&stop["host"]["name"])),
            date(lang, s(&stop["date"])),
            ctx.t(Msg::Travel),
            E(&label(lang, s(&stop["travel"]))),
            int(
                lang,
                stop["distanceFromPreviousKm"]
                    .as_f64()
                    .unwrap_or_default()
                    .round() as i64
            ),
            int(lang, stop["travelMinutes"].as_i64().unwrap_or_default()),
            ctx.t(Msg::Minutes),
        );
        for p in stop["practices"].as_array().into_iter().flatten() {
            let _ = write!(
                body,
                r#"<li><a href="/practices/{}">{}</a> ({}): {}</li>"#,
                E(s(&p["practice"]["slug"])),
                E(s(&p["practice"]["title"])),
                E(s(&p["topic"])),
                english(lang, s(&p["learningObjective"]))
            );
        }
        body.push_str("</ul></li>");
    }
    body.push_str("</ol></section>");

    // The day schedule.
    let _ = write!(
        body,
        r#"<section aria-labelledby="sch-h"><h2 id="sch-h">{}</h2>"#,
        ctx.t(Msg::Schedule)
    );
    for day in plan["days"].as_array().into_iter().flatten() {
        let _ = write!(
            body,
            r#"<div class="scroll"><table><caption>{} {} · {}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
            ctx.t(Msg::Day),
            day["day"],
            date(lang, s(&day["date"])),
            ctx.t(Msg::Start),
            ctx.t(Msg::End),
            ctx.t(Msg::Activity),
        );
        for a in day["activities"].as_array().into_iter().flatten() {
            let _ = write!(
                body,
                r#"<tr><td>{}</td><td>{}</td><td><span class="tag">{}</span> {}</td></tr>"#,
                E(s(&a["start"])),
                E(s(&a["end"])),
                E(&label(lang, s(&a["kind"]))),
                activity_text(lang, a)
            );
        }
        body.push_str("</tbody></table></div>");
    }
    body.push_str("</section>");

    // Saving: the mutation's input, built here, sent by the script.
    let save = save_input(seeker, stops);
    let _ = write!(
        body,
        r#"<section aria-labelledby="save-h"><h2 id="save-h">{title}</h2><noscript><p>{nojs}</p></noscript><form id="save-plan" class="inline" hidden data-saved="{saved}" data-failed="{failed}"><p><label for="token">{token}</label><input id="token" type="password" autocomplete="off" aria-describedby="token-hint"><small id="token-hint">{hint}</small></p><p><button type="submit">{save_b}</button> <button type="button" id="forget-token">{forget}</button></p><div id="save-result" role="status" aria-live="polite"></div></form><script type="application/json" id="plan-input">{json}</script></section>"#,
        title = ctx.t(Msg::SavePlan),
        nojs = ctx.t(Msg::NeedsJs),
        saved = ctx.t(Msg::Saved),
        failed = ctx.t(Msg::SaveFailed),
        token = ctx.t(Msg::Token),
        hint = ctx.t(Msg::TokenHint),
        save_b = ctx.t(Msg::Save),
        forget = ctx.t(Msg::ForgetToken),
        json = script_json(&save),
    );
    Ok(Page {
        title: format!("{} · {}", ctx.t(Msg::PlanTitle), s(&plan["seeker"]["name"])),
        nav: Nav::Plan,
        body,
    })
}

/// The `SaveVisitPlanInput` for the plan's stops: one visit per stop on its
/// day, with its practices and learning objectives.
fn save_input(seeker: &str, stops: &[Value]) -> Value {
    let stops: Vec<Value> = stops
        .iter()
        .map(|stop| {
            let practices = stop["practices"].as_array().map(Vec::as_slice).unwrap_or_default();
            json!({
                "host": stop["host"]["code"],
                "startsOn": stop["date"],
                "practiceIds": practices.iter().map(|p| p["practice"]["id"].clone()).collect::<Vec<_>>(),
                "learningObjectives": practices.iter().map(|p| p["learningObjective"].clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "seeker": seeker, "stops": stops })
}

/// JSON safe inside a `<script>` element: `<` written as `\u003c`, so no
/// text can close the element.
fn script_json(v: &Value) -> String {
    v.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A schedule block in the page's language, from the API's fields (`leg`,
/// `host`, `practiceTitles`); the API's English `description` when they
/// are missing.
fn activity_text(lang: Lang, a: &Value) -> String {
    let leg = &a["leg"];
    if leg.is_object() {
        let km = int(
            lang,
            leg["distanceKm"].as_f64().unwrap_or_default().round() as i64,
        );
        let how = match (lang, s(&leg["travel"])) {
            (Lang::Id, "AIR") => "lewat udara",
            (Lang::Id, _) => "lewat darat",
            (Lang::En, "AIR") => "by air",
            (Lang::En, _) => "by road",
        };
        let home = match (lang, leg["home"].as_bool().unwrap_or(false)) {
            (_, false) => "",
            (Lang::Id, true) => ", pulang",
            (Lang::En, true) => ", home",
        };
        return E(&format!(
            "{} → {} ({km} km {how}{home})",
            s(&leg["fromName"]),
            s(&leg["toName"])
        ))
        .to_string();
    }
    if s(&a["kind"]) == "STUDY" && a["host"].is_object() {
        let titles: Vec<&str> = a["practiceTitles"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let at = if lang == Lang::Id {
            "Studi di"
        } else {
            "Study at"
        };
        return E(&format!(
            "{at} {}: {}",
            s(&a["host"]["name"]),
            titles.join("; ")
        ))
        .to_string();
    }
    english(lang, s(&a["description"]))
}

/// A planner warning in the page's language, from its stable code, host
/// and topic (the API's English message is shown beside it on Indonesian
/// pages).
fn warning_text(lang: Lang, w: &Value, regions: &[super::RegionRow]) -> String {
    let topic = s(&w["topic"]);
    let host_code = s(&w["host"]);
    let host = regions
        .iter()
        .find(|r| r.code == host_code)
        .map_or(host_code, |r| r.name.as_str());
    match (lang, s(&w["code"])) {
        (Lang::Id, "NO_GURU") => {
            format!("Tidak ada daerah dengan praktik yang cocok dengan “{topic}”.")
        }
        (Lang::Id, "NO_EVIDENCED_PRACTICE") => format!(
            "Tidak ada praktik aktif dengan hasil terukur untuk “{topic}”: mintalah bukti hasil kepada tuan rumah sebelum kunjungan."
        ),
        (Lang::Id, "HOST_NOT_AHEAD") => {
            format!("{host} mungkin tidak lebih maju dari daerah Anda dalam “{topic}”.")
        }
        (Lang::Id, "NOT_ENOUGH_DAYS") => {
            format!("{host} tidak masuk rencana: kunjungan tidak muat dalam hari yang tersedia.")
        }
        _ => s(&w["message"]).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let s = script_json(&json!({ "x": "</script><script>alert(1)</script>" }));
        assert!(!s.contains("</script>"));
        let back: Value = serde_json::from_str(&s).unwrap_or_default();
        assert_eq!(back["x"], "</script><script>alert(1)</script>");
    }
}
