import type { StartedCluster } from "../cluster/index.js";
import type { HistoryWriter } from "../history/index.js";
import { faultResidue, healCluster, notHealedError } from "../../nemesis/heal/index.js";

/**
 * Heals everything before the first operation (issue 6 §5: a fault some earlier run left in a shared proxy, a
 * node still stopped) and verifies the healthy state, recorded as the nemesis op `initial-heal`. What cannot be
 * undone stops the run (`NOT_HEALED`, naming it).
 */
export async function healAtStart(cluster: StartedCluster, history: HistoryWriter): Promise<void> {
  history.append({ process: "nemesis", type: "invoke", f: "initial-heal", value: null });
  const report = await healCluster(cluster);
  const residue = await faultResidue(cluster);
  if (residue.length > 0) {
    history.append({
      process: "nemesis",
      type: "info",
      f: "initial-heal",
      value: { ...report, residue },
      error: `not healed: ${residue.join("; ")}`,
    });
    throw notHealedError(residue, "at start");
  }
  history.append({ process: "nemesis", type: "ok", f: "initial-heal", value: { ...report, verified: true } });
}
