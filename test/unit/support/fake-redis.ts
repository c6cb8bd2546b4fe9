import {
  CAS_SCRIPT,
  WRITE_VERSION_SCRIPT,
  type RedisSession,
} from "../../../stores/redis-sentinel/index.js"; /**
 * An in-memory stand-in for the few ioredis calls the workloads make (GET, SET, INCRBY, SADD, SMEMBERS, RPUSH,
 * LRANGE, MULTI/EXEC/DISCARD without pipelining, and EVAL of the workloads' own scripts), so each workload's
 * `perform` runs without a cluster. Several connections can share one store; a follower is a second store that
 * copies the leader's only when told to (`catchUp`), to make reads stale on purpose.
 */

/** The data of one node. */
export class FakeStore {
  readonly strings = new Map<string, string>();
  readonly sets = new Map<string, Set<string>>();
  readonly lists = new Map<string, string[]>();

  /** Makes this store a copy of `leader`'s (what a follower has once it caught up). */
  catchUp(leader: FakeStore): void {
    for (const [from, to] of [
      [leader.strings, this.strings],
      [leader.sets, this.sets],
      [leader.lists, this.lists],
    ] as const) {
      (to as Map<string, unknown>).clear();
      for (const [k, v] of from as Map<string, unknown>) {
        (to as Map<string, unknown>).set(k, v instanceof Set ? new Set(v) : Array.isArray(v) ? [...v] : v);
      }
    }
  }
}

type Queued = () => unknown;

/** One connection to a {@link FakeStore}. `status` and `stream` behave as ioredis's for the code under test. */
export class FakeRedis {
  status = "ready";
  stream: object = { remotePort: 1 };
  readonly calls: string[] = [];
  /** Makes the next queued command (inside MULTI) be refused with this error. */
  refuseNextQueued: string | undefined;
  /** Runs just before a queued command's reply resolves (e.g. to simulate a reconnect mid-transaction). */
  onQueued: (() => void) | undefined;
  execReply: "run" | "null" = "run";
  waitAcks = 2;
  #queue: Queued[] | undefined;

  /**
   * `delay` says how many microtask turns each command waits before it runs, so the commands of several
   * connections interleave (deterministically, given a seeded source).
   */
  constructor(
    readonly store: FakeStore,
    private readonly delay: () => number = () => 0,
  ) {}

  async #run<T>(name: string, fn: () => T): Promise<T | "QUEUED"> {
    this.calls.push(name);
    for (let i = this.delay(); i > 0; i--) await Promise.resolve();
    if (this.#queue) {
      if (this.refuseNextQueued) {
        const message = this.refuseNextQueued;
        this.refuseNextQueued = undefined;
        return Promise.reject(new Error(message));
      }
      this.#queue.push(fn);
      this.onQueued?.();
      return Promise.resolve("QUEUED");
    }
    return Promise.resolve(fn());
  }

  get(k: string): Promise<string | null> {
    return this.#run("get", () => this.store.strings.get(k) ?? null) as Promise<string | null>;
  }
  set(k: string, v: string): Promise<"OK"> {
    return this.#run("set", () => (this.store.strings.set(k, v), "OK" as const)) as Promise<"OK">;
  }
  incrby(k: string, d: number): Promise<number> {
    return this.#run("incrby", () => {
      const v = Number(this.store.strings.get(k) ?? 0) + d;
      this.store.strings.set(k, String(v));
      return v;
    }) as Promise<number>;
  }
  sadd(k: string, v: string): Promise<number> {
    return this.#run("sadd", () => {
      const s = this.store.sets.get(k) ?? new Set<string>();
      this.store.sets.set(k, s);
      const had = s.has(v);
      s.add(v);
      return had ? 0 : 1;
    }) as Promise<number>;
  }
  smembers(k: string): Promise<string[]> {
    return this.#run("smembers", () => [...(this.store.sets.get(k) ?? [])]) as Promise<string[]>;
  }
  rpush(k: string, v: string): Promise<number> {
    return this.#run("rpush", () => {
      const l = this.store.lists.get(k) ?? [];
      this.store.lists.set(k, l);
      l.push(v);
      return l.length;
    }) as Promise<number>;
  }
  lrange(k: string, _start: number, _stop: number): Promise<string[]> {
    return this.#run("lrange", () => [...(this.store.lists.get(k) ?? [])]) as Promise<string[]>;
  }
  eval(script: string, _n: number, key: string, ...args: string[]): Promise<number> {
    return this.#run("eval", () => {
      if (script === CAS_SCRIPT) {
        if (this.store.strings.get(key) !== args[0]) return 0;
        this.store.strings.set(key, args[1]!);
        return 1;
      }
      if (script === WRITE_VERSION_SCRIPT) {
        if (Number(args[0]) <= Number(this.store.strings.get(key) ?? 0)) return 0;
        this.store.strings.set(key, args[0]!);
        return 1;
      }
      throw new Error("NOSCRIPT the fake knows only the workloads' scripts");
    }) as Promise<number>;
  }
  multi(_o: { pipeline: false }): Promise<"OK"> {
    this.calls.push("multi");
    this.#queue = [];
    return Promise.resolve("OK");
  }
  discard(): Promise<"OK"> {
    this.calls.push("discard");
    this.#queue = undefined;
    return Promise.resolve("OK");
  }
  exec(): Promise<[Error | null, unknown][] | null> {
    this.calls.push("exec");
    const q = this.#queue ?? [];
    this.#queue = undefined;
    if (this.execReply === "null") return Promise.resolve(null);
    return Promise.resolve(q.map((fn) => [null, fn()] as [null, unknown]));
  }
  wait(_n: number, _ms: number): Promise<number> {
    this.calls.push("wait");
    return Promise.resolve(this.waitAcks);
  }
}

/** A session over fake connections (the follower defaults to a connection to the leader's store). */
export function fakeSession(leader: FakeRedis, follower: FakeRedis = leader): RedisSession {
  return { leader, follower } as unknown as RedisSession;
}
