#!/bin/bash
# Helpers to assemble an initramfs root directory and pack it.
#   rootfs.sh base ROOT                 busybox-static, applet links, dirs
#   rootfs.sh bin ROOT FILE[:DST]...    copy dynamic executables + their ldd libs
#   rootfs.sh prune ROOT OTHER          drop ROOT's files OTHER has identical
#   rootfs.sh pack ROOT OUT [none]      newc cpio, reproducible order, gzip -1
#                                       (none: uncompressed)
set -euo pipefail

BUSYBOX=/bin/busybox

base() {
	local root=$1 a
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,lib,lib64,etc,proc,sys,dev,run,tmp,root,mnt}
	if [ ! -x "$BUSYBOX" ] || ldd "$BUSYBOX" > /dev/null 2>&1; then
		echo "rootfs: $BUSYBOX is not busybox-static; apt-get install busybox-static" >&2
		exit 1
	fi
	cp "$BUSYBOX" "$root/bin/busybox"
	for a in $("$BUSYBOX" --list); do
		[ -e "$root/bin/$a" ] || ln -s busybox "$root/bin/$a"
	done
	echo 'root:x:0:0:root:/root:/bin/sh' > "$root/etc/passwd"
	echo 'root:x:0:' > "$root/etc/group"
}

# Copy executables (FILE, or FILE:DEST to install elsewhere in ROOT) with the
# shared libraries ldd reports, at the same paths.
bin() {
	local root=$1 f dst lib
	shift
	for f in "$@"; do
		dst=${f#*:}
		f=${f%%:*}
		mkdir -p "$root$(dirname "$dst")"
		cp -L "$f" "$root$dst"
		ldd "$f" 2>/dev/null | grep -o '/[^ ]*' | sort -u | while read -r lib; do
			[ -e "$root$lib" ] && continue
			mkdir -p "$root$(dirname "$lib")"
			cp -L "$lib" "$root$lib"
		done
	done
}

pack() {
	local root=$1 out=$2 how=${3:-gzip} squeeze=(gzip -1 -n)
	[ "$how" = none ] && squeeze=(cat)
	(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc --owner=0:0 --reproducible) |
		"${squeeze[@]}" > "$out.tmp"
	mv "$out.tmp" "$out"
}

# Drop from ROOT every file that OTHER holds at the same path with the
# same contents (a payload unpacked over a root needs only what differs).
prune() {
	local root=$1 other=$2 f
	(cd "$root" && find . -type f) | while read -r f; do
		if [ -f "$other/$f" ] && cmp -s "$root/$f" "$other/$f"; then
			rm -f "$root/$f"
		fi
	done
	find "$root" -mindepth 1 -type d -empty -delete
}

cmd=$1
shift
case "$cmd" in
base | bin | pack | prune) "$cmd" "$@" ;;
*) echo "usage: rootfs.sh base|bin|pack|prune ..." >&2; exit 2 ;;
esac
