/**
 * Links are the state (issue 9, points 2 and 3) and a link never makes the
 * reader pay (issue 10, point 12): the hash follows the scenario with history
 * entries a reader would go back to; a pasted link and Back/Forward load what
 * the URL says; a view opens at its pass with its panel in view; Share offers
 * the scenario and the view; a link over the cost budget waits for a click;
 * the page refuses what is over its ceiling before anything is sent.
 */
import { describe, expect, it } from 'vitest';
import { scenarioLinkerScript } from '../../toolchain/scenario/loop-config.ts';
import { EMPTY_VIEW, type LinkView } from '../../toolchain/scenario/permalink-view.ts';
import { findPreset } from '../../toolchain/scenario/presets.ts';
import type { Scenario } from '../../toolchain/scenario/schema.ts';
import { OWN_BUILD_HASH } from './links-slice.ts';
import * as sel from './selectors.ts';
import { fakeCodec, makePass, makeRecord } from './testing/fakes.ts';
import { ready, setup, tick } from './testing/setup.ts';

const preset = (id: string) => findPreset(id)!.scenario;
const link = (scenario: Scenario, view?: LinkView) => fakeCodec.encode(scenario, view);
const converged = (passes: number) =>
  ({ kind: 'converged', passes, summary: `Converged after ${passes} trial links` }) as const;
const finalPasses = (trials: number) => [
  ...Array.from({ length: trials }, (_, i) => makePass(i + 1)),
  makePass(trials + 1, { step: 'vmlinux' }),
];

/** small-converges with a fill of `size` (a linker-script expression) in the text segment. */
function filled(size: string): Scenario {
  const scenario = preset('small-converges');
  const script = scenarioLinkerScript(scenario);
  return {
    ...scenario,
    linkerScript: script.replace(
      '  /* The rest of a big kernel',
      `  .fill : { . = . + ${size}; } :text\n  /* The rest of a big kernel`,
    ),
  };
}

describe('the address bar follows the scenario', () => {
  it('a preset or a choice adds a history entry; typing in a field adds one for the whole edit', () => {
    const { get, actions, page } = setup();
    actions.choosePreset('powerpc-2020');
    actions.setStrategy('eight-passes');
    actions.editField('gapMiB', '31');
    actions.editField('gapMiB', '31.7');
    actions.editField('gapMiB', '31.75');
    actions.setGapBytes(31.8 * 1024 * 1024); // the slider is the same field
    actions.editField('align', '32');
    expect(page.history).toHaveLength(5); // the page as opened, preset, strategy, gap, align
    expect(page.hash).toBe(link(get().scenario));
    expect(page.history[3]).toBe(
      link({ ...get().scenario, layout: { ...get().scenario.layout, align: 16 } }),
    );
    // Text that is not a value writes nothing.
    actions.editField('gapMiB', 'x');
    expect(page.history).toHaveLength(5);
  });

  it('Back and Forward load what the URL says; a result already on screen is not run again', async () => {
    const { get, actions, page, supervisor } = await ready();
    actions.choosePreset('powerpc-2020');
    actions.run();
    supervisor.runs[0].resolve(makeRecord(finalPasses(3), converged(3)));
    await tick();
    actions.choosePreset('lld-today');
    page.back();
    expect(get().scenario).toEqual(preset('powerpc-2020'));
    expect(get().presetId).toBe('powerpc-2020');
    // Its result is the one on screen: shown again, not linked again.
    expect(supervisor.runs).toHaveLength(1);
    expect(sel.selectResultOutOfDate(get())).toBe(false);
    page.forward();
    expect(get().scenario).toEqual(preset('lld-today'));
    expect(supervisor.runs).toHaveLength(2);
    expect(supervisor.runs[1].scenario).toEqual(preset('lld-today'));
    // Back to the page as first opened: the default preset, not run.
    page.back();
    page.back();
    expect(get().presetId).toBe('small-converges');
    expect(get().scenario).toEqual(preset('small-converges'));
    // Loading from the URL writes no history of its own.
    expect(page.history).toHaveLength(3);
  });

  it('the reader’s own build has its own entry: Back leaves it, Forward and a pasted address reach it', async () => {
    const { get, actions, page, supervisor } = await ready();
    actions.choosePreset('powerpc-2020');
    const scenario = get().scenario;
    actions.openDiagnose();
    expect(page.hash).toBe(OWN_BUILD_HASH);
    expect(page.history).toHaveLength(3); // as opened, the preset, the own build
    page.back();
    expect(sel.selectDiagnoseOpen(get())).toBe(false);
    expect(get().scenario).toEqual(scenario); // and nothing else moved
    page.forward();
    expect(sel.selectDiagnoseOpen(get())).toBe(true);
    expect(get().scenario).toEqual(scenario);
    expect(supervisor.runs).toHaveLength(0); // opening it runs nothing
    // Leaving it for the playground: an entry of the scenario, so Back returns to the own build.
    actions.closeDiagnose();
    expect(page.hash).toBe(link(scenario));
    page.back();
    expect(sel.selectDiagnoseOpen(get())).toBe(true);
    // A scenario's link pasted while it is open: the playground, at that scenario.
    page.navigate(link(preset('lld-today')));
    expect(sel.selectDiagnoseOpen(get())).toBe(false);
    expect(get().scenario).toEqual(preset('lld-today'));
    // And its address pasted into a tab: the own build again, the scenario kept.
    page.navigate(OWN_BUILD_HASH);
    expect(sel.selectDiagnoseOpen(get())).toBe(true);
    expect(get().scenario).toEqual(preset('lld-today'));
    expect(get().permalinkError).toBeNull();
  });

  it('a page opened at the own build’s address opens it, with the default scenario behind it', async () => {
    const { get, page } = await ready(OWN_BUILD_HASH);
    expect(sel.selectDiagnoseOpen(get())).toBe(true);
    expect(get().presetId).toBe('small-converges');
    expect(get().permalinkError).toBeNull();
    expect(page.history).toHaveLength(1);
  });

  it('a link pasted into the open tab loads and runs, stopping the run of the old scenario', async () => {
    const { get, actions, page, supervisor } = await ready();
    actions.run();
    const pasted = { ...preset('lld-today'), filterLldStubs: true };
    page.navigate(link(pasted));
    expect(get().scenario).toEqual(pasted);
    expect(supervisor.cancelCalls).toBe(1);
    expect(supervisor.runs).toHaveLength(2);
    expect(supervisor.runs[1].scenario).toEqual(pasted);
    // Share copies what is on screen now.
    await actions.share();
    expect(page.copied).toEqual([`https://lab.example/kallsyms/#${link(pasted)}`]);
  });

  it('a broken link pasted into the open tab keeps the scenario and says why; the next edit replaces it', async () => {
    const { get, actions, page, supervisor } = await ready();
    actions.choosePreset('powerpc-2020');
    page.navigate('2.garbage');
    expect(get().scenario).toEqual(preset('powerpc-2020'));
    expect(sel.selectPermalinkError(get())).toMatch(/unknown permalink version/);
    expect(supervisor.runs).toHaveLength(0);
    const entries = page.history.length;
    actions.setFlag('extraPass', true);
    expect(page.history).toHaveLength(entries);
    expect(page.hash).toBe(link(get().scenario));
  });
});

describe('a link’s first screen (issue 9, point 3)', () => {
  it('is never called a change the reader made', async () => {
    const linked = { ...preset('lld-today'), filterLldStubs: true };
    const { get, actions } = setup(link(linked));
    void actions.start();
    expect(sel.selectPresetNote(get())).toEqual({
      linked: true,
      fromLink: [{ field: 'filterLldStubs', label: 'ld.lld stub filter', from: 'off', to: 'on' }],
      edited: [],
    });
    actions.setStrategy('v5.9');
    expect(sel.selectPresetNote(get())?.edited.map((d) => d.label)).toEqual(['strategy']);
    // A link equal to a preset: nothing to say.
    const exact = setup(link(preset('powerpc-2020')));
    void exact.actions.start();
    expect(sel.selectPresetNote(exact.get())).toBeNull();
    // The reader's own edit of a preset.
    const own = setup();
    own.actions.setFlag('extraPass', true);
    expect(sel.selectPresetNote(own.get())).toMatchObject({ linked: false, fromLink: [] });
  });
});

describe('a link to a view', () => {
  it('opens at its pass with its panel in view once the run is there', async () => {
    const { get, supervisor } = await ready(
      link(preset('powerpc-2020'), { ...EMPTY_VIEW, pass: 2, panel: 'stubs' }),
    );
    const run = supervisor.runs[0];
    await run.onPass(makePass(1));
    await run.onPass(makePass(2));
    expect(sel.selectChosenPass(get())?.pass).toBe(2);
    expect(sel.selectFocus(get())).toBeNull();
    await run.onPass(makePass(3));
    run.resolve(makeRecord(finalPasses(3), { ...converged(3), kind: 'converged' }));
    await tick();
    expect(sel.selectChosenPass(get())?.pass).toBe(2);
    expect(sel.selectFocus(get())).toMatchObject({ panel: 'stubs' });
  });

  it('opens at vmlinux by name, and says so when its run has no such trial link', async () => {
    const a = await ready(link(preset('powerpc-2020'), { ...EMPTY_VIEW, pass: 'vmlinux' }));
    a.supervisor.runs[0].resolve(makeRecord(finalPasses(3), converged(3)));
    await tick();
    expect(sel.selectChosenPass(a.get())?.step).toBe('vmlinux');
    const b = await ready(link(preset('powerpc-2020'), { ...EMPTY_VIEW, pass: 9 }));
    b.supervisor.runs[0].resolve(makeRecord(finalPasses(3), converged(3)));
    await tick();
    expect(sel.selectPermalinkError(b.get())).toBe(
      'This link opens at trial link 9, but this run made 3 trial links and vmlinux: the latest is shown.',
    );
  });

  it('links its pinned scenario after its run and pins it; starts its sweep after the run', async () => {
    const pin = preset('lld-today');
    const view: LinkView = {
      ...EMPTY_VIEW,
      pin,
      sweep: { param: 'gap', from: '31.5', to: '31.9', steps: 5 },
    };
    const { get, supervisor, sweeper } = await ready(link(preset('powerpc-2020'), view));
    expect(supervisor.runs.map((r) => r.scenario)).toEqual([preset('powerpc-2020'), pin]);
    expect(sel.selectPinRun(get())).toMatchObject({ status: 'running', scenario: pin });
    supervisor.runs[1].resolve(makeRecord(finalPasses(3), converged(3)));
    await tick();
    expect(get().pinned).toMatchObject({ scenario: pin, hash: link(pin) });
    expect(sweeper.sweeps).toHaveLength(0);
    supervisor.runs[0].resolve(makeRecord(finalPasses(3), converged(3)));
    await tick();
    expect(sweeper.sweeps).toHaveLength(1);
    expect(get().sweep.run?.request).toEqual({ ...view.sweep, second: null });
  });

  it('a view that cannot be read opens the scenario and says why', async () => {
    const hash = `${link(preset('powerpc-2020'))}&garbage`;
    const { get, supervisor } = await ready(hash);
    expect(get().scenario).toEqual(preset('powerpc-2020'));
    expect(sel.selectPermalinkError(get())).toBe('the view is damaged');
    expect(supervisor.runs).toHaveLength(1);
  });
});

describe('Share', () => {
  it('offers a link to the scenario and one to the view: the pass shown, the pinned run, the sweep', async () => {
    const { get, actions, page, supervisor } = await ready();
    actions.run();
    supervisor.runs[0].resolve(makeRecord(finalPasses(2), converged(2)));
    await tick();
    actions.pin();
    actions.setFlag('filterLldStubs', true);
    expect(sel.selectCanShareView(get())).toBe(false); // the result is another scenario's
    actions.run();
    supervisor.runs[1].resolve(makeRecord(finalPasses(2), converged(2)));
    await tick();
    actions.choosePass(3);
    expect(sel.selectCanShareView(get())).toBe(true);
    await actions.share('view', 'layout');
    const view = { pass: 'vmlinux', panel: 'layout', pin: preset('small-converges'), sweep: null };
    const url = `https://lab.example/kallsyms/#${link(get().scenario, view as LinkView)}`;
    expect(page.copied).toEqual([url]);
    expect(sel.selectShare(get())).toEqual({ state: 'copied', kind: 'view', url });
    await actions.share('scenario');
    expect(page.copied[1]).toBe(`https://lab.example/kallsyms/#${link(get().scenario)}`);
  });
});

describe('a link to a phase map (view format 2)', () => {
  const pinned = preset('pinned-oscillates');
  const map: LinkView = {
    ...EMPTY_VIEW,
    sweep: { param: 'pinnedAt', from: '33630000', to: '33710000', steps: 3 },
    sweep2: { param: 'nameLength', from: '8', to: '16', steps: 2 },
  };

  it('draws its map after its run, and shares it back with both parameters', async () => {
    const { get, actions, page, supervisor, sweeper } = await ready(link(pinned, map));
    expect(sweeper.sweeps).toHaveLength(0);
    supervisor.runs[0].resolve(makeRecord(finalPasses(2), converged(2)));
    await tick();
    expect(sweeper.sweeps).toHaveLength(1);
    expect(sweeper.sweeps[0].plan.steps).toHaveLength(6);
    expect(get().sweep.run?.request).toEqual({
      ...map.sweep,
      second: { ...map.sweep2 },
    });
    await actions.share('view');
    expect(page.copied.at(-1)).toBe(`https://lab.example/kallsyms/#${link(pinned, map)}`);
  });

  it('counts every cell of the map against the budget: 64 × 13 fixpoint runs and its own run are held', async () => {
    const big: LinkView = {
      ...EMPTY_VIEW,
      sweep: { param: 'gap', from: '28', to: '36', steps: 64 },
      sweep2: { param: 'align', from: '16', to: '65536', steps: 13 },
    };
    const { get, supervisor } = await ready(
      link({ ...preset('small-converges'), strategy: 'fixpoint', maxPasses: 16 }, big),
    );
    expect(supervisor.runs).toHaveLength(0);
    expect(sel.selectHeld(get())?.over).toEqual(['up to 14,161 links (the limit is 300)']);
  });
});

describe('what a link may run unasked (issue 10, point 12)', () => {
  it('holds a link over the budget with the reasons: nothing runs or warms up until the button', async () => {
    const { get, actions, supervisor } = await ready(link(preset('lld-today-large')));
    expect(supervisor.runs).toHaveLength(0);
    expect(supervisor.prepared).toEqual([]);
    expect(sel.selectHeld(get())?.over).toEqual([
      '150,000 functions (the limit is 20,000)',
      '24,000 init→core calls (the limit is 20,000)',
    ]);
    actions.runHeld();
    expect(supervisor.runs).toHaveLength(1);
    expect(sel.selectHeld(get())).toBeNull();
  });

  it('counts what the view adds: a small scenario with a sweep of 256 fixpoint runs is held', async () => {
    const view: LinkView = {
      ...EMPTY_VIEW,
      sweep: { param: 'gap', from: '28', to: '36', steps: 256 },
    };
    const { get, supervisor } = await ready(
      link({ ...preset('small-converges'), strategy: 'fixpoint', maxPasses: 64 }, view),
    );
    expect(supervisor.runs).toHaveLength(0);
    expect(sel.selectHeld(get())?.over).toEqual(['up to 16,705 links (the limit is 300)']);
  });

  it('holds a script that may fill more than 64 MiB, or whose fill it cannot tell', async () => {
    for (const size of ['0x8000000', 'fillSize']) {
      const { get, supervisor } = await ready(link(filled(size)));
      expect(supervisor.runs, size).toHaveLength(0);
      expect(sel.selectHeld(get())?.over[0]).toMatch(/^an image of (up to 129 MiB|unknown size)/);
    }
  });

  it('lets the reader’s own Run start a large preset at once', async () => {
    const { actions, supervisor } = await ready();
    actions.choosePreset('lld-today-large');
    actions.run();
    expect(supervisor.runs).toHaveLength(1);
  });

  it('drops a held link when the reader changes the scenario, and a link’s waiting run too', async () => {
    const held = await ready(link(preset('lld-today-large')));
    held.actions.setFlag('filterLldStubs', true);
    expect(sel.selectHeld(held.get())).toBeNull();
    expect(held.supervisor.runs).toHaveLength(0);

    const waiting = setup(link(preset('powerpc-2020')));
    const started = waiting.actions.start();
    expect(waiting.get().pendingRun).toBe('run');
    waiting.actions.setFlag('extraPass', true);
    expect(waiting.get().pendingRun).toBeNull();
    await waiting.supervisor.finishInit();
    await started;
    expect(waiting.supervisor.runs).toHaveLength(0);
  });
});

describe('the page’s ceiling', () => {
  it('refuses, before anything is sent, a run whose image would pass 256 MiB', async () => {
    const { get, actions, supervisor } = await ready();
    actions.editField('linkerScript', filled('0x60000000').linkerScript!);
    actions.run();
    expect(supervisor.runs).toHaveLength(0);
    expect(sel.selectRunPhase(get())).toBe('refused');
    expect(sel.selectRunError(get())).toMatch(
      /^Not run: this scenario asks for an image of up to 1\.5 GiB \(the limit is 256 MiB\)/,
    );
  });

  it('ends as refused when the worker stops a run at the ceiling after a link', async () => {
    const { get, actions, supervisor } = await ready();
    actions.run();
    const stopped = Object.assign(new Error('Stopped: .tmp_vmlinux1 is 300 MiB, more than…'), {
      name: 'RunCeilingError',
    });
    supervisor.runs[0].reject(stopped);
    await tick();
    expect(sel.selectRunPhase(get())).toBe('refused');
    expect(sel.selectRunError(get())).toMatch(/^Stopped: \.tmp_vmlinux1 is 300 MiB/);
  });
});
