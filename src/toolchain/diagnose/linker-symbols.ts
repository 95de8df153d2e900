/**
 * Symbols the linker makes, recognised by the names each linker gives them.
 * Facts looked up in the linkers' sources (our words, no code taken):
 *
 * ld.lld (lld/ELF/Thunks.cpp): every thunk gets a local STT_FUNC symbol
 * named by its kind and the destination's name:
 * - PowerPC64: `__long_branch_<f>` (branch beyond ±32 MiB through the branch
 *   lookup table), `__plt_<f>` (call through the PLT, saving the TOC
 *   pointer), `__plt_pcrel_<f>` and `__gep_setup_<f>` (r12 set up for a
 *   global entry point), `__toc_save_<f>` (saves r2, then branches).
 * - PowerPC (32-bit): `__LongThunk_<f>`; PLT call stubs
 *   `<addend as 8 hex digits>.plt_call32.<f>`, `.plt_pic32.`, `.got2.plt_pic32.`
 *   (named as GNU ld names them).
 * - ARM: `__ARMv7ABSLongThunk_`, `__ARMV7PILongThunk_`, `__Thumbv7ABSLongThunk_`,
 *   `__ThumbV7PILongThunk_`, the v4/v5/v6-M families (`__ARMv5LongLdrPcThunk_`,
 *   `__ARMv4ABSLongBXThunk_`, `__Thumbv6MABSLongThunk_`, …) and, in older
 *   releases, `__ARMv5ABSLongThunk_` and `__ARMV5PILongThunk_`.
 * - AArch64: `__AArch64AbsLongThunk_`, `__AArch64AbsXOLongThunk_`,
 *   `__AArch64ADRPThunk_` (position-independent), `__AArch64BTIThunk_`.
 * - MIPS: `__LA25Thunk_` (non-PIC code calling PIC code), `__microLA25Thunk_`.
 * - Hexagon: `__hexagon_thunk_<f>_from_<caller>`.
 * - x86: none (its branches reach everywhere; Thunks.cpp makes no x86 thunk).
 *
 * GNU ld (bfd):
 * - PowerPC64 (elf64-ppc.c, with stub symbols emitted): `<group as 8 hex
 *   digits>.<kind>.<f>[+addend]`, kind `long_branch`, `plt_branch` or
 *   `plt_call`, in some releases with a suffix (`long_branch_r2off`, …).
 * - PowerPC (32-bit): `<8 hex>.plt_call32.<f>`, `.plt_pic32.`, `.got2.plt_pic32.`.
 * - ARM (elf32-arm.c): `__<f>_veneer` (long-branch and interworking stubs),
 *   `__<f>_from_arm`, `__<f>_from_thumb` (interworking glue),
 *   `__vfp11_veneer_<n>`, `__stm32l4xx_veneer_<n>`, `__bx_r<n>` (v4 BX glue).
 * - AArch64 (elfnn-aarch64.c): `__<f>_veneer`, `__<f>_bti_veneer`, erratum
 *   workarounds `__erratum_<number>_veneer_<n>`.
 * - MIPS (elfxx-mips.c): `.pic.<f>` (LA25 stubs).
 * - x86: none.
 */

export type Linker = 'ld.lld' | 'GNU ld' | 'ld.lld or GNU ld';

/** One naming scheme of one linker. */
export interface LinkerSymbolKind {
  /** Stable id, e.g. `lld-ppc64-long-branch`, `gnu-ppc64-long_branch_r2off`. */
  id: string;
  linker: Linker;
  arch: string;
  /** The name's shape, e.g. `__long_branch_<f>`. */
  pattern: string;
  /** What the stub is, briefly, as a singular noun phrase. */
  what: string;
}

interface PrefixKind {
  prefix: string;
  kind: LinkerSymbolKind;
}

const lld = (arch: string, prefix: string, what: string, id: string): PrefixKind => ({
  prefix,
  kind: { id: `lld-${id}`, linker: 'ld.lld', arch, pattern: `${prefix}<f>`, what },
});

const ARM_LONG = 'long-branch or ARM/Thumb interworking thunk';

/** ld.lld's thunk prefixes. Longer prefixes first where one extends another. */
const LLD_PREFIXES: readonly PrefixKind[] = [
  lld(
    'PowerPC64',
    '__long_branch_',
    'long-branch stub, for a bl beyond ±32 MiB',
    'ppc64-long-branch',
  ),
  lld('PowerPC64', '__plt_pcrel_', 'r12 setup stub through the PLT', 'ppc64-plt-pcrel'),
  lld('PowerPC64', '__plt_', 'PLT call stub, saving the TOC pointer', 'ppc64-plt'),
  lld('PowerPC64', '__toc_save_', 'TOC-saving stub', 'ppc64-toc-save'),
  lld('PowerPC64', '__gep_setup_', 'global-entry setup stub, setting r12', 'ppc64-gep-setup'),
  lld('PowerPC', '__LongThunk_', 'long-branch thunk, for a bl beyond ±32 MiB', 'ppc32-long-thunk'),
  lld('ARM', '__ARMv7ABSLongThunk_', ARM_LONG, 'arm-v7-abs'),
  lld('ARM', '__ARMV7PILongThunk_', ARM_LONG, 'arm-v7-pi'),
  lld('ARM', '__Thumbv7ABSLongThunk_', ARM_LONG, 'thumb-v7-abs'),
  lld('ARM', '__ThumbV7PILongThunk_', ARM_LONG, 'thumb-v7-pi'),
  lld('ARM', '__ARMv5LongLdrPcThunk_', ARM_LONG, 'arm-v5-ldr-pc'),
  lld('ARM', '__ARMv5ABSLongThunk_', `${ARM_LONG}, older ld.lld`, 'arm-v5-abs'),
  lld('ARM', '__ARMV5PILongThunk_', `${ARM_LONG}, older ld.lld`, 'arm-v5-pi'),
  lld('ARM', '__ARMv4ABSLongBXThunk_', ARM_LONG, 'arm-v4-abs-bx'),
  lld('ARM', '__ARMv4PILongBXThunk_', ARM_LONG, 'arm-v4-pi-bx'),
  lld('ARM', '__ARMv4PILongThunk_', ARM_LONG, 'arm-v4-pi'),
  lld('ARM', '__Thumbv4ABSLongBXThunk_', ARM_LONG, 'thumb-v4-abs-bx'),
  lld('ARM', '__Thumbv4ABSLongThunk_', ARM_LONG, 'thumb-v4-abs'),
  lld('ARM', '__Thumbv4PILongBXThunk_', ARM_LONG, 'thumb-v4-pi-bx'),
  lld('ARM', '__Thumbv4PILongThunk_', ARM_LONG, 'thumb-v4-pi'),
  lld('ARM', '__Thumbv6MABSLongThunk_', ARM_LONG, 'thumb-v6m-abs'),
  lld('ARM', '__Thumbv6MABSXOLongThunk_', ARM_LONG, 'thumb-v6m-abs-xo'),
  lld('ARM', '__Thumbv6MPILongThunk_', ARM_LONG, 'thumb-v6m-pi'),
  lld('AArch64', '__AArch64AbsLongThunk_', 'long-branch thunk, beyond ±128 MiB', 'a64-abs'),
  lld('AArch64', '__AArch64AbsXOLongThunk_', 'long-branch thunk, execute-only', 'a64-abs-xo'),
  lld('AArch64', '__AArch64ADRPThunk_', 'long-branch thunk, position-independent', 'a64-adrp'),
  lld('AArch64', '__AArch64BTIThunk_', 'BTI landing pad', 'a64-bti'),
  lld('MIPS', '__LA25Thunk_', 'LA25 stub, non-PIC code calling PIC code', 'mips-la25'),
  lld('MIPS', '__microLA25Thunk_', 'microMIPS LA25 stub', 'mips-micro-la25'),
  lld('Hexagon', '__hexagon_thunk_', 'long-branch thunk', 'hexagon'),
];

const kind = (
  id: string,
  linker: Linker,
  arch: string,
  pattern: string,
  what: string,
): LinkerSymbolKind => ({ id, linker, arch, pattern, what });

const PPC32_PLT = /^[0-9a-f]{8}.*\.(plt_call32|plt_pic32)\./;
const GNU_PPC64 = /^[0-9a-f]{8}\.(long_branch|plt_branch|plt_call)(_[a-z0-9]+)?\./;
const GNU_ERRATUM = /^__erratum_\d+_veneer_\d+$/;
const GNU_ARM_ERRATUM = /^__(vfp11|stm32l4xx)_veneer_[0-9a-f]+$/;
const GNU_BX = /^__bx_r\d+$/;

const EM_ARM = 40;
const EM_AARCH64 = 183;

/**
 * The linker naming scheme `name` follows, or null. `machine` (e_machine,
 * when the input is an ELF image) tells ARM's `__<f>_veneer` from AArch64's.
 */
export function classifyLinkerSymbol(name: string, machine?: number): LinkerSymbolKind | null {
  if (name.startsWith('__')) {
    for (const k of LLD_PREFIXES) if (name.startsWith(k.prefix)) return k.kind;
    if (GNU_ERRATUM.test(name)) {
      return kind(
        'gnu-a64-erratum',
        'GNU ld',
        'AArch64',
        '__erratum_<n>_veneer_<k>',
        'erratum workaround veneer',
      );
    }
    if (GNU_ARM_ERRATUM.test(name)) {
      return kind(
        'gnu-arm-erratum',
        'GNU ld',
        'ARM',
        '__<erratum>_veneer_<n>',
        'erratum workaround veneer',
      );
    }
    if (GNU_BX.test(name)) return kind('gnu-arm-bx', 'GNU ld', 'ARM', '__bx_r<n>', 'ARMv4 BX glue');
    if (name.endsWith('_from_arm')) {
      return kind('gnu-arm-from-arm', 'GNU ld', 'ARM', '__<f>_from_arm', 'ARM-to-Thumb glue');
    }
    if (name.endsWith('_from_thumb')) {
      return kind('gnu-arm-from-thumb', 'GNU ld', 'ARM', '__<f>_from_thumb', 'Thumb-to-ARM glue');
    }
    if (name.endsWith('_bti_veneer')) {
      return kind(
        'gnu-a64-bti-veneer',
        'GNU ld',
        'AArch64',
        '__<f>_bti_veneer',
        'BTI landing veneer',
      );
    }
    if (name.endsWith('_veneer') && name.length > '___veneer'.length) {
      const arch =
        machine === EM_ARM ? 'ARM' : machine === EM_AARCH64 ? 'AArch64' : 'ARM or AArch64';
      return kind(
        `gnu-veneer-${arch}`,
        'GNU ld',
        arch,
        '__<f>_veneer',
        'long-branch or interworking veneer',
      );
    }
    return null;
  }
  const c = name.charCodeAt(0);
  if ((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66)) {
    let m = GNU_PPC64.exec(name);
    if (m) {
      const stub = m[1] + (m[2] ?? '');
      const what = `${stub.replace(/_/g, ' ')} stub`;
      return kind(`gnu-ppc64-${stub}`, 'GNU ld', 'PowerPC64', `<group>.${stub}.<f>`, what);
    }
    m = PPC32_PLT.exec(name);
    if (m) {
      const stub = name.includes('.got2.plt_pic32.') ? 'got2.plt_pic32' : m[1];
      const pattern = `<addend>.${stub}.<f>`;
      return kind(`ppc32-${stub}`, 'ld.lld or GNU ld', 'PowerPC', pattern, 'PLT call stub');
    }
    return null;
  }
  if (name.startsWith('.pic.') && name.length > 5) {
    return kind(
      'gnu-mips-la25',
      'GNU ld',
      'MIPS',
      '.pic.<f>',
      'LA25 stub, non-PIC code calling PIC code',
    );
  }
  return null;
}
