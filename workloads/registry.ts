import { counterWorkload } from "./counter/index.js";
import { followerReadsWorkload } from "./follower-reads/index.js";
import { listAppendWorkload } from "./list-append/index.js";
import { registerWorkload } from "./register/index.js";
import { SET_READ_EVERY, setWorkload } from "./set/index.js";
import type { Workload } from "./workload.js";

/**
 * Every workload `faultline run --workload` knows, by name, as `faultline workloads` lists them. Each call makes
 * a fresh workload (some keep per-run state on the client side, e.g. the lists list-append has used).
 */
export const WORKLOADS: Readonly<Record<string, () => Workload<any>>> = {
  set: () => setWorkload({ readEvery: SET_READ_EVERY }),
  register: () => registerWorkload(),
  "list-append": () => listAppendWorkload(),
  counter: () => counterWorkload(),
  "follower-reads": () => followerReadsWorkload(),
};

/** The workload called `name`, or `undefined`. */
export function workloadByName(name: string): Workload<any> | undefined {
  return Object.hasOwn(WORKLOADS, name) ? WORKLOADS[name]!() : undefined;
}
