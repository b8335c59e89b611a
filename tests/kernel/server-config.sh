#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The server flavour's config (make KERNEL_FLAVOUR=server): the fragments of
# configs/kernel/ plus configs/kernel/server/ merge on top of allnoconfig
# with every requested option surviving Kconfig's dependencies, and the
# options node0 needs on a server (docs/bare-metal.md section 1) are there.
# Configures only (a few seconds); building it is not part of make check.
#   server-config.sh KERNEL_SRC WORKDIR
set -u
ksrc=$1
here=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$2"
mkdir -p "$2"
work=$(cd "$2" && pwd)
frags=("$here"/configs/kernel/*.config "$here"/configs/kernel/server/*.config)
if ! (cd "$ksrc" && scripts/kconfig/merge_config.sh -n -O "$work" "${frags[@]}") >"$work/merge.log" 2>&1; then
	echo "FAIL: kernel/server-config/merges: merge_config.sh failed; see $work/merge.log"
	exit 1
fi
echo "PASS: kernel/server-config/merges"
if "$here/configs/kernel/check-config.sh" "$work/.config" "${frags[@]}" >"$work/check.log" 2>&1; then
	echo "PASS: kernel/server-config/every-option-survives"
else
	echo "FAIL: kernel/server-config/every-option-survives: $(head -3 "$work/check.log" | tr '\n' ' ')"
	exit 1
fi
failed=0
for opt in CGROUPS EFI_STUB BLK_DEV_NVME SATA_AHCI SCSI_MPT3SAS IGB MLX5_CORE \
	KVM_INTEL KVM_AMD MINT_PARTITION JAILHOUSE_GUEST KEXEC VIRTIO_BLK; do
	if grep -qx "CONFIG_$opt=y" "$work/.config"; then
		echo "PASS: kernel/server-config/has-$opt"
	else
		echo "FAIL: kernel/server-config/has-$opt: CONFIG_$opt is not =y in $work/.config"
		failed=1
	fi
done
# No path by which node0 takes the machine from its nodes: no sleep states,
# no crash kernel (configs/kernel/base.config says why).
for opt in SUSPEND HIBERNATION CRASH_DUMP; do
	if grep -q "^CONFIG_$opt=" "$work/.config"; then
		echo "FAIL: kernel/server-config/no-$opt: node0 could take the machine from its nodes"
		failed=1
	else
		echo "PASS: kernel/server-config/no-$opt"
	fi
done
# Test hooks (every option of configs/kernel/emu/) stay out of a server kernel.
while read -r opt; do
	if grep -q "^CONFIG_$opt=" "$work/.config"; then
		echo "FAIL: kernel/server-config/no-$opt: a test hook in the server flavour"
		failed=1
	else
		echo "PASS: kernel/server-config/no-$opt"
	fi
done < <(sed -n 's/^CONFIG_\([A-Z0-9_]*\)=y$/\1/p' "$here"/configs/kernel/emu/*.config)
exit $failed
