import { describe, expect, it } from 'vitest';
import { runStrategy, type LoopSteps, type StrategyId, type TrialReason } from './strategy.ts';

interface Obj {
  size: number;
  digest: string;
}
interface ScriptedTrial {
  linkedWith: Obj | null;
  object: Obj;
}

/**
 * Steps that replay a script: trial n (1-based) produces an object of
 * sizes[n-1] (and digest = `d<size>` unless digests are scripted), and the
 * final check passes when the final object equals the one the last trial was
 * linked with, which is how the kernel's check behaves.
 */
function scripted(sizes: number[], digests?: string[]) {
  const log: string[] = [];
  const steps: LoopSteps<Obj, ScriptedTrial, { ok: boolean }> = {
    async emptyTable(): Promise<Obj> {
      log.push('empty');
      return { size: 0, digest: 'empty' };
    },
    async trial(pass: number, table: Obj | null, why: TrialReason) {
      if (pass > sizes.length) throw new Error(`script has no trial ${pass}`);
      log.push(`trial${pass}(${table ? table.size : 'none'},${why})`);
      return {
        linkedWith: table,
        object: { size: sizes[pass - 1], digest: digests?.[pass - 1] ?? `d${sizes[pass - 1]}` },
      };
    },
    async final(table: Obj, lastTrial: ScriptedTrial) {
      const ok = lastTrial.linkedWith?.size === table.size;
      log.push(`final(${table.size})=${ok ? 'ok' : 'mismatch'}`);
      return { ok };
    },
  };
  return { steps, log };
}

const opts = (extraPass = false, maxPasses = 16) => ({
  extraPass,
  maxPasses,
  startWithEmptyTable: false,
});

async function run(
  strategy: StrategyId,
  sizes: number[],
  extraPass = false,
  maxPasses = 16,
  digests?: string[],
) {
  const { steps, log } = scripted(sizes, digests);
  const outcome = await runStrategy(
    strategy,
    { ...opts(extraPass, maxPasses), startWithEmptyTable: strategy === 'latest' },
    steps,
  );
  return { verdict: outcome.verdict, log };
}

describe('v5.9: two trials, a third when sizes differ or KALLSYMS_EXTRA_PASS, never a fourth', () => {
  it('converges after 2 passes when the first two objects match', async () => {
    const { verdict, log } = await run('v5.9', [100, 100]);
    expect(log).toEqual(['trial1(none,first)', 'trial2(100,with-first-table)', 'final(100)=ok']);
    expect(verdict).toEqual({ kind: 'converged', passes: 2 });
  });

  it('links a third trial when sizes differ and passes the check if the third matches', async () => {
    const { verdict, log } = await run('v5.9', [100, 120, 120]);
    expect(log).toContain('trial3(120,sizes-differ)');
    expect(verdict).toEqual({ kind: 'converged', passes: 3 });
  });

  it('fails with the kernel error when the third object still moved, with or without EXTRA_PASS', async () => {
    for (const extra of [false, true]) {
      const { verdict, log } = await run('v5.9', [100, 120, 130, 140], extra);
      expect(log.filter((l) => l.startsWith('trial'))).toHaveLength(3);
      expect(log.at(-1)).toBe('final(130)=mismatch');
      expect(verdict).toEqual({ kind: 'inconsistent', passes: 3 });
    }
  });

  it('links the third trial for KALLSYMS_EXTRA_PASS even when sizes matched', async () => {
    const { log } = await run('v5.9', [100, 100, 100], true);
    expect(log).toContain('trial3(100,extra-pass)');
  });
});

describe('latest: starts from an empty table object', () => {
  it('links trial 1 with the empty object and otherwise follows the v5.9 shape', async () => {
    const { verdict, log } = await run('latest', [100, 100]);
    expect(log).toEqual([
      'empty',
      'trial1(0,first)',
      'trial2(100,with-first-table)',
      'final(100)=ok',
    ]);
    expect(verdict).toEqual({ kind: 'converged', passes: 2 });
  });
});

describe('eight-passes: keeps linking while the last two objects differ, up to 8', () => {
  it('converges after the first repeated size', async () => {
    const { verdict, log } = await run('eight-passes', [100, 130, 140, 145, 145]);
    expect(log.filter((l) => l.startsWith('trial'))).toHaveLength(5);
    expect(verdict).toEqual({ kind: 'converged', passes: 5 });
  });

  it('with EXTRA_PASS does one more trial after the sizes first match', async () => {
    const { verdict, log } = await run('eight-passes', [100, 130, 130, 130], true);
    expect(log).toContain('trial4(130,extra-pass)');
    expect(verdict).toEqual({ kind: 'converged', passes: 4 });
  });

  it('is not converged when trial 8 still changed size', async () => {
    const { verdict, log } = await run('eight-passes', [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(log.filter((l) => l.startsWith('trial'))).toHaveLength(8);
    expect(verdict).toEqual({ kind: 'not-converged', passes: 8 });
  });
});

describe('fixpoint: until two objects are byte-identical, a cap, or a cycle', () => {
  it('does not stop on equal sizes with different bytes', async () => {
    const { verdict } = await run('fixpoint', [100, 120, 120, 120], false, 16, [
      'a',
      'b',
      'c',
      'c',
    ]);
    expect(verdict).toEqual({ kind: 'converged', passes: 4 });
  });

  it('stops at the cap', async () => {
    const sizes = Array.from({ length: 20 }, (_, i) => 100 + i);
    const { verdict, log } = await run('fixpoint', sizes, false, 6);
    expect(log.filter((l) => l.startsWith('trial'))).toHaveLength(6);
    expect(verdict).toEqual({ kind: 'not-converged', passes: 6 });
  });

  it('reports an oscillation and its period when an earlier object comes back', async () => {
    const { verdict, log } = await run('fixpoint', [100, 110, 120, 110, 120], false, 16);
    expect(verdict).toEqual({ kind: 'oscillating', passes: 4, period: 2 });
    expect(log.some((l) => l.startsWith('final'))).toBe(false);
  });
});
