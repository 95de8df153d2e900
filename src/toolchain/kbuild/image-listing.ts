import { stubKind, type StubKind } from './stub-symbols.ts';

/** The facts of a trial image the loop reports, read from its `nm -n` listing. */
export interface ListingFacts {
  lines: number;
  /** First address of each defined name (text symbols win over others of the same name). */
  addresses: Map<string, bigint>;
  stubs: Array<{ name: string; kind: StubKind; address: bigint }>;
  /** Text symbol names defined more than once (statics of the same name in two files). */
  ambiguous: Set<string>;
}

const LINE = /^([0-9a-fA-F]+) (\S) (.+)$/;

export function readListingFacts(listing: string): ListingFacts {
  const addresses = new Map<string, bigint>();
  const stubs: ListingFacts['stubs'] = [];
  const textNames = new Set<string>();
  const ambiguous = new Set<string>();
  let lines = 0;
  for (const line of listing.split('\n')) {
    if (line === '') continue;
    lines++;
    const m = LINE.exec(line);
    if (!m) continue; // undefined symbols have no address
    const [, hex, type, name] = m;
    const address = BigInt(`0x${hex}`);
    const isText = type === 'T' || type === 't' || type === 'W';
    if (isText && textNames.has(name)) ambiguous.add(name);
    if (!addresses.has(name) || (isText && !textNames.has(name))) {
      addresses.set(name, address);
      if (isText) textNames.add(name);
    }
    const kind = stubKind(name);
    if (kind) stubs.push({ name, kind, address });
  }
  return { lines, addresses, stubs, ambiguous };
}
