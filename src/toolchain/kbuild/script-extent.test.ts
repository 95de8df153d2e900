/**
 * What a linker script alone can add to an image's file, read before any
 * link: fills and gaps inside a segment count, a gap between two PHDRS
 * segments does not, anything not evaluated is unknown (never a guess), and
 * for real links with ld.lld the bound holds and is close.
 */
import { describe, expect, it } from 'vitest';
import { TARGETS } from '../arch/targets.ts';
import { loadCorpus } from '../corpus/load-corpus.ts';
import { nodeCorpusSource } from '../corpus/node-source.ts';
import { createNativeToolchain } from '../llvm/native-toolchain.ts';
import { renderLinkerScript } from './linker-script.ts';
import { scriptExtent } from './script-extent.ts';

const MIB = 1024n * 1024n;
const PAGE = 0x10000n;

const template = (gap = 0x800000) =>
  renderLinkerScript(TARGETS.ppc64le, { base: 0xc000000000000000n, align: 16, gap });

/** The template with `insert` placed just before the comment that precedes the gap. */
const withBeforeGap = (insert: string, script = template()) =>
  script.replace('  /* The rest of a big kernel', `${insert}\n  /* The rest of a big kernel`);

/** The template with `insert` placed inside the init segment, after init text (no call moves). */
const inInitSegment = (insert: string, script = template()) =>
  script.replace('  .data : {', `${insert}\n  .data : {`);

/** The template with a PT_NOTE segment named `note` besides its two PT_LOADs. */
const withNote = template().replace(
  'init PT_LOAD FLAGS(7);',
  'init PT_LOAD FLAGS(7);\n  note PT_NOTE;',
);

const bytes = (script: string) => {
  const extent = scriptExtent(script);
  if (!extent.ok) throw new Error(extent.reason);
  return extent.bytes;
};

describe('scriptExtent', () => {
  it('counts the template’s gap as addresses only, whatever its size (a segment boundary)', () => {
    for (const arch of ['ppc64le', 'ppc64', 'ppc32'] as const) {
      for (const gap of [0, 0x1fb0000, 1024 * 1024 * 1024]) {
        const script = renderLinkerScript(TARGETS[arch], { base: 0xc0000000n, align: 16, gap });
        // One page of padding at the boundary and .rodata's ALIGN(8).
        expect(bytes(script), `${arch} gap ${gap}`).toBeLessThanOrEqual(PAGE + 8n);
      }
    }
  });

  it('counts a fill inside an output section, in any spelling', () => {
    const base = bytes(template());
    expect(bytes(withBeforeGap('  .fill : { . = . + 0x60000000; } :text'))).toBe(
      base + 0x60000000n,
    );
    expect(bytes(withBeforeGap('  .fill : { . += 1536M; } :text'))).toBe(base + 1536n * MIB);
    expect(bytes(withBeforeGap('  .fill : { . = 0x1000; BYTE(1) QUAD(2) } :text'))).toBe(
      base + 0x1000n + 16n,
    );
    expect(bytes(withBeforeGap('  .fill : { . = ALIGN(. + (1 << 20) * 3, 0x1000); } :text'))).toBe(
      base + 3n * MIB + 0xfffn,
    );
  });

  it('counts a top-level move between sections of one segment, not of two', () => {
    const base = bytes(template());
    // Between .init.data and .data, both in the init segment.
    expect(bytes(inInitSegment('  . = . + 0x4000000;'))).toBe(base + 0x4000000n);
    // Between .rodata (text segment) and .init.text (init segment): addresses only, like the gap.
    expect(bytes(withBeforeGap('  . = . + 0x4000000;'))).toBe(base);
    // An absolute jump past the last known address.
    const jump = template().replace('  .rodata :', '  . = 0xc000000008000000;\n  .rodata :');
    expect(bytes(jump)).toBeGreaterThanOrEqual(0x8000000n - 0x1000000n);
    // Without PHDRS, ld.lld decides the segments: the gap counts as bytes.
    const noPhdrs = template()
      .replace(/PHDRS\s*\{[^}]*\}/, '')
      .replace(/ :(text|init)\b/g, '');
    expect(bytes(noPhdrs)).toBeGreaterThanOrEqual(0x800000n);
  });

  it('counts the sections of every SECTIONS command, not only the first', () => {
    const base = bytes(template());
    // ld.lld lays out a second SECTIONS command after the first: its fill is in the image.
    const fill = 'SECTIONS { .fill : { BYTE(1) . += 0x40000000; BYTE(2) } }\n';
    expect(bytes(`${template()}\n${fill}`)).toBe(base + 0x40000000n + 16n);
    expect(bytes(`${fill}${template()}`)).toBeGreaterThanOrEqual(base + 0x40000000n);
    expect(bytes(`${template()}\nSECTIONS { }\nSECTIONS { .a : { . += 0x1000; } }`)).toBe(
      base + 0x1000n,
    );
    // INSERT puts a command's sections among another's: not evaluated.
    const insert = scriptExtent(`${template()}\nSECTIONS { .a : { . += 8; } } INSERT AFTER .text;`);
    expect(insert.ok).toBe(false);
    if (!insert.ok) expect(insert.reason).toMatch(/INSERT/);
  });

  it('counts nothing inside /DISCARD/, after the last section, or in NOLOAD at a segment’s end', () => {
    const base = bytes(template());
    expect(
      bytes(withBeforeGap('  .scratch (NOLOAD) : { . = . + 0x40000000; } :text')),
    ).toBeLessThanOrEqual(base);
    expect(bytes(template().replace(/\}\s*$/, '  . = . + 0x40000000;\n}\n'))).toBe(base);
    expect(bytes(template().replace(/\}\s*$/, '  /DISCARD/ : { . += 0x40000000; }\n}\n'))).toBe(
      base,
    );
  });

  it('counts a move inside one PT_LOAD, however the sections list their phdrs', () => {
    const base = bytes(template());
    const move = '  . += 0x4000000;';
    expect(
      bytes(
        inInitSegment(
          `  .n : { BYTE(1) } :init :note\n${move}\n  .m : { BYTE(1) } :init`,
          withNote,
        ),
      ),
    ).toBe(base + 0x4000000n + 16n);
    // A section in no PT_LOAD continues the file where it is: the move counts.
    for (const phdr of [':note', ':NONE'])
      expect(
        bytes(
          inInitSegment(`${move}\n  .n : { BYTE(1) } ${phdr}\n  .m : { BYTE(1) } :init`, withNote),
        ),
        phdr,
      ).toBeGreaterThanOrEqual(base + 0x4000000n);
    // PT_LOAD may be spelled as its number.
    expect(bytes(template().replace('init PT_LOAD', 'init 1'))).toBe(base);
  });

  it('counts the moves taken as addresses when a section returns to an earlier segment', () => {
    const gap = 0x4000000;
    const back = inInitSegment('  .back : { BYTE(1) } :text', template(gap));
    expect(bytes(back)).toBeGreaterThanOrEqual(BigInt(gap));
  });

  it('counts a NOLOAD section as file bytes when a section with bytes follows it in its segment', () => {
    const base = bytes(template());
    // ld.lld places the later section as far into the file as into memory (measured below).
    const before = (what: string) =>
      inInitSegment(`  .big (NOLOAD) : { . += 0x4000000; } :init\n${what}`);
    expect(bytes(before('  .x : { BYTE(1) } :init'))).toBe(base + 0x4000000n + 8n);
    expect(bytes(before('  .y (NOLOAD) : { . += 16; } :init\n  .x : { BYTE(1) } :init'))).toBe(
      base + 0x4000000n + 16n + 8n,
    );
  });

  it('ignores comments, symbol assignments, PROVIDE and ASSERT', () => {
    const base = bytes(template());
    const script = withBeforeGap(
      [
        '  /* . = . + 0x40000000; */',
        '  # . = . + 0x40000000;',
        '  big = 0x40000000;',
        '  PROVIDE(other = . + 0x40000000);',
        '  ASSERT(. < 0xd000000000000000, "too far");',
      ].join('\n'),
    );
    expect(bytes(script)).toBe(base);
  });

  it('says unknown (with the reason) for what it does not evaluate', () => {
    const cases: Array<[string, RegExp]> = [
      [withBeforeGap('  . = . + SIZEOF(.text);'), /SIZEOF/],
      [withBeforeGap('  .fill : { . = . + big; } :text'), /"big"/],
      [withBeforeGap('  . = . * 2;'), /location counter is used/],
      [
        'MEMORY { ram : ORIGIN = 0, LENGTH = 1M }\nSECTIONS { .text : { *(.text) } > ram }',
        /MEMORY/,
      ],
      ['SECTIONS { OVERLAY : { .a { *(.a) } } }', /OVERLAY/],
      ['SECTIONS { .text : { *(.text) }', /not closed/],
    ];
    for (const [script, reason] of cases) {
      const extent = scriptExtent(script);
      expect(extent.ok, script).toBe(false);
      if (!extent.ok) expect(extent.reason).toMatch(reason);
    }
  });

  it('reads a script without SECTIONS as adding nothing', () => {
    expect(scriptExtent('ENTRY(start_here)\n')).toEqual({ ok: true, bytes: 0n });
    expect(scriptExtent('')).toEqual({ ok: true, bytes: 0n });
  });
});

describe('scriptExtent against real links (ld.lld 16, the kernel-like corpus)', async () => {
  const toolchain = createNativeToolchain();
  const corpus = await loadCorpus(nodeCorpusSource(), 'ppc64le');
  const objects = Object.fromEntries(corpus.objects.map((o) => [o.name, o.bytes]));
  /** The image ld.lld makes from the corpus (no table) with `script`, in bytes. */
  async function imageBytes(script: string): Promise<number> {
    const result = await toolchain.run(
      'ld.lld',
      ['-m', 'elf64lppc', '--strip-debug', '-T', 'vmlinux.lds', '-o', '-', ...Object.keys(objects)],
      { ...objects, 'vmlinux.lds': script },
    );
    return result.stdout.length;
  }

  // Fills after init text, so that no call moves and the corpus's own bytes (stubs) stay the same.
  it.each([
    ['the template', template(), true],
    ['an 8 MiB fill in a section', inInitSegment('  .fill : { . = . + 0x800000; } :init'), true],
    ['an 8 MiB top-level move in one segment', inInitSegment('  . = . + 0x800000;'), true],
    ['an 8 MiB move between two segments', withBeforeGap('  . = . + 0x800000;'), true],
    [
      'an 8 MiB move between two sections of one PT_LOAD listed as `:init :note` and `:init`',
      inInitSegment(
        '  .n : { BYTE(1) } :init :note\n  . += 0x800000;\n  .m : { BYTE(1) } :init',
        withNote,
      ),
      true,
    ],
    [
      'an 8 MiB move before a section in PT_NOTE only, then one in :init',
      inInitSegment(
        '  . += 0x800000;\n  .n : { BYTE(1) } :note\n  .m : { BYTE(1) } :init',
        withNote,
      ),
      false, // counted in full: here ld.lld made the image no larger (in text it did)
    ],
    [
      'an 8 MiB move before a section in :NONE, then one in :init',
      inInitSegment('  . += 0x800000;\n  .n : { BYTE(1) } :NONE\n  .m : { BYTE(1) } :init'),
      false, // counted in full: here ld.lld made the image no larger (in text it did)
    ],
    [
      'a 64 MiB NOLOAD section before a byte of its segment',
      inInitSegment('  .big (NOLOAD) : { . += 0x4000000; } :init\n  .x : { BYTE(1) } :init'),
      true,
    ],
    [
      'an 8 MiB fill in a second SECTIONS command',
      `${template()}\nSECTIONS { .fill : { . = . + 0x800000; BYTE(1) } }\n`,
      true,
    ],
    // ld.lld splits segments by permissions here, so the gap costs nothing: the bound is loose.
    [
      'the template without PHDRS (ld.lld chooses the segments)',
      template()
        .replace(/PHDRS\s*\{[^}]*\}/, '')
        .replace(/ :(text|init)\b/g, ''),
      false,
    ],
  ])('%s: the script adds at most its extent', async (_, script, exact) => {
    const actual = await imageBytes(script);
    const corpusOnly = await imageBytes(template());
    const extent = Number(bytes(script));
    expect(actual - corpusOnly).toBeLessThanOrEqual(extent);
    // Close where the segments are the script's: within a page and the header's alignments.
    if (exact) expect(extent - (actual - corpusOnly)).toBeLessThan(2 * Number(PAGE));
  });
});
