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
  type ProcessPart,
  type RestartOptions,
  type StartedCluster,
  type StoppedCluster,
} from "./cluster.js";

/** A node, or one part of it, as the contract's messages name it: `n1`, `n1/agent`. */
function label(name: string, part: ProcessPart | undefined): string {
  return part === undefined ? name : `${name}/${part}`;
}

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
      kill(name: string, part?: ProcessPart) {
        node(name, "kill");
        if (!k.isRunning(name, part)) {
          throw new ClusterContractError(`kill(${label(name, part)}): the ${part ?? "node"} is already down`);
        }
        paused.delete(label(name, part));
        return part === undefined ? k.kill(name) : k.kill(name, part);
      },
      restart(name: string, options?: RestartOptions) {
        node(name, "restart");
        if (k.isRunning(name, options?.part)) {
          throw new ClusterContractError(
            `restart(${label(name, options?.part)}): the ${options?.part ?? "node"} is running`,
          );
        }
        return k.restart(name, options);
      },
      isRunning: (name: string, part?: ProcessPart) => k.isRunning(name, part),
    } satisfies Killable);
  }
  if (isPausable(inner)) {
    const p: Pausable = inner;
    Object.assign(wrapper, {
      pause(name: string, part?: ProcessPart) {
        node(name, "pause");
        if (paused.has(label(name, part)))
          throw new ClusterContractError(`pause(${label(name, part)}): already paused`);
        paused.add(label(name, part));
        return part === undefined ? p.pause(name) : p.pause(name, part);
      },
      resume(name: string, part?: ProcessPart) {
        node(name, "resume");
        if (!paused.delete(label(name, part)))
          throw new ClusterContractError(`resume(${label(name, part)}): not paused`);
        return part === undefined ? p.resume(name) : p.resume(name, part);
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
