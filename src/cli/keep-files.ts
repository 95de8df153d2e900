/**
 * `--keep-files DIR`: every file of a run, written beside the corpus objects
 * so that ld.lld can be re-run there by hand. The directory is checked, and
 * every subdirectory the corpus needs made, before the first link; each file
 * is written under a temporary name and renamed into place, so none is ever
 * half-written; and when anything fails, what this run made is removed and
 * the run stops with one line saying which path and why.
 *
 * Directories are made one level at a time: `mkdir -p` (recursive mkdir)
 * under /proc never settles in Node.
 */
import { lstat, mkdir, open, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join, parse, resolve, sep } from 'node:path';
import { UsageError } from './exit-codes.ts';

const REASONS: Record<string, string> = {
  ENOTDIR: 'is a file, not a directory',
  EEXIST: 'is a file, not a directory',
  EACCES: 'is not writable (permission denied)',
  EPERM: 'is not writable (operation not permitted)',
  EROFS: 'is on a read-only file system',
  ENOENT: 'cannot be created there',
  ENOSPC: 'is on a full disk',
  EISDIR: 'is a directory where the run writes a file of that name',
  ENAMETOOLONG: 'is too long a path',
  ELOOP: 'has too many symbolic links',
};

function refused(path: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const why = REASONS[code] ?? `cannot be used (${code || (error as Error).message})`;
  return new UsageError(`--keep-files: ${path} ${why}: give a directory you can write to.`);
}

export class KeptFiles {
  /** Directories this run created, parents first. */
  private readonly madeDirs: string[] = [];
  /** Files this run created (not ones it replaced). */
  private readonly madeFiles = new Set<string>();
  private readonly writes: Array<Promise<void>> = [];
  private failure: UsageError | null = null;
  private readonly controller = new AbortController();
  /** Aborted when a write fails: the run stops at its next step. */
  readonly signal = this.controller.signal;

  private constructor(readonly dir: string) {}

  /** Checks (and makes) DIR before any link: an empty name, a file, an unwritable place are refused. */
  static async prepare(dir: string): Promise<KeptFiles> {
    if (dir.trim() === '')
      throw new UsageError('--keep-files needs a directory: --keep-files DIR (made if missing).');
    const kept = new KeptFiles(resolve(dir));
    try {
      await kept.makeDirectory(kept.dir);
      await kept.probeWritable();
    } catch (error) {
      await kept.abandon();
      throw error instanceof UsageError ? error : refused(kept.dir, error);
    }
    return kept;
  }

  /** Makes the subdirectories these files need (the corpus objects' folders), before any link. */
  async prepareFor(names: Iterable<string>): Promise<void> {
    const dirs = new Set<string>();
    for (const name of names) {
      const path = this.pathOf(name);
      if (dirname(path) !== this.dir) dirs.add(dirname(path));
    }
    try {
      for (const dir of [...dirs].sort()) await this.makeDirectory(dir);
    } catch (error) {
      await this.abandon();
      throw error;
    }
  }

  /** Starts writing one file; a failure stops the run (see `signal`) and is reported by `finish`. */
  write(name: string, bytes: Uint8Array | string): void {
    if (this.failure) return;
    const write = Promise.resolve()
      .then(() => this.writeFile(this.pathOf(name), bytes))
      .catch((error) => {
        if (!this.failure) {
          this.failure = error instanceof UsageError ? error : refused(join(this.dir, name), error);
          this.controller.abort(this.failure);
        }
      });
    this.writes.push(write);
  }

  /** Waits for every write; on a failure removes what this run made and throws its UsageError. */
  async finish(): Promise<void> {
    await Promise.all(this.writes);
    if (this.failure) {
      await this.abandon();
      throw this.failure;
    }
  }

  /** Removes the files and directories this run made (a directory only if it is empty again). */
  async abandon(): Promise<void> {
    await Promise.all(this.writes);
    for (const file of this.madeFiles) await unlink(file).catch(() => {});
    this.madeFiles.clear();
    for (const dir of this.madeDirs.reverse()) await rmdir(dir).catch(() => {});
    this.madeDirs.length = 0;
  }

  private pathOf(name: string): string {
    const path = resolve(this.dir, name);
    if (!path.startsWith(this.dir + sep))
      throw new Error(`artifact name ${name} leaves the directory`);
    return path;
  }

  /** mkdir, one level at a time from the nearest existing ancestor; an existing file is refused. */
  private async makeDirectory(path: string): Promise<void> {
    const missing: string[] = [];
    let at = path;
    for (;;) {
      let info;
      try {
        info = await stat(at);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTDIR') throw refused(await firstFileOnPath(at), { code });
        if (code !== 'ENOENT') throw refused(at, error);
        missing.push(at);
        if (at === parse(at).root) throw refused(path, error);
        at = dirname(at);
        continue;
      }
      if (!info.isDirectory()) throw refused(at, { code: 'ENOTDIR' });
      break;
    }
    for (const dir of missing.reverse()) {
      try {
        await mkdir(dir);
      } catch (error) {
        throw refused(dir, error);
      }
      this.madeDirs.push(dir);
    }
  }

  /** Creates and removes a file in DIR: the only test of "writable" that holds for root and for /proc. */
  private async probeWritable(): Promise<void> {
    const probe = join(this.dir, `.kallsyms-lab-probe-${process.pid}`);
    try {
      const handle = await open(probe, 'wx');
      await handle.close();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new UsageError(
        `--keep-files: ${this.dir} is not writable (${code}): give a directory you can write to.`,
      );
    }
    await unlink(probe);
  }

  private async writeFile(path: string, bytes: Uint8Array | string): Promise<void> {
    const existed = await lstat(path).then(
      (info) => {
        if (info.isDirectory()) throw refused(path, { code: 'EISDIR' });
        return true;
      },
      () => false,
    );
    const temporary = `${path}.kallsyms-lab-${process.pid}.part`;
    try {
      const handle = await open(temporary, 'wx');
      try {
        await handle.writeFile(bytes);
      } finally {
        await handle.close();
      }
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => {});
      throw error;
    }
    if (!existed) this.madeFiles.add(path);
  }
}

/** The first component of `path` that exists and is not a directory (for "under a file"). */
async function firstFileOnPath(path: string): Promise<string> {
  const parts = path.split(sep);
  for (let k = 2; k <= parts.length; k++) {
    const at = parts.slice(0, k).join(sep) || sep;
    const info = await stat(at).catch(() => null);
    if (info && !info.isDirectory()) return at;
  }
  return path;
}
