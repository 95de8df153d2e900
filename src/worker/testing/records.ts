/** Small, valid pass and run records for tests that do not link. */
import type { PassRecord, RunRecord } from '../../toolchain/kbuild/records.ts';

export function passRecord(pass: number, step: PassRecord['step'] = 'trial'): PassRecord {
  const image = step === 'vmlinux' ? 'vmlinux' : `.tmp_vmlinux${pass}`;
  return {
    pass,
    step,
    reason: step === 'vmlinux' ? 'final' : pass === 1 ? 'first' : 'with-first-table',
    explanation: `link ${image}`,
    linkedWith: pass === 1 ? null : `.tmp_vmlinux${pass - 1}.kallsyms.o`,
    link: {
      image,
      command: { tool: 'ld.lld', args: ['-o', image] },
      inputs: ['init/main.o'],
      outputBytes: 4096,
      ms: 12,
      diagnostics: '',
    },
    layout: {
      sections: [{ name: '.text', address: '0xc000000000000000', size: 1024 }],
      symbols: {
        _stext: '0xc000000000000000',
        _etext: '0xc000000000000400',
        _sinittext: null,
        _einittext: null,
      },
      table: null,
    },
    listingLines: 100,
    stubs: { total: 1, byKind: { long_branch: 1 }, added: [], removed: [] },
    reach: {
      calls: 1,
      outOfReach: 0,
      targetsOutOfReach: 0,
      distances: [-4096],
      siteIndex: [0],
      worstMargin: -1000,
    },
    tableObject: null,
    timings: { link: 12, listing: 3, kallsyms: 2, object: 1 },
  };
}

export function runRecord(passes: PassRecord[]): RunRecord {
  return {
    format: 1,
    toolchain: 'wasm',
    arch: 'ppc64le',
    strategy: 'latest',
    generation: 'latest',
    options: {
      baseRelative: true,
      allSymbols: false,
      filterLldStubs: false,
      extraPass: false,
      maxPasses: 16,
      extraLinkerFlags: [],
    },
    corpus: { compiler: 'clang 16', objects: [{ name: 'init/main.o', sha256: '00' }] },
    linkerScript: 'SECTIONS {}',
    emptyTableObject: null,
    passes,
    check: null,
    verdict: { kind: 'converged', passes: passes.length - 1, summary: 'Converged' },
    callSites: [
      {
        object: 'init/main.o',
        offset: 16,
        target: 'core_a',
        form: 'REL24',
        caller: 'start_kernel',
        callerOffset: 16,
      },
    ],
    totalMs: 40,
  };
}
