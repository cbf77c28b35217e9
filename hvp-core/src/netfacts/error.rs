//! Errors of the interface-facts lookup. User text is escaped when printed
//! ([`crate::input::escape`]).

use crate::input::escape::escape;

/// Why the zones could not be located. Each message names the zone or interface and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetFactsError {
    /// The facts are not a dictionary of interfaces nor a host's `ansible_facts`.
    #[error(
        "interfaces: expected the host's ansible_facts or a dictionary of interface name to \
         its facts (e.g. {{\"eth0\": ansible_facts.eth0}}), got {}",
        escape(.0)
    )]
    NotFacts(String),
    /// An interface's facts have an unusable IPv4 entry.
    #[error("interface {}: {}", escape(.interface), escape(.problem))]
    BadInterface {
        /// The interface.
        interface: String,
        /// What is wrong.
        problem: String,
    },
    /// A zone's CIDR does not parse.
    #[error(
        "zone {}: '{}' is not an IPv4 network; give it as ADDRESS/PREFIX such as \
         172.20.10.0/24 (or leave it empty when the zone is absent)",
        escape(.zone),
        escape(.value)
    )]
    BadZone {
        /// The zone name.
        zone: String,
        /// The value given.
        value: String,
    },
    /// One or more zones were found on no interface or on several.
    #[error("{}", escape(&.0.join("; ")))]
    Unlocated(Vec<String>),
}
