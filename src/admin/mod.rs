//! Administration: actor inspection (`GET /admin/actors`) and the supervision drill.

pub mod routes;
