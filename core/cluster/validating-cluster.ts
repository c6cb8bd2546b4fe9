import {
  hasLeader,
  isKillable,
  isPartitionable,
  isPausable,
  type HasLeader,
  type Killable,
  type LinkCutStyle,
  type LinkRule,
  type Partitionable,
  type Pausable,
  type RestartOptions,
  type StartedCluster,
  type StoppedCluster,
} from "./cluster.js";

/** A contract violation found by {@link validatingCluster}. */
export class ClusterContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ClusterContractError";
  }
}

/**
 * Wraps a started cluster and checks how it is used and what it answers (Jepsen's `validate` wrapper): no call
 * after `stop()`, `stop()` idempotent and returning the same result, faults only on nodes that exist, no kill of
 * a node that is down, no restart of a node that is up, no resume without a pause, and a leader that is a data
 * node. Used by tests and by nemesis development; it keeps the wrapped cluster's abilities.
 */
export function validatingCluster<C extends StartedCluster>(inner: C): C {
  let stopped: Promise<StoppedCluster> | undefined;
  const paused = new Set<string>();
  const node = (name: string, op: string): void => {
    if (stopped) throw new ClusterContractError(`${op}(${name}) called after stop()`);
    if (!inner.nodes.some((n) => n.name === name)) {
      throw new ClusterContractError(
        `${op}(${name}): no such node (nodes: ${inner.nodes.map((n) => n.name).join(", ")})`,
      );
    }
  };
  const wrapper: Record<string | symbol, unknown> = {
    stop(): Promise<StoppedCluster> {
      stopped ??= inner.stop();
      return stopped;
    },
    async [Symbol.asyncDispose]() {
      await (wrapper.stop as () => Promise<StoppedCluster>)();
    },
  };
  if (isKillable(inner)) {
    const k: Killable = inner;
    Object.assign(wrapper, {
      kill(name: string) {
        node(name, "kill");
        if (!k.isRunning(name)) throw new ClusterContractError(`kill(${name}): the node is already down`);
        paused.delete(name);
        return k.kill(name);
      },
      restart(name: string, options?: RestartOptions) {
        node(name, "restart");
        if (k.isRunning(name)) throw new ClusterContractError(`restart(${name}): the node is running`);
        return k.restart(name, options);
      },
      isRunning: (name: string) => k.isRunning(name),
    } satisfies Killable);
  }
  if (isPausable(inner)) {
    const p: Pausable = inner;
    Object.assign(wrapper, {
      pause(name: string) {
        node(name, "pause");
        if (paused.has(name)) throw new ClusterContractError(`pause(${name}): already paused`);
        paused.add(name);
        return p.pause(name);
      },
      resume(name: string) {
        node(name, "resume");
        if (!paused.delete(name)) throw new ClusterContractError(`resume(${name}): not paused`);
        return p.resume(name);
      },
    } satisfies Pausable);
  }
  if (hasLeader(inner)) {
    const h: HasLeader = inner;
    const checkLeader = (leader: string | undefined): string | undefined => {
      if (leader !== undefined && !inner.nodes.some((n) => n.name === leader && n.role === "data")) {
        throw new ClusterContractError(`leader() named ${leader}, which is not a data node`);
      }
      return leader;
    };
    Object.assign(wrapper, {
      leader: async () => checkLeader(await h.leader()),
      awaitHealthy: async (ms: number, signal?: AbortSignal) =>
        checkLeader(await h.awaitHealthy(ms, signal))!,
    } satisfies HasLeader);
  }
  if (isPartitionable(inner)) {
    const p: Partitionable = inner;
    const members = new Set([...inner.nodes.map((n) => n.name), ...inner.clients.map((c) => c.name)]);
    Object.assign(wrapper, {
      cutLinks(rules: readonly LinkRule[], options?: { readonly cut?: LinkCutStyle }) {
        if (stopped) throw new ClusterContractError("cutLinks() called after stop()");
        for (const r of rules) {
          for (const end of [r.source, r.destination]) {
            if (!members.has(end)) throw new ClusterContractError(`cutLinks(): unknown endpoint ${end}`);
          }
          if (!inner.nodes.some((n) => n.name === r.destination)) {
            throw new ClusterContractError(
              `cutLinks(): ${r.destination} accepts no connections (not a node)`,
            );
          }
        }
        return p.cutLinks(rules, options);
      },
      heal: () => p.heal(),
    } satisfies Partitionable);
  }
  // Everything not overridden (store-specific extras) is the inner cluster's own, called on the inner object.
  return new Proxy(inner, {
    get(target, prop) {
      if (Object.hasOwn(wrapper, prop)) return wrapper[prop];
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
