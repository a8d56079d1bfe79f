//! Fuzzed bytes into the CSV and JSON importers and into the search filter
//! builder. Inputs are the demo data's own exports, mutated byte by byte
//! (flips, hostile bytes inserted, ranges deleted, duplicated or cut), so
//! most of them get past the first line and reach the record parsers.
//!
//! - Parsing (no database): every input is text with its records or a
//!   `BAD_USER_INPUT` naming the line (CSV) or the line and column (JSON,
//!   bytes that are not UTF-8); every record refused names its field.
//!   Never a panic.
//! - Importing (both databases): a mutated file imported for real either
//!   commits whole or writes nothing (the counts stay), and no row is
//!   refused with `INTERNAL_SERVER_ERROR`.
//! - The filter builder: any value, hostile or not, comes back out of the
//!   Meilisearch expression exactly as it went in (a small reader of the
//!   filter grammar checks it), and reaches `searchPractices` as data or a
//!   coded refusal.
//!
//! `BERGURU_FUZZ_CASES` (default 400 parse cases; a tenth of them are
//! imported per database) and `BERGURU_FUZZ_SEED` set the run; a failure
//! prints its seed and case.

use api::domain::bulk::{self, Format};
use tests::search_scenario;

use super::*;

/// A small deterministic generator (xorshift64*): reproducible from the
/// seed a failure prints, with no dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that break parsers: delimiters, quotes, line ends, NUL, bytes
/// that are not UTF-8, a cut multi-byte character, JSON structure.
const HOSTILE: &[&[u8]] = &[
    b"\"",
    b",",
    b"\n",
    b"\r\n",
    b"\r",
    b"\0",
    b"\xff",
    b"\xc3",
    b"\xe2\x82",
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b"\\",
    b"\\u0000",
    b"\\ud800",
    b"null",
    b"-1e999",
    b"99999999999999999999999",
    b"\"\"\"",
    b"\xef\xbb\xbf",
    b"\t",
    "ü".as_bytes(),
    "🙂".as_bytes(),
];

fn mutate(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut out = seed.to_vec();
    // Mostly past the header line (CSV) or the opening bracket (JSON), so
    // that most cases reach the records.
    let header = seed.iter().position(|b| *b == b'\n').map_or(1, |i| i + 1);
    let edits = 1 + rng.below(3);
    for _ in 0..edits {
        let at = if rng.below(5) == 0 || out.len() <= header {
            rng.below(out.len() + 1)
        } else {
            header + rng.below(out.len() - header + 1)
        };
        match rng.below(7) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 | 2 => {
                let h = HOSTILE[rng.below(HOSTILE.len())];
                out.splice(at..at, h.iter().copied());
            }
            3 => {
                let end = (at + rng.below(64)).min(out.len());
                out.drain(at..end);
            }
            4 => {
                let end = (at + rng.below(200)).min(out.len());
                let piece = out[at..end].to_vec();
                out.splice(at..at, piece);
            }
            5 => out.truncate(at),
            _ => {
                let n = rng.below(16);
                let noise: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                out.splice(at..at, noise);
            }
        }
    }
    out
}

fn cases() -> usize {
    std::env::var("BERGURU_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400)
}

fn seed() -> u64 {
    std::env::var("BERGURU_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}

/// The demo data's practices and agreements, exported as CSV and JSON.
async fn exports(app: &TestApp) -> Vec<(&'static str, Format, Vec<u8>)> {
    let practices = bulk::export_practices(&app.db).await.unwrap();
    let agreements = bulk::export_agreements(&app.db).await.unwrap();
    let mut out = Vec::new();
    for format in [Format::Csv, Format::Json] {
        out.push((
            "practices",
            format,
            bulk::render_practices(&practices, format)
                .unwrap()
                .into_bytes(),
        ));
        out.push((
            "agreements",
            format,
            bulk::render_agreements(&agreements, format)
                .unwrap()
                .into_bytes(),
        ));
    }
    out
}

/// What parsing one input gave: its records' refusals, or why the whole
/// file was refused. Panics (a failed test) on anything uncoded.
fn check_parse(what: &str, format: Format, bytes: &[u8], case: &str) -> Option<usize> {
    let text = match bulk::decode(bytes) {
        Ok(t) => t,
        Err(e) => {
            assert_eq!(e.code(), "BAD_USER_INPUT", "{case}");
            assert!(e.message().starts_with("line "), "{case}: {}", e.message());
            return None;
        }
    };
    let parsed = std::panic::catch_unwind(|| match what {
        "practices" => bulk::parse_practices(text, format).map(|rows| {
            rows.into_iter()
                .map(|(line, r)| (line, r.err()))
                .collect::<Vec<_>>()
        }),
        _ => bulk::parse_agreements(text, format).map(|rows| {
            rows.into_iter()
                .map(|(line, r)| (line, r.err()))
                .collect::<Vec<_>>()
        }),
    });
    let parsed = parsed.unwrap_or_else(|_| panic!("the parser panicked: {case}"));
    match parsed {
        Err(e) => {
            assert_eq!(e.code(), "BAD_USER_INPUT", "{case}: {}", e.message());
            let m = e.message();
            // Where the file breaks: CSV names its line, JSON its line and
            // column; a header of the wrong columns names the columns.
            assert!(
                m.contains("line ") || m.contains("columns must be exactly"),
                "{case}: the refusal does not say where: {m}"
            );
            None
        }
        Ok(rows) => {
            let mut refused = 0;
            for (line, err) in rows {
                assert!(line >= 1, "{case}");
                if let Some(e) = err {
                    refused += 1;
                    assert_eq!(e.code(), "BAD_USER_INPUT", "{case}: {}", e.message());
                    match &e {
                        api::error::ApiError::BadUserInput { field, .. } => assert!(
                            field.as_deref().is_some_and(|f| !f.is_empty()),
                            "{case}: record {line} refused without its field: {}",
                            e.message()
                        ),
                        _ => unreachable!(),
                    }
                }
            }
            Some(refused)
        }
    }
}

scenario!(
    fuzzed_bytes_into_the_importers_give_located_errors_and_no_partial_import,
    with_demo,
    |app| async move {
        let seeds = exports(&app).await;
        let n = cases();
        let mut rng = Rng::new(seed());
        let (mut whole_refused, mut rows_refused, mut clean) = (0, 0, 0);
        let mut to_import = Vec::new();
        for i in 0..n {
            let (what, format, seed_bytes) = &seeds[i % seeds.len()];
            let bytes = mutate(&mut rng, seed_bytes);
            let case = format!(
                "BERGURU_FUZZ_SEED={} case {i} ({what}, {format:?}): {:?}",
                seed(),
                String::from_utf8_lossy(&bytes[..bytes.len().min(300)])
            );
            match check_parse(what, *format, &bytes, &case) {
                None => whole_refused += 1,
                Some(0) => clean += 1,
                Some(_) => rows_refused += 1,
            }
            if i % 10 == 0 {
                to_import.push((*what, *format, bytes, case));
            }
        }
        eprintln!(
            "{:?} fuzzed files parsed ({n} cases): {whole_refused} refused whole, {rows_refused} with refused records, {clean} parsed clean",
            app.backend
        );
        assert!(
            whole_refused > 0 && rows_refused + clean > 0,
            "the mutations reach both the file and the record level"
        );

        // Imported for real, as a national admin: all or nothing.
        let admin = app.token("admin", None).await;
        let viewer = api::auth::authenticate(&app.db, Some(&format!("Bearer {admin}")))
            .await
            .unwrap();
        let counts = "{ practices { totalCount } agreements { totalCount } }";
        let (mut committed, mut rolled_back) = (0, 0);
        for (what, format, bytes, case) in to_import {
            let Ok(text) = bulk::decode(&bytes) else {
                continue;
            };
            let before = app.data(counts).await;
            let report = if what == "practices" {
                match bulk::parse_practices(text, format) {
                    Ok(rows) => bulk::import_practices(&app.db, &viewer, rows, false, |_| {}).await,
                    Err(_) => continue,
                }
            } else {
                match bulk::parse_agreements(text, format) {
                    Ok(rows) => {
                        bulk::import_agreements(&app.db, &viewer, rows, false, |_| {}).await
                    }
                    Err(_) => continue,
                }
            };
            let report = match report {
                Ok(r) => r,
                Err(e) => panic!(
                    "{case}: the import failed as a whole: {}: {}",
                    e.code(),
                    e.message()
                ),
            };
            for e in &report.errors {
                assert!(
                    !e.message.starts_with("INTERNAL_SERVER_ERROR"),
                    "{case}: line {}: {}",
                    e.line,
                    e.message
                );
            }
            if report.committed {
                committed += 1;
                assert!(report.errors.is_empty(), "{case}");
            } else {
                rolled_back += 1;
                assert_eq!(
                    app.data(counts).await,
                    before,
                    "{case}: a refused import wrote rows"
                );
            }
        }
        eprintln!(
            "{:?}: {committed} fuzzed imports committed whole, {rolled_back} refused with nothing written",
            app.backend
        );
    }
);

/// Reads `attr IN ["v1", "v2"] AND ...` back into (attribute, values), as
/// Meilisearch's grammar does: inside double quotes `\` escapes the next
/// character. `None` when the expression does not parse.
fn read_meili_filter(expr: &str) -> Option<Vec<(String, Vec<String>)>> {
    let mut out = Vec::new();
    let mut rest = expr;
    loop {
        let (attr, after) = rest.split_once(" IN [")?;
        let mut chars = after.char_indices().peekable();
        let mut values = Vec::new();
        let end;
        loop {
            match chars.next()? {
                (_, '"') => {
                    let mut v = String::new();
                    loop {
                        match chars.next()? {
                            (_, '\\') => v.push(chars.next()?.1),
                            (_, '"') => break,
                            (_, c) => v.push(c),
                        }
                    }
                    values.push(v);
                }
                (_, ',') | (_, ' ') => {}
                (i, ']') => {
                    end = i + 1;
                    break;
                }
                _ => return None,
            }
        }
        out.push((attr.to_owned(), values));
        rest = &after[end..];
        if rest.is_empty() {
            return Some(out);
        }
        rest = rest.strip_prefix(" AND ")?;
    }
}

fn random_text(rng: &mut Rng) -> String {
    let pieces = [
        "\"",
        "\\",
        "\\\"",
        "]",
        "[",
        ",",
        " AND ",
        " OR ",
        "NOT ",
        "IN",
        "=",
        "'",
        "\n",
        "\0",
        "32",
        "HEALTH",
        "é",
        "🙂",
        "\u{202e}",
        "_geoRadius(0, 0, 1)",
        "%",
        "*",
    ];
    let n = rng.below(8);
    (0..n)
        .map(|_| {
            if rng.below(3) == 0 {
                char::from_u32(rng.below(0x3000) as u32).map_or(String::new(), String::from)
            } else {
                pieces[rng.below(pieces.len())].to_owned()
            }
        })
        .collect()
}

#[test]
fn fuzzed_filter_values_come_back_out_of_the_meilisearch_expression_unchanged() {
    let mut rng = Rng::new(seed());
    for i in 0..cases() * 10 {
        let mut list = || {
            (0..rng.below(3))
                .map(|_| random_text(&mut Rng::new(rng.next())))
                .collect::<Vec<_>>()
        };
        let filter = ::search::filter::Filter {
            sectors: list(),
            provinces: list(),
            region_kinds: list(),
            statuses: list(),
            stages: list(),
            looking_for_adopters: None,
            has_outcomes: None,
        };
        let want: Vec<(String, Vec<String>)> = filter
            .conditions()
            .into_iter()
            .map(|(a, v)| (a.to_owned(), v))
            .collect();
        match filter.to_meili() {
            None => assert!(want.is_empty()),
            Some(expr) => assert_eq!(
                read_meili_filter(&expr).as_ref(),
                Some(&want),
                "BERGURU_FUZZ_SEED={} case {i}: {expr}",
                seed()
            ),
        }
    }
}

search_scenario!(
    fuzzed_filter_values_reach_search_as_data_or_a_coded_refusal,
    with_demo_search,
    |app| async move {
        let mut rng = Rng::new(seed());
        let q = r#"query ($f: PracticeSearchFilter) { searchPractices(query: "layanan", filter: $f) { totalCount } }"#;
        let mut answered = 0;
        let mut refused = 0;
        for i in 0..cases() / 4 {
            // Real codes, hostile text, or both in one list.
            let provinces: Vec<String> = (0..1 + rng.below(3))
                .map(|_| match rng.below(3) {
                    0 => ["32", "36", "11", "94"][rng.below(4)].to_owned(),
                    _ => random_text(&mut Rng::new(rng.next())),
                })
                .collect();
            let vars = json!({ "f": { "provinces": provinces } });
            let resp = app.query_with(q, vars.clone()).await;
            match resp.get("errors") {
                None => answered += 1,
                Some(errors) => {
                    refused += 1;
                    for e in errors.as_array().unwrap() {
                        let code = e["extensions"]["code"].as_str().unwrap_or("");
                        assert!(
                            code == "BAD_USER_INPUT",
                            "BERGURU_FUZZ_SEED={} case {i}: {vars}: {e}",
                            seed()
                        );
                    }
                }
            }
        }
        eprintln!(
            "{} filters fuzzed: {answered} answered, {refused} refused with BAD_USER_INPUT",
            engine_label(&app)
        );
    }
);

fn engine_label(app: &TestApp) -> String {
    format!("{:?} / {:?}", app.backend, app.search_backend)
}
