import { activeFaults } from "./active-faults.js";
import {
  faultOpName,
  parseFaultOp,
  type Fault,
  type FaultContext,
  type Nemesis,
  type NemesisCompletion,
  type NemesisOp,
} from "./nemesis.js";

/**
 * A nemesis made of faults: `start-<fault>` applies one, `stop-<fault>` ends it, teardown ends whatever is still
 * active. One instance of each fault at a time.
 *
 * @example
 * const nemesis = faultNemesis([killLeader()], { cluster, clients: ["c1"], random });
 * await nemesis.invoke({ f: "start-kill-leader" }); // { type: "ok", value: { node: "n1", pid: 4242, … } }
 */
export function faultNemesis(faults: readonly Fault[], ctx: FaultContext): Nemesis {
  const byName = new Map(faults.map((f) => [f.name, f]));
  const active = activeFaults((name: string) => name);
  return {
    fs: faults.flatMap((f) => [faultOpName("start", f.name), faultOpName("stop", f.name)]),
    setup: () => Promise.resolve(),
    async invoke(op: NemesisOp): Promise<NemesisCompletion> {
      const parsed = parseFaultOp(op.f);
      const fault = parsed && byName.get(parsed.fault);
      if (!parsed || !fault) return { type: "fail", error: `unknown nemesis op ${op.f}` };
      if (parsed.phase === "stop") return active.stop(fault.name);
      return active.start(fault.name, () => fault.start(ctx));
    },
    healOps: () => active.latestFirst().map((name) => ({ f: faultOpName("stop", name) })),
    teardown: () => active.stopAll(),
  };
}

/** A nemesis that understands nothing and does nothing (Jepsen's `noop`). */
export function noopNemesis(): Nemesis {
  return {
    fs: [],
    setup: () => Promise.resolve(),
    invoke: (op) => Promise.resolve({ type: "fail", error: `the noop nemesis has no op ${op.f}` }),
    healOps: () => [],
    teardown: () => Promise.resolve(),
  };
}
