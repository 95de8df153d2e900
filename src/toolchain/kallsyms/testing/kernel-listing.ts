/**
 * Test and benchmark support: a deterministic `nm -n` listing shaped like a
 * real powerpc kernel's at any size. Names are built the way kernel names are
 * (subsystem prefix, object, verb; static helpers with compiler suffixes;
 * init functions and initcall stubs; ld.lld's `__long_branch_` stubs; aliases
 * at one address), because the compressor's work depends on how repetitive
 * the names are: random letters would make it look cheaper than it is.
 */
import { mulberry32, pick, randomInt } from './random.ts';

// prettier-ignore
const SUBSYSTEMS = [
  'sched', 'mm', 'ext4', 'btrfs', 'xfs', 'nfs', 'nfsd', 'tcp', 'udp', 'ip6', 'inet', 'netif',
  'skb', 'sock', 'dev', 'pci', 'usb', 'drm', 'amdgpu', 'kvm', 'kvmppc', 'rcu', 'irq', 'cpufreq',
  'acpi', 'of', 'dma', 'blk', 'scsi', 'nvme', 'crypto', 'vfs', 'fsnotify', 'cgroup', 'bpf',
  'perf', 'trace', 'ftrace', 'kprobe', 'mutex', 'rwsem', 'percpu', 'slab', 'kmem', 'folio',
  'swap', 'memcg', 'xhci', 'ehci', 'i2c', 'spi', 'gpio', 'regmap', 'clk', 'pinctrl', 'tty',
  'serial', 'hvc', 'opal', 'pnv', 'pseries', 'eeh', 'iommu', 'vio', 'ibmvscsi', 'virtio',
  'vhost', 'audit', 'selinux', 'apparmor', 'keyring', 'posix', 'hrtimer', 'tick', 'timekeeping',
  'workqueue', 'kthread', 'signal', 'futex', 'pid', 'cred', 'seq', 'proc', 'sysfs', 'kernfs',
  'debugfs', 'devres', 'platform', 'bus', 'driver', 'firmware', 'power', 'pm', 'wakeup',
];
// prettier-ignore
const OBJECTS = [
  'inode', 'page', 'queue', 'buffer', 'request', 'device', 'ops', 'cache', 'entry', 'table',
  'map', 'node', 'list', 'tree', 'lock', 'work', 'timer', 'event', 'context', 'state', 'info',
  'stats', 'config', 'attr', 'irq', 'dma', 'region', 'range', 'block', 'extent', 'super',
  'file', 'dentry', 'mount', 'socket', 'packet', 'frame', 'ring', 'desc', 'port', 'link',
  'slot', 'bio', 'folio', 'vma', 'task', 'group', 'policy', 'key', 'hash', 'bucket',
];
// prettier-ignore
const VERBS = [
  'alloc', 'free', 'init', 'exit', 'get', 'put', 'read', 'write', 'open', 'release', 'lookup',
  'create', 'destroy', 'update', 'handle', 'show', 'store', 'probe', 'remove', 'start', 'stop',
  'reset', 'setup', 'cleanup', 'enable', 'disable', 'add', 'del', 'insert', 'find', 'flush',
  'sync', 'submit', 'complete', 'wait', 'wake', 'check', 'validate', 'parse', 'register',
  'unregister', 'suspend', 'resume', 'map', 'unmap', 'attach', 'detach', 'poll', 'ioctl',
];
// prettier-ignore
const SUFFIXES = ['.constprop.0', '.isra.0', '.part.0', '.cold', '.constprop.1', '.isra.1'];

export interface KernelListingOptions {
  /** About how many symbols the table holds (core and init text, without --all-symbols). */
  textSymbols: number;
  seed?: number;
}

export interface KernelListing {
  /** The `nm -n` listing (64-bit addresses). */
  text: string;
  /** Lines in it. */
  lines: number;
}

/** A deterministic kernel-like listing; see the file comment. */
export function kernelLikeListing(options: KernelListingOptions): KernelListing {
  const random = mulberry32(options.seed ?? 1);
  const out: string[] = [];
  let addr = 0xc000000000000000n;
  const hex = (a: bigint): string => a.toString(16).padStart(16, '0');
  const emit = (type: string, name: string): void => {
    out.push(`${hex(addr)} ${type} ${name}`);
  };
  const step = (): void => {
    addr += BigInt(4 * (1 + randomInt(random, 96)));
  };

  const functions: string[] = [];
  const baseName = (): string => {
    const sub = pick(random, SUBSYSTEMS);
    const r = random();
    if (r < 0.45) return `${sub}_${pick(random, VERBS)}_${pick(random, OBJECTS)}`;
    if (r < 0.75) return `${sub}_${pick(random, OBJECTS)}_${pick(random, VERBS)}`;
    if (r < 0.85) return `__${sub}_${pick(random, VERBS)}`;
    if (r < 0.95)
      return `${sub}_${pick(random, OBJECTS)}_${pick(random, OBJECTS)}_${pick(random, VERBS)}`;
    return `${sub}_${pick(random, VERBS)}${randomInt(random, 64)}`;
  };

  /** A text symbol, and now and then what a kernel has around one. */
  const textSymbol = (init: boolean): number => {
    let name = baseName();
    if (init) name = random() < 0.5 ? `${name}_init` : `__init_${name}`;
    const r = random();
    // Static helpers are local ('t') and often carry a compiler suffix.
    const type = r < 0.55 ? 't' : r < 0.97 ? 'T' : 'W';
    if (type === 't' && random() < 0.25) name += pick(random, SUFFIXES);
    functions.push(name);
    emit(type, name);
    let emitted = 1;
    // Aliases at the same address: syscall wrappers, weak defaults.
    if (random() < 0.06) {
      emit('T', `__se_sys_${name}`);
      emitted++;
    }
    // ld.lld's long-branch stubs for far calls (no kernel filter drops them).
    if (random() < 0.04 && functions.length > 1) {
      step();
      emit('t', `__long_branch_${pick(random, functions)}`);
      emitted++;
    }
    // Local labels and section markers that the filters drop.
    if (random() < 0.02) emit('t', `.L${name}`);
    step();
    return emitted;
  };

  emit('T', '_text');
  emit('T', '_stext');
  const core = Math.round(options.textSymbols * 0.88);
  for (let n = 0; n < core;) n += textSymbol(false);
  emit('T', '_etext');
  step();
  // Read-only data: not in the table without --all-symbols.
  emit('R', '__start___ex_table');
  for (let i = 0; i < options.textSymbols / 10; i++) {
    emit(pick(random, ['r', 'R']), `__func__.${randomInt(random, 100000)}`);
    if (random() < 0.1) emit('R', `__crc_${pick(random, functions)}`);
    step();
  }
  emit('R', '__stop___ex_table');
  addr += 0x200000n;
  emit('T', '_sinittext');
  for (let n = core; n < options.textSymbols;) {
    if (random() < 0.1) {
      emit('t', `__initstub__kmod_${pick(random, SUBSYSTEMS)}__${randomInt(random, 999)}_6_init6`);
      step();
      n++;
    } else n += textSymbol(true);
  }
  emit('T', '_einittext');
  step();
  for (let i = 0; i < options.textSymbols / 8; i++) {
    const sub = pick(random, SUBSYSTEMS);
    emit(
      pick(random, ['d', 'D', 'b', 'B']),
      `${sub}_${pick(random, OBJECTS)}_${pick(random, ['ops', 'lock', 'list', 'key'])}`,
    );
    step();
  }
  return { text: out.join('\n') + '\n', lines: out.length };
}
