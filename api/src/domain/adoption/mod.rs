//! Adoptions: a region taking up a practice, along its stages, and the
//! follow-ups that ask whether it still runs.

pub mod follow_up;
pub mod write;
