#!/bin/sh
# The EFI boot-services rule on a real boot (docs/kernel-model.md, "EFI boot
# services"; docs/fidelity.md, "EFI").  LOG is a memblock=debug + efi=debug
# boot of Debian's 6.1 under OVMF, whose memblock lines include the kernel's
# own `efi_reserve_boot_services` reservations.  Remove those lines: pgtviz
# must still predict every table page, now from its own rule applied to the
# printed EFI memory map.  Remove the map too: it must then miss pages (the
# rule decides where the tables go).
# usage: oracle_efi_rule.sh PGTVIZ LOG [PGTVIZ OPTIONS...]
set -eu
pgtviz=$1 log=$2
shift 2
opts="$*"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pgtviz-efi.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
counts() { # prints "matched total" of check's last line
	# shellcheck disable=SC2086
	"$pgtviz" check "$1" $opts 2>/dev/null | tail -1 |
		sed -n 's/^check: \([0-9]*\) of \([0-9]*\) table pages match.*/\1 \2/p'
}
n_bs=$(grep -c 'efi_reserve_boot_services+' "$log" || true)
n_map=$(grep -cE 'efi: mem[0-9]+: \[Boot (Code|Data)' "$log" || true)
[ "$n_bs" -gt 0 ] && [ "$n_map" -gt 0 ] || {
	echo "efi-rule: $log has $n_bs efi_reserve_boot_services lines and $n_map boot-services map lines" >&2
	exit 1
}
grep -v 'efi_reserve_boot_services+' "$log" >"$tmp/no-bs.log"
grep -vE 'efi_reserve_boot_services\+|efi: mem[0-9]+: \[Boot ' "$log" >"$tmp/no-map.log"
# shellcheck disable=SC2046
set -- $(counts "$log") $(counts "$tmp/no-bs.log") $(counts "$tmp/no-map.log")
echo "efi-rule: whole log $1 of $2; without the kernel's $n_bs reservations $3 of $4 (from the $n_map map lines); without the map either $5 of $6"
[ "$#" = 6 ] && [ "$2" -gt 0 ] && [ "$1" = "$2" ] && [ "$3" = "$4" ] && [ "$4" = "$2" ] && [ "$5" -lt "$6" ]
