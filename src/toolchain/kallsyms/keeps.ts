import { isIgnoredSymbol, type Generation } from './ignore.ts';
import { filterListing, latestRules } from './mksysmap.ts';

/**
 * Whether a generation's table would take a text symbol of this name (a
 * linker stub, say) at all: latest's mksysmap rules, or v5.x's own ignore
 * list, with or without ld.lld's PPC64 stub names filtered. Its address
 * still decides whether it lies in a text range.
 */
export function keepsTextSymbol(
  name: string,
  options: { generation: Generation; ignoreLldStubs: boolean },
): boolean {
  if (options.generation !== 'latest') return !isIgnoredSymbol(name, 't', options);
  const line = `0000000000000000 t ${name}\n`;
  return filterListing(line, latestRules(options.ignoreLldStubs)).text !== '';
}
