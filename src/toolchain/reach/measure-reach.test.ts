/**
 * Reach measured from the objects' relocations and the image's symbols must
 * agree with what the real linker did: a call target gets ld.lld's
 * `__long_branch_<target>` stub exactly when some init branch to it is out
 * of reach.
 */
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../corpus/load-corpus.ts';
import { nodeCorpusSource } from '../corpus/node-source.ts';
import { runLinkLoop } from '../kbuild/run-loop.ts';
import { createWasmToolchain } from '../llvm/wasm-toolchain.ts';
import { scenarioLoopConfig } from '../scenario/loop-config.ts';
import { findPreset } from '../scenario/presets.ts';
import { BRANCH_REACH, findInitCallSites } from './call-sites.ts';
import { measureReach } from './measure-reach.ts';

describe('branch reach', () => {
  it('names exactly the targets ld.lld made long-branch stubs for, in every pass', async () => {
    const scenario = findPreset('powerpc-2020')!.scenario;
    const corpus = await loadCorpus(nodeCorpusSource(), scenario.arch);
    const record = await runLinkLoop(createWasmToolchain(), scenarioLoopConfig(scenario, corpus));
    const stubs = new Set<string>();
    for (const pass of record.passes) {
      for (const s of pass.stubs.added) stubs.add(s.name);
      for (const s of pass.stubs.removed) stubs.delete(s.name);
      const far = new Set<string>();
      pass.reach.distances.forEach((distance, i) => {
        const site = record.callSites[pass.reach.siteIndex[i]];
        if (distance < -BRANCH_REACH.REL24.backward || distance > BRANCH_REACH.REL24.forward) {
          far.add(`__long_branch_${site.target}`);
        }
      });
      expect(far.size, `pass ${pass.pass}`).toBe(pass.reach.targetsOutOfReach);
      expect([...far].sort(), `pass ${pass.pass}`).toEqual([...stubs].sort());
      expect(pass.reach.calls).toBeGreaterThan(1000);
    }
  });

  it('ties each init branch to the function it sits in', async () => {
    const corpus = await loadCorpus(nodeCorpusSource(), 'ppc64le');
    const sites = findInitCallSites(corpus.objects);
    expect(sites.length).toBeGreaterThan(1000);
    for (const site of sites) {
      expect(site.caller).not.toBe('');
      expect(site.callerOffset).toBeGreaterThanOrEqual(0);
      expect(site.offset).toBeGreaterThanOrEqual(site.callerOffset);
    }
  });

  it('leaves out sites whose function name is ambiguous rather than guessing', () => {
    const site = {
      object: 'a.o',
      offset: 8,
      target: 'core',
      form: 'REL24' as const,
      caller: 'dup',
      callerOffset: 8,
    };
    const addresses = new Map([
      ['dup', 0x3000000n],
      ['core', 0x100n],
    ]);
    const text = { start: 0n, end: 0x1000n };
    expect(measureReach([site], addresses, text).outOfReach).toBe(1);
    expect(measureReach([site], addresses, text, new Set(['dup'])).calls).toBe(0);
  });
});
