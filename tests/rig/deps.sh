#!/bin/bash
# Install the Debian 12 packages the build and the emulated rig need.
# Usage: tests/rig/deps.sh [--check]
#   --check  only report what is missing (exit 1 if anything is)
set -euo pipefail

BACKPORTS_LIST=/etc/apt/sources.list.d/mint-bookworm-backports.sources
QEMU_MIN_MAJOR=10

PKGS=(build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils
      kmod ccache busybox-static kexec-tools check pkg-config clang
      libclang-rt-14-dev linux-source-6.12 python3 gnuplot-nox
      seabios qemu-system-x86 qemu-utils e2fsprogs shellcheck clang-format
      groff-base systemd grub-common python3-pyflakes dropbear-bin)

missing_pkgs() {
	local p
	for p in "${PKGS[@]}"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed' || echo "$p"
	done
}

qemu_ok() {
	local v
	v=$(qemu-system-x86_64 --version 2>/dev/null | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
	[ -n "$v" ] && [ "$v" -ge "$QEMU_MIN_MAJOR" ]
}

missing=$(missing_pkgs | tr '\n' ' ')
if [ -z "$missing" ] && qemu_ok; then
	exit 0
fi
if [ "${1:-}" = "--check" ]; then
	echo "missing: ${missing:-qemu-system-x86 >= $QEMU_MIN_MAJOR}" >&2
	exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: not root; run this first:" >&2
	echo "  sudo $0" >&2
	exit 5
fi

if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo "deps: adding the bookworm-backports apt source ($BACKPORTS_LIST)"
	cat > "$BACKPORTS_LIST" <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi

echo "deps: installing: ${missing:-qemu from bookworm-backports}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# QEMU 10 comes from backports: bookworm's 7.2 crashed the first kernel with
# "Oops: int3" in 2 of 52 multi-threaded boots and has no x2APIC.
apt-get install -y -q --no-install-recommends "${PKGS[@]}"
apt-get install -y -q --no-install-recommends -t bookworm-backports \
	qemu-system-x86 qemu-utils
if ! qemu_ok; then
	echo "deps: qemu-system-x86_64 is older than $QEMU_MIN_MAJOR after install:" >&2
	qemu-system-x86_64 --version >&2 || true
	exit 1
fi
echo "deps: ok ($(qemu-system-x86_64 --version | head -1))"
