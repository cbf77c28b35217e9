# shellcheck shell=bash
# Issue 10 item 4: the files hvp-fileservices renders, on real daemons. Nodes n1..n3 of the lab,
# input examples/fileservices-lab.json with a `balanced` storage plan (every node holds a data
# brick, so all three are active and get a public address). The suite creates the plan's `ctdb`
# and `winshare` volumes, mounts the lock volume as the generated gluster-lock.mount says,
# installs the generated /etc/ctdb, /etc/samba and /etc/ganesha files on each node, enables
# CTDB's 50.samba (CTDB starts and monitors smbd, as the storageservices role does), then:
# all nodes OK, every public address hosted exactly once; smbclient put through one public
# address and get through another; a node's ctdbd stopped: its address moves, the file is still
# readable through it; ctdbd back: all OK; ganesha.nfsd on the generated ganesha.conf exports
# winshare to nfs-ls. Destructive steps last. Ganesha is started by hand here (the role leaves
# it to CTDB's 60.nfs callout, which needs systemd).

FS_BIN=$REPO/target/debug/hvp-fileservices
if [[ ! -x $FS_BIN ]]; then
    skip "hvp-fileservices is not built in this tree (issue 10): file-services suite not run"
    return 0
fi

# The example's addresses are the lab's default subnets; a lab on other subnets (HVL_STORAGE_NET,
# HVL_PUBLIC_NET) gets the same input with its own first three bytes.
SNET=${HVL_STORAGE_NET:-10.231.0}
PNET=${HVL_PUBLIC_NET:-10.232.0}
FS=$(mktemp -d)
PUBLIC=("$PNET.101" "$PNET.102" "$PNET.103")
SMBUSER=labuser
SMBPASS=Lab-Secret-123
lab up 3 >/dev/null 2>&1

sed -e "s/\"10\\.231\\.0\\./\"$SNET./g" -e "s/\"10\\.232\\.0\\./\"$PNET./g" "$REPO/examples/fileservices-lab.json" |
    jq '.storage.policy = "balanced"' >"$FS/input.json"
check "hvp-fileservices renders the lab's files" "$FS_BIN" "$FS/input.json" --out-dir "$FS/out"
check "the generated public_addresses hold ${#PUBLIC[@]} addresses (3 active nodes)" \
    bash -c "[[ \$(grep -c . '$FS/out/n1/etc/ctdb/public_addresses') -eq ${#PUBLIC[@]} ]]"

# ---- Gluster: the plan's ctdb and winshare volumes ------------------------------------------
delete_all_volumes
jq '.storage' "$FS/input.json" >"$FS/storage.json"
make_brick_dirs "$FS/storage.json"
python3 "$GLAB" create-commands "$FS/storage.json" >"$FS/volumes.txt"
check "ctdb and winshare volumes created and started" python3 "$GLAB" apply "$FS/volumes.txt" "$LABSH"
poll "6 bricks of ctdb and winshare online" 60 all_bricks_online 6

# unit_value N KEY: a key of node N's generated gluster-lock.mount.
unit_value() { sed -n "s/^$2=//p" "$FS/out/n$1/etc/systemd/system/gluster-lock.mount"; }
for n in 1 2 3; do
    check "n$n: lock volume mounted as gluster-lock.mount says ($(unit_value $n What) on $(unit_value $n Where))" \
        lab nx $n mount -t "$(unit_value $n Type)" -o "$(unit_value $n Options)" "$(unit_value $n What)" "$(unit_value $n Where)"
done
echo "written on n1" | lab nx 1 tee /gluster/lock/hello.txt >/dev/null
check "the lock volume is shared: a file written on n1 is read on n3" \
    grep -q "written on n1" <(lab nx 3 cat /gluster/lock/hello.txt)
lab nx 1 rm -f /gluster/lock/hello.txt

# The share folders on winshare, as the role creates them (input vars: users 1777 root:root).
lab nx 1 mkdir -p /gluster/winshare
lab nx 1 mount -t glusterfs n1:/winshare /gluster/winshare
while IFS=$'\t' read -r path owner group mode; do
    lab nx 1 mkdir -p "/gluster/winshare/$path"
    lab nx 1 chown "$owner:$group" "/gluster/winshare/$path"
    lab nx 1 chmod "$mode" "/gluster/winshare/$path"
done < <(jq -r '.vars.hvp_winshare_subfolders[] | [.path, .owner, .group, .mode] | @tsv' "$FS/input.json")
lab nx 1 umount /gluster/winshare

# ---- the generated files in place ------------------------------------------------------------
for n in 1 2 3; do
    cp -r "$FS/out/n$n/etc/ctdb/." "$LAB_DIR/n$n/etc/ctdb/"
    cp -r "$FS/out/n$n/etc/samba/." "$LAB_DIR/n$n/etc/samba/"
    cp -r "$FS/out/n$n/etc/ganesha/." "$LAB_DIR/n$n/etc/ganesha/"
    ln -sf /usr/share/ctdb/events/legacy/50.samba.script "$LAB_DIR/n$n/etc/ctdb/events/legacy/50.samba.script"
    check "n$n: ctdb-config validate accepts the generated ctdb.conf" lab nx $n /usr/libexec/ctdb/ctdb-config validate
    check "n$n: testparm -s accepts the generated smb.conf" lab nx $n testparm -s /etc/samba/smb.conf
done

# ---- CTDB ------------------------------------------------------------------------------------
ctdb_all_ok() {
    local out
    out=$(lab nx 1 ctdb status) || return 1
    [[ $(grep -cE '^pnn:[0-9]+ .*OK' <<<"$out") -eq 3 ]] || { echo "$out"; return 1; }
}

# address_owners: "ADDRESS NODE..." per public address, from the interfaces themselves.
address_owners() {
    local a n
    for a in "${PUBLIC[@]}"; do
        local owners=()
        for n in 1 2 3; do
            ip -n "${HVL_PREFIX:-hvl}n$n" -4 -o addr show dev eth1 | grep -q " $a/" && owners+=("n$n")
        done
        echo "$a ${owners[*]}"
    done
}

# each_address_once: every public address on exactly one node's eth1, and CTDB agrees.
each_address_once() {
    local line bad=0
    while read -r line; do
        local words=($line)
        [[ ${#words[@]} -eq 2 ]] || bad=1
    done < <(address_owners)
    lab nx 1 ctdb ip | grep -qE ' -1$' && bad=1
    ((bad == 0)) || { address_owners; lab nx 1 ctdb ip; return 1; }
}

# owner_of ADDRESS: the node number whose eth1 holds ADDRESS.
owner_of() { address_owners | awk -v a="$1" '$1 == a && NF == 2 {print substr($2, 2)}'; }

smb_listening() { lab nx "$1" ss -ltn | grep -q ':445 '; }
all_smb_listening() { local n; for n in 1 2 3; do smb_listening $n || { echo "no smbd on n$n"; return 1; }; done; }

start=$SECONDS
for n in 1 2 3; do lab nx $n ctdbd; done
poll "ctdb status: all 3 nodes OK" 90 ctdb_all_ok
poll "every public address hosted exactly once" 30 each_address_once
echo "     ctdbd x3 to all OK with addresses: $((SECONDS - start)) s"
poll "smbd (started by CTDB's 50.samba) listens on 445 on every node" 60 all_smb_listening

# ---- SMB through the public addresses --------------------------------------------------------
printf '%s\n%s\n' "$SMBPASS" "$SMBPASS" | lab nx 1 smbpasswd -a -s "$SMBUSER" >/dev/null
head -c 1M /dev/urandom >"$FS/payload"
want=$(sha256sum <"$FS/payload" | cut -d' ' -f1)

# smb ADDRESS COMMANDS: one smbclient session from the client namespace, in $FS.
smb() { (cd "$FS" && lab cx smbclient "//$1/Users" -U "$SMBUSER%$SMBPASS" -c "$2"); }
sha_of() { sha256sum <"$1" | cut -d' ' -f1; }
get_matches() {
    rm -f "$FS/$2"
    smb "$1" "get payload $2" && [[ $(sha_of "$FS/$2") == "$want" ]]
}

check "smbclient put through ${PUBLIC[0]}" smb "${PUBLIC[0]}" "put payload payload"
check "smbclient get through ${PUBLIC[1]}: same SHA-256" get_matches "${PUBLIC[1]}" got1

# ---- failover: one node's ctdbd stopped ------------------------------------------------------
victim=$(owner_of "${PUBLIC[0]}")
if [[ -z $victim ]]; then
    failed "failover: ${PUBLIC[0]} has no single owner"
else
    moved_away() {
        local o
        o=$(owner_of "${PUBLIC[0]}")
        [[ -n $o && $o != "$victim" ]] && each_address_once
    }
    start=$SECONDS
    lab nx "$victim" ctdb shutdown >/dev/null
    poll "ctdbd of n$victim stopped: ${PUBLIC[0]} moves to another node, every address still hosted once" 60 moved_away
    echo "     address moved $((SECONDS - start)) s after ctdb shutdown"
    lab cx ip neigh flush dev eth1
    poll "the file is readable through ${PUBLIC[0]} while n$victim is out (same SHA-256)" 90 get_matches "${PUBLIC[0]}" got2
    echo "     file readable again $((SECONDS - start)) s after ctdb shutdown"

    start=$SECONDS
    lab nx "$victim" ctdbd
    poll "ctdbd of n$victim back: all 3 nodes OK" 90 ctdb_all_ok
    poll "after the revive: every public address hosted exactly once" 30 each_address_once
    echo "     ctdbd restart to all OK: $((SECONDS - start)) s"
    lab cx ip neigh flush dev eth1
    poll "smbd of n$victim listens again" 60 smb_listening "$victim"
fi

# ---- NFS-Ganesha -----------------------------------------------------------------------------
lab nx 1 ganesha.nfsd -f /etc/ganesha/ganesha.conf -L /var/log/ganesha/ganesha.log -p /run/ganesha/ganesha.pid
nfs_listening() { lab nx 1 ss -ltn | grep -q ':2049 '; }
ganesha_initialized() { grep -q 'NFS SERVER INITIALIZED' "$LAB_DIR/n1/var/log/ganesha/ganesha.log"; }
poll "ganesha.nfsd on the generated ganesha.conf listens on 2049" 30 nfs_listening
poll "ganesha: NFS SERVER INITIALIZED" 30 ganesha_initialized
check "ganesha's log has no CONFIG CRIT line" bash -c "! grep ':CONFIG :CRIT' '$LAB_DIR/n1/var/log/ganesha/ganesha.log'"
export_path=$(sed -n 's/^[[:space:]]*Pseudo = "\(.*\)";/\1/p' "$FS/out/n1/etc/ganesha/ganesha.conf" | head -1)
nfs_lists_payload() { lab cx nfs-ls "nfs://$SNET.11${export_path}/users?version=4" | grep -q ' payload$'; }
poll "nfs-ls of ${export_path}/users (NFSv4) lists the file written over SMB" 30 nfs_lists_payload

rm -rf "$FS"
