//! Which interface carries each zone on a deployed host, from its Ansible interface facts.
//!
//! The original Engine playbook (`ovirtnetworks.yaml`, spec network.md §4.3) found each node's
//! interface for a zone inline: every interface whose **primary** IPv4 address lies inside the
//! zone's CIDR. Two matches were concatenated into an invalid name and none gave an empty one.
//! [`locate_zones`] does the same matching but fails clearly in both cases, naming the zone,
//! the interfaces and the fix.
//!
//! ```
//! use hvp_core::netfacts::{interfaces_from_facts, locate_zones, ZoneRequest};
//! let facts = serde_json::json!({
//!     "eth0": {"device": "eth0", "type": "ether", "active": true,
//!              "ipv4": {"address": "172.20.10.10", "netmask": "255.255.255.0"}}});
//! let interfaces = interfaces_from_facts(&facts).unwrap();
//! let zones = [ZoneRequest::parse("mgmt", "172.20.10.0/24").unwrap()];
//! let located = locate_zones(&interfaces.interfaces, &zones).unwrap();
//! assert_eq!(located["mgmt"].interface, "eth0");
//! ```

mod error;
mod facts;
mod locate;

pub use error::NetFactsError;
pub use facts::{interfaces_from_facts, InterfaceFacts, Interfaces, Ipv4Fact};
pub use locate::{locate_zones, ZoneInterface, ZoneRequest};
