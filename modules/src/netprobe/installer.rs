//! The installer probe: DHCP on each connected interface, in the planner's NIC order, until one
//! gets a lease (the original tries no further NIC once the external uplink is found).

use super::dhcp;
use super::error::ProbeError;
use super::guard::NicGuard;

/// Tries DHCP on `nics` in the order given and returns the first that got a lease. Every
/// interface is restored after its attempt.
pub fn first_dhcp_nic(
    nics: &[String],
    timeout: u32,
    report: &mut dyn FnMut(String),
) -> Result<Option<String>, ProbeError> {
    for nic in nics {
        let guard = NicGuard::take(nic)?;
        let obtained = dhcp::lease_obtained(&guard, timeout);
        guard.finish()?;
        if obtained? {
            report(format!(
                "{nic}: DHCP lease obtained (and released); no further NIC is tried"
            ));
            return Ok(Some(nic.clone()));
        }
        report(format!("{nic}: no DHCP lease within {timeout} s"));
    }
    Ok(None)
}
