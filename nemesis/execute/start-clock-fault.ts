import { basename, join } from "node:path";
import { isKillable, isProcessInspectable } from "../../core/cluster/index.js";
import { buildClockShim, ClockControl } from "../clock/index.js";
import { FaultNotApplied, type ActiveFault } from "../core/index.js";
import { resolveProcesses, type FaultWindow } from "../schedule/index.js";
import { processFacts } from "./start-process-fault.js";
import { fireContext, type WindowContext } from "./window-context.js";

type ClockWindow = Extract<FaultWindow, { fault: "clock" }>;

/**
 * Starts a clock window: each target process (resolved when it fires) is killed and started again under the
 * clock shim (`nemesis/clock`) — with its wall clock `offset` ms off, or both clocks at `rate`× speed, or, for a
 * `jump`, at real time first and then, once the process answers and whatever watches it is attached again
 * (`ctx.watched`), moved by `offset` ms at once (a failover manager that sees its timer jump may stop acting for a while,
 * spec §2.4). The value records the pids and the skew (a jump happens just before the start completes); the shim's presence in the new
 * process is checked (`/proc/<pid>/environ`) before the fault counts as applied. The stop kills each process
 * again and starts it in the plain environment.
 */
export async function startClockFault(window: ClockWindow, ctx: WindowContext): Promise<ActiveFault> {
  const { cluster } = ctx;
  if (!isKillable(cluster) || !isProcessInspectable(cluster)) {
    throw new FaultNotApplied(
      "this cluster cannot restart a node under a clock shim and check it took effect",
    );
  }
  const fire = await fireContext(window, ctx);
  const named = resolveProcesses(window.target, fire);
  const targets = named.filter((n) => cluster.isRunning(n));
  if (targets.length === 0) {
    throw new FaultNotApplied(
      named.length === 0 ? `no ${window.target} to skew now` : `${named.join(", ")} already down`,
    );
  }
  // Built before anything is touched: without a compiler nothing changes.
  const shim = await (ctx.clockShim ?? (() => buildClockShim()))();
  const p = window.params;
  const skew = {
    offsetMs: p.mode === "offset" ? p.offset : 0,
    rate: p.mode === "rate" ? p.rate : 1,
  };
  const dirs = new Map(cluster.nodes.map((n) => [n.name, n.dir]));
  const skewed: { node: string; pid: number; control: ClockControl }[] = [];
  for (const node of targets) {
    const control = ClockControl.create(join(dirs.get(node)!, "clock.ctl"), skew);
    await cluster.kill(node);
    const { pid } = await cluster.restart(node, { env: control.environment(shim) });
    // By file name: a container sees the shim at its own path (the docker backend copies it into the node's dir).
    const seen = cluster.inspect(node);
    if (!seen?.preload.some((p) => basename(p) === basename(shim))) {
      throw new Error(`${node} (pid ${pid}) was restarted but does not run under the clock shim`);
    }
    skewed.push({ node, pid, control });
  }
  // The jump happens just before the start completes, so the completion's time in the history is when it did.
  if (p.mode === "jump") {
    for (const s of skewed) await (ctx.watched ?? (() => Promise.resolve()))(s.node);
    for (const s of skewed) s.control.setOffset(p.offset);
  }
  const facts = {
    mode: p.mode,
    ...(p.mode === "rate" ? { rate: p.rate } : { offsetMs: p.offset }),
    shim,
  };
  return {
    value: processFacts(skewed, facts),
    async stop() {
      const back = [];
      for (const s of skewed) {
        if (cluster.isRunning(s.node)) await cluster.kill(s.node);
        back.push(await cluster.restart(s.node));
      }
      return processFacts(back, { restored: true });
    },
  };
}
