/**
 * How writes are replicated, as a first-class run setting (`--replication`, spec §1.3, §1.4). Plain data and pure
 * functions, free of the schema library, so the CLI's help and the client can use them.
 */

/**
 * - `async`: Redis's default — a write is acknowledged once the leader applied it.
 * - `wait`: each acknowledged write is followed by `WAIT replicas timeoutMs` on the same connection; fewer than
 *   `replicas` acknowledgements within the timeout make the op `info` (applied on the leader, replication
 *   uncertain), never `fail`.
 * - `min-replicas`: the leader refuses writes (`NOREPLICAS`, a definite `fail`) unless at least `replicas`
 *   followers acknowledged the stream within the last `maxLagSeconds` (`min-replicas-to-write` /
 *   `min-replicas-max-lag`).
 */
export type ReplicationMode =
  | { readonly kind: "async" }
  | { readonly kind: "wait"; readonly replicas: number; readonly timeoutMs: number }
  | { readonly kind: "min-replicas"; readonly replicas: number; readonly maxLagSeconds: number };

/** The grammar, for help texts and error messages. */
export const REPLICATION_GRAMMAR = "async | wait:N:MS | min-replicas:N:LAG";

/**
 * Parses `--replication`: `async`, `wait:N:MS` (N followers, MS milliseconds, both integers ≥ 1) or
 * `min-replicas:N:LAG` (N followers ≥ 1, LAG seconds ≥ 1). Returns the mode or what is wrong with the text.
 *
 * @example
 * parseReplicationMode("wait:2:100"); // { mode: { kind: "wait", replicas: 2, timeoutMs: 100 } }
 * parseReplicationMode("wait:2");     // { error: "wait needs N and MS: wait:N:MS, e.g. wait:1:100" }
 */
export function parseReplicationMode(text: string): { mode: ReplicationMode } | { error: string } {
  const parts = text.trim().split(":");
  const [kind, ...args] = parts;
  if (kind === "async") {
    return args.length === 0 ? { mode: { kind: "async" } } : { error: "async takes no arguments" };
  }
  if (kind !== "wait" && kind !== "min-replicas") {
    return { error: `must be ${REPLICATION_GRAMMAR}, got ${JSON.stringify(text)}` };
  }
  const unit = kind === "wait" ? "MS" : "LAG";
  const example = kind === "wait" ? "wait:1:100" : "min-replicas:1:1";
  if (args.length !== 2) return { error: `${kind} needs N and ${unit}: ${kind}:N:${unit}, e.g. ${example}` };
  const [n, t] = args.map((a) => (/^\d+$/.test(a) ? Number(a) : NaN)) as [number, number];
  if (!(n >= 1 && n <= 8)) {
    return { error: `${kind}: N (followers) must be an integer from 1 to 8, got ${JSON.stringify(args[0])}` };
  }
  if (kind === "wait") {
    // WAIT with timeout 0 blocks until enough followers answer, which a partition can make forever.
    if (!(t >= 1 && t <= 600_000)) {
      return { error: `wait: MS must be an integer from 1 to 600000 (ms), got ${JSON.stringify(args[1])}` };
    }
    return { mode: { kind, replicas: n, timeoutMs: t } };
  }
  if (!(t >= 1 && t <= 3600)) {
    return {
      error: `min-replicas: LAG must be an integer from 1 to 3600 (seconds), got ${JSON.stringify(args[1])}`,
    };
  }
  return { mode: { kind, replicas: n, maxLagSeconds: t } };
}

/**
 * The canonical text of a mode, as `config.json` and the report show it.
 *
 * @example
 * formatReplicationMode({ kind: "min-replicas", replicas: 1, maxLagSeconds: 1 }); // "min-replicas:1:1"
 */
export function formatReplicationMode(mode: ReplicationMode): string {
  switch (mode.kind) {
    case "async":
      return "async";
    case "wait":
      return `wait:${mode.replicas}:${mode.timeoutMs}`;
    case "min-replicas":
      return `min-replicas:${mode.replicas}:${mode.maxLagSeconds}`;
  }
}

/**
 * The mode of a resolved configuration, whose `replication` text the schema has already validated.
 *
 * @example
 * replicationModeOf({ replication: "wait:1:100" }).kind; // "wait"
 */
export function replicationModeOf(config: { replication: string }): ReplicationMode {
  const parsed = parseReplicationMode(config.replication);
  if ("error" in parsed) throw new Error(`replication: ${parsed.error}`);
  return parsed.mode;
}

/**
 * Makes the mode and the store's `min-replicas-*` settings agree (the schema has rejected contradictions): a
 * `min-replicas:N:LAG` mode sets them; an `async` mode with `minReplicasToWrite` > 0 (the older
 * `--min-replicas-to-write` flags) is reported as the `min-replicas` mode it is.
 *
 * @example
 * reconcileReplication("min-replicas:1:1", { minReplicasToWrite: 0, minReplicasMaxLag: 10 });
 * // { replication: "min-replicas:1:1", minReplicasToWrite: 1, minReplicasMaxLag: 1 }
 */
export function reconcileReplication(
  replication: string,
  store: { minReplicasToWrite: number; minReplicasMaxLag: number },
): { replication: string; minReplicasToWrite: number; minReplicasMaxLag: number } {
  const mode = replicationModeOf({ replication });
  if (mode.kind === "min-replicas") {
    return {
      replication: formatReplicationMode(mode),
      minReplicasToWrite: mode.replicas,
      minReplicasMaxLag: mode.maxLagSeconds,
    };
  }
  if (mode.kind === "async" && store.minReplicasToWrite > 0) {
    const text = formatReplicationMode({
      kind: "min-replicas",
      replicas: store.minReplicasToWrite,
      maxLagSeconds: store.minReplicasMaxLag,
    });
    return { replication: text, ...store };
  }
  return { replication: formatReplicationMode(mode), ...store };
}

/**
 * What is wrong with a mode in a run's setting, or `undefined`: a mode needing more followers than the cluster
 * has, a WAIT timeout the harness's own op deadline would cut short, or a mode that contradicts the store's
 * `min-replicas-*` settings.
 */
export function replicationProblem(
  mode: ReplicationMode,
  run: { followers: number; opTimeout: number; minReplicasToWrite: number; minReplicasMaxLag: number },
): string | undefined {
  if (mode.kind === "async") return undefined;
  if (mode.replicas > run.followers) {
    return `${formatReplicationMode(mode)} needs ${mode.replicas} followers but the cluster has ${run.followers}`;
  }
  if (mode.kind === "wait") {
    if (mode.timeoutMs >= run.opTimeout) {
      return (
        `WAIT's timeout (${mode.timeoutMs} ms) must be shorter than the op timeout (${run.opTimeout} ms), or ` +
        `writes the followers cannot acknowledge end as harness timeouts instead of WAIT's answer`
      );
    }
    if (run.minReplicasToWrite > 0) {
      return `${formatReplicationMode(mode)} cannot be combined with min-replicas-to-write ${run.minReplicasToWrite}; choose one mode`;
    }
    return undefined;
  }
  const agrees =
    run.minReplicasToWrite === 0 ||
    (run.minReplicasToWrite === mode.replicas && run.minReplicasMaxLag === mode.maxLagSeconds);
  return agrees
    ? undefined
    : `${formatReplicationMode(mode)} contradicts min-replicas-to-write ${run.minReplicasToWrite} / ` +
        `min-replicas-max-lag ${run.minReplicasMaxLag}; give one or the other`;
}
