#!/bin/sh
# PID 1 of the lvmlab guest (User-Mode Linux, host root mounted read-only through hostfs).
# Mounts the kernel filesystems, loads the device-mapper modules from the host's
# /usr/lib/uml/modules, builds a writable root (overlayfs: the host root read-only below, a
# tmpfs above, so /etc/fstab edits and /gluster_bricks land in guest memory and never on the
# host), mounts the run's result directory (hostfs, lab_out=) and runs stage2.sh there in a
# chroot. Then powers off (UML exits 0 whatever the steps did: the host reads fails.txt).
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
mount -t proc proc /proc
mount -t sysfs sysfs /sys
grep -q ' /dev ' /proc/mounts || mount -t devtmpfs devtmpfs /dev
mount -t tmpfs -o mode=0755 run /run
# lab_out= (results, host path), lab_dir= (this directory), lab_script= (scenario file name)
for word in $(cat /proc/cmdline); do
  case $word in lab_*=*) export "$word" ;; esac
done
# lvm's own modprobe cannot find the UML modules (they live under /usr/lib/uml/modules).
mkdir -p /run/modroot/lib
ln -s /usr/lib/uml/modules /run/modroot/lib/modules
for module in overlay dm-mod dm-thin-pool dm-snapshot dm-zero loop; do
  modprobe -d /run/modroot "$module" || echo "LAB module $module failed"
done
root=/run/root
mkdir -p /run/ovl/up /run/ovl/work "$root"
if mount -t overlay overlay -o lowerdir=/,upperdir=/run/ovl/up,workdir=/run/ovl/work "$root"; then
  mount -t proc proc "$root/proc"
  mount -t sysfs sysfs "$root/sys"
  mount -t devtmpfs devtmpfs "$root/dev"
  mount -t tmpfs -o mode=0755 run "$root/run"
  mkdir -p "$root/run/lab/out"
  if mount -t hostfs -o "$lab_out" hostfs "$root/run/lab/out"; then
    chroot "$root" /bin/sh "$lab_dir/stage2.sh"
    echo "LAB stage2 exit $?"
    sync
    umount "$root/run/lab/out"
  else
    echo "LAB done rc=255 (cannot mount the result directory $lab_out)"
  fi
else
  echo "LAB done rc=255 (no overlay root)"
fi
sync
echo o >/proc/sysrq-trigger
sleep 60
