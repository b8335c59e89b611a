#!/bin/bash
# Fail if any option requested by the fragments did not end up in .config.
# Usage: check-config.sh DOTCONFIG FRAGMENT...
# merge_config.sh only warns about such options; the build must not.
set -euo pipefail
dotconfig=$1
shift
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		want=$line
		sym=${line%%=*}
		;;
	"# CONFIG_"*" is not set")
		want=$line
		sym=${line#\# }
		sym=${sym%% *}
		;;
	*) continue ;;
	esac
	got=$(grep -E "^(${sym}=|# ${sym} is not set)" "$dotconfig" || true)
	if [ -z "$got" ] && [ "${want#\# }" != "$want" ]; then
		continue # not set and absent: same thing
	fi
	if [ "$got" != "$want" ]; then
		echo "kconfig: requested '$want' but .config has '${got:-nothing}'" >&2
		bad=1
	fi
done < <(cat "$@")
if [ "$bad" -ne 0 ]; then
	echo "kconfig: the fragments in configs/kernel/ ask for options that did not survive;" >&2
	echo "kconfig: fix their dependencies (see 'make O=... menuconfig', search the symbol)" >&2
	exit 1
fi
