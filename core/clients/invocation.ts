/** One operation a workload asks a client to perform: the `f`, `key` and `value` of its invoke. */
export interface Invocation {
  f: string;
  key?: string;
  /** Arguments; a read invokes with `null`. */
  value: unknown;
  /**
   * Which connection performs it: the leader (default) or a follower (workloads with `usesFollowers`). It is
   * not recorded in the history: the completion's `node` says which node served the op.
   */
  route?: "leader" | "follower";
}
