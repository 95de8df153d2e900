/**
 * Writes the kernel-like C tree under corpus/src from a fixed seed.
 *
 * The tree is committed; this script exists so that its shape is explicit
 * and can be regenerated (`node --import tsx corpus/generate.ts`). What
 * matters for the link loop, and why the tree looks the way it does:
 *
 * - Link order follows the kernel's (head, init, arch, kernel, mm, fs,
 *   drivers, lib), so lib/ sits at the top of core text, nearest to init text.
 * - kernel/ and mm/ hold medium-sized functions, some of them called from
 *   __init code: a boundary of reach that falls there crosses call targets
 *   sparsely, so stub growth dies out after a few passes.
 * - lib/ holds many tiny helpers (16 bytes apart) with long names, called
 *   from lib's __init self-tests. In its lower part four in five are called:
 *   a boundary there crosses a call target about every 20 bytes, about what
 *   the table grows per stub, so the growth lingers pass after pass (the
 *   case that never converges). In its upper part every helper is called:
 *   the growth feeds itself until every helper has a stub (saturation).
 * - drivers/ and fs/ are large and not called from init code: a boundary
 *   there crosses nothing.
 * - kernel/kallsyms.c reads the kallsyms_* tables through weak references,
 *   as the kernel's lookup does, so a trial link without a table still links.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../src/toolchain/random/mulberry32.ts';

const here = dirname(fileURLToPath(import.meta.url));
const srcRoot = join(here, 'src');

// A seeded PRNG, so the tree never depends on Math.random.
const random = mulberry32(0x6b616c6c); // "kall"
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
const between = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));

type Kind = 'core' | 'tiny' | 'large';

interface FilePlan {
  path: string;
  prefixes: string[];
  /** Global core functions in this file. */
  functions: number;
  kind: Kind;
  /** Chance that a core function of this file is called from some __init function. */
  calledFromInit: number;
  /** __init functions in this file. */
  initFunctions: number;
  /** Static helpers (local symbols, `t` in nm). */
  statics: number;
}

const VERBS = [
  'alloc',
  'free',
  'init',
  'get',
  'put',
  'lookup',
  'insert',
  'remove',
  'update',
  'flush',
  'sync',
  'map',
  'unmap',
  'lock',
  'unlock',
  'register',
  'unregister',
  'attach',
  'detach',
  'prepare',
  'commit',
  'queue',
  'dequeue',
  'wake',
  'wait',
  'scan',
  'walk',
  'copy',
  'clear',
  'set',
  'test',
  'account',
  'reclaim',
  'migrate',
  'resize',
  'validate',
  'release',
  'grab',
];
const NOUNS = [
  'page',
  'pages',
  'folio',
  'zone',
  'node',
  'task',
  'entity',
  'group',
  'queue',
  'entry',
  'inode',
  'dentry',
  'mount',
  'buffer',
  'range',
  'region',
  'slab',
  'object',
  'cache',
  'table',
  'irq',
  'timer',
  'clock',
  'event',
  'work',
  'worker',
  'thread',
  'cpu',
  'mask',
  'state',
  'device',
  'driver',
  'bus',
  'port',
  'block',
  'request',
  'sector',
  'bit',
  'word',
  'string',
];
const QUALIFIERS = [
  'locked',
  'nolock',
  'rcu',
  'atomic',
  'fast',
  'slow',
  'common',
  'one',
  'many',
  'range',
  'irqsave',
  'percpu',
  'node',
  'early',
  'late',
  'deferred',
  'pending',
  'cached',
  'zeroed',
];

const PLAN: FilePlan[] = [
  {
    path: 'arch/powerpc/kernel/head_64.c',
    prefixes: ['early'],
    functions: 6,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 0,
    statics: 0,
  },
  {
    path: 'init/main.c',
    prefixes: ['init', 'kernel'],
    functions: 10,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 14,
    statics: 3,
  },
  {
    path: 'init/calibrate.c',
    prefixes: ['calibrate'],
    functions: 6,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 3,
    statics: 2,
  },
  {
    path: 'init/do_mounts.c',
    prefixes: ['mount_root', 'name_to_dev'],
    functions: 8,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 6,
    statics: 2,
  },
  {
    path: 'init/initramfs.c',
    prefixes: ['initramfs', 'unpack'],
    functions: 8,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 5,
    statics: 3,
  },
  {
    path: 'arch/powerpc/kernel/setup_64.c',
    prefixes: ['ppc64', 'setup'],
    functions: 16,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 10,
    statics: 4,
  },
  {
    path: 'arch/powerpc/kernel/irq.c',
    prefixes: ['ppc_irq', 'arch_irq'],
    functions: 18,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 3,
    statics: 4,
  },
  {
    path: 'arch/powerpc/kernel/time.c',
    prefixes: ['ppc_time', 'decrementer'],
    functions: 16,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 3,
    statics: 3,
  },
  {
    path: 'arch/powerpc/kernel/traps.c',
    prefixes: ['ppc_trap', 'program_check'],
    functions: 20,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 2,
    statics: 4,
  },
  {
    path: 'arch/powerpc/kernel/process.c',
    prefixes: ['ppc_thread', 'switch_to'],
    functions: 18,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 2,
    statics: 3,
  },
  {
    path: 'arch/powerpc/mm/pgtable.c',
    prefixes: ['ppc_pte', 'pgtable'],
    functions: 20,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 3,
    statics: 3,
  },
  {
    path: 'arch/powerpc/mm/hash_utils.c',
    prefixes: ['hash_page', 'htab'],
    functions: 18,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 4,
    statics: 3,
  },
  {
    path: 'kernel/sched/core.c',
    prefixes: ['sched', 'rq'],
    functions: 40,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 4,
    statics: 8,
  },
  {
    path: 'kernel/sched/fair.c',
    prefixes: ['cfs_rq', 'sched_entity'],
    functions: 36,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 2,
    statics: 8,
  },
  {
    path: 'kernel/fork.c',
    prefixes: ['copy_process', 'task_struct'],
    functions: 24,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 3,
    statics: 4,
  },
  {
    path: 'kernel/exit.c',
    prefixes: ['do_exit', 'release_task'],
    functions: 18,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 1,
    statics: 4,
  },
  {
    path: 'kernel/printk/printk.c',
    prefixes: ['printk', 'console'],
    functions: 30,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 4,
    statics: 6,
  },
  {
    path: 'kernel/irq/manage.c',
    prefixes: ['irq_desc', 'irq_thread'],
    functions: 28,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 2,
    statics: 5,
  },
  {
    path: 'kernel/time/timer.c',
    prefixes: ['timer_base', 'hrtimer'],
    functions: 26,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 3,
    statics: 5,
  },
  {
    path: 'kernel/workqueue.c',
    prefixes: ['workqueue', 'pool_workqueue'],
    functions: 30,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 3,
    statics: 6,
  },
  {
    path: 'kernel/kthread.c',
    prefixes: ['kthread'],
    functions: 16,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 1,
    statics: 3,
  },
  {
    path: 'kernel/panic.c',
    prefixes: ['panic', 'oops'],
    functions: 10,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 2,
    statics: 2,
  },
  {
    path: 'kernel/params.c',
    prefixes: ['param', 'kernel_param'],
    functions: 18,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 3,
    statics: 3,
  },
  {
    path: 'kernel/softirq.c',
    prefixes: ['softirq', 'tasklet'],
    functions: 16,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 2,
    statics: 3,
  },
  {
    path: 'kernel/cpu.c',
    prefixes: ['cpuhp', 'cpu_hotplug'],
    functions: 22,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 3,
    statics: 4,
  },
  {
    path: 'kernel/rcu/tree.c',
    prefixes: ['rcu_node', 'rcu_segcblist'],
    functions: 30,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 3,
    statics: 6,
  },
  {
    path: 'kernel/locking/mutex.c',
    prefixes: ['mutex'],
    functions: 14,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 1,
    statics: 3,
  },
  {
    path: 'kernel/module.c',
    prefixes: ['module', 'mod_sysfs'],
    functions: 28,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 2,
    statics: 5,
  },
  {
    path: 'mm/page_alloc.c',
    prefixes: ['zone', 'free_area', 'pageblock'],
    functions: 40,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 6,
    statics: 8,
  },
  {
    path: 'mm/slab.c',
    prefixes: ['kmem_cache', 'slab'],
    functions: 34,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 3,
    statics: 6,
  },
  {
    path: 'mm/vmalloc.c',
    prefixes: ['vmap_area', 'vmalloc'],
    functions: 26,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 2,
    statics: 5,
  },
  {
    path: 'mm/memory.c',
    prefixes: ['handle_mm_fault', 'pte_range'],
    functions: 30,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 1,
    statics: 6,
  },
  {
    path: 'mm/mmap.c',
    prefixes: ['vma_area', 'mmap_region'],
    functions: 24,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 1,
    statics: 4,
  },
  {
    path: 'mm/filemap.c',
    prefixes: ['filemap', 'page_cache'],
    functions: 28,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 1,
    statics: 5,
  },
  {
    path: 'mm/vmscan.c',
    prefixes: ['shrink_node', 'lruvec'],
    functions: 26,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 2,
    statics: 5,
  },
  {
    path: 'mm/percpu.c',
    prefixes: ['pcpu_chunk', 'percpu'],
    functions: 20,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 3,
    statics: 4,
  },
  {
    path: 'mm/memblock.c',
    prefixes: ['memblock'],
    functions: 22,
    kind: 'core',
    calledFromInit: 0.75,
    initFunctions: 6,
    statics: 4,
  },
  {
    path: 'fs/namei.c',
    prefixes: ['path_walk', 'link_path'],
    functions: 30,
    kind: 'large',
    calledFromInit: 0.02,
    initFunctions: 1,
    statics: 6,
  },
  {
    path: 'fs/open.c',
    prefixes: ['do_sys_open', 'vfs_open'],
    functions: 20,
    kind: 'large',
    calledFromInit: 0.02,
    initFunctions: 1,
    statics: 4,
  },
  {
    path: 'fs/read_write.c',
    prefixes: ['vfs_iter', 'rw_verify'],
    functions: 20,
    kind: 'large',
    calledFromInit: 0.02,
    initFunctions: 0,
    statics: 4,
  },
  {
    path: 'fs/dcache.c',
    prefixes: ['d_alloc', 'dentry_lru'],
    functions: 28,
    kind: 'large',
    calledFromInit: 0.02,
    initFunctions: 2,
    statics: 6,
  },
  {
    path: 'fs/inode.c',
    prefixes: ['inode_sb', 'iget'],
    functions: 26,
    kind: 'large',
    calledFromInit: 0.02,
    initFunctions: 1,
    statics: 5,
  },
  {
    path: 'fs/super.c',
    prefixes: ['super_block', 'sget'],
    functions: 20,
    kind: 'large',
    calledFromInit: 0.02,
    initFunctions: 1,
    statics: 4,
  },
  {
    path: 'fs/exec.c',
    prefixes: ['bprm', 'exec_binprm'],
    functions: 18,
    kind: 'large',
    calledFromInit: 0.02,
    initFunctions: 1,
    statics: 4,
  },
  {
    path: 'fs/proc/base.c',
    prefixes: ['proc_pid', 'proc_task'],
    functions: 24,
    kind: 'large',
    calledFromInit: 0.02,
    initFunctions: 1,
    statics: 5,
  },
  {
    path: 'drivers/base/core.c',
    prefixes: ['device_link', 'devres'],
    functions: 30,
    kind: 'large',
    calledFromInit: 0.02,
    initFunctions: 2,
    statics: 6,
  },
  {
    path: 'drivers/base/bus.c',
    prefixes: ['bus_type', 'driver_attach'],
    functions: 20,
    kind: 'large',
    calledFromInit: 0.02,
    initFunctions: 1,
    statics: 4,
  },
  {
    path: 'drivers/char/mem.c',
    prefixes: ['mem_cdev', 'devmem'],
    functions: 14,
    kind: 'large',
    calledFromInit: 0.02,
    initFunctions: 1,
    statics: 3,
  },
  {
    path: 'drivers/tty/tty_io.c',
    prefixes: ['tty_port', 'tty_ldisc'],
    functions: 26,
    kind: 'large',
    calledFromInit: 0.02,
    initFunctions: 1,
    statics: 5,
  },
  {
    path: 'drivers/block/loop.c',
    prefixes: ['loop_device', 'lo_rw'],
    functions: 18,
    kind: 'large',
    calledFromInit: 0.02,
    initFunctions: 1,
    statics: 4,
  },
  {
    path: 'drivers/net/loopback.c',
    prefixes: ['loopback_dev', 'netdev_loop'],
    functions: 12,
    kind: 'large',
    calledFromInit: 0.02,
    initFunctions: 1,
    statics: 3,
  },
  {
    path: 'drivers/pci/probe.c',
    prefixes: ['pci_bus', 'pci_scan'],
    functions: 24,
    kind: 'large',
    calledFromInit: 0.02,
    initFunctions: 2,
    statics: 5,
  },
  {
    path: 'lib/find_bit.c',
    prefixes: ['find_next_bit', 'find_first_zero'],
    functions: 110,
    kind: 'tiny',
    calledFromInit: 0.8,
    initFunctions: 0,
    statics: 0,
  },
  {
    path: 'lib/list_sort.c',
    prefixes: ['list_sort_merge'],
    functions: 70,
    kind: 'tiny',
    calledFromInit: 0.8,
    initFunctions: 0,
    statics: 0,
  },
  {
    path: 'lib/rbtree.c',
    prefixes: ['rb_tree_augmented', 'rb_node_color'],
    functions: 130,
    kind: 'tiny',
    calledFromInit: 0.8,
    initFunctions: 0,
    statics: 0,
  },
  {
    path: 'lib/idr.c',
    prefixes: ['idr_alloc_cyclic', 'ida_bitmap'],
    functions: 110,
    kind: 'tiny',
    calledFromInit: 0.8,
    initFunctions: 0,
    statics: 0,
  },
  {
    path: 'lib/kstrtox.c',
    prefixes: ['kstrtoull_base', 'kstrtoint_range'],
    functions: 110,
    kind: 'tiny',
    calledFromInit: 0.8,
    initFunctions: 0,
    statics: 0,
  },
  {
    path: 'lib/crc32.c',
    prefixes: ['crc32_le_table', 'crc32c_shift'],
    functions: 110,
    kind: 'tiny',
    calledFromInit: 0.8,
    initFunctions: 0,
    statics: 0,
  },
  {
    path: 'lib/string.c',
    prefixes: ['strscpy', 'strnchr'],
    functions: 90,
    kind: 'tiny',
    calledFromInit: 1,
    initFunctions: 0,
    statics: 0,
  },
  {
    path: 'lib/bitmap.c',
    prefixes: ['bitmap_region', 'bitmap_words'],
    functions: 130,
    kind: 'tiny',
    calledFromInit: 1,
    initFunctions: 0,
    statics: 0,
  },
  {
    path: 'lib/radix-tree.c',
    prefixes: ['radix_tree_node_tag', 'radix_tree_iter'],
    functions: 130,
    kind: 'tiny',
    calledFromInit: 1,
    initFunctions: 0,
    statics: 0,
  },
  {
    path: 'lib/hexdump.c',
    prefixes: ['hex_dump_to_buffer', 'hex_byte_pack'],
    functions: 90,
    kind: 'tiny',
    calledFromInit: 1,
    initFunctions: 0,
    statics: 0,
  },
  {
    path: 'lib/sort.c',
    prefixes: ['sort_swap_words', 'sort_cmp_func'],
    functions: 90,
    kind: 'tiny',
    calledFromInit: 1,
    initFunctions: 0,
    statics: 0,
  },
  {
    path: 'lib/test_bitmap.c',
    prefixes: ['test_bitmap'],
    functions: 0,
    kind: 'tiny',
    calledFromInit: 0,
    initFunctions: 50,
    statics: 0,
  },
  {
    path: 'lib/test_string.c',
    prefixes: ['test_string'],
    functions: 0,
    kind: 'tiny',
    calledFromInit: 0,
    initFunctions: 50,
    statics: 0,
  },
];

interface CoreFunction {
  name: string;
  file: string;
  kind: Kind;
  calledFromInit: boolean;
}

function uniqueNames(
  prefixes: string[],
  count: number,
  used: Set<string>,
  long: boolean,
): string[] {
  const names: string[] = [];
  while (names.length < count) {
    const parts = [pick(prefixes), pick(VERBS), pick(NOUNS)];
    if (long || random() < 0.4) parts.push(pick(QUALIFIERS));
    const name = parts.join('_');
    if (used.has(name)) continue;
    used.add(name);
    names.push(name);
  }
  return names;
}

/** A body of `statements` simple arithmetic steps: each costs one or two instructions. */
function arithmeticBody(statements: number): string {
  const lines: string[] = ['\tlong r = a ^ ' + between(1, 4095) + ';'];
  for (let i = 0; i < statements; i++) {
    const op = pick(['r = r * %d + b;', 'r ^= b >> %d;', 'r += (r << %d) - b;', 'b = b * %d + r;']);
    lines.push('\t' + op.replace('%d', String(between(2, 29))));
  }
  lines.push('\treturn r + b;');
  return lines.join('\n');
}

function main(): void {
  rmSync(srcRoot, { recursive: true, force: true });
  const used = new Set<string>(['start_kernel', 'early_setup', 'start_here']);
  const plans = PLAN.map((plan) => ({
    plan,
    core: uniqueNames(plan.prefixes, plan.functions, used, plan.kind === 'tiny').map(
      (name): CoreFunction => ({
        name,
        file: plan.path,
        kind: plan.kind,
        calledFromInit: random() < plan.calledFromInit,
      }),
    ),
  }));
  const allCore = plans.flatMap((p) => p.core);
  const initTargets = allCore.filter((f) => f.calledFromInit && f.kind !== 'tiny');
  const tinyTargets = allCore.filter((f) => f.calledFromInit && f.kind === 'tiny');

  // One header declares every global core function, like the kernel's include/linux/*.h.
  const header = [
    '/* SPDX-License-Identifier: MIT */',
    '/* Declarations shared by the corpus: every global core function. */',
    '#ifndef CORPUS_KERNEL_API_H',
    '#define CORPUS_KERNEL_API_H',
    '#define __init __attribute__((__section__(".init.text"), __cold__, __noinline__))',
    '#define __noinline __attribute__((__noinline__))',
    '#define __weak __attribute__((__weak__))',
    'extern volatile long corpus_sink;',
    ...allCore.map((f) => `long ${f.name}(long a, long b);`),
    '#endif',
    '',
  ].join('\n');
  mkdirSync(join(srcRoot, 'include/linux'), { recursive: true });
  writeFileSync(join(srcRoot, 'include/linux/kernel_api.h'), header);

  let tinyCursor = 0;
  let initCursor = 0;
  const usedInit = new Set<string>();
  for (const { plan, core } of plans) {
    const out: string[] = [
      '// SPDX-License-Identifier: MIT',
      `/* ${plan.path}: generated by corpus/generate.ts */`,
      '#include <linux/kernel_api.h>',
      '',
    ];
    const staticNames = uniqueNames(plan.prefixes, plan.statics, used, false).map((n) => `__${n}`);
    for (const s of staticNames) {
      out.push(
        `static __noinline long ${s}(long a, long b)\n{\n${arithmeticBody(between(3, 10))}\n}\n`,
      );
    }
    let coreIndex = 0;
    for (const f of core) {
      if (f.kind === 'tiny') {
        // Two instructions and a return: with 16-byte function alignment each
        // helper is exactly 16 bytes from the next.
        out.push(
          `__noinline long ${f.name}(long a, long b)\n{\n\treturn a + b * ${between(3, 9)};\n}\n`,
        );
        continue;
      }
      const statements = f.kind === 'large' ? between(20, 60) : between(2, 10);
      // Every static helper is called by some core function of its file (round-robin).
      const helper =
        staticNames.length > 0 ? staticNames[coreIndex++ % staticNames.length] : undefined;
      const body = arithmeticBody(statements).replace(
        '\treturn r + b;',
        helper ? `\tcorpus_sink = ${helper}(a, b);\n\treturn r + b;` : '\treturn r + b;',
      );
      out.push(`__noinline long ${f.name}(long a, long b)\n{\n${body}\n}\n`);
    }
    for (let i = 0; i < plan.initFunctions; i++) {
      const initName = () =>
        `${pick(plan.prefixes)}_${pick(['init', 'setup', 'early_init', 'late_init', 'selftest', 'init_once'])}_${pick(NOUNS)}`;
      let name = initName();
      while (usedInit.has(name) || used.has(name)) name = initName();
      usedInit.add(name);
      const calls: string[] = [];
      if (plan.kind === 'tiny') {
        // lib's self-tests call every helper, each one in turn.
        const share = Math.ceil(
          tinyTargets.length /
            PLAN.filter((p) => p.kind === 'tiny' && p.initFunctions > 0).reduce(
              (n, p) => n + p.initFunctions,
              0,
            ),
        );
        for (let k = 0; k < share && tinyCursor < tinyTargets.length * 2; k++) {
          calls.push(tinyTargets[tinyCursor % tinyTargets.length].name);
          tinyCursor++;
        }
      } else {
        const n = between(6, 14);
        for (let k = 0; k < n; k++) {
          calls.push(initTargets[initCursor % initTargets.length].name);
          initCursor += between(1, 3);
        }
      }
      out.push(
        `int __init ${name}(void)\n{\n\tlong r = ${between(1, 99)};\n${calls.map((c, k) => `\tr = ${c}(r, ${k + 1});`).join('\n')}\n\tcorpus_sink = r;\n\treturn 0;\n}\n`,
      );
    }
    if (plan.path === 'init/main.c') out.push(START_KERNEL);
    if (plan.path === 'arch/powerpc/kernel/head_64.c') out.push(HEAD);
    mkdirSync(dirname(join(srcRoot, plan.path)), { recursive: true });
    writeFileSync(join(srcRoot, plan.path), out.join('\n'));
  }
  writeFileSync(join(srcRoot, 'kernel/kallsyms.c'), KALLSYMS_C);
  writeFileSync(
    join(srcRoot, 'lib/sink.c'),
    '// SPDX-License-Identifier: MIT\n#include <linux/kernel_api.h>\n\nvolatile long corpus_sink;\n',
  );
  const linkOrder = [
    ...PLAN.map((p) => p.path).slice(0, 28),
    'kernel/kallsyms.c',
    ...PLAN.map((p) => p.path).slice(28),
    'lib/sink.c',
  ];
  writeFileSync(join(here, 'link-order.json'), JSON.stringify(linkOrder, null, 2) + '\n');
  const functions = allCore.length + PLAN.reduce((n, p) => n + p.initFunctions + p.statics, 0);
  console.log(
    `wrote ${linkOrder.length} files, ${functions} functions (${tinyTargets.length} tiny helpers called from init, ${initTargets.length} other init call targets)`,
  );
}

const HEAD = `/* The first code of the image, in .head.text as on powerpc. */
__attribute__((__section__(".head.text"), __used__)) void start_here(void)
{
\tcorpus_sink = 0;
}

__attribute__((__section__(".head.text"), __used__)) void early_setup(void)
{
\tcorpus_sink = 1;
}
`;

const START_KERNEL = `/* The entry point of init: calls every subsystem's init in link order. */
int __init start_kernel(void)
{
\tcorpus_sink = 0;
\treturn 0;
}
`;

const KALLSYMS_C = `// SPDX-License-Identifier: MIT
/*
 * kernel/kallsyms.c, reduced: expands a symbol name from the compressed
 * tables and looks a name up. The tables are weak references: the first
 * trial link has no table object and they resolve to 0.
 */
#include <linux/kernel_api.h>

extern const int kallsyms_offsets[] __weak;
extern const unsigned long kallsyms_relative_base __weak;
extern const unsigned int kallsyms_num_syms __weak;
extern const unsigned char kallsyms_names[] __weak;
extern const unsigned int kallsyms_markers[] __weak;
extern const char kallsyms_token_table[] __weak;
extern const unsigned short kallsyms_token_index[] __weak;
extern const unsigned char kallsyms_seqs_of_names[] __weak;

static __noinline unsigned int kallsyms_expand_symbol(unsigned int off, char *result, unsigned long maxlen)
{
\tconst unsigned char *data = &kallsyms_names[off];
\tunsigned int len = *data++;
\tif (len & 0x80) {
\t\tlen = (len & 0x7f) | (*data << 7);
\t\tdata++;
\t}
\toff += len + 1 + (len > 0x7f);
\twhile (len--) {
\t\tconst char *tok = &kallsyms_token_table[kallsyms_token_index[*data++]];
\t\twhile (*tok && maxlen > 1) {
\t\t\t*result++ = *tok++;
\t\t\tmaxlen--;
\t\t}
\t}
\t*result = 0;
\treturn off;
}

static __noinline int kallsyms_name_equal(const char *a, const char *b)
{
\twhile (*a && *a == *b) {
\t\ta++;
\t\tb++;
\t}
\treturn *a == *b;
}

__noinline unsigned long kallsyms_sym_address(int idx)
{
\treturn kallsyms_relative_base + (unsigned int)kallsyms_offsets[idx];
}

__noinline unsigned long kallsyms_lookup_name(const char *name)
{
\tchar namebuf[512];
\tunsigned int off = 0;
\tif (!&kallsyms_num_syms)
\t\treturn 0;
\tfor (unsigned int i = 0; i < kallsyms_num_syms; i++) {
\t\toff = kallsyms_expand_symbol(off, namebuf, sizeof(namebuf));
\t\tif (kallsyms_name_equal(namebuf + 1, name))
\t\t\treturn kallsyms_sym_address(i);
\t}
\treturn 0;
}

__noinline unsigned int kallsyms_marker_for(unsigned int idx)
{
\treturn kallsyms_markers[idx >> 8] + kallsyms_seqs_of_names[0];
}
`;

main();
