/**
 * Reads the input-section addresses out of ld.lld's `-Map` output. The
 * image itself no longer says where each object's `.init.text` landed, and
 * the reach of a call site depends on exactly that.
 *
 * lld prints `VMA LMA Size Align` and then the name indented by level:
 * output sections at one space, input sections at nine, symbols at seventeen.
 */
export interface MappedInputSection {
  file: string;
  section: string;
  address: bigint;
  size: number;
}

const LINE = /^\s*([0-9a-f]+)\s+[0-9a-f]+\s+([0-9a-f]+)\s+\d+ {9}(\S.*):\(([^)]+)\)$/;

export function parseInputSections(mapText: string): MappedInputSection[] {
  const out: MappedInputSection[] = [];
  for (const line of mapText.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    out.push({ address: BigInt(`0x${m[1]}`), size: parseInt(m[2], 16), file: m[3], section: m[4] });
  }
  return out;
}

/** Address of `section` from each file, keyed by file name as given to the linker. */
export function inputSectionAddresses(mapText: string, section: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const entry of parseInputSections(mapText)) {
    if (entry.section === section && !out.has(entry.file)) out.set(entry.file, entry.address);
  }
  return out;
}
