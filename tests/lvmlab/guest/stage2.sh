#!/bin/sh
# Runs inside the guest's writable root (chroot on the overlay): LVM with the lab's own
# configuration only (LVM_SYSTEM_DIR on tmpfs; the host's /etc/lvm is never read or written),
# then the scenario named by lab_script=. Writes fails.txt and prints `LAB done rc=N`.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
LVM_SYSTEM_DIR=/run/lvmconf
LVM_SUPPRESS_FD_WARNINGS=1
LC_ALL=C
export PATH LVM_SYSTEM_DIR LVM_SUPPRESS_FD_WARNINGS LC_ALL
mkdir -p "$LVM_SYSTEM_DIR"
cp "$lab_dir/lvm.conf" "$LVM_SYSTEM_DIR/lvm.conf"
OUT=/run/lab/out
IN=$lab_dir/in
export OUT IN
# An fstab of the guest's own (the overlay's upper layer): what the commands add and remove.
: >/etc/fstab
exec /bin/bash -c '. "$lab_dir/lib.sh"; . "$lab_dir/$lab_script"; lab_finish'
