#!/bin/bash
# The kernel as the oracle: boot Debian's current kernel in QEMU (TCG) with
# memblock=debug, cut each log before init_mem_mapping, let pgtviz predict
# the page-table pages taken from memblock from that part alone, and compare
# address and order with the pages the kernel took.  docs/fidelity.md
# ("The kernel as the oracle") describes it.
#
# usage: scripts/oracle.sh [--seed S] [--boots N] [--jobs J] [--out DIR]
#        scripts/oracle.sh --set FILE [--jobs J] [--out DIR]
#        scripts/oracle.sh --compare LOG...
#   --seed S     first shape seed (default 1); boot i uses seed S+i
#   --boots N    number of random shapes (default 10)
#   --set FILE   boot the shapes listed in FILE (one per line, '#' comments)
#   --jobs J     boots run at the same time (default 2)
#   --out DIR    where logs go (default: a new directory under /tmp)
#   --compare    only compare logs already booted (no QEMU needed); each
#                LOG may have a LOG.shape next to it
#   --setup      only fetch and unpack the kernel into the cache
#   --package P  boot the Debian kernel package P (a linux-image-...-unsigned
#                name, e.g. linux-image-6.12.118+deb12-cloud-amd64-unsigned)
#                instead of the one linux-image-cloud-amd64 points at
#   --arch A     x86_64 (default) or i386: boot Debian's 32-bit kernel (the
#                -unsigned variant of what linux-image-686-pae:i386 points
#                at, or --package, e.g. linux-image-6.1.0-57-686-unsigned)
#                in qemu-system-i386; needs `dpkg --add-architecture i386 &&
#                apt-get update` once (as root) so that apt knows i386 packages
# Environment: PGTVIZ (the pgtviz binary, default build/pgtviz),
# PGTVIZ_ORACLE_CACHE (kernel cache, default ~/.cache/pgtviz-oracle),
# PGTVIZ_ORACLE_TIMEOUT (seconds per boot, default 240), PGTVIZ_OVMF (the
# UEFI firmware of efi=1 shapes, default /usr/share/ovmf/OVMF.fd).
#
# Set-up: qemu-system-x86_64 (Debian package qemu-system-x86, installed by
# scripts/deps.sh test) and the kernel package the Debian metapackage
# linux-image-cloud-amd64 points at, as its -unsigned variant, fetched with
# `apt-get download` and unpacked with `dpkg-deb -x` into the cache.
# Nothing else is downloaded.
#
# earlyprintk=serial: the messages go out as they are printed; without it
# the 128 KiB early log buffer drops the first thousands of memblock lines
# of a 4k-only boot before the serial console starts.
# A boot is stopped as soon as the serial log shows that the direct mapping
# is complete (NODE_DATA, Zone ranges or a panic); every boot is bounded by a
# timeout and QEMU never outlives the script.  Exit status: 0 when every
# boot is exact, 1 when some differ, 2 on a usage error, 77 when QEMU or the
# kernel cannot be set up (ctest counts that as skipped).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
pgtviz=${PGTVIZ:-$here/build/pgtviz}
cache=${PGTVIZ_ORACLE_CACHE:-${HOME:-/tmp}/.cache/pgtviz-oracle}
boot_timeout=${PGTVIZ_ORACLE_TIMEOUT:-240}
ovmf=${PGTVIZ_OVMF:-/usr/share/ovmf/OVMF.fd}
seed=1 boots=10 jobs=2 out="" set_file="" mode=boot package="" arch=x86_64
compare_logs=()

die() { echo "oracle: error: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	--seed) seed=${2:?}; shift 2 ;;
	--boots) boots=${2:?}; shift 2 ;;
	--jobs) jobs=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--set) set_file=${2:?}; shift 2 ;;
	--compare) mode=compare; shift; compare_logs=("$@"); break ;;
	--setup) mode=setup; shift ;;
	--package) package=${2:?}; shift 2 ;;
	--arch) arch=${2:?}; shift 2 ;;
	-h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
done
[[ $seed =~ ^[0-9]+$ && $boots =~ ^[0-9]+$ && $jobs =~ ^[1-9][0-9]*$ ]] ||
	die "--seed, --boots and --jobs take numbers"
[[ -z $package || $package =~ ^linux-image-[A-Za-z0-9.+~-]+-unsigned$ ]] ||
	die "--package takes a linux-image-...-unsigned package name"
case $arch in
x86_64) qemu=qemu-system-x86_64 qemu_pkg=qemu-system-x86 meta=linux-image-cloud-amd64 apt_arch="" ;;
i386) qemu=qemu-system-i386 qemu_pkg=qemu-system-x86 meta=linux-image-686-pae apt_arch=:i386 ;;
*) die "--arch takes x86_64 or i386" ;;
esac

# ---------------------------------------------------------------- set-up --

# Fetches and unpacks the kernel once; prints the vmlinuz path.  The
# default kernel lives in $cache/root, a --package kernel in $cache/P/root.
kernel_setup() {
	local k dir=$cache pkg=$package
	[ "$arch" = i386 ] && dir=$cache/i386
	[ -n "$pkg" ] && dir=$cache/$pkg
	k=$(ls "$dir"/root/boot/vmlinuz-* 2>/dev/null | head -1)
	if [ -n "$k" ]; then echo "$k"; return 0; fi
	command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null ||
		die "apt-get and dpkg-deb are needed to fetch the kernel"
	if [ -z "$pkg" ]; then
		local img
		img=$(apt-cache depends "$meta$apt_arch" 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-image-[^ :]*\)\(:i386\)\{0,1\}$/\1/p' | head -1)
		[ -n "$img" ] || die "apt-cache knows no $meta$apt_arch (run apt-get update?$([ "$arch" = i386 ] &&
			echo " i386 packages need 'dpkg --add-architecture i386' first"))"
		pkg=${img}-unsigned
	fi
	mkdir -p "$dir" || die "cannot create $dir"
	echo "oracle: fetching $pkg$apt_arch into $dir" >&2
	(cd "$dir" && apt-get download "$pkg$apt_arch" >/dev/null 2>&1) ||
		die "apt-get download $pkg$apt_arch failed"
	dpkg-deb -x "$dir/${pkg}"_*.deb "$dir/root" || die "dpkg-deb -x failed"
	k=$(ls "$dir"/root/boot/vmlinuz-* 2>/dev/null | head -1)
	[ -n "$k" ] || die "no vmlinuz in the package"
	echo "$k"
}

# ---------------------------------------------------------------- shapes --

# A small LCG so that a seed gives the same shape with every bash.  rng N
# sets R to a number in [0, N); pick WORD... sets P to one of the words
# (no command substitution: the state must live in this shell).
rng_state=1 R=0 P=""
rng() {
	rng_state=$(((rng_state * 1103515245 + 12345) % 2147483648))
	R=$(((rng_state / 65536) % $1))
}
pick() {
	rng $#
	shift "$R"
	P=$1
}

# Prints the shape of seed $1: key=value words (see boot_cmd for their meaning).
make_shape() {
	rng_state=$(($1 * 7919 + 17))
	rng 2
	local mib s n i size at
	pick 256 384 512 768 1024 1536 2048 3072 3584 4096 5120 6144 8192 12288 \
		16384 24576 32768 49152 65536 98304 131072 196608 262144
	mib=$P
	pick pc q35
	s="machine=$P ram=${mib}M"
	pick 2m 2m gb gb 4k
	# 4k-only boots of big guests take minutes under TCG: up to 8 GiB
	[ "$P" = 4k ] && [ "$mib" -gt 8192 ] && P=2m
	if [ "$arch" = i386 ]; then
		# i386: no GB pages, and RAM up to 4 GiB (lowmem ends below 1 GiB)
		[ "$P" = gb ] && P=2m
		[ "$mib" -gt 4096 ] && mib=$((256 + mib % 3841)) && mib=$((mib / 4 * 4))
		s="machine=${s#machine=}" s="${s%% ram=*} ram=${mib}M"
	fi
	s="$s cpu=$P"
	rng 3 && [ $R = 0 ] && s="$s kaslr=0"
	rng 4 && [ $R = 0 ] && [ "$arch" != i386 ] && s="$s movable=1"
	rng 3
	if [ $R = 0 ]; then
		pick 4096 123457 1048576 5000000 16777216 33554431
		s="$s initrd=$P"
	fi
	rng 4
	if [ $R = 0 ] && [ "$arch" != i386 ]; then
		pick 2 2 3 4
		s="$s numa=$P"
	fi
	rng 4
	if [ $R = 0 ] && [ "$mib" -gt 512 ]; then
		rng $((mib / 2))
		s="$s mem=$((mib / 2 + R))M"
	fi
	rng 4
	n=$R
	[ "$n" = 3 ] && n=0
	for ((i = 0; i < n; i++)); do
		pick 4K 8K 64K 1M 2M 3M 64M 256M 1G 5K 132K
		size=$P
		# an address inside RAM from 64 MiB (above a nokaslr kernel) to
		# min(ram, 3 GiB), aligned or not
		rng $(((mib < 3072 ? mib : 3072) - 64))
		at=$((64 + R))
		rng 2
		if [ $R = 0 ]; then
			s="$s memmap=$size\$${at}M"
		else
			rng 1024
			local k=$((at * 1024 + R * 4))
			rng 2
			s="$s memmap=$size\$$((k + R * 3))K"
		fi
	done
	echo "$s"
}

# ----------------------------------------------------------------- boots --

# Builds the QEMU argument list of a shape into the array qemu_args and the
# kernel command line into kcmd.  $1 = shape, $2 = work dir, $3 = vmlinuz.
boot_cmd() {
	local shape=$1 dir=$2 vmlinuz=$3 w machine=pc ram=1024M cpu=2m numa=0
	kcmd="console=ttyS0 earlyprintk=serial memblock=debug panic=-1"
	qemu_args=(-nographic -no-reboot -display none -net none)
	# x86_64: the monitor on two fifos, to read the direct-map base once the
	# mapping is done (measure_base)
	if [ "$arch" = x86_64 ]; then
		mkfifo "$dir/mon.in" "$dir/mon.out" || die "mkfifo failed in $dir"
		qemu_args+=(-monitor "pipe:$dir/mon")
	else
		qemu_args+=(-monitor none)
	fi
	for w in $shape; do
		case $w in
		machine=*) machine=${w#*=} ;;
		ram=*) ram=${w#*=} ;;
		cpu=*) cpu=${w#*=} ;;
		kaslr=0) kcmd="$kcmd nokaslr" ;;
		movable=1) kcmd="$kcmd movable_node" ;;
		mem=*) kcmd="$kcmd mem=${w#*=}" ;;
		memmap=*) kcmd="$kcmd $w" ;;
		numa=*) numa=${w#*=} ;;
		efi=1)
			# UEFI firmware (Debian package ovmf) loads the kernel's EFI
			# stub; efi=debug prints the EFI memory map
			[ -r "$ovmf" ] || die "efi=1 needs $ovmf (Debian package ovmf)"
			qemu_args+=(-bios "$ovmf")
			kcmd="$kcmd efi=debug"
			;;
		initrd=*)
			head -c "${w#*=}" /dev/zero >"$dir/initrd.${w#*=}"
			qemu_args+=(-initrd "$dir/initrd.${w#*=}")
			;;
		*) die "unknown shape word '$w'" ;;
		esac
	done
	local c=qemu64
	[ "$arch" = i386 ] && c=qemu32
	case $cpu in
	2m) qemu_args+=(-cpu "$c") ;;
	gb) qemu_args+=(-cpu "$c,+pdpe1gb") ;;
	4k) qemu_args+=(-cpu "$c,-pse") ;;
	esac
	local mib=${ram%M}
	qemu_args+=(-m "${mib}M")
	if [ "$numa" -gt 1 ]; then
		# nodes of equal size (the last takes the rest), one CPU on node 0
		local per=$((mib / numa / 2 * 2)) n left=$mib
		for ((n = 0; n < numa; n++)); do
			local sz=$per
			[ $n = $((numa - 1)) ] && sz=$left
			left=$((left - sz))
			qemu_args+=(-object "memory-backend-ram,id=m$n,size=${sz}M,reserve=off")
			if [ $n = 0 ]; then
				qemu_args+=(-numa "node,nodeid=$n,memdev=m$n,cpus=0")
			else
				qemu_args+=(-numa "node,nodeid=$n,memdev=m$n")
			fi
		done
	else
		qemu_args+=(-object "memory-backend-ram,id=m0,size=${mib}M,reserve=off")
		machine="$machine,memory-backend=m0"
	fi
	qemu_args+=(-machine "$machine")
	qemu_args+=(-kernel "$vmlinuz" -append "$kcmd")
}

# Has the log reached the end of the mapping phase (or the kernel died)?
log_done() {
	grep -qE 'NODE_DATA\(|Zone ranges:|Kernel panic|---\[ end trace|kernel BUG' "$1" 2>/dev/null
}

# Measures memory KASLR's direct-map base (page_offset_base), which no log
# line prints: with the guest stopped once the mapping is done, QEMU's
# monitor lists the virtual ranges mapped by the current page tables (`info
# mem`); the direct map is the lowest kernel range from the start of its
# KASLR region, 0xffff888000000000 (4-level paging), and `gva2gpa` must show
# that it maps physical 0.  Prints `direct_map_base=0x...` or a `#` line
# saying why not.  $1 = the boot's work dir (mon.in, mon.out).
measure_base() {
	local dir=$1 line base="" gpa="" fi fo
	exec {fi}<>"$dir/mon.in" {fo}<>"$dir/mon.out"
	printf 'stop\ninfo mem\ninfo version\n' >&"$fi"
	while IFS= read -r -t 60 line <&"$fo"; do
		line=${line%$'\r'}
		if [ -z "$base" ] && [[ $line =~ ^(ffff[0-9a-f]{12})-[0-9a-f]{16}\ [0-9a-f]{16}\  ]] &&
			[[ ${BASH_REMATCH[1]} > ffff887fffffffff ]]; then
			base=${BASH_REMATCH[1]}
		fi
		[[ $line =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] && break
	done
	if [ -n "$base" ]; then
		printf 'gva2gpa 0x%s\n' "$base" >&"$fi"
		while IFS= read -r -t 60 line <&"$fo"; do
			line=${line%$'\r'}
			[[ $line =~ ^gpa:\ (0x)?([0-9a-f]+) ]] && gpa=0x${BASH_REMATCH[2]} && break
			[[ $line =~ Unmapped ]] && gpa=unmapped && break
		done
	fi
	exec {fi}>&- {fo}>&-
	if [ -z "$base" ]; then
		echo "# direct-map base not measured: no kernel range in 'info mem'"
	elif [ "$gpa" != 0x0 ]; then
		echo "# direct-map base not measured: 0x$base maps ${gpa:-nothing}, not physical 0x0"
	else
		echo "direct_map_base=0x$base"
	fi
}

# Boots one shape: $1 = name, $2 = shape, $3 = vmlinuz.  Writes NAME.log,
# NAME.shape and NAME.cmd (the QEMU command line) into $out.
boot_one() {
	local name=$1 shape=$2 vmlinuz=$3 tmp log="$out/$1.log"
	tmp=$(mktemp -d "$out/.boot.XXXXXX")
	boot_cmd "$shape" "$tmp" "$vmlinuz"
	echo "$shape" >"$out/$name.shape"
	{
		printf '%s' "$qemu"
		printf ' %q' "${qemu_args[@]}" -serial "file:$name.log"
		echo
		echo "# kernel: $(basename "$vmlinuz")${package:+ (Debian package $package$apt_arch)}"
		[ "$arch" = x86_64 ] &&
			echo "# direct-map base: $name.base, read from the QEMU monitor on the stopped guest (scripts/oracle.sh, measure_base: info mem, gva2gpa)"
	} | sed "s|$tmp/|./|g; s|$vmlinuz|vmlinuz|" >"$out/$name.cmd"
	: >"$log"
	timeout -s KILL "$boot_timeout" "$qemu" "${qemu_args[@]}" \
		-serial "file:$log" >"$tmp/qemu.out" 2>&1 &
	local pid=$!
	trap 'kill $pid 2>/dev/null; wait $pid; exit 1' TERM INT
	while kill -0 "$pid" 2>/dev/null; do
		if log_done "$log"; then
			[ "$arch" = x86_64 ] && measure_base "$tmp" >"$out/$name.base"
			kill "$pid" 2>/dev/null
			break
		fi
		sleep 0.2
	done
	wait "$pid" 2>/dev/null
	if ! log_done "$log"; then
		echo "# boot did not reach the end of the mapping phase" >>"$out/$name.cmd"
		sed 's/^/# qemu: /' "$tmp/qemu.out" >>"$out/$name.cmd"
	fi
	rm -rf "$tmp"
}

# -------------------------------------------------------------- compare --

# The part of a log before init_mem_mapping starts taking memory: up to the
# line before the first memblock call made from init_mem_mapping or
# alloc_low_pages, or before the first line printed after the mapping.
# i386 logs print where lowmem ends (a build constant and the RAM size, no
# allocation) and where the boot loader put the initrd (already reserved
# before the mapping, but not named) only after the mapping: those lines are
# appended.
cut_log() {
	awk '/memblock_[a-z_]*: .*(init_mem_mapping|alloc_low_pages?)\+/ ||
	     /ACPI: Early table checksum|ACPI: RSDP|No NUMA configuration|NODE_DATA\(|Zone ranges:|SRAT:|RAMDISK: \[mem/ { exit }
	     { print }' "$1"
	grep -E '[0-9]+MB (HIGH|LOW)MEM available|^\[[ 0-9.]*\]   HighMem  \[mem |^\[[ 0-9.]*\] RAMDISK: \[mem ' "$1" | head -4
}

# The table pages the kernel took from memblock, in order: the address of
# the memblock_reserve that follows each alloc_low_pages request, one page
# per 4 KiB of it (i386 takes the fixmap's pages at once), up to
# "Zone ranges:" (i386's later cpu_entry_area pages are not the mapping's).
real_pages() {
	tr -d '\r' <"$1" | awk '
	    function hex2n(h,  i, n) {
	        h = tolower(h); sub(/^0x/, "", h); n = 0
	        for (i = 1; i <= length(h); i++) n = n * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
	        return n }
	    function n2hex(n,  h) {
	        h = ""; while (n > 0) { h = substr("0123456789abcdef", n % 16 + 1, 1) h; n = int(n / 16) }
	        return "0x" (h == "" ? "0" : h) }
	    /Zone ranges:/ { exit }
	    /memblock_phys_alloc_range: .*alloc_low_pages?\+/ { want = 1; next }
	    want && /memblock_reserve: \[0x/ {
	        s = $0; sub(/.*memblock_reserve: \[/, "", s)
	        a = s; sub(/-.*/, "", a); b = s; sub(/.*-/, "", b); sub(/\].*/, "", b)
	        na = hex2n(a); nb = hex2n(b)
	        for (p = na; p < nb; p += 4096) print n2hex(p)
	        want = 0 }'
}

# The pages pgtviz predicts from the cut log ($1) with options $2.
predicted_pages() {
	# shellcheck disable=SC2086
	"$pgtviz" trace "$1" $2 2>/dev/null | awk '
	    $2 == "alloc" && / from memblock/ {
	        for (i = 1; i <= NF; i++) if (substr($i, 1, 3) == "@0x") {
	            s = substr($i, 4); sub(/^0+/, "", s); print "0x" tolower(s) } }'
}

# Extra pgtviz options a boot needs that its log cannot show: --no-pse for
# a 4k-only shape ($1 = NAME.shape), --direct-map-base for the base
# measured on the running kernel (NAME.base, written by measure_base).
shape_opts() {
	case " $(cat "$1" 2>/dev/null) " in
	*" cpu=4k "*) echo "--no-pse" ;;
	esac
	sed -n 's/^direct_map_base=\(0x[0-9a-f]*\)$/--direct-map-base \1/p' "${1%.shape}.base" 2>/dev/null
}

# Where a measured direct-map base makes RAM cross into a second PGD slot:
# prints " [base B: crosses at N GiB]" when physical 0 sits k GiB into its
# slot and RAM (the log's first last_pfn) reaches past (512 - k) GiB.
# $1 = log, $2 = the base (0x...).
base_note() {
	local k pfn
	k=$((($2 >> 30) & 511))
	pfn=$(grep -m1 -o 'last_pfn = 0x[0-9a-f]*' "$1" | sed 's/.* //')
	[ "$k" -gt 0 ] && [ -n "$pfn" ] && [ $((pfn)) -gt $(((512 - k) << 18)) ] &&
		printf ' [base %s: crosses at %d GiB]' "$2" $((512 - k))
	return 0
}

# Compares one log; prints a row; returns 0 when exact.
compare_one() {
	local log=$1 shape="" opts cut rp pp nr np first verdict
	[ -f "${log%.log}.shape" ] && shape=$(cat "${log%.log}.shape")
	opts=$(shape_opts "${log%.log}.shape")
	cut=$(mktemp "${TMPDIR:-/tmp}/oracle-cut.XXXXXX")
	cut_log "$log" >"$cut"
	rp=$(real_pages "$log")
	pp=$(predicted_pages "$cut" "$opts")
	rm -f "$cut"
	nr=$(printf '%s' "$rp" | grep -c . || true)
	np=$(printf '%s' "$pp" | grep -c . || true)
	if ! log_done "$log"; then
		verdict="NO-BOOT"
	elif [ "$rp" = "$pp" ]; then
		verdict="exact"
	elif [ -n "$rp" ] && "$pgtviz" check "$log" $opts 2>/dev/null |
		grep -q "^note: memory KASLR inferred"; then
		# memory KASLR's direct-map base is not in the log: check infers
		# where it crossed a PGD slot from the pages themselves
		verdict="exact-kaslr"
		np=$nr
	else
		first=$(diff <(echo "$rp") <(echo "$pp") | awk '/^[0-9]/ { print $1; exit }')
		verdict="DIFF@${first%%[acd]*}"
	fi
	local base
	base=$(sed -n 's/^direct_map_base=//p' "${log%.log}.base" 2>/dev/null)
	local note=""
	[ -n "$base" ] && note=$(base_note "$log" "$base")
	[ -n "$base" ] && measured=$((measured + 1))
	[ -n "$note" ] && crossed=$((crossed + 1))
	shape="$shape$note"
	printf '%-28s %6s %6s  %-11s %s\n' "$(basename "$log" .log)" "$nr" "$np" "$verdict" "$shape"
	case $verdict in exact) return 0 ;; exact-kaslr) return 3 ;; *) return 1 ;; esac
}

compare_all() {
	local n=0 k=0 kk=0 log rc
	measured=0 crossed=0
	printf '%-28s %6s %6s  %-11s %s\n' boot kernel pgtviz result shape
	for log in "$@"; do
		n=$((n + 1))
		compare_one "$log"
		rc=$?
		[ $rc = 0 ] && k=$((k + 1))
		[ $rc = 3 ] && kk=$((kk + 1))
	done
	[ $measured -gt 0 ] &&
		echo "oracle: direct-map base measured in $measured of $n boots; RAM crosses into a second PGD slot in $crossed of them"
	if [ $kk -gt 0 ]; then
		echo "oracle: $((k + kk)) of $n boots exact ($kk with memory KASLR's PGD slot inferred from the pages; $k from the log alone)"
	else
		echo "oracle: $k of $n boots exact"
	fi
	[ $((k + kk)) = "$n" ]
}

[ "$mode" = setup ] || [ -x "$pgtviz" ] ||
	die "no pgtviz binary at $pgtviz (build first, or set PGTVIZ)"

if [ "$mode" = compare ]; then
	[ ${#compare_logs[@]} -gt 0 ] || die "--compare needs logs"
	compare_all "${compare_logs[@]}"
	exit $?
fi

# ------------------------------------------------------------------ main --

if [ "$mode" = setup ]; then
	kernel_setup >/dev/null || exit 77
	exit 0
fi
if ! command -v "$qemu" >/dev/null; then
	echo "oracle: $qemu not found (scripts/deps.sh test installs $qemu_pkg)" >&2
	exit 77
fi
vmlinuz=$(kernel_setup) || exit 77
[ -n "$out" ] || out=$(mktemp -d "${TMPDIR:-/tmp}/pgtviz-oracle.XXXXXX")
mkdir -p "$out" || die "cannot create $out"
echo "oracle: kernel $(basename "$vmlinuz"), logs in $out" >&2

names=() shapes=()
if [ -n "$set_file" ]; then
	while IFS= read -r line; do
		line=${line%%#*}
		line=$(echo $line)
		[ -n "$line" ] || continue
		names+=("$(printf 'set-%03d' ${#names[@]})")
		shapes+=("$line")
	done <"$set_file"
else
	for ((i = 0; i < boots; i++)); do
		names+=("$(printf 'seed-%06d' $((seed + i)))")
		shapes+=("$(make_shape $((seed + i)))")
	done
fi

pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait
}
trap cleanup EXIT INT TERM
for ((i = 0; i < ${#names[@]}; i++)); do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
	boot_one "${names[$i]}" "${shapes[$i]}" "$vmlinuz" &
	pids+=($!)
done
wait
trap - EXIT INT TERM
logs=()
for n in "${names[@]}"; do logs+=("$out/$n.log"); done
compare_all "${logs[@]}"
