#!/bin/bash
# Every step of the kernel series builds: after each patch of
# kernel-patches/series (applied in order to the tree without the series),
# every C or assembly file the patch touches, and every file of the series
# that includes a header the patch touches, is compiled (and checked by
# objtool) with the exact command the kernel build used for it (KOBJ's
# .NAME.o.cmd, pointed at the step's tree). Any warning fails the step.
# The step's tree is a hard-linked copy of KSRC with the series reverted
# (patch writes new files, so KSRC is never changed).
# One PASS:/FAIL: line per patch.
# Usage: series-build.sh KSRC KOBJ WORKDIR
set -u
ksrc=$(cd "$1" && pwd)
kobj=$(cd "$2" && pwd)
work=$3
# the source tree the build's commands name (kbuild's link in KOBJ)
built_from=$(readlink -f "$kobj/source")
here=$(cd "$(dirname "$0")/../.." && pwd)
patches=$(grep -v -e '^#' -e '^[[:space:]]*$' "$here/kernel-patches/series")
rm -rf "$work"
mkdir -p "$work"
tree=$work/tree
cp -al "$ksrc" "$tree"
rm -rf "$tree/.mint-applied"

touched() { sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "$here/kernel-patches/$1"; }

# the series' compilable files, over all patches
for p in $patches; do touched "$p"; done | grep -E '\.(c|S)$' | sort -u >"$work/units"

for p in $(echo "$patches" | tac); do
	if ! patch -s -R -p1 -d "$tree" <"$here/kernel-patches/$p" >"$work/revert.log" 2>&1; then
		echo "FAIL: kernel/build/revert: $p does not revert from $ksrc: $(head -n 2 "$work/revert.log" | tr '\n' ' ')"
		exit 1
	fi
done

# The build's command for FILE (a path in the tree); none for a file this
# configuration's build never compiled.
command_for() {
	local f=$1 base
	base=$(basename "$f")
	sed -n "1s/^savedcmd_[^ ]* := //p" "$kobj/$(dirname "$f")/.${base%.*}.o.cmd" 2>/dev/null | grep .
}

status=0
for p in $patches; do
	if ! patch -s -p1 -N --fuzz=0 -d "$tree" <"$here/kernel-patches/$p" >"$work/apply.log" 2>&1; then
		echo "FAIL: kernel/build/$p: does not apply: $(head -n 2 "$work/apply.log" | tr '\n' ' ')"
		status=1
		break
	fi
	# the files to compile at this step
	{
		touched "$p" | grep -E '\.(c|S)$'
		for h in $(touched "$p" | grep '\.h$'); do
			h=$(basename "$h")
			while read -r u; do
				[ -f "$tree/$u" ] && grep -q -E "^#include [<\"]([^>\"]*/)?${h}[>\"]" "$tree/$u" && echo "$u"
			done <"$work/units"
		done
	} | sort -u >"$work/step"
	failed=
	n=0
	skipped=
	while read -r f; do
		[ -f "$tree/$f" ] || continue
		if ! cmd=$(command_for "$f"); then
			skipped="$skipped $f"
			continue
		fi
		base=$(basename "$f")
		obj=$(dirname "$f")/${base%.*}.o
		cmd=${cmd//$built_from/$tree}
		cmd=${cmd//$obj/$work/out.o}
		if [[ $cmd =~ -Wp,-MMD,[^[:space:]]* ]]; then
			cmd=${cmd//"${BASH_REMATCH[0]}"/-Wp,-MMD,$work/out.d}
		fi
		if ! (cd "$kobj" && sh -c "$cmd") >"$work/cc.log" 2>&1; then
			failed="$f does not compile: $(grep -m 2 -E 'error|warning' "$work/cc.log" | tr '\n' ' ')"
			break
		elif grep -q -i 'warning' "$work/cc.log"; then
			failed="$f compiles with warnings: $(grep -m 2 -i 'warning' "$work/cc.log" | tr '\n' ' ')"
			break
		fi
		n=$((n + 1))
	done <"$work/step"
	if [ -n "$failed" ]; then
		echo "FAIL: kernel/build/$p: $failed"
		status=1
	else
		echo "PASS: kernel/build/$p ($n files compiled${skipped:+; not built in this configuration:$skipped})"
	fi
done
exit $status
