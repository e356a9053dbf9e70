#!/usr/bin/env bash
# Builds the reference kernel VM: Debian's pinned kernel (scripts/vm/pins.env) booted by QEMU
# as an uncompressed ELF (PVH entry), and an initramfs holding the userland the site shows
# (iproute2, iptables, ipvsadm, conntrack, Open vSwitch, BusyBox, bash ...) copied from this
# Debian machine's packages, plus the guest scripts in scripts/vm/guest.
#
#   bash scripts/vm/build.sh            build into .cache/vm (a second run is a cache hit)
#   FORCE=1 bash scripts/vm/build.sh    rebuild
#   NETATLAS_VM_DIR=/path ...           build elsewhere
#
# Output: $DIR/vmlinux, $DIR/initrd.img, $DIR/versions (what is inside), $DIR/stamp.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
DIR="${NETATLAS_VM_DIR:-$repo/.cache/vm}"
# shellcheck source=pins.env
. "$here/pins.env"

die() { echo "vm build: $*" >&2; exit 1; }
for t in apt-get dpkg-deb dpkg-query depmod cpio xz ldd ovsdb-tool qemu-system-x86_64; do
  command -v "$t" >/dev/null || die "missing program '$t' (bash scripts/setup.sh installs it)"
done
for p in $HOST_PKGS; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || die "missing Debian package '$p' (bash scripts/setup.sh installs it)"; done

host_versions() { for p in $HOST_PKGS; do printf '%s=%s\n' "$p" "$(dpkg-query -W -f='${Version}' "$p")"; done; }
stamp="$( { cat "$here/build.sh" "$here/pins.env" "$here"/guest/*; host_versions; } | sha256sum | cut -d' ' -f1)"
if [ "${FORCE:-0}" != 1 ] && [ -f "$DIR/stamp" ] && [ "$(cat "$DIR/stamp")" = "$stamp" ] && [ -f "$DIR/vmlinux" ] && [ -f "$DIR/initrd.img" ]; then
  echo "vm build: up to date ($DIR, $KERNEL_PKG $KERNEL_VERSION)"
  exit 0
fi
t0=$(date +%s.%N)
mkdir -p "$DIR/debs"
debs="$DIR/debs"

# 1. The pinned packages, downloaded once (kept in the cache across rebuilds).
fetch() { # name version
  local name=$1 ver=$2 file
  file=$(ls "$debs/${name}_"*.deb 2>/dev/null | while read -r f; do [ "$(dpkg-deb -f "$f" Version)" = "$ver" ] && echo "$f"; done | head -n1)
  if [ -z "$file" ]; then
    # A machine whose package lists predate the pin (or were never fetched) updates them once.
    if ! apt-cache show "$name=$ver" >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then apt-get update -qq >/dev/null 2>&1 || true; fi
    (cd "$debs" && apt-get download -q "$name=$ver" >/dev/null 2>"$debs/apt.err") || {
      if ! apt-cache show "$name=$ver" >/dev/null 2>&1; then
        die "Debian's archive no longer has $name=$ver (a stable release keeps only the newest kernel ABI; run 'apt-get update' first). Update scripts/vm/pins.env to the package 'apt-cache depends linux-image-amd64' names, rebuild, and review what the new kernel prints (npm run lab)."
      fi
      die "apt-get download $name=$ver failed: $(cat "$debs/apt.err")"
    }
    file=$(ls "$debs/${name}_"*.deb | while read -r f; do [ "$(dpkg-deb -f "$f" Version)" = "$ver" ] && echo "$f"; done | head -n1)
  fi
  echo "$file"
}
kdeb=$(fetch "$KERNEL_PKG" "$KERNEL_VERSION")
bdeb=$(fetch "$BUSYBOX_PKG" "$BUSYBOX_VERSION")
edeb=$(fetch "$ETHTOOL_PKG" "$ETHTOOL_VERSION")

work="$DIR/work"
rm -rf "$work"; mkdir -p "$work/kernel" "$work/busybox" "$work/ethtool"
dpkg-deb -x "$kdeb" "$work/kernel"
dpkg-deb -x "$bdeb" "$work/busybox"
dpkg-deb -x "$edeb" "$work/ethtool"
kver=$(ls "$work/kernel/lib/modules")

# 2. The kernel as an ELF: Debian's bzImage carries an XZ payload; QEMU boots the
# uncompressed vmlinux directly through its PVH note, which saves seconds per boot under TCG.
vmlinuz="$work/kernel/boot/vmlinuz-$kver"
off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$vmlinuz" | head -n1 | cut -d: -f1)
[ -n "$off" ] || die "no XZ payload in $vmlinuz"
tail -c +$((off + 1)) "$vmlinuz" | xz -dcq > "$work/vmlinux" 2>/dev/null || true
[ "$(head -c4 "$work/vmlinux" | od -An -c | tr -d ' ')" = '177ELF' ] || die "could not extract vmlinux from $vmlinuz"

# 3. The root filesystem (merged /usr, as Debian's).
root="$work/root"
mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,usr/lib64,etc,proc,sys,dev,run,tmp,mnt,root,var/log,var/lib}
ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"; ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
ln -s ../run "$root/var/run"
bb="$work/busybox/bin/busybox"
cp "$bb" "$root/usr/bin/busybox"
for l in $("$bb" --list-full); do
  [ -e "$root/$l" ] || [ -L "$root/$l" ] || ln -s /usr/bin/busybox "$root/$l"
done

copy_file() { # host path -> same path in root (a link to busybox is replaced, never written through)
  local src=$1 dst="$root$1"
  mkdir -p "$(dirname "$dst")"
  rm -f "$dst"
  cp -L "$src" "$dst"
}
copy_libs() {
  local f
  ldd "$1" 2>/dev/null | grep -o '/[^ ]*' | while read -r f; do [ -e "$root$f" ] || copy_file "$f"; done
}
copy_bin() { local p; p=$(command -v "$1") || die "missing program $1"; copy_file "$p"; copy_libs "$p"; }

for b in ip bridge tc ss nft bash sysctl ipvsadm conntrack tcpdump curl grep sed ping mawk kmod \
         ovsdb-server ovsdb-tool ovs-vswitchd ovs-dpctl xtables-nft-multi xtables-legacy-multi \
         env timeout socat; do
  copy_bin "$b"
done
# mawk is the awk the site's readers have.
ln -sf mawk "$root/usr/bin/awk"
# /bin/sh is bash, not BusyBox: a BusyBox shell runs its own applets first, so `sh -c "ip ..."`
# would reach BusyBox ip instead of iproute2 (Debian's dash runs /usr/bin/ip).
rm -f "$root/usr/bin/sh"; ln -s bash "$root/usr/bin/sh"
# kmod as every module tool (BusyBox's modprobe has no -k and ignores softdeps).
for t in modprobe insmod rmmod lsmod modinfo depmod; do rm -f "$root/usr/sbin/$t" "$root/usr/bin/$t"; ln -s /usr/bin/kmod "$root/usr/sbin/$t"; done
# iptables front-ends, as Debian's alternatives link them (nft backend by default).
for t in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore \
         iptables-nft iptables-nft-save iptables-nft-restore ebtables arptables iptables-translate xtables-monitor; do
  rm -f "$root/usr/sbin/$t"; ln -s xtables-nft-multi "$root/usr/sbin/$t"
done
for t in iptables-legacy iptables-legacy-save iptables-legacy-restore; do rm -f "$root/usr/sbin/$t"; ln -s xtables-legacy-multi "$root/usr/sbin/$t"; done
# iptables extensions are dlopen()ed: ldd of iptables does not name them.
mkdir -p "$root/usr/lib/x86_64-linux-gnu/xtables"
for so in /usr/lib/x86_64-linux-gnu/xtables/*.so; do copy_file "$so"; copy_libs "$so"; done
cp -a "$work/ethtool/sbin/ethtool" "$root/usr/sbin/ethtool"; copy_libs "$root/usr/sbin/ethtool"
# OVS tools behind the per-namespace wrapper (scripts/vm/guest/ovs-wrapper).
mkdir -p "$root/usr/lib/netatlas/ovs"
for t in ovs-vsctl ovs-appctl ovs-ofctl; do
  p=$(command -v "$t"); cp -L "$p" "$root/usr/lib/netatlas/ovs/$t"; copy_libs "$p"
  rm -f "$root/usr/bin/$t"; cp "$here/guest/ovs-wrapper" "$root/usr/bin/$t"
done
cp "$here/guest/ovs-start" "$root/usr/lib/netatlas/ovs-start"
cp "$here/guest/ovs-heal" "$root/usr/lib/netatlas/ovs-heal"
cp "$here/guest/vm-reset" "$root/usr/sbin/vm-reset"
cp "$here/guest/init" "$root/init"
chmod 755 "$root/init" "$root/usr/sbin/vm-reset" "$root/usr/lib/netatlas/ovs-start" "$root"/usr/bin/ovs-vsctl "$root"/usr/bin/ovs-appctl "$root"/usr/bin/ovs-ofctl

# /etc
for f in /etc/protocols /etc/services /etc/ethertypes /etc/nsswitch.conf /etc/hosts; do [ -e "$f" ] && copy_file "$f"; done
cp -a /etc/iproute2 "$root/etc/iproute2"
: > "$root/etc/resolv.conf"
echo netatlas-vm > "$root/etc/hostname"
printf 'root:x:0:0:root:/root:/bin/bash\ntcpdump:x:104:109::/nonexistent:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' > "$root/etc/passwd"
printf 'root:x:0:\ntcpdump:x:109:\nnogroup:x:65534:\n' > "$root/etc/group"
mkdir -p "$root/etc/modprobe.d" "$root/etc/openvswitch" "$root/usr/share/openvswitch"
# Loading bonding would otherwise create bond0 by itself (max_bonds=1), and the site's
# `ip link add bond0 type bond` would fail with "File exists".
echo 'options bonding max_bonds=0' > "$root/etc/modprobe.d/bonding.conf"
cp /usr/share/openvswitch/vswitch.ovsschema "$root/usr/share/openvswitch/"
ovsdb-tool create "$root/etc/openvswitch/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ln -sf "/lib/modules/$kver" "$root/etc/netatlas-modules" 2>/dev/null || true

# Modules: networking, crypto and virtio/9p; not the hardware drivers and protocols no page uses.
msrc="$work/kernel/lib/modules/$kver"; mdst="$root/usr/lib/modules/$kver"
mkdir -p "$mdst/kernel"
for d in net drivers/net lib crypto arch/x86/crypto drivers/virtio fs/9p fs/netfs fs/fscache; do
  [ -d "$msrc/kernel/$d" ] && { mkdir -p "$mdst/kernel/$(dirname "$d")"; cp -a "$msrc/kernel/$d" "$mdst/kernel/$d"; }
done
for d in wireless ethernet usb can wwan ieee802154 arcnet fddi wan hamradio plip slip appletalk fjes hyperv xen-netback; do rm -rf "$mdst/kernel/drivers/net/$d"; done
for d in bluetooth mac80211 wireless mac802154 ieee802154 nfc ceph sunrpc rxrpc rds appletalk ax25 netrom rose atm phonet qrtr 6lowpan tipc batman-adv smc; do rm -rf "$mdst/kernel/net/$d"; done
find "$mdst" -name 'test_*.ko' -delete
cp "$msrc"/modules.order "$msrc"/modules.builtin "$msrc"/modules.builtin.modinfo "$mdst/"
depmod -b "$root" "$kver"

# What is inside, for the reader-facing verification page and coverage.json.
{
  echo "kernel_pkg=$KERNEL_PKG=$KERNEL_VERSION"
  echo "busybox=$BUSYBOX_PKG=$BUSYBOX_VERSION"
  echo "ethtool=$ETHTOOL_PKG=$ETHTOOL_VERSION"
  host_versions
} > "$root/etc/netatlas-versions"

# 4. Pack, uncompressed: unpacking gzip costs ~2 s of emulated CPU per boot.
(cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet) > "$DIR/initrd.img.tmp"
mv "$DIR/initrd.img.tmp" "$DIR/initrd.img"
mv "$work/vmlinux" "$DIR/vmlinux"
cp "$root/etc/netatlas-versions" "$DIR/versions"
echo "kernel=$kver" >> "$DIR/versions"
rm -rf "$work"
echo "$stamp" > "$DIR/stamp"
printf "vm build: %s (%s), initrd %s MB, in %s s\n" "$kver" "$KERNEL_VERSION" "$(( $(stat -c %s "$DIR/initrd.img") / 1048576 ))" "$(( $(date +%s) - ${t0%.*} ))"
