//! Agreements that transfer practices: the legal path and every rule about
//! its stages (`stage`), queries, writes, the work plan and its indicators
//! (`plan`, judged by `achievement`), and the coordinator views
//! (`cooperation`).

pub mod achievement;
pub mod cooperation;
pub mod plan;
pub mod query;
pub mod stage;
pub mod write;
