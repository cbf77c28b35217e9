//! Typed errors of the Engine client: each names the entity and the reason.

/// What went wrong talking to the Engine.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The Engine refused a request (a fault).
    #[error("the Engine refused to {operation} {entity}: HTTP {status}: {reason}{}", detail_suffix(.detail))]
    Fault {
        /// What was attempted (`create`, `update`, `read`…).
        operation: String,
        /// The entity (`host node1.mgmt.private`).
        entity: String,
        /// HTTP status.
        status: u16,
        /// The fault reason.
        reason: String,
        /// The fault detail.
        detail: String,
    },
    /// The Engine could not be reached or the connection broke.
    #[error("cannot reach the Engine to {operation} {entity}: {reason}")]
    Transport {
        /// What was attempted.
        operation: String,
        /// The entity.
        entity: String,
        /// The transport error.
        reason: String,
    },
    /// The SSO login failed.
    #[error("the Engine SSO login as {username} failed: {reason}")]
    Login {
        /// The user.
        username: String,
        /// Why.
        reason: String,
    },
    /// An entity named in an action does not exist.
    #[error("{entity} does not exist in the Engine (needed to {operation})")]
    NotFound {
        /// What was attempted.
        operation: String,
        /// The entity.
        entity: String,
    },
    /// A name matches several entities.
    #[error("{entity} matches {count} entities in the Engine; names must be unique")]
    Ambiguous {
        /// The entity.
        entity: String,
        /// How many matched.
        count: usize,
    },
    /// A wait reached its deadline or a failure state.
    #[error("{entity} did not become {wanted} within {seconds} s; last status: {last_status}")]
    WaitTimeout {
        /// The entity.
        entity: String,
        /// The awaited status.
        wanted: String,
        /// The deadline in seconds.
        seconds: u64,
        /// The last status read.
        last_status: String,
    },
    /// A wait saw a failure status.
    #[error("{entity} is {status} while waiting for {wanted}{}", detail_suffix(.hint))]
    WaitFailed {
        /// The entity.
        entity: String,
        /// The awaited status.
        wanted: String,
        /// The failure status.
        status: String,
        /// What to check.
        hint: String,
    },
    /// The Engine answered with something that is not the expected JSON.
    #[error("unexpected answer from the Engine to {operation} {entity}: {reason}")]
    Protocol {
        /// What was attempted.
        operation: String,
        /// The entity.
        entity: String,
        /// What was wrong.
        reason: String,
    },
    /// Client configuration (URL, CA file…).
    #[error("{0}")]
    Config(String),
    /// The plan did not converge.
    #[error("the Engine did not converge after {rounds} rounds; last error: {last}")]
    NotConverged {
        /// Rounds tried.
        rounds: u32,
        /// The last retriable error.
        last: Box<EngineError>,
    },
}

fn detail_suffix(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(" ({detail})")
    }
}

impl EngineError {
    /// Whether trying again later may succeed (Engine busy, 5xx, broken connection, timeout).
    pub fn is_retriable(&self) -> bool {
        match self {
            EngineError::Transport { .. } => true,
            EngineError::Fault {
                status,
                detail,
                reason,
                ..
            } => {
                *status >= 500
                    || *status == 429
                    || (*status == 409 && is_busy(&format!("{reason} {detail}")))
            }
            _ => false,
        }
    }
}

/// Whether a 409 fault text means "busy, try again" rather than a real conflict.
pub fn is_busy(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    [
        "busy",
        "in progress",
        "running tasks",
        "locked",
        "try again",
        "temporarily",
    ]
    .iter()
    .any(|word| text.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(status: u16, detail: &str) -> EngineError {
        EngineError::Fault {
            operation: "create".into(),
            entity: "network gluster".into(),
            status,
            reason: "Operation Failed".into(),
            detail: detail.into(),
        }
    }

    #[test]
    fn busy_and_server_errors_are_retriable_conflicts_are_not() {
        assert!(fault(503, "").is_retriable());
        assert!(fault(
            409,
            "[Related operation is currently in progress. Please try again later.]"
        )
        .is_retriable());
        assert!(fault(
            409,
            "[Cannot deactivate Storage. There are running tasks on this Storage.]"
        )
        .is_retriable());
        assert!(!fault(409, "[Cannot add Network. The name is already in use.]").is_retriable());
        assert!(!fault(400, "Incomplete parameters").is_retriable());
        assert!(!fault(404, "").is_retriable());
        let transport = EngineError::Transport {
            operation: "create".into(),
            entity: "host h".into(),
            reason: "connection closed before message completed".into(),
        };
        assert!(transport.is_retriable());
    }

    #[test]
    fn messages_name_entity_and_reason() {
        let text = fault(409, "[Cannot add Network. The name is already in use.]").to_string();
        assert_eq!(
            text,
            "the Engine refused to create network gluster: HTTP 409: Operation Failed \
             ([Cannot add Network. The name is already in use.])"
        );
    }
}
