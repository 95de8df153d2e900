/**
 * What the generated kernel is made of: subsystems in the kernel's link
 * order (head, init, arch, kernel, mm, fs, …, drivers, net, lib), each with
 * its directory, file stems and the prefixes its function names use, and
 * the words those names are built from.
 */

export interface Subsystem {
  /** Directory of its objects, e.g. "fs/ext4". */
  dir: string;
  /** File names (without .o) its objects take first. */
  stems: readonly string[];
  /** Prefixes of its function names, e.g. "ext4". */
  prefixes: readonly string[];
  /** Relative share of the corpus's functions. */
  share: number;
  /** Relative number of __init functions per function (registration code, boot setup). */
  init: number;
  /** Relative chance that one of its functions is called from some other subsystem's __init code. */
  called: number;
}

const s = (
  dir: string,
  stems: string,
  prefixes: string,
  share: number,
  init: number,
  called: number,
): Subsystem => ({
  dir,
  stems: stems.split(' '),
  prefixes: prefixes.split(' '),
  share,
  init,
  called,
});

/** Link order, as the kernel's Makefile gives it (core-y, drivers-y, net-y, libs-y). */
export const SUBSYSTEMS: readonly Subsystem[] = [
  s(
    'init',
    'main do_mounts initramfs calibrate version',
    'init kernel mount_root initramfs calibrate',
    0.4,
    6,
    1,
  ),
  s(
    'arch/powerpc/kernel',
    'setup_64 setup-common irq time traps process signal_64 smp prom rtas pci-common iommu',
    'ppc ppc64 rtas prom smp_ppc irq_ppc ppc_md',
    2,
    5,
    2,
  ),
  s(
    'arch/powerpc/mm',
    'pgtable init_64 hash_utils mem fault slice numa tlb_hash64',
    'hash_page radix slb htab ppc_mm numa_ppc',
    1.2,
    5,
    2,
  ),
  s(
    'arch/powerpc/platforms/pseries',
    'setup lpar iommu hotplug-cpu ras pci_dlpar',
    'pseries plpar lpar hvc_vio',
    0.8,
    6,
    1,
  ),
  s('arch/powerpc/sysdev', 'xics xive mpic msi dart', 'xics xive mpic ppc_msi', 0.4, 5, 1),
  s(
    'kernel/sched',
    'core fair rt deadline idle topology wait completion cputime loadavg',
    'sched task_rq pick_next update_curr cfs_rq rt_rq dl_rq',
    2.2,
    1.5,
    3,
  ),
  s(
    'kernel',
    'fork exit panic params softirq cpu kthread workqueue signal sys umh notifier resource sysctl pid',
    'do kthread workqueue signal sys cpuhp pid notifier resource sysctl',
    3.2,
    2,
    3,
  ),
  s(
    'kernel/irq',
    'manage chip irqdesc irqdomain handle proc spurious',
    'irq irq_domain generic_handle irq_chip',
    1,
    2,
    3,
  ),
  s(
    'kernel/time',
    'timer hrtimer clocksource clockevents tick-sched timekeeping ntp posix-timers',
    'timer hrtimer clocksource clockevents tick timekeeping ktime',
    1.3,
    2,
    3,
  ),
  s('kernel/rcu', 'tree srcutree update tasks', 'rcu srcu call_rcu rcu_node', 0.8, 1.5, 2),
  s(
    'kernel/locking',
    'mutex rwsem spinlock lockdep qspinlock rtmutex',
    'mutex rwsem spin_lock lockdep rt_mutex',
    0.8,
    1,
    3,
  ),
  s('kernel/printk', 'printk printk_ringbuffer', 'printk vprintk console log_buf', 0.4, 2, 2),
  s(
    'kernel/trace',
    'trace ftrace trace_events ring_buffer trace_output',
    'trace ftrace ring_buffer trace_event',
    2,
    3,
    1,
  ),
  s(
    'kernel/bpf',
    'syscall verifier core helpers btf hashtab',
    'bpf btf bpf_map bpf_prog',
    1.6,
    2,
    1,
  ),
  s('kernel/cgroup', 'cgroup cpuset rstat freezer', 'cgroup css cpuset', 0.8, 2, 1),
  s(
    'mm',
    'page_alloc slub vmalloc memory mmap filemap vmscan percpu memblock swap rmap compaction huge_memory memcontrol shmem',
    'kmem_cache page folio vma zone memblock pcpu mem_cgroup lruvec shmem',
    4.2,
    2,
    3,
  ),
  s(
    'fs',
    'namei open read_write dcache inode super exec file_table namespace buffer splice xattr',
    'vfs d inode file dentry mnt sb generic_file',
    3,
    1.5,
    2,
  ),
  s('fs/proc', 'base generic proc_sysctl task_mmu', 'proc proc_sys', 0.6, 2, 1),
  s(
    'fs/ext4',
    'inode super extents namei balloc ialloc mballoc xattr dir',
    'ext4 ext4_ext ext4_mb jbd2',
    2.4,
    1,
    1,
  ),
  s(
    'fs/xfs',
    'xfs_inode xfs_buf xfs_log xfs_super xfs_bmap xfs_trans',
    'xfs xfs_buf xfs_trans xfs_bmap',
    2.4,
    1,
    1,
  ),
  s(
    'fs/btrfs',
    'ctree inode extent-tree disk-io volumes transaction',
    'btrfs btrfs_tree btrfs_extent',
    2.6,
    1,
    1,
  ),
  s('fs/nfs', 'inode super client dir write read nfs4proc', 'nfs nfs4 nfs_page', 1.4, 1, 1),
  s('ipc', 'msg sem shm util mqueue', 'ipc msg sem shm mq', 0.3, 2, 1),
  s('security', 'security commoncap lsm_audit', 'security cap lsm', 0.4, 3, 1),
  s('security/selinux', 'hooks avc ss/services ss/policydb', 'selinux avc sidtab', 1, 2, 1),
  s(
    'crypto',
    'api algapi skcipher aead sha256_generic aes_generic testmgr',
    'crypto skcipher aead shash sha256 aes',
    1.2,
    3,
    1,
  ),
  s(
    'block',
    'blk-core blk-mq bio genhd elevator blk-settings partitions/core',
    'blk blk_mq bio disk elv',
    1.4,
    2,
    2,
  ),
  s('io_uring', 'io_uring rw poll net sqpoll', 'io_uring io_ring io_sq', 0.6, 1, 1),
  s(
    'drivers/base',
    'core bus dd driver class platform firmware power/main',
    'device driver bus class platform_device devres',
    1.2,
    2,
    3,
  ),
  s(
    'drivers/pci',
    'probe pci bus msi/msi setup-bus quirks hotplug/pciehp_core',
    'pci pcie pci_bus pcibios',
    1.4,
    3,
    2,
  ),
  s(
    'drivers/tty',
    'tty_io n_tty tty_port serial/8250/8250_core serial/serial_core vt/vt',
    'tty n_tty uart serial8250 vt',
    1.2,
    2,
    1,
  ),
  s(
    'drivers/char',
    'mem random misc hw_random/core tpm/tpm-chip',
    'misc random rng tpm',
    0.6,
    2,
    1,
  ),
  s('drivers/block', 'loop nbd virtio_blk zram/zram_drv', 'loop nbd virtblk zram', 0.6, 1, 1),
  s('drivers/scsi', 'scsi scsi_lib scsi_error sd sg hosts', 'scsi scsi_host sd sg', 1.4, 2, 1),
  s('drivers/nvme/host', 'core pci fabrics multipath', 'nvme nvme_ctrl nvme_ns', 0.8, 1, 1),
  s(
    'drivers/net',
    'loopback virtio_net tun veth bonding/bond_main phy/phy_device',
    'netdev virtnet tun veth bond phy',
    1.6,
    1,
    1,
  ),
  s(
    'drivers/net/ethernet/intel',
    'e1000e/netdev igb/igb_main ixgbe/ixgbe_main i40e/i40e_main ice/ice_main',
    'e1000e igb ixgbe i40e ice',
    3,
    0.5,
    0.5,
  ),
  s(
    'drivers/net/ethernet/mellanox/mlx5/core',
    'main eq cmd en_main en_rx en_tx fs_core',
    'mlx5 mlx5e mlx5_core',
    2.4,
    0.5,
    0.5,
  ),
  s(
    'drivers/gpu/drm',
    'drm_drv drm_gem drm_atomic drm_crtc drm_edid drm_fb_helper drm_mode_config',
    'drm drm_gem drm_atomic drm_crtc drm_edid',
    2.6,
    1,
    1,
  ),
  s(
    'drivers/gpu/drm/amd/amdgpu',
    'amdgpu_device amdgpu_ring amdgpu_vm amdgpu_gem gfx_v9_0',
    'amdgpu gfx_v9 amdgpu_vm amdgpu_ring',
    4,
    0.5,
    0.3,
  ),
  s(
    'drivers/usb',
    'core/hcd core/hub core/message host/xhci host/ehci-hcd storage/usb',
    'usb xhci ehci hub usb_hcd',
    2,
    1.5,
    1,
  ),
  s(
    'drivers/input',
    'input evdev keyboard/atkbd mouse/psmouse-base',
    'input evdev atkbd psmouse',
    0.6,
    2,
    1,
  ),
  s('drivers/md', 'md dm dm-table raid1 raid5', 'md dm raid1 raid5', 1, 1.5, 1),
  s(
    'drivers/virtio',
    'virtio virtio_ring virtio_pci_common virtio_balloon',
    'virtio vring vp',
    0.5,
    2,
    1,
  ),
  s('drivers/of', 'base fdt address irq platform', 'of of_fdt of_irq', 0.6, 4, 2),
  s('sound/core', 'init pcm pcm_native control timer', 'snd snd_pcm snd_ctl', 1.2, 1.5, 1),
  s(
    'net/core',
    'dev skbuff sock filter rtnetlink neighbour dst flow_dissector',
    'netif dev skb sk sock rtnl neigh',
    2.6,
    2,
    2,
  ),
  s(
    'net/ipv4',
    'tcp tcp_input tcp_output tcp_ipv4 udp ip_output ip_input route arp af_inet',
    'tcp udp ip inet arp fib',
    2.8,
    2,
    1,
  ),
  s(
    'net/ipv6',
    'tcp_ipv6 udp ip6_output route addrconf ndisc',
    'tcp_v6 udpv6 ip6 inet6 addrconf ndisc',
    1.6,
    2,
    1,
  ),
  s(
    'net/netfilter',
    'core nf_conntrack_core nf_tables_api x_tables',
    'nf nf_conntrack nft xt',
    1.6,
    2,
    1,
  ),
  s('net/sunrpc', 'clnt svc xprt sched auth', 'rpc svc xprt rpcauth', 0.8, 2, 1),
  s('net/wireless', 'core nl80211 scan reg', 'cfg80211 nl80211 regulatory', 1, 1.5, 1),
  s(
    'lib',
    'string bitmap find_bit idr radix-tree rbtree sort list_sort kstrtox hexdump crc32 xarray vsprintf scatterlist iov_iter',
    'bitmap idr radix_tree rb xa strn kstrto crc32 sg iov_iter list',
    2.4,
    1.5,
    4,
  ),
  s('lib/zstd', 'compress decompress common', 'zstd ZSTD', 0.5, 0.5, 1),
  s(
    'arch/powerpc/lib',
    'copypage_64 memcpy_64 string_64 code-patching feature-fixups',
    'copy_page memcpy_power7 patch_instruction do_feature_fixups',
    0.3,
    3,
    3,
  ),
];

/** The head object: `.head.text` with the entry point, linked first as the kernel's head_64.o is. */
export const HEAD_OBJECT = 'arch/powerpc/kernel/head_64.o';
export const HEAD_FUNCTIONS = [
  'start_here',
  '__start',
  '__start_initialization_multiplatform',
  'generic_secondary_smp_init',
  'start_here_multiplatform',
  'start_here_common',
  '__secondary_hold',
  'enable_64b_mode',
] as const;

export const VERBS: readonly string[] = (
  'alloc free get put lookup find insert remove update flush sync map unmap lock unlock ' +
  'register unregister attach detach prepare commit queue dequeue wake wait scan walk copy ' +
  'clear set test account reclaim migrate resize validate release grab start stop enable ' +
  'disable create destroy read write open close handle process submit complete reset probe ' +
  'show store parse check add del'
).split(' ');

export const NOUNS: readonly string[] = (
  'page pages folio zone node task entity group queue entry inode dentry mount buffer range ' +
  'region slab object cache table irq timer clock event work worker thread cpu mask state ' +
  'device driver bus port block request sector bit word string ctx ops info stats config ' +
  'attr desc ring skb sock conn packet route key policy map list tree extent segment handle ' +
  'channel link vector domain resource child parent fence plane crtc'
).split(' ');

export const QUALIFIERS: readonly string[] = (
  'locked nolock rcu atomic fast slow common one many range irqsave percpu node early late ' +
  'deferred pending cached zeroed safe noprof internal all bulk v2'
).split(' ');
