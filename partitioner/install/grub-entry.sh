# shellcheck shell=sh
# SPDX-License-Identifier: GPL-2.0
#
# node0's GRUB menu entry: the core of /etc/grub.d/42_mint and of
# mint-update-grub. Installed as @LIBDIR@/grub-entry.sh; sourced, never run.
#
# mint_grub_entry prints the menuentry that boots node0's kernel with the
# reservations of /etc/mint/partition.conf ('mintctl bootargs --format=grub')
# and its twin "... (nodes not started)" (id mint-node0-noautostart, the same
# plus mint.autostart=0: no node and no VM is started at that boot), or
# nothing. It always returns 0: a failing /etc/grub.d script makes
# update-grub fail, and update-grub runs from every kernel package upgrade.
#
#   config valid          the entry, with the config's reservations; they are
#                         cached in /var/lib/mint/grub-entry
#   config broken/missing the entry with the cached reservations of the last
#                         valid config, and a warning on stderr
#   ... and no cache      no mint entry at all (GRUB keeps Debian's entries),
#                         and a warning on stderr
#
# Inputs (grub-mkconfig exports the GRUB_* variables; see 10_linux):
#   GRUB_DISTRIBUTOR, GRUB_CMDLINE_LINUX, GRUB_CMDLINE_LINUX_DEFAULT,
#   GRUB_DEVICE, GRUB_DEVICE_UUID, GRUB_DEVICE_PARTUUID, GRUB_DEVICE_BOOT,
#   GRUB_DISABLE_LINUX_PARTUUID
#   /etc/default/mint     MINT_CMDLINE, MINT_ROOT, MINT_INITRD
#   MINT_PREFIX           a directory every path above is read from (and the
#                         cache written to) instead of /: tests, packaging
#   MINT_NO_CACHE_WRITE=1 do not write the cache (mint-update-grub --print)
# When grub-mkconfig_lib is loaded (42_mint sources it), its
# prepare_grub_to_access_device and make_system_path_relative_to_its_root
# are used as 10_linux uses them; without it the paths are taken as they are.

MINT_SBINDIR=@SBINDIR@
MINT_CONF_PATH=/etc/mint/partition.conf
MINT_DEFAULTS_PATH=/etc/default/mint
MINT_CACHE_PATH=/var/lib/mint/grub-entry
MINT_KERNEL_PATH=/boot/mint/bzImage
MINT_MEMMAP_DIR=/sys/firmware/memmap
MINT_ENTRY_ID=mint-node0

mint_warn() {
	printf '%s\n' "mint: $*" >&2
}

# Are all words of $1 reservations mintctl bootargs --format=grub prints?
# The cache is checked with this before it goes into grub.cfg.
mint_args_ok() {
	case $1 in
	'' | *[!a-zA-Z0-9_=\\$\ ]*) return 1 ;; # also: no glob characters
	esac
	for w in $1; do
		case $w in
		no_ipi_broadcast=1) ;;
		memmap=*"\\\$0x"*)
			sz=${w#memmap=}
			sz=${sz%%"\\\$"*}
			base=${w#*"\\\$0x"}
			case $sz in
			'' | [!0-9]* | *[!0-9KMG]* | *[KMG]?*) return 1 ;;
			esac
			case $base in
			'' | *[!0-9a-f]*) return 1 ;;
			esac
			;;
		*) return 1 ;;
		esac
	done
	return 0
}

mint_name_ok() {
	case $1 in
	'' | [!a-z]* | *[!a-z0-9_-]*) return 1 ;;
	esac
	[ "${#1}" -le 31 ]
}

# SIZE (decimal, optional K/M/G) -> bytes
mint_bytes() {
	case $1 in
	*K) echo $((${1%K} * 1024)) ;;
	*M) echo $((${1%M} * 1024 * 1024)) ;;
	*G) echo $((${1%G} * 1024 * 1024 * 1024)) ;;
	*) echo $(($1)) ;;
	esac
}

# Warn about each reserved range (grub-form arguments in $1) that is not
# entirely RAM in the firmware's memory map (/sys/firmware/memmap, which
# lists the firmware e820 before any memmap= option). Such a config boots,
# but its nodes cannot start; the warning is all this does.
mint_check_ram() {
	dir=$MINT_PREFIX$MINT_MEMMAP_DIR
	[ -d "$dir" ] || return 0
	ram=$(
		for e in "$dir"/*; do
			[ -r "$e/type" ] || continue
			[ "$(cat "$e/type")" = "System RAM" ] || continue
			echo "$(($(cat "$e/start"))) $(($(cat "$e/end")))"
		done | sort -n
	)
	[ -n "$ram" ] || return 0
	for w in $1; do
		case $w in memmap=*) ;; *) continue ;; esac
		sz=${w#memmap=}
		sz=$(mint_bytes "${sz%%"\\\$"*}")
		base=$((0x${w#*"\\\$0x"}))
		end=$((base + sz - 1))
		# walk the sorted RAM entries, joining adjacent ones
		covered=$(echo "$ram" | {
			at=$base
			while read -r s e; do
				if [ "$s" -le "$at" ] && [ "$e" -ge "$at" ]; then
					at=$((e + 1))
				fi
				if [ "$at" -gt "$end" ]; then
					echo yes
					break
				fi
			done
		})
		if [ "$covered" != yes ]; then
			mint_warn "reservation $(printf '%s' "$w" | sed 's/[\\]//g')" \
				"(0x$(printf '%x' "$base")-0x$(printf '%x' "$end"))" \
				"is not all RAM in the firmware memory map" \
				"($MINT_MEMMAP_DIR); node0 boots, but a node there" \
				"cannot start: choose node RAM inside 'System RAM'"
		fi
	done
}

# root= for node0's kernel: MINT_ROOT when set; with MINT_INITRD the
# filesystem UUID (as 10_linux); without an initramfs the kernel itself must
# find the root: PARTUUID=, else the device name.
mint_root_arg() {
	if [ -n "${MINT_ROOT:-}" ]; then
		echo "root=$MINT_ROOT"
		return
	fi
	case ${GRUB_DEVICE:-} in
	/dev/mapper/* | /dev/dm-* | /dev/md*)
		[ -n "${MINT_INITRD:-}" ] ||
			mint_warn "the root filesystem is on $GRUB_DEVICE" \
				"(LVM, RAID or dm-crypt): node0's kernel has no" \
				"initramfs and cannot mount it; set MINT_INITRD" \
				"or MINT_ROOT in $MINT_DEFAULTS_PATH" \
				"(docs/bare-metal.md)"
		;;
	esac
	if [ -n "${MINT_INITRD:-}" ] && [ -n "${GRUB_DEVICE_UUID:-}" ]; then
		echo "root=UUID=$GRUB_DEVICE_UUID"
	elif [ -z "${MINT_INITRD:-}" ] && [ -n "${GRUB_DEVICE_PARTUUID:-}" ] &&
		[ "${GRUB_DISABLE_LINUX_PARTUUID:-}" != true ]; then
		echo "root=PARTUUID=$GRUB_DEVICE_PARTUUID"
	elif [ -n "${GRUB_DEVICE:-}" ]; then
		echo "root=$GRUB_DEVICE"
	else
		mint_warn "no root device (GRUB_DEVICE is empty); set MINT_ROOT" \
			"in $MINT_DEFAULTS_PATH"
	fi
}

# A path as GRUB sees it (relative to the root of its filesystem).
mint_grub_path() {
	if command -v make_system_path_relative_to_its_root >/dev/null 2>&1; then
		make_system_path_relative_to_its_root "$1"
	else
		echo "$1"
	fi
}

# Sets mint_name and mint_args from the config (and caches them), or from
# the cache; returns 1 when there is neither. mint_from says which.
mint_resolve() {
	conf=$MINT_PREFIX$MINT_CONF_PATH
	cache=$MINT_PREFIX$MINT_CACHE_PATH
	mintctl=$MINT_PREFIX$MINT_SBINDIR/mintctl
	mint_from=
	if [ ! -x "$mintctl" ]; then
		mint_warn "$MINT_SBINDIR/mintctl is missing; cannot read" \
			"$MINT_CONF_PATH"
	elif [ ! -e "$conf" ]; then
		mint_warn "$MINT_CONF_PATH is missing"
	elif ! errs=$("$mintctl" check "$conf" 2>&1); then
		mint_warn "$MINT_CONF_PATH is not valid:"
		printf '%s\n' "$errs" | sed 's/^/    /' >&2
	elif ! mint_args=$("$mintctl" bootargs --format=grub "$conf") ||
		! mint_args_ok "$mint_args"; then
		mint_warn "'mintctl bootargs' failed on $MINT_CONF_PATH" \
			"(${mint_args:-no output})"
	else
		mint_name=$("$mintctl" show "$conf" |
			sed -n 's/^name = //p' | head -n 1)
		mint_name_ok "$mint_name" || mint_name=mint
		mint_from=config
		[ "${MINT_NO_CACHE_WRITE:-}" = 1 ] && return 0
		if mkdir -p "${cache%/*}" && {
			echo "# node0's reservations from the last valid $MINT_CONF_PATH,"
			echo "# written by update-grub (/etc/grub.d/42_mint); GRUB keeps"
			echo "# booting with them while that file is broken. Do not edit."
			echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
			echo "name=$mint_name"
			echo "args=$mint_args"
		} >"$cache.new" && mv -f "$cache.new" "$cache"; then
			:
		else
			rm -f "$cache.new"
			mint_warn "cannot write $MINT_CACHE_PATH: a later broken" \
				"config will leave GRUB without a mint entry"
		fi
		return 0
	fi
	# the config is not usable: the last valid reservations, if any
	if [ -r "$cache" ]; then
		mint_name=$(sed -n 's/^name=//p' "$cache" | head -n 1)
		mint_args=$(sed -n 's/^args=//p' "$cache" | head -n 1)
		when=$(sed -n 's/^date=//p' "$cache" | head -n 1)
		if mint_name_ok "$mint_name" && mint_args_ok "$mint_args"; then
			mint_from=cache
			mint_warn "keeping the mint entry of the last valid config" \
				"(partition $mint_name, $when): fix $MINT_CONF_PATH" \
				"and run update-grub again"
			return 0
		fi
		mint_warn "$MINT_CACHE_PATH is damaged; ignoring it"
	fi
	mint_warn "no mint entry in GRUB (no valid config yet); GRUB boots" \
		"Debian's own entries"
	return 1
}

mint_grub_entry() {
	MINT_PREFIX=${MINT_PREFIX:-}
	MINT_CMDLINE=
	MINT_ROOT=
	MINT_INITRD=
	defaults=$MINT_PREFIX$MINT_DEFAULTS_PATH
	# A syntax error in a sourced file ends the shell: try it in a subshell
	# first, so that a typo there cannot make update-grub fail.
	# shellcheck disable=SC1090 # the admin's /etc/default/mint (default-mint)
	if [ ! -r "$defaults" ]; then
		:
	elif (. "$defaults") >/dev/null 2>&1; then
		. "$defaults"
	else
		mint_warn "$MINT_DEFAULTS_PATH has an error (sh -n $MINT_DEFAULTS_PATH);" \
			"ignoring it: no MINT_CMDLINE, MINT_ROOT, MINT_INITRD"
	fi
	if [ ! -f "$MINT_PREFIX$MINT_KERNEL_PATH" ]; then
		mint_warn "$MINT_KERNEL_PATH is missing: no mint entry"
		return 0
	fi
	if [ -n "$MINT_INITRD" ] && [ ! -f "$MINT_PREFIX$MINT_INITRD" ]; then
		mint_warn "MINT_INITRD=$MINT_INITRD is missing: no mint entry"
		return 0
	fi
	mint_resolve || return 0
	mint_check_ram "$mint_args"
	root=$(mint_root_arg)
	dist=$(printf '%s' "${GRUB_DISTRIBUTOR:-Debian}" | sed "s/[\\\\']//g")
	title="$dist GNU/Linux, mint node0 (partition $mint_name)"
	[ "$mint_from" = cache ] && title="$title, last valid config"
	if [ -n "$MINT_INITRD" ]; then
		wait=
	else
		# without an initramfs the kernel waits for the disk itself; past
		# 60 s it panics and (CONFIG_PANIC_TIMEOUT=-1) resets the machine
		wait=rootwait=60
	fi
	kernel=$(mint_grub_path "$MINT_KERNEL_PATH")
	# words joined by single blanks (no word splitting: no globbing)
	args=$(printf '%s' "$root ro $wait ${GRUB_CMDLINE_LINUX:-}" \
		" ${GRUB_CMDLINE_LINUX_DEFAULT:-} $MINT_CMDLINE $mint_args" |
		tr -s ' \t' '  ' | sed 's/^ //; s/ $//')
	cls=$(printf '%s' "$dist" | tr '[:upper:]' '[:lower:]' | cut -d' ' -f1 |
		LC_ALL=C sed 's,[^[:alnum:]_],_,g')

	prep=
	if command -v prepare_grub_to_access_device >/dev/null 2>&1; then
		prep=$(prepare_grub_to_access_device "${GRUB_DEVICE_BOOT:-}" |
			sed 's/^/	/')
	fi
	initrd=
	[ -n "$MINT_INITRD" ] && initrd=$(mint_grub_path "$MINT_INITRD")
	# one printf: a failure above never leaves half an entry in grub.cfg.
	# The second entry is the same plus mint.autostart=0: node0 boots with
	# the reservations, mint-nodes.service and mint-vms.service start nothing.
	printf '%s\n' \
		"menuentry '$title' --class $cls --class gnu-linux --class gnu --class os \$menuentry_id_option '$MINT_ENTRY_ID' {" \
		"	load_video" \
		"	insmod gzio" \
		${prep:+"$prep"} \
		"	echo	'Loading mint node0 (partition $mint_name) ...'" \
		"	linux	$kernel $args" \
		${initrd:+"	initrd	$initrd"} \
		"}" \
		"menuentry '$title (nodes not started)' --class $cls --class gnu-linux --class gnu --class os \$menuentry_id_option '$MINT_ENTRY_ID-noautostart' {" \
		"	load_video" \
		"	insmod gzio" \
		${prep:+"$prep"} \
		"	echo	'Loading mint node0 (partition $mint_name), starting no node ...'" \
		"	linux	$kernel $args mint.autostart=0" \
		${initrd:+"	initrd	$initrd"} \
		"}"
	echo "mint: found node0 kernel $MINT_KERNEL_PATH, partition" \
		"$mint_name (from the $mint_from)" >&2
	return 0
}
