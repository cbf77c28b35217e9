//! libvirt CPU model names (what `hvp_cpu_type` decides) → the oVirt Engine cluster CPU type
//! names (`GET /clusterlevels/{version}` `cpu_types`). The Hosted Engine answer file takes
//! `model_<libvirt model>`; the REST API wants the Engine's display name. The table follows the
//! Engine's `ServerCPUList` names of 4.2–4.4 (UNVERIFIED against every cluster level: an
//! unknown model is an error asking for `cluster_cpu_type`).

/// (libvirt model, Engine CPU type name).
const TABLE: &[(&str, &str)] = &[
    ("Conroe", "Intel Conroe Family"),
    ("Penryn", "Intel Penryn Family"),
    ("Nehalem", "Intel Nehalem Family"),
    ("Nehalem-IBRS", "Intel Nehalem IBRS Family"),
    ("Westmere", "Intel Westmere Family"),
    ("Westmere-IBRS", "Intel Westmere IBRS Family"),
    ("SandyBridge", "Intel SandyBridge Family"),
    ("SandyBridge-IBRS", "Intel SandyBridge IBRS Family"),
    ("IvyBridge", "Intel IvyBridge Family"),
    ("IvyBridge-IBRS", "Intel IvyBridge IBRS Family"),
    ("Haswell-noTSX", "Intel Haswell-noTSX Family"),
    ("Haswell-noTSX-IBRS", "Intel Haswell-noTSX IBRS Family"),
    ("Haswell", "Intel Haswell Family"),
    ("Haswell-IBRS", "Intel Haswell IBRS Family"),
    ("Broadwell-noTSX", "Intel Broadwell-noTSX Family"),
    ("Broadwell-noTSX-IBRS", "Intel Broadwell-noTSX IBRS Family"),
    ("Broadwell", "Intel Broadwell Family"),
    ("Broadwell-IBRS", "Intel Broadwell IBRS Family"),
    ("Skylake-Client", "Intel Skylake Client Family"),
    ("Skylake-Client-IBRS", "Intel Skylake Client IBRS Family"),
    ("Skylake-Server", "Intel Skylake Server Family"),
    ("Skylake-Server-IBRS", "Intel Skylake Server IBRS Family"),
    ("Cascadelake-Server", "Intel Cascadelake Server Family"),
    ("Opteron_G1", "AMD Opteron G1"),
    ("Opteron_G2", "AMD Opteron G2"),
    ("Opteron_G3", "AMD Opteron G3"),
    ("Opteron_G4", "AMD Opteron G4"),
    ("Opteron_G5", "AMD Opteron G5"),
    ("EPYC", "AMD EPYC"),
    ("EPYC-IBPB", "AMD EPYC IBPB"),
];

/// The Engine CPU type name of a libvirt model (`model_` prefix allowed), if known.
pub fn engine_cpu_type(libvirt_model: &str) -> Option<&'static str> {
    let model = libvirt_model
        .strip_prefix("model_")
        .unwrap_or(libvirt_model);
    TABLE
        .iter()
        .find(|(name, _)| *name == model)
        .map(|(_, engine)| *engine)
}

#[cfg(test)]
mod tests {
    use super::engine_cpu_type;

    #[test]
    fn maps_libvirt_models_with_or_without_prefix() {
        assert_eq!(engine_cpu_type("Nehalem"), Some("Intel Nehalem Family"));
        assert_eq!(engine_cpu_type("model_EPYC"), Some("AMD EPYC"));
        assert_eq!(
            engine_cpu_type("Haswell-noTSX"),
            Some("Intel Haswell-noTSX Family")
        );
        assert_eq!(engine_cpu_type("qemu64"), None);
    }
}
