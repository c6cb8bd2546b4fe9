import type { History, Op } from "../../checkers/history/index.js";

/** Finds a history entry by its `index` (direct when `history[i].index === i`, as in every recorded history). */
export function historyLookup(history: History): (index: number) => Op | undefined {
  const direct = history.every((op, i) => op.index === i);
  if (direct) return (i) => history[i];
  const map = new Map(history.map((op) => [op.index, op]));
  return (i) => map.get(i);
}
