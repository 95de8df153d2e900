import { quoteInput } from '../toolchain/text/quote.ts';
import { UsageError } from './exit-codes.ts';

/**
 * Numbers on the command line are decimal, written out: `Number()` alone
 * took `--gap=` and `--gap ' '` as 0 and `--gap 0x10` as 16, so a typo ran
 * a different scenario instead of being refused.
 */
export interface DecimalOption {
  /** Whole numbers only (--steps, --jobs), or decimals too (--gap in MiB). */
  integer: boolean;
  min?: number;
  max?: number;
  /** What to write instead, e.g. "--gap 31.75". */
  example: string;
}

const WHOLE = /^[0-9]{1,15}$/;
const DECIMAL = /^([0-9]{1,15}(\.[0-9]{0,15})?|\.[0-9]{1,15})$/;

/** `text` as the number `flag` takes, or a UsageError saying what to write instead. */
export function parseDecimal(flag: string, text: string, option: DecimalOption): number {
  const kind = option.integer ? 'a whole number' : 'a decimal number';
  const range =
    option.min !== undefined && option.max !== undefined
      ? ` from ${option.min} to ${option.max}`
      : option.min !== undefined
        ? ` of ${option.min} or more`
        : '';
  const refuse = () =>
    new UsageError(
      `${flag} ${quoteInput(text, 40)}: give ${kind}${range}, e.g. ${option.example}.`,
    );
  if (!(option.integer ? WHOLE : DECIMAL).test(text)) throw refuse();
  const value = Number(text);
  if (option.min !== undefined && value < option.min) throw refuse();
  if (option.max !== undefined && value > option.max) throw refuse();
  return value;
}
