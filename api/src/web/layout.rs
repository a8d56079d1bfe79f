//! The page shell every page shares: `lang` attribute, skip link, header
//! with the menu and the language switch, `<main>`, footer.

use std::fmt::Write as _;

use super::html::E;
use super::i18n::Msg;
use super::{Ctx, Fail, Page};

/// The menu entries; the current one is marked `aria-current="page"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    /// Search (`/`), practices and regions.
    Search,
    /// `/guru`.
    Guru,
    /// `/plan`.
    Plan,
    /// `/cooperation`.
    Cooperation,
    /// None (error pages).
    None,
}

/// The whole HTML document of `page`.
pub fn render(ctx: &Ctx, page: &Page) -> String {
    let lang = ctx.lang;
    let mut out = String::with_capacity(page.body.len() + 2048);
    let _ = write!(
        out,
        r##"<!doctype html><html lang="{code}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title} · Berguru</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/assets/app/app.css"><script src="/assets/app/app.js" defer></script></head><body><a class="skip" href="#main">{skip}</a><header class="top"><div class="topbar"><a class="brand" href="/">Berguru</a> <span class="tagline">{tagline}</span> <a class="lang" href="{switch}" hreflang="{other}" lang="{other}">{switch_label}</a></div><nav aria-label="{menu}"><ul>"##,
        code = lang.code(),
        title = E(&page.title),
        skip = ctx.t(Msg::SkipToContent),
        tagline = ctx.t(Msg::Tagline),
        switch = E(&ctx.url_in(lang.other())),
        other = lang.other().code(),
        switch_label = ctx.t(Msg::SwitchTo),
        menu = ctx.t(Msg::MainNav),
    );
    for (nav, href, msg) in [
        (Nav::Search, "/", Msg::NavSearch),
        (Nav::Guru, "/guru", Msg::NavGuru),
        (Nav::Plan, "/plan", Msg::NavPlan),
        (Nav::Cooperation, "/cooperation", Msg::NavCoop),
    ] {
        let _ = write!(
            out,
            r#"<li><a href="{href}"{}>{}</a></li>"#,
            if nav == page.nav {
                r#" aria-current="page""#
            } else {
                ""
            },
            ctx.t(msg)
        );
    }
    let _ = write!(
        out,
        r#"</ul></nav></header><main id="main" tabindex="-1"><h1>{}</h1>{}</main><footer><p>{} <a href="/graphiql">{}</a></p></footer></body></html>"#,
        E(&page.title),
        page.body,
        ctx.t(Msg::FooterApi),
        ctx.t(Msg::FooterGraphiql),
    );
    out
}

/// The page for a [`Fail`]: what happened and its code, and a way back.
pub fn error_page(ctx: &Ctx, fail: &Fail) -> Page {
    let title = if fail.status == axum::http::StatusCode::NOT_FOUND {
        ctx.t(Msg::NotFoundTitle)
    } else {
        ctx.t(Msg::ErrorTitle)
    };
    Page {
        title: title.to_owned(),
        nav: Nav::None,
        body: format!(
            r#"<p class="error" role="alert">{} <code>{}</code></p>{}<p><a href="/">{}</a></p>"#,
            if fail.from_api {
                super::html::english(ctx.lang, &fail.message)
            } else {
                E(&fail.message).to_string()
            },
            E(&fail.code),
            fail.form,
            ctx.t(Msg::BackToSearch)
        ),
    }
}

/// The fields of an agreement the tables show (a GraphQL selection).
pub const AGREEMENT_FIELDS: &str =
    "id title stage signedOn validUntil parties { region { code name } thirdPartyName }";

/// A table of agreements (selected with [`AGREEMENT_FIELDS`]): title,
/// parties (regions linked), stage, signing and end dates.
pub fn agreement_table(ctx: &Ctx, agreements: &serde_json::Value) -> String {
    use super::i18n::{date, label};
    use super::s;
    let rows = agreements.as_array().map(Vec::as_slice).unwrap_or_default();
    if rows.is_empty() {
        return format!("<p>{}</p>", ctx.t(Msg::NoneListed));
    }
    let mut out = format!(
        r#"<div class="scroll"><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        ctx.t(Msg::Title),
        ctx.t(Msg::Parties),
        ctx.t(Msg::Stage),
        ctx.t(Msg::SignedOn),
        ctx.t(Msg::ValidUntil),
    );
    for a in rows {
        let parties: Vec<String> = a["parties"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| match p["region"]["code"].as_str() {
                Some(code) => format!(
                    r#"<a href="/regions/{}">{}</a>"#,
                    E(code),
                    E(s(&p["region"]["name"]))
                ),
                None => E(s(&p["thirdPartyName"])).to_string(),
            })
            .collect();
        let day = |v: &serde_json::Value| v.as_str().map(|d| date(ctx.lang, d)).unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            E(s(&a["title"])),
            parties.join(", "),
            E(&label(ctx.lang, s(&a["stage"]))),
            day(&a["signedOn"]),
            day(&a["validUntil"]),
        );
    }
    out.push_str("</tbody></table></div>");
    out
}
