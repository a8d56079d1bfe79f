//! Practices: the proven practices a region offers to teach, with their
//! outcomes (evidence); queries and writes.

pub mod query;
pub mod write;
