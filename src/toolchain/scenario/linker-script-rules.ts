/**
 * What a scenario's own linker script may do: use the run's inputs, never
 * reach past them. A script comes from strangers (a file, a link) and the
 * native toolchain runs ld.lld on the user's machine, where `INCLUDE
 * /etc/passwd` would read (and echo) a host file.
 *
 * The check reads the script as ld.lld's lexer does (lld/ELF/ScriptLexer):
 * `/* … *\/` and `#` comments, `"…"` strings without escapes, and words made
 * of the characters a bare token may hold. A command counts wherever it could
 * be a token, so it is refused in any case (lld itself only obeys upper
 * case) and inside any construct; only comments and quoted strings hide it.
 * Where lld versions lex differently (a comment glued to a word: lld 16 reads
 * `x/*` as one token, lld 22 inside an expression as `x` and a comment), the
 * script is refused rather than guessed at.
 */

import { quoteInput } from '../text/quote.ts';

/** Characters of a bare token in lld's script state (a superset of its expression state's). */
const SCRIPT_TOKEN_CHAR = /[A-Za-z0-9_.$/\\~=+[\]*?\-!^:]/;
/** Characters of a name in lld's expression state: a command word is bounded by anything else. */
const NAME_CHAR = 'A-Za-z0-9_.$';

/** Commands that read or name files other than the run's own inputs, and why each is refused. */
const OUTSIDE_COMMANDS: Record<string, string> = {
  INCLUDE: 'reads another file as part of the script',
  INPUT: 'adds input files (the loop links the corpus objects itself)',
  GROUP: 'adds input files (the loop links the corpus objects itself)',
  AS_NEEDED: 'adds input files (the loop links the corpus objects itself)',
  STARTUP: 'adds an input file (the loop links the corpus objects itself)',
  SEARCH_DIR: 'adds a directory ld.lld searches for files',
  OUTPUT:
    'names the output file, which the loop sets itself (OUTPUT_FORMAT and OUTPUT_ARCH are fine)',
};

const COMMAND_PATTERN = new RegExp(
  `(?<![${NAME_CHAR}])(${Object.keys(OUTSIDE_COMMANDS).join('|')})(?![${NAME_CHAR}])`,
  'gi',
);
/** A `..` path component: `..` not inside a name such as `.data..percpu`. */
const PARENT_PATTERN = new RegExp(`(?<![${NAME_CHAR}])\\.\\.(?![${NAME_CHAR}])`, 'g');
/**
 * An absolute path: `/` starting a word, followed by a name character
 * (`/DISCARD/`, the one legitimate word that starts with `/`, excepted).
 * A leading `=` is ld's sysroot prefix.
 */
const ABSOLUTE_PATTERN = /(?<![A-Za-z0-9_.$/\\~+[\]*?\-!^:])=?\/(?!DISCARD\/)[A-Za-z_.~-]/g;

/**
 * The symbols every link of the loop needs from the script: `_text`, which
 * the table object's pointers are relocated against (kallsyms/program.ts),
 * and the bounds of core and init text that decide which symbols enter the
 * table (kallsyms/select.ts) and which calls are measured (reach/).
 */
export const REQUIRED_SCRIPT_SYMBOLS = [
  '_text',
  '_stext',
  '_etext',
  '_sinittext',
  '_einittext',
] as const;

/** A stretch of the script as lld's lexer sees it. */
interface Piece {
  kind: 'text' | 'quoted' | 'comment';
  /** For `quoted`, without its quotes. */
  text: string;
  /** 1-based line where it starts. */
  line: number;
}

interface Scanned {
  pieces: Piece[];
  problems: string[];
}

/** Splits a script into text, quoted strings and comments, as ld.lld's lexer would. */
function scan(script: string): Scanned {
  const pieces: Piece[] = [];
  const problems: string[] = [];
  let line = 1;
  let textStart = 0;
  let textLine = 1;
  let at = 0;
  const flushText = (end: number) => {
    if (end > textStart)
      pieces.push({ kind: 'text', text: script.slice(textStart, end), line: textLine });
  };
  const advanceTo = (end: number) => {
    for (let k = at; k < end; k++) if (script.charCodeAt(k) === 0x0a) line++;
    at = end;
  };
  while (at < script.length) {
    const c = script[at];
    if (c === '/' && script[at + 1] === '*') {
      // Glued to a word, `/*` is part of that word for one lld and a comment for another.
      const before = at > textStart ? script[at - 1] : '';
      if (before && SCRIPT_TOKEN_CHAR.test(before)) {
        problems.push(
          `line ${line}: a comment starts right after ${quoteInput(wordBefore(script, at, textStart))} ` +
            'with no space between them, which ld.lld versions read differently: put a space before "/*"',
        );
        return { pieces, problems };
      }
      const end = script.indexOf('*/', at + 2);
      if (end < 0) {
        problems.push(`line ${line}: a comment "/*" is never closed: end it with "*/"`);
        return { pieces, problems };
      }
      flushText(at);
      pieces.push({ kind: 'comment', text: script.slice(at, end + 2), line });
      advanceTo(end + 2);
      textStart = at;
      textLine = line;
      continue;
    }
    if (c === '#') {
      const nl = script.indexOf('\n', at);
      const end = nl < 0 ? script.length : nl;
      flushText(at);
      pieces.push({ kind: 'comment', text: script.slice(at, end), line });
      advanceTo(end);
      textStart = at;
      textLine = line;
      continue;
    }
    if (c === '"') {
      const end = script.indexOf('"', at + 1);
      if (end < 0) {
        problems.push(`line ${line}: a quoted string is never closed: end it with '"'`);
        return { pieces, problems };
      }
      flushText(at);
      const startLine = line;
      const text = script.slice(at + 1, end);
      advanceTo(end + 1);
      pieces.push({ kind: 'quoted', text, line: startLine });
      textStart = at;
      textLine = line;
      continue;
    }
    advanceTo(at + 1);
  }
  flushText(at);
  return { pieces, problems };
}

function wordBefore(script: string, at: number, from: number): string {
  let k = at;
  while (k > from && SCRIPT_TOKEN_CHAR.test(script[k - 1]) && at - k < 24) k--;
  return script.slice(k, at + 2);
}

/** Line of `offset` inside a piece that starts at `line`. */
function lineAt(piece: Piece, offset: number): number {
  let line = piece.line;
  for (let k = 0; k < offset; k++) if (piece.text.charCodeAt(k) === 0x0a) line++;
  return line;
}

function pathProblems(piece: Piece, problems: string[]): void {
  for (const m of piece.text.matchAll(ABSOLUTE_PATTERN)) {
    problems.push(
      `line ${lineAt(piece, m.index)}: ${quoteInput(pathAt(piece.text, m.index))} is an absolute path: ` +
        'a scenario may use only the files of its own run',
    );
  }
  for (const m of piece.text.matchAll(PARENT_PATTERN)) {
    problems.push(
      `line ${lineAt(piece, m.index)}: ${quoteInput(pathAt(piece.text, m.index))} leads out of the run's ` +
        'directory (".."): a scenario may use only the files of its own run',
    );
  }
}

function pathAt(text: string, at: number): string {
  let end = at;
  while (end < text.length && !/[\s"(){};,]/.test(text[end])) end++;
  return text.slice(at, end);
}

/**
 * Why a linker script may not be run, as "line N: what is wrong: what to do";
 * empty when it keeps to the run's own inputs. Capped, so a hostile script
 * gives a short list.
 */
export function linkerScriptProblems(script: string, max = 5): string[] {
  const { pieces, problems } = scan(script);
  for (const piece of pieces) {
    if (piece.kind === 'comment') continue;
    if (piece.kind === 'text') {
      for (const m of piece.text.matchAll(COMMAND_PATTERN)) {
        const word = m[1];
        const reason = OUTSIDE_COMMANDS[word.toUpperCase()];
        problems.push(
          `line ${lineAt(piece, m.index)}: ${word} ${reason}; a scenario's script may use only ` +
            `the run's own inputs: remove ${word}`,
        );
      }
    }
    pathProblems(piece, problems);
    if (problems.length > max) break;
  }
  return problems.length > max
    ? [...problems.slice(0, max), `… and ${problems.length - max} more`]
    : problems;
}

/**
 * Which of `names` the script defines by assignment (`name = …`, also in
 * PROVIDE or HIDDEN, or quoted). Comments do not count; a script that cannot
 * be scanned defines nothing.
 */
export function linkerScriptDefines(script: string, names: readonly string[]): Set<string> {
  const { pieces, problems } = scan(script);
  const defined = new Set<string>();
  if (problems.length) return defined;
  // Comments separate tokens; quoted names are names.
  const visible = pieces
    .map((p) => (p.kind === 'text' ? p.text : p.kind === 'quoted' ? `"${p.text}"` : ' '))
    .join('');
  const alternatives = names.map((n) => n.replace(/[$.]/g, '\\$&')).join('|');
  const pattern = new RegExp(
    `(?:(?<![${NAME_CHAR}"])(${alternatives})(?![${NAME_CHAR}])|"(${alternatives})")\\s*=(?!=)`,
    'g',
  );
  for (const m of visible.matchAll(pattern)) defined.add(m[1] ?? m[2]);
  return defined;
}

/** Why an expression given to ld.lld outside the script (`--defsym`) may not be run. */
export function linkerExpressionProblems(expression: string): string[] {
  return linkerScriptProblems(expression, 2).map((p) => p.replace(/^line \d+: /, ''));
}
