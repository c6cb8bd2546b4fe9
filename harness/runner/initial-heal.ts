import type { StartedCluster } from "../../core/cluster/index.js";
import type { HistoryWriter } from "../../core/history/index.js";
import { faultResidue, healCluster, notHealedError, type HealReport } from "../../nemesis/heal/index.js";

/**
 * Heals everything and verifies the healed state, recorded as one nemesis op `f` (`initial-heal` before the first
 * client op, `final-heal` before the final reads): everything is undone (`healCluster`: every link fault removed,
 * every node resumed, every skewed node restarted without its clock shim, every node that is down started), then
 * checked (`faultResidue`). What is left, or a heal that throws, stops the run with a `NOT_HEALED` error naming it,
 * recorded as the op's `info` completion; otherwise the op completes `ok` with what was done and `verified: true`.
 * A history's phases are read from these two ops (`checkers/history`'s `finalPhaseOf`).
 */
export async function healAndVerify(
  cluster: StartedCluster,
  history: HistoryWriter,
  f: "initial-heal" | "final-heal",
): Promise<HealReport> {
  history.append({ process: "nemesis", type: "invoke", f, value: null });
  let healed: HealReport = { restarted: [], unskewed: [] };
  let residue: string[];
  try {
    healed = await healCluster(cluster);
    residue = await faultResidue(cluster);
  } catch (err) {
    residue = [`the heal failed: ${err instanceof Error ? err.message : String(err)}`];
  }
  if (residue.length > 0) {
    history.append({
      process: "nemesis",
      type: "info",
      f,
      value: { ...healed, residue },
      error: `not healed: ${residue.join("; ")}`,
    });
    throw notHealedError(residue, f === "initial-heal" ? "at start" : "before the final reads");
  }
  const links = f === "final-heal" ? { links: "all healed" } : {};
  history.append({ process: "nemesis", type: "ok", f, value: { ...links, ...healed, verified: true } });
  return healed;
}

/**
 * Heals everything before the first operation (issue 6 §5: a fault some earlier run left in a shared proxy, a
 * node still stopped) and verifies the healthy state, recorded as the nemesis op `initial-heal`.
 */
export async function healAtStart(cluster: StartedCluster, history: HistoryWriter): Promise<void> {
  await healAndVerify(cluster, history, "initial-heal");
}
