import type { Client, Completion } from "../../core/clients/index.js";
import { OpNotApplied, type Invocation, type Workload } from "../../workloads/index.js";
import { perform } from "./data.js";
import { TICK_MS, type SimWorld } from "./sim-cluster.js";

/** Options of {@link simulatedClient}. */
export interface SimulatedClientOptions {
  readonly world: SimWorld;
  /** The client's endpoint name (`c1`…): what link rules name. */
  readonly name: string;
  readonly workload: Workload<any>;
  /** How long the client waits for an answer before it gives up (`info`). */
  readonly opTimeoutMs: number;
}

/**
 * A client of the simulated store, behaving as a real one does: it asks a failover manager it can reach who
 * leads (the leader most of the reachable managers name) and keeps talking to that node until it stops answering
 * or refuses as a follower; follower reads go to the `K`-th follower for client `cK`. An op that cannot be sent
 * (no manager reachable, node down, connection reset, a follower refusing a write) is `fail`; one held by the
 * network or a paused node — in either direction — is `info` after `opTimeoutMs`: it may have been applied.
 *
 * @example
 * const client = simulatedClient({ world, name: "c1", workload: setWorkload(), opTimeoutMs: 500 });
 * await client.open();
 * await client.invoke({ f: "add", key: "s", value: 1 }); // { type: "ok", value: 1, node: "n1" }
 */
export function simulatedClient(o: SimulatedClientOptions): Client {
  const { world, name, workload } = o;
  let leader: string | undefined;
  let open = false;
  // Ops waiting for an answer that will not come: each ends `info` at its timeout, or at once on close.
  const waiting = new Set<() => void>();
  const timeout = (node: string): Promise<Completion> =>
    new Promise((resolve) => {
      const end = (): void => {
        clearTimeout(timer);
        waiting.delete(end);
        resolve({ type: "info", node, error: `timeout: ${node} did not answer within ${o.opTimeoutMs} ms` });
      };
      const timer = setTimeout(end, o.opTimeoutMs);
      waiting.add(end);
    });
  const discover = (): string | undefined => {
    const counts = new Map<string, number>();
    for (const m of world.managers) {
      if (m.answers && world.network.roundTrip(name, m.name))
        counts.set(m.leader, (counts.get(m.leader) ?? 0) + 1);
    }
    let best: [string, number] | undefined;
    for (const e of counts) if (!best || e[1] > best[1]) best = e;
    return best?.[0];
  };
  const followerFor = (lead: string | undefined): string | undefined => {
    const followers = world.nodes.filter((n) => n.name !== lead).map((n) => n.name);
    const k = Number(/(\d+)$/.exec(name)?.[1] ?? 1) - 1;
    return followers[k % followers.length];
  };
  return {
    open() {
      open = true;
      return Promise.resolve();
    },
    async invoke(op: Invocation): Promise<Completion> {
      if (!open) return { type: "fail", error: "client is not open" };
      const toFollower = op.route === "follower" && workload.usesFollowers;
      const target = toFollower ? followerFor(leader ?? discover()) : (leader ??= discover());
      if (target === undefined)
        return { type: "fail", error: "no failover manager reachable: leader unknown" };
      const node = world.node(target)!;
      const forget = (): void => {
        if (!toFollower) leader = undefined;
      };
      const up = world.network.stream(name, target, "upstream");
      const down = world.network.stream(name, target, "downstream");
      if (!node.running || up === "refuse" || down === "refuse") {
        forget();
        return { type: "fail", node: target, error: `connection to ${target} refused` };
      }
      if (up === "blackhole" || node.paused) {
        forget();
        return timeout(target);
      }
      let done: Completion;
      try {
        const performed = perform(workload.name, node.data, op);
        if (performed.mutation && !toFollower && node.role !== "leader") {
          forget();
          done = { type: "fail", error: `READONLY: ${target} is a follower` };
        } else if (!toFollower && node.role !== "leader") {
          forget();
          done = { type: "fail", error: `${target} is not the leader` };
        } else {
          if (performed.mutation) node.write(performed.mutation, world.now());
          done = { type: "ok", value: performed.value };
          if (performed.mutation && world.replication === "sync") {
            done = await untilReplicated(world, target, node.offset, o.opTimeoutMs, done);
          }
        }
      } catch (err) {
        done =
          err instanceof OpNotApplied
            ? err.error === undefined
              ? { type: "fail" }
              : { type: "fail", error: err.error }
            : { type: "fail", error: (err as Error).message };
      }
      if (down !== "flows") {
        forget();
        return timeout(target);
      }
      return { ...done, node: target };
    },
    close() {
      open = false;
      for (const end of [...waiting]) end();
      return Promise.resolve();
    },
  };
}

/**
 * `sync` replication: the leader answers a write only once every follower holds it; past `timeoutMs` the write
 * is `info` (applied on the leader, replicated maybe). Then no acknowledged write is missing from any node, so no
 * failover can lose one. The leader shows the write to readers while it waits (as PostgreSQL's synchronous commit
 * does), so a read may see a write that a failover then loses: `set-full` reports that, `set` does not.
 */
async function untilReplicated(
  world: SimWorld,
  leader: string,
  offset: number,
  timeoutMs: number,
  ok: Completion,
): Promise<Completion> {
  const deadline = world.now() + timeoutMs;
  while (!world.replicatedEverywhere(leader, offset)) {
    if (world.now() >= deadline) {
      return { type: "info", error: `sync: not every follower acknowledged within ${timeoutMs} ms` };
    }
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
  return ok;
}
