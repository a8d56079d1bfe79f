//! Benchmarking visits: scheduling and outcomes (`write`), and the visit
//! planner (`plan`).

pub mod plan;
pub mod write;
