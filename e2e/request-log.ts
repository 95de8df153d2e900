/**
 * Test-only instrumentation of the preview server (added by the global
 * setup, never by vite.config.ts): it records every request the server
 * answers (status, Content-Encoding, bytes on the wire) so a test can tell
 * what a first visit downloads and that a second visit is served from the
 * browser's HTTP cache, including the worker's own fetches, which the page's
 * network events do not see.
 *
 *   GET    /__e2e/requests     the log since the last reset, as JSON
 *   DELETE /__e2e/requests     clears it
 *   GET    /__e2e/blank.html   an empty page of the site's origin
 *
 * and, for a browser that sends the cookie `e2e-no-toolchain=1`, an empty
 * module instead of the toolchain worker.
 */
import type { Plugin } from 'vite';

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  acceptEncoding: string | null;
  contentEncoding: string | null;
  contentType: string | null;
  cacheControl: string | null;
  /** Body bytes sent (compressed, when compressed). */
  bytes: number;
}

export const REQUEST_LOG_PATH = '/__e2e/requests';
/** Requests with this cookie set to 1 get an empty module for the toolchain worker. */
export const NO_TOOLCHAIN_COOKIE = 'e2e-no-toolchain';
/** An empty page of the site's origin, for tests that drive the app in an iframe. */
export const BLANK_PATH = '/__e2e/blank.html';

export function requestLog(): Plugin {
  let log: LoggedRequest[] = [];
  return {
    name: 'kallsyms-lab:e2e-request-log',
    enforce: 'pre',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '/').split('?')[0];
        // A profile that carries this cookie gets an empty toolchain worker (see fuzz.test.ts):
        // answered here rather than by request interception, which costs a round trip to the
        // test process per document. Never cached, so the real worker is unaffected.
        if (
          /^\/assets\/toolchain-worker-[\w-]+\.js$/.test(path) &&
          (req.headers.cookie ?? '').split(/;\s*/).includes(`${NO_TOOLCHAIN_COOKIE}=1`)
        ) {
          res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
          res.setHeader('Cache-Control', 'no-store');
          res.end('// no toolchain in this profile\n');
          return;
        }
        if (path === BLANK_PATH) {
          res.setHeader('Content-Type', 'text/html; charset=utf-8');
          res.setHeader('Cache-Control', 'no-store');
          res.end('<!doctype html><html lang="en"><title>e2e driver</title><body></body></html>');
          return;
        }
        if (path === REQUEST_LOG_PATH) {
          if (req.method === 'DELETE') log = [];
          res.setHeader('Content-Type', 'application/json');
          res.setHeader('Cache-Control', 'no-store');
          res.end(req.method === 'DELETE' ? '[]' : JSON.stringify(log));
          return;
        }
        let bytes = 0;
        const count = (chunk: unknown, encoding?: unknown) => {
          if (typeof chunk === 'string')
            bytes += Buffer.byteLength(chunk, encoding as BufferEncoding | undefined);
          else if (chunk instanceof Uint8Array) bytes += chunk.length;
        };
        const { write, end } = res;
        res.write = function (this: typeof res, chunk: unknown, ...rest: unknown[]) {
          count(chunk, typeof rest[0] === 'string' ? rest[0] : undefined);
          return (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
        } as typeof res.write;
        res.end = function (this: typeof res, chunk?: unknown, ...rest: unknown[]) {
          if (typeof chunk !== 'function')
            count(chunk, typeof rest[0] === 'string' ? rest[0] : undefined);
          return (end as (...args: unknown[]) => typeof res).call(this, chunk, ...rest);
        } as typeof res.end;
        res.on('finish', () => {
          const header = (name: string) => {
            const value = res.getHeader(name);
            return value === undefined ? null : String(value);
          };
          log.push({
            method: req.method ?? 'GET',
            path: safeDecode(path),
            status: res.statusCode,
            acceptEncoding: req.headers['accept-encoding'] ?? null,
            contentEncoding: header('content-encoding'),
            contentType: header('content-type'),
            cacheControl: header('cache-control'),
            bytes,
          });
        });
        next();
      });
    },
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
