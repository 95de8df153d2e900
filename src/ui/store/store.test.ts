import { describe, expect, it } from 'vitest';
import { findPreset } from '../../toolchain/scenario/presets.ts';
import type { Scenario } from '../../toolchain/scenario/schema.ts';
import { createAppStore, type AppStore } from './create-store.ts';
import * as sel from './selectors.ts';
import {
  fakeCodec,
  fakePage,
  fakeSupervisor,
  fakeSweeper,
  fakeTrier,
  fakeDiagnoser,
  makePass,
  makeRecord,
} from './testing/fakes.ts';
import { ready, setup, tick } from './testing/setup.ts';

const converged = (passes: number) =>
  ({ kind: 'converged', passes, summary: `Converged after ${passes} trial links` }) as const;

describe('scenario', () => {
  it('starts from the small-converges preset', () => {
    const { get } = setup();
    expect(get().presetId).toBe('small-converges');
    expect(get().scenario).toEqual(findPreset('small-converges')!.scenario);
    expect(sel.selectPreset(get())?.explanation).toMatch(
      /fixpoint is reached after two trial links/,
    );
    expect(sel.selectPresetNote(get())).toBeNull();
  });

  it('picks a preset, and marks it modified once edited', () => {
    const { get, actions } = setup();
    actions.choosePreset('powerpc-2020');
    expect(get().scenario.strategy).toBe('v5.9');
    expect(get().scenario.layout.gap).toBe(0x1fb0000);
    actions.setStrategy('eight-passes');
    expect(get().scenario.strategy).toBe('eight-passes');
    expect(sel.selectPresetNote(get())?.edited.map((d) => d.label)).toEqual(['strategy']);
    actions.choosePreset('no-such-preset');
    expect(get().presetId).toBe('powerpc-2020');
  });

  it('switching arch moves a default base to the other width', () => {
    const { get, actions } = setup();
    actions.setArch('ppc32');
    expect(get().scenario.arch).toBe('ppc32');
    expect(get().scenario.layout.base).toBe('0xc0000000');
    actions.setArch('ppc64');
    expect(get().scenario.layout.base).toBe('0xc000000000000000');
  });

  it('sets flags, generation and the fixpoint cap', () => {
    const { get, actions } = setup();
    actions.setFlag('filterLldStubs', true);
    actions.setFlag('extraPass', true);
    actions.setGeneration('v5.8');
    actions.setMaxPasses(40);
    expect(get().scenario).toMatchObject({
      filterLldStubs: true,
      extraPass: true,
      generation: 'v5.8',
      maxPasses: 40,
    });
  });

  it('takes the gap in MiB with KiB precision, and hex bytes', () => {
    const { get, actions } = setup();
    actions.editField('gapMiB', '31.6875');
    expect(get().scenario.layout.gap).toBe(0x1fb0000);
    actions.editField('gapMiB', '0x1fe1000');
    expect(get().scenario.layout.gap).toBe(0x1fe1000);
    // 1.0001 MiB rounds to the nearest KiB.
    actions.editField('gapMiB', '1.0001');
    expect(get().scenario.layout.gap).toBe(1024 * 1024);
    expect(sel.selectFieldText('gapMiB')(get())).toBe('1.0001');
    actions.setGapBytes(0x1fb0000);
    expect(sel.selectFieldText('gapMiB')(get())).toBe('31.6875');
  });

  it('keeps invalid text with a message, leaves the scenario alone and blocks Run', () => {
    const { get, actions } = setup();
    const before = get().scenario;
    actions.editField('gapMiB', '31.5abc');
    expect(get().scenario).toBe(before);
    expect(sel.selectFieldText('gapMiB')(get())).toBe('31.5abc');
    expect(sel.selectFieldError('gapMiB')(get())).toMatch(/MiB/);
    expect(sel.selectRunBlockedReason(get())).toMatch(/fields/);
    actions.editField('gapMiB', '2000');
    expect(sel.selectFieldError('gapMiB')(get())).toMatch(/at most 1024 MiB/);
    actions.editField('gapMiB', '30');
    expect(sel.selectFieldError('gapMiB')(get())).toBeNull();
    expect(get().scenario.layout.gap).toBe(30 * 1024 * 1024);
    expect(sel.selectRunBlockedReason(get())).toBeNull();
  });

  it('checks alignment (power of two), base (hex) and the cap', () => {
    const { get, actions } = setup();
    actions.editField('align', '16M');
    expect(get().scenario.layout.align).toBe(16 * 1024 * 1024);
    actions.editField('align', '24');
    expect(sel.selectFieldError('align')(get())).toMatch(/power of two/);
    expect(get().scenario.layout.align).toBe(16 * 1024 * 1024);
    actions.setAlignExponent(12);
    expect(get().scenario.layout.align).toBe(4096);
    expect(sel.selectFieldError('align')(get())).toBeNull();
    actions.editField('base', 'c0000000');
    expect(sel.selectFieldError('base')(get())).toMatch(/hex/);
    actions.editField('base', '0xC0000000');
    expect(get().scenario.layout.base).toBe('0xc0000000');
    actions.editField('maxPasses', '65');
    expect(sel.selectFieldError('maxPasses')(get())).toMatch(/2 to 64/);
    actions.editField('extraLinkerFlags', ' --no-relax  -z norelro ');
    expect(get().scenario.extraLinkerFlags).toEqual(['--no-relax', '-z', 'norelro']);
    actions.editField('extraLinkerFlags', '--no-relax -T evil.lds');
    expect(sel.selectFieldError('extraLinkerFlags')(get())).toBe(
      'The flag -T is set by the loop itself (-o, -T, -Map, -m).',
    );
    expect(get().scenario.extraLinkerFlags).toEqual(['--no-relax', '-z', 'norelro']);
    // A preset replaces everything, drafts included.
    actions.choosePreset('small-converges');
    expect(get().drafts).toEqual({});
    expect(get().fieldErrors).toEqual({});
  });

  it('edits the linker script as a custom script and resets it to the template', () => {
    const { get, actions } = setup();
    const template = sel.selectTemplateScript(get());
    expect(template).toContain('gap 0x800000');
    expect(sel.selectFieldText('linkerScript')(get())).toBe(template);
    actions.editField('linkerScript', template.replace('ENTRY(start_here)', 'ENTRY(oops'));
    expect(sel.selectIsCustomScript(get())).toBe(true);
    expect(get().scenario.linkerScript).toContain('ENTRY(oops');
    // The layout fields no longer change a custom script.
    actions.setGapBytes(0x1000000);
    expect(sel.selectFieldText('linkerScript')(get())).toContain('ENTRY(oops');
    actions.resetLinkerScript();
    expect(get().scenario.linkerScript).toBeNull();
    expect(sel.selectFieldText('linkerScript')(get())).toContain('gap 0x1000000');
    actions.editField('linkerScript', 'x'.repeat(200_001));
    expect(sel.selectFieldError('linkerScript')(get())).toMatch(/too long/);
    expect(sel.selectFieldText('linkerScript')(get())).toHaveLength(200_001);
  });

  it('writes the permalink into the hash whenever the scenario changes', () => {
    const { get, actions, page } = setup();
    expect(page.hashWrites).toEqual([]);
    actions.setFlag('filterLldStubs', true);
    expect(page.hash).toBe(fakeCodec.encode(get().scenario));
    actions.editField('gapMiB', 'nope');
    expect(page.hashWrites).toHaveLength(1);
  });
});

describe('toolchain', () => {
  it('shows progress while downloading, then ready', async () => {
    const { get, actions, supervisor } = setup();
    const started = actions.start();
    expect(sel.selectShowProgress(get())).toBe(true);
    supervisor.setStatus('downloading');
    supervisor.progress({ phase: 'download', doneBytes: 10, totalBytes: 100, label: 'llvm.wasm' });
    expect(get().toolchain.progress).toMatchObject({ doneBytes: 10, totalBytes: 100 });
    expect(sel.selectToolchainStatus(get())).toBe('downloading');
    await supervisor.finishInit();
    await started;
    expect(sel.selectToolchainReady(get())).toBe(true);
    expect(sel.selectShowProgress(get())).toBe(false);
    expect(get().toolchain.info?.toolchainVersion).toBe('ld.lld (fake)');
  });

  it('asks for the linker’s version once ready and puts it in the label; a failure keeps the first label', async () => {
    const { get, actions, supervisor } = setup();
    const started = actions.start();
    expect(supervisor.versionCalls).toBe(0); // running a tool before ready would delay ready
    await supervisor.finishInit();
    await started;
    expect(supervisor.versionCalls).toBe(1);
    await supervisor.answerVersion('LLD 22.1.0 (WebAssembly, @yowasp/clang test)');
    expect(get().toolchain.info?.toolchainVersion).toBe(
      'LLD 22.1.0 (WebAssembly, @yowasp/clang test)',
    );
    expect(get().toolchain.info?.ms).toBe(5);

    const other = setup();
    const otherStarted = other.actions.start();
    await other.supervisor.finishInit();
    await otherStarted;
    await other.supervisor.answerVersion(new Error('worker gone'));
    expect(other.get().toolchain.info?.toolchainVersion).toBe('ld.lld (fake)');
    expect(other.get().toolchain.status).toBe('ready');
  });

  it('says why when the toolchain fails, and Run retries it', async () => {
    const { get, actions, supervisor } = setup();
    const started = actions.start();
    await supervisor.failInit(new Error('fetch of llvm.wasm failed: 404'));
    await started;
    expect(get().toolchain.status).toBe('failed');
    expect(get().toolchain.detail).toMatch(/could not be loaded: fetch of llvm.wasm failed: 404/);
    actions.run();
    expect(get().pendingRun).toBe('run');
    expect(supervisor.initCalls).toBe(2);
    await supervisor.finishInit();
    expect(supervisor.runs).toHaveLength(1);
  });

  it('a Run pressed before the toolchain is ready starts when it is', async () => {
    const { get, actions, supervisor } = setup();
    const started = actions.start();
    actions.run();
    expect(supervisor.runs).toHaveLength(0);
    expect(sel.selectPendingRun(get())).toBe('run');
    await supervisor.finishInit();
    await started;
    expect(supervisor.runs).toHaveLength(1);
    expect(sel.selectPendingRun(get())).toBeNull();
  });
});

describe('runs', () => {
  it('streams passes into the state and keeps the record and verdict', async () => {
    const { get, actions, supervisor } = await ready();
    actions.run();
    expect(supervisor.runs[0].scenario).toEqual(get().scenario);
    expect(sel.selectIsBusy(get())).toBe(true);
    const passes = [
      makePass(1, { object: 500, stubs: 3, added: 3 }),
      makePass(2, { object: 520, stubs: 5, added: 2 }),
      makePass(3, { step: 'vmlinux' }),
    ];
    const run = supervisor.runs[0];
    await run.onPass(passes[0]);
    expect(sel.selectPasses(get())).toHaveLength(1);
    expect(sel.selectLatestPass(get())?.pass).toBe(1);
    await run.onPass(passes[1]);
    await run.onPass(passes[2]);
    expect(sel.selectVerdict(get())).toBeNull();
    run.resolve(makeRecord(passes, converged(2)));
    await tick();
    expect(sel.selectRunPhase(get())).toBe('done');
    expect(sel.selectIsBusy(get())).toBe(false);
    expect(sel.selectVerdict(get())?.summary).toMatch(/^Converged/);
    expect(sel.selectConvergedAtPass(get())).toBe(2);
    expect(sel.selectCallSites(get())).toHaveLength(1);
    expect(sel.selectChosenPass(get())?.pass).toBe(3);
    expect(sel.selectPassBeforeChosen(get())?.pass).toBe(2);
  });

  it('chooses a pass and sorts the table by a column, empty cells last', async () => {
    const { get, actions, supervisor } = await ready();
    actions.run();
    const passes = [
      makePass(1, { object: 520, stubs: 1 }),
      makePass(2, { object: 500, stubs: 9 }),
      makePass(3, { step: 'vmlinux', stubs: 5 }),
    ];
    for (const p of passes) await supervisor.runs[0].onPass(p);
    actions.choosePass(1);
    expect(sel.selectChosenPass(get())?.pass).toBe(1);
    expect(sel.selectPassBeforeChosen(get())).toBeNull();
    actions.sortBy('objectBytes');
    expect(sel.selectSortedPasses(get()).map((p) => p.pass)).toEqual([2, 1, 3]);
    actions.sortBy('objectBytes');
    expect(get().prefs.sort).toEqual({ column: 'objectBytes', direction: 'descending' });
    expect(sel.selectSortedPasses(get()).map((p) => p.pass)).toEqual([1, 2, 3]);
    actions.sortBy('stubsTotal');
    expect(sel.selectSortedPasses(get()).map((p) => p.pass)).toEqual([1, 3, 2]);
    // Memoised: the same array until passes or sort change.
    expect(sel.selectSortedPasses(get())).toBe(sel.selectSortedPasses(get()));
  });

  it('Step runs one pass at a time, Run finishes the rest', async () => {
    const { get, actions, supervisor } = await ready();
    actions.step();
    expect(sel.selectStepMode(get())).toBe(true);
    const run = supervisor.runs[0];
    let released = false;
    void Promise.resolve(run.onPass(makePass(1))).then(() => (released = true));
    await tick();
    expect(sel.selectIsPaused(get())).toBe(true);
    expect(sel.selectLatestPass(get())?.explanation).toBe('explanation of pass 1');
    expect(released).toBe(false);
    actions.step();
    await tick();
    expect(released).toBe(true);
    expect(sel.selectRunPhase(get())).toBe('running');

    released = false;
    void Promise.resolve(run.onPass(makePass(2))).then(() => (released = true));
    await tick();
    expect(sel.selectIsPaused(get())).toBe(true);
    actions.run();
    await tick();
    expect(released).toBe(true);
    expect(sel.selectStepMode(get())).toBe(false);
    // No more pauses once Run was pressed.
    expect(run.onPass(makePass(3))).toBeUndefined();
    expect(sel.selectIsPaused(get())).toBe(false);
  });

  it('Step never pauses after the final link: its verdict follows at once', async () => {
    const { get, actions, supervisor } = await ready();
    actions.step();
    const run = supervisor.runs[0];
    const first = run.onPass(makePass(1));
    actions.step();
    await first;
    expect(run.onPass(makePass(2, { step: 'vmlinux' }))).toBeUndefined();
    run.resolve(makeRecord([makePass(1), makePass(2, { step: 'vmlinux' })], converged(1)));
    await tick();
    expect(sel.selectRunPhase(get())).toBe('done');
  });

  it('Stop cancels at once, goes back to idle, ignores late passes, and the next run works', async () => {
    const { get, actions, supervisor } = await ready();
    actions.step();
    void supervisor.runs[0].onPass(makePass(1));
    actions.stop();
    expect(supervisor.cancelCalls).toBe(1);
    expect(sel.selectRunPhase(get())).toBe('stopped');
    expect(sel.selectIsBusy(get())).toBe(false);
    await tick();
    expect(sel.selectRunError(get())).toBeNull();
    // A pass from the cancelled run arriving late changes nothing.
    expect(supervisor.runs[0].onPass(makePass(2))).toBeUndefined();
    expect(sel.selectPasses(get())).toHaveLength(1);
    actions.stop();
    expect(supervisor.cancelCalls).toBe(1);

    actions.run();
    expect(supervisor.runs).toHaveLength(2);
    expect(sel.selectPasses(get())).toHaveLength(0);
    const passes = [makePass(1), makePass(2), makePass(3, { step: 'vmlinux' })];
    for (const p of passes) await supervisor.runs[1].onPass(p);
    supervisor.runs[1].resolve(makeRecord(passes, converged(2)));
    await tick();
    expect(sel.selectVerdict(get())?.kind).toBe('converged');
  });

  it('a run the worker rejects ends as failed with its message', async () => {
    const { get, actions, supervisor } = await ready();
    actions.run();
    supervisor.runs[0].reject(new Error('Invalid scenario:\n  - layout.gap: too big'));
    await tick();
    expect(sel.selectRunPhase(get())).toBe('failed');
    expect(sel.selectRunError(get())).toMatch(/layout.gap: too big/);
  });

  it('shows ld.lld refusing the linker script next to the editor', async () => {
    const { get, actions, supervisor } = await ready();
    actions.run();
    supervisor.runs[0].resolve(
      makeRecord([], {
        kind: 'link-failed',
        passes: 0,
        step: '.tmp_vmlinux1',
        tool: 'ld.lld',
        message: 'ld.lld: error: vmlinux.lds:2: ( expected, but got }',
        summary: 'Link failed at .tmp_vmlinux1: ld.lld: error: vmlinux.lds:2: ( expected',
      }),
    );
    await tick();
    expect(sel.selectVerdict(get())?.summary).toMatch(/^Link failed/);
    expect(sel.selectLinkerScriptError(get())).toMatch(/vmlinux.lds:2/);
  });

  it('pins a finished run and offers it to the next one for comparison', async () => {
    const { get, actions, supervisor } = await ready();
    actions.pin();
    expect(sel.selectPinned(get())).toBeNull();
    actions.run();
    const passes = [makePass(1), makePass(2), makePass(3, { step: 'vmlinux' })];
    expect(sel.selectCanPin(get())).toBe(false);
    supervisor.runs[0].resolve(makeRecord(passes, converged(2)));
    await tick();
    expect(sel.selectCanPin(get())).toBe(true);
    actions.pin();
    expect(sel.selectCurrentIsPinned(get())).toBe(true);
    expect(sel.selectPinned(get())?.label).toMatch(/^small-converges · ppc64le · latest/);
    const series = sel.selectPinnedSeries(get());
    expect(series?.passes).toHaveLength(3);
    expect(sel.selectPinnedSeries(get())).toBe(series);

    actions.setFlag('filterLldStubs', true);
    actions.run();
    expect(sel.selectCurrentIsPinned(get())).toBe(false);
    expect(sel.selectPinned(get())?.record.verdict.kind).toBe('converged');
    expect(sel.selectPasses(get())).toHaveLength(0);
    actions.unpin();
    expect(sel.selectPinnedSeries(get())).toBeNull();
  });
});

describe('permalinks', () => {
  const linked: Scenario = {
    ...findPreset('lld-today')!.scenario,
    filterLldStubs: true,
  };

  it('restores the scenario from the hash and runs it once the toolchain is ready', async () => {
    const hash = fakeCodec.encode(linked);
    const { get, actions, supervisor } = setup(hash);
    const started = actions.start();
    expect(get().scenario).toEqual(linked);
    // Shown as the preset it was made from, with what the link changed (not the reader).
    expect(get().presetId).toBe('lld-today');
    expect(sel.selectPresetNote(get())?.fromLink.map((d) => d.label)).toEqual([
      'ld.lld stub filter',
    ]);
    expect(sel.selectPermalinkError(get())).toBeNull();
    expect(supervisor.runs).toHaveLength(0);
    await supervisor.finishInit();
    await started;
    expect(supervisor.runs).toHaveLength(1);
    expect(supervisor.runs[0].scenario).toEqual(linked);
    // The run warms the worker itself: no separate warm-up ahead of it.
    expect(supervisor.prepared).toEqual([]);
  });

  it('without a permalink, asks the ready worker to prepare for the scenario on the page', async () => {
    const { get, supervisor } = await ready();
    expect(supervisor.runs).toHaveLength(0);
    expect(supervisor.prepared).toEqual([get().scenario]);
  });

  it('a hash equal to a preset shows that preset; one far from all presets shows none', async () => {
    const { get, actions } = setup(fakeCodec.encode(findPreset('powerpc-2020')!.scenario));
    void actions.start();
    expect(get().presetId).toBe('powerpc-2020');
    expect(sel.selectPresetNote(get())).toBeNull();

    const far: Scenario = {
      ...findPreset('ppc32-thunks')!.scenario,
      strategy: 'fixpoint',
      generation: 'v5.8',
      layout: { base: '0xc0000000', align: 4096, gap: 1024 },
    };
    const other = setup(fakeCodec.encode(far));
    void other.actions.start();
    expect(other.get().scenario).toEqual(far);
    expect(other.get().presetId).toBeNull();
  });

  it('a broken hash gives the codec error and the default scenario, and runs nothing', async () => {
    const { get, actions, supervisor, page } = setup('2.<img src=x onerror=alert(1)>');
    const started = actions.start();
    expect(sel.selectPermalinkError(get())).toBe(
      'unknown permalink version in "2.<img src=x onerror=alert(1)>"',
    );
    expect(get().presetId).toBe('small-converges');
    await supervisor.finishInit();
    await started;
    expect(supervisor.runs).toHaveLength(0);
    // The broken link stays in the address bar until the user changes something.
    expect(page.hashWrites).toEqual([]);
    actions.dismissPermalinkError();
    expect(sel.selectPermalinkError(get())).toBeNull();
  });

  it('gives the codec the hash as the address bar has it: one more # is not stripped', async () => {
    const hash = `#${fakeCodec.encode(linked)}`;
    const { get, actions, supervisor } = setup(hash);
    const started = actions.start();
    expect(sel.selectPermalinkError(get())).toMatch(/unknown permalink version in "#1\./);
    await supervisor.finishInit();
    await started;
    expect(supervisor.runs).toHaveLength(0);
  });

  it('a codec that throws is reported like an error', () => {
    const supervisor = fakeSupervisor();
    const store: AppStore = createAppStore({
      supervisor,
      sweeper: fakeSweeper(),
      trier: fakeTrier(),
      diagnoser: fakeDiagnoser(),
      env: fakePage('1.x'),
      codec: {
        encode: fakeCodec.encode,
        decode: () => {
          throw new Error('boom');
        },
      },
    });
    void store.getState().actions.start();
    expect(store.getState().permalinkError).toBe('boom');
  });

  it('Share copies the page URL with the scenario, or shows it when the clipboard refuses', async () => {
    const { get, actions, page } = setup();
    await actions.share();
    const url = `https://lab.example/kallsyms/#${fakeCodec.encode(get().scenario)}`;
    expect(page.copied).toEqual([url]);
    expect(page.hash).toBe(fakeCodec.encode(get().scenario));
    expect(sel.selectShare(get())).toEqual({ state: 'copied', kind: 'scenario', url });
    actions.setFlag('extraPass', true);
    expect(sel.selectShare(get()).state).toBe('idle');
    page.clipboardWorks = false;
    await actions.share();
    expect(sel.selectShare(get())).toMatchObject({ state: 'manual' });
    actions.dismissShare();
    expect(sel.selectShare(get()).state).toBe('idle');
  });
});

describe('theme', () => {
  it('follows the system by default, and its changes', async () => {
    const { get, actions, page } = setup();
    expect(sel.selectThemePreference(get())).toBe('system');
    expect(sel.selectEffectiveTheme(get())).toBe('light');
    void actions.start();
    page.emitPrefersDark(true);
    expect(sel.selectEffectiveTheme(get())).toBe('dark');
  });

  it('the toggle switches to the opposite, remembers it, and lands back on system', () => {
    const { get, actions, page } = setup();
    actions.toggleTheme();
    expect(sel.selectThemePreference(get())).toBe('dark');
    expect(sel.selectEffectiveTheme(get())).toBe('dark');
    expect(page.storedTheme).toBe('dark');
    actions.toggleTheme();
    expect(sel.selectThemePreference(get())).toBe('system');
    expect(sel.selectEffectiveTheme(get())).toBe('light');
    actions.setTheme('light');
    expect(page.storedTheme).toBe('light');
  });

  it('starts from the stored preference', () => {
    const { get } = setup('', (page) => {
      page.storedTheme = 'dark';
    });
    expect(sel.selectEffectiveTheme(get())).toBe('dark');
  });
});

describe('links that cannot be made', () => {
  it('a scenario too large for a link: no hash rather than a stale one, and Share says why', async () => {
    const supervisor = fakeSupervisor();
    const page = fakePage();
    const store = createAppStore({
      supervisor,
      sweeper: fakeSweeper(),
      trier: fakeTrier(),
      diagnoser: fakeDiagnoser(),
      env: page,
      codec: {
        encode: (s) => {
          if (s.linkerScript !== null)
            throw new Error('This scenario is too large to share by link.');
          return fakeCodec.encode(s);
        },
        decode: fakeCodec.decode,
      },
    });
    const { actions } = store.getState();
    actions.setFlag('extraPass', true);
    expect(page.hash).not.toBe('');
    actions.editField('linkerScript', 'SECTIONS {}');
    expect(page.hash).toBe('');
    await actions.share();
    expect(store.getState().share).toEqual({
      state: 'failed',
      message: 'This scenario is too large to share by link.',
    });
  });
});
