//! What the gate measures of a parsed document before anything runs: its
//! aliases, its depth, and whether it introspects.
//!
//! Depth is measured here rather than by async-graphql's `limit_depth`
//! because introspection needs a rule of its own. The standard query every
//! tool sends (graphql-js `getIntrospectionQuery`, used by GraphiQL, GraphQL
//! Code Generator, Apollo and Relay tooling, Postman, Insomnia) asks for a
//! type reference as `type { kind name ofType { kind name ofType { ... } } }`
//! seven to nine levels deep, so it is 12 to 14 fields deep and a plain
//! depth limit of 12 refuses it. Inside `__schema` and `__type`, an `ofType`
//! link therefore adds no depth (a wrapper is one cheap pointer, never a
//! list), up to [`MAX_OF_TYPE_CHAIN`] in a row. Every other introspection
//! field counts as usual, so `fields { type { fields { type { ... } } } }`,
//! which multiplies the work at every level, is still refused at the same
//! depth as any other query.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

/// The longest run of `ofType` links that adds no depth. graphql-js asks
/// for 7 to 9; no schema nests wrappers deeper than a handful.
pub const MAX_OF_TYPE_CHAIN: usize = 16;

/// The number of aliased fields in the whole document, fragments included.
pub fn count_aliases(doc: &ExecutableDocument) -> usize {
    fn walk(set: &SelectionSet) -> usize {
        set.items
            .iter()
            .map(|sel| match &sel.node {
                Selection::Field(f) => {
                    usize::from(f.node.alias.is_some()) + walk(&f.node.selection_set.node)
                }
                Selection::InlineFragment(i) => walk(&i.node.selection_set.node),
                Selection::FragmentSpread(_) => 0,
            })
            .sum()
    }
    doc.operations
        .iter()
        .map(|(_, op)| walk(&op.node.selection_set.node))
        .sum::<usize>()
        + doc
            .fragments
            .values()
            .map(|f| walk(&f.node.selection_set.node))
            .sum::<usize>()
}

/// What [`measure`] found.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Shape {
    /// The deepest field path of any operation, fragments inlined, with
    /// introspection's `ofType` links not counted (see the module docs).
    pub depth: usize,
    /// The longest run of `ofType` links inside introspection.
    pub of_type_chain: usize,
    /// Whether any operation selects `__schema` or `__type`.
    pub introspects: bool,
}

/// Measures every operation of `doc`. Fragments are inlined with their
/// results memoised, so a document that spreads fragments into each other
/// many times costs time in proportion to its size, not to its expansion;
/// a fragment spreading itself (refused later by validation) is cut.
pub fn measure(doc: &ExecutableDocument) -> Shape {
    let mut walker = Walker {
        doc,
        memo: HashMap::new(),
        open: Vec::new(),
    };
    let mut shape = Shape::default();
    for (_, op) in doc.operations.iter() {
        let s = walker.set(&op.node.selection_set.node, Ctx::Plain);
        shape.depth = shape.depth.max(s.depth);
        shape.of_type_chain = shape.of_type_chain.max(s.of_type_chain);
        shape.introspects |= s.introspects;
    }
    shape
}

/// Where a selection set stands: outside introspection, inside it, or
/// inside it right below `n` `ofType` links.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Ctx {
    Plain,
    Introspection { of_type_run: usize },
}

struct Walker<'a> {
    doc: &'a ExecutableDocument,
    memo: HashMap<(&'a str, Ctx), Shape>,
    open: Vec<&'a str>,
}

impl<'a> Walker<'a> {
    /// The shape of `set` relative to its parent field.
    fn set(&mut self, set: &'a SelectionSet, ctx: Ctx) -> Shape {
        let mut out = Shape::default();
        for sel in &set.items {
            let s = match &sel.node {
                Selection::Field(f) => {
                    self.field(f.node.name.node.as_str(), &f.node.selection_set.node, ctx)
                }
                Selection::InlineFragment(i) => self.set(&i.node.selection_set.node, ctx),
                Selection::FragmentSpread(s) => {
                    self.spread(s.node.fragment_name.node.as_str(), ctx)
                }
            };
            out.depth = out.depth.max(s.depth);
            out.of_type_chain = out.of_type_chain.max(s.of_type_chain);
            out.introspects |= s.introspects;
        }
        out
    }

    fn field(&mut self, name: &str, below: &'a SelectionSet, ctx: Ctx) -> Shape {
        let (inner, counts, run, introspects) = match ctx {
            Ctx::Plain if name == "__schema" || name == "__type" => {
                (Ctx::Introspection { of_type_run: 0 }, true, 0, true)
            }
            Ctx::Plain => (Ctx::Plain, true, 0, false),
            Ctx::Introspection { of_type_run } if name == "ofType" => {
                let run = of_type_run + 1;
                (
                    Ctx::Introspection { of_type_run: run },
                    run > MAX_OF_TYPE_CHAIN,
                    run,
                    false,
                )
            }
            Ctx::Introspection { .. } => (Ctx::Introspection { of_type_run: 0 }, true, 0, false),
        };
        let s = self.set(below, inner);
        Shape {
            depth: s.depth + usize::from(counts),
            of_type_chain: s.of_type_chain.max(run),
            introspects: introspects || s.introspects,
        }
    }

    fn spread(&mut self, name: &'a str, ctx: Ctx) -> Shape {
        if let Some(s) = self.memo.get(&(name, ctx)) {
            return *s;
        }
        if self.open.contains(&name) {
            return Shape::default();
        }
        let Some((key, fragment)) = self.doc.fragments.get_key_value(name) else {
            return Shape::default();
        };
        self.open.push(key.as_str());
        let s = self.set(&fragment.node.selection_set.node, ctx);
        self.open.pop();
        self.memo.insert((key.as_str(), ctx), s);
        s
    }
}

/// Whether a value holds the NUL character U+0000 in any text.
fn holds_nul(v: &async_graphql::Value) -> bool {
    use async_graphql::Value as ConstValue;
    match v {
        ConstValue::String(s) => s.contains('\0'),
        ConstValue::List(l) => l.iter().any(holds_nul),
        ConstValue::Object(o) => o.iter().any(|(k, v)| k.contains('\0') || holds_nul(v)),
        _ => false,
    }
}

/// The first variable (`$content`) whose text holds the NUL character
/// U+0000 (see [`nul_in_document`]).
pub fn nul_in_variables(variables: &async_graphql::Variables) -> Option<String> {
    variables
        .iter()
        .find_map(|(name, v)| holds_nul(v).then(|| format!("${name}")))
}

/// The first argument (`slug`) or variable default whose text holds the
/// NUL character U+0000, anywhere in the document: no text column can
/// store it (PostgreSQL refuses it outright) and no field of the API means
/// it, so the gate refuses the request before anything runs, on every
/// database alike.
pub fn nul_in_document(doc: &ExecutableDocument) -> Option<String> {
    use async_graphql::Value as ConstValue;
    use async_graphql::parser::types::{Directive, Field};
    use async_graphql::parser::{Positioned, types::FragmentDefinition};
    fn directives(ds: &[Positioned<Directive>]) -> Option<String> {
        ds.iter().find_map(|d| {
            d.node.arguments.iter().find_map(|(name, v)| {
                let v = v
                    .node
                    .clone()
                    .into_const_with(|_| Ok::<_, ()>(ConstValue::Null));
                v.is_ok_and(|v| holds_nul(&v))
                    .then(|| name.node.to_string())
            })
        })
    }
    fn field(f: &Field) -> Option<String> {
        f.arguments
            .iter()
            .find_map(|(name, v)| {
                let v = v
                    .node
                    .clone()
                    .into_const_with(|_| Ok::<_, ()>(ConstValue::Null));
                v.is_ok_and(|v| holds_nul(&v))
                    .then(|| name.node.to_string())
            })
            .or_else(|| directives(&f.directives))
            .or_else(|| set(&f.selection_set.node))
    }
    fn set(s: &SelectionSet) -> Option<String> {
        s.items.iter().find_map(|sel| match &sel.node {
            Selection::Field(f) => field(&f.node),
            Selection::InlineFragment(i) => {
                directives(&i.node.directives).or_else(|| set(&i.node.selection_set.node))
            }
            Selection::FragmentSpread(fs) => directives(&fs.node.directives),
        })
    }
    fn fragment(f: &Positioned<FragmentDefinition>) -> Option<String> {
        directives(&f.node.directives).or_else(|| set(&f.node.selection_set.node))
    }
    doc.operations
        .iter()
        .find_map(|(_, op)| {
            op.node
                .variable_definitions
                .iter()
                .find_map(|d| {
                    d.node
                        .default_value
                        .as_ref()
                        .is_some_and(|v| holds_nul(&v.node))
                        .then(|| format!("${}", d.node.name.node))
                })
                .or_else(|| directives(&op.node.directives))
                .or_else(|| set(&op.node.selection_set.node))
        })
        .or_else(|| doc.fragments.values().find_map(fragment))
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    fn shape(q: &str) -> Shape {
        measure(&parse_query(q).unwrap())
    }

    #[test]
    fn fields_count_and_fragments_are_inlined() {
        assert_eq!(shape("{ a }").depth, 1);
        assert_eq!(shape("{ a { b { c } } d }").depth, 3);
        assert_eq!(
            shape("query { a { ...F } } fragment F on T { b { ... on U { c } } }").depth,
            3
        );
        assert!(!shape("{ a { __typename } }").introspects);
    }

    #[test]
    fn of_type_links_inside_introspection_add_no_depth() {
        let s = shape(
            "{ __schema { types { fields { type { ofType { ofType { ofType { name } } } } } } } }",
        );
        assert_eq!(s.depth, 5);
        assert_eq!(s.of_type_chain, 3);
        assert!(s.introspects);
        // Outside introspection an `ofType` field is just a field.
        assert_eq!(shape("{ ofType { ofType { x } } }").depth, 3);
    }

    #[test]
    fn a_long_of_type_chain_counts_past_the_allowance() {
        let mut q = String::from("name");
        for _ in 0..20 {
            q = format!("ofType {{ {q} }}");
        }
        let s = shape(&format!("{{ __type(name: \"X\") {{ {q} }} }}"));
        assert_eq!(s.of_type_chain, 20);
        assert_eq!(s.depth, 1 + (20 - MAX_OF_TYPE_CHAIN) + 1);
    }

    #[test]
    fn nested_fields_and_types_in_introspection_count_fully() {
        let mut q = String::from("name");
        for _ in 0..8 {
            q = format!("fields {{ type {{ {q} }} }}");
        }
        assert_eq!(
            shape(&format!("{{ __schema {{ types {{ {q} }} }} }}")).depth,
            2 + 16 + 1
        );
    }

    #[test]
    fn self_spreading_and_fanned_out_fragments_terminate() {
        assert_eq!(shape("{ ...A } fragment A on Q { a { ...A } }").depth, 1);
        // 2^30 paths when expanded naively; memoised it is instant.
        let mut doc = String::from("{ ...F0 } ");
        for i in 0..30 {
            doc.push_str(&format!(
                "fragment F{i} on T {{ x {{ ...F{} ...F{} }} }} ",
                i + 1,
                i + 1
            ));
        }
        doc.push_str("fragment F30 on T { y }");
        assert_eq!(shape(&doc).depth, 31);
    }
}
