import { FaultNotApplied, type ActiveFault, type NemesisCompletion } from "./nemesis.js";

/**
 * The faults a nemesis has in effect, by key (a fault's name, a schedule window's id), and the completions of
 * starting and stopping them — one bookkeeping for every nemesis made of faults. A start that throws
 * `FaultNotApplied` completes `fail` (nothing changed); any other throw `info` (it may have done part of it, and
 * only the final heal can undo that). `tag` (e.g. `{ window: "f3" }`) is put at the front of each completion's
 * value, when given.
 */
export interface ActiveFaults<K extends string> {
  has(key: K): boolean;
  /** The active keys, latest started first (the order to undo them in). */
  latestFirst(): K[];
  start(key: K, begin: () => Promise<ActiveFault>, tag?: Record<string, unknown>): Promise<NemesisCompletion>;
  stop(key: K, tag?: Record<string, unknown>): Promise<NemesisCompletion>;
  /** Stops everything still active, latest first; throws naming each fault that could not be ended. */
  stopAll(): Promise<void>;
}

/**
 * @example
 * const active = activeFaults((name: string) => name);
 * await active.start("kill-leader", () => fault.start(ctx)); // { type: "ok", value: { node: "n1", … } }
 */
export function activeFaults<K extends string>(describe: (key: K) => string): ActiveFaults<K> {
  const active = new Map<K, ActiveFault>();
  const tagged = (tag: Record<string, unknown> | undefined, value?: unknown): { value?: unknown } =>
    tag
      ? { value: { ...tag, ...(value as Record<string, unknown> | undefined) } }
      : value === undefined
        ? {}
        : { value };
  const self: ActiveFaults<K> = {
    has: (key) => active.has(key),
    latestFirst: () => [...active.keys()].reverse(),
    async start(key, begin, tag) {
      if (active.has(key)) return { type: "fail", error: `${describe(key)} is already active` };
      try {
        const fault = await begin();
        active.set(key, fault);
        return { type: "ok", ...tagged(tag, fault.value) };
      } catch (err) {
        return {
          type: err instanceof FaultNotApplied ? "fail" : "info",
          ...tagged(tag),
          error: errText(err),
        };
      }
    },
    async stop(key, tag) {
      const fault = active.get(key);
      if (!fault) return { type: "fail", ...tagged(tag), error: `${describe(key)} is not active` };
      try {
        const done = await fault.stop();
        active.delete(key);
        return { type: "ok", ...tagged(tag, done) };
      } catch (err) {
        return { type: "info", ...tagged(tag), error: errText(err) };
      }
    },
    async stopAll() {
      const errors: string[] = [];
      for (const key of self.latestFirst()) {
        const c = await self.stop(key);
        if (c.type !== "ok") errors.push(`${key}: ${c.error ?? c.type}`);
      }
      if (errors.length > 0) throw new Error(`could not end every fault: ${errors.join("; ")}`);
    },
  };
  return self;
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
