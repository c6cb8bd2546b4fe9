import type Docker from "dockerode";
import { LABELS } from "./labels.js";

/**
 * Follows the engine's `die` events of one run's containers and calls `onDeath` with the node's name (the
 * caller checks the container's state: a `die` of a kill it made itself is expected). Resolves once the event
 * stream is open, with a function that closes it.
 */
export async function watchContainerDeaths(
  docker: Docker,
  runId: string,
  onDeath: (node: string) => void | Promise<void>,
): Promise<() => void> {
  const stream = (await docker.getEvents({
    filters: { type: ["container"], event: ["die"], label: [`${LABELS.run}=${runId}`] },
  })) as NodeJS.ReadableStream & { destroy?: () => void };
  let pending = "";
  stream.on("data", (chunk: Buffer | string) => {
    pending += chunk.toString();
    let nl: number;
    while ((nl = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      try {
        const e = JSON.parse(line) as { Actor?: { Attributes?: Record<string, string> } };
        const node = e.Actor?.Attributes?.[LABELS.node];
        if (node) void Promise.resolve(onDeath(node)).catch(() => undefined);
      } catch {
        // not a whole event; the engine writes one JSON object per line
      }
    }
  });
  // The stream ends when the engine goes away; a run then fails on its next API call, with that error.
  stream.on("error", () => undefined);
  return () => stream.destroy?.();
}
