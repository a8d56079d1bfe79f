//! The web app for regional officials, served at `/`: server-rendered HTML
//! pages, readable without JavaScript, enhanced by one small script.
//!
//! **Rule:** a page gets its data only through Berguru's public GraphQL API,
//! run in process with [`AppState::execute`] and the caller's viewer, never
//! from the database or the domain directly. So whatever a page shows, a
//! frontend team can get with the same GraphQL document (each page's
//! document is a `const` beside its renderer).
//!
//! | module | what |
//! | --- | --- |
//! | [`search`] | `/`: search practices (`searchPractices`), facets, filters in the URL |
//! | [`practice`] | `/practices/{slug}`: a practice, its evidence, agreements, adopters, visits |
//! | [`region`] | `/regions/{code}`: a region's profile, indices, practices, agreements, `stats` |
//! | [`guru`] | `/guru`: `findGurus` with each reason drawn as a bar, and a map |
//! | [`plan`] | `/plan`: `planVisits` (route on a map, day schedule, `.ics`), saving with a token |
//! | [`cooperation`] | `/cooperation`: `cooperationStats` for coordinators |
//! | [`layout`] | the page shell: landmarks, skip link, menu, language switch |
//! | [`i18n`] | every UI string (Indonesian and English), numbers and dates |
//! | [`map`] | the SVG map of the 552 capitals |
//! | [`html`] | escaping |
//!
//! The CSS and script are compiled into the binary (`api/assets/app/`): no
//! build step, no CDN. Tokens for writing never reach the server's pages:
//! the script keeps them in `sessionStorage` and sends them to `/graphql`.

pub mod cooperation;
pub mod guru;
pub mod html;
pub mod i18n;
pub mod layout;
pub mod map;
pub mod plan;
pub mod practice;
pub mod region;
pub mod search;

use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::Value;

use crate::auth::Viewer;
use crate::http::AppState;
use i18n::{Lang, Msg};

/// The cookie that remembers the language chosen with `?lang=`.
const LANG_COOKIE: &str = "berguru_lang";

/// The app's routes (merged into [`crate::http::app`]).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(search::page))
        .route("/practices/{slug}", get(practice::page))
        .route("/regions/{code}", get(region::page))
        .route("/guru", get(guru::page))
        .route("/plan", get(plan::page))
        .route("/cooperation", get(cooperation::page))
        .route("/assets/app/{file}", get(asset))
}

/// A page's request: its language, parameters and viewer, and the way to
/// the GraphQL API.
pub struct Ctx {
    /// The language of the page.
    pub lang: Lang,
    /// The request path.
    pub path: String,
    /// Query parameters in order, without `lang`.
    pub params: Vec<(String, String)>,
    /// Set when `?lang=` chose the language: the answer sets the cookie.
    set_lang: bool,
    viewer: Viewer,
    state: AppState,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let all = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
            .map(|q| q.0)
            .unwrap_or_default();
        let asked = all
            .iter()
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Lang::parse(v));
        let cookie = parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().strip_prefix(LANG_COOKIE)?.strip_prefix('='))
            .find_map(Lang::parse);
        let mut ctx = Ctx {
            lang: asked.or(cookie).unwrap_or(Lang::Id),
            path: parts.uri.path().to_owned(),
            params: all.into_iter().filter(|(k, _)| k != "lang").collect(),
            set_lang: asked.is_some(),
            viewer: Viewer::Anonymous,
            state: state.clone(),
        };
        match crate::http::graphql::authenticate(state, &parts.headers).await {
            Ok(v) => ctx.viewer = v,
            Err(e) => {
                return Err(ctx.respond(Err(Fail {
                    status: StatusCode::UNAUTHORIZED,
                    code: e.code().to_owned(),
                    message: e.message().to_owned(),
                    from_api: true,
                    form: String::new(),
                })));
            }
        }
        Ok(ctx)
    }
}

/// A rendered page.
pub struct Page {
    /// The `<title>` and first heading.
    pub title: String,
    /// The menu entry to mark as current.
    pub nav: layout::Nav,
    /// The content of `<main>`.
    pub body: String,
}

/// Why a page could not be rendered: a status and the API's error code.
#[derive(Debug)]
pub struct Fail {
    /// HTTP status of the error page.
    pub status: StatusCode,
    /// The stable error code (`NOT_FOUND`, `BAD_USER_INPUT`, ...).
    pub code: String,
    /// What went wrong, for the official.
    pub message: String,
    /// The message is the API's (English) text, not one of the app's.
    pub from_api: bool,
    /// The page's form as the official filled it, shown under the error so
    /// a bad value can be corrected in place (empty: none).
    pub form: String,
}

impl Fail {
    /// A 404 for a record that does not exist.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            code: "NOT_FOUND".into(),
            message: message.into(),
            from_api: false,
            form: String::new(),
        }
    }

    /// The same failure, shown above `form` (the page so far).
    #[must_use]
    pub fn with_form(mut self, form: &str) -> Self {
        form.clone_into(&mut self.form);
        self
    }
}

impl Ctx {
    /// `m` in the page's language.
    pub fn t(&self, m: Msg) -> &'static str {
        self.lang.t(m)
    }

    /// The first non-empty value of parameter `k`, trimmed.
    pub fn param(&self, k: &str) -> Option<&str> {
        self.params
            .iter()
            .filter(|(key, _)| key == k)
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
    }

    /// Every non-empty value of parameter `k`, trimmed.
    pub fn all(&self, k: &str) -> Vec<&str> {
        self.params
            .iter()
            .filter(|(key, _)| key == k)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// Runs a GraphQL document through the public API as the caller, and
    /// returns its `data`; the first error becomes a [`Fail`] with its code.
    pub async fn gql(&self, query: &str, variables: Value) -> Result<Value, Fail> {
        let request = async_graphql::Request::new(query)
            .variables(async_graphql::Variables::from_json(variables))
            .data(self.viewer.clone());
        let response = self.state.execute(request).await;
        if let Some(e) = response.errors.first() {
            let code = e
                .extensions
                .as_ref()
                .and_then(|x| x.get("code"))
                .and_then(|c| match c {
                    async_graphql::Value::String(s) => Some(s.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| "INTERNAL".into());
            let status = match code.as_str() {
                "NOT_FOUND" => StatusCode::NOT_FOUND,
                // The pages' documents are fixed and tested: a validation
                // failure is a parameter value of the wrong type or enum.
                "BAD_USER_INPUT" | "GRAPHQL_VALIDATION_FAILED" => StatusCode::BAD_REQUEST,
                "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
                "FORBIDDEN" => StatusCode::FORBIDDEN,
                "SEARCH_UNAVAILABLE" => StatusCode::SERVICE_UNAVAILABLE,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            return Err(Fail {
                status,
                code,
                message: e.message.clone(),
                from_api: true,
                form: String::new(),
            });
        }
        response.data.into_json().map_err(|_| Fail {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "INTERNAL".into(),
            message: "the API's answer could not be read".into(),
            from_api: true,
            form: String::new(),
        })
    }

    /// Every region with its capital's coordinates (for maps and region
    /// pickers), read page by page from `regions`.
    pub async fn regions(&self) -> Result<Vec<RegionRow>, Fail> {
        const REGIONS: &str = "query($first: Int, $after: String) { regions(first: $first, after: $after) { nodes { code name kind provinceCode latitude longitude } pageInfo { hasNextPage endCursor } } }";
        let mut out = Vec::with_capacity(560);
        let mut after = Value::Null;
        loop {
            let d = self
                .gql(
                    REGIONS,
                    serde_json::json!({ "first": self.state.limits.max_page_size, "after": after }),
                )
                .await?;
            let conn = &d["regions"];
            for n in conn["nodes"].as_array().into_iter().flatten() {
                out.push(RegionRow {
                    code: s(&n["code"]).to_owned(),
                    name: s(&n["name"]).to_owned(),
                    kind: s(&n["kind"]).to_owned(),
                    province_code: n["provinceCode"].as_str().map(str::to_owned),
                    lat: n["latitude"].as_f64(),
                    lon: n["longitude"].as_f64(),
                });
            }
            if conn["pageInfo"]["hasNextPage"] != true || out.len() > 100_000 {
                return Ok(out);
            }
            after = conn["pageInfo"]["endCursor"].clone();
        }
    }

    /// The HTML answer for a page (or its error page), in the page's
    /// language, setting the language cookie when `?lang=` chose it.
    pub fn respond(&self, page: Result<Page, Fail>) -> Response {
        let (status, html) = match page {
            Ok(p) => (StatusCode::OK, layout::render(self, &p)),
            Err(f) => (
                f.status,
                layout::render(self, &layout::error_page(self, &f)),
            ),
        };
        let mut response = (
            status,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            html,
        )
            .into_response();
        if self.set_lang
            && let Ok(v) = HeaderValue::from_str(&format!(
                "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                self.lang.code()
            ))
        {
            response.headers_mut().insert(header::SET_COOKIE, v);
        }
        response
    }

    /// The current URL with `lang` set to `lang` (the language switch).
    pub fn url_in(&self, lang: Lang) -> String {
        let mut pairs = self.params.clone();
        pairs.push(("lang".into(), lang.code().into()));
        format!("{}?{}", self.path, html::query_string(&pairs))
    }
}

/// A region as the pickers and the map need it.
#[derive(Clone, Debug)]
pub struct RegionRow {
    /// Kemendagri code.
    pub code: String,
    /// Name.
    pub name: String,
    /// `PROVINCE`, `REGENCY` or `CITY`.
    pub kind: String,
    /// The province's code (none for a province).
    pub province_code: Option<String>,
    /// Latitude of the capital.
    pub lat: Option<f64>,
    /// Longitude of the capital.
    pub lon: Option<f64>,
}

/// The regions that have coordinates, as map places.
pub fn places(rows: &[RegionRow]) -> Vec<map::Place> {
    rows.iter()
        .filter_map(|r| {
            Some(map::Place {
                code: r.code.clone(),
                name: r.name.clone(),
                lat: r.lat?,
                lon: r.lon?,
            })
        })
        .collect()
}

/// A `<select>` of every region grouped by province, `selected` chosen.
pub fn region_select(
    lang: Lang,
    id: &str,
    name: &str,
    rows: &[RegionRow],
    selected: Option<&str>,
    required: bool,
) -> String {
    use std::fmt::Write as _;
    let mut out = format!(
        r#"<select id="{id}" name="{name}"{}><option value="">{}</option>"#,
        if required { " required" } else { "" },
        lang.t(Msg::Choose)
    );
    for p in rows.iter().filter(|r| r.kind == "PROVINCE") {
        let _ = write!(out, r#"<optgroup label="{}">"#, html::E(&p.name));
        let members = std::iter::once(p).chain(
            rows.iter()
                .filter(|r| r.province_code.as_deref() == Some(p.code.as_str())),
        );
        for r in members {
            let _ = write!(
                out,
                r#"<option value="{}"{}>{}</option>"#,
                html::E(&r.code),
                if selected == Some(r.code.as_str()) {
                    " selected"
                } else {
                    ""
                },
                html::E(&r.name)
            );
        }
        out.push_str("</optgroup>");
    }
    out.push_str("</select>");
    out
}

/// A JSON string value, or `""`.
pub fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// The unknown path: the app's 404 page.
pub async fn not_found(ctx: Ctx) -> Response {
    ctx.respond(Err(Fail::not_found(ctx.t(Msg::NotFoundText))))
}

/// The app's CSS and script, compiled into the binary.
async fn asset(axum::extract::Path(file): axum::extract::Path<String>) -> Response {
    let (body, content_type) = match file.as_str() {
        "app.css" => (
            include_str!("../../assets/app/app.css"),
            "text/css; charset=utf-8",
        ),
        "app.js" => (
            include_str!("../../assets/app/app.js"),
            "text/javascript; charset=utf-8",
        ),
        _ => return (StatusCode::NOT_FOUND, "not found").into_response(),
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    /// The module's rule, held: no page reaches past the public API.
    #[test]
    fn pages_use_only_the_public_graphql_api() {
        let sources = [
            ("mod.rs", include_str!("mod.rs")),
            ("cooperation.rs", include_str!("cooperation.rs")),
            ("guru.rs", include_str!("guru.rs")),
            ("html.rs", include_str!("html.rs")),
            ("i18n.rs", include_str!("i18n.rs")),
            ("layout.rs", include_str!("layout.rs")),
            ("map.rs", include_str!("map.rs")),
            ("plan.rs", include_str!("plan.rs")),
            ("practice.rs", include_str!("practice.rs")),
            ("region.rs", include_str!("region.rs")),
            ("search.rs", include_str!("search.rs")),
        ];
        let forbidden = [
            concat!("crate::", "domain"),
            concat!("crate::", "search_sync"),
            concat!("sea_", "orm"),
            concat!("entity", "::"),
            concat!("state.", "db"),
        ];
        for (file, text) in sources {
            for f in forbidden {
                assert!(!text.contains(f), "web/{file} uses {f}");
            }
        }
    }
}
