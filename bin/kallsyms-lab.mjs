#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so `npx kallsyms-lab` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { guardProcess } = await import('../src/cli/io.ts');
guardProcess(); // EPIPE ends quietly; nothing escapes as a stack trace
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
