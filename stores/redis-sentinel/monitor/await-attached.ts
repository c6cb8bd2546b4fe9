import { pollUntil } from "../../../core/clock/index.js";
import type { AdminConnections } from "../cluster/index.js";

/** The client name of the monitor's event subscriptions on each Sentinel (`CLIENT SETNAME`). */
export const MONITOR_CONNECTION_NAME = "faultline-monitor";

/**
 * Resolves once the monitor's event subscription is attached to `node` again (a Sentinel's `CLIENT LIST` shows a
 * `faultline-monitor` client with a pattern subscription), or after `timeoutMs` in any case. A nemesis that
 * restarts a Sentinel waits for this before doing what the Sentinel should report (a clock jump and its
 * `+tilt`), since the subscriber reconnects only after the restart. Data nodes have no such subscriber and
 * resolve at once.
 *
 * @example
 * await monitorAttached(cluster.admin, "s1", { isManager: true });
 */
export async function monitorAttached(
  admin: AdminConnections,
  node: string,
  options: { isManager: boolean; timeoutMs?: number },
): Promise<boolean> {
  if (!options.isManager) return true;
  const { value } = await pollUntil(
    async () => {
      const list = String(await admin.command(node, "CLIENT", "LIST"));
      const attached = list
        .split("\n")
        .some((line) => line.includes(`name=${MONITOR_CONNECTION_NAME} `) && !/\bpsub=0\b/.test(line));
      return attached ? true : undefined;
    },
    { timeoutMs: options.timeoutMs ?? 5_000, intervalMs: 50 },
  );
  return value === true;
}
