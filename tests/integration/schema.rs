//! The committed SDL (`api/schema.graphql`) is a reviewed artifact: this test
//! regenerates it and fails when it drifted. Run with `UPDATE_SCHEMA=1` to
//! rewrite the file after an intended change.

use std::path::PathBuf;

use api::config::Limits;

fn schema() -> api::AppSchema {
    api::build_schema(api::SchemaDeps {
        db: sea_orm::DatabaseConnection::default(),
        limits: Limits::default(),
        events: api::events::EventBus::default(),
        search: std::sync::Arc::new(search::embedded::EmbeddedEngine::in_ram().unwrap()),
        guru: Default::default(),
    })
}

fn sdl() -> String {
    api::graphql::public_sdl(&schema())
}

/// Compares (or, with `UPDATE_SCHEMA` set, rewrites) a committed SDL file.
fn check_committed(file: &str, current: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../api")
        .join(file);
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, current).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == current,
        "api/{file} is out of date: run `UPDATE_SCHEMA=1 cargo test -p tests schema` \
         and review the diff"
    );
}

#[test]
fn committed_schema_matches_the_code() {
    check_committed("schema.graphql", &sdl());
}

#[test]
fn committed_federation_schema_matches_the_code() {
    check_committed(
        "schema.federation.graphql",
        &api::graphql::federation_sdl(&schema()),
    );
}

#[test]
fn every_type_field_and_argument_of_our_schema_is_documented() {
    // Parse the SDL loosely: any type, field or argument line must be preceded
    // by a description. Built-in and federation types are skipped.
    let sdl = sdl();
    let mut undocumented = Vec::new();
    let mut prev_doc = false;
    let mut in_block_string = false;
    let mut foreign_block = false;
    for line in sdl.lines() {
        let t = line.trim();
        if !line.starts_with('\t') && t.ends_with('{') {
            // `schema { ... }` and federation's `_Service` are not ours.
            foreign_block = t.starts_with("schema")
                || t.split_whitespace()
                    .nth(1)
                    .is_some_and(|n| n.starts_with('_'));
        }
        if foreign_block {
            if t == "}" {
                foreign_block = false;
            }
            prev_doc = false;
            continue;
        }
        if t.starts_with("\"\"\"") {
            let closes_same_line = t.len() > 3 && t.ends_with("\"\"\"");
            if !closes_same_line {
                in_block_string = !in_block_string;
            }
            prev_doc = !in_block_string;
            continue;
        }
        if in_block_string {
            continue;
        }
        if t.starts_with('"') {
            prev_doc = true;
            continue;
        }
        let is_decl = t.starts_with("type ")
            || t.starts_with("enum ")
            || t.starts_with("input ")
            || t.starts_with("scalar ")
            || (line.starts_with('\t') && !t.is_empty() && t != "}" && t != ")");
        let skipped = t.starts_with("schema")
            || t.starts_with("directive")
            || t.starts_with(')')
            || t.starts_with('_');
        if is_decl && !prev_doc && !skipped {
            let builtin = ["Boolean", "Float", "ID", "Int", "String"]
                .iter()
                .any(|b| t == format!("scalar {b}"));
            if !builtin {
                undocumented.push(t.to_owned());
            }
        }
        prev_doc = false;
    }
    assert!(
        undocumented.is_empty(),
        "undocumented schema items: {undocumented:#?}"
    );
}
