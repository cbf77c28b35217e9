//! Faults the API returns (`<fault><reason/><detail/></fault>`).

/// An error reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// HTTP status.
    pub status: u16,
    /// Short reason (`Operation Failed`).
    pub reason: String,
    /// Detail (`[Cannot add Host. The Host name is already in use.]`).
    pub detail: String,
}

impl Fault {
    /// Any fault.
    pub fn new(status: u16, reason: &str, detail: impl Into<String>) -> Fault {
        Fault {
            status,
            reason: reason.to_string(),
            detail: detail.into(),
        }
    }
    /// 409 "Operation Failed" with the Engine's `[Cannot <verb> <Entity>. <why>]` detail.
    pub fn conflict(verb: &str, entity: &str, why: &str) -> Fault {
        Fault::new(
            409,
            "Operation Failed",
            format!("[Cannot {verb} {entity}. {why}]"),
        )
    }
    /// 404 for an unknown id or name.
    pub fn not_found(what: impl Into<String>) -> Fault {
        Fault::new(404, "Not Found", what)
    }
    /// 400 for a malformed or invalid request body.
    pub fn bad(detail: impl Into<String>) -> Fault {
        Fault::new(400, "Bad Request", detail)
    }
    /// 400 "Incomplete parameters".
    pub fn incomplete(entity: &str, verb: &str, missing: &[String]) -> Fault {
        Fault::new(
            400,
            "Incomplete parameters",
            format!("{entity} [{}] required for {verb}", missing.join(", ")),
        )
    }
}
