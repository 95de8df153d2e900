/**
 * The generated corpus, checked three ways: its structure through the
 * project's ELF reader (every object, fast), what LLVM's own tools say of
 * it (the WebAssembly llvm-readelf and llvm-nm against what the plan
 * intended, for all three targets), and its bytes (deterministic, and
 * pinned for v1: the same id must give the same corpus forever).
 */
import { describe, expect, it } from 'vitest';
import { ARCH_IDS, TARGETS, type ArchId } from '../../arch/targets.ts';
import { readElf } from '../../elf/index.ts';
import { createWasmToolchain } from '../../llvm/wasm-toolchain.ts';
import type { CorpusObject } from '../load-corpus.ts';
import { obtainCorpus } from '../obtain-corpus.ts';
import { generateCorpus, writeCorpus, type GenerateProgress } from './generate.ts';
import {
  DEFAULT_GENERATED_PARAMS,
  generatedCorpusId,
  type GeneratedCorpusParams,
} from './params.ts';
import { planCorpus, type CorpusPlan } from './plan.ts';
import { HEAD_FUNCTIONS as HEAD_NAMES } from './vocabulary.ts';

const SMALL: GeneratedCorpusParams = {
  ...DEFAULT_GENERATED_PARAMS,
  seed: 42,
  symbols: 3000,
  objects: 24,
  initFunctions: 300,
  callsPerInit: 3,
};

async function digest(objects: CorpusObject[]): Promise<string> {
  const parts: Uint8Array[] = [];
  for (const o of objects) parts.push(new TextEncoder().encode(`${o.name}\n`), o.bytes);
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  const hash = await crypto.subtle.digest('SHA-256', all);
  return Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What the plan says object `o` must contain. */
function intended(plan: CorpusPlan, o: number) {
  const { textStart, initStart, end, textSection } = plan.objects[o];
  const name = (f: number) => plan.names.toString(f);
  const functions: Array<{ name: string; local: boolean; section: string }> = [];
  const callees: string[][] = [[], []];
  for (let f = textStart; f < end; f++) {
    const section = f < initStart ? textSection : '.init.text';
    functions.push({ name: name(f), local: plan.local[f] === 1, section });
    for (let c = plan.callStart[f]; c < plan.callStart[f + 1]; c++) {
      callees[f < initStart ? 0 : 1].push(name(plan.callee[c]));
    }
  }
  return { functions, textCalls: callees[0], initCalls: callees[1] };
}

describe('generated corpus: structure (every object, through the ELF reader)', () => {
  it.each(ARCH_IDS)('%s: functions, symbols and REL24 calls are what the plan says', (arch) => {
    const target = TARGETS[arch];
    const plan = planCorpus(SMALL);
    const objects = writeCorpus(plan, SMALL.seed, target);
    expect(objects).toHaveLength(SMALL.objects);
    expect(objects[0].name).toBe('arch/powerpc/kernel/head_64.o');
    expect(new Set(objects.map((o) => o.name)).size).toBe(objects.length);

    const globals = new Set<string>();
    let functions = 0;
    let initFunctions = 0;
    objects.forEach((object, o) => {
      const elf = readElf(object.bytes);
      expect(elf.header.machine).toBe(target.machine);
      expect(elf.header.flags).toBe(target.elfClass === 64 ? 2 : 0);
      const symtab = elf.symbolTable()!;
      const symbols = symtab.toArray();
      const firstGlobal = symtab.section.info;
      // Locals first (null, FILE, static functions), then globals.
      expect(symbols.slice(0, firstGlobal).every((s) => s.bind === 0)).toBe(true);
      expect(symbols.slice(firstGlobal).every((s) => s.bind === 1)).toBe(true);
      expect(symbols[1]).toMatchObject({
        type: 4,
        name: object.name.replace(/^.*\//, '').replace(/\.o$/, '.c'),
      });

      const want = intended(plan, o);
      const defined = symbols.filter((s) => s.type === 2);
      expect(defined.map((s) => s.name).sort()).toEqual(want.functions.map((f) => f.name).sort());
      for (const f of want.functions) {
        const s = defined.find((d) => d.name === f.name)!;
        expect(s.bind, f.name).toBe(f.local ? 0 : 1);
        expect(elf.sections[s.sectionIndex].name, f.name).toBe(f.section);
        expect(s.size > 0n && s.other === 0, f.name).toBe(true);
        if (!f.local) {
          expect(globals.has(f.name), `${f.name} defined twice`).toBe(false);
          globals.add(f.name);
        }
        expect(f.name).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      }
      functions += defined.length;
      initFunctions += want.functions.filter((f) => f.section === '.init.text').length;

      // Every relocation is a REL24 on a `bl`, naming the callee the plan chose.
      for (const [section, calls] of [
        [want.functions[0].section, want.textCalls],
        ['.init.text', want.initCalls],
      ] as const) {
        const code = elf.section(section);
        const tables = code ? elf.relocationsFor(code) : [];
        const named: string[] = [];
        for (const table of tables) {
          const syms = elf.symbolTableAt(table.symbolTableIndex);
          for (let i = 0; i < table.count; i++) {
            expect(table.type(i)).toBe(10);
            expect(table.addend(i)).toBe(0n);
            const at = Number(table.offset(i));
            const bytes = elf.sectionBytes(code!)!;
            const word = new DataView(bytes.buffer, bytes.byteOffset).getUint32(
              at,
              target.endian === 'little',
            );
            expect(word).toBe(0x48000001);
            named.push(syms.name(table.symbolIndex(i)));
          }
        }
        expect(named, `${object.name} ${section}`).toEqual(calls);
      }
    });
    expect(functions).toBe(SMALL.symbols);
    expect(initFunctions).toBe(SMALL.initFunctions);
    // Every callee is defined somewhere.
    for (let c = 0; c < plan.callee.length; c++) {
      expect(plan.local[plan.callee[c]]).toBe(0);
    }
  });

  it('names like a kernel: subsystem prefixes, static __helpers, __init code with init/setup names', () => {
    const plan = planCorpus(DEFAULT_GENERATED_PARAMS);
    const names = Array.from({ length: plan.names.size }, (_, f) => plan.names.toString(f));
    const statics = names.filter((_, f) => plan.local[f]);
    expect(names).toContain('start_kernel');
    expect(names).toContain('start_here');
    expect(names.some((n) => /^ext4_/.test(n))).toBe(true);
    expect(names.some((n) => /^tcp_/.test(n))).toBe(true);
    expect(names.some((n) => /^kmem_cache_/.test(n))).toBe(true);
    expect(names.some((n) => /^drm_/.test(n))).toBe(true);
    expect(statics.filter((n) => n.startsWith('__')).length / statics.length).toBeGreaterThan(0.3);
    const inits = plan.objects.flatMap((o) => names.slice(o.initStart, o.end));
    expect(inits).toHaveLength(DEFAULT_GENERATED_PARAMS.initFunctions);
    expect(inits.every((n) => /init|setup/.test(n))).toBe(true);
    // Numbered names (foo_2) are rare.
    expect(names.filter((n) => /_\d+$/.test(n) && !/_v2$/.test(n)).length).toBeLessThan(
      names.length / 100,
    );
  });
});

describe('generated corpus: bytes', () => {
  it.each(ARCH_IDS)(
    '%s: the same parameters give the same bytes; another seed others',
    async (arch) => {
      const a = await digest(generateCorpus(SMALL, TARGETS[arch]));
      expect(await digest(generateCorpus(SMALL, TARGETS[arch]))).toBe(a);
      expect(await digest(generateCorpus({ ...SMALL, seed: 43 }, TARGETS[arch]))).not.toBe(a);
    },
  );

  // If this fails, the generator's output changed: every permalink and preset naming
  // generated-v1 would now mean another corpus. Keep v1's output and add a v2 instead.
  const PINNED: Record<ArchId, string> = {
    ppc64le: 'e2ec68024748aa12040709580c43638973726a9be38f9de8a07ea3c590b06d44',
    ppc64: 'f122e8048e34a2b76677fa58939f9963f2d038ccd5e79068de112ac2a09bb90b',
    ppc32: '589b4660b0e07e89acf99f05b8ab881395d52ca413b8e916c63b090eb000a58c',
  };
  it.each(ARCH_IDS)('%s: generated-v1 is the corpus it was when v1 was published', async (arch) => {
    const objects = generateCorpus(DEFAULT_GENERATED_PARAMS, TARGETS[arch]);
    expect(objects).toHaveLength(400);
    expect(await digest(objects)).toBe(PINNED[arch]);
  });
});

describe('generated corpus: progress', () => {
  it('reports the plan, then every object in link order, and changes no byte', async () => {
    const seen: GenerateProgress[] = [];
    const objects = generateCorpus(SMALL, TARGETS.ppc64le, (p) => seen.push({ ...p }));
    expect(await digest(objects)).toBe(await digest(generateCorpus(SMALL, TARGETS.ppc64le)));
    const total = SMALL.objects;
    expect(seen).toEqual([
      { stage: 'plan', done: 0, total: 1 },
      { stage: 'plan', done: 1, total: 1 },
      ...Array.from({ length: total + 1 }, (_, i) => ({ stage: 'write', done: i, total })),
    ]);
  });

  it('obtainCorpus adds the checksums, and its objects are the ones made without a hook', async () => {
    const scenario = { corpus: generatedCorpusId(SMALL), arch: 'ppc32' as const };
    const unreadable = { readFile: () => Promise.reject(new Error('not read')) };
    const stages: string[] = [];
    let last = { stage: '', done: 0, total: 0 };
    const corpus = await obtainCorpus(scenario, unreadable, (p) => {
      if (stages.at(-1) !== p.stage) stages.push(p.stage);
      last = p;
    });
    expect(stages).toEqual(['plan', 'write', 'checksum']);
    expect(last).toEqual({ stage: 'checksum', done: SMALL.objects, total: SMALL.objects });
    const plain = await obtainCorpus(scenario, unreadable);
    expect(await digest(corpus.objects)).toBe(await digest(plain.objects));
    expect(corpus.manifest).toEqual(plain.manifest);
  });
});

describe('generated corpus: what llvm-readelf and llvm-nm (WebAssembly) say', () => {
  const toolchain = createWasmToolchain();

  it.each(ARCH_IDS)('%s: sections, symbols and relocations as intended', async (arch) => {
    const target = TARGETS[arch];
    const is64 = target.elfClass === 64;
    const plan = planCorpus(SMALL);
    const objects = writeCorpus(plan, SMALL.seed, target);
    // The head object and a few others, in one run of each tool.
    const picked = [0, 1, 7, 15, 23];
    const files = Object.fromEntries(picked.map((o) => [objects[o].name, objects[o].bytes]));
    const readelf = await toolchain.run(
      'llvm-readelf',
      ['-h', '-S', '-s', '-r', '--wide', ...Object.keys(files)],
      files,
    );
    const text = new TextDecoder().decode(readelf.stdout);
    const perFile = text.split(/^File: /m).slice(1);
    expect(perFile).toHaveLength(picked.length);

    picked.forEach((o, k) => {
      const out = perFile[k];
      const want = intended(plan, o);
      const textName = plan.objects[o].textSection;
      expect(out.startsWith(objects[o].name)).toBe(true);
      expect(out).toMatch(is64 ? /Class:\s+ELF64/ : /Class:\s+ELF32/);
      expect(out).toMatch(target.endian === 'little' ? /little endian/ : /big endian/);
      expect(out).toMatch(/Type:\s+REL \(Relocatable file\)/);
      expect(out).toMatch(is64 ? /Machine:\s+PowerPC64/ : /Machine:\s+PowerPC\n/);
      expect(out).toMatch(is64 ? /Flags:\s+0x2\n/ : /Flags:\s+0x0\n/);

      // Sections: name, type, flags, link, info, alignment.
      const sections = [
        ...out.matchAll(
          /^\s+\[\s*(\d+)\] (\S*)\s+(\w+)\s+[0-9a-f]+ [0-9a-f]+ [0-9a-f]+ [0-9a-f]+\s+([A-Za-z]*)\s+(\d+)\s+(\d+)\s+(\d+)$/gm,
        ),
      ].map((m) => ({
        name: m[2],
        type: m[3],
        flags: m[4],
        link: +m[5],
        info: +m[6],
        align: +m[7],
      }));
      const names = sections.map((s) => s.name);
      const hasInit = want.functions.some((f) => f.section === '.init.text');
      expect(names).toEqual([
        'NULL' === sections[0].type ? '' : '?',
        '.strtab',
        textName,
        ...(want.textCalls.length ? [`.rela${textName}`] : []),
        ...(hasInit ? ['.init.text'] : []),
        ...(want.initCalls.length ? ['.rela.init.text'] : []),
        '.note.GNU-stack',
        '.symtab',
      ]);
      const symtabIndex = names.indexOf('.symtab');
      for (const s of sections) {
        if (s.name === textName)
          expect(s).toMatchObject({ type: 'PROGBITS', flags: 'AX', align: is64 ? 16 : 4 });
        if (s.name === '.init.text')
          expect(s).toMatchObject({ type: 'PROGBITS', flags: 'AX', align: 4 });
        if (s.name.startsWith('.rela')) {
          expect(s).toMatchObject({
            type: 'RELA',
            flags: 'I',
            link: symtabIndex,
            align: is64 ? 8 : 4,
          });
          expect(names[s.info]).toBe(s.name.slice(5));
        }
      }

      // Symbols: every planned function as FUNC with its binding, in its section; callees UND.
      const symbols = [
        ...out.matchAll(/^\s+(\d+): ([0-9a-f]+)\s+(\d+) (\w+)\s+(\w+)\s+(\w+)\s+(\w+) (\S+)$/gm),
      ].map((m) => ({ size: +m[3], type: m[4], bind: m[5], vis: m[6], ndx: m[7], name: m[8] }));
      for (const f of want.functions) {
        const s = symbols.find((x) => x.name === f.name);
        expect(s, f.name).toBeDefined();
        expect(s).toMatchObject({
          type: 'FUNC',
          bind: f.local ? 'LOCAL' : 'GLOBAL',
          vis: 'DEFAULT',
        });
        expect(names[+s!.ndx]).toBe(f.section);
        expect(s!.size).toBeGreaterThan(0);
      }
      const defined = new Set(want.functions.filter((f) => !f.local).map((f) => f.name));
      for (const callee of [...want.textCalls, ...want.initCalls]) {
        if (defined.has(callee)) continue;
        expect(symbols.find((x) => x.name === callee)).toMatchObject({
          type: 'NOTYPE',
          bind: 'GLOBAL',
          ndx: 'UND',
        });
      }
      expect(symbols.find((x) => x.type === 'FILE')).toMatchObject({ bind: 'LOCAL', ndx: 'ABS' });

      // Relocations: REL24 against each callee, in call order, addend 0.
      const relocs = (section: string) => {
        const block = out.split(`Relocation section '${section}'`)[1]?.split(/\n\n/)[0] ?? '';
        return [
          ...block.matchAll(/^[0-9a-f]+\s+[0-9a-f]+ (R_PPC\w+)\s+[0-9a-f]+\s+(\S+) \+ 0$/gm),
        ].map((m) => ({ type: m[1], name: m[2] }));
      };
      const rel24 = is64 ? 'R_PPC64_REL24' : 'R_PPC_REL24';
      expect(relocs(`.rela${textName}`)).toEqual(
        want.textCalls.map((name) => ({ type: rel24, name })),
      );
      expect(relocs('.rela.init.text')).toEqual(
        want.initCalls.map((name) => ({ type: rel24, name })),
      );
    });

    // llvm-nm: T/t for the functions, U for what they call elsewhere.
    const o = picked[2];
    const nm = await toolchain.run('llvm-nm', [objects[o].name], {
      [objects[o].name]: objects[o].bytes,
    });
    const lines = new TextDecoder()
      .decode(nm.stdout)
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s+/).slice(-2).join(' '))
      .sort();
    const want = intended(plan, o);
    const definedHere = new Set(want.functions.map((f) => f.name));
    const expected = [
      ...want.functions.map((f) => `${f.local ? 't' : 'T'} ${f.name}`),
      ...[...new Set([...want.textCalls, ...want.initCalls])]
        .filter((n) => !definedHere.has(n))
        .map((n) => `U ${n}`),
    ].sort();
    expect(lines).toEqual(expected);
  });
});

describe('generated corpus: shape knobs', () => {
  const target = TARGETS.ppc64le;
  /** Every defined function of a corpus, with its section and size, by name. */
  function functionsOf(objects: CorpusObject[]) {
    const all = new Map<string, { section: string; size: number; value: number; object: string }>();
    for (const o of objects) {
      const elf = readElf(o.bytes);
      for (const s of elf.symbolTable()!.toArray()) {
        if (s.type !== 2) continue;
        const section = elf.sections[s.sectionIndex].name;
        all.set(`${o.name}:${s.name}`, {
          section,
          size: Number(s.size),
          value: Number(s.value),
          object: o.name,
        });
      }
    }
    return all;
  }
  const coreNames = (plan: CorpusPlan) =>
    plan.objects.flatMap((o) =>
      Array.from({ length: o.initStart - o.textStart }, (_, k) => o.textStart + k),
    );

  it('functionBody sets every core body; names and calls stay those of the same seed', () => {
    const drawn = planCorpus(SMALL);
    const fixed = planCorpus({ ...SMALL, functionBody: 5 });
    const core = coreNames(fixed).filter((f) => fixed.objects[0].initStart <= f);
    expect(core.every((f) => fixed.body[f] === 5)).toBe(true);
    expect(new Set(core.map((f) => drawn.body[f])).size).toBeGreaterThan(5); // the mix
    for (let f = 0; f < SMALL.symbols; f++)
      expect(fixed.names.toString(f)).toBe(drawn.names.toString(f));
    expect(Array.from(fixed.callee)).toEqual(Array.from(drawn.callee));
  });

  it('functionAlign places every core function on its boundary', () => {
    const objects = generateCorpus({ ...SMALL, functionAlign: 64 }, target);
    const core = [...functionsOf(objects).values()].filter((f) => f.section === '.text');
    expect(core.length).toBeGreaterThan(2000);
    expect(core.every((f) => f.value % 64 === 0)).toBe(true);
    const objects4 = generateCorpus({ ...SMALL, functionAlign: 4 }, target);
    const bytes = (os: CorpusObject[]) => os.reduce((n, o) => n + o.bytes.length, 0);
    expect(bytes(objects4)).toBeLessThan(bytes(objects));
  });

  it('nameLength lengthens every core name with words, keeping names unique', () => {
    const plan = planCorpus({ ...SMALL, nameLength: 48 });
    const core = coreNames(plan)
      .map((f) => plan.names.toString(f))
      .filter((n) => n !== 'start_kernel');
    const head = new Set<string>(HEAD_NAMES);
    expect(core.filter((n) => !head.has(n)).every((n) => n.length >= 48)).toBe(true);
    expect(core.every((n) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(n))).toBe(true);
    const globals = coreNames(plan)
      .filter((f) => !plan.local[f])
      .map((f) => plan.names.toString(f));
    expect(new Set(globals).size).toBe(globals.length);
    // Links: ld.lld would refuse a global defined twice.
    expect(() => generateCorpus({ ...SMALL, nameLength: 48 }, target)).not.toThrow();
  });

  it('nearTargets and nearShare aim that share of __init calls at the first core globals, made leaves', () => {
    const params = { ...SMALL, nearTargets: 200, nearShare: 60 };
    const plan = planCorpus(params);
    const pool = new Set<number>();
    for (let f = 0; f < plan.names.size && pool.size < 200; f++) {
      const o = plan.objects.find((x) => f >= x.textStart && f < x.end)!;
      if (o.textSection === '.text' && f < o.initStart && !plan.local[f]) pool.add(f);
    }
    const poolEnd = Math.max(...pool) + 1;
    let initCalls = 0;
    let aimed = 0;
    for (const o of plan.objects) {
      for (let f = o.initStart; f < o.end; f++) {
        for (let c = plan.callStart[f]; c < plan.callStart[f + 1]; c++) {
          initCalls++;
          if (pool.has(plan.callee[c])) aimed++;
        }
      }
      // The pool (and the statics among it) call nothing; the head is not core text.
      if (o.textSection !== '.text') continue;
      for (let f = o.textStart; f < Math.min(o.initStart, poolEnd); f++) {
        expect(plan.callStart[f + 1] - plan.callStart[f]).toBe(0);
        expect(plan.helper[f]).toBe(-1);
      }
    }
    expect(initCalls).toBe(SMALL.initFunctions * SMALL.callsPerInit);
    // 60% aimed at the pool, plus what would have gone there anyway.
    expect(aimed / initCalls).toBeGreaterThan(0.55);
    expect(aimed / initCalls).toBeLessThan(0.7);
  });

  it('pinned writes .fixed.text, spaced as asked, each function called once from its own __init callers', () => {
    const params = { ...SMALL, pinned: 100, pinnedSpacing: 24, pinnedCallsPerInit: 7 };
    const plan = planCorpus(params);
    const objects = writeCorpus(plan, params.seed, target);
    expect(objects).toHaveLength(SMALL.objects + 1);
    const last = objects.at(-1)!;
    expect(last.name).toBe('arch/powerpc/kernel/fixed_vectors.o');
    // The rest of the corpus is the one without pinned functions, byte for byte.
    const without = writeCorpus(planCorpus(SMALL), SMALL.seed, target);
    objects
      .slice(0, -1)
      .forEach((o, i) =>
        expect(Buffer.from(o.bytes).equals(Buffer.from(without[i].bytes))).toBe(true),
      );

    const elf = readElf(last.bytes);
    const symbols = elf.symbolTable()!.toArray();
    const fixed = symbols.filter(
      (s) => s.type === 2 && elf.sections[s.sectionIndex].name === '.fixed.text',
    );
    expect(fixed.map((s) => Number(s.value))).toEqual(
      Array.from({ length: 100 }, (_, k) => 24 * k),
    );
    expect(fixed.every((s) => s.bind === 1)).toBe(true);
    const callers = symbols.filter(
      (s) => s.type === 2 && elf.sections[s.sectionIndex].name === '.init.text',
    );
    expect(callers).toHaveLength(Math.ceil(100 / 7));
    // Calls in address order: caller j calls pinned 7j … 7j + 6.
    const [rela] = elf.relocationsFor('.init.text');
    const names = elf.symbolTableAt(rela.symbolTableIndex);
    const called = Array.from({ length: rela.count }, (_, i) => names.name(rela.symbolIndex(i)));
    expect(called).toEqual(fixed.map((s) => s.name));
    // Names no other function of the corpus has.
    const everywhere = new Set<string>();
    for (const o of without)
      for (const s of readElf(o.bytes).symbolTable()!.toArray())
        if (s.type === 2) everywhere.add(s.name);
    expect([...fixed, ...callers].some((s) => everywhere.has(s.name))).toBe(false);
  });
});
