import { OpNotApplied, type Invocation, type ListMop } from "../../workloads/index.js";

/**
 * What one data node holds, for every workload at once (each in its own namespace, so workloads never collide):
 * sets of integers, registers, counters, append-only lists and growing versions. Plain maps, so a resync is a
 * `structuredClone`.
 */
export interface SimData {
  readonly sets: Map<string, Set<number>>;
  readonly registers: Map<string, number>;
  readonly counters: Map<string, number>;
  readonly lists: Map<number, number[]>;
  readonly versions: Map<string, number>;
}

/** A change to {@link SimData}, as the leader applies it and its followers replay it from the replication log. */
export type SimMutation =
  | { readonly f: "set-add"; readonly key: string; readonly value: number }
  | { readonly f: "register-set"; readonly key: string; readonly value: number }
  | { readonly f: "counter-add"; readonly key: string; readonly value: number }
  | { readonly f: "version-raise"; readonly key: string; readonly value: number }
  | { readonly f: "list-append"; readonly appends: readonly (readonly [number, number])[] };

/** An empty {@link SimData}. */
export function emptyData(): SimData {
  return {
    sets: new Map(),
    registers: new Map(),
    counters: new Map(),
    lists: new Map(),
    versions: new Map(),
  };
}

/** Applies one mutation in place (deterministic, so a follower replaying the log ends where the leader did). */
export function applyMutation(data: SimData, m: SimMutation): void {
  switch (m.f) {
    case "set-add": {
      const set = data.sets.get(m.key) ?? new Set<number>();
      set.add(m.value);
      data.sets.set(m.key, set);
      return;
    }
    case "register-set":
      data.registers.set(m.key, m.value);
      return;
    case "counter-add":
      data.counters.set(m.key, (data.counters.get(m.key) ?? 0) + m.value);
      return;
    case "version-raise":
      if (m.value > (data.versions.get(m.key) ?? 0)) data.versions.set(m.key, m.value);
      return;
    case "list-append":
      for (const [k, v] of m.appends) data.lists.set(k, [...(data.lists.get(k) ?? []), v]);
      return;
  }
}

/** What performing an op on a node's data gives: the value to answer with, and the mutation to log (if any). */
export interface Performed {
  readonly value: unknown;
  readonly mutation?: SimMutation;
}

/**
 * Performs one workload op against `data` without changing it: the answer, and the mutation a write makes (the
 * node applies and logs it). The answers are those every adapter gives (the contract suite checks them): a
 * set read is sorted, a missing register or version reads `null`, a missing counter `0`; a cas whose compare
 * does not match throws {@link OpNotApplied} without an error (it ran and had no effect).
 */
export function perform(workload: string, data: SimData, op: Invocation): Performed {
  const key = op.key ?? "";
  const unknownOp = (): Error => new Error(`the ${workload} workload has no op "${op.f}"`);
  switch (workload) {
    case "set":
      if (op.f === "add")
        return { value: op.value, mutation: { f: "set-add", key, value: op.value as number } };
      if (op.f === "read") return { value: [...(data.sets.get(key) ?? [])].sort((a, b) => a - b) };
      throw unknownOp();
    case "register":
      if (op.f === "read") return { value: data.registers.get(key) ?? null };
      if (op.f === "write") {
        return { value: op.value, mutation: { f: "register-set", key, value: op.value as number } };
      }
      if (op.f === "cas") {
        const [expected, next] = op.value as [number, number];
        if (data.registers.get(key) !== expected) throw new OpNotApplied();
        return { value: op.value, mutation: { f: "register-set", key, value: next } };
      }
      throw unknownOp();
    case "counter":
      if (op.f === "incr") {
        return { value: op.value, mutation: { f: "counter-add", key, value: op.value as number } };
      }
      if (op.f === "read") return { value: data.counters.get(key) ?? 0 };
      throw unknownOp();
    case "follower-reads":
      if (op.f === "write") {
        return { value: op.value, mutation: { f: "version-raise", key, value: op.value as number } };
      }
      if (op.f === "read") return { value: data.versions.get(key) ?? null };
      throw unknownOp();
    case "list-append":
      if (op.f === "txn") return performTxn(data, op.value as readonly ListMop[]);
      throw unknownOp();
    default:
      throw new Error(`the simulated store has no ops for the ${workload} workload`);
  }
}

/** A transaction of appends and reads, atomically: each read sees the appends before it in the same transaction. */
function performTxn(data: SimData, mops: readonly ListMop[]): Performed {
  const pending = new Map<number, number[]>();
  const appends: (readonly [number, number])[] = [];
  const value = mops.map((mop): ListMop => {
    const k = mop[1];
    const current = pending.get(k) ?? [...(data.lists.get(k) ?? [])];
    if (mop[0] === "append") {
      pending.set(k, [...current, mop[2]]);
      appends.push([k, mop[2]]);
      return mop;
    }
    pending.set(k, current);
    return ["r", k, [...current]];
  });
  return appends.length > 0 ? { value, mutation: { f: "list-append", appends } } : { value };
}

/** The workloads {@link perform} knows. */
export const SIMULATED_WORKLOADS: readonly string[] = [
  "set",
  "register",
  "list-append",
  "counter",
  "follower-reads",
];
