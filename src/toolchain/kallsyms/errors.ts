/**
 * What can go wrong while building the table. The kernel tool prints a line on
 * stderr and exits; we throw instead, carrying where in the listing it
 * happened so that the page and the CLI can point at the offending line.
 */
import { quoteInput } from '../text/quote.ts';

export type KallsymsErrorCode =
  'line-format' | 'offset-range' | 'name-length' | 'no-valid-symbol' | 'not-assemblable';

export interface ListingPlace {
  /** 1-based line number in the listing given to the generator. */
  line: number;
  /** The line itself, without its newline. */
  text: string;
}

/**
 * `line 12 ("c000… T foo")`, for messages: at most 80 bytes of the line, with
 * anything but printable ASCII escaped (a 2 MB line or a binary file's bytes
 * never reach a message, or a terminal, whole or raw).
 */
export function describePlace(place: ListingPlace): string {
  return `line ${place.line} (${quoteInput(place.text)})`;
}

export class KallsymsError extends Error {
  readonly code: KallsymsErrorCode;
  readonly place: ListingPlace | undefined;

  /** `message` says what was wrong, where, and what to do. */
  constructor(code: KallsymsErrorCode, message: string, place?: ListingPlace) {
    super(message);
    this.name = 'KallsymsError';
    this.code = code;
    this.place = place;
  }
}

/** Something the kernel tool reports on stderr but survives (e.g. a skipped name). */
export interface KallsymsWarning {
  message: string;
  place?: ListingPlace;
}
