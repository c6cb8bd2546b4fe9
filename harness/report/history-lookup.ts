import type { History, Op } from "../../checkers/history/index.js";

/** Finds a history entry by its `index` (direct when `history[i].index === i`, as in every recorded history). */
export function historyLookup(history: History): (index: number) => Op | undefined {
  const direct = history.every((op, i) => op.index === i);
  if (direct) return (i) => history[i];
  const map = new Map(history.map((op) => [op.index, op]));
  return (i) => map.get(i);
}

/**
 * The completion of the client op invoked at `invokeIndex`: the next entry of the same process (a client
 * process has one op in flight). Returns `undefined` when it never completed.
 */
export function completionOf(
  history: History,
  lookup: (i: number) => Op | undefined,
  invokeIndex: number,
): Op | undefined {
  const inv = lookup(invokeIndex);
  if (!inv || typeof inv.process !== "number") return undefined;
  const start = history.indexOf(inv);
  for (let i = start + 1; i < history.length; i++) {
    const op = history[i]!;
    if (op.process === inv.process) return op.type === "invoke" ? undefined : op;
  }
  return undefined;
}
