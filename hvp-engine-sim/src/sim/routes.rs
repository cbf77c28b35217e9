//! The collections the server serves: URL pattern → model type and services.

/// One collection.
pub struct CollDef {
    /// URL pattern below `/ovirt-engine/api`, each id one `{id}` segment.
    pub pattern: &'static str,
    /// Model type of its entities.
    pub ty: &'static str,
    /// Service of the collection (for `add` mandatory sets); empty when read-only.
    pub coll_service: &'static str,
    /// Service of one entity (actions, links).
    pub service: &'static str,
    /// Whether entities are stored (`false`: a filtered view of another collection).
    pub stored: bool,
    /// Whether POST adds entities.
    pub add: bool,
}

const fn c(
    pattern: &'static str,
    ty: &'static str,
    coll_service: &'static str,
    service: &'static str,
    stored: bool,
    add: bool,
) -> CollDef {
    CollDef {
        pattern,
        ty,
        coll_service,
        service,
        stored,
        add,
    }
}

/// Every served collection.
#[rustfmt::skip]
pub const COLLS: &[CollDef] = &[
    c("datacenters", "DataCenter", "DataCentersService", "DataCenterService", true, true),
    c("datacenters/{id}/storagedomains", "StorageDomain", "AttachedStorageDomainsService", "AttachedStorageDomainService", true, true),
    c("datacenters/{id}/clusters", "Cluster", "", "ClusterService", false, false),
    c("datacenters/{id}/networks", "Network", "", "NetworkService", false, false),
    c("clusters", "Cluster", "ClustersService", "ClusterService", true, true),
    c("clusters/{id}/networks", "Network", "ClusterNetworksService", "ClusterNetworkService", true, true),
    c("clusters/{id}/externalnetworkproviders", "ExternalProvider", "", "ExternalProviderService", false, false),
    c("clusterlevels", "ClusterLevel", "", "ClusterLevelService", true, false),
    c("hosts", "Host", "HostsService", "HostService", true, true),
    c("hosts/{id}/nics", "HostNic", "", "HostNicService", true, false),
    c("hosts/{id}/networkattachments", "NetworkAttachment", "NetworkAttachmentsService", "NetworkAttachmentService", true, true),
    c("hosts/{id}/nics/{id}/networkattachments", "NetworkAttachment", "NetworkAttachmentsService", "NetworkAttachmentService", false, true),
    c("hosts/{id}/fenceagents", "Agent", "FenceAgentsService", "FenceAgentService", true, true),
    c("storagedomains", "StorageDomain", "StorageDomainsService", "StorageDomainService", true, true),
    c("networks", "Network", "NetworksService", "NetworkService", true, true),
    c("networks/{id}/vnicprofiles", "VnicProfile", "", "VnicProfileService", false, false),
    c("vnicprofiles", "VnicProfile", "VnicProfilesService", "VnicProfileService", true, true),
    c("openstacknetworkproviders", "OpenStackNetworkProvider", "OpenstackNetworkProvidersService", "OpenstackNetworkProviderService", true, true),
    c("openstacknetworkproviders/{id}/networks", "OpenStackNetwork", "", "OpenstackNetworkService", true, false),
    c("vms", "Vm", "VmsService", "VmService", true, true),
    c("vms/{id}/diskattachments", "DiskAttachment", "DiskAttachmentsService", "DiskAttachmentService", true, true),
    c("vms/{id}/nics", "Nic", "VmNicsService", "VmNicService", true, true),
    c("vms/{id}/cdroms", "Cdrom", "", "VmCdromService", true, false),
    c("vms/{id}/graphicsconsoles", "GraphicsConsole", "VmGraphicsConsolesService", "VmGraphicsConsoleService", true, true),
    c("disks", "Disk", "DisksService", "DiskService", true, true),
    c("templates", "Template", "", "TemplateService", true, false),
    c("schedulingpolicies", "SchedulingPolicy", "", "SchedulingPolicyService", true, false),
    c("macpools", "MacPool", "", "MacPoolService", true, false),
    c("events", "Event", "", "EventService", true, false),
    c("jobs", "Job", "", "JobService", true, false),
];

/// The pattern of a concrete collection path (`hosts/abc/nics` → `hosts/{id}/nics`).
pub fn pattern_of(coll: &str) -> String {
    coll.split('/')
        .enumerate()
        .map(|(i, s)| if i % 2 == 1 { "{id}" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// The definition of a concrete collection path.
pub fn def(coll: &str) -> Option<&'static CollDef> {
    let p = pattern_of(coll);
    COLLS.iter().find(|d| d.pattern == p)
}

/// The top-level collection holding entities of type `ty` (for `href`s of references).
pub fn top_level(ty: &str) -> Option<&'static str> {
    Some(match ty {
        "DataCenter" => "datacenters",
        "Cluster" => "clusters",
        "Host" => "hosts",
        "StorageDomain" => "storagedomains",
        "Network" => "networks",
        "VnicProfile" => "vnicprofiles",
        "OpenStackNetworkProvider" | "ExternalProvider" => "openstacknetworkproviders",
        "Vm" => "vms",
        "Disk" => "disks",
        "Template" => "templates",
        "ClusterLevel" => "clusterlevels",
        "SchedulingPolicy" => "schedulingpolicies",
        "MacPool" => "macpools",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::table;

    #[test]
    fn every_route_names_known_types_and_services() {
        let t = table();
        for d in COLLS {
            assert!(t.types.contains_key(d.ty), "{}", d.ty);
            assert!(t.services.contains_key(d.service), "{}", d.service);
            if !d.coll_service.is_empty() {
                assert!(
                    t.services.contains_key(d.coll_service),
                    "{}",
                    d.coll_service
                );
            }
        }
        assert_eq!(
            pattern_of("hosts/a/nics/b/networkattachments"),
            "hosts/{id}/nics/{id}/networkattachments"
        );
    }
}
