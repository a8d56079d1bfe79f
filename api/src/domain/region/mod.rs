//! Regions: the 552 provinces, regencies and cities, their queries, their
//! statistics, and the admin corrections of their data.

pub mod query;
pub mod stats;
pub mod write;
