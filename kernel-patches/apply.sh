#!/bin/bash
# Bring the kernel tree KSRC to "pristine Debian linux-source-6.12 + series".
# Patches applied earlier are recorded in KSRC/.mint-applied/; when the series
# changes, the applied ones are reversed (newest first) and the series applied
# again, so only touched files get new mtimes and kbuild rebuilds little.
# The ABI contract uapi/asm/mint.h is not carried by any patch: it is
# installed verbatim as arch/x86/include/uapi/asm/mint.h before the series
# (only when it differs, so an unchanged one keeps its mtime).
# Usage: apply.sh KSRC TARBALL
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ksrc=$1
tarball=$2
applied=$ksrc/.mint-applied

series() { grep -v -e '^#' -e '^[[:space:]]*$' "$here/series" || true; }

unpack() {
	echo "  KERNEL  unpacking $(basename "$tarball") into $ksrc"
	rm -rf "$ksrc" "$ksrc.tmp"
	mkdir -p "$ksrc.tmp"
	tar -xf "$tarball" -C "$ksrc.tmp" --strip-components=1
	mv "$ksrc.tmp" "$ksrc"
	mkdir -p "$applied"
}

[ -d "$applied" ] || unpack

contract=$here/uapi/asm/mint.h
installed=arch/x86/include/uapi/asm/mint.h
install_contract() {
	if ! cmp -s "$contract" "$ksrc/$installed"; then
		echo "  KERNEL  installing the ABI contract as $installed"
		install -m 644 "$contract" "$ksrc/$installed"
	fi
}

# Already exactly the series?
want=$(series | while read -r p; do sha256sum < "$here/$p"; done | sha256sum)
have=none
if [ -f "$applied/order" ]; then
	have=$(while read -r p; do sha256sum < "$applied/$p"; done \
		< "$applied/order" | sha256sum)
fi
if [ "$want" = "$have" ]; then
	install_contract
	exit 0
fi

if [ -f "$applied/order" ]; then
	tac "$applied/order" | while read -r p; do
		echo "  KERNEL  reverting $p"
		if ! patch -s -R -p1 -d "$ksrc" < "$applied/$p"; then
			echo "apply.sh: could not revert $p; unpacking afresh" >&2
			exit 1
		fi
	done || unpack
fi
rm -f "$applied"/*
: > "$applied/order"
install_contract
series | while read -r p; do
	[ -f "$here/$p" ] || { echo "apply.sh: series names missing $p" >&2; exit 1; }
	echo "  KERNEL  applying $p"
	if ! patch -s -N -p1 -d "$ksrc" < "$here/$p"; then
		echo "apply.sh: $p does not apply to $(basename "$tarball"); refresh it" >&2
		rm -rf "$applied" # force a clean unpack next time
		exit 1
	fi
	cp "$here/$p" "$applied/$p"
	echo "$p" >> "$applied/order"
done
