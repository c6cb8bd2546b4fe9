/**
 * The socket-owner source resolver (docs/stores/postgres-patroni.md §5.2): tells who opened a loopback
 * connection by the process that holds the other end. For an accepted connection it finds the peer socket's
 * inode in `/proc/net/tcp` and `/proc/net/tcp6`, the process holding `socket:[inode]` among its
 * `/proc/<pid>/fd`, then walks the parent chain to the first process whose environment names a node
 * (`FAULTLINE_NODE=<node>`, set by the local backend at spawn next to the run tag `FAULTLINE_RUN_ID`).
 *
 * Only **candidate** processes have their descriptors read: those whose own environment, or their nearest
 * ancestor's that names a node, carries the run's id. Each process's parsed `stat` and environment are cached
 * by pid and invalidated when its start time or command name changes (pid reuse, exec). A process the proxy
 * may not read (another user's) is no candidate. Nothing here throws: every failure is an `unknown` answer
 * with a reason, and every answer comes within the resolver's time bound.
 */
import { readFile, readdir, readlink } from "node:fs/promises";
import { endianness } from "node:os";
import {
  findPeerSocket,
  parseEnviron,
  parseProcNetTcp,
  parseProcStat,
  socketInode,
  type Endianness,
} from "./proc-parse.js";

/** The environment variable that names a process's node (the local backend sets it at spawn). */
export const DEFAULT_NODE_ENV_KEY = "FAULTLINE_NODE";
/** The environment variable that carries the run id (`core/backends/local/run-tag.ts`). */
export const RUN_ID_ENV_KEY = "FAULTLINE_RUN_ID";
/** The default bound on one resolution, in ms. */
export const DEFAULT_OWNER_TIMEOUT_MS = 1_000;
/** Parent links followed at most (a cycle in a stale cache must not loop). */
const MAX_ANCESTORS = 64;

/** The few `/proc` reads the resolver makes; each answers `undefined` when the path cannot be read. */
export interface ProcSource {
  readFile(path: string): Promise<string | undefined>;
  readDir(path: string): Promise<string[] | undefined>;
  readLink(path: string): Promise<string | undefined>;
  /** Byte order of the address words in `/proc/net/tcp`. */
  readonly endianness: Endianness;
}

/** The real `/proc` of this machine. */
export const realProc: ProcSource = {
  readFile: (path) => readFile(path, "latin1").catch(() => undefined),
  readDir: (path) => readdir(path).catch(() => undefined),
  readLink: (path) => readlink(path).catch(() => undefined),
  endianness: endianness(),
};

/** Options of an {@link OwnerResolver}. */
export interface OwnerResolverOptions {
  /** Only processes tagged with this run id are candidates; every process naming a node when omitted. */
  runId?: string;
  /** The variable naming the node (default `FAULTLINE_NODE`). */
  envKey?: string;
  /** The bound on one resolution in ms (default 1,000); past it the answer is `unknown`. */
  timeoutMs?: number;
  /** Where `/proc` is read from (tests pass a fake). */
  proc?: ProcSource;
}

/** The two ends of an accepted connection, as the proxy's socket sees them. */
export interface AcceptedEnds {
  remoteAddress: string;
  remotePort: number;
  localAddress: string;
  localPort: number;
}

/** Why a connection's owner could not be named. */
export type OwnerUnknownReason =
  | "no-socket" // the peer socket is not in /proc/net/tcp(6): it closed first, or is in another namespace
  | "no-owner" // no candidate process holds it (not the run's, another user's, or it exited)
  | "timeout"
  | "error";

/** The answer for one connection. */
export type OwnerResolution =
  | {
      readonly node: string;
      /** The process holding the peer socket. */
      readonly pid: number;
      /** The process (that one or an ancestor) whose environment named the node. */
      readonly nodePid: number;
      /** How long the lookup took, in ms. */
      readonly ms: number;
    }
  | { readonly node: undefined; readonly reason: OwnerUnknownReason; readonly ms: number };

/** What the resolver keeps per pid. */
interface ProcInfo {
  startTime: string;
  comm: string;
  ppid: number;
  /** The node its environment names (`undefined`: none, or unreadable). */
  node: string | undefined;
  /** The run id its environment carries. */
  runId: string | undefined;
}

/** A node named by a process or its nearest ancestor that names one. */
interface NodeTag {
  node: string;
  nodePid: number;
}

/** Resolves accepted loopback connections to the node of the process at the other end. */
export class OwnerResolver {
  readonly runId: string | undefined;
  readonly envKey: string;
  readonly timeoutMs: number;
  private readonly proc: ProcSource;
  private readonly cache = new Map<number, ProcInfo>();
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;
  private queuedFull = false;
  /** pid → when it last held a resolved connection's socket (a counter), to read likely holders first. */
  private readonly recent = new Map<number, number>();
  private hits = 0;

  constructor(options: OwnerResolverOptions = {}) {
    this.runId = options.runId;
    this.envKey = options.envKey ?? DEFAULT_NODE_ENV_KEY;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_OWNER_TIMEOUT_MS;
    this.proc = options.proc ?? realProc;
  }

  /**
   * The node of the process at the other end of `ends`, or `undefined` with a reason. Never rejects; answers
   * within {@link OwnerResolver.timeoutMs}.
   */
  async resolve(ends: AcceptedEnds): Promise<OwnerResolution> {
    const t0 = performance.now();
    const ms = (): number => Math.round((performance.now() - t0) * 1000) / 1000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<OwnerResolution>((resolve) => {
      timer = setTimeout(() => resolve({ node: undefined, reason: "timeout", ms: ms() }), this.timeoutMs);
    });
    const lookup = this.lookup(ends).then(
      (found): OwnerResolution =>
        "reason" in found ? { node: undefined, reason: found.reason, ms: ms() } : { ...found, ms: ms() },
      (): OwnerResolution => ({ node: undefined, reason: "error", ms: ms() }),
    );
    try {
      return await Promise.race([lookup, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Reads every process's `stat` and environment now, so the first lookups find the cache filled (the
   * server calls it when the resolver is switched on). Never rejects.
   */
  async warm(): Promise<void> {
    await this.refresh(false).catch(() => undefined);
  }

  private async lookup(
    ends: AcceptedEnds,
  ): Promise<{ node: string; pid: number; nodePid: number } | { reason: OwnerUnknownReason }> {
    const inode = await this.peerInode(ends);
    if (inode === undefined) return { reason: "no-socket" };
    // A process that held a connection before usually holds this one: try the cached candidates first.
    const scanned = new Set<number>();
    if (this.cache.size > 0) {
      const known = await this.findHolder(inode, scanned);
      if (known && (await this.stillSame(known.pid, known.tag.nodePid))) return known.result;
    }
    // Then list /proc again, reading only the processes not seen before (the holder may be new), and
    // search the candidates not searched yet.
    await this.refresh(false);
    const found = await this.findHolder(inode, scanned);
    if (found && (await this.stillSame(found.pid, found.tag.nodePid))) return found.result;
    // Not found, or its cached ancestry is stale: a pid may have been reused by a process of the run since
    // the cache saw it. Re-read every process's stat (environments of changed ones) and look once more.
    await this.refresh(true);
    const again = await this.findHolder(inode, new Set());
    return again ? again.result : { reason: "no-owner" };
  }

  /** The inode of the peer socket: `/proc/net/tcp` first, `/proc/net/tcp6` only when not found there. */
  private async peerInode(ends: AcceptedEnds): Promise<number | undefined> {
    for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
      const text = await this.proc.readFile(file);
      const peer = findPeerSocket(parseProcNetTcp(text ?? "", this.proc.endianness), ends);
      if (peer) return peer.inode;
    }
    return undefined;
  }

  /**
   * The candidate process holding `socket:[inode]`, its node, and the lookup's answer. Candidates are read
   * one at a time, those that held a resolved connection most recently first (a node that connected once
   * tends to connect again from the same process), stopping at the first holder. Skips the pids in
   * `scanned` and adds those it reads.
   */
  private async findHolder(
    inode: number,
    scanned: Set<number>,
  ): Promise<
    { pid: number; tag: NodeTag; result: { node: string; pid: number; nodePid: number } } | undefined
  > {
    const candidates: { pid: number; tag: NodeTag }[] = [];
    for (const pid of this.cache.keys()) {
      const tag = this.nodeOf(pid);
      if (tag) candidates.push({ pid, tag });
    }
    const rank = (pid: number): number => this.recent.get(pid) ?? 0;
    candidates.sort((x, y) => rank(y.pid) - rank(x.pid));
    const target = inode;
    for (const c of candidates) {
      if (scanned.has(c.pid)) continue;
      scanned.add(c.pid);
      const fds = await this.proc.readDir(`/proc/${c.pid}/fd`);
      if (!fds) continue;
      const links = await Promise.all(fds.map((fd) => this.proc.readLink(`/proc/${c.pid}/fd/${fd}`)));
      if (links.some((l) => l !== undefined && socketInode(l) === target)) {
        this.recent.set(c.pid, ++this.hits);
        return { ...c, result: { node: c.tag.node, pid: c.pid, nodePid: c.tag.nodePid } };
      }
    }
    return undefined;
  }

  /** Whether `pid` and every process up to `nodePid` are still the ones the cache describes. */
  private async stillSame(pid: number, nodePid: number): Promise<boolean> {
    let p = pid;
    for (let i = 0; i < MAX_ANCESTORS; i++) {
      const info = this.cache.get(p);
      const text = await this.proc.readFile(`/proc/${p}/stat`);
      const stat = text === undefined ? undefined : parseProcStat(text);
      if (!info || !stat || stat.startTime !== info.startTime || stat.comm !== info.comm) return false;
      if (stat.ppid !== info.ppid && p !== nodePid) return false;
      if (p === nodePid) return true;
      p = info.ppid;
    }
    return false;
  }

  /** The node `pid` belongs to: its own or its nearest node-naming ancestor's, if that is of this run. */
  private nodeOf(pid: number): NodeTag | undefined {
    let p = pid;
    for (let i = 0; i < MAX_ANCESTORS && p > 0; i++) {
      const info = this.cache.get(p);
      if (!info) return undefined;
      if (info.node !== undefined) {
        if (this.runId !== undefined && info.runId !== this.runId) return undefined;
        return { node: info.node, nodePid: p };
      }
      p = info.ppid;
    }
    return undefined;
  }

  /**
   * Lists `/proc` again: forgets processes gone, reads new ones (`stat` and environment), and with `full`
   * re-reads every known process's `stat` too (its environment again when its start time or command name
   * changed: pid reuse, exec). Callers share a refresh that started after they asked.
   */
  private refresh(full: boolean): Promise<void> {
    if (!this.running) {
      this.running = this.readAll(full).finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    // A refresh already running may have listed /proc before this caller's process existed: queue one more.
    if (full) this.queuedFull = true;
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      const f = this.queuedFull;
      this.queuedFull = false;
      return this.refresh(f);
    });
    return this.queued;
  }

  private async readAll(full: boolean): Promise<void> {
    const names = (await this.proc.readDir("/proc")) ?? [];
    const pids = names.filter((n) => /^\d+$/.test(n)).map(Number);
    const live = new Set(pids);
    for (const pid of this.cache.keys()) {
      if (!live.has(pid)) {
        this.cache.delete(pid);
        this.recent.delete(pid);
      }
    }
    await Promise.all(pids.filter((pid) => full || !this.cache.has(pid)).map((pid) => this.readOne(pid)));
  }
  private async readOne(pid: number): Promise<void> {
    const text = await this.proc.readFile(`/proc/${pid}/stat`);
    const stat = text === undefined ? undefined : parseProcStat(text);
    if (!stat) {
      this.cache.delete(pid);
      return;
    }
    const known = this.cache.get(pid);
    if (known && known.startTime === stat.startTime && known.comm === stat.comm) {
      known.ppid = stat.ppid;
      return;
    }
    const environ = await this.proc.readFile(`/proc/${pid}/environ`);
    const env = environ === undefined ? undefined : parseEnviron(environ);
    const node = env?.get(this.envKey);
    this.cache.set(pid, {
      startTime: stat.startTime,
      comm: stat.comm,
      ppid: stat.ppid,
      node: node === "" ? undefined : node,
      runId: env?.get(RUN_ID_ENV_KEY),
    });
  }
}
