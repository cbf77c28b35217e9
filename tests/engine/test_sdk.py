"""The official oVirt Python SDK drives hvp-engine-sim through every resource HVP uses.

Every field a test sets is read back through the SDK and must come back non-empty and equal:
the SDK silently drops unknown elements and unknown enum values, so a server that spelt an
element or an enum value differently from the model would fail here.
"""

import base64
import time
import urllib.error
import urllib.request

import pytest

import ovirtsdk4 as sdk
import ovirtsdk4.types as types

from conftest import PASSWORD

GIB = 1024 ** 3


def check(obj, expected, path=""):
    """Assert every (nested) expected field is present on the SDK object and equal."""
    for name, want in expected.items():
        got = getattr(obj, name)
        where = "%s.%s" % (path, name) if path else name
        assert got is not None, "%s came back empty" % where
        if isinstance(want, dict):
            check(got, want, where)
        elif isinstance(want, list):
            assert len(got) == len(want), "%s: %r != %r" % (where, got, want)
            for i, (g, w) in enumerate(zip(got, want)):
                if isinstance(w, dict):
                    check(g, w, "%s[%d]" % (where, i))
                else:
                    assert g == w, "%s[%d]: %r != %r" % (where, i, g, w)
        else:
            assert got == want, "%s: %r != %r" % (where, got, want)


def wait(get, cond, what, tries=30):
    """Poll `get()` until `cond(obj)`; the server advances its state per request."""
    last = None
    for _ in range(tries):
        last = get()
        if cond(last):
            return last
        time.sleep(0.02)
    raise AssertionError("%s: gave up, last status %s" % (what, getattr(last, "status", last)))


def one(service, search):
    hits = service.list(search=search)
    assert len(hits) == 1, "%s: %d hits" % (search, len(hits))
    return hits[0]


def fault_code(fn):
    with pytest.raises(sdk.Error) as e:
        fn()
    return e.value.code


def test_connection_and_product_version(conn):
    assert conn.test(raise_exception=True)
    api = conn.system_service().get()
    check(api.product_info, {"name": "oVirt Engine", "version": {"major": 4, "minor": 5}})
    assert api.product_info.version.full_version.startswith("4.5.")
    assert api.special_objects.blank_template.id == "00000000-0000-0000-0000-000000000000"


def test_fresh_engine_state(conn):
    s = conn.system_service()
    dc = one(s.data_centers_service(), 'name="Default"')
    assert dc.status == types.DataCenterStatus.UNINITIALIZED
    cl = one(s.clusters_service(), "name=Default")
    assert cl.data_center.id == dc.id
    net = one(s.networks_service(), 'name="ovirtmgmt" and datacenter="Default"')
    assert net.usages == [types.NetworkUsage.VM]
    tpl = one(s.templates_service(), "name=Blank")
    assert tpl.id == "00000000-0000-0000-0000-000000000000"
    cnets = s.clusters_service().cluster_service(cl.id).networks_service().list()
    assert [n.name for n in cnets] == ["ovirtmgmt"]
    assert types.NetworkUsage.MANAGEMENT in cnets[0].usages
    host = one(s.hosts_service(), 'name="node0.mgmt.private"')
    assert host.status == types.HostStatus.UP


def test_data_center_crud(conn):
    svc = conn.system_service().data_centers_service()
    dc = svc.add(types.DataCenter(name="HVPDataCenter", description="HVP data center", comment="c", local=False,
                                  version=types.Version(major=4, minor=7)))
    check(dc, {"name": "HVPDataCenter", "description": "HVP data center", "comment": "c", "local": False,
               "version": {"major": 4, "minor": 7}, "status": types.DataCenterStatus.UNINITIALIZED})
    assert dc.href.startswith("/ovirt-engine/api/datacenters/")
    assert fault_code(lambda: svc.add(types.DataCenter(name="HVPDataCenter", local=False))) == 409
    one_svc = svc.data_center_service(dc.id)
    upd = one_svc.update(types.DataCenter(description="changed"))
    check(upd, {"description": "changed", "name": "HVPDataCenter"})
    assert svc.list(search="name=hvpdata*")[0].id == dc.id
    one_svc.remove()
    assert fault_code(one_svc.get) == 404


def test_cluster_crud(conn):
    svc = conn.system_service().clusters_service()
    cl = svc.add(types.Cluster(name="HVPCluster", description="d", data_center=types.DataCenter(name="Default"),
                               cpu=types.Cpu(architecture=types.Architecture.X86_64, type="Intel Nehalem Family"),
                               version=types.Version(major=4, minor=7), gluster_service=True, virt_service=True))
    check(cl, {"name": "HVPCluster", "description": "d", "gluster_service": True, "virt_service": True,
               "cpu": {"architecture": types.Architecture.X86_64, "type": "Intel Nehalem Family"},
               "version": {"major": 4, "minor": 7}})
    assert cl.data_center.id is not None
    # A new cluster gets the data center's management network.
    nets = svc.cluster_service(cl.id).networks_service().list()
    assert [n.name for n in nets] == ["ovirtmgmt"]
    upd = svc.cluster_service(cl.id).update(types.Cluster(cpu=types.Cpu(type="Intel Haswell Family")))
    check(upd, {"cpu": {"type": "Intel Haswell Family", "architecture": types.Architecture.X86_64}})
    svc.cluster_service(cl.id).remove()
    level = conn.system_service().cluster_levels_service().level_service("4.7").get()
    assert "Intel Nehalem Family" in [c.name for c in level.cpu_types]


def add_host(conn, name):
    hosts = conn.system_service().hosts_service()
    host = hosts.add(types.Host(name=name, address=name, description="node", comment="hc", root_password="secret",
                                override_iptables=True, cluster=types.Cluster(name="Default")),
                     deploy_hosted_engine=True, activate=True, reboot=False)
    check(host, {"name": name, "address": name, "description": "node", "comment": "hc", "override_iptables": True})
    assert host.root_password is None, "the password must never come back"
    assert host.status == types.HostStatus.INSTALLING
    hs = hosts.host_service(host.id)
    up = wait(hs.get, lambda h: h.status == types.HostStatus.UP, "host up")
    assert up.hosted_engine is not None and up.hosted_engine.configured
    assert up.cluster.id is not None
    return hs


def test_host_add_wait_and_nics(conn):
    hs = add_host(conn, "node1.mgmt.private")
    nics = hs.nics_service().list()
    assert [n.name for n in nics] == ["eth0", "eth1", "eth2", "eth3"]
    for n in nics:
        check(n, {"mac": {}, "mtu": 1500})
        assert n.mac.address
    hosts = conn.system_service().hosts_service()
    assert fault_code(lambda: hosts.add(types.Host(name="node1.mgmt.private", address="x", cluster=types.Cluster(name="Default")))) == 409
    assert fault_code(lambda: hs.activate()) == 409  # already up
    hs.deactivate()
    wait(hs.get, lambda h: h.status == types.HostStatus.MAINTENANCE, "host maintenance")
    hs.activate()
    wait(hs.get, lambda h: h.status == types.HostStatus.UP, "host up again")


def default_dc(conn):
    return one(conn.system_service().data_centers_service(), "name=Default")


def test_storage_domains_attach_activate(conn):
    s = conn.system_service()
    sds = s.storage_domains_service()
    sd = sds.add(types.StorageDomain(
        name="vmstore_domain", description="vmstore", comment="g", type=types.StorageDomainType.DATA,
        host=types.Host(name="node0.mgmt.private"),
        storage=types.HostStorage(type=types.StorageType.GLUSTERFS, vfs_type="glusterfs", address="node0.gluster.private",
                                  path="/vmstore", mount_options="backup-volfile-servers=node1:node2,fetch-attempts=2")))
    check(sd, {"name": "vmstore_domain", "description": "vmstore", "comment": "g", "type": types.StorageDomainType.DATA,
               "storage": {"type": types.StorageType.GLUSTERFS, "vfs_type": "glusterfs", "address": "node0.gluster.private",
                           "path": "/vmstore", "mount_options": "backup-volfile-servers=node1:node2,fetch-attempts=2"}})
    sd_svc = sds.storage_domain_service(sd.id)
    wait(sd_svc.get, lambda x: x.status == types.StorageDomainStatus.UNATTACHED, "sd unattached")
    dc = default_dc(conn)
    attached = s.data_centers_service().data_center_service(dc.id).storage_domains_service()
    attached.add(types.StorageDomain(id=sd.id))
    a_svc = attached.storage_domain_service(sd.id)
    active = wait(a_svc.get, lambda x: x.status == types.StorageDomainStatus.ACTIVE, "sd active")
    assert active.master is True
    assert sd_svc.get().status is None, "an attached domain has no top-level status"
    assert sd_svc.get().data_centers[0].id == dc.id
    wait(lambda: s.data_centers_service().data_center_service(dc.id).get(), lambda d: d.status == types.DataCenterStatus.UP, "dc up")
    assert fault_code(a_svc.activate) == 409
    a_svc.deactivate()
    wait(a_svc.get, lambda x: x.status == types.StorageDomainStatus.MAINTENANCE, "sd maintenance")
    a_svc.activate()
    wait(a_svc.get, lambda x: x.status == types.StorageDomainStatus.ACTIVE, "sd active again")
    assert one(sds, 'name="vmstore_domain"').id == sd.id
    # The NFS ISO domain of the original's step 7.
    iso = sds.add(types.StorageDomain(name="iso_domain", type=types.StorageDomainType.ISO, host=types.Host(name="node0.mgmt.private"),
                                      storage=types.HostStorage(type=types.StorageType.NFS, address="discord.mgmt.private", path="/iso",
                                                                nfs_version=types.NfsVersion.AUTO)))
    check(iso, {"type": types.StorageDomainType.ISO, "storage": {"type": types.StorageType.NFS, "nfs_version": types.NfsVersion.AUTO,
                                                                 "address": "discord.mgmt.private", "path": "/iso"}})
    wait(sds.storage_domain_service(iso.id).get, lambda x: x.status == types.StorageDomainStatus.UNATTACHED, "iso unattached")
    attached.add(types.StorageDomain(id=iso.id))
    wait(attached.storage_domain_service(iso.id).get, lambda x: x.status == types.StorageDomainStatus.ACTIVE, "iso active")
    assert sds.list(search="type=iso")[0].name == "iso_domain"


def test_networks_cluster_roles_and_setupnetworks(conn):
    s = conn.system_service()
    nets = s.networks_service()
    gl = nets.add(types.Network(name="gluster", description="Gluster network", comment="g", mtu=9000, usages=[],
                                data_center=types.DataCenter(name="Default")))
    check(gl, {"name": "gluster", "description": "Gluster network", "comment": "g", "mtu": 9000, "usages": []})
    lan = nets.add(types.Network(name="lan", mtu=1500, usages=[types.NetworkUsage.VM], data_center=types.DataCenter(name="Default")))
    check(lan, {"usages": [types.NetworkUsage.VM], "mtu": 1500})
    vlan = nets.add(types.Network(name="internal", vlan=types.Vlan(id=20), data_center=types.DataCenter(name="Default")))
    check(vlan, {"vlan": {"id": 20}})
    assert fault_code(lambda: nets.add(types.Network(name="gluster", data_center=types.DataCenter(name="Default")))) == 409
    assert nets.network_service(lan.id).vnic_profiles_service().list()[0].name == "lan"
    upd = nets.network_service(lan.id).update(types.Network(description="LAN network", mtu=9000))
    check(upd, {"description": "LAN network", "mtu": 9000})
    cl = one(s.clusters_service(), "name=Default")
    cnets = s.clusters_service().cluster_service(cl.id).networks_service()
    cn = cnets.add(types.Network(id=gl.id, required=True, usages=[types.NetworkUsage.GLUSTER, types.NetworkUsage.MIGRATION]))
    check(cn, {"required": True, "usages": [types.NetworkUsage.GLUSTER, types.NetworkUsage.MIGRATION], "name": "gluster"})
    cnets.add(types.Network(id=lan.id, required=True, usages=[types.NetworkUsage.DISPLAY]))
    cnets.add(types.Network(id=vlan.id, required=False))
    mgmt = cnets.network_service(one(nets, "name=ovirtmgmt").id).get()
    assert types.NetworkUsage.DISPLAY not in mgmt.usages and types.NetworkUsage.MIGRATION not in mgmt.usages
    upd = cnets.network_service(lan.id).update(types.Network(required=True, usages=[types.NetworkUsage.DISPLAY, types.NetworkUsage.VM]))
    check(upd, {"required": True})
    host = one(s.hosts_service(), 'name="node0.mgmt.private"')
    hs = s.hosts_service().host_service(host.id)
    assert fault_code(lambda: hs.setup_networks(modified_network_attachments=[types.NetworkAttachment(
        network=types.Network(name="gluster"), host_nic=types.HostNic(name="eth7"))])) == 409
    hs.setup_networks(
        modified_bonds=[types.HostNic(name="bond0", bonding=types.Bonding(
            options=[types.Option(name="mode", value="4")],
            slaves=[types.HostNic(name="eth2"), types.HostNic(name="eth3")]))],
        modified_network_attachments=[
            types.NetworkAttachment(network=types.Network(name="gluster"), host_nic=types.HostNic(name="eth1"),
                                    ip_address_assignments=[types.IpAddressAssignment(
                                        assignment_method=types.BootProtocol.STATIC,
                                        ip=types.Ip(address="10.20.0.10", netmask="255.255.255.0", version=types.IpVersion.V4))]),
            types.NetworkAttachment(network=types.Network(name="lan"), host_nic=types.HostNic(name="bond0")),
            types.NetworkAttachment(network=types.Network(name="internal"), host_nic=types.HostNic(name="bond0")),
        ],
        check_connectivity=True, commit_on_success=True)
    hs.commit_net_config()
    nics = {n.name: n for n in hs.nics_service().list()}
    assert nics["eth1"].mtu == 9000
    check(nics["bond0"], {"bonding": {"slaves": [{}, {}]}})
    atts = hs.nics_service().nic_service(nics["eth1"].id).network_attachments_service().list()
    assert len(atts) == 1
    check(atts[0], {"in_sync": True, "network": {"id": gl.id}, "host_nic": {"id": nics["eth1"].id},
                    "ip_address_assignments": [{"assignment_method": types.BootProtocol.STATIC,
                                                "ip": {"address": "10.20.0.10", "netmask": "255.255.255.0", "version": types.IpVersion.V4}}]})
    all_atts = hs.network_attachments_service().list()
    assert sorted(a.network.id for a in all_atts) == sorted([one(nets, "name=ovirtmgmt").id, gl.id, lan.id, vlan.id])
    # Changing an existing attachment through its own service.
    att_svc = hs.network_attachments_service().attachment_service(atts[0].id)
    att_svc.update(types.NetworkAttachment(ip_address_assignments=[types.IpAddressAssignment(
        assignment_method=types.BootProtocol.STATIC, ip=types.Ip(address="10.20.0.11", netmask="255.255.255.0"))]))
    assert att_svc.get().ip_address_assignments[0].ip.address == "10.20.0.11"


def test_ovn_provider_and_external_network(conn):
    s = conn.system_service()
    provs = s.openstack_network_providers_service()
    p = provs.add(types.OpenStackNetworkProvider(name="ovn_provider", description="OVN", type=types.OpenStackNetworkProviderType.EXTERNAL,
                                                 url="http://172.20.10.5:9696", requires_authentication=False, read_only=False,
                                                 password="never-shown"))
    check(p, {"name": "ovn_provider", "description": "OVN", "type": types.OpenStackNetworkProviderType.EXTERNAL,
              "url": "http://172.20.10.5:9696", "requires_authentication": False, "read_only": False})
    assert p.password is None
    assert one(provs, 'name="ovn_provider"').id == p.id
    assert fault_code(lambda: provs.add(types.OpenStackNetworkProvider(name="ovn_provider"))) == 409
    upd = provs.provider_service(p.id).update(types.OpenStackNetworkProvider(url="http://172.20.10.6:9696"))
    check(upd, {"url": "http://172.20.10.6:9696"})
    cl = one(s.clusters_service(), "name=Default")
    s.clusters_service().cluster_service(cl.id).update(types.Cluster(external_network_providers=[types.ExternalProvider(id=p.id)]))
    got = s.clusters_service().cluster_service(cl.id).external_network_providers_service().list()
    assert [x.name for x in got] == ["ovn_provider"]
    net = s.networks_service().add(types.Network(name="dmz0", data_center=types.DataCenter(name="Default"),
                                                 external_provider=types.OpenStackNetworkProvider(id=p.id)))
    check(net, {"external_provider": {"id": p.id}})
    assert provs.provider_service(p.id).networks_service().list() == []


def test_vm_disk_nic_and_run(conn):
    s = conn.system_service()
    vms = s.vms_service()
    vm = vms.add(types.Vm(
        name="DomainController", comment="dc", cluster=types.Cluster(name="Default"), template=types.Template(name="Blank"),
        memory=2 * GIB, memory_policy=types.MemoryPolicy(ballooning=True, guaranteed=GIB),
        cpu=types.Cpu(topology=types.CpuTopology(cores=1, sockets=1, threads=1)), cpu_shares=1024, type=types.VmType.SERVER,
        os=types.OperatingSystem(type="rhel_7x64", boot=types.Boot(devices=[types.BootDevice.HD, types.BootDevice.NETWORK])),
        delete_protected=True, high_availability=types.HighAvailability(enabled=False),
        display=types.Display(type=types.DisplayType.VNC)))
    check(vm, {"name": "DomainController", "comment": "dc", "memory": 2 * GIB, "cpu_shares": 1024, "type": types.VmType.SERVER,
               "memory_policy": {"ballooning": True, "guaranteed": GIB}, "cpu": {"topology": {"cores": 1, "sockets": 1, "threads": 1}},
               "os": {"type": "rhel_7x64", "boot": {"devices": [types.BootDevice.HD, types.BootDevice.NETWORK]}},
               "delete_protected": True, "high_availability": {"enabled": False}, "display": {"type": types.DisplayType.VNC}})
    assert vm.status == types.VmStatus.IMAGE_LOCKED
    vs = vms.vm_service(vm.id)
    wait(vs.get, lambda v: v.status == types.VmStatus.DOWN, "vm down")
    das = vs.disk_attachments_service()
    da = das.add(types.DiskAttachment(bootable=True, interface=types.DiskInterface.VIRTIO, active=True, disk=types.Disk(
        name="DomainController_disk", format=types.DiskFormat.COW, provisioned_size=60 * GIB,
        storage_domains=[types.StorageDomain(name="vmstore_domain")])))
    check(da, {"bootable": True, "interface": types.DiskInterface.VIRTIO, "active": True})
    disk = conn.follow_link(da.disk)
    check(disk, {"name": "DomainController_disk", "format": types.DiskFormat.COW, "provisioned_size": 60 * GIB})
    ds = s.disks_service().disk_service(disk.id)
    wait(ds.get, lambda d: d.status == types.DiskStatus.OK, "disk ok")
    profile = [p for p in s.vnic_profiles_service().list() if p.name == "lan"][0]
    nic = vs.nics_service().add(types.Nic(name="DomainController_nic", interface=types.NicInterface.VIRTIO,
                                          vnic_profile=types.VnicProfile(id=profile.id)))
    check(nic, {"name": "DomainController_nic", "interface": types.NicInterface.VIRTIO, "vnic_profile": {"id": profile.id},
                "mac": {}, "linked": True, "plugged": True})
    assert nic.mac.address.startswith("56:6f:")
    assert [a.id for a in das.list()] == [disk.id]
    assert fault_code(vs.stop) == 409
    vs.start()
    assert fault_code(vs.start) == 409
    wait(vs.get, lambda v: v.status == types.VmStatus.UP, "vm up")
    assert fault_code(vs.remove) == 409  # delete protection
    vs.stop()
    wait(vs.get, lambda v: v.status == types.VmStatus.DOWN, "vm down again")
    vs.update(types.Vm(delete_protected=False))
    vs.remove()
    assert fault_code(vs.get) == 404


def raw(server, method, path, body, ctype="application/xml"):
    auth = base64.b64encode(("admin@internal:%s" % PASSWORD).encode()).decode()
    req = urllib.request.Request(server.url + path, data=body.encode(), method=method,
                                 headers={"Content-Type": ctype, "Accept": "application/xml", "Authorization": "Basic " + auth})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_misspelt_elements_and_unknown_enums_are_refused(server):
    code, text = raw(server, "POST", "/datacenters", "<data_center><nmae>x</nmae><local>false</local></data_center>")
    assert code == 400 and "data_center.nmae" in text and "name" in text, text
    code, text = raw(server, "POST", "/storagedomains",
                     "<storage_domain><name>x</name><type>data</type><host><name>node0.mgmt.private</name></host>"
                     "<storage><type>glusterf</type><path>/x</path></storage></storage_domain>")
    assert code == 400 and "storage_domain.storage.type" in text and "glusterfs" in text, text
    code, text = raw(server, "POST", "/networks", '{"name": "n", "data_center": {"name": "Default"}, "usage": {"usage": ["vm"]}}',
                     ctype="application/json")
    assert code == 400 and "network.usage" in text and "usages" in text, text


def test_expired_token_is_renewed_by_the_sdk(server, conn):
    server.hook("POST", "expire-tokens")
    assert conn.system_service().data_centers_service().list(search="name=Default")[0].name == "Default"
    log = server.hook("GET", "requests")
    assert any(e["status"] == 401 for e in log), "the SDK met a 401 and logged in again"
    assert PASSWORD not in str(log)
