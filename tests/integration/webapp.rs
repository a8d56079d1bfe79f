//! The web app for officials (`/` and its pages), fetched over the router
//! in process as a browser without JavaScript would: each page's content,
//! the language switch, escaping of user text, and 404s.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::*;

/// GETs `path` (with an optional `Cookie`); status, body and `Set-Cookie`.
async fn get(
    app: &TestApp,
    path: &str,
    cookie: Option<&str>,
) -> (StatusCode, String, Option<String>) {
    let mut req = Request::get(path);
    if let Some(c) = cookie {
        req = req.header(header::COOKIE, c);
    }
    let resp = api::app(app.state.clone())
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    assert!(
        resp.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{path}"
    );
    let set_cookie = resp
        .headers()
        .get(header::SET_COOKIE)
        .map(|v| v.to_str().unwrap().to_owned());
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        String::from_utf8(body.to_vec()).unwrap(),
        set_cookie,
    )
}

/// GETs a page that must answer 200.
async fn page(app: &TestApp, path: &str) -> String {
    let (status, body, _) = get(app, path, None).await;
    assert_eq!(status, StatusCode::OK, "{path}: {body}");
    body
}

/// The text of `<main>`.
fn main_of(body: &str) -> &str {
    let start = body.find("<main").expect("a main landmark");
    let end = body.find("</main>").expect("main closes");
    &body[start..end]
}

scenario!(
    the_home_page_is_the_practice_search_and_graphiql_moved,
    with_demo,
    |app| async move {
        let home = page(&app, "/").await;
        assert!(home.contains(r#"<html lang="id">"#));
        assert!(home.contains("Cari praktik baik"));
        assert!(
            !home.contains("graphiql.min.js"),
            "GraphiQL is no longer at /"
        );
        // Landmarks, skip link, labelled search box, the API's GraphiQL linked.
        for part in [
            r##"<a class="skip" href="#main">"##,
            r#"<main id="main""#,
            "<nav aria-label=",
            r#"<label for="q">"#,
            r#"href="/graphiql""#,
            r#"href="/assets/app/app.css""#,
        ] {
            assert!(home.contains(part), "{part}");
        }
        // With no query every practice is listed.
        assert!(home.contains("/practices/sumedang-e-office"));
        assert!(home.contains("/practices/jabar-desa-digital"));
        let graphiql = page(&app, "/graphiql").await;
        assert!(graphiql.contains("/assets/graphiql/graphiql.min.js"));
        app.close().await;
    }
);

scenario!(
    search_forgives_typos_highlights_and_keeps_filters_in_the_url,
    with_demo,
    |app| async move {
        let body = page(&app, "/?q=e-ofice").await;
        let main = main_of(&body);
        assert!(
            main.contains(r#"href="/practices/sumedang-e-office""#),
            "{main}"
        );
        assert!(main.contains("<mark>"), "the match is highlighted: {main}");
        assert!(
            main.contains(r#"value="e-ofice""#),
            "the query stays in the box"
        );
        // Facets with counts, as checkboxes of the GET form.
        assert!(
            main.contains(r#"name="sector" value="E_GOVERNMENT""#),
            "{main}"
        );
        // A filter from the URL applies and shows checked.
        let body = page(&app, "/?q=e-ofice&sector=E_GOVERNMENT").await;
        let main = main_of(&body);
        assert!(main.contains(r#"value="E_GOVERNMENT" checked"#), "{main}");
        assert!(main.contains("/practices/sumedang-e-office"));
        let body = page(&app, "/?q=e-ofice&sector=TOURISM").await;
        let main = main_of(&body);
        assert!(!main.contains("/practices/sumedang-e-office"), "{main}");
        assert!(main.contains(r#"value="TOURISM" checked"#));
        // A value the API refuses is a 400 page naming the code.
        let (status, body, _) = get(&app, "/?sector=NOT_A_SECTOR", None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("<code>"), "{body}");
        app.close().await;
    }
);

scenario!(
    the_practice_page_shows_owner_evidence_and_adopters,
    with_demo,
    |app| async move {
        let body = page(&app, "/practices/sumedang-e-office").await;
        let main = main_of(&body);
        assert!(main.contains("<h1>"), "{main}");
        assert!(
            main.contains(r#"<a href="/regions/32.11">Kabupaten Sumedang</a>"#),
            "the owner: {main}"
        );
        for heading in [
            "Ringkasan",
            "Bukti dan hasil",
            "Kesepakatan",
            "Pengadopsi menurut tahap",
            "Kunjungan",
            "Kontak",
        ] {
            assert!(main.contains(heading), "{heading}");
        }
        // Desa Digital's outcome, in Indonesian number format.
        let body = page(&app, "/practices/jabar-desa-digital").await;
        assert!(main_of(&body).contains("6,82"), "{body}");
        let body = page(&app, "/practices/jabar-desa-digital?lang=en").await;
        assert!(main_of(&body).contains("6.82"));
        app.close().await;
    }
);

scenario!(
    the_guru_page_ranks_sumedang_first_for_lebak_with_reasons_as_bars,
    with_demo,
    |app| async move {
        let body = page(&app, "/guru?seeker=36.02&topic=e-office").await;
        let main = main_of(&body);
        let list = &main[main.find(r#"class="cards gurus""#).expect("ranked gurus")..];
        let first = list.find("/regions/").expect("a guru");
        assert!(
            list[first..].starts_with(r#"/regions/32.11">Kabupaten Sumedang"#),
            "Sumedang first: {list}"
        );
        // Its reasons, each with its contribution drawn as a bar.
        let first_guru = &list[..list.find("</li>").unwrap()];
        assert!(
            first_guru.contains("Relevansi: 1 praktik cocok dengan topik"),
            "{first_guru}"
        );
        assert!(
            first_guru
                .contains("Alih praktik terbukti: 0 adopsi selesai, 2 kesepakatan ditandatangani")
        );
        // The API's English detail is marked as English on an Indonesian page.
        assert!(
            first_guru.contains(r#"<small><span lang="en">1 matching practice"#),
            "{first_guru}"
        );
        assert!(
            first_guru.matches(r#"<td class="bar"#).count() >= 2,
            "{first_guru}"
        );
        assert!(first_guru.contains("style=\"width:"));
        // The map: the archipelago, the gurus as points.
        assert!(main.contains(r#"<svg class="map""#));
        assert!(main.contains("<circle"));
        // The seeker stays chosen in the form.
        assert!(main.contains(r#"<option value="36.02" selected>"#));
        app.close().await;
    }
);

scenario!(
    the_plan_page_draws_the_route_and_its_save_input_is_accepted,
    with_demo,
    |app| async move {
        let body = page(
            &app,
            "/plan?seeker=36.02&topic=e-office&topic=desa+digital&from=2026-12-01&to=2026-12-02",
        )
        .await;
        let main = main_of(&body);
        assert!(main.contains("Kabupaten Sumedang"), "{main}");
        assert!(
            main.contains("1 Desember 2026"),
            "dates in Indonesian: {main}"
        );
        assert!(main.contains(r#"<polyline class="route""#));
        assert!(main.contains(
            "/visits/plan.ics?seeker=36.02&amp;topic=e-office&amp;topic=desa+digital&amp;from=2026-12-01&amp;to=2026-12-02"
        ));
        // The schedule in Indonesian, worded from the API's fields (leg,
        // practiceTitles), not its English description.
        assert!(main.contains("Studi di Kabupaten Sumedang: "), "{main}");
        assert!(main.contains("km lewat darat"), "{main}");
        assert!(main.contains(", pulang)"), "{main}");
        assert!(
            !main.contains("by road") && !main.contains("Study at"),
            "English schedule text on an Indonesian page: {main}"
        );
        let en = page(
            &app,
            "/plan?seeker=36.02&topic=e-office&from=2026-12-01&to=2026-12-02&lang=en",
        )
        .await;
        let en = main_of(&en);
        assert!(
            en.contains("Study at Kabupaten Sumedang: ") && en.contains("km by road"),
            "{en}"
        );
        // The calendar it links to.
        let (status, ics, _) = app
            .http(
                Request::get("/visits/plan.ics?seeker=36.02&topic=e-office&topic=desa+digital&from=2026-12-01&to=2026-12-02")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(ics.starts_with("BEGIN:VCALENDAR") && ics.contains("BEGIN:VEVENT"));
        // The script sends this input to saveVisitPlan with the official's token.
        let start = main
            .find(r#"<script type="application/json" id="plan-input">"#)
            .unwrap();
        let json_text = &main[start..];
        let json_text =
            &json_text[json_text.find('>').unwrap() + 1..json_text.find("</script>").unwrap()];
        let input: Value = serde_json::from_str(json_text).unwrap();
        let lebak = app.token("editor", Some("36.02")).await;
        let d = app
            .data_as(
                &lebak,
                "mutation($input: SaveVisitPlanInput!) { saveVisitPlan(input: $input) { visits { host { code } startsOn } } }",
                json!({ "input": input }),
            )
            .await;
        let visits = d["saveVisitPlan"]["visits"].as_array().unwrap();
        assert!(!visits.is_empty());
        assert!(
            visits.iter().any(|v| v["host"]["code"] == "32.11"),
            "{visits:?}"
        );
        // A bad value is refused with its code, the form kept as filled.
        let (status, body, _) = get(
            &app,
            "/plan?seeker=36.02&topic=e-office&from=2026-12-05&to=2026-12-01",
            None,
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(body.contains("<code>BAD_USER_INPUT</code>"), "{body}");
        assert!(
            body.contains(r#"value="2026-12-05""#)
                && body.contains(r#"<option value="36.02" selected>"#)
        );
        // No token ever appears in a page: the form has no server action.
        assert!(!main.contains(&lebak));
        assert!(!main.contains(r#"<form id="save-plan" method"#));
        app.close().await;
    }
);

scenario!(
    region_and_cooperation_pages_show_stats_and_the_pipeline,
    with_demo,
    |app| async move {
        let body = page(&app, "/regions/32").await;
        let main = main_of(&body);
        assert!(body.contains("<h1>Jawa Barat</h1>"));
        // Partner categories as `stats` counts them: 4 outside the province.
        let row = main
            .find("Kabupaten/kota provinsi lain</th>")
            .expect("partner category row");
        assert!(
            main[row..].starts_with(r#"Kabupaten/kota provinsi lain</th><td class="num">4</td>"#),
            "{}",
            &main[row..row + 120]
        );
        assert!(main.contains("/practices/jabar-desa-digital"));
        let body = page(&app, "/cooperation?region=32").await;
        let main = main_of(&body);
        assert!(
            main.contains("Kesepakatan Bersama ditandatangani"),
            "{main}"
        );
        assert!(main.contains("Perlu dievaluasi"));
        assert!(main.contains("Segera berakhir"));
        assert!(main.contains("Rencana kerja terukur"), "{main}");
        assert!(main.contains(r#"PKS ditandatangani</th><td class="num">"#));
        let form = page(&app, "/cooperation").await;
        assert!(form.contains(r#"<select id="region" name="region" required>"#));
        app.close().await;
    }
);

scenario!(
    the_english_switch_changes_the_strings_and_is_remembered,
    with_demo,
    |app| async move {
        let (status, body, cookie) = get(&app, "/guru?lang=en", None).await;
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains(r#"<html lang="en">"#));
        assert!(body.contains("Search practices") && body.contains("Find a guru"));
        assert!(!body.contains("Cari praktik"));
        let cookie = cookie.expect("the choice is remembered");
        assert!(cookie.starts_with("berguru_lang=en"), "{cookie}");
        // The switch links back to Indonesian on the same page.
        assert!(body.contains(r#"href="/guru?lang=id""#), "{body}");
        let (_, body, _) = get(&app, "/", Some("berguru_lang=en")).await;
        assert!(body.contains(r#"<html lang="en">"#) && body.contains("practices found"));
        let (_, body, _) = get(&app, "/", None).await;
        assert!(body.contains("praktik ditemukan"));
        app.close().await;
    }
);

scenario!(
    user_text_is_escaped_on_every_page,
    with_demo,
    |app| async move {
        let admin = app.token("admin", None).await;
        app.data_as(
            &admin,
            r#"mutation { createPractice(input: { slug: "lebak-xss", title: "Layanan <script>alert(1)</script> Lebak", summary: "Ringkasan <img src=x onerror=alert(2)> & \"kutip\"", ownerRegionCode: "36.02", sectors: [PUBLIC_SERVICE], form: PUBLIC_SERVICE }) { practice { id } } }"#,
            json!({}),
        )
        .await;
        app.sync_search().await;
        for path in [
            "/practices/lebak-xss",
            "/?q=layanan+lebak",
            "/regions/36.02",
        ] {
            let body = page(&app, path).await;
            assert!(
                body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "{path}: {body}"
            );
            assert!(!body.contains("<script>alert"), "{path}");
            assert!(!body.contains("<img src=x"), "{path}");
        }
        app.close().await;
    }
);

scenario!(
    unknown_records_and_paths_get_a_404_page,
    with_demo,
    |app| async move {
        for path in [
            "/practices/no-such-practice",
            "/regions/99.99",
            "/no/such/page",
        ] {
            let (status, body, _) = get(&app, path, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
            assert!(body.contains("<h1>Tidak ditemukan</h1>"), "{path}: {body}");
            assert!(body.contains(r#"href="/""#));
        }
        let (status, body, _) = get(&app, "/practices/no-such-practice?lang=en", None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("<h1>Not found</h1>"));
        app.close().await;
    }
);

scenario!(
    the_app_assets_are_served_from_the_binary,
    spawn,
    |app| async move {
        for (path, ctype) in [
            ("/assets/app/app.css", "text/css"),
            ("/assets/app/app.js", "text/javascript"),
        ] {
            let (status, body, got) = app
                .http(Request::get(path).body(Body::empty()).unwrap())
                .await;
            assert_eq!(status, StatusCode::OK);
            assert!(got.unwrap_or_default().starts_with(ctype));
            assert!(
                !body.contains("http://") && !body.contains("https://"),
                "no CDN"
            );
        }
        let (status, _, _) = app
            .http(
                Request::get("/assets/app/../Cargo.toml")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        app.close().await;
    }
);
