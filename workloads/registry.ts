import { setWorkload } from "./set/index.js";
import type { Workload } from "./workload.js";

/** Every workload `faultline run --workload` knows, by name. */
export const WORKLOADS: Readonly<Record<string, () => Workload<any>>> = {
  set: () => setWorkload(),
};

/** The workload called `name`, or `undefined`. */
export function workloadByName(name: string): Workload<any> | undefined {
  return WORKLOADS[name]?.();
}
