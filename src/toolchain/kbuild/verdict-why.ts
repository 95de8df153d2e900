/**
 * Why a run ended as it did, in plain words computed from its pass records:
 * which image's table grew, by how much, because of which new stubs, how far
 * that moved init text and how many more calls it pushed out of reach, and
 * where the final link parted from the last trial. The kernel's own message
 * stays in the verdict; this is the story behind it.
 */
import type { PassRecord, RunRecord, StubFacts } from './records.ts';

/** One link's consequences: image `image` was linked with the table built from `linkedFrom`. */
export interface GrowthStep {
  /** Trial number (1-based) of the image, or 'vmlinux'. */
  image: number | 'vmlinux';
  /** The trial whose table object this image was linked with (null: none). */
  linkedFrom: number | null;
  /** Bytes init text moved up since the previous image (negative: down). */
  initTextMoved: number | null;
  /** Calls from init text that are out of reach now, minus in the previous image. */
  outOfReachChange: number;
  /** Stubs this image has that the previous one had not, and the reverse. */
  newStubs: number;
  goneStubs: number;
  /** A few of the new stubs' names, in the image's order. */
  newStubNames: string[];
  /** The change of the table object built from this image against the previous one (trials only). */
  tableObjectChange: number | null;
  /** The table object built from this image, in bytes (trials only). */
  tableObjectBytes: number | null;
}

export interface VerdictWhy {
  /** The whole explanation as short paragraphs, first to last link. */
  sentences: string[];
  /** The same facts as data, one per image (trial 2 onwards, then vmlinux). */
  steps: GrowthStep[];
  /**
   * The short form: the first trial, the first and last links whose table
   * changed, the final link and the ending (the whole story can be long).
   */
  brief: string[];
}

/** How many stub names a sentence lists before "and N more". */
const NAMES_SHOWN = 3;

const number = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${number(n)} ${n === 1 ? one : many}`;
/** Images by the names the page and CLI use: trial links are numbered, the final link is vmlinux. */
const imageName = (image: number | 'vmlinux') =>
  image === 'vmlinux' ? 'vmlinux' : `Trial link ${image}`;

function address(hex: string | null): bigint | null {
  return hex === null ? null : BigInt(hex);
}

function stubNames(stubs: StubFacts): string {
  const shown = stubs.added.slice(0, NAMES_SHOWN).map((s) => s.name);
  const rest = stubs.added.length - shown.length;
  return shown.join(', ') + (rest > 0 ? ` and ${number(rest)} more` : '');
}

function stepOf(
  pass: PassRecord,
  previous: PassRecord,
  trialOf: (p: PassRecord) => number | 'vmlinux',
): GrowthStep {
  const now = address(pass.layout.symbols._sinittext);
  const before = address(previous.layout.symbols._sinittext);
  const bytes = pass.tableObject?.bytes ?? null;
  const previousBytes = previous.tableObject?.bytes ?? null;
  return {
    image: trialOf(pass),
    linkedFrom: pass.step === 'vmlinux' || pass.pass > 1 ? (trialOf(previous) as number) : null,
    initTextMoved: now !== null && before !== null ? Number(now - before) : null,
    outOfReachChange: pass.reach.outOfReach - previous.reach.outOfReach,
    newStubs: pass.stubs.added.length,
    goneStubs: pass.stubs.removed.length,
    newStubNames: pass.stubs.added.slice(0, NAMES_SHOWN).map((s) => s.name),
    tableObjectChange: bytes !== null && previousBytes !== null ? bytes - previousBytes : null,
    tableObjectBytes: bytes,
  };
}

const rodataBytes = (pass: PassRecord) =>
  pass.layout.sections.find((s) => s.name === '.rodata')?.size ?? 0;

function moved(bytes: number | null, rodataGrowth: number): string {
  if (bytes === null) return '';
  if (bytes === 0)
    return rodataGrowth > 0
      ? `init text stayed where it was (its alignment absorbed the ${plural(rodataGrowth, 'byte')} .rodata grew by)`
      : 'init text stayed where it was';
  return `init text moved ${bytes > 0 ? 'up' : 'down'} ${plural(Math.abs(bytes), 'byte')}`;
}

function reachChange(change: number): string {
  if (change === 0) return 'no more calls fell out of reach';
  if (change > 0) return `${plural(change, 'more call')} fell out of reach`;
  return `${plural(-change, 'call')} came back into reach`;
}

function stubChange(pass: PassRecord, previous: PassRecord): string {
  const { added, removed } = pass.stubs;
  if (added.length === 0 && removed.length === 0) return 'the linker added no stub';
  const parts: string[] = [];
  if (added.length > 0)
    parts.push(`the linker added ${plural(added.length, 'stub')} (${stubNames(pass.stubs)})`);
  if (removed.length > 0) parts.push(`${plural(removed.length, 'stub')} went away`);
  // Stubs that never reach the table: the filter dropped them (PPC32's
  // __LongThunk_ under latest's Thunk_ rule, or the ld.lld stub filter).
  const tableSymbols = pass.tableObject?.counts.tableSymbols;
  const before = previous.tableObject?.counts.tableSymbols;
  if (added.length > 0 && tableSymbols !== undefined && tableSymbols === before) {
    parts.push('but the symbol filter keeps every one of them out of the table');
  }
  return parts.join(' and ').replace(' and but ', ', but ');
}

/** Sentence case, except for file names such as vmlinux, which keep their spelling. */
const capital = (s: string) => (s.startsWith('vmlinux') ? s : s[0].toUpperCase() + s.slice(1));

/** "Trial link 2 was made with trial link 1’s table object (47,016 bytes): init text moved up …". */
function describeLink(step: GrowthStep, pass: PassRecord, previous: PassRecord): string {
  const name = imageName(step.image);
  const withTable = previous.tableObject
    ? `${name} was made with trial link ${previous.pass}\u2019s table object (${plural(previous.tableObject.bytes, 'byte')})`
    : `${name} was made`;
  const consequences = [
    moved(step.initTextMoved, rodataBytes(pass) - rodataBytes(previous)),
    reachChange(step.outOfReachChange),
    stubChange(pass, previous),
  ]
    .filter((s) => s !== '')
    .join(', ');
  let sentence = `${withTable}: ${consequences}.`;
  const change = step.tableObjectChange;
  if (change !== null && step.tableObjectBytes !== null) {
    const bytes = plural(step.tableObjectBytes, 'byte');
    if (change === 0) {
      sentence += ` Its own table object is the same size as trial link ${previous.pass}\u2019s: ${bytes}.`;
    } else {
      const perStub =
        step.newStubs > 0 && change > 0
          ? ` (${(change / step.newStubs).toFixed(1)} bytes per new stub)`
          : '';
      sentence +=
        ` ${step.newStubs > 0 ? 'Each stub is a symbol, so its' : 'Its'} own table object is ` +
        `${plural(Math.abs(change), 'byte')} ${change > 0 ? 'larger' : 'smaller'}: ${bytes}${perStub}.`;
    }
  }
  return sentence;
}

function describeFirstTrial(first: PassRecord): string {
  const out = first.reach.outOfReach;
  const table = first.linkedWith ? 'with a table built from no symbols' : 'without a table';
  const calls =
    out === 0
      ? 'no call from init text was out of reach, so the linker added no stub'
      : `${plural(out, 'call')} from init text ${out === 1 ? 'was' : 'were'} already out of reach, ` +
        `so the linker added ${plural(first.stubs.total, 'stub')}`;
  return `Trial link 1 was made ${table}: ${calls}; its table object is ${plural(first.tableObject?.bytes ?? 0, 'byte')}.`;
}

const STRATEGY_LIMIT: Record<RunRecord['strategy'], string> = {
  'v5.9': 'The v5.9 script makes at most three trial links',
  latest: 'The latest script makes at most three trial links',
  'eight-passes': 'The eight-passes patch makes at most eight trial links',
  fixpoint: 'fixpoint links until two table objects are byte-identical, up to its cap',
};

function describeEnding(record: RunRecord, trials: PassRecord[]): string {
  const sizes = trials.map((t) => t.tableObject?.bytes ?? 0);
  const last = trials.at(-1)?.pass ?? 0;
  const verdict = record.verdict;
  switch (verdict.kind) {
    case 'converged':
      return (
        `Trial link ${last}\u2019s table object is the same size as trial link ${last - 1}\u2019s, so the loop ` +
        'stopped, and vmlinux, linked with it, has every symbol where the last trial link said it would be: converged.'
      );
    case 'inconsistent': {
      const difference = record.check?.differences[0];
      const change = (sizes.at(-1) ?? 0) - (sizes.at(-2) ?? 0);
      const cause =
        change === 0
          ? 'The last two table objects matched in size, but not in content'
          : `${STRATEGY_LIMIT[record.strategy]}, and trial link ${last}\u2019s table object was still ` +
            `${plural(Math.abs(change), 'byte')} ${change > 0 ? 'larger' : 'smaller'} than trial link ${last - 1}\u2019s`;
      return (
        `${cause}. So vmlinux, linked with it, does not match trial link ${last}: ` +
        (difference
          ? `System.map first differs at line ${number(difference.line)} ` +
            `("${difference.trial ?? ''}" in trial link ${last}, "${difference.final ?? ''}" in vmlinux).`
          : 'its System.map differs.')
      );
    }
    case 'not-converged':
      return (
        `${STRATEGY_LIMIT[record.strategy]}${record.strategy === 'fixpoint' ? ` (${record.options.maxPasses})` : ''}; ` +
        `after ${plural(trials.length, 'trial link')} the table object was still changing ` +
        `(${sizes.slice(-3).map(number).join(' \u2192 ')} bytes): not converged.`
      );
    case 'oscillating':
      return (
        `The table objects repeat with period ${verdict.period} ` +
        `(${sizes
          .slice(-verdict.period - 1)
          .map(number)
          .join(' \u2192 ')} bytes): each table moves ` +
        'init text so that the next one undoes it, and the loop can never settle.'
      );
    case 'link-failed':
      return `The linker refused at ${verdict.step}: ${verdict.message.trim().split('\n')[0] ?? ''}`;
  }
}

/** The explanation of a run's verdict, from its records alone. */
export function explainVerdict(record: RunRecord): VerdictWhy {
  const trials = record.passes.filter((p) => p.step === 'trial');
  const final = record.passes.find((p) => p.step === 'vmlinux');
  const images = final ? [...trials, final] : trials;
  const trialOf = (p: PassRecord): number | 'vmlinux' =>
    p.step === 'vmlinux' ? 'vmlinux' : p.pass;

  const steps: GrowthStep[] = [];
  const links: string[] = [];
  for (let i = 1; i < images.length; i++) {
    const step = stepOf(images[i], images[i - 1], trialOf);
    steps.push(step);
    links.push(describeLink(step, images[i], images[i - 1]));
  }
  const opening = trials[0] ? [describeFirstTrial(trials[0])] : [];
  const ending = describeEnding(record, trials);

  // The short form keeps the links where the table changed first and last, and the final link.
  const changed = steps
    .map((step, i) => ({ step, i }))
    .filter(({ step }) => step.tableObjectChange !== null && step.tableObjectChange !== 0);
  const keep = new Set<number>();
  if (changed.length > 0) {
    keep.add(changed[0].i);
    keep.add(changed[changed.length - 1].i);
  }
  if (final) keep.add(steps.length - 1);
  const brief: string[] = [...opening];
  let skipped = 0;
  steps.forEach((_, i) => {
    if (!keep.has(i)) {
      skipped++;
      return;
    }
    if (skipped > 0) brief.push(`(${plural(skipped, 'more link')} like this.)`);
    skipped = 0;
    brief.push(links[i]);
  });
  if (skipped > 0) brief.push(`(${plural(skipped, 'more link')} like this.)`);
  brief.push(ending);

  return {
    sentences: [...opening, ...links, ending].map(capital),
    steps,
    brief: brief.map(capital),
  };
}
