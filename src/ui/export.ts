/** Exports of a run: the pass table as CSV, the whole record as JSON, downloaded via a Blob. */
import type { PassRecord, RunRecord } from '../toolchain/kbuild/records.ts';
import { PASS_COLUMNS } from './pass-columns.ts';

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The pass table's columns (as titled on the page), one row per pass, in pass order. */
export function passesToCsv(passes: readonly PassRecord[]): string {
  const rows = [PASS_COLUMNS.map((c) => csvCell(c.title)).join(',')];
  for (const pass of passes) rows.push(PASS_COLUMNS.map((c) => csvCell(c.value(pass))).join(','));
  return `${rows.join('\r\n')}\r\n`;
}

export function recordToJson(record: RunRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/** Starts a download of `text` as a file (an object URL revoked once the click is handled). */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
