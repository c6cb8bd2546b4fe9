import { formatNs } from "../core/outcome-counts.js";
import type { Anomaly } from "../core/result.js";
import type { SplitBrainEpisode } from "./split-brain-result.js";

/** A split-brain episode in words, with every op involved. */
export function explainEpisode(e: SplitBrainEpisode): Anomaly {
  const acked =
    `${e.node} acknowledged ${e.ops.length} write(s) (${opsList(e.ops)}) between ${formatNs(e.from.time)} and ` +
    `${formatNs(e.to.time)}`;
  let explanation: string;
  let ops: number[];
  if (e.pattern === "non-leader-ack") {
    const m = e.monitorReport!;
    explanation =
      `${acked}, invoked after the monitor had reported ${e.otherNode} as leader (op ${m.op} at ` +
      `${formatNs(m.time)}), and was not reported leader itself: two nodes accepted writes as leader at the same ` +
      `time (split brain)`;
    ops = [m.op, ...e.ops];
  } else {
    const y = e.otherAck!;
    const x = e.earlierAck!;
    explanation =
      `${acked}, after ${e.otherNode} had acknowledged a write invoked as op ${y.op} at ${formatNs(y.time)}, which ` +
      `began after ${e.node} had acknowledged op ${x.op} at ${formatNs(x.time)}; the monitor never reported ` +
      `${e.node} becoming leader again: both acted as leader (split brain)`;
    ops = [x.op, y.op, ...e.ops];
  }
  return { kind: "split-brain", explanation, ops, episode: e };
}

function opsList(ops: number[]): string {
  const shown = ops.slice(0, 8).join(", ");
  return ops.length > 8
    ? `ops ${shown} and ${ops.length - 8} more`
    : `op${ops.length > 1 ? "s" : ""} ${shown}`;
}
