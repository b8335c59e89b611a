#!/bin/bash
# Put libvirt-free QEMU (binary, libraries, firmware) into an initramfs root so
# the kernel booted from it is a KVM host: node0, and every node.
# Usage: qemu-payload.sh ROOT
set -euo pipefail
root=$1
here=$(cd "$(dirname "$0")" && pwd)
qemu=/usr/bin/qemu-system-x86_64

"$here/../partitioner/image/rootfs.sh" bin "$root" "$qemu"
# Firmware QEMU looks for with -nodefaults -kernel: SeaBIOS and the
# linuxboot option ROMs. No iPXE (guests get no default NIC).
for f in /usr/share/seabios/bios-256k.bin /usr/share/seabios/bios.bin \
	/usr/share/qemu/linuxboot.bin /usr/share/qemu/linuxboot_dma.bin \
	/usr/share/qemu/kvmvapic.bin /usr/share/qemu/multiboot_dma.bin \
	/usr/share/qemu/pvh.bin; do
	mkdir -p "$root$(dirname "$f")"
	cp -L "$f" "$root$f"
done
