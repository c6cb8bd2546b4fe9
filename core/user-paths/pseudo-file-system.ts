import { statfsSync } from "node:fs";
import { sep } from "node:path";

/**
 * Kernel file systems a run must never write to or read a store from: they are not storage, and some defeat
 * ordinary file handling (Node's recursive `mkdirSync` under `/proc` loops forever at 100 % CPU, deaf to signals,
 * because `/proc` answers ENOENT to every mkdir). Keyed by `statfs` f_type (linux/magic.h).
 */
const PSEUDO_FS_TYPES = new Map<number, string>([
  [0x9fa0, "proc"],
  [0x62656572, "sysfs"],
  [0x1cd1, "devpts"],
  [0x27e0eb, "cgroup"],
  [0x63677270, "cgroup2"],
  [0x64626720, "debugfs"],
  [0x74726163, "tracefs"],
  [0x73636673, "securityfs"],
  [0x62656570, "configfs"],
  [0xcafe4a11, "bpf"],
  [0x6165676c, "pstore"],
  [0xde5e81e4, "efivarfs"],
  [0x19800202, "mqueue"],
]);

/**
 * Roots refused by path as well, since in a container they may be mounted as something that looks ordinary
 * (`/sys/fs/cgroup` as tmpfs, `/dev` as tmpfs): the kernel's process table, its objects, and the device nodes.
 */
const PSEUDO_ROOTS = ["/proc", "/sys", "/dev"];

/** Ordinary memory-backed storage under a refused root. */
const ALLOWED_UNDER_ROOTS = ["/dev/shm"];

const under = (path: string, root: string): boolean => path === root || path.startsWith(root + sep);

/**
 * Says why `realPath` (an existing path with symbolic links resolved) is not ordinary storage, or `undefined` when
 * it is: it lies under `/proc`, `/sys` or `/dev` (but `/dev/shm` is fine), or on a kernel file system such as
 * proc, sysfs, cgroup or debugfs.
 *
 * @example
 * pseudoFileSystem("/proc/self"); // "/proc is a kernel file system, not storage"
 * pseudoFileSystem("/tmp");       // undefined
 */
export function pseudoFileSystem(realPath: string): string | undefined {
  if (!ALLOWED_UNDER_ROOTS.some((a) => under(realPath, a))) {
    const root = PSEUDO_ROOTS.find((r) => under(realPath, r));
    if (root !== undefined) return `${root} is a kernel file system, not storage`;
  }
  let type: number;
  try {
    type = Number(statfsSync(realPath).type);
  } catch {
    return undefined;
  }
  const name = PSEUDO_FS_TYPES.get(type);
  return name === undefined ? undefined : `it is on a ${name} file system (the kernel's), not storage`;
}
