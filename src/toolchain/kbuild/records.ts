import type { ArchId } from '../arch/targets.ts';
import type { KallsymsCounts, KallsymsSizes } from '../kallsyms/index.ts';
import type { ReachFacts } from '../reach/measure-reach.ts';
import type { StrategyId, TrialReason } from './strategy.ts';
import type { StubKind } from './stub-symbols.ts';
import type { SystemMapCheck } from './system-map-check.ts';

/** A command as it would be typed, so anyone can re-run it outside kallsyms-lab. */
export interface CommandLine {
  tool: string;
  args: string[];
  /** Where its input comes from / output goes, when piped. */
  stdin?: string;
  stdout?: string;
}

export interface SectionFacts {
  name: string;
  address: string;
  size: number;
}

export interface LinkFacts {
  image: string;
  command: CommandLine;
  inputs: string[];
  outputBytes: number;
  ms: number;
  /** ld.lld's warnings, verbatim. */
  diagnostics: string;
}

export interface LayoutFacts {
  sections: SectionFacts[];
  /** Addresses (hex) of the boundary symbols, null when absent. */
  symbols: Record<'_stext' | '_etext' | '_sinittext' | '_einittext', string | null>;
  /** Where the kallsyms tables lie, when the image has them. */
  table: { start: string; end: string; section: string } | null;
}

export interface StubFacts {
  total: number;
  byKind: Partial<Record<StubKind, number>>;
  /** New since the previous image of this run, and gone since then. */
  added: Array<{ name: string; kind: StubKind }>;
  removed: Array<{ name: string; kind: StubKind }>;
}

export interface TableObjectFacts {
  /** File name, e.g. ".tmp_vmlinux1.kallsyms.o". */
  name: string;
  /** File size: what the kernel compares between passes. */
  bytes: number;
  sha256: string;
  sizes: KallsymsSizes;
  counts: KallsymsCounts;
  /** What kallsyms would have printed on stderr. */
  warnings: string[];
  commands: CommandLine[];
}

export interface PassTimings {
  link: number;
  listing: number;
  kallsyms: number;
  object: number;
}

/** One trial link, or the final vmlinux link. */
export interface PassRecord {
  /** 1-based trial number; the final link has `pass = trials + 1` and `step: 'vmlinux'`. */
  pass: number;
  step: 'trial' | 'vmlinux';
  reason: TrialReason | 'final';
  /** A sentence in the spirit of link-vmlinux.sh's comments. */
  explanation: string;
  /** The table object linked into this image (null: none). */
  linkedWith: string | null;
  link: LinkFacts;
  layout: LayoutFacts;
  listingLines: number;
  stubs: StubFacts;
  reach: ReachFacts;
  /** The table object built from this image (trials only). */
  tableObject: TableObjectFacts | null;
  timings: PassTimings;
}

export type Verdict =
  | { kind: 'converged'; passes: number; summary: string }
  | { kind: 'inconsistent'; passes: number; summary: string; check: SystemMapCheck }
  | { kind: 'not-converged'; passes: number; summary: string }
  | { kind: 'oscillating'; passes: number; period: number; summary: string }
  | {
      kind: 'link-failed';
      passes: number;
      summary: string;
      step: string;
      tool: string;
      message: string;
    };

export interface RunRecord {
  /** Bumped when the record's shape changes meaning. */
  format: 1;
  toolchain: 'wasm' | 'native';
  arch: ArchId;
  strategy: StrategyId;
  generation: string;
  options: {
    baseRelative: boolean;
    allSymbols: boolean;
    filterLldStubs: boolean;
    extraPass: boolean;
    maxPasses: number;
    extraLinkerFlags: string[];
  };
  corpus: { compiler: string; objects: Array<{ name: string; sha256: string }> };
  linkerScript: string;
  /** The empty table object `latest` starts from, when the strategy builds one. */
  emptyTableObject: TableObjectFacts | null;
  passes: PassRecord[];
  check: SystemMapCheck | null;
  verdict: Verdict;
  /** Every call site the reach distances refer to (index = siteIndex). */
  callSites: Array<{ object: string; offset: number; target: string; form: string }>;
  totalMs: number;
}
