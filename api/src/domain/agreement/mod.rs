//! Agreements that transfer practices: the legal path and every rule about
//! its stages (`stage`), queries, writes, and the coordinator views
//! (`cooperation`).

pub mod cooperation;
pub mod query;
pub mod stage;
pub mod write;
