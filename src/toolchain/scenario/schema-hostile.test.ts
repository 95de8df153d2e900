/**
 * What a scenario may ask of the linker (issue 10, points 1 and 10), decided
 * by the schema alone, so that the page, the CLI, the sweep and permalinks
 * all refuse the same things with the same words. The host-file checks on
 * real links with both toolchains are in src/cli/hostile-scenario.test.ts.
 */
import { describe, expect, it } from 'vitest';
import corpusJson from './permalink-corpus.json';
import { linkerFlagProblems } from './linker-flags.ts';
import { linkerScriptProblems } from './linker-script-rules.ts';
import { scenarioLinkerScript } from './loop-config.ts';
import { PRESETS, findPreset } from './presets.ts';
import {
  assertRunnable,
  parseScenario,
  ScenarioError,
  scenarioRunProblems,
  scenarioSchema,
  type Scenario,
} from './schema.ts';

const base = findPreset('small-converges')!.scenario;
const withFlags = (extraLinkerFlags: string[]) => ({ ...base, extraLinkerFlags });
const withScript = (linkerScript: string) => ({ ...base, linkerScript });

function problemsOf(input: unknown): string[] {
  try {
    parseScenario(input);
    return [];
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    return error.problems;
  }
}

/** Every spelling of flags that read or write host files, or replace the image with text. */
const HOSTILE_FLAGS: Array<[string, string[], RegExp]> = [
  ['-T joined', ['-T/etc/passwd'], /extraLinkerFlags\.0: is set by the loop itself/],
  ['-T separate', ['-T', '/etc/passwd'], /extraLinkerFlags\.0: is set by the loop itself/],
  ['--script=', ['--script=/etc/passwd'], /extraLinkerFlags\.0: is set by the loop itself/],
  ['--script separate', ['--script', '/etc/passwd'], /is set by the loop itself/],
  ['-o joined', ['-o/tmp/x'], /extraLinkerFlags\.0: is set by the loop itself/],
  ['--output=', ['--output=/tmp/x'], /is set by the loop itself/],
  ['-Map=', ['-Map=/tmp/map'], /is set by the loop itself/],
  ['--Map separate', ['--Map', '/tmp/map'], /is set by the loop itself/],
  ['response file', ['@/etc/passwd'], /extraLinkerFlags\.0: .*read more arguments from that file/],
  [
    'response file as a value',
    ['-z', '@/etc/passwd'],
    /extraLinkerFlags\.1: .*read more arguments/,
  ],
  ['response file after --defsym', ['--defsym', '@/etc/passwd'], /extraLinkerFlags\.1: /],
  ['--reproduce=', ['--reproduce=/tmp/r.tar'], /extraLinkerFlags\.0: .*write a file/],
  ['--reproduce separate', ['--reproduce', '/tmp/r.tar'], /extraLinkerFlags\.0: .*write a file/],
  ['-reproduce (one dash)', ['-reproduce=/tmp/r.tar'], /extraLinkerFlags\.0: .*write a file/],
  ['--why-extract=', ['--why-extract=/tmp/w'], /write a file/],
  ['--dependency-file=', ['--dependency-file=/tmp/d'], /write a file/],
  ['--dependency-file separate', ['--dependency-file', '/tmp/d'], /write a file/],
  ['--time-trace=', ['--time-trace=/tmp/t'], /write a file/],
  ['-L joined', ['-L/etc'], /read a file/],
  ['-l joined', ['-lc'], /read a file/],
  ['--version-script=', ['--version-script=/etc/passwd'], /read a file/],
  ['--dynamic-list', ['--dynamic-list', '/etc/passwd'], /read a file/],
  ['--symbol-ordering-file', ['--symbol-ordering-file=/etc/passwd'], /read a file/],
  ['--error-handling-script', ['--error-handling-script=/bin/sh'], /run a program/],
  ['a positional input', ['/etc/passwd'], /not a flag: ld\.lld would read it as an input file/],
  ['--version', ['--version'], /print text where the loop reads the image/],
  ['--help', ['--help'], /print text/],
  ['-v', ['-v'], /print text/],
  ['-M', ['-M'], /print text/],
  ['--print-map', ['--print-map'], /print text/],
  ['--trace', ['--trace'], /print text/],
  ['-y', ['-y', 'start_kernel'], /print text/],
  ['--oformat=binary', ['--oformat=binary'], /kind of output/],
  ['-r', ['-r'], /kind of output/],
  ['--defsym reaching a file', ['--defsym=x=INCLUDE'], /extraLinkerFlags\.0: .*INCLUDE/],
  ['a flag missing its value', ['-z'], /needs a value after it/],
  ['a control character', ['--no-relax\u009b'], /printable ASCII/],
  ['an unknown flag', ['--frobnicate'], /not an allowed flag/],
];

describe('extra linker flags: an allow-list, in every spelling', () => {
  it.each(HOSTILE_FLAGS)('refuses %s', (_, flags, message) => {
    const problems = problemsOf(withFlags(flags));
    expect(problems.join('\n')).toMatch(message);
  });

  it.each([
    [['--emit-relocs', '-z', 'max-page-size=0x10000', '--defsym=answer="42"', '--build-id=none']],
    [['--no-relax', '--gc-sections', '-q', '-x', '-X', '-zmax-page-size=65536', '-O2']],
    [['--defsym', 'marker=0x10', '--entry', 'start_here', '-u', 'x', '--icf=all']],
    [['--power10-stubs=no', '--no-power10-stubs', '--orphan-handling', 'warn', '-z', 'now']],
  ])('accepts %j', (flags) => {
    expect(problemsOf(withFlags(flags))).toEqual([]);
  });

  it('asks for the two-dash spelling of a long flag, which every ld.lld reads the same way', () => {
    expect(linkerFlagProblems(['-emit-relocs'])).toEqual([
      { index: 0, message: 'must be written with two dashes: --emit-relocs' },
    ]);
  });
});

/** Scripts that would read or name files outside the run, in the forms ld.lld's lexer allows. */
const HOSTILE_SCRIPTS: Array<[string, string, RegExp]> = [
  ['INCLUDE', 'INCLUDE /etc/passwd\nSECTIONS {}', /line 1: INCLUDE reads another file/],
  ['INCLUDE quoted', 'INCLUDE "/etc/passwd"', /INCLUDE reads another file/],
  ['INCLUDE in an output section', 'SECTIONS { .t : { INCLUDE x } }', /INCLUDE/],
  ['include in lower case', 'include x', /line 1: include reads another file/],
  ['INPUT', 'INPUT(/etc/passwd)', /INPUT adds input files/],
  ['GROUP', 'GROUP ( a.o )', /GROUP adds input files/],
  ['AS_NEEDED', 'INPUT(AS_NEEDED(x))', /AS_NEEDED/],
  ['STARTUP', 'STARTUP(x.o)', /STARTUP/],
  ['SEARCH_DIR', 'SEARCH_DIR(/usr/lib)', /SEARCH_DIR adds a directory/],
  ['OUTPUT', 'OUTPUT(/tmp/out)', /OUTPUT names the output file/],
  ['a command on a later line', 'SECTIONS {\n}\n\nINCLUDE x', /line 4: INCLUDE/],
  ['a command after a comment', '/* c */INCLUDE x', /INCLUDE/],
  ['a command after a quoted "/*"', '"/*" INCLUDE x "*/"', /INCLUDE/],
  ['a command after a # comment line', '# "\nINCLUDE x\n# "', /line 2: INCLUDE/],
  ['a comment glued to a word', 'x = 1/* INCLUDE y */;', /glued|with no space between them/],
  ['an absolute path', 'SECTIONS { x = "/etc/passwd"; }', /"\/etc\/passwd" is an absolute path/],
  ['a sysroot path', 'SECTIONS { .t : { =/etc/passwd(.text) } }', /absolute path/],
  ['a parent directory', 'SECTIONS { .t : { ../x.o(.text) } }', /leads out of the run's directory/],
  ['an unclosed comment', 'SECTIONS {} /* INCLUDE x', /never closed/],
  ['an unclosed quote', 'SECTIONS {} "INCLUDE x', /never closed/],
];

describe('a scenario’s own linker script uses only the run’s inputs', () => {
  it.each(HOSTILE_SCRIPTS)('refuses %s', (_, script, message) => {
    const problems = problemsOf(withScript(script));
    expect(problems.join('\n')).toMatch(/^linkerScript: /);
    expect(problems.join('\n')).toMatch(message);
  });

  it.each([
    ['a command in a comment', '/* INCLUDE x */ SECTIONS { }'],
    ['a command in a # comment', '# INCLUDE x\nSECTIONS { }'],
    ['a command in a quoted string', 'SECTIONS { "INCLUDE" = .; }'],
    [
      'OUTPUT_FORMAT and OUTPUT_ARCH',
      'OUTPUT_FORMAT("elf64-powerpcle") OUTPUT_ARCH(powerpc:common64)',
    ],
    ['/DISCARD/', 'SECTIONS { /DISCARD/ : { *(.comment) } }'],
    ['a division', 'SECTIONS { . = (. + 7)/8; . = . / 2; }'],
    ['the kernel’s .data..percpu', 'SECTIONS { .data : { *(.data..percpu) } }'],
    ['a word containing a command', 'SECTIONS { .input : { *(.input_section) } my_INCLUDE = 1; }'],
  ])('accepts %s', (_, script) => {
    expect(linkerScriptProblems(script)).toEqual([]);
  });

  it('keeps a hostile script’s message short: a few problems, each quoting a bounded prefix', () => {
    const script = Array.from({ length: 1000 }, () => `INCLUDE /${'x'.repeat(5000)}`).join('\n');
    const problems = problemsOf(withScript(script.slice(0, 200_000)));
    expect(problems.length).toBeLessThanOrEqual(6);
    expect(problems.join('\n').length).toBeLessThan(2000);
  });
});

describe('old links and the presets still validate', () => {
  const corpus = corpusJson as unknown as { entries: Array<{ name: string; scenario: Scenario }> };
  it.each(corpus.entries.map((e) => [e.name, e.scenario] as const))('%s', (_, scenario) => {
    expect(scenarioSchema.safeParse(scenario).success).toBe(true);
  });

  it.each(PRESETS.map((p) => [p.id, p.scenario] as const))(
    'preset %s, and its template script, can run',
    (_, scenario) => {
      expect(scenarioRunProblems(scenario)).toEqual([]);
      const own = { ...scenario, linkerScript: scenarioLinkerScript(scenario) };
      expect(problemsOf(own)).toEqual([]);
      expect(scenarioRunProblems(own)).toEqual([]);
    },
  );
});

describe('a custom script that cannot run is refused before any link', () => {
  it.each([
    ['empty', ''],
    ['whitespace only', ' \n\t\r\n'],
  ])('%s: says so and what to do', (_, script) => {
    expect(scenarioRunProblems(withScript(script) as Scenario)).toEqual([
      expect.stringMatching(
        /^linkerScript: is empty: write a script that defines _text, .*template/,
      ),
    ]);
  });

  it('names the symbols the loop needs that the script leaves out', () => {
    const template = scenarioLinkerScript(base);
    const without = template.replace('_sinittext = .;', '').replace('_text = .;', '');
    const [problem] = scenarioRunProblems(withScript(without) as Scenario);
    expect(problem).toMatch(/^linkerScript: does not define _text, _sinittext: /);
    // In a comment it does not count; by --defsym it does.
    const commented = template.replace('_etext = .;', '/* _etext = .; */');
    expect(scenarioRunProblems(withScript(commented) as Scenario)[0]).toMatch(/define _etext:/);
    const defsym = { ...withScript(commented), extraLinkerFlags: ['--defsym=_etext=0x10'] };
    expect(scenarioRunProblems(defsym as Scenario)).toEqual([]);
    expect(() => assertRunnable(withScript('') as Scenario, 'scenario file x.json')).toThrow(
      /Invalid scenario file x\.json:\n {2}- linkerScript: is empty/,
    );
  });
});

describe('messages quote what the scenario holds bounded and escaped (point 8)', () => {
  it('a corpus id with a C1 control character (found by npm run fuzz in a permalink)', () => {
    const problems = problemsOf({ ...base, corpus: `generated-v\u0089${'x'.repeat(100)}` });
    expect(problems.join('\n')).toMatch(
      /^corpus: "generated-v\\x89x+…" is not a generated corpus id$/m,
    );
    // eslint-disable-next-line no-control-regex
    expect(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/.test(problems.join('\n'))).toBe(false);
    expect(
      problemsOf({ ...base, corpus: 'generated-v1?\u009bkey=1&seed=\u001b' }).join('\n'),
    ).toMatch(/unknown parameter "\\x9bkey".*seed must be a whole number, not "\\x1b"/s);
  });
});

describe('layout is strict, as the top level is (point 10)', () => {
  it.each([
    ['an unknown key', { ...base.layout, size: 1 }, /layout: Unrecognized key: "size"/],
    [
      '__proto__',
      JSON.parse(`{"base":"0xc000000000000000","align":16,"gap":0,"__proto__":{"x":1}}`),
      /layout: Unrecognized key: "__proto__"/,
    ],
    ['constructor', { ...base.layout, constructor: 1 }, /layout: Unrecognized key: "constructor"/],
  ])('refuses %s', (_, layout, message) => {
    expect(problemsOf({ ...base, layout }).join('\n')).toMatch(message);
  });

  it('as it refuses them at the top level', () => {
    const top = JSON.parse(`{"__proto__":{"x":1}}`);
    expect(problemsOf({ ...base, ...top }).join('\n')).toMatch(/Unrecognized key: "__proto__"/);
  });
});
