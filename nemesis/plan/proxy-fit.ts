import { InputError } from "../../core/errors/index.js";
import { describeWindow, type FaultWindow, type Schedule } from "../schedule/index.js";

/**
 * Why a window cannot run against a plain Toxiproxy (one proxy per destination, no source awareness, spec §2.6
 * Design A), or `undefined` when it can: process faults need no proxy, `partition-leader` is the leader's
 * inbound proxy plus the clients' own listeners, and link faults work on client links only.
 */
export function perDestinationProblem(window: FaultWindow): string | undefined {
  switch (window.fault) {
    case "kill":
    case "pause":
    case "clock":
      return undefined;
    case "partition":
      return window.params.kind === "partition-leader"
        ? undefined
        : `${window.params.kind} cuts links between servers one by one`;
    case "latency":
    case "link": {
      const t = window.target;
      const clientLink =
        t === "client-leader" || t === "client-nodes" || t === "client-managers" || t.startsWith("c");
      return clientLink ? undefined : `${t} links start at servers, which share one proxy per destination`;
    }
  }
}

/**
 * Refuses (InputError, exit 254) a schedule with windows a plain Toxiproxy cannot express, listing each with the
 * reason, before anything starts. `hint` replaces the default advice (which is about `--toxiproxy-url`).
 */
export function assertFitsPerDestination(schedule: Schedule, url: string, hint?: string): void {
  const bad = schedule.windows.flatMap((w) => {
    const why = perDestinationProblem(w);
    return why === undefined ? [] : [`${describeWindow(w)} — ${why}`];
  });
  if (bad.length === 0) return;
  throw new InputError(
    "FAULT_NEEDS_LINK_RULES",
    `the proxy at ${url} is a plain Toxiproxy, which has one proxy per destination and cannot tell senders apart, so it cannot run ${bad.length === 1 ? "this fault" : "these faults"}:\n  ${bad.join("\n  ")}`,
    {
      details: { url, windows: bad },
      hint:
        hint ??
        "with --toxiproxy-url use process faults (kill, pause, clock), partition-leader, or link faults on client links; leave out --toxiproxy-url to use faultline's source-aware proxy for the rest",
    },
  );
}
