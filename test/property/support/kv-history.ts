/**
 * Seeded `kv` histories in the shape of porcupine's kv test data (`kv_c10-ok.jsonl`: `get` / `put` / `append` on
 * string keys, values `"x <client> <seq> y"`, a missing key reads `""`), with many clients: the benchmark family of
 * issue 14 and the tests that check it.
 *
 * A valid history comes from a real linearizable execution: each client runs one op at a time, and every op takes
 * effect atomically on a simulated store at a random instant strictly inside its [invoke, completion] window, so
 * the effect order is a linearization. With `violation`, one `get` near the middle of the history returns its true
 * value minus the token of an `append` that completed before the get was invoked; {@link KvHistory.violation}
 * says which, and why no linearization can explain it.
 */
import type { Op } from "../../../checkers/history/index.js";
import { createRandom } from "../../../core/random/index.js";

/** Settings of {@link generateKvHistory}. */
export interface KvHistoryOptions {
  /** Seed of every random choice. */
  seed: number;
  /** Concurrent clients (porcupine's files: 1, 10, 50). */
  clients: number;
  /** Keys the clients spread their ops over. */
  keys: number;
  /** Ops each client performs (each is two history entries). */
  opsPerClient: number;
  /** Inject one impossible `get` (see the module comment). */
  violation?: boolean;
  /** Where to inject it, as a fraction of the history (default 0.5: the first candidate past the middle). */
  violationAt?: number;
}

/** The injected violation: the `get` and the `append` whose token it lost. */
export interface KvViolation {
  key: string;
  /** History index of the get's `ok` completion (its value is the altered one). */
  getIndex: number;
  /** History index of the lost append's `ok` completion (it precedes the get's invoke). */
  appendIndex: number;
  /** The token the get lost. */
  token: string;
}

/** A generated history. */
export interface KvHistory {
  history: Op[];
  /** Set when a violation was asked for. */
  violation?: KvViolation;
}

interface Rec {
  client: number;
  f: "get" | "put" | "append";
  key: string;
  value: string | null;
  invoke: number;
  complete: number;
  effect: number;
  /** A get's result; for mutations, the key's base put (or -1: none) and the tokens appended on it, after it. */
  result: string;
  /** The op that set the key's base (a put's record number) when this op took effect, -1 for none. */
  base: number;
  invokeIndex: number;
  completeIndex: number;
}

/**
 * Generates a kv history. Deterministic in its options.
 *
 * @example
 * ```ts
 * const { history } = generateKvHistory({ seed: 1, clients: 50, keys: 10, opsPerClient: 40 });
 * ```
 */
export function generateKvHistory(options: KvHistoryOptions): KvHistory {
  const { clients, keys, opsPerClient } = options;
  const rng = createRandom(options.seed);
  // Times are integers; every op's window is at least 4 wide so that its effect lies strictly inside it, and every
  // client waits a little before its next invoke (porcupine's clients issue their next request at once).
  const recs: Rec[] = [];
  for (let c = 0; c < clients; c++) {
    let t = rng.int(1_000);
    for (let s = 0; s < opsPerClient; s++) {
      const r = rng.next();
      const f = r < 0.4 ? "get" : r < 0.5 ? "put" : "append";
      const duration = 4 + rng.int(2_000);
      const invoke = t + 1 + rng.int(200);
      const complete = invoke + duration;
      recs.push({
        client: c,
        f,
        key: String(rng.int(keys)),
        value: f === "get" ? null : `x ${c} ${s} y`,
        invoke,
        complete,
        effect: invoke + 1 + rng.int(duration - 1),
        result: "",
        base: -1,
        invokeIndex: -1,
        completeIndex: -1,
      });
      t = complete;
    }
  }
  // The store: effects in time order (ties by record number; both windows contain the instant).
  const state = new Map<string, string>();
  const baseOf = new Map<string, number>();
  const byEffect = recs.map((_, i) => i).sort((a, b) => recs[a].effect - recs[b].effect || a - b);
  for (const i of byEffect) {
    const r = recs[i];
    const s = state.get(r.key) ?? "";
    r.base = baseOf.get(r.key) ?? -1;
    if (r.f === "get") r.result = s;
    else if (r.f === "put") {
      state.set(r.key, r.value!);
      baseOf.set(r.key, i);
    } else state.set(r.key, s + r.value!);
  }
  // Events in time order, invokes before completions at equal times.
  const events: { time: number; rec: number; complete: boolean }[] = [];
  recs.forEach((r, i) => {
    events.push({ time: r.invoke, rec: i, complete: false });
    events.push({ time: r.complete, rec: i, complete: true });
  });
  events.sort((a, b) => a.time - b.time || Number(a.complete) - Number(b.complete) || a.rec - b.rec);
  const history: Op[] = events.map((ev, index) => {
    const r = recs[ev.rec];
    if (!ev.complete) r.invokeIndex = index;
    else r.completeIndex = index;
    const type = ev.complete ? "ok" : "invoke";
    const value = ev.complete && r.f === "get" ? r.result : r.value;
    return { index, time: ev.time, process: r.client, type, f: r.f, key: r.key, value };
  });
  if (options.violation !== true) return { history };
  const violation = inject(recs, history, options.violationAt ?? 0.5);
  if (violation === undefined)
    throw new Error(`no get to make impossible in this history: ${JSON.stringify(options)}`);
  return { history, violation };
}

/**
 * Makes one get impossible: it loses the token of an append `p` that completed before its invoke, where `p` was
 * applied on a base that no linearization can move after `p` (the key's base put completed before `p` was invoked,
 * or there was no put at all). In any linearization `p` precedes the get, and the get's value must then contain
 * `p`'s token unless a put lies between them; that put would have to be the one the value starts with — the base,
 * which must precede `p` — or, for a value without a put, there is no such put. Tokens are unique, so no other
 * explanation exists.
 */
function inject(recs: Rec[], history: Op[], at: number): KvViolation | undefined {
  const gets = recs
    .filter((r) => r.f === "get" && r.invokeIndex >= at * history.length)
    .sort((a, b) => a.invokeIndex - b.invokeIndex);
  for (const g of gets) {
    for (const p of recs) {
      if (p.f !== "append" || p.key !== g.key || p.completeIndex >= g.invokeIndex) continue;
      if (p.base !== g.base || !g.result.includes(p.value!)) continue;
      if (p.base >= 0 && recs[p.base].completeIndex >= p.invokeIndex) continue;
      history[g.completeIndex].value = g.result.replace(p.value!, "");
      return { key: g.key, getIndex: g.completeIndex, appendIndex: p.completeIndex, token: p.value! };
    }
  }
  return undefined;
}
