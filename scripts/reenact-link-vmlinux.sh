#!/usr/bin/env bash
# Re-enacts the kernel's vmlinux link loop (spec/link-loop.md) with real
# native tools, independently of kallsyms-lab's engine, so that the engine's
# pass records can be checked against it.
#
#   ld.lld-16     links each trial image and vmlinux
#   llvm-nm-16    lists their symbols (nm -n)
#   sed           applies the System.map / mksysmap rules (spec/kallsyms.md)
#   kallsyms-lab  stands in for scripts/kallsyms (only that step is ours)
#   clang-16      assembles the table source into the table object
#
# Usage:
#   reenact-link-vmlinux.sh --dir DIR --objects LIST --triple TRIPLE
#       --strategy v5.9|eight-passes|latest --generation v5.8|v5.9|latest
#       [--lds FILE] [--base-relative] [--all-symbols] [--extra-pass]
#
# DIR holds the corpus objects; LIST names them, one a line, in link order,
# relative to DIR. FILE defaults to vmlinux.lds in DIR. As with make,
# KALLSYMS_EXTRA_PASS set and non-empty in the environment asks for the
# extra pass (so does --extra-pass); LDFLAGS_vmlinux adds linker flags.
# Every intermediate file is written to DIR under the kernel's names.
#
# Output (stdout): one line per table object, one for the final System.map
# check, then the verdict:
#   pass N num_syms=K rodata=R size=S object=FILE
#   system_map lines=L last_trial_lines=M first_difference=D|none
#   verdict converged|inconsistent|not-converged|link-failed N
# N is the trial number (0: latest's empty table); K the number of symbols
# in the table (kallsyms_num_syms); R the size of the object's .rodata; S its
# file size (what the kernel compares); L and M the lines of System.map and
# of the last trial's map; D the first line where they differ. The verdict's
# N counts the trial links. Diagnostics, like the kernel's "Inconsistent
# kallsyms data", go to stderr.
#
# Exit status: 0 converged, 1 any other verdict, 2 bad usage or missing tools.

set -euo pipefail

usage() {
  sed -n '/^# Usage:/,/^# Exit status/s/^# \{0,1\}//p' "$0" >&2
  exit 2
}

die_usage() {
  echo "reenact-link-vmlinux: $*" >&2
  exit 2
}

# --- Arguments ---------------------------------------------------------------

dir='' objects_list='' lds='' triple='' strategy='' generation=''
base_relative='' all_symbols=''
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) dir=${2-}; shift 2 ;;
    --objects) objects_list=${2-}; shift 2 ;;
    --lds) lds=${2-}; shift 2 ;;
    --triple) triple=${2-}; shift 2 ;;
    --strategy) strategy=${2-}; shift 2 ;;
    --generation) generation=${2-}; shift 2 ;;
    --base-relative) base_relative=1; shift ;;
    --all-symbols) all_symbols=1; shift ;;
    --extra-pass) KALLSYMS_EXTRA_PASS=1; shift ;;
    -h | --help) usage ;;
    *) die_usage "unknown argument '$1' (see --help)" ;;
  esac
done
[ -n "$dir" ] && [ -n "$objects_list" ] && [ -n "$triple" ] &&
  [ -n "$strategy" ] && [ -n "$generation" ] || usage
case "$strategy" in v5.9 | eight-passes | latest) ;; *) die_usage "unknown strategy '$strategy'" ;; esac
case "$generation" in v5.8 | v5.9 | latest) ;; *) die_usage "unknown generation '$generation'" ;; esac
KALLSYMS_EXTRA_PASS=${KALLSYMS_EXTRA_PASS-}

# The emulation and word size follow from the triple; the linker is told the
# emulation so that a link never depends on guessing it from the inputs.
case "$triple" in
  powerpc64le-*) emulation=elf64lppc bits_per_long=64 ;;
  powerpc64-*) emulation=elf64ppc bits_per_long=64 ;;
  powerpc-* | powerpcle-*) emulation=elf32ppc bits_per_long=32 ;;
  *) die_usage "unsupported triple '$triple' (want powerpc64le-*, powerpc64-* or powerpc-*)" ;;
esac

# --- Tools -------------------------------------------------------------------

# Named with their version on purpose: the re-enactment must not drift with
# whatever "ld.lld" happens to be first on PATH.
LD=ld.lld-16
NM=llvm-nm-16
SIZE=llvm-size-16
AS=clang-16
missing=''
for tool in "$LD" "$NM" "$SIZE" "$AS" sed awk cmp stat node; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  echo "reenact-link-vmlinux: missing tools:$missing" >&2
  echo "reenact-link-vmlinux: install them with: apt-get install clang-16 lld-16 llvm-16" >&2
  exit 2
fi

# The project's CLI stands in for scripts/kallsyms. Resolve it before the cd.
project_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
kallsyms_cli="$project_root/bin/kallsyms-lab.mjs"
[ -f "$kallsyms_cli" ] || die_usage "cannot find $kallsyms_cli"

[ -d "$dir" ] || die_usage "no directory '$dir'"
[ -f "$objects_list" ] || die_usage "no object list '$objects_list'"
objects_list=$(cd "$(dirname "$objects_list")" && pwd)/$(basename "$objects_list")
if [ -n "$lds" ]; then
  [ -f "$lds" ] || die_usage "no linker script '$lds'"
  lds=$(cd "$(dirname "$lds")" && pwd)/$(basename "$lds")
fi
cd "$dir"
[ -n "$lds" ] || lds=vmlinux.lds
[ -f "$lds" ] || die_usage "no linker script '$lds' in $dir"
# Link with the plain name when the script lies in DIR, as the kernel does.
if [ "$lds" = "$(pwd)/vmlinux.lds" ]; then lds=vmlinux.lds; fi

mapfile -t objects < <(grep -v '^[[:space:]]*$' "$objects_list")
[ ${#objects[@]} -gt 0 ] || die_usage "the object list '$objects_list' is empty"
for o in "${objects[@]}"; do [ -f "$o" ] || die_usage "no object '$o' in $dir"; done

# The table source includes <asm/bitsperlong.h> to pick PTR and ALGN; the
# kernel's comes from its arch headers, ours is this one line.
include_dir=.tmp_reenact_include
mkdir -p "$include_dir/asm"
printf '#define BITS_PER_LONG %s\n' "$bits_per_long" >"$include_dir/asm/bitsperlong.h"

# --- Steps -------------------------------------------------------------------

# vmlinux_link OUTPUT [TABLE_OBJECT]: the corpus in its fixed order, the
# table object last; debug information is stripped as in the kernel's links.
# shellcheck disable=SC2086 # LDFLAGS_vmlinux is a list of words, as in kbuild
vmlinux_link() {
  "$LD" -m "$emulation" --strip-debug ${LDFLAGS_vmlinux-} -T "$lds" -o "$1" "${objects[@]}" ${2:+"$2"}
}

# kallsyms LISTING_OR_DASH SOURCE: the project's stand-in for scripts/kallsyms.
# v5.x read `nm -n` on stdin and know --base-relative; latest reads the
# .syms file and is always base-relative.
kallsyms() {
  local args=(kallsyms --generation "$generation")
  if [ -n "$all_symbols" ]; then args+=(--all-symbols); fi
  if [ "$generation" != latest ] && [ -n "$base_relative" ]; then args+=(--base-relative); fi
  node "$kallsyms_cli" "${args[@]}" "$1" >"$2"
}

# assemble SOURCE OBJECT: clang as the kernel's assembler, with the tiny
# include directory above.
assemble() {
  "$AS" --target="$triple" -c -x assembler-with-cpp -I"$include_dir" -o "$2" "$1"
}

# The System.map filters. v5.9's mksysmap drops absolute, debugger,
# undefined and weak-undefined symbols, CRCs, ARM mapping symbols and local
# labels.
MKSYSMAP_V59=(
  -e '/ [aNUw] /d'
  -e '/__crc_/d'
  -e '/ \$[adt]/d'
  -e '/ \.L/d'
)
# Today's mksysmap (spec/kallsyms.md); every rule is searched anywhere in the line.
MKSYSMAP_LATEST=(
  -e '/ [aNUw] /d'                 # absolute, debugger, undefined, weak undefined
  -e '/ \$/d'                      # mapping symbols ($a, $d, $x, ...)
  -e '/ \.L/d'                     # local labels
  -e '/ __efistub_/d'              # arm64 EFI stub aliases
  -e '/ __pi_\\$/d'                # sic: a literal backslash at end of line, as the spec says
  -e '/ __pi_\.L/d'
  -e '/ __kvm_nvhe_\$/d'
  -e '/ __kvm_nvhe_\.L/d'
  -e '/ __[[:alnum:]]*Thunk_/d'    # lld's ARM/AArch64/MIPS thunks, and PPC32 __LongThunk_
  -e '/ __kcfi_typeid_/d'
  -e '/ __kvm_nvhe___kcfi_typeid_/d'
  -e '/ __pi___kcfi_typeid_/d'
  -e '/ __crc_/d'                  # modversions CRCs
  -e '/ __kstrtab_/d'
  -e '/ __kstrtabns_/d'
  -e '/_from_arm$/d'               # ARM/Thumb interworking veneers
  -e '/_from_thumb$/d'
  -e '/_veneer$/d'
  -e '/ L0$/d'
  -e '/ _SDA_BASE_$/d'             # powerpc small-data anchors
  -e '/ _SDA2_BASE_$/d'
  -e '/\.long_branch\./d'          # GNU ld's powerpc stub names (not ld.lld's)
  -e '/\.plt_branch\./d'
)

# mksysmap IMAGE MAP: the generation decides which rules apply.
mksysmap() {
  if [ "$generation" = latest ]; then
    "$NM" -n "$1" | sed "${MKSYSMAP_LATEST[@]}" >"$2"
  else
    "$NM" -n "$1" | sed "${MKSYSMAP_V59[@]}" >"$2"
  fi
}

# report N OBJECT SOURCE: the machine-readable line for one table object.
# The count is read from the source, as a reader of the .S would;
# the .rodata size from the object, as llvm-size sees it.
report() {
  local num_syms rodata size
  num_syms=$(awk '/^kallsyms_num_syms:/ { getline; print $2; exit }' "$3")
  [ -n "$num_syms" ] || { echo "reenact-link-vmlinux: no kallsyms_num_syms in $3" >&2; exit 1; }
  rodata=$("$SIZE" -A "$2" | awk '$1 == ".rodata" { print $2 }')
  size=$(stat -c %s "$2")
  echo "pass $1 num_syms=$((num_syms)) rodata=${rodata:-0} size=$size object=$2"
}

trials=0
verdict() {
  echo "verdict $1 $trials"
  [ "$1" = converged ] && exit 0
  exit 1
}

# Names of trial N's files, as the kernel's script calls them.
set_names() {
  if [ "$strategy" = latest ]; then
    kallsyms_vmlinux=.tmp_vmlinux$1
    kallsyms_S=$kallsyms_vmlinux.kallsyms.S
    kallsymso=$kallsyms_vmlinux.kallsyms.o
  else
    kallsyms_vmlinux=.tmp_vmlinux.kallsyms$1
    kallsyms_S=$kallsyms_vmlinux.S
    kallsymso=$kallsyms_vmlinux.o
  fi
}

# kallsyms_step N: link trial image N with the previous table object (none
# for v5.x's first), list it and build table object N from the listing.
kallsymso='' kallsymso_prev=''
kallsyms_step() {
  kallsymso_prev=$kallsymso
  set_names "$1"
  trials=$1
  if ! vmlinux_link "$kallsyms_vmlinux" "$kallsymso_prev"; then
    echo "reenact-link-vmlinux: ld.lld failed on $kallsyms_vmlinux" >&2
    verdict link-failed
  fi
  if [ "$generation" = latest ]; then
    mksysmap "$kallsyms_vmlinux" "$kallsyms_vmlinux.syms"
    kallsyms "$kallsyms_vmlinux.syms" "$kallsyms_S"
  else
    "$NM" -n "$kallsyms_vmlinux" | kallsyms - "$kallsyms_S"
  fi
  assemble "$kallsyms_S" "$kallsymso"
  report "$1" "$kallsymso" "$kallsyms_S"
}

size_of() { stat -c %s "$1"; }

# --- The loop ----------------------------------------------------------------

# Remove what an earlier run left, so no stale file is mistaken for this run's.
rm -f .tmp_vmlinux* vmlinux System.map .tmp_System.map

if [ "$strategy" = latest ]; then
  # Step 0: a table built from no symbols at all, so that the first trial
  # image already has every section and symbol the table brings.
  set_names 0
  : >.tmp_vmlinux0.syms
  kallsyms .tmp_vmlinux0.syms "$kallsyms_S"
  assemble "$kallsyms_S" "$kallsymso"
  report 0 "$kallsymso" "$kallsyms_S"
fi

# Two trials always: the first learns the symbols, the second sees the
# layout with a table in it.
kallsyms_step 1
size1=$(size_of "$kallsymso")
kallsyms_step 2
size2=$(size_of "$kallsymso")

converged=yes
case "$strategy" in
  v5.9 | latest)
    # A third trial when the object's size moved, or on request; never a
    # fourth: the final System.map check decides.
    if [ "$size1" -ne "$size2" ] || [ -n "$KALLSYMS_EXTRA_PASS" ]; then
      kallsyms_step 3
    fi
    ;;
  eight-passes)
    # The patch proposed in 2020: keep going while the sizes move, up to 8.
    prev=$size1 last=$size2
    while [ "$prev" -ne "$last" ] && [ "$trials" -lt 8 ]; do
      kallsyms_step $((trials + 1))
      prev=$last last=$(size_of "$kallsymso")
    done
    if [ "$prev" -ne "$last" ]; then
      converged=no
    elif [ -n "$KALLSYMS_EXTRA_PASS" ] && [ "$trials" -lt 8 ]; then
      kallsyms_step $((trials + 1))
    fi
    ;;
esac

# The final link, with the last table object; its System.map must equal
# the one the last trial's table was built from.
if ! vmlinux_link vmlinux "$kallsymso"; then
  echo "reenact-link-vmlinux: ld.lld failed on vmlinux" >&2
  verdict link-failed
fi
mksysmap vmlinux System.map
if [ "$strategy" = latest ]; then
  trial_map=$kallsyms_vmlinux.syms
else
  trial_map=.tmp_System.map
  mksysmap "$kallsyms_vmlinux" "$trial_map"
fi

# For comparison with other runs: how long both maps are and where they
# first differ (the kernel itself only says whether they do).
first_difference() {
  awk 'FILENAME == ARGV[1] { trial[FNR] = $0; nt = FNR; next }
       !(FNR in trial) || trial[FNR] != $0 { print FNR; found = 1; exit }
       { nf = FNR }
       END { if (!found) print (nt > nf ? nf + 1 : "none") }' "$1" "$2"
}
echo "system_map lines=$(grep -c . System.map || true)" \
  "last_trial_lines=$(grep -c . "$trial_map" || true)" \
  "first_difference=$(first_difference "$trial_map" System.map)"

[ "$converged" = yes ] || verdict not-converged
if ! cmp -s System.map "$trial_map"; then
  echo 'Inconsistent kallsyms data' >&2
  echo 'Try "make KALLSYMS_EXTRA_PASS=1" as a workaround' >&2
  # Not the kernel's: the first differing lines, for whoever reads this.
  diff "$trial_map" System.map | head -n 8 >&2 || true
  verdict inconsistent
fi
verdict converged
