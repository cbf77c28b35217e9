//! Network planning: which NIC carries which logical network (zone), bonds, MTUs, addresses,
//! and where roles go when a network is missing — the original HVP kickstart `%pre` logic as
//! a pure function.
//!
//! Data flow: [`probe::ProbeDocument`] → [`settings`] (defaults, fragments, kernel parameters)
//! → NIC assignment ([`installer`] or [`node`]) → [`fallback`] roles → [`addressing`] →
//! [`plan::NetworkPlan`] (checked by `validate` in the default mode) → [`render`]ers.
//!
//! ```
//! use hvp_core::network::{plan_network, probe::ProbeDocument, render, Mode};
//! let doc = ProbeDocument::from_json(r#"{"role": "node", "node_index": 0, "nics": [
//!     {"name": "eth0", "carrier": true, "max_mtu": 1500, "reaches": ["mgmt"]}]}"#).unwrap();
//! let plan = plan_network(&doc, Mode::Compat).unwrap();
//! assert!(render::kickstart(&plan).starts_with("network --device=eth0 "));
//! ```

pub mod addressing;
pub mod bond;
mod build;
pub mod error;
pub mod fallback;
pub mod fragment;
pub mod installer;
pub mod ipv4;
pub mod mode;
pub mod nics;
pub mod node;
pub mod parameter_names;
mod params;
pub mod plan;
pub mod probe;
mod probe_input;
pub mod render;
pub mod settings;
pub mod targets;
pub mod validate;
pub mod zone;
mod zone_settings;

pub use error::{PlanError, Problem};
pub use mode::Mode;
pub use plan::NetworkPlan;
pub use probe_input::{read_probe, DOCUMENT_FIELDS, FRAGMENT_FIELDS, NIC_FIELDS};
pub use zone::Zone;

use error::Findings;
use plan::{Routing, Zones};
use probe::{ProbeDocument, Role};

/// Plans the network of one machine from its probe document.
///
/// Errors list every problem found, each naming the NIC or parameter and its fix.
pub fn plan_network(doc: &ProbeDocument, mode: Mode) -> Result<NetworkPlan, PlanError> {
    let mut findings = Findings::default();
    let settings = settings::resolve(doc, mode, &mut findings);
    let nics = nics::candidates(doc, mode, &mut findings);
    let assignment = match doc.role {
        Role::Node => node::assign(&nics, &settings, mode),
        Role::Installer => installer::assign(&nics, &settings),
    };
    let present: Vec<Zone> = settings
        .zones
        .iter()
        .map(|z| z.zone)
        .filter(|z| assignment.has(*z))
        .collect();
    let roles = fallback::assign_roles(doc.role, |zone| present.contains(&zone));
    let own = addressing::own_addresses(&settings, &mut findings);
    let tests = addressing::test_addresses(&settings, &mut findings);
    let gateway = addressing::gateway(&settings, &tests);
    let cluster = addressing::cluster_addresses(
        &addressing::ClusterInputs {
            settings: &settings,
            own: &own,
            tests: &tests,
            present: &present,
            roles: &roles,
            mode,
        },
        &mut findings,
    );
    let zone_plans = build::zone_plans(&build::ZoneInputs {
        settings: &settings,
        assignment: &assignment,
        own: &own,
        tests: &tests,
        gateway: gateway.as_deref(),
        roles: &roles,
        mode,
    });
    let routing = Routing {
        default_route_zone: settings
            .zones
            .iter()
            .map(|z| z.zone)
            .find(|z| zone_plans.iter().any(|p| p.zone == *z && p.default_route))
            .or_else(|| dhcp_default_route(&zone_plans, gateway.as_deref())),
        gateway,
        nameserver: settings.nameserver.clone(),
        forwarders: settings.forwarders.clone(),
    };
    let plan = NetworkPlan {
        mode,
        role: doc.role,
        host: build::host_identity(&settings, &zone_plans),
        missing: build::missing_zones(&settings, &present, &roles),
        unused_nics: assignment.unused.clone(),
        ovirt_networks: build::ovirt_networks(&settings, &present, mode),
        zones: Zones(zone_plans),
        roles,
        routing,
        cluster,
        warnings: Vec::new(),
    };
    if !mode.is_compat() {
        validate::validate(&plan, &settings, &mut findings);
    }
    findings.check()?;
    Ok(NetworkPlan {
        warnings: findings.warnings,
        ..plan
    })
}

/// With the gateway left to DHCP (`dhcp`), the default route comes with the DHCP lease.
fn dhcp_default_route(zones: &[plan::ZonePlan], gateway: Option<&str>) -> Option<Zone> {
    if gateway != Some("dhcp") {
        return None;
    }
    zones
        .iter()
        .find(|z| z.bootproto == plan::BootProto::Dhcp)
        .map(|z| z.zone)
}
