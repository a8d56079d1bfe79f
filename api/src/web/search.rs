//! `/`: search practices with `searchPractices` (typos forgiven), facets
//! with counts, highlighted matches, and every filter in the URL (a GET
//! form), so a result can be shared by its address.

use std::fmt::Write as _;

use axum::response::Response;
use serde_json::{Value, json};

use super::html::{E, query_string, snippet};
use super::i18n::{Msg, int, label};
use super::layout::Nav;
use super::{Ctx, Fail, Page, s};

/// The GraphQL document of the page.
pub const QUERY: &str = r"query SearchPage($q: String!, $filter: PracticeSearchFilter, $sort: PracticeSearchSort, $first: Int, $after: String) {
  searchPractices(query: $q, filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    facets { sector { value count } province { value count region { name } } regionKind { value count } status { value count } }
    edges { highlights { field snippet } node { slug title summary status lookingForAdopters sectors owner { code name } } }
  }
}";

/// Results per page.
const PAGE_SIZE: u32 = 10;

/// `GET /?q=…&sector=…&province=…&kind=…&status=…&adopters=1&measured=1&sort=…&after=…`
pub async fn page(ctx: Ctx) -> Response {
    ctx.respond(render(&ctx).await)
}

async fn render(ctx: &Ctx) -> Result<Page, Fail> {
    let q = ctx.param("q").unwrap_or_default();
    let sectors = ctx.all("sector");
    let provinces = ctx.all("province");
    let kinds = ctx.all("kind");
    let statuses = ctx.all("status");
    let adopters = ctx.param("adopters").is_some();
    let measured = ctx.param("measured").is_some();
    let sort = ctx.param("sort");
    let mut filter = serde_json::Map::new();
    if !sectors.is_empty() {
        filter.insert("sectors".into(), json!(sectors));
    }
    if !provinces.is_empty() {
        filter.insert("provinces".into(), json!(provinces));
    }
    if !kinds.is_empty() {
        filter.insert("ownerRegionKinds".into(), json!(kinds));
    }
    if !statuses.is_empty() {
        filter.insert("statuses".into(), json!(statuses));
    }
    if adopters {
        filter.insert("lookingForAdopters".into(), json!(true));
    }
    if measured {
        filter.insert("hasMeasuredOutcomes".into(), json!(true));
    }
    let data = ctx
        .gql(
            QUERY,
            json!({ "q": q, "filter": filter, "sort": sort, "first": PAGE_SIZE, "after": ctx.param("after") }),
        )
        .await?;
    let conn = &data["searchPractices"];
    let lang = ctx.lang;

    let mut body = String::with_capacity(16 * 1024);
    let _ = write!(
        body,
        r#"<p class="lead">{intro}</p><div class="cols"><form method="get" action="/" role="search" class="filters" aria-label="{search}"><p><label for="q">{kw}</label><input id="q" name="q" type="search" value="{q}" autocomplete="off"> <button type="submit">{search}</button></p><h2>{filters}</h2>"#,
        intro = ctx.t(Msg::SearchIntro),
        search = ctx.t(Msg::SearchButton),
        kw = ctx.t(Msg::Keywords),
        q = E(q),
        filters = ctx.t(Msg::Filters),
    );
    let facets = &conn["facets"];
    facet_boxes(
        ctx,
        &mut body,
        Msg::Sector,
        "sector",
        &facets["sector"],
        &sectors,
        |v, _| label(lang, v),
    );
    facet_boxes(
        ctx,
        &mut body,
        Msg::Province,
        "province",
        &facets["province"],
        &provinces,
        |v, f| {
            f["region"]["name"]
                .as_str()
                .map_or_else(|| v.to_owned(), str::to_owned)
        },
    );
    facet_boxes(
        ctx,
        &mut body,
        Msg::RegionKind,
        "kind",
        &facets["regionKind"],
        &kinds,
        |v, _| label(lang, v),
    );
    facet_boxes(
        ctx,
        &mut body,
        Msg::Status,
        "status",
        &facets["status"],
        &statuses,
        |v, _| label(lang, v),
    );
    let check = |on: bool| if on { " checked" } else { "" };
    let _ = write!(
        body,
        r#"<fieldset><legend>{more}</legend><label><input type="checkbox" name="adopters" value="1"{a}> {adopt}</label><label><input type="checkbox" name="measured" value="1"{m}> {meas}</label></fieldset><p><label for="sort">{sort_l}</label><select id="sort" name="sort">"#,
        more = ctx.t(Msg::MoreFilters),
        a = check(adopters),
        adopt = ctx.t(Msg::LookingForAdopters),
        m = check(measured),
        meas = ctx.t(Msg::Measured),
        sort_l = ctx.t(Msg::Sort),
    );
    for (value, msg) in [
        ("RELEVANCE", Msg::SortRelevance),
        ("MOST_PROVEN", Msg::SortProven),
        ("RECENTLY_VERIFIED", Msg::SortVerified),
    ] {
        let _ = write!(
            body,
            r#"<option value="{value}"{}>{}</option>"#,
            if sort == Some(value) { " selected" } else { "" },
            ctx.t(msg)
        );
    }
    let clear = if q.is_empty() {
        "/".to_owned()
    } else {
        format!("/?{}", query_string(&[("q".into(), q.into())]))
    };
    let _ = write!(
        body,
        r#"</select></p><p><button type="submit">{apply}</button> <a href="{clear}">{clear_l}</a></p></form>"#,
        apply = ctx.t(Msg::Apply),
        clear = E(&clear),
        clear_l = ctx.t(Msg::ClearFilters),
    );

    let total = conn["totalCount"].as_i64().unwrap_or_default();
    let _ = write!(
        body,
        r#"<section aria-labelledby="results-h" class="results"><h2 id="results-h" aria-live="polite">{} {}</h2><p class="hint">{} <button type="button" class="copy" hidden data-done="{}">{}</button></p>"#,
        int(lang, total),
        ctx.t(Msg::PracticesFound),
        ctx.t(Msg::ShareHint),
        ctx.t(Msg::Copied),
        ctx.t(Msg::CopyLink),
    );
    let edges = conn["edges"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if edges.is_empty() {
        let _ = write!(body, "<p>{}</p>", ctx.t(Msg::NoResults));
    } else {
        body.push_str(r#"<ol class="cards">"#);
        for e in edges {
            result(ctx, &mut body, e);
        }
        body.push_str("</ol>");
    }
    if conn["pageInfo"]["hasNextPage"] == true {
        let mut next: Vec<(String, String)> = ctx
            .params
            .iter()
            .filter(|(k, _)| k != "after")
            .cloned()
            .collect();
        next.push(("after".into(), s(&conn["pageInfo"]["endCursor"]).into()));
        let _ = write!(
            body,
            r#"<p><a href="/?{}" rel="next">{}</a></p>"#,
            E(&query_string(&next)),
            ctx.t(Msg::NextPage)
        );
    }
    body.push_str("</section></div>");
    Ok(Page {
        title: ctx.t(Msg::SearchTitle).to_owned(),
        nav: Nav::Search,
        body,
    })
}

/// One result: the title (highlighted when it matched), owner, sectors,
/// and the matched snippets.
fn result(ctx: &Ctx, out: &mut String, edge: &Value) {
    let n = &edge["node"];
    let highlights = edge["highlights"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let hl = |field: &str| {
        highlights
            .iter()
            .find(|h| h["field"] == field)
            .map(|h| snippet(s(&h["snippet"])))
    };
    let title = hl("title").unwrap_or_else(|| E(s(&n["title"])).to_string());
    let summary = hl("summary").unwrap_or_else(|| E(s(&n["summary"])).to_string());
    let _ = write!(
        out,
        r#"<li><h3><a href="/practices/{slug}">{title}</a></h3><p class="meta">{owner_l}: <a href="/regions/{code}">{owner}</a>"#,
        slug = E(s(&n["slug"])),
        owner_l = ctx.t(Msg::Owner),
        code = E(s(&n["owner"]["code"])),
        owner = E(s(&n["owner"]["name"])),
    );
    for sector in n["sectors"].as_array().into_iter().flatten() {
        let _ = write!(
            out,
            r#" <span class="tag">{}</span>"#,
            E(&label(ctx.lang, s(sector)))
        );
    }
    if n["lookingForAdopters"] == true {
        let _ = write!(
            out,
            r#" <span class="tag ok">{}</span>"#,
            ctx.t(Msg::LookingForAdopters)
        );
    }
    let _ = write!(out, "</p><p>{summary}</p>");
    for h in highlights
        .iter()
        .filter(|h| h["field"] != "title" && h["field"] != "summary")
    {
        let _ = write!(
            out,
            r#"<p class="snippet">{}</p>"#,
            snippet(s(&h["snippet"]))
        );
    }
    out.push_str("</li>");
}

/// A fieldset of checkboxes for one facet: each value with its count, and
/// the values already chosen even when the current results have none.
fn facet_boxes(
    ctx: &Ctx,
    out: &mut String,
    legend: Msg,
    name: &str,
    facet: &Value,
    chosen: &[&str],
    name_of: impl Fn(&str, &Value) -> String,
) {
    let values = facet.as_array().map(Vec::as_slice).unwrap_or_default();
    if values.is_empty() && chosen.is_empty() {
        return;
    }
    let _ = write!(out, "<fieldset><legend>{}</legend>", ctx.t(legend));
    for v in values {
        let value = s(&v["value"]);
        let _ = write!(
            out,
            r#"<label><input type="checkbox" name="{name}" value="{}"{}> {} <span class="count">({})</span></label>"#,
            E(value),
            if chosen.contains(&value) {
                " checked"
            } else {
                ""
            },
            E(&name_of(value, v)),
            int(ctx.lang, v["count"].as_i64().unwrap_or_default()),
        );
    }
    for c in chosen
        .iter()
        .filter(|c| !values.iter().any(|v| s(&v["value"]) == **c))
    {
        let _ = write!(
            out,
            r#"<label><input type="checkbox" name="{name}" value="{}" checked> {}</label>"#,
            E(c),
            E(&name_of(c, &Value::Null)),
        );
    }
    out.push_str("</fieldset>");
}
