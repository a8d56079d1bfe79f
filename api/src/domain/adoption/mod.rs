//! Adoptions: a region taking up a practice, along its stages.

pub mod write;
