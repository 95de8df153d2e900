/**
 * How many bytes a linker script itself can add to an image's file, read
 * from the script alone, before anything is linked: the page refuses or
 * asks before a link that would make a huge image (issue 10, point 12: a
 * custom script with a 1.5 GiB fill took a tab to 6 GB).
 *
 * The answer is an upper bound, or `null` with the reason when the script
 * moves the location counter by something this reader does not evaluate.
 * What counts, in ld.lld's terms:
 * - every forward move of `.` (`. = . + N`, `. += N`, `. = ALIGN(…)`, an
 *   absolute `. = ADDRESS` past the last known address, an output section's
 *   address or `ALIGN(n)`) is counted as file bytes, since within one PT_LOAD
 *   segment ld.lld lays out file offsets as it lays out addresses;
 * - except a move at the top level before an output section that opens a
 *   PHDRS PT_LOAD segment no earlier section was in: a new segment's file
 *   offset only needs to agree with its address modulo the page size, so
 *   such a move is addresses only (the template's gap; at most a page is
 *   counted), unless a later section returns to an earlier segment;
 * - a `(NOLOAD)` section's extent is counted as a move is: as bytes when a
 *   section with bytes follows it in the same segment, else not;
 * - moves after the last output section add no bytes; `BYTE`…`QUAD` add at
 *   most 8 each;
 * - several `SECTIONS` commands count as one, in order (as ld.lld lays
 *   them out);
 * - `MEMORY`, `OVERLAY`, `INCLUDE`, `INSERT` and any expression with a
 *   symbol, `SIZEOF`, `ADDR`… make the answer unknown (null).
 * Input sections are not counted here: their bytes are the corpus's
 * (see scenario/cost.ts).
 */

/**
 * The largest page ld.lld uses for powerpc: the most a segment boundary can
 * cost in file padding, and CONSTANT(MAXPAGESIZE) / CONSTANT(COMMONPAGESIZE).
 */
const DEFAULT_PAGE = 0x10000n;
const DATA_COMMAND_BYTES = 8n;

/** The page a link uses: the flags' (`-z max-page-size`…) when larger than the default. */
export function linkPage(pageSize: bigint | null | undefined): bigint {
  return pageSize != null && pageSize > DEFAULT_PAGE ? pageSize : DEFAULT_PAGE;
}

export type ScriptExtent = { ok: true; bytes: bigint } | { ok: false; reason: string };

/** What the link's flags change in the file's layout (scenario/linker-flags.ts reads them). */
export interface ExtentOptions {
  /** The largest `-z max-page-size` or `-z common-page-size`: a segment's padding, if larger than a 64 KiB page. */
  pageSize?: bigint | null;
  /** `-z separate-code` or `-z separate-loadable-segments`: every segment also ends on a page. */
  separateSegments?: boolean;
}

/** Segments ld.lld makes of its own when the script names none (PHDRS), at most. */
const OWN_SEGMENTS = 5n;

class Unknown extends Error {}

/** An expression's value: a number, or the location counter plus an offset (up to `slack` more). */
type Value = { kind: 'abs'; value: bigint } | { kind: 'rel'; offset: bigint; slack: bigint };

const abs = (value: bigint): Value => ({ kind: 'abs', value });

/** An upper bound of the file bytes `script`'s own location-counter moves add to an image. */
export function scriptExtent(script: string, options: ExtentOptions = {}): ScriptExtent {
  try {
    return { ok: true, bytes: new ScriptReader(stripComments(script), options).read() };
  } catch (error) {
    if (error instanceof Unknown) return { ok: false, reason: error.message };
    throw error;
  }
}

function stripComments(text: string): string {
  // `/* … */` as in GNU ld, and `#` to the end of a line, which ld.lld also reads as a comment.
  return text.replace(/\/\*[\s\S]*?(\*\/|$)/g, ' ').replace(/#[^\n]*/g, ' ');
}

/** `text` cut short and on one line, to quote in a reason. */
function quote(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `"${line.length > 40 ? `${line.slice(0, 40)}…` : line}"`;
}

const ASSIGNMENT = /^(<<=|>>=|\+=|-=|\*=|\/=|&=|\|=|=)/;

class ScriptReader {
  private at = 0;
  private total = 0n;
  /** Moves since the last output section, not yet known to be file bytes. */
  private pending = 0n;
  /** A lower bound of `.` at the top level (null: none yet). */
  private floor: bigint | null = null;
  private previousPhdrs: string[] | null = null;
  /** The PHDRS entries of type PT_LOAD, by name. */
  private loadPhdrs = new Set<string>();
  /** The PT_LOAD segments sections were put in so far, and the previous section's. */
  private usedLoads = new Set<string>();
  private previousLoads: string[] = [];
  /** Moves taken as addresses only, at the start of a new segment. */
  private dropped = 0n;
  private seenSection = false;

  /** The link's page: what a segment's start (or, separated, its end) can cost in padding. */
  private readonly page: bigint;

  constructor(
    private readonly text: string,
    private readonly options: ExtentOptions,
  ) {
    this.page = linkPage(options.pageSize);
  }

  read(): bigint {
    if (/\bMEMORY\s*\{/.test(this.text))
      throw new Unknown('the script places sections in MEMORY regions');
    if (/\b(INCLUDE|OVERLAY)\b/.test(this.text))
      throw new Unknown('the script uses INCLUDE or OVERLAY');
    // INSERT AFTER/BEFORE places a SECTIONS command's sections among another's.
    if (/\bINSERT\b/.test(this.text)) throw new Unknown('the script uses INSERT');
    this.loadPhdrs = loadPhdrsOf(this.text);
    // ld.lld lays out every SECTIONS command, each after the one before, as if one.
    const start = /\bSECTIONS\s*\{/g;
    for (let found = start.exec(this.text); found; found = start.exec(this.text)) {
      this.at = found.index + found[0].length;
      this.topLevel();
      start.lastIndex = ++this.at; // past its closing brace
    }
    return this.total + this.pagePadding();
  }

  /**
   * With pages larger than 64 KiB, or segments separated: each segment may
   * start up to a page into the file (its offset agrees with its address
   * modulo the page; a segment opened after another is counted where it
   * opens) and, separated, ends on a page.
   */
  private pagePadding(): bigint {
    const bigPages = this.page > DEFAULT_PAGE;
    const separate = this.options.separateSegments === true;
    if (!bigPages && !separate) return 0n;
    const named = this.loadPhdrs.size > 0;
    const segments = named ? BigInt(Math.max(this.usedLoads.size, 1)) : OWN_SEGMENTS;
    const starts = bigPages ? (named ? 1n : segments) : 0n;
    const ends = separate ? segments : 0n;
    return (starts + ends) * this.page;
  }

  private rest(): string {
    return this.text.slice(this.at);
  }

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at])) this.at++;
  }

  /** Text up to the next `stop` outside parentheses (not included). */
  private until(stop: string): string {
    let depth = 0;
    const begin = this.at;
    for (; this.at < this.text.length; this.at++) {
      const c = this.text[this.at];
      if (depth === 0 && stop.includes(c)) return this.text.slice(begin, this.at);
      if (c === '(') depth++;
      else if (c === ')') depth--;
    }
    throw new Unknown(`the script ends inside ${quote(this.text.slice(begin))}`);
  }

  /** Skips a balanced `( … )` starting at the current position. */
  private skipParens(): void {
    this.skipSpace();
    if (this.text[this.at] !== '(') return;
    this.at++;
    this.until(')');
    this.at++;
  }

  private topLevel(): void {
    for (;;) {
      this.skipSpace();
      const rest = this.rest();
      if (rest === '') throw new Unknown('the SECTIONS command is not closed');
      if (rest[0] === '}') return;
      if (rest[0] === ';') {
        this.at++;
        continue;
      }
      if (this.dotAssignment((move) => (this.pending += move), true)) continue;
      if (this.otherStatement()) continue;
      this.outputSection();
    }
  }

  /** `. = e;` and the like; `onMove` gets the bytes it may add. False if not one. */
  private dotAssignment(onMove: (bytes: bigint) => void, topLevel: boolean, floor = 0n): boolean {
    const match = /^\.\s*(<<=|>>=|\+=|-=|\*=|\/=|&=|\|=|=)/.exec(this.rest());
    if (!match) return false;
    this.at += match[0].length;
    const expression = this.until(';');
    this.at++;
    const value = evaluate(expression, this.page);
    const op = match[1];
    if (op === '=') {
      if (value.kind === 'rel') onMove(positive(value.offset + value.slack));
      else if (!topLevel) onMove(positive(value.value - floor));
      else if (this.floor === null && !this.seenSection) this.floor = value.value;
      else onMove(positive(value.value - (this.floor ?? 0n)));
      if (topLevel && value.kind === 'abs') this.floor = value.value;
      else if (topLevel && this.floor !== null && value.kind === 'rel')
        this.floor += positive(value.offset);
      return true;
    }
    if (value.kind !== 'abs')
      throw new Unknown(`the location counter is moved by ${quote(expression)}`);
    if (op === '+=') {
      onMove(positive(value.value));
      if (topLevel && this.floor !== null) this.floor += positive(value.value);
    } else if (op !== '-=') {
      throw new Unknown(`the location counter is changed with "${op}"`);
    }
    return true;
  }

  /** Symbol assignments, PROVIDE, ASSERT…: they do not move `.`. False if none. */
  private otherStatement(): boolean {
    const rest = this.rest();
    const call = /^(PROVIDE|PROVIDE_HIDDEN|HIDDEN|ASSERT|ENTRY|FILL)\s*\(/.exec(rest);
    if (call) {
      this.at += call[1].length;
      this.skipParens();
      this.skipSpace();
      if (this.text[this.at] === ';') this.at++;
      return true;
    }
    const symbol = /^[A-Za-z_$][\w$.]*\s*/.exec(rest);
    if (symbol && ASSIGNMENT.test(rest.slice(symbol[0].length))) {
      this.until(';');
      this.at++;
      return true;
    }
    return false;
  }

  private outputSection(): void {
    const name = /^[^\s:({]+/.exec(this.rest());
    if (!name)
      throw new Unknown(`the script has ${quote(this.rest())} where a command was expected`);
    this.at += name[0].length;
    const header = this.until('{');
    this.at++;
    const colon = topLevelColon(header);
    if (colon < 0) throw new Unknown(`the output section ${quote(name[0])} has no ":"`);
    const before = header.slice(0, colon);
    const after = header.slice(colon + 1);
    const noload = /\(\s*NOLOAD\s*\)/.test(before);
    const address = before.replace(/\(\s*[A-Z_]+\s*\)\s*$/, '').trim();
    let move = 0n;
    if (address !== '') {
      const value = evaluate(address, this.page);
      if (value.kind === 'rel') move += positive(value.offset + value.slack);
      else if (this.floor !== null || this.seenSection)
        move += positive(value.value - (this.floor ?? 0n));
      this.floor = value.kind === 'abs' ? value.value : this.floor;
    }
    const align = /\bALIGN\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)/.exec(after);
    if (align) {
      const value = evaluate(align[1], this.page);
      if (value.kind !== 'abs') throw new Unknown(`a section is aligned to ${quote(align[1])}`);
      move += positive(value.value - 1n);
    }
    const discard = name[0] === '/DISCARD/';
    const inside = this.sectionBody();
    const phdrs = this.trailer();
    if (discard) {
      this.pending += move;
      return;
    }
    const gap = this.gapBefore(phdrs, move);
    if (noload) {
      // No file bytes of its own; but a section with bytes after it in the same
      // segment lies as far into the file as into memory, so its extent counts
      // then, as a move does (measured: 64 MiB of NOLOAD before a BYTE(1) made
      // the image 64 MiB larger).
      this.pending = gap + inside;
    } else {
      this.total += gap + inside;
      this.pending = 0n;
    }
    this.seenSection = true;
  }

  /**
   * The file bytes that the moves before a section (`pending` and its own
   * address `move`) can cost. Within a PT_LOAD segment, ld.lld puts a section
   * as far into the file as into memory from the segment's first section, so
   * a move costs its size; only a section that opens a PT_LOAD no section was
   * in before starts afresh (at most a page of padding). A section in no
   * PT_LOAD, or in one used before, is taken as continuing: a return to an
   * earlier segment also counts every move taken as addresses only so far.
   * (Measured with ld.lld: a 64 MiB move before a section listed as
   * `:text :note`, or after one in `:note` or `:NONE` only, made the image
   * 64 MiB larger.) A section without `:phdr` is in its predecessor's.
   */
  private gapBefore(phdrs: string[] | null, move: bigint): bigint {
    const effective = phdrs ?? this.previousPhdrs ?? [];
    this.previousPhdrs = effective;
    const loads = effective.filter((name) => this.loadPhdrs.has(name));
    const opens =
      this.usedLoads.size > 0 &&
      loads.length > 0 &&
      loads.every((name) => !this.usedLoads.has(name));
    const returns = loads.some(
      (name) => this.usedLoads.has(name) && !this.previousLoads.includes(name),
    );
    for (const name of loads) this.usedLoads.add(name);
    this.previousLoads = loads;
    const gap = this.pending + move;
    if (opens) {
      this.dropped += gap;
      return this.page;
    }
    return returns ? gap + this.dropped : gap;
  }

  /** How far a section's own commands move the location counter. */
  private sectionBody(): bigint {
    let bytes = 0n;
    let floor = 0n;
    for (;;) {
      this.skipSpace();
      const rest = this.rest();
      if (rest === '') throw new Unknown('an output section is not closed');
      if (rest[0] === '}') {
        this.at++;
        return bytes;
      }
      if (rest[0] === ';' || rest[0] === ',') {
        this.at++;
        continue;
      }
      if (
        this.dotAssignment(
          (move) => {
            bytes += move;
            floor += move;
          },
          false,
          floor,
        )
      )
        continue;
      const data = /^(BYTE|SHORT|LONG|QUAD|SQUAD)\s*\(/.exec(rest);
      if (data) {
        this.at += data[1].length;
        this.skipParens();
        bytes += DATA_COMMAND_BYTES;
        floor += DATA_COMMAND_BYTES;
        continue;
      }
      if (this.otherStatement()) continue;
      // An input section description (`*(.text .text.*)`, `KEEP(…)`, `file.o(.data)`): the corpus's bytes.
      const word = /^[^\s(;{}]+/.exec(rest);
      if (word) this.at += word[0].length;
      this.skipSpace();
      if (this.text[this.at] === '(') this.skipParens();
      else if (!word) throw new Unknown(`an output section holds ${quote(rest)}`);
    }
  }

  /** After `}`: `>region`, `AT>region`, `:phdr`…, `=fill`. Returns the phdrs named, or null. */
  private trailer(): string[] | null {
    const phdrs: string[] = [];
    for (;;) {
      this.skipSpace();
      const rest = this.rest();
      const phdr = /^:\s*([A-Za-z_][\w]*)/.exec(rest);
      const region = /^(AT\s*)?>\s*[A-Za-z_][\w]*/.exec(rest);
      const fill = /^=\s*[^\s;]+/.exec(rest);
      if (phdr) {
        phdrs.push(phdr[1]);
        this.at += phdr[0].length;
      } else if (region) {
        this.at += region[0].length;
      } else if (fill && !ASSIGNMENT.test(rest.slice(1))) {
        this.at += fill[0].length;
      } else if (rest[0] === ',') {
        this.at++;
      } else {
        return phdrs.length ? phdrs : null;
      }
    }
  }
}

/** The names PHDRS gives its PT_LOAD entries (type `PT_LOAD`, or 1). */
function loadPhdrsOf(text: string): Set<string> {
  const names = new Set<string>();
  for (const block of text.matchAll(/\bPHDRS\s*\{([^}]*)\}/g)) {
    for (const entry of block[1].split(';')) {
      const load = /^\s*([A-Za-z_]\w*)\s+(?:PT_LOAD|0*1|0[xX]0*1)(?![\w.])/.exec(entry);
      if (load) names.add(load[1]);
    }
  }
  return names;
}

function positive(n: bigint): bigint {
  return n > 0n ? n : 0n;
}

function topLevelColon(header: string): number {
  let depth = 0;
  for (let i = 0; i < header.length; i++) {
    const c = header[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ':' && depth === 0) return i;
  }
  return -1;
}

// ---------------------------------------------------------------------------
// Expressions

type Token =
  { kind: 'num'; value: bigint } | { kind: 'word'; text: string } | { kind: 'op'; text: string };

const OPERATORS = ['<<', '>>', '==', '!=', '<=', '>=', '&&', '||'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const space = /^\s+/.exec(rest);
    if (space) {
      i += space[0].length;
      continue;
    }
    const number = /^(0[xX][0-9a-fA-F]+|\d+)([KkMm])?(?![\w.])/.exec(rest);
    if (number) {
      let value = BigInt(number[1]);
      if (number[2]) value *= /[Kk]/.test(number[2]) ? 1024n : 1024n * 1024n;
      tokens.push({ kind: 'num', value });
      i += number[0].length;
      continue;
    }
    const word = /^(\.(?![\w.])|[A-Za-z_.$][\w.$]*)/.exec(rest);
    if (word) {
      tokens.push({ kind: 'word', text: word[0] });
      i += word[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o)) ?? rest[0];
    if (!'+-*/%&|^~!<>?:(),'.includes(op[0])) throw new Unknown(`cannot read ${quote(text)}`);
    tokens.push({ kind: 'op', text: op });
    i += op.length;
  }
  return tokens;
}

/** The value of a linker-script expression, with `.` kept symbolic; throws Unknown otherwise. */
function evaluate(text: string, pageSize: bigint): Value {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const isOp = (t: Token | undefined, op: string) => t?.kind === 'op' && t.text === op;
  const expect = (op: string) => {
    if (!isOp(peek(), op)) throw new Unknown(`cannot read ${quote(text)}`);
    at++;
  };
  const number = (v: Value): bigint => {
    if (v.kind !== 'abs') throw new Unknown(`the location counter is used in ${quote(text)}`);
    return v.value;
  };

  const BINARY: Array<{ ops: string[]; apply: (a: bigint, b: bigint, op: string) => bigint }> = [
    { ops: ['||'], apply: (a, b) => (a !== 0n || b !== 0n ? 1n : 0n) },
    { ops: ['&&'], apply: (a, b) => (a !== 0n && b !== 0n ? 1n : 0n) },
    { ops: ['|'], apply: (a, b) => a | b },
    { ops: ['^'], apply: (a, b) => a ^ b },
    { ops: ['&'], apply: (a, b) => a & b },
    { ops: ['==', '!='], apply: (a, b, op) => ((a === b) === (op === '==') ? 1n : 0n) },
    {
      ops: ['<', '<=', '>', '>='],
      apply: (a, b, op) =>
        (op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b) ? 1n : 0n,
    },
    { ops: ['<<', '>>'], apply: (a, b, op) => (op === '<<' ? a << b : a >> b) },
    { ops: ['+', '-'], apply: (a, b, op) => (op === '+' ? a + b : a - b) },
    {
      ops: ['*', '/', '%'],
      apply: (a, b, op) => {
        if (op !== '*' && b === 0n) throw new Unknown(`${quote(text)} divides by zero`);
        return op === '*' ? a * b : op === '/' ? a / b : a % b;
      },
    },
  ];

  const conditional = (): Value => {
    const test = binary(0);
    if (!isOp(peek(), '?')) return test;
    at++;
    const yes = conditional();
    expect(':');
    const no = conditional();
    return number(test) !== 0n ? yes : no;
  };

  const binary = (level: number): Value => {
    if (level === BINARY.length) return unary();
    let left = binary(level + 1);
    for (;;) {
      const t = peek();
      if (t?.kind !== 'op' || !BINARY[level].ops.includes(t.text)) return left;
      at++;
      const right = binary(level + 1);
      // `.` may only be offset: `. + n`, `n + .`, `. - n`.
      if (left.kind === 'rel' || right.kind === 'rel') {
        if (t.text === '+' && left.kind === 'rel' && right.kind === 'abs')
          left = { ...left, offset: left.offset + right.value };
        else if (t.text === '+' && left.kind === 'abs' && right.kind === 'rel')
          left = { ...right, offset: right.offset + left.value };
        else if (t.text === '-' && left.kind === 'rel' && right.kind === 'abs')
          left = { ...left, offset: left.offset - right.value };
        else throw new Unknown(`the location counter is used in ${quote(text)}`);
      } else {
        left = abs(BINARY[level].apply(left.value, right.value, t.text));
      }
    }
  };

  const unary = (): Value => {
    const t = peek();
    if (isOp(t, '-') || isOp(t, '~') || isOp(t, '!') || isOp(t, '+')) {
      at++;
      const v = number(unary());
      const op = (t as { text: string }).text;
      return abs(op === '-' ? -v : op === '~' ? ~v : op === '!' ? (v === 0n ? 1n : 0n) : v);
    }
    return primary();
  };

  const args = (): Value[] => {
    expect('(');
    const values = [conditional()];
    while (isOp(peek(), ',')) {
      at++;
      values.push(conditional());
    }
    expect(')');
    return values;
  };

  const primary = (): Value => {
    const t = peek();
    if (!t) throw new Unknown(`cannot read ${quote(text)}`);
    at++;
    if (t.kind === 'num') return abs(t.value);
    if (t.kind === 'op') {
      if (t.text !== '(') throw new Unknown(`cannot read ${quote(text)}`);
      const v = conditional();
      expect(')');
      return v;
    }
    if (t.text === '.') return { kind: 'rel', offset: 0n, slack: 0n };
    switch (t.text) {
      case 'ALIGN': {
        const [first, second] = args();
        const [value, alignment] =
          second === undefined
            ? [{ kind: 'rel', offset: 0n, slack: 0n } as Value, first]
            : [first, second];
        const a = number(alignment);
        if (a <= 0n) throw new Unknown(`${quote(text)} aligns to ${a}`);
        if (value.kind === 'abs') return abs(((value.value + a - 1n) / a) * a);
        return { ...value, slack: value.slack + a - 1n };
      }
      case 'ABSOLUTE': {
        const [value] = args();
        return value;
      }
      case 'MAX':
      case 'MIN': {
        const [a, b] = args().map(number);
        const larger = a > b ? a : b;
        const smaller = a > b ? b : a;
        return abs(t.text === 'MAX' ? larger : smaller);
      }
      case 'CONSTANT': {
        expect('(');
        const name = peek();
        at++;
        expect(')');
        if (name?.kind === 'word' && /^(MAXPAGESIZE|COMMONPAGESIZE)$/.test(name.text))
          return abs(pageSize);
        throw new Unknown(`cannot read ${quote(text)}`);
      }
      case 'SIZEOF_HEADERS':
        // An ELF header and a few program headers: a page is more than enough.
        return abs(pageSize);
    }
    throw new Unknown(
      `the location counter is moved by ${quote(text)}, which depends on "${t.text}"`,
    );
  };

  const value = conditional();
  if (at !== tokens.length) throw new Unknown(`cannot read ${quote(text)}`);
  return value;
}
