#!/bin/bash
# Regenerate kernel-patches/ from a git tree of linux-source-6.12 whose first
# commit is the pristine Debian source and whose later commits are ours.
# Usage: export.sh DEV_TREE
# (Make one with: tar xf /usr/src/linux-source-6.12.tar.xz; git init;
#  git add -f -A; git commit; then commit each change; note the Debian
#  tarball's .gitignore hides every file, so add new files with -f.)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dev=$1
base=$(git -C "$dev" rev-list --max-parents=0 HEAD)
rm -f "$here"/[0-9][0-9][0-9][0-9]-*.patch
git -C "$dev" format-patch -q --no-signature --zero-commit -N \
	-o "$here" "$base"..HEAD
{
	echo "# Patches to Debian's linux-source-6.12, applied in this order with patch -p1."
	(cd "$here" && ls [0-9][0-9][0-9][0-9]-*.patch)
} > "$here/series"
cat "$here/series"
