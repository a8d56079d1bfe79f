//! Learning requests and the expressions of interest that answer them: a
//! region posts what it wants to learn, guru regions offer their practices,
//! and the requesting region accepts one (creating, in the same
//! transaction, a visit, an adoption or an agreement) or declines it with a
//! reason. `status` holds every rule about the two status fields, `query`
//! the list, `write` the writes.

pub mod expression;
pub mod query;
pub mod status;
pub mod write;
