/**
 * A brute-force linearizability oracle for small histories, written straight from the definitions (DESIGN.md
 * "Operations and the history" and the model contracts) and independently of the checker: no partitioning, no
 * cache, no pruning, the whole store's state as one map. It tries every order of the ops consistent with real
 * time, and every subset of the ops of unknown outcome.
 */
import type { History, Op } from "../../checkers/history/index.js";

/** The models the oracle knows. */
export type OracleModel = "register" | "cas-register" | "kv" | "set" | "counter";

interface OracleOp {
  key: string;
  f: string;
  args: unknown;
  result: unknown;
  type: "ok" | "fail" | "info";
  /** Must be in the linearization (it returned, or it is a kept observation). */
  must: boolean;
  /** Position of the invoke in the history (real-time order is history order). */
  invoke: number;
  /** Position of the completion; +∞ for info. */
  ret: number;
}

function canon(v: unknown): string {
  return JSON.stringify(v ?? null);
}

/** Pairs ops by process; ops the model ignores (failed writes, unfinished reads) are left out. */
function ops(history: History, model: OracleModel): OracleOp[] {
  const open = new Map<number, Op>();
  const positions = new Map<Op, number>(history.map((op, i) => [op, i]));
  const out: OracleOp[] = [];
  const take = (inv: Op, comp: Op | undefined): void => {
    const at = positions.get(inv)!;
    const type = comp === undefined ? "info" : (comp.type as "ok" | "fail" | "info");
    const observes = inv.f === "read" || inv.f === "get";
    if (observes && type !== "ok") return;
    if (type === "fail" && !(model === "cas-register" && inv.f === "cas" && comp?.error === undefined))
      return;
    out.push({
      key: inv.key ?? "",
      f: inv.f,
      args: inv.value,
      result: type === "ok" ? comp!.value : undefined,
      type,
      must: type !== "info",
      invoke: at,
      ret: type === "info" ? Infinity : positions.get(comp!)!,
    });
  };
  for (const op of history) {
    if (typeof op.process !== "number") continue;
    if (op.type === "invoke") open.set(op.process, op);
    else {
      take(open.get(op.process)!, op);
      open.delete(op.process);
    }
  }
  for (const inv of open.values()) take(inv, undefined);
  return out;
}

function initial(model: OracleModel): unknown {
  return model === "kv" ? "" : model === "set" ? [] : model === "counter" ? 0 : null;
}

/** Applies op to state: the next state, or undefined when the op could not have returned what it did. */
function step(model: OracleModel, s: unknown, op: OracleOp): { next: unknown } | undefined {
  switch (op.f) {
    case "read":
    case "get": {
      if (model === "set") {
        const want = [...new Set((op.result as unknown[]).map(canon))].sort();
        const have = (s as unknown[]).map(canon).sort();
        return canon(want) === canon(have) ? { next: s } : undefined;
      }
      const got = op.result ?? (model === "kv" ? "" : model === "counter" ? 0 : null);
      return canon(got) === canon(s) ? { next: s } : undefined;
    }
    case "write":
    case "put":
      return { next: op.args };
    case "append":
      return { next: (s as string) + (op.args as string) };
    case "cas": {
      const [e, n] = op.args as [unknown, unknown];
      const match = canon(s) === canon(e);
      if (op.type === "ok") return match ? { next: n } : undefined;
      if (op.type === "fail") return match ? undefined : { next: s };
      return { next: match ? n : s };
    }
    case "add":
      if (model === "set") {
        const set = s as unknown[];
        return { next: set.some((x) => canon(x) === canon(op.args)) ? set : [...set, op.args] };
      }
      return { next: (s as number) + (op.args as number) };
    case "incr":
      return { next: (s as number) + (op.args === null || op.args === undefined ? 1 : (op.args as number)) };
    default:
      throw new Error(`oracle: unknown f ${op.f}`);
  }
}

/** True when the history is linearizable under the model (exponential: keep histories small). */
export function oracleLinearizable(history: History, model: OracleModel): boolean {
  const all = ops(history, model);
  const placed = new Array<boolean>(all.length).fill(false);
  const mustLeft = all.filter((o) => o.must).length;
  const state = new Map<string, unknown>();
  const get = (k: string): unknown => (state.has(k) ? state.get(k) : initial(model));

  const dfs = (left: number): boolean => {
    if (left === 0) return true;
    for (let i = 0; i < all.length; i++) {
      if (placed[i]) continue;
      const o = all[i];
      // Real time: every op that must happen and returned strictly before o was invoked comes first.
      let ready = true;
      for (let j = 0; j < all.length; j++) {
        if (!placed[j] && j !== i && all[j].must && all[j].ret < o.invoke) {
          ready = false;
          break;
        }
      }
      if (!ready) continue;
      const before = get(o.key);
      const r = step(model, before, o);
      if (r === undefined) continue;
      const had = state.has(o.key);
      state.set(o.key, r.next);
      placed[i] = true;
      const ok = dfs(left - (o.must ? 1 : 0));
      placed[i] = false;
      if (had) state.set(o.key, before);
      else state.delete(o.key);
      if (ok) return true;
    }
    return false;
  };
  return dfs(mustLeft);
}
