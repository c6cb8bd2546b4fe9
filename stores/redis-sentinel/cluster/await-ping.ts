import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pollUntil } from "../../../core/clock/index.js";
import { FaultlineError, isFaultlineError } from "../../../core/errors/index.js";
import { errText } from "./err-text.js";
import type { AdminConnections } from "./admin-connections.js";
import type { NodeBackend } from "./node-backend.js";

/** How many of a log's last lines a start failure quotes. */
const TAIL_LINES = 12;

/**
 * Waits until `node` answers PING on the harness's direct connection. Throws a `NODE_START_FAILED` error naming
 * the node as soon as it exits (its exit code or signal and the last lines of its logs, without waiting out the
 * timeout), or when it stays silent for `timeoutMs`. When its log says its port was taken (another process bound
 * it between the harness choosing it and the node binding it), the error's `details.portInUse` is true: see
 * {@link lostPortRace}.
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
  const dir = backend.nodes.find((n) => n.name === node)?.dir ?? "?";
  let exited: string | undefined;
  const { value, lastError } = await pollUntil(
    async () => {
      exited = backend.exitReason(node);
      // `true` ends the poll at once; the exit is reported below.
      if (exited !== undefined) return true;
      return (await admin.command(node, "PING")) === "PONG" ? true : undefined;
    },
    { timeoutMs: Math.max(0, timeoutMs), intervalMs: 20 },
  );
  if (exited !== undefined) {
    const tail = logTail(dir);
    const portInUse = /address already in use/i.test(tail);
    throw new FaultlineError(
      "NODE_START_FAILED",
      `${exited} while starting${portInUse ? " (its port was taken by another process)" : ""}; ` +
        `the last lines of its logs:\n${tail || "(its logs are empty)"}`,
      { details: { node, dir, exit: exited, portInUse }, hint: `see ${dir}/*.log` },
    );
  }
  if (value) return;
  throw new FaultlineError(
    "NODE_START_FAILED",
    `${node} did not answer PING within ${timeoutMs} ms: ${errText(lastError)}`,
    { details: { node, dir, portInUse: false }, hint: `see ${dir}/*.log` },
  );
}

/**
 * Whether a start failed because a port the harness chose was taken before the node (or the proxy) bound it:
 * ports are checked free and released before the servers bind them, so another process can win that race. A
 * start that lost it may be tried again with fresh ports.
 */
export function lostPortRace(err: unknown): boolean {
  if (!isFaultlineError(err)) return false;
  if (err.code === "NODE_START_FAILED") return (err.details as { portInUse?: boolean }).portInUse === true;
  return err.code === "PROXY_PORT_IN_USE" || /address already in use/i.test(err.message);
}

/** The last lines of every non-empty `*.log` in `dir`, each under its file name. */
function logTail(dir: string): string {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".log"));
  } catch {
    return "";
  }
  return files
    .sort()
    .flatMap((f) => {
      let text: string;
      try {
        text = readFileSync(join(dir, f), "utf8").trimEnd();
      } catch {
        return [];
      }
      if (text === "") return [];
      return [`--- ${join(dir, f)}\n${text.split("\n").slice(-TAIL_LINES).join("\n")}`];
    })
    .join("\n");
}
