import type { Op } from "../../checkers/history/index.js";
import type { Client } from "../../core/clients/index.js";
import { sleep } from "../../core/clock/index.js";
import type { HistoryWriter } from "../../core/history/index.js";
import type { Random } from "../../core/random/index.js";
import type { Invocation, Workload } from "../../workloads/index.js";
import { staggerMs } from "./stagger.js";

/** Options of {@link runWorkers}. */
export interface WorkersOptions {
  workload: Workload<any>;
  /** One client name per worker (`c1`…); the worker count is the concurrency. */
  clientNames: readonly string[];
  /** Opens nothing: returns a new, unopened client for a client name. */
  makeClient: (clientName: string) => Client;
  history: HistoryWriter;
  random: Random;
  /** Target ops/s over all workers; 0 = unlimited. */
  rate: number;
  /** Workers stop invoking once this resolves true or the signal aborts. */
  shouldStop: () => boolean;
  signal: AbortSignal;
}

/** Where each worker ended: its client name and its current (not retired) process id. */
export interface WorkerState {
  clientName: string;
  process: number;
}

/**
 * Runs the workload on `clientNames.length` logical processes (DESIGN.md "Operations and the history"): each
 * worker has one op in flight, records the invoke before sending and the completion when it comes; after an
 * `info` the process is retired — its client is closed and reopened, and the worker goes on as process
 * `id + concurrency` (Jepsen's rule: an indeterminate op may still be running, so the process is not
 * single-threaded any more). Ops come from the workload's pure generator in the order workers ask.
 *
 * @example
 * const states = await runWorkers({ workload, clientNames: ["c1", "c2"], makeClient, history, random, rate: 100,
 *   shouldStop: () => clock.nowNs() > limitNs, signal });
 */
export async function runWorkers(o: WorkersOptions): Promise<WorkerState[]> {
  const concurrency = o.clientNames.length;
  let genState: unknown = o.workload.generator.initial;
  const nextOp = (process: number, random: Random): Invocation => {
    const { op, state } = o.workload.generator.next(genState, { process, random });
    genState = state;
    return op;
  };
  const worker = async (index: number): Promise<WorkerState> => {
    const clientName = o.clientNames[index]!;
    const random = o.random.fork(`worker-${index}`);
    let process = index;
    let client = o.makeClient(clientName);
    await client.open();
    // Pauses are measured from the previous op's start, not its end, so slow ops do not drag the rate down
    // (as long as an op is faster than the pause).
    let nextStart = Date.now();
    try {
      while (!o.shouldStop() && !o.signal.aborted) {
        nextStart += staggerMs(random, { rate: o.rate, concurrency });
        const now = Date.now();
        if (nextStart < now) nextStart = now;
        await sleep(nextStart - now, o.signal);
        if (o.shouldStop() || o.signal.aborted) break;
        const op = nextOp(process, random);
        o.workload.observe?.(op);
        const done = await performOp(o.history, client, process, op);
        if (done.type === "info") {
          await client.close();
          process += concurrency;
          client = o.makeClient(clientName);
          await client.open();
        }
      }
    } finally {
      await client.close();
    }
    return { clientName, process };
  };
  return Promise.all(o.clientNames.map((_, i) => worker(i)));
}

/**
 * Performs one op on `client` as `process`, recording its invoke and completion, and returns the completion as
 * recorded (its own entry: other processes, the monitor among them, may append in between). An `info` completion
 * means the process must retire.
 */
export async function performOp(
  history: HistoryWriter,
  client: Client,
  process: number,
  op: Invocation,
): Promise<Op> {
  history.append({
    process,
    type: "invoke",
    f: op.f,
    ...(op.key === undefined ? {} : { key: op.key }),
    value: op.value,
  });
  const c = await client.invoke(op);
  return history.append({
    process,
    type: c.type,
    f: op.f,
    ...(op.key === undefined ? {} : { key: op.key }),
    value: c.type === "ok" ? c.value : op.value,
    ...(c.node === undefined ? {} : { node: c.node }),
    ...(c.error === undefined ? {} : { error: c.error }),
  });
}
