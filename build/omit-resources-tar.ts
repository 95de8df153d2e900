/**
 * A worker-bundle plugin that keeps @yowasp/clang's `llvm-resources.tar`
 * (28 MB, and 7 MB more as its .br/.gz copies) out of the site: the page
 * never requests it, because the worker answers the package's request for
 * it with an empty archive (src/worker/toolchain-assets.ts): ld.lld and
 * llvm-nm read none of clang's headers. Its URL stays in the bundle;
 * nothing fetches it.
 */
import type { Plugin } from 'vite';

/** The package's resources tar, by the name Vite gives its asset. */
export const RESOURCES_TAR = /(^|\/)llvm-resources-[\w-]+\.tar$/;

export function omitResourcesTar(): Plugin {
  return {
    name: 'kallsyms-lab:omit-resources-tar',
    apply: 'build',
    generateBundle(_, bundle) {
      for (const name of Object.keys(bundle)) {
        if (RESOURCES_TAR.test(name)) delete bundle[name];
      }
    },
  };
}
