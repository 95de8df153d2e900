/**
 * A preview-server middleware (`npm run preview`) that serves the built site
 * the way a production static host should:
 *
 * - the `.br` or `.gz` sibling written by precompress.ts when the browser
 *   accepts it, with `Content-Encoding`, the original file's `Content-Type`
 *   (`application/wasm` for the toolchain, so it can compile while it
 *   streams), the compressed `Content-Length` and `Vary: Accept-Encoding`;
 * - `Cache-Control: public, max-age=31536000, immutable` for Vite's hashed
 *   files under `assets/` (a new build gives new names), `no-cache` for
 *   everything else (index.html, the corpus under its fixed names), with a
 *   strong ETag per variant so a revalidation costs a 304.
 *
 * Requests it does not own (ranges, methods other than GET/HEAD, missing
 * files) fall through to Vite's own static server.
 */
import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import type { Plugin } from 'vite';
import { ENCODINGS } from './precompress.ts';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
  '.tar': 'application/x-tar',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Encodings the request accepts with a non-zero quality, per RFC 9110 §12.5.3. */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && !(Number(q.slice(2)) > 0)) continue;
    accepted.add(name);
  }
  return accepted;
}

/** Vite names every file it emits under `assets/` with a content hash. */
export function isHashedAsset(pathname: string, assetsDir = 'assets'): boolean {
  return pathname.startsWith(`/${assetsDir}/`) && /-[\w-]{8,}\.[\w.]+$/.test(pathname);
}

async function statFile(path: string): Promise<Stats | null> {
  try {
    const s = await stat(path);
    return s.isFile() ? s : null;
  } catch {
    return null;
  }
}

/**
 * A strong validator from the file's content (not its mtime, which every build changes):
 * after a deploy, index.html and the corpus revalidate to 304 unless they really changed.
 * Memoised by path, size and mtime, so each file is read once.
 */
const contentTags = new Map<string, { key: string; tag: Promise<string> }>();
function contentTag(path: string, stats: Stats): Promise<string> {
  const key = `${stats.size}:${stats.mtimeMs}`;
  const known = contentTags.get(path);
  if (known?.key === key) return known.tag;
  const tag = new Promise<string>((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(hash.digest('base64url').slice(0, 27)));
  });
  contentTags.set(path, { key, tag });
  tag.catch(() => contentTags.delete(path));
  return tag;
}

export interface PrecompressedOptions {
  /** The built site. */
  root: string;
  /** The site's base path (Vite's `base`), e.g. "/". */
  base?: string;
  assetsDir?: string;
}

export function precompressedMiddleware(options: PrecompressedOptions) {
  const root = resolve(options.root);
  const base = (options.base ?? '/').replace(/\/?$/, '/');
  const assetsDir = options.assetsDir ?? 'assets';

  return async function servePrecompressed(
    req: IncomingMessage,
    res: ServerResponse,
    next: (error?: unknown) => void,
  ): Promise<void> {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return next();
      let pathname: string;
      try {
        pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
      } catch {
        return next();
      }
      if (!pathname.startsWith(base) || pathname.includes('\0')) return next();
      pathname = '/' + pathname.slice(base.length);
      if (pathname.endsWith('/')) pathname += 'index.html';

      const file = resolve(join(root, pathname));
      if (!file.startsWith(root + sep)) return next();
      const original = await statFile(file);
      const cacheControl = isHashedAsset(pathname, assetsDir) ? IMMUTABLE : REVALIDATE;
      // Whatever serves it (Vite's own static server for ranges, say), say how to cache it.
      res.setHeader('Cache-Control', cacheControl);
      if (!original || req.headers.range) return next();

      const accepted = acceptedEncodings(req.headers['accept-encoding']);
      let chosen: { path: string; stats: Stats; encoding: string | null } = {
        path: file,
        stats: original,
        encoding: null,
      };
      let hasVariants = false;
      for (const { encoding, suffix } of ENCODINGS) {
        const stats = await statFile(file + suffix);
        if (!stats) continue;
        hasVariants = true;
        if (chosen.encoding === null && accepted.has(encoding)) {
          chosen = { path: file + suffix, stats, encoding };
        }
      }

      // One tag per representation: a cached brotli body must never answer a gzip request.
      const etag = `"${await contentTag(file, original)}${chosen.encoding ? '-' + chosen.encoding : ''}"`;
      res.setHeader('Content-Type', contentType(file));
      res.setHeader('ETag', etag);
      res.setHeader('Last-Modified', original.mtime.toUTCString());
      if (hasVariants) res.setHeader('Vary', 'Accept-Encoding');
      if (chosen.encoding) res.setHeader('Content-Encoding', chosen.encoding);

      const ifNoneMatch = req.headers['if-none-match'];
      if (
        ifNoneMatch &&
        ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)
      ) {
        res.statusCode = 304;
        res.end();
        return;
      }
      res.setHeader('Content-Length', chosen.stats.size);
      res.statusCode = 200;
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const stream = createReadStream(chosen.path);
      stream.on('error', (error) => (res.headersSent ? res.destroy(error) : next(error)));
      stream.pipe(res);
    } catch (error) {
      next(error);
    }
  };
}

/** The Vite plugin: installs the middleware in front of `vite preview`'s static server. */
export function servePrecompressed(): Plugin {
  return {
    name: 'kallsyms-lab:serve-precompressed',
    configurePreviewServer(server) {
      const { config } = server;
      server.middlewares.use(
        precompressedMiddleware({
          root: resolve(config.root, config.build.outDir),
          base: config.base,
          assetsDir: config.build.assetsDir,
        }),
      );
    },
  };
}
