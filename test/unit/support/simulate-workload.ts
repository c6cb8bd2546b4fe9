/**
 * Runs a workload for real through the harness's run loop (`runWorkers`, `performOp`) against the in-memory fake
 * Redis, and returns the history it recorded — so tests judge the exact op shapes a run would write, with the
 * workload's own checkers.
 */
import { REDIS_OPS } from "../../../stores/redis-sentinel/index.js";
import type { Op } from "../../../checkers/history/index.js";
import { type Client, type Completion } from "../../../core/clients/index.js";
import { manualClock } from "../../../core/clock/index.js";
import { openHistoryWriter } from "../../../core/history/index.js";
import { createRandom } from "../../../core/random/index.js";
import { performOp, runWorkers } from "../../../harness/runner/index.js";
import { OpNotApplied, type Workload } from "../../../workloads/index.js";
import { FakeRedis, FakeStore } from "./fake-redis.js";
import { classifyRedisError } from "../../../stores/redis-sentinel/index.js";
import { type RedisSession } from "../../../stores/redis-sentinel/index.js";

/** Options of {@link simulateWorkload}. */
export interface SimulationOptions {
  /** Client ops to run before the final reads (default 300). */
  ops?: number;
  processes?: number;
  seed?: number;
  /** The follower's store (default: the leader's, i.e. no lag). */
  followerStore?: FakeStore;
  /** Called before each op is performed, with the number of ops started so far (e.g. to let a follower catch up). */
  beforeOp?: (n: number, leader: FakeStore) => void;
}

/**
 * A client over the fake: performs ops with the workload, records the node that served it (`n1` for the leader
 * connection, `n2` for the follower), and classifies errors as the real client does.
 */
function fakeClient(workload: Workload<any>, session: RedisSession, tick: () => void): Client {
  return {
    open: () => Promise.resolve(),
    close: () => Promise.resolve(),
    async invoke(op): Promise<Completion> {
      tick();
      const node = op.route === "follower" ? "n2" : "n1";
      try {
        const value = await REDIS_OPS[workload.name]!(session, op);
        return { type: "ok", value, node };
      } catch (err) {
        if (err instanceof OpNotApplied) {
          return err.error === undefined ? { type: "fail", node } : { type: "fail", error: err.error, node };
        }
        return { ...classifyRedisError(err), node };
      }
    },
  };
}

/** Runs `workload` against a fake leader (and follower) and returns the history, final reads included. */
export async function simulateWorkload(workload: Workload<any>, o: SimulationOptions = {}): Promise<Op[]> {
  const clock = manualClock();
  const history = openHistoryWriter({ clock });
  const store = new FakeStore();
  const delays = createRandom(o.seed ?? 1).fork("delays");
  // Each client has its own connections (a MULTI belongs to one), over the shared stores.
  const session = (): RedisSession =>
    ({
      leader: new FakeRedis(store, () => delays.int(20)),
      follower: new FakeRedis(o.followerStore ?? store, () => delays.int(20)),
    }) as unknown as RedisSession;
  let started = 0;
  const total = o.ops ?? 300;
  const tick = (): void => {
    clock.advance(1_000_000);
    o.beforeOp?.(started, store);
    started++;
  };
  const names = Array.from({ length: o.processes ?? 3 }, (_, i) => `c${i + 1}`);
  const states = await runWorkers({
    workload,
    clientNames: names,
    makeClient: () => fakeClient(workload, session(), tick),
    history,
    random: createRandom(o.seed ?? 1),
    rate: 0,
    shouldStop: () => started >= total,
    signal: new AbortController().signal,
  });
  const reader = fakeClient(workload, session(), () => clock.advance(1_000_000));
  for (const op of workload.finalReads) await performOp(history, reader, states[0]!.process, op);
  history.close();
  return [...history.ops];
}
