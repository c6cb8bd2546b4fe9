import {
  faultOpName,
  FaultNotApplied,
  parseFaultOp,
  type ActiveFault,
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
  const active = new Map<string, ActiveFault>();

  const stop = async (name: string): Promise<NemesisCompletion> => {
    const a = active.get(name);
    if (!a) return { type: "fail", error: `${name} is not active` };
    try {
      const value = await a.stop();
      active.delete(name);
      return { type: "ok", value };
    } catch (err) {
      return { type: "info", error: errText(err) };
    }
  };

  return {
    fs: faults.flatMap((f) => [faultOpName("start", f.name), faultOpName("stop", f.name)]),
    setup: () => Promise.resolve(),
    async invoke(op: NemesisOp): Promise<NemesisCompletion> {
      const parsed = parseFaultOp(op.f);
      const fault = parsed && byName.get(parsed.fault);
      if (!parsed || !fault) return { type: "fail", error: `unknown nemesis op ${op.f}` };
      if (parsed.phase === "stop") return stop(fault.name);
      if (active.has(fault.name)) return { type: "fail", error: `${fault.name} is already active` };
      try {
        const a = await fault.start(ctx);
        active.set(fault.name, a);
        return { type: "ok", value: a.value };
      } catch (err) {
        return { type: err instanceof FaultNotApplied ? "fail" : "info", error: errText(err) };
      }
    },
    healOps: () => [...active.keys()].reverse().map((name) => ({ f: faultOpName("stop", name) })),
    async teardown() {
      const errors: string[] = [];
      for (const name of [...active.keys()].reverse()) {
        const c = await stop(name);
        if (c.type !== "ok") errors.push(`${name}: ${c.error ?? c.type}`);
      }
      if (errors.length > 0) throw new Error(`could not end every fault: ${errors.join("; ")}`);
    },
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

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
