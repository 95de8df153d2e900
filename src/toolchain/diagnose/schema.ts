/**
 * The schema of a diagnosis and of its progress reports: what the page checks
 * when they come back from the diagnose worker (a worker of another build, a
 * bug on either side), so that a mismatch is a readable message, not an
 * `undefined` deep inside a table. Tied to the types by `Exact` below: a
 * field added to the engine's result without its schema fails to compile.
 */
import { z } from 'zod';
import type { ArchId } from '../arch/targets.ts';
import type { DiagnoseProgress } from './progress.ts';
import type { Diagnosis } from './index.ts';

const count = z.number().int().nonnegative();
const signed = z.number().int();
const generation = z.enum(['v5.8', 'v5.9', 'latest']);
const archId = z.enum(['ppc64le', 'ppc64', 'ppc32'] satisfies ArchId[]);
const hexAddress = z.string().regex(/^-?0x[0-9a-f]+$/i);

const sectionFact = z.object({
  name: z.string(),
  address: hexAddress,
  size: count,
  nobits: z.boolean(),
});

const elfFacts = z.object({
  elfClass: z.union([z.literal(32), z.literal(64)]),
  endian: z.enum(['little', 'big']),
  machine: count,
  machineName: z.string(),
  fileType: z.string(),
  arch: archId.nullable(),
  sections: z.array(sectionFact),
  symbolTableEntries: count,
});

const inputFacts = z.object({
  name: z.string(),
  kind: z.enum(['elf', 'nm-listing', 'system-map']),
  bytes: count,
  bytesRead: count,
  elf: elfFacts.nullable(),
  systemMapFilter: z.enum(['latest', 'v5.9']).nullable(),
  listingLines: count,
  definedSymbols: count,
  wordSize: z.union([z.literal(4), z.literal(8)]),
  wordSizeFrom: z.enum(['ELF class', 'address width', 'option', 'default']),
  arch: archId.nullable(),
  notes: z.array(z.string()),
});

const sizes = z.object({
  numSyms: count,
  names: count,
  markers: count,
  tokenTable: count,
  tokenIndex: count,
  offsets: count,
  addresses: count,
  relativeBase: count,
  seqsOfNames: count,
  padding: count,
  total: count,
});

const counts = z.object({
  listingLines: count,
  symsLines: count.nullable(),
  keptSymbols: count,
  tableSymbols: count,
});

const ruleTally = z.object({
  stage: z.enum(['mksysmap', 'read', 'ignore', 'table']),
  rule: z.string(),
  inTable: z.boolean(),
  symbols: count,
  examples: z.array(z.string()),
});

const generationReport = z.object({
  generation,
  sizes: sizes.nullable(),
  counts: counts.nullable(),
  tableObjectBytes: count.nullable(),
  rules: z.array(ruleTally),
  warnings: z.object({ count, first: z.array(z.string()) }),
  error: z.string().nullable(),
});

const linkerSymbolKind = z.object({
  id: z.string(),
  linker: z.enum(['ld.lld', 'GNU ld', 'ld.lld or GNU ld']),
  arch: z.string(),
  pattern: z.string(),
  what: z.string(),
});

const generationFate = z.object({
  inTable: count,
  droppedBy: z.array(z.object({ rule: z.string(), symbols: count })),
});

const linkerSymbolGroup = z.object({
  kind: linkerSymbolKind,
  count,
  examples: z.array(z.string()),
  fate: z.object({
    'v5.8': generationFate.nullable(),
    'v5.9': generationFate.nullable(),
    latest: generationFate.nullable(),
  }),
});

const tableDiagnosis = z.object({
  input: inputFacts,
  generations: z.array(generationReport),
  linkerSymbols: z.object({ total: count, groups: z.array(linkerSymbolGroup) }),
});

const mapDifference = z.object({
  line: count,
  trial: z.string().nullable(),
  final: z.string().nullable(),
});

const systemMapCheck = z.object({
  ok: z.boolean(),
  message: z.string().nullable(),
  trialLines: count,
  finalLines: count,
  differences: z.array(mapDifference),
});

const symbolAt = z.object({ name: z.string(), address: hexAddress });

const movedRun = z.object({
  first: symbolAt,
  last: symbolAt,
  symbols: count,
  delta: signed,
  section: z.string().nullable(),
});

const symbolDiff = z.object({
  compared: z.string(),
  inFirst: count,
  inSecond: count,
  unchanged: count,
  added: z.object({ count, first: z.array(symbolAt) }),
  removed: z.object({ count, first: z.array(symbolAt) }),
  moved: z.object({
    count,
    runs: z.array(movedRun),
    runCount: count,
    minDelta: signed,
    maxDelta: signed,
  }),
  firstMoved: z
    .object({
      symbol: symbolAt,
      to: hexAddress,
      delta: signed,
      after: symbolAt.nullable(),
      section: z.string().nullable(),
    })
    .nullable(),
});

const linkerSymbolChange = z.object({
  kind: linkerSymbolKind,
  count,
  examples: z.array(z.string()),
});

const sectionChange = z.object({
  name: z.string(),
  firstAddress: hexAddress,
  secondAddress: hexAddress,
  firstSize: count,
  secondSize: count,
  moved: signed,
  grew: signed,
  paddingChange: signed.nullable(),
});

const tableSide = z
  .object({ tableSymbols: count, bytes: count, tableObjectBytes: count.nullable() })
  .nullable();

const comparisonDiagnosis = z.object({
  systemMaps: z.array(
    z.object({ generations: z.array(generation), filter: z.string(), check: systemMapCheck }),
  ),
  symbols: symbolDiff,
  linkerSymbols: z.object({
    added: z.array(linkerSymbolChange),
    removed: z.array(linkerSymbolChange),
  }),
  sections: z.array(sectionChange).nullable(),
  tables: z.array(z.object({ generation, first: tableSide, second: tableSide })),
  causes: z.array(
    z.object({
      kind: z.enum([
        'identical',
        'stubs-appeared',
        'stubs-vanished',
        'symbols-changed',
        'table-grew',
        'section-grew',
        'alignment-moved',
        'symbols-moved',
        'next-table',
      ]),
      text: z.string(),
    }),
  ),
});

export const diagnosisSchema = z.discriminatedUnion('inputs', [
  z.object({ format: z.literal(1), inputs: z.literal(1), tables: z.tuple([tableDiagnosis]) }),
  z.object({
    format: z.literal(1),
    inputs: z.literal(2),
    tables: z.tuple([tableDiagnosis, tableDiagnosis]),
    comparison: comparisonDiagnosis,
  }),
]);

export const diagnoseProgressSchema = z.object({
  input: z.number().int().min(0).max(1).nullable(),
  phase: z.enum(['read', 'list', 'kallsyms', 'linker-symbols', 'compare']),
  step: z.string().max(1000),
  fraction: z.number().min(0).max(1),
});

/** True when A and B are the same type; a compile error below otherwise. */
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const schemaIsDiagnosis: Exact<z.infer<typeof diagnosisSchema>, Diagnosis> = true;
const schemaIsProgress: Exact<z.infer<typeof diagnoseProgressSchema>, DiagnoseProgress> = true;
void schemaIsDiagnosis;
void schemaIsProgress;
