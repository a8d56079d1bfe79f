//! Operations generated from Berguru's own schema (`apollo-smith`, the
//! generator Apollo Router fuzzes with: random fields, arguments, aliases,
//! fragments and nesting, valid against the SDL) sent over HTTP to the real
//! app on each database, with an admin token so that mutations run too.
//! None may panic, answer 5xx, carry an error without a code, or an
//! `INTERNAL_SERVER_ERROR`: a refusal is the client's to understand.
//!
//! The run is deterministic: case `i` is generated from seed
//! `BERGURU_FUZZ_SEED + i` (default 0), `BERGURU_FUZZ_CASES` cases (default
//! 300, what CI runs); a failure prints the seed and the operation. A longer
//! run: `BERGURU_FUZZ_CASES=5000 cargo test -p tests --test integration fuzz`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use apollo_smith::{Document, DocumentBuilder};
use arbitrary::Unstructured;
use axum::body::Body;
use axum::http::Request;

use super::*;

/// The committed SDL (kept equal to the running schema by `schema.rs`).
fn schema_document() -> &'static Document {
    static DOC: OnceLock<Document> = OnceLock::new();
    DOC.get_or_init(|| {
        let sdl = include_str!("../../api/schema.graphql");
        let tree = apollo_parser::Parser::new(sdl).parse();
        assert!(tree.errors().next().is_none(), "the SDL parses");
        Document::try_from(tree.document()).expect("apollo-smith reads the SDL")
    })
}

/// Bytes for one case (splitmix64), so a case is reproduced from its seed.
fn bytes(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03;
    let mut out = Vec::with_capacity(n + 8);
    while out.len() < n {
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
    }
    out.truncate(n);
    out
}

/// One generated operation, `None` when the bytes ran out first or nothing
/// selectable was left.
fn operation(seed: u64) -> Option<String> {
    let data = bytes(seed, 32 * 1024);
    let mut u = Unstructured::new(&data);
    let mut builder = DocumentBuilder::with_document(&mut u, schema_document().clone()).ok()?;
    let op = builder.operation_definition().ok()??;
    tidy(&String::from(op))
}

/// apollo-smith (0.17 beta) prints some selection sets empty (`field {}`),
/// which no parser accepts, and nests up to its own fixed depth, past the
/// parser's recursion limit: as generated, nearly every case stopped at
/// parsing. So lines indented deeper than `MAX_INDENT` levels go (a block's
/// opening and closing lines share their indentation), then empty
/// selections, then parents left empty, until none is left.
fn tidy(op: &str) -> Option<String> {
    const MAX_INDENT: usize = 10;
    let mut lines: Vec<&str> = op
        .lines()
        .filter(|l| l.len() - l.trim_start().len() <= 2 * MAX_INDENT)
        .collect();
    loop {
        let before = lines.len();
        lines.retain(|l| !l.trim_end().ends_with("{}"));
        let mut i = 0;
        while i + 1 < lines.len() {
            if lines[i].trim_end().ends_with('{') && lines[i + 1].trim() == "}" {
                lines.drain(i..i + 2);
            } else {
                i += 1;
            }
        }
        if lines.len() == before {
            break;
        }
    }
    if lines.len() < 3 {
        return None;
    }
    let body = hostile_literals(&lines[1..].join("\n"));
    Some(format!(
        "{}\n{body}",
        drop_unused_variables(lines[0], &body)
    ))
}

/// Texts a database or a search engine may choke on: NUL (PostgreSQL
/// refuses it in text), quotes, LIKE wildcards, a long text, emoji and
/// non-characters, next to ordinary values that find something.
const TEXTS: &[&str] = &[
    "32.11",
    "sumedang-e-office",
    "e-office",
    "",
    "\u{0}",
    "a\u{0}b",
    "' OR 1=1 --",
    "%_\\",
    "Kabupaten 🙂 Sumedang",
    "\u{FFFF}\u{1F600}",
];

/// Every other string literal the generator wrote (plain letters and
/// digits) becomes one of [`TEXTS`], chosen by the literal's own letters,
/// so arguments and input fields meet them too, not only variables.
fn hostile_literals(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    let mut n = 0usize;
    while let Some(start) = rest.find('"') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('"') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let literal = &after[..end];
        n += 1;
        if n.is_multiple_of(2) {
            let pick = literal.bytes().map(usize::from).sum::<usize>() % TEXTS.len();
            out.push_str(&serde_json::to_string(TEXTS[pick]).unwrap_or_default());
        } else {
            out.push('"');
            out.push_str(literal);
            out.push('"');
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The operation's first line without the variables the (pruned) body no
/// longer uses, which validation would refuse.
fn drop_unused_variables(header: &str, body: &str) -> String {
    let (Some(open), Some(close)) = (header.find('('), header.rfind(')')) else {
        return header.to_owned();
    };
    let used = |name: &str| {
        body.match_indices(&format!("${name}")).any(|(i, m)| {
            !body[i + m.len()..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
        })
    };
    let kept: Vec<&str> = header[open + 1..close]
        .split('$')
        .skip(1)
        .map(|d| d.trim().trim_end_matches(',').trim())
        .filter(|d| d.split(':').next().is_some_and(|name| used(name.trim())))
        .collect();
    let name_part = header[..open].trim_end();
    let rest = &header[close + 1..];
    if kept.is_empty() {
        format!("{name_part}{rest}")
    } else {
        format!("{name_part}(${}){rest}", kept.join(", $"))
    }
}

/// Values for the operation's variables of built-in types (the generator
/// declares them but gives none): booleans and numbers, and strings from a
/// list that includes what a database or search engine may choke on (NUL,
/// quotes, a long text, emoji). Variables of other types are left out, so
/// a required one is refused by validation, as it should be.
fn variables(op: &str, seed: u64) -> Value {
    let header = op.lines().next().unwrap_or("");
    let (Some(open), Some(close)) = (header.find('('), header.rfind(')')) else {
        return json!({});
    };
    let mut vars = serde_json::Map::new();
    for (i, decl) in header[open + 1..close].split('$').skip(1).enumerate() {
        let Some((name, rest)) = decl.split_once(':') else {
            continue;
        };
        let ty = rest
            .trim()
            .trim_end_matches(',')
            .split([' ', '='])
            .next()
            .unwrap_or("");
        let pick = seed.wrapping_add(i as u64);
        let value = match ty.trim_end_matches('!') {
            "Boolean" => json!(pick.is_multiple_of(2)),
            "Int" => json!([0, 1, -1, 2_147_483_647, 100][(pick % 5) as usize]),
            "Float" => json!([0.5, -1.0, 1e300][(pick % 3) as usize]),
            "String" | "ID" => {
                if pick % 11 == 10 {
                    json!("x".repeat(20_000))
                } else {
                    json!(TEXTS[(pick % TEXTS.len() as u64) as usize])
                }
            }
            _ => continue,
        };
        vars.insert(name.trim().to_owned(), value);
    }
    Value::Object(vars)
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

scenario!(
    generated_operations_get_answers_or_coded_refusals,
    with_demo,
    |app| async move {
        let cases = env_u64("BERGURU_FUZZ_CASES", 300);
        let first = env_u64("BERGURU_FUZZ_SEED", 0);
        let admin = app.token("admin", None).await;
        let mut outcomes: BTreeMap<String, usize> = BTreeMap::new();
        let mut failures = Vec::new();
        let mut sent = 0;
        for seed in first..first + cases {
            let Some(op) = operation(seed) else {
                *outcomes
                    .entry("(no operation generated)".into())
                    .or_default() += 1;
                continue;
            };
            if op.trim_start().starts_with("subscription") {
                // Over HTTP a subscription is refused by design; the
                // WebSocket path has its own tests.
                *outcomes
                    .entry("(subscription, not sent)".into())
                    .or_default() += 1;
                continue;
            }
            sent += 1;
            let req = Request::post("/graphql")
                .header("content-type", "application/json")
                .header("accept", "application/graphql-response+json")
                .header("authorization", format!("Bearer {admin}"))
                .body(Body::from(
                    json!({ "query": op, "variables": variables(&op, seed) }).to_string(),
                ))
                .unwrap();
            let (status, body, _) = app.http(req).await;
            let answer: Value = match serde_json::from_str(&body) {
                Ok(v) => v,
                Err(_) => {
                    failures.push(format!(
                        "seed {seed}: HTTP {status}, not JSON: {body}\n{op}"
                    ));
                    continue;
                }
            };
            if status.is_server_error() {
                failures.push(format!("seed {seed}: HTTP {status}: {answer}\n{op}"));
                continue;
            }
            let errors = answer["errors"].as_array().cloned().unwrap_or_default();
            if errors.is_empty() {
                *outcomes.entry("data".into()).or_default() += 1;
            }
            for e in errors {
                match e["extensions"]["code"].as_str() {
                    None => failures.push(format!("seed {seed}: error without a code: {e}\n{op}")),
                    Some("INTERNAL_SERVER_ERROR") => {
                        failures.push(format!("seed {seed}: INTERNAL_SERVER_ERROR: {e}\n{op}"))
                    }
                    Some(code) => {
                        if std::env::var("BERGURU_FUZZ_SHOW").as_deref() == Ok(code) {
                            eprintln!("seed {seed}: {code}: {}\n{op}", e["message"]);
                        }
                        *outcomes.entry(code.to_owned()).or_default() += 1
                    }
                }
            }
        }
        eprintln!(
            "fuzz on {:?}: {sent} of {cases} cases sent (seeds {first}..{}); outcomes {outcomes:?}; {} failure(s)",
            app.backend,
            first + cases,
            failures.len()
        );
        assert!(
            outcomes.get("data").copied().unwrap_or(0) > 0,
            "no generated operation was answered with data: the generator or the schema document is wrong ({outcomes:?})"
        );
        assert!(
            failures.is_empty(),
            "{} of {sent} generated operations failed; first ones:\n{}",
            failures.len(),
            failures
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n---\n")
        );
    }
);

/// A response reduced to what both databases must agree on: errors by code
/// and path (messages may name the backend), numbers to 9 significant
/// digits (SQLite computes averages in binary floating point, PostgreSQL in
/// `numeric`), and lists as sorted multisets unless `ordered`.
fn canonical(v: &Value, ordered: bool) -> Value {
    match v {
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() => json!(format!("{f:.9e}")),
            _ => v.clone(),
        },
        Value::Array(items) => {
            let mut items: Vec<Value> = items.iter().map(|i| canonical(i, ordered)).collect();
            if !ordered {
                items.sort_by_key(|i| i.to_string());
            }
            Value::Array(items)
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), canonical(v, ordered)))
                .collect(),
        ),
        _ => v.clone(),
    }
}

fn comparable(resp: &Value, ordered: bool) -> Value {
    let errors: Vec<Value> = resp["errors"]
        .as_array()
        .map(|es| {
            es.iter()
                .map(|e| json!({ "code": e["extensions"]["code"], "path": e["path"] }))
                .collect()
        })
        .unwrap_or_default();
    json!({ "data": canonical(&resp["data"], ordered), "errors": canonical(&json!(errors), false) })
}

/// Differential: the same generated data (`berguru generate`, one seed) on
/// SQLite and on PostgreSQL, the same generated read operations through
/// the schema: the same answers. Runs when `DATABASE_URL` is set.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_queries_answer_alike_on_sqlite_and_postgres() {
    use api::generate::{Options, generate};
    use tests::SearchBackend;
    let Some(pg) = TestApp::spawn_search(Backend::Postgres, SearchBackend::Embedded).await else {
        tests::skipped("differential SQLite/PostgreSQL fuzz skipped: DATABASE_URL is not set");
        return;
    };
    let lite = TestApp::spawn_search(Backend::Sqlite, SearchBackend::Embedded)
        .await
        .unwrap();
    let opts = Options {
        practices: 300,
        agreements: 120,
        seed: 11,
        replace: false,
        with_demo: false,
    };
    for app in [&lite, &pg] {
        generate(&app.db, &opts, |_, _| {}).await.unwrap();
        api::search_sync::reindex(&app.db, app.state.search.as_ref(), |_, _| {})
            .await
            .unwrap();
    }
    let cases = env_u64("BERGURU_FUZZ_CASES", 300);
    let first = env_u64("BERGURU_FUZZ_SEED", 0);
    let (mut compared, mut with_data, mut order_only) = (0, 0, 0);
    let mut differences = Vec::new();
    for seed in first..first + cases {
        let Some(op) = operation(seed) else { continue };
        if !op.trim_start().starts_with("query") {
            continue;
        }
        compared += 1;
        let vars = variables(&op, seed);
        let a = lite.query_with(&op, vars.clone()).await;
        let b = pg.query_with(&op, vars).await;
        if a["errors"].is_null() {
            with_data += 1;
        }
        if comparable(&a, false) != comparable(&b, false) {
            differences.push(format!(
                "seed {seed}:\n{op}\nSQLite:     {}\nPostgreSQL: {}",
                comparable(&a, false),
                comparable(&b, false)
            ));
        } else if comparable(&a, true) != comparable(&b, true) {
            order_only += 1;
        }
    }
    eprintln!(
        "differential: {compared} generated queries, {with_data} answered without errors, {} differ, {order_only} differ only in list order",
        differences.len()
    );
    assert!(with_data > 0, "no generated query was answered with data");
    assert!(
        differences.is_empty(),
        "{} of {compared} generated queries answer differently on SQLite and PostgreSQL; first ones:\n{}",
        differences.len(),
        differences
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n---\n")
    );
    lite.close().await;
    pg.close().await;
}

/// The named type under `NON_NULL`/`LIST` wrappers, and its kind.
fn named(ty: &Value) -> (String, String) {
    let mut t = ty;
    while t["name"].is_null() && !t["ofType"].is_null() {
        t = &t["ofType"];
    }
    (
        t["kind"].as_str().unwrap_or("").to_owned(),
        t["name"].as_str().unwrap_or("").to_owned(),
    )
}

// Every root query field that takes text (a `String` or `ID` argument, at
// any position), called with each of the hostile [`TEXTS`]: an answer or a
// coded refusal, never INTERNAL_SERVER_ERROR. The random operations above
// rarely hit one given argument with one given text; this walks them all.
scenario!(
    every_text_argument_of_every_query_field_takes_hostile_text,
    with_demo,
    |app| async move {
        let schema = app
            .data(
                "{ __schema { queryType { fields { name \
                 args { name type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } \
                 type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }",
            )
            .await;
        let mut calls = 0;
        let mut failures = Vec::new();
        for field in schema["__schema"]["queryType"]["fields"]
            .as_array()
            .unwrap()
        {
            let name = field["name"].as_str().unwrap();
            let args = field["args"].as_array().unwrap();
            let (ret_kind, _) = named(&field["type"]);
            let selection = match ret_kind.as_str() {
                "OBJECT" | "INTERFACE" | "UNION" => " { __typename }",
                _ => "",
            };
            for (i, target) in args.iter().enumerate() {
                let (_, target_ty) = named(&target["type"]);
                if target_ty != "String" && target_ty != "ID" {
                    continue;
                }
                for text in TEXTS {
                    // Other required arguments get an ordinary value of
                    // their type; a required one of another type skips.
                    let mut parts = Vec::new();
                    let mut callable = true;
                    for (j, a) in args.iter().enumerate() {
                        let required = a["type"]["kind"] == "NON_NULL";
                        let (_, ty) = named(&a["type"]);
                        let arg = a["name"].as_str().unwrap();
                        let value = if i == j {
                            serde_json::to_string(text).unwrap()
                        } else if !required {
                            continue;
                        } else {
                            match ty.as_str() {
                                "String" | "ID" => "\"32.11\"".to_owned(),
                                "Int" => "5".to_owned(),
                                "Float" => "1.5".to_owned(),
                                "Boolean" => "false".to_owned(),
                                _ => {
                                    callable = false;
                                    break;
                                }
                            }
                        };
                        parts.push(format!("{arg}: {value}"));
                    }
                    if !callable {
                        break;
                    }
                    let query = format!("{{ {name}({}){selection} }}", parts.join(", "));
                    calls += 1;
                    let resp = app.query(&query).await;
                    for e in resp["errors"].as_array().cloned().unwrap_or_default() {
                        match e["extensions"]["code"].as_str() {
                            None | Some("INTERNAL_SERVER_ERROR") => {
                                failures.push(format!("{query}\n  -> {e}"))
                            }
                            Some(_) => {}
                        }
                    }
                }
            }
        }
        eprintln!(
            "hostile texts on {:?}: {calls} calls, {} uncoded or internal",
            app.backend,
            failures.len()
        );
        assert!(calls > 50, "too few text arguments found: {calls}");
        assert!(
            failures.is_empty(),
            "{} calls failed:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
);
