#!/bin/bash
# Fetch the stock Debian cloud kernel used, unmodified, as every guest's kernel.
# The .deb is downloaded with apt-get into MINT_CACHE (outside the checkout) and
# unpacked with dpkg -x; nothing is rebuilt.
# With MODULES_DIR, also the modules that make the same stock kernel a KVM
# host with a virtio disk when it boots the emulated machine as "plain
# Linux" (bench/evaluation.py): kvm, kvm-amd, kvm-intel, irqbypass,
# virtio_blk, decompressed (busybox insmod reads plain .ko files) into
# MODULES_DIR, with a load-order file.
# With NET_MODULES_DIR, also the guest's own modules for a NIC (config key
# net = mint): failover, net_failover and virtio_net, which the cloud
# kernel has as modules (virtio-pci is built in), the same way into
# NET_MODULES_DIR; the guest's initramfs carries them.
# Usage: fetch-kernel.sh OUT_VMLINUZ OUT_RELEASE_FILE [MODULES_DIR [NET_MODULES_DIR]]
set -euo pipefail
out=$1
relfile=$2
moddir=${3:-}
netdir=${4:-}
meta=linux-image-6.12-cloud-amd64
cache=${MINT_CACHE:-$HOME/.cache/mint}/debs
mkdir -p "$cache"

pkg=$(apt-cache depends "$meta" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -1)
if [ -z "$pkg" ]; then
	echo "guest: apt knows no $meta; run 'apt-get update' (make deps)" >&2
	exit 1
fi
# The first .deb of $pkg in the cache (in glob order), or nothing.
cached_deb() {
	local f
	for f in "$cache/${pkg}_"*.deb; do
		if [ -e "$f" ]; then
			echo "$f"
			return
		fi
	done
}
deb=$(cached_deb)
if [ -z "$deb" ]; then
	echo "  GUEST   downloading $pkg (stock Debian kernel)"
	(cd "$cache" && apt-get download -q -o APT::Sandbox::User=root "$pkg" > /dev/null)
	deb=$(cached_deb)
	if [ -z "$deb" ]; then
		echo "guest: apt-get download left no ${pkg}_*.deb in $cache" >&2
		exit 1
	fi
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg -x "$deb" "$tmp"
release=${pkg#linux-image-}
cp "$tmp/boot/vmlinuz-$release" "$out"
echo "$release" > "$relfile"
# unpack_modules DIR MODULE...: the modules (paths under kernel/, without
# .ko.xz), decompressed into a fresh DIR, their names in DIR/order.
unpack_modules() {
	local dir=$1 m
	shift
	rm -rf "$dir"
	mkdir -p "$dir"
	: > "$dir/order"
	for m in "$@"; do
		xz -dc "$tmp/lib/modules/$release/kernel/$m.ko.xz" > "$dir/$(basename "$m").ko"
		basename "$m" >> "$dir/order"
	done
}
if [ -n "$moddir" ]; then
	unpack_modules "$moddir" virt/lib/irqbypass arch/x86/kvm/kvm \
		arch/x86/kvm/kvm-amd arch/x86/kvm/kvm-intel drivers/block/virtio_blk
	echo "  GUEST   $(wc -l < "$moddir/order") modules of $release for plain Linux"
fi
if [ -n "$netdir" ]; then
	unpack_modules "$netdir" net/core/failover drivers/net/net_failover \
		drivers/net/virtio_net
	echo "  GUEST   $(wc -l < "$netdir/order") modules of $release for the guest's NIC"
fi
echo "  GUEST   $(basename "$out") = Debian $release ($(basename "$deb"))"
