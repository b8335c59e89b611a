#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Tests of 'make install' (partitioner/install.mk): the installed tree, the
# GRUB generator /etc/grub.d/42_mint (run against the staged tree with
# MINT_PREFIX), mint-update-grub, the systemd unit, shellcheck.
# One 'PASS: install/NAME' or 'FAIL: install/NAME: why' line per test; exits 1
# when one failed. Does not build: run after 'make all'.
#
# Environment: B (build dir), MAKE, INSTALL_MAKEFLAGS (extra arguments of the
# 'make install' runs), KEEP=1 keeps the work directory.
#
# shellcheck disable=SC2016 # literal $ (memmap=SIZE$BASE, "\$" in grub.cfg) in '' throughout
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$ROOT/build}
MAKE=${MAKE:-make}
MINTCTL=$B/bin/mintctl
EXPECTED=$ROOT/tests/install/expected-tree.txt
T=$(mktemp -d /tmp/mint-install-check.XXXXXX)
if [ "${KEEP:-}" = 1 ]; then
	echo "install-check: work directory $T"
else
	trap 'rm -rf "$T"' EXIT
fi
failed=0

pass() { echo "PASS: install/$1"; }
fail() {
	echo "FAIL: install/$1: $2"
	failed=1
}

# make install DESTDIR=$1 [more make arguments]; output in $1.log
do_install() {
	local d=$1
	shift
	# shellcheck disable=SC2086 # MAKE, INSTALL_MAKEFLAGS: words to split
	$MAKE -C "$ROOT" --no-print-directory install DESTDIR="$d" B="$B" \
		${INSTALL_MAKEFLAGS:-} "$@" >"$d.log" 2>&1
}

# The tree as "TYPE MODE PATH" lines, the DESTDIR itself left out.
tree_of() {
	(cd "$1" && find . -mindepth 1 -printf '%y %m %P\n' | LC_ALL=C sort -k3)
}

# Run the generator of the staged tree $1 on config $2 (copied into the
# tree; "-" removes it). stdout -> $T/entry, stderr -> $T/entry.err
D=$T/destdir
gen() {
	local d=$1 conf=$2
	if [ "$conf" = - ]; then
		rm -f "$d/etc/mint/partition.conf"
	else
		cp "$conf" "$d/etc/mint/partition.conf"
	fi
	env -i PATH="$PATH" MINT_PREFIX="$d" MINT_GRUB_LIB="${GRUB_LIB:-}" \
		GRUB_DISTRIBUTOR=Debian GRUB_DEVICE=/dev/nvme0n1p2 \
		GRUB_DEVICE_UUID=0b5d7e4c-1111-4222-8333-944455556666 \
		GRUB_DEVICE_PARTUUID=6a8b3c2d-02 GRUB_DEVICE_BOOT=/dev/nvme0n1p2 \
		GRUB_CMDLINE_LINUX="${CMDLINE_LINUX:-}" \
		GRUB_CMDLINE_LINUX_DEFAULT=quiet \
		sh "$d/etc/grub.d/42_mint" >"$T/entry" 2>"$T/entry.err"
}

# The words of the first entry's linux line (after the kernel path), one a
# line. (The second entry, "... (nodes not started)", is the same plus
# mint.autostart=0: test grub-no-autostart-entry.)
linux_words() {
	sed -n 's/^[[:space:]]*linux[[:space:]]\{1,\}[^[:space:]]*//p' "$1" |
		head -n 1 | tr -s ' \t' '\n' | sed '/^$/d'
}

# memmap= words of a line/file, '\$' made '$', sorted, one a line
memmaps() { tr ' ' '\n' | grep '^memmap=' | sed 's/\\\$/$/' | LC_ALL=C sort; }

# ------------------------------------------------------------ preconditions
for f in "$MINTCTL" "$B/bzImage" "$B/images/node.cpio"; do
	if [ ! -f "$f" ]; then
		fail build "$f is missing; run 'make all' first"
		exit 1
	fi
done

# ------------------------------------------------------------ (a) the tree
mkdir -p "$D"
if ! do_install "$D"; then
	fail tree "make install DESTDIR=$D failed: $(tail -n 3 "$D.log" | tr '\n' ' ')"
	exit 1
fi
tree_of "$D" >"$T/tree.txt"
why=
if ! diff -u "$EXPECTED" "$T/tree.txt" >"$T/tree.diff"; then
	why="differs from tests/install/expected-tree.txt: $(grep '^[-+][dfl]' "$T/tree.diff" | tr '\n' ' ')"
elif ! cmp -s "$B/bzImage" "$D/boot/mint/bzImage" ||
	! cmp -s "$B/images/node.cpio" "$D/boot/mint/node.cpio" ||
	! cmp -s "$MINTCTL" "$D/usr/sbin/mintctl"; then
	why="an installed binary is not the built one"
elif grep -rl '@[A-Z]*DIR@' "$D/etc" "$D/usr/sbin" "$D/usr/lib" "$D/lib" >/dev/null; then
	why="@...DIR@ left in $(grep -rl '@[A-Z]*DIR@' "$D/etc" "$D/usr" "$D/lib" | head -n 1)"
elif ls "$D"/boot/vmlinuz-* "$D"/vmlinuz-* >/dev/null 2>&1; then
	why="a /boot/vmlinuz-* file: Debian's 10_linux would list it (and make it the default)"
fi
if [ -n "$why" ]; then fail tree "$why"; else pass tree; fi

# ------------------------------------------------------------ (k) configs
why=
for c in "$D/etc/mint/partition.conf" "$D/usr/share/doc/mint/partition.conf.example"; do
	out=$("$MINTCTL" check "$c" 2>&1) || why="$why ${c#"$D"}: $out"
done
if [ -n "$why" ]; then fail configs-valid "$why"; else pass configs-valid; fi

# ------------------------------------------------------------ (b) reservations
# The entry's memmap= set equals 'mintctl bootargs' of the config, for the
# demo config and every config in tests/config/good; no_ipi_broadcast=1 too.
for conf in "$ROOT/configs/demo.conf" "$ROOT"/tests/config/good/*.conf; do
	name=reservations-$(basename "$conf" .conf)
	gen "$D" "$conf"
	want=$("$MINTCTL" bootargs "$conf" | memmaps)
	got=$(linux_words "$T/entry" | tr '\n' ' ' | memmaps)
	n=$(grep -c '^menuentry ' "$T/entry")
	if [ "$n" -ne 2 ]; then
		fail "$name" "$n menu entries (want 2: mint node0 and its '(nodes not started)' twin); stderr: $(tr '\n' ' ' <"$T/entry.err")"
	elif [ -z "$want" ] || [ "$want" != "$got" ]; then
		fail "$name" "entry reserves [$(echo "$got" | tr '\n' ' ')], bootargs [$(echo "$want" | tr '\n' ' ')]"
	elif ! linux_words "$T/entry" | grep -qx no_ipi_broadcast=1; then
		fail "$name" "no no_ipi_broadcast=1 on the linux line"
	elif ! grep -q "^[[:space:]]*linux[[:space:]]\{1,\}/boot/mint/bzImage " "$T/entry"; then
		fail "$name" "the entry does not boot /boot/mint/bzImage"
	elif ! grep -q "'mint-node0'" "$T/entry"; then
		fail "$name" "no menu entry id mint-node0"
	elif grep -v '^mint: found node0 kernel' "$T/entry.err" | grep -q .; then
		fail "$name" "warnings for a valid config: $(tr '\n' ' ' <"$T/entry.err")"
	else
		pass "$name"
	fi
done

# The escaping: in grub.cfg each '$' is '\$' (else GRUB expands $0x...).
gen "$D" "$ROOT/configs/demo.conf"
if linux_words "$T/entry" | grep '^memmap=' | grep -qv '\\\$0x'; then
	fail grub-escaping "a memmap= word without \\\$: $(linux_words "$T/entry" | grep '^memmap=' | tr '\n' ' ')"
else
	pass grub-escaping
fi

# ------------------------------------------------------------ (h) grub syntax
# grub-script-check on the entry, with a stand-in for grub-mkconfig_lib
# (/boot a separate partition: the kernel is /mint/bzImage to GRUB).
why=
if ! command -v grub-script-check >/dev/null; then
	why="grub-script-check missing (package grub-common, tests/rig/deps.sh)"
else
	cat >"$T/grub-lib.sh" <<'EOF'
prepare_grub_to_access_device() {
	echo "insmod part_gpt"
	echo "insmod ext2"
	echo "search --no-floppy --fs-uuid --set=root 7c1f-boot"
}
make_system_path_relative_to_its_root() { echo "${1#/boot}"; }
EOF
	GRUB_LIB=$T/grub-lib.sh gen "$D" "$ROOT/configs/demo.conf"
	if ! grub-script-check "$T/entry" 2>"$T/gsc.err"; then
		why="grub-script-check: $(tr '\n' ' ' <"$T/gsc.err")"
	elif ! grep -q '^	search --no-floppy --fs-uuid --set=root 7c1f-boot$' "$T/entry"; then
		why="prepare_grub_to_access_device's lines missing"
	elif ! grep -q '^	linux	/mint/bzImage ' "$T/entry"; then
		why="kernel path not made relative to /boot's filesystem"
	fi
	gen "$D" "$ROOT/configs/demo.conf"
	grub-script-check "$T/entry" 2>"$T/gsc.err" ||
		why="$why; plain entry: $(tr '\n' ' ' <"$T/gsc.err")"
fi
if [ -n "$why" ]; then fail grub-syntax "$why"; else pass grub-syntax; fi

# The same with Debian's real grub-mkconfig_lib (as 42_mint sources it under
# update-grub), its grub-probe and grub-mkrelpath replaced by stand-ins that
# answer for a GPT disk with / on partition 2 and /boot on partition 1.
why=
lib=/usr/share/grub/grub-mkconfig_lib
if [ ! -r "$lib" ] || ! command -v grub-script-check >/dev/null; then
	why="$lib or grub-script-check missing (package grub-common, tests/rig/deps.sh)"
else
	cat >"$T/grub-probe" <<'EOF'
#!/bin/sh
for a; do case $a in --target=*) t=${a#--target=} ;; esac; done
case $t in
partmap) echo gpt ;;
abstraction) ;;
fs) echo ext2 ;;
compatibility_hint) echo hd0,gpt1 ;;
fs_uuid) echo 7c1f0000-b007-4000-8000-000000000001 ;;
hints_string) echo "--hint-bios=hd0,gpt1 --hint-efi=hd0,gpt1 --hint-baremetal=ahci0,gpt1" ;;
*) exit 1 ;;
esac
EOF
	printf '#!/bin/sh\necho "${1#/boot}"\n' >"$T/grub-mkrelpath"
	chmod +x "$T/grub-probe" "$T/grub-mkrelpath"
	cp "$ROOT/configs/demo.conf" "$D/etc/mint/partition.conf"
	env -i PATH="$PATH" MINT_PREFIX="$D" pkgdatadir=/usr/share/grub \
		grub_probe="$T/grub-probe" grub_mkrelpath="$T/grub-mkrelpath" \
		GRUB_DEVICE=/dev/sda2 GRUB_DEVICE_PARTUUID=6a8b3c2d-02 \
		GRUB_DEVICE_BOOT=/dev/sda1 GRUB_CMDLINE_LINUX_DEFAULT=quiet \
		sh "$D/etc/grub.d/42_mint" >"$T/entry" 2>"$T/entry.err"
	if ! grub-script-check "$T/entry" 2>"$T/gsc.err"; then
		why="grub-script-check: $(tr '\n' ' ' <"$T/gsc.err")"
	elif ! grep -q '^	  search --no-floppy --fs-uuid --set=root --hint-bios=hd0,gpt1 .* 7c1f0000-b007-4000-8000-000000000001$' "$T/entry"; then
		why="no search line from prepare_grub_to_access_device: $(tr '\n' ' ' <"$T/entry")"
	elif ! grep -q '^	linux	/mint/bzImage root=PARTUUID=6a8b3c2d-02 ' "$T/entry"; then
		why="linux line: $(grep linux "$T/entry")"
	fi
fi
if [ -n "$why" ]; then fail grub-mkconfig-lib "$why"; else pass grub-mkconfig-lib; fi

# ------------------------------------------------------------ root=
# No initramfs: PARTUUID= and rootwait=60; with MINT_INITRD: UUID= and an
# initrd line; MINT_ROOT wins; an LVM root without initramfs warns.
why=
gen "$D" "$ROOT/configs/demo.conf"
words=$(linux_words "$T/entry" | tr '\n' ' ')
case " $words" in
" root=PARTUUID=6a8b3c2d-02 ro rootwait=60 quiet "*) ;;
*) why="no initramfs: linux line starts '${words:0:60}'" ;;
esac
cp "$D/etc/default/mint" "$T/default-mint.orig"
echo 'MINT_INITRD=/boot/mint/initrd-node0.img' >>"$D/etc/default/mint"
touch "$D/boot/mint/initrd-node0.img"
gen "$D" "$ROOT/configs/demo.conf"
words=$(linux_words "$T/entry" | tr '\n' ' ')
case " $words" in
" root=UUID=0b5d7e4c-1111-4222-8333-944455556666 ro quiet "*) ;;
*) why="$why; MINT_INITRD: linux line starts '${words:0:60}'" ;;
esac
grep -q '^	initrd	/boot/mint/initrd-node0.img$' "$T/entry" || why="$why; no initrd line"
echo 'MINT_ROOT=/dev/sdz9' >>"$D/etc/default/mint"
gen "$D" "$ROOT/configs/demo.conf"
linux_words "$T/entry" | head -n 1 | grep -qx 'root=/dev/sdz9' || why="$why; MINT_ROOT ignored"
rm -f "$D/boot/mint/initrd-node0.img"
cp "$T/default-mint.orig" "$D/etc/default/mint"
env -i PATH="$PATH" MINT_PREFIX="$D" MINT_GRUB_LIB= GRUB_DEVICE=/dev/mapper/vg-root \
	sh "$D/etc/grub.d/42_mint" >/dev/null 2>"$T/entry.err"
grep -q 'LVM, RAID or dm-crypt' "$T/entry.err" || why="$why; no warning for an LVM root"
if [ -n "$why" ]; then fail root-arg "${why#; }"; else pass root-arg; fi

# A typo in /etc/default/mint is ignored with a warning, never fatal.
why=
echo 'MINT_CMDLINE="console=ttyS1' >>"$D/etc/default/mint"
if ! gen "$D" "$ROOT/configs/demo.conf"; then why="42_mint exited non-zero"; fi
grep -q '^menuentry' "$T/entry" || why="$why; no entry"
grep -q 'default/mint has an error' "$T/entry.err" || why="$why; no warning"
cp "$T/default-mint.orig" "$D/etc/default/mint"
if [ -n "$why" ]; then fail broken-defaults "${why#; }"; else pass broken-defaults; fi

# ------------------------------------------------------------ (c) broken: cache
# A valid config, then a broken one: the entry keeps the last valid
# reservations, the title says so, stderr warns; exit status 0.
why=
rm -f "$D/var/lib/mint/grub-entry"
gen "$D" "$ROOT/configs/demo.conf"
[ -s "$D/var/lib/mint/grub-entry" ] || why="no cache written"
good=$(linux_words "$T/entry" | tr '\n' ' ' | memmaps)
broken=$ROOT/tests/config/bad/autostart-bad.conf
if gen "$D" "$broken"; then :; else why="$why; 42_mint exited $?"; fi
got=$(linux_words "$T/entry" | tr '\n' ' ' | memmaps)
if [ "$(grep -c '^menuentry ' "$T/entry")" -ne 2 ]; then
	why="$why; no mint entries kept"
elif [ "$got" != "$good" ]; then
	why="$why; kept entry reserves [$(echo "$got" | tr '\n' ' ')], last valid [$(echo "$good" | tr '\n' ' ')]"
fi
grep -q "last valid config" "$T/entry" || why="$why; title does not say 'last valid config'"
grep -q 'is not valid' "$T/entry.err" || why="$why; no warning that the config is invalid"
grep -q "autostart: 'maybe'" "$T/entry.err" || why="$why; mintctl's error not shown"
grep -q 'keeping the mint entry' "$T/entry.err" || why="$why; no warning that the old entry is kept"
# the cache is still the valid one
grep -qx 'name=demo' "$D/var/lib/mint/grub-entry" || why="$why; cache overwritten"
if [ -n "$why" ]; then fail broken-keeps-last-entry "${why#; }"; else pass broken-keeps-last-entry; fi

# A damaged cache is not pasted into grub.cfg.
why=
sed -i 's/^args=.*/args=memmap=1G$0x0 init=\/bin\/sh/' "$D/var/lib/mint/grub-entry"
gen "$D" "$broken"
grep -q '^menuentry' "$T/entry" && why="an entry from a damaged cache"
grep -q 'damaged' "$T/entry.err" || why="$why; no warning"
if [ -n "$why" ]; then fail damaged-cache "${why#; }"; else pass damaged-cache; fi

# ------------------------------------------------------------ (d) broken: none
# No cache yet and a broken (or missing) config: no mint entry at all, so
# GRUB boots Debian's entries; a warning; exit status 0.
why=
for c in "$broken" -; do
	rm -f "$D/var/lib/mint/grub-entry"
	gen "$D" "$c" || why="$why; 42_mint exited $? ($c)"
	[ -s "$T/entry" ] && why="$why; output with config $c: $(head -n 1 "$T/entry")"
	grep -q 'no mint entry' "$T/entry.err" || why="$why; no warning ($c)"
	[ -e "$D/var/lib/mint/grub-entry" ] && why="$why; cache written from $c"
done
if [ -n "$why" ]; then fail broken-first-no-entry "${why#; }"; else pass broken-first-no-entry; fi

# ------------------------------------------------------------ RAM warning
# Ranges checked against a fake /sys/firmware/memmap (q35, 4 GiB): demo.conf
# lies in RAM; a range over the firmware's 0x7ffe0000 hole is warned about.
why=
mm=$D/sys/firmware/memmap
mkdir -p "$mm"
i=0
while read -r s e t; do
	mkdir -p "$mm/$i"
	echo "$s" >"$mm/$i/start"
	echo "$e" >"$mm/$i/end"
	echo "$t" >"$mm/$i/type"
	i=$((i + 1))
done <<'EOF'
0x0 0x9fbff System RAM
0x9fc00 0x9ffff Reserved
0xf0000 0xfffff Reserved
0x100000 0x3fffffff System RAM
0x40000000 0x7ffdffff System RAM
0x7ffe0000 0x7fffffff Reserved
0x100000000 0x17fffffff System RAM
EOF
gen "$D" "$ROOT/configs/demo.conf"
grep -q 'not all RAM' "$T/entry.err" && why="warned for demo.conf: $(grep 'not all RAM' "$T/entry.err")"
cat >"$T/hole.conf" <<'EOF'
[partition]
version = 1
name = hole
[node node1]
cpus = 2
memory = 1G@0x60000000
kernel = /boot/mint/bzImage
EOF
gen "$D" "$T/hole.conf"
grep -q 'memmap=1G\$0x60000000 (0x60000000-0x9fffffff) is not all RAM' "$T/entry.err" ||
	why="$why; no warning for 1G@0x60000000: $(tr '\n' ' ' <"$T/entry.err")"
grep -q '^menuentry' "$T/entry" || why="$why; a warning must not drop the entry"
rm -rf "$D/sys"
if [ -n "$why" ]; then fail ram-warning "${why#; }"; else pass ram-warning; fi

# ------------------------------------------------------------ mint-update-grub
# With a stand-in update-grub that writes grub.cfg from 42_mint: valid ->
# exit 0 and the reservations read back; broken -> exit 3, grub.cfg untouched.
why=
cp "$ROOT/configs/demo.conf" "$D/etc/mint/partition.conf"
mkdir -p "$D/boot/grub"
cat >"$T/update-grub" <<EOF
#!/bin/sh
{ echo '### BEGIN /etc/grub.d/42_mint ###'; MINT_GRUB_LIB= GRUB_DEVICE=/dev/sda1 sh "$D/etc/grub.d/42_mint"; echo '### END ###'; } >"$D/boot/grub/grub.cfg"
EOF
chmod +x "$T/update-grub"
run_mug() {
	env -i PATH="$PATH" MINT_PREFIX="$D" MINT_UPDATE_GRUB="$T/update-grub" \
		sh "$D/usr/sbin/mint-update-grub" "$@" >"$T/mug.out" 2>&1
}
run_mug
rc=$?
[ $rc -eq 0 ] || why="valid config: exit $rc: $(tr '\n' ' ' <"$T/mug.out")"
grep -qF "boots node0 with: $("$MINTCTL" bootargs "$ROOT/configs/demo.conf")" "$T/mug.out" ||
	why="$why; reservations not reported: $(tr '\n' ' ' <"$T/mug.out")"
cp "$D/boot/grub/grub.cfg" "$T/grub.cfg.before"
cp "$broken" "$D/etc/mint/partition.conf"
run_mug
rc=$?
[ $rc -eq 3 ] || why="$why; broken config: exit $rc (want 3)"
cmp -s "$T/grub.cfg.before" "$D/boot/grub/grub.cfg" || why="$why; grub.cfg changed with a broken config"
grep -q 'GRUB was not changed' "$T/mug.out" || why="$why; no message that GRUB is unchanged"
# an update-grub that loses the entry is caught
cp "$ROOT/configs/demo.conf" "$D/etc/mint/partition.conf"
printf '#!/bin/sh\necho > "%s"\n' "$D/boot/grub/grub.cfg" >"$T/update-grub"
run_mug
rc=$?
[ $rc -eq 1 ] || why="$why; entry missing after update-grub: exit $rc (want 1)"
run_mug --print
grep -q '^menuentry' "$T/mug.out" || why="$why; --print printed no entry"
run_mug --bogus
rc=$?
[ $rc -eq 2 ] || why="$why; --bogus: exit $rc (want 2)"
if [ -n "$why" ]; then fail mint-update-grub "${why#; }"; else pass mint-update-grub; fi

# ------------------------------------------------------------ (e) systemd unit
# systemd-analyze verify against a root made of the staged tree plus the
# host's own units (for sysinit.target & co.): it also checks that the
# ExecStart= binaries exist in that root and that man:mintctl(1) resolves.
# Any output (e.g. "Unknown key") is a failure too.
verify_unit() { # DESTDIR PREFIX -> $T/verify.out
	local r=$T/vroot
	rm -rf "$r"
	cp -a "$1" "$r"
	mkdir -p "$r/lib/systemd/system"
	cp -an /lib/systemd/system/. "$r/lib/systemd/system/"
	MANPATH=$r$2/share/man SYSTEMD_LOG_COLOR=0 \
		systemd-analyze verify --root="$r" mint-nodes.service mint-vms.service \
		>"$T/verify.out" 2>&1
}
why=
if ! command -v systemd-analyze >/dev/null; then
	why="systemd-analyze missing (package systemd, tests/rig/deps.sh)"
elif ! verify_unit "$D" /usr; then
	why="$(tr '\n' ' ' <"$T/verify.out")"
elif [ -s "$T/verify.out" ]; then
	why="warnings: $(tr '\n' ' ' <"$T/verify.out")"
else
	u=$D/lib/systemd/system/mint-nodes.service
	for l in 'ExecStart=/usr/sbin/mint-autostart start' \
		'ExecStop=-/usr/sbin/mintctl stop --all' \
		'ExecStop=/usr/sbin/mintctl stop --all --force' \
		'ExecStartPre=/usr/sbin/mintctl check --system /etc/mint/partition.conf' \
		'ConditionPathExists=/sys/kernel/mint' 'Type=oneshot' \
		'RemainAfterExit=yes' 'WantedBy=multi-user.target' 'Before=shutdown.target'; do
		grep -qxF "$l" "$u" || why="$why; no '$l'"
	done
	u=$D/lib/systemd/system/mint-vms.service
	for l in 'ExecStart=/usr/sbin/mint-vmd /etc/mint/partition.conf node0' \
		'ExecStartPre=/usr/sbin/mintctl check --system /etc/mint/partition.conf' \
		'ConditionPathExists=/sys/kernel/mint' 'ConditionPathExists=/dev/kvm' \
		'ConditionKernelCommandLine=!mint.autostart=0' \
		'Type=simple' 'WantedBy=multi-user.target' 'Before=shutdown.target'; do
		grep -qxF "$l" "$u" || why="$why; mint-vms.service: no '$l'"
	done
fi
if [ -n "$why" ]; then fail systemd-verify "${why#; }"; else pass systemd-verify; fi

# ------------------------------------------------------------ (j) re-install
# A second 'make install' keeps the admin's files, and PREFIX=/usr/local
# moves the binaries and every reference to them.
why=
echo "# edited by the admin" >>"$D/etc/mint/partition.conf"
echo "# edited by the admin" >>"$D/etc/default/mint"
echo stale >"$D/usr/lib/mint/grub-entry.sh"
if ! do_install "$D"; then
	why="second make install failed: $(tail -n 3 "$D.log" | tr '\n' ' ')"
else
	tail -n 1 "$D/etc/mint/partition.conf" | grep -q 'edited by the admin' ||
		why="/etc/mint/partition.conf overwritten"
	tail -n 1 "$D/etc/default/mint" | grep -q 'edited by the admin' ||
		why="$why; /etc/default/mint overwritten"
	grep -q mint_grub_entry "$D/usr/lib/mint/grub-entry.sh" || why="$why; grub-entry.sh not updated"
fi
L=$T/local
mkdir -p "$L"
if ! do_install "$L" PREFIX=/usr/local; then
	why="$why; PREFIX=/usr/local: make install failed"
else
	[ -x "$L/usr/local/sbin/mintctl" ] || why="$why; no /usr/local/sbin/mintctl"
	grep -qxF 'ExecStart=/usr/local/sbin/mint-autostart start' "$L/lib/systemd/system/mint-nodes.service" ||
		why="$why; the unit does not run /usr/local/sbin/mint-autostart"
	grep -qxF 'ExecStop=/usr/local/sbin/mintctl stop --all --force' "$L/lib/systemd/system/mint-nodes.service" ||
		why="$why; the unit does not stop with /usr/local/sbin/mintctl"
	grep -qF '${MINTCTL:-/usr/local/sbin/mintctl}' "$L/usr/local/sbin/mint-autostart" ||
		why="$why; mint-autostart does not run /usr/local/sbin/mintctl"
	grep -q '"${MINT_PREFIX:-}/usr/local/lib/mint/grub-entry.sh"' "$L/etc/grub.d/42_mint" ||
		why="$why; 42_mint does not source /usr/local/lib/mint"
	cp "$ROOT/configs/demo.conf" "$L/etc/mint/partition.conf"
	env -i PATH="$PATH" MINT_PREFIX="$L" MINT_GRUB_LIB= GRUB_DEVICE=/dev/sda1 \
		sh "$L/etc/grub.d/42_mint" 2>/dev/null | grep -q '^menuentry' ||
		why="$why; no entry from the /usr/local tree"
	if command -v systemd-analyze >/dev/null; then
		verify_unit "$L" /usr/local && [ ! -s "$T/verify.out" ] ||
			why="$why; verify: $(tr '\n' ' ' <"$T/verify.out")"
	fi
fi
if [ -n "$why" ]; then fail reinstall-prefix "${why#; }"; else pass reinstall-prefix; fi

# ------------------------------------------------------------ GRUB: no autostart
# The second entry: the first one's title plus " (nodes not started)", id
# mint-node0-noautostart, the same lines plus mint.autostart=0 on the linux
# line; also when the entries come from the last valid config.
entry_n() { awk -v n="$1" '/^menuentry /{i++} i==n' "$T/entry"; }
check_twin() { # LABEL
	local e1 e2 t1 t2 l1 l2
	e1=$(entry_n 1)
	e2=$(entry_n 2)
	if [ -z "$e2" ]; then
		why="$why; $1: no second entry"
		return
	fi
	t1=$(printf '%s\n' "$e1" | sed -n "s/^menuentry '\([^']*\)'.*/\1/p")
	t2=$(printf '%s\n' "$e2" | sed -n "s/^menuentry '\([^']*\)'.*/\1/p")
	[ "$t2" = "$t1 (nodes not started)" ] || why="$why; $1: second title '$t2'"
	printf '%s\n' "$e2" | grep -qF "\$menuentry_id_option 'mint-node0-noautostart' {" ||
		why="$why; $1: second entry's id is not mint-node0-noautostart"
	l1=$(printf '%s\n' "$e1" | grep '^[[:space:]]*linux[[:space:]]')
	l2=$(printf '%s\n' "$e2" | grep '^[[:space:]]*linux[[:space:]]')
	[ -n "$l1" ] && [ "$l2" = "$l1 mint.autostart=0" ] ||
		why="$why; $1: second linux line '$l2' is not the first's plus mint.autostart=0"
	# everything else alike (the echo line may differ)
	[ "$(printf '%s\n' "$e1" | sed '1d; /^[[:space:]]*\(linux\|echo\)[[:space:]]/d')" = \
		"$(printf '%s\n' "$e2" | sed '1d; /^[[:space:]]*\(linux\|echo\)[[:space:]]/d')" ] ||
		why="$why; $1: the entries differ in more than title, echo and linux"
}
why=
cp "$D/etc/default/mint" "$T/default-mint.orig"
echo 'MINT_INITRD=/boot/mint/initrd-node0.img' >>"$D/etc/default/mint"
touch "$D/boot/mint/initrd-node0.img"
gen "$D" "$ROOT/configs/demo.conf"
check_twin "with MINT_INITRD"
grep -c '^	initrd	/boot/mint/initrd-node0.img$' "$T/entry" | grep -qx 2 || why="$why; not two initrd lines"
rm -f "$D/boot/mint/initrd-node0.img"
cp "$T/default-mint.orig" "$D/etc/default/mint"
gen "$D" "$ROOT/configs/demo.conf"
check_twin "plain"
if command -v grub-script-check >/dev/null; then
	grub-script-check "$T/entry" 2>"$T/gsc.err" || why="$why; grub-script-check: $(tr '\n' ' ' <"$T/gsc.err")"
fi
gen "$D" "$ROOT/tests/config/bad/autostart-bad.conf"
check_twin "last valid config"
# mint-update-grub reads the twin back and says how to boot it once
cp "$ROOT/configs/demo.conf" "$D/etc/mint/partition.conf"
cat >"$T/update-grub" <<EOF
#!/bin/sh
MINT_GRUB_LIB= GRUB_DEVICE=/dev/sda1 sh "$D/etc/grub.d/42_mint" >"$D/boot/grub/grub.cfg"
EOF
run_mug
rc=$?
[ $rc -eq 0 ] || why="$why; mint-update-grub: exit $rc: $(tr '\n' ' ' <"$T/mug.out")"
grep -q 'grub-reboot mint-node0-noautostart' "$T/mug.out" || why="$why; mint-update-grub does not name mint-node0-noautostart"
cat >"$T/update-grub" <<EOF
#!/bin/sh
MINT_GRUB_LIB= GRUB_DEVICE=/dev/sda1 sh "$D/etc/grub.d/42_mint" |
	awk '/^menuentry .*noautostart/{skip=1} !skip; /^}/{skip=0}' >"$D/boot/grub/grub.cfg"
EOF
run_mug
rc=$?
[ $rc -eq 1 ] || why="$why; mint-update-grub without the twin in grub.cfg: exit $rc (want 1)"
if [ -n "$why" ]; then fail grub-no-autostart-entry "${why#; }"; else pass grub-no-autostart-entry; fi

# ------------------------------------------------------------ autostart
# mint-autostart, as installed (the unit's ExecStart), with a stand-in
# mintctl first on PATH: its 'start' logs the node and what the boot-attempt
# marker said at that moment, and can fail (FAKE_FAIL) or take the machine
# down with it (FAKE_CRASH: kills mint-autostart, as a crash or a hang and
# reset would end it); every other command is the real mintctl.
A=$T/autostart
mkdir -p "$A/bin"
cat >"$A/bin/mintctl" <<EOF
#!/bin/sh
if [ "\$1" = start ]; then
	for a; do node=\$a; done
	echo "\$node" >>"$A/started"
	cat "$A/state/autostart-starting/\$node" >>"$A/markers" 2>/dev/null ||
		echo "no marker for \$node" >>"$A/markers"
	case " \${FAKE_CRASH:-} " in *" \$node "*) kill -KILL \$PPID; exit 9 ;; esac
	case " \${FAKE_FAIL:-} " in *" \$node "*) exit 1 ;; esac
	exit 0
fi
exec "$MINTCTL" "\$@"
EOF
chmod +x "$A/bin/mintctl"
# boot BOOT_ID [VAR=VALUE...]: one boot's mint-autostart start; its output
# in $A/out, the nodes it started in $A/started; returns its exit status
boot() {
	local id=$1
	shift
	echo "$id" >"$A/boot_id"
	rm -f "$A/started" "$A/markers"
	# in a subshell that waits: bash's "Killed" for FAKE_CRASH goes nowhere
	(
		env -i PATH="$A/bin:$PATH" MINTCTL=mintctl MINT_CONFIG="$ROOT/configs/demo.conf" \
			MINT_DEFAULTS="$A/default-mint" MINT_STATE_DIR="$A/state" \
			MINT_CMDLINE_FILE="$A/cmdline" MINT_BOOT_ID_FILE="$A/boot_id" "$@" \
			sh "$D/usr/sbin/mint-autostart" start >"$A/out" 2>&1
		exit $?
	) 2>/dev/null
}
autostart_cmd() { # mint-autostart ARGS (status, clear) -> $A/out
	env -i PATH="$A/bin:$PATH" MINTCTL=mintctl MINT_DEFAULTS="$A/default-mint" \
		MINT_STATE_DIR="$A/state" MINT_CMDLINE_FILE="$A/cmdline" \
		sh "$D/usr/sbin/mint-autostart" "$@" >"$A/out" 2>&1
}
started() { tr '\n' ' ' 2>/dev/null <"$A/started" | sed 's/ $//'; }
out() { tr '\n' ' ' <"$A/out"; }
echo 'BOOT_IMAGE=/mint/bzImage root=PARTUUID=6a8b3c2d-02 ro quiet' >"$A/cmdline"

# Opt-in: make install writes MINT_AUTOSTART=no, and with it (or without the
# variable, or with a value that is not yes) no node starts; the unit stays
# active (exit 0) so that nodes started by hand are stopped at shutdown.
why=
grep -qx 'MINT_AUTOSTART=no' "$D/etc/default/mint" || why="make install does not write MINT_AUTOSTART=no"
grep -q 'autostart is off' "$D.log" || why="$why; make install does not say autostart is off"
cp "$D/etc/default/mint" "$A/default-mint"
for v in installed '' maybe broken; do
	case $v in
	installed) ;;
	'') grep -v MINT_AUTOSTART "$D/etc/default/mint" >"$A/default-mint" ;;
	broken) printf 'MINT_AUTOSTART=yes\nMINT_CMDLINE="oops\n' >"$A/default-mint" ;;
	*) echo "MINT_AUTOSTART=$v" >"$A/default-mint" ;;
	esac
	boot a-$v
	rc=$?
	[ $rc -eq 0 ] || why="$why; MINT_AUTOSTART ${v:-unset}: exit $rc"
	[ -z "$(started)" ] || why="$why; MINT_AUTOSTART ${v:-unset}: started $(started)"
	grep -q 'autostart is off' "$A/out" || why="$why; MINT_AUTOSTART ${v:-unset}: no 'autostart is off': $(out)"
done
if [ -n "$why" ]; then fail autostart-opt-in "${why#; }"; else pass autostart-opt-in; fi

# MINT_AUTOSTART=yes: the autostart nodes in config order, each with its
# marker "starting NODE (boot ID)" on disk while 'mintctl start' runs, and
# no marker left after; a start that fails is reported, not retried, does
# not block the node and does not stop the next one.
why=
echo 'MINT_AUTOSTART=yes' >"$A/default-mint"
rm -rf "$A/state"
boot b-1
rc=$?
[ $rc -eq 0 ] || why="exit $rc: $(out)"
[ "$(started)" = "node1 node2" ] || why="$why; started '$(started)' (want node1 node2)"
grep -q '^starting node1 (boot b-1) ' "$A/markers" && grep -q '^starting node2 (boot b-1) ' "$A/markers" ||
	why="$why; markers during the starts: $(tr '\n' ' ' <"$A/markers")"
[ -z "$(ls -A "$A/state/autostart-starting" 2>/dev/null)" ] || why="$why; markers left: $(ls "$A/state/autostart-starting")"
boot b-2 FAKE_FAIL=node1
rc=$?
[ $rc -eq 1 ] || why="$why; a failed start: exit $rc (want 1)"
[ "$(started)" = "node1 node2" ] || why="$why; after a failed node1: started '$(started)'"
grep -q 'node1 did not start' "$A/out" || why="$why; failed start not reported: $(out)"
[ -z "$(ls -A "$A/state/autostart-starting" 2>/dev/null)$(ls -A "$A/state/autostart-blocked" 2>/dev/null)" ] ||
	why="$why; a failed start left a marker or a block"
if [ -n "$why" ]; then fail autostart-starts "${why#; }"; else pass autostart-starts; fi

# A start that took the machine down (its marker is still there at the next
# boot, from another boot id) blocks that node: the next boots start the
# others, say why, and leave a file with the reason, until
# 'mint-autostart clear NODE'. A marker of this very boot (the unit was
# restarted after mint-autostart was killed) blocks nothing.
why=
rm -rf "$A/state"
boot c-1 FAKE_CRASH=node2
grep -q '^starting node2 (boot c-1) ' "$A/state/autostart-starting/node2" 2>/dev/null ||
	why="no marker left by the crashed start"
boot c-2
rc=$?
[ $rc -eq 1 ] || why="$why; next boot: exit $rc (want 1)"
[ "$(started)" = node1 ] || why="$why; next boot started '$(started)' (want node1)"
b=$A/state/autostart-blocked/node2
if [ ! -f "$b" ]; then
	why="$why; no $b"
else
	grep -q 'did not finish (starting node2 (boot c-1) ' "$b" || why="$why; $b: $(cat "$b")"
	grep -q 'mint-autostart clear node2' "$b" || why="$why; $b does not say how to clear it"
fi
grep -q 'not starting node2: .*did not finish' "$A/out" || why="$why; the boot does not say why: $(out)"
[ -e "$A/state/autostart-starting/node2" ] && why="$why; the old marker stayed"
boot c-3
[ "$(started)" = node1 ] || why="$why; third boot started '$(started)' (want node1)"
autostart_cmd status
grep -q '^blocked: node2: ' "$A/out" || why="$why; status: $(out)"
autostart_cmd clear node2
[ -e "$b" ] && why="$why; clear left $b"
boot c-4
[ "$(started)" = "node1 node2" ] || why="$why; after clear started '$(started)'"
autostart_cmd clear node9
grep -q 'node9 is not blocked' "$A/out" || why="$why; clear of an unblocked node: $(out)"
rm -rf "$A/state"
boot c-5 FAKE_CRASH=node1
boot c-5
[ "$(started)" = "node1 node2" ] || why="$why; a marker of the same boot blocked: started '$(started)'"
[ -e "$A/state/autostart-blocked/node1" ] && why="$why; a marker of the same boot made a block"
if [ -n "$why" ]; then fail autostart-crash-blocks "${why#; }"; else pass autostart-crash-blocks; fi

# mint.autostart=0 on the kernel command line (GRUB's "(nodes not started)"
# entry) starts nothing, even with MINT_AUTOSTART=yes, and says so; a
# crashed start is still turned into a block.
why=
rm -rf "$A/state"
boot d-1 FAKE_CRASH=node1
echo 'BOOT_IMAGE=/mint/bzImage root=PARTUUID=6a8b3c2d-02 ro mint.autostart=0 quiet' >"$A/cmdline"
boot d-2
rc=$?
[ $rc -eq 0 ] || why="exit $rc"
[ -z "$(started)" ] || why="$why; started $(started)"
grep -q 'mint.autostart=0 on the kernel command line: no node started' "$A/out" || why="$why; no message: $(out)"
[ -f "$A/state/autostart-blocked/node1" ] || why="$why; the crashed start of node1 was not recorded"
autostart_cmd status
grep -q 'mint.autostart=0' "$A/out" || why="$why; status does not show mint.autostart=0"
echo 'BOOT_IMAGE=/mint/bzImage root=PARTUUID=6a8b3c2d-02 ro quiet' >"$A/cmdline"
if [ -n "$why" ]; then fail autostart-cmdline-off "${why#; }"; else pass autostart-cmdline-off; fi

# ------------------------------------------------------------ kernel flavour
# 'make install' of the emulated machine's kernel (KERNEL_FLAVOUR=emu) on a
# real machine is refused before anything is built or installed, pointing to
# KERNEL_FLAVOUR=server; MINT_ALLOW_EMU_KERNEL=1 and a virtual machine pass;
# staging into DESTDIR warns. Runs of 'make install' into / are made as an
# unprivileged user: past the check they stop at "needs root".
as_user() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
	else
		"$@"
	fi
}
try_make() { # LOG MACHINE make-args...
	local log=$1 machine=$2
	shift 2
	as_user env MINT_MACHINE="$machine" "$MAKE" -C "$ROOT" --no-print-directory \
		B="$B" DESTDIR= "$@" >"$log" 2>&1
}
why=
for t in install install-files; do
	try_make "$T/flav.log" real "$t"
	rc=$?
	[ $rc -ne 0 ] || why="$why; $t on a real machine: exit 0"
	grep -q '^install: refusing to install the emulated machine' "$T/flav.log" &&
		grep -q 'sudo make install KERNEL_FLAVOUR=server' "$T/flav.log" ||
		why="$why; $t: no refusal pointing to KERNEL_FLAVOUR=server: $(tail -n 3 "$T/flav.log" | tr '\n' ' ')"
	grep -q 'INSTALL into\|needs root\|deps.sh' "$T/flav.log" && why="$why; $t got past the check: $(tr '\n' ' ' <"$T/flav.log")"
done
try_make "$T/flav.log" real install-files MINT_ALLOW_EMU_KERNEL=1
grep -q 'needs root' "$T/flav.log" || why="$why; MINT_ALLOW_EMU_KERNEL=1: not past the check: $(tr '\n' ' ' <"$T/flav.log")"
grep -q 'MINT_ALLOW_EMU_KERNEL=1' "$T/flav.log" || why="$why; MINT_ALLOW_EMU_KERNEL=1: no warning"
try_make "$T/flav.log" virtual install-files
grep -q 'needs root' "$T/flav.log" || why="$why; in a virtual machine: not past the check: $(tr '\n' ' ' <"$T/flav.log")"
grep -q "warning: staging the emulated machine's kernel" "$D.log" || why="$why; staging into DESTDIR: no warning"
# the server flavour passes: a stand-in build directory with bzImage-server
FB=$T/fakeb
mkdir -p "$FB/bin" "$FB/images" "$FB/guest"
ln -s "$MINTCTL" "$FB/bin/mintctl"
ln -s "$B/images/node.cpio" "$FB/images/node.cpio"
ln -s "$B/guest/vmlinuz" "$B/guest/initrd.gz" "$FB/guest/"
echo 'stand-in for the server kernel' >"$FB/bzImage-server"
S=$T/server
mkdir -p "$S"
if ! MINT_MACHINE=real "$MAKE" -C "$ROOT" --no-print-directory install-files KERNEL_FLAVOUR=server \
	B="$FB" DESTDIR="$S" >"$S.log" 2>&1; then
	why="$why; KERNEL_FLAVOUR=server: $(tail -n 3 "$S.log" | tr '\n' ' ')"
else
	cmp -s "$FB/bzImage-server" "$S/boot/mint/bzImage" || why="$why; KERNEL_FLAVOUR=server did not install bzImage-server"
	grep -q 'warning' "$S.log" && why="$why; KERNEL_FLAVOUR=server warned: $(grep warning "$S.log")"
fi
chmod 755 "$T" # for the unprivileged user
try_make "$T/flav.log" real install-files KERNEL_FLAVOUR=server B="$FB"
grep -q 'needs root' "$T/flav.log" || why="$why; KERNEL_FLAVOUR=server into / on a real machine: not past the check: $(tr '\n' ' ' <"$T/flav.log")"
if [ -n "$why" ]; then fail emu-kernel-refused "${why#; }"; else pass emu-kernel-refused; fi

# The detection without systemd-detect-virt: the CPU's hypervisor flag, then
# DMI (QEMU's q35 names itself "Standard PC (Q35 + ICH9, 2009)").
why=
mkdir -p "$T/minbin" "$T/dmi"
for c in sh cat grep tr; do ln -sf "$(command -v $c)" "$T/minbin/$c"; done
detect() { # SYS_VENDOR PRODUCT CPU_FLAGS -> exit status of flavour-check
	echo "$1" >"$T/dmi/sys_vendor"
	echo "$2" >"$T/dmi/product_name"
	printf 'processor\t: 0\nflags\t\t: fpu %s\n' "$3" >"$T/cpuinfo"
	env -i PATH="$T/minbin" MINT_DMI_DIR="$T/dmi" MINT_CPUINFO="$T/cpuinfo" \
		sh "$ROOT/partitioner/install/flavour-check" emu "" >/dev/null 2>&1
}
detect QEMU 'Standard PC (Q35 + ICH9, 2009)' 'sse2 hypervisor' || why="q35 with the hypervisor flag taken for a real machine"
detect QEMU 'Standard PC (Q35 + ICH9, 2009)' 'sse2' || why="$why; q35 taken for a real machine"
detect 'Example Cloud' 'm1.small' 'sse2 hypervisor' || why="$why; the hypervisor flag ignored"
detect 'Dell Inc.' 'PowerEdge R650' 'sse2 vmx' && why="$why; a PowerEdge taken for a virtual machine"
if [ -n "$why" ]; then fail emu-kernel-detect "${why#; }"; else pass emu-kernel-detect; fi

# ------------------------------------------------------------ uninstall
# install + uninstall into a DESTDIR leaves the admin's two files (with
# their edits) and nothing else, mint's state in /var/lib/mint included;
# PURGE=1 removes those too. Staged, it runs neither systemctl nor
# update-grub, even with systemd running (stand-ins on PATH record any
# call); into / its recipe disables and stops both units and runs
# update-grub.
why=
U=$T/uninstall
mkdir -p "$U" "$T/fakebin"
if ! do_install "$U"; then
	why="make install failed: $(tail -n 3 "$U.log" | tr '\n' ' ')"
else
	echo '# edited by the admin' >>"$U/etc/mint/partition.conf"
	mkdir -p "$U/var/lib/mint/autostart-blocked" "$U/var/lib/mint/autostart-starting"
	echo 'node2: ...' >"$U/var/lib/mint/autostart-blocked/node2"
	echo 'starting node1 (boot x)' >"$U/var/lib/mint/autostart-starting/node1"
	env -i PATH="$PATH" MINT_PREFIX="$U" sh "$U/etc/grub.d/42_mint" >/dev/null 2>&1
	for c in systemctl update-grub grub-mkconfig; do
		printf '#!/bin/sh\necho "%s $*" >>"%s"\n' "$c" "$T/called" >"$T/fakebin/$c"
		chmod +x "$T/fakebin/$c"
	done
	rm -f "$T/called"
	if ! PATH="$T/fakebin:$PATH" "$MAKE" -C "$ROOT" --no-print-directory uninstall \
		DESTDIR="$U" INST_SYSTEMD_RUN="$T" >"$U.ulog" 2>&1; then
		why="make uninstall failed: $(tail -n 3 "$U.ulog" | tr '\n' ' ')"
	fi
	tree_of "$U" >"$T/utree"
	printf '%s\n' 'd 755 etc' 'd 755 etc/default' 'f 644 etc/default/mint' \
		'd 755 etc/mint' 'f 644 etc/mint/partition.conf' >"$T/utree.want"
	diff -u "$T/utree.want" "$T/utree" >"$T/utree.diff" ||
		why="$why; left behind: $(grep '^[-+][dfl]' "$T/utree.diff" | tr '\n' ' ')"
	tail -n 1 "$U/etc/mint/partition.conf" 2>/dev/null | grep -q 'edited by the admin' ||
		why="$why; the admin's partition.conf was changed"
	grep -q 'KEEP    /etc/mint/partition.conf' "$U.ulog" || why="$why; does not say it keeps partition.conf"
	[ -e "$T/called" ] && why="$why; staged uninstall ran: $(tr '\n' ' ' <"$T/called")"
	PATH="$T/fakebin:$PATH" "$MAKE" -C "$ROOT" --no-print-directory uninstall DESTDIR="$U" PURGE=1 \
		INST_SYSTEMD_RUN="$T" >"$U.ulog" 2>&1 || why="$why; PURGE=1 failed"
	[ -e "$T/called" ] && why="$why; staged uninstall PURGE=1 ran: $(tr '\n' ' ' <"$T/called")"
	[ -z "$(ls -A "$U")" ] || why="$why; PURGE=1 left: $(cd "$U" && find . -mindepth 1 | tr '\n' ' ')"
fi
"$MAKE" -n -C "$ROOT" --no-print-directory uninstall DESTDIR= >"$T/u-n.log" 2>&1
grep -q 'systemctl disable --now mint-nodes.service mint-vms.service' "$T/u-n.log" ||
	why="$why; uninstall into / does not disable --now both units"
grep -q 'update-grub' "$T/u-n.log" || why="$why; uninstall into / does not run update-grub"
if [ -n "$why" ]; then fail uninstall "${why#; }"; else pass uninstall; fi

# ------------------------------------------------------------ make help
# 'make help' names every variable set with ?= in the top-level Makefile and
# the .mk files it includes (and those include), or used there without being
# set, as NAME=, and every target of the top-level Makefile's .PHONY.
why=
"$MAKE" -C "$ROOT" --no-print-directory help >"$T/help.txt" 2>&1 || why="make help failed"
mkfiles=Makefile
todo=Makefile
while [ -n "$todo" ]; do
	next=
	for f in $todo; do
		for inc in $(sed -n 's/^-\{0,1\}include[[:space:]]\{1,\}//p' "$ROOT/$f" | tr ' ' '\n' |
			grep '\.mk$' | sed 's|^\$([A-Z_]*)/||'); do
			[ -f "$ROOT/$inc" ] || continue
			case " $mkfiles " in *" $inc "*) continue ;; esac
			mkfiles="$mkfiles $inc"
			next="$next $inc"
		done
	done
	todo=$next
done
read -r -a mkarr <<<"$mkfiles"
vars=$(cd "$ROOT" && sed -n 's/^\([A-Za-z_][A-Za-z0-9_]*\)[[:space:]]*?=.*/\1/p' "${mkarr[@]}" | sort -u)
# ... and the variables used but never assigned (DEMO_ARGS...), but make's
# own, HOME and internal INST_*; and V, which goes to kbuild
assigned=$(cd "$ROOT" && sed -n 's/^\(export[[:space:]]\{1,\}\)\{0,1\}\([A-Za-z_][A-Za-z0-9_]*\)[[:space:]]*[:?+]\{0,2\}=.*/\2/p' "${mkarr[@]}" | sort -u)
used=$(cd "$ROOT" && grep -oh '\$([A-Z_][A-Z0-9_]*)' "${mkarr[@]}" | sed 's/^\$(\(.*\))$/\1/' | sort -u |
	grep -vx 'CURDIR\|HOME\|MAKE\|MAKEFLAGS\|MAKEFILE_LIST\|INST_.*')
vars=$( (
	printf '%s\n' "$vars" V
	comm -23 <(echo "$used") <(echo "$assigned")
) | sort -u)
targets=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$ROOT/Makefile" | sed -n 's/^\.PHONY:[[:space:]]*//p' |
	tr -s ' \t' '\n' | sed '/^$/d' | sort -u)
[ -n "$vars" ] && [ -n "$targets" ] || why="$why; found no ?= variables or .PHONY targets in $mkfiles"
for v in $vars; do
	grep -Eq "(^|[^A-Za-z0-9_])$v=" "$T/help.txt" || why="$why; variable $v"
done
for t in $targets; do
	grep -Eq "(^|[^A-Za-z0-9_-])$t([^A-Za-z0-9_-]|$)" "$T/help.txt" || why="$why; target $t"
done
if [ -n "$why" ]; then
	fail make-help "not in 'make help' (the '#   ' lines at the top of the Makefile): ${why#; } (read: $mkfiles)"
else
	pass make-help
fi

# ------------------------------------------------------------ docs
# docs/bare-metal.md: every make command that builds or installs carries
# KERNEL_FLAVOUR=server (the default kernel cannot boot a server); the stale
# "does not exist yet" is gone; what it names exists (files of the tree,
# build/linux-obj-server and build/bzImage-server in the Makefile); it
# documents uninstall, the autostart opt-in and how to boot without nodes.
why=
bm=$ROOT/docs/bare-metal.md
# commands: the lines of code blocks, and inline code that starts with sudo
cmds=$( (
	awk '/^ *```/{c=!c; next} c' "$bm"
	grep -o '`sudo [^`]*`' "$bm" | tr -d '`'
) | sed -n 's/^[[:space:]]*\(sudo[[:space:]]\{1,\}\)\{0,1\}\(make\([[:space:]].*\)\{0,1\}\)$/\2/p' | sed 's/[[:space:]]*#.*//')
while IFS= read -r c; do
	[ -n "$c" ] || continue
	case " $c " in
	*" deps "* | *" help "* | *" install-check "* | *" check "* | *" uninstall "*) continue ;;
	*KERNEL_FLAVOUR=server*) ;;
	*) why="$why; '$c' without KERNEL_FLAVOUR=server" ;;
	esac
done <<EOF
$cmds
EOF
grep -q 'sudo make install KERNEL_FLAVOUR=server' "$bm" || why="$why; no 'sudo make install KERNEL_FLAVOUR=server'"
grep -qi 'does not exist yet' "$bm" && why="$why; still says 'does not exist yet'"
for p in $(grep -o '`\(configs\|tests\|partitioner\|kernel-patches\|kvm-per-node\|docs\)/[^` ]*`' "$bm" | tr -d '`' | sort -u); do
	[ -e "$ROOT/$p" ] || why="$why; names $p, which does not exist"
done
for p in build/linux-obj-server build/bzImage-server; do
	p=${p#build/}
	if grep -q "$p" "$bm" && ! grep -q "$p" "$ROOT/Makefile"; then why="$why; names $p, the Makefile does not"; fi
done
for w in 'make uninstall' 'PURGE=1' 'MINT_AUTOSTART=yes' 'mint-autostart clear' \
	'mint-autostart status' 'mint.autostart=0' '(nodes not started)' \
	'mint-node0-noautostart' 'MINT_ALLOW_EMU_KERNEL=1'; do
	grep -qF -- "$w" "$bm" || why="$why; does not mention $w"
done
if [ -n "$why" ]; then fail docs-bare-metal "${why#; }"; else pass docs-bare-metal; fi

# README: where the commands run and how to reach node0, where the binaries
# are (each path it names under build/ exists after 'make all'), how long
# and what the two commands need, how to leave machine.py boot --interactive
# as machine.py runs it (stdio without a multiplexer: no Ctrl-A X).
why=
rd=$ROOT/README.md
for w in 'in node0, as root' 'machine.py boot --interactive' 'DEMO_ARGS=--keep' \
	'machine.py run RUN_DIR' 'build/bin/mintctl' 'build/bzImage' 'build/images/' \
	'poweroff -f' 'make help' 'What they need' 'How long' 'disk' 'RAM' 'network' 'root'; do
	grep -qF -- "$w" "$rd" || why="$why; does not mention '$w'"
done
# (bzImage-server: KERNEL_FLAVOUR=server; runs/: the first boot;
# tests/check.log: make check)
for p in $(grep -o '`build/[^` ]*`' "$rd" | tr -d '`' | grep -v 'bzImage-server\|check\.log\|runs/' | sort -u); do
	[ -e "$B/${p#build/}" ] || why="$why; names $p, which 'make all' does not make"
done
mp=$ROOT/tests/rig/machine.py
if grep -q 'stdio,id={name},signal=off' "$mp" && ! grep -q 'mux=on' "$mp"; then
	grep -qi 'no Ctrl-A X' "$rd" || why="$why; does not say Ctrl-A X is not there"
	grep -q 'Ctrl-A X' "$rd" && ! grep -qi 'no Ctrl-A X' "$rd" && why="$why; offers Ctrl-A X"
else
	why="$why; machine.py's console is not stdio,signal=off without mux any more: check the README's way out"
fi
grep -q -- '-no-reboot' "$mp" || why="$why; machine.py runs QEMU without -no-reboot: reboot -f would not end it"
if [ -n "$why" ]; then fail docs-readme "${why#; }"; else pass docs-readme; fi

# ------------------------------------------------------------ (f) shellcheck
why=
if ! command -v shellcheck >/dev/null; then
	why="shellcheck missing"
else
	# default-mint only sets variables for grub-entry.sh (SC2034)
	out=$(cd "$ROOT" && shellcheck -s sh partitioner/install/42_mint \
		partitioner/install/grub-entry.sh partitioner/install/mint-update-grub \
		partitioner/install/mint-autostart partitioner/install/flavour-check 2>&1 &&
		shellcheck -s sh -e SC2034 partitioner/install/default-mint 2>&1 &&
		shellcheck tests/install/run.sh 2>&1) || why=$(echo "$out" | head -n 5 | tr '\n' ' ')
fi
if [ -n "$why" ]; then fail shellcheck "$why"; else pass shellcheck; fi

exit $failed
