import { pollUntil } from "../../../core/clock/index.js";
import { FaultlineError } from "../../../core/errors/index.js";
import { errText } from "./err-text.js";
import type { AdminConnections } from "./admin-connections.js";
import type { NodeBackend } from "./node-backend.js";

/**
 * Waits until `node` answers PING on the harness's direct connection; throws a `NODE_START_FAILED` error naming
 * the node and its logs if it exits first or stays silent for `timeoutMs`.
 *
 * @example
 * await backend.start("n1");
 * await awaitPing(admin, backend, "n1", 10_000);
 */
export async function awaitPing(
  admin: AdminConnections,
  backend: Pick<NodeBackend, "exitReason" | "nodes">,
  node: string,
  timeoutMs: number,
): Promise<void> {
  const { value, lastError } = await pollUntil(
    async () => {
      const exited = backend.exitReason(node);
      if (exited !== undefined) throw new Error(exited);
      return (await admin.command(node, "PING")) === "PONG" ? true : undefined;
    },
    { timeoutMs: Math.max(0, timeoutMs), intervalMs: 20 },
  );
  if (value) return;
  const dir = backend.nodes.find((n) => n.name === node)?.dir ?? "?";
  throw new FaultlineError(
    "NODE_START_FAILED",
    `${node} did not answer PING within ${timeoutMs} ms: ${errText(lastError)}`,
    { details: { node, dir }, hint: `see ${dir}/*.log` },
  );
}
