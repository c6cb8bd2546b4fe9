import {
  canAddLinkToxics,
  hasProcessParts,
  isKillable,
  isProcessInspectable,
  type StartedCluster,
} from "../../core/cluster/index.js";
import { FaultlineError } from "../../core/errors/index.js";
import { isClockShim } from "../clock/index.js";

/**
 * Every fault still in effect, in words — empty when the cluster is in its healthy state: no link fault in the
 * proxy (link toxics, proxy toxics, disabled proxies), no node or part of a node (its failover agent) down, no
 * node stopped (SIGSTOP) or exited, and no node
 * running under a clock shim or libfaketime. Checks what the cluster's abilities let it see.
 *
 * @example
 * await faultResidue(cluster); // ["n2 (pid 4242) is stopped (SIGSTOP)", "link toxic cut3_upstream_n2_n1 (…)"]
 */
export async function faultResidue(cluster: StartedCluster): Promise<string[]> {
  const out: string[] = [];
  if (canAddLinkToxics(cluster)) out.push(...(await cluster.linkFaults()));
  for (const n of cluster.nodes) {
    if (isKillable(cluster) && !cluster.isRunning(n.name)) {
      out.push(`${n.name} is not running`);
      continue;
    }
    if (isKillable(cluster) && hasProcessParts(cluster)) {
      for (const part of cluster.processParts(n.name)) {
        if (!cluster.isRunning(n.name, part)) {
          out.push(`${n.name}'s ${part === "agent" ? "failover agent" : "data process"} is not running`);
        }
      }
    }
    if (!isProcessInspectable(cluster)) continue;
    const seen = cluster.inspect(n.name);
    if (!seen) {
      out.push(`${n.name} has no process`);
      continue;
    }
    if (seen.state === "stopped") out.push(`${n.name} (pid ${seen.pid}) is stopped (SIGSTOP)`);
    if (seen.state === "zombie") out.push(`${n.name} (pid ${seen.pid}) has exited`);
    const shims = seen.preload.filter(isClockShim);
    if (shims.length > 0) {
      out.push(`${n.name} (pid ${seen.pid}) runs with a skewed clock (LD_PRELOAD=${shims.join(":")})`);
    }
  }
  return out;
}

/** The error a residue makes (`NOT_HEALED`), `when` saying which heal it followed ("at start", …). */
export function notHealedError(residue: readonly string[], when: string): FaultlineError {
  return new FaultlineError(
    "NOT_HEALED",
    `the cluster is not back to its healthy state ${when}: ${residue.join("; ")}`,
    {
      details: { residue, when },
      hint: "a fault could not be undone; the history so far is kept (faultline check <run-dir>), the node logs are in nodes/",
    },
  );
}

/** Throws {@link notHealedError} when {@link faultResidue} finds anything. */
export async function assertHealed(cluster: StartedCluster, when: string): Promise<void> {
  const residue = await faultResidue(cluster);
  if (residue.length > 0) throw notHealedError(residue, when);
}
