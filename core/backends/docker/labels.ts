import type { RunTag } from "../local/index.js";
import type { TaggedProcess } from "../reaper/index.js";

/**
 * The labels on every container and network the docker backend makes (STYLE.md §8): the run id, the harness's
 * pid and start time (so a later run can tell whether that harness still lives, as the process reaper does from
 * `/proc/<pid>/environ`), the run directory (where `leave-running.json` marks a cluster kept on purpose), and
 * what the object is.
 */
export const LABELS = {
  run: "faultline.run",
  harnessPid: "faultline.harness-pid",
  harnessStart: "faultline.harness-start",
  runDir: "faultline.run-dir",
  /** `n1`, `s1`, `proxy`; absent on networks. */
  node: "faultline.node",
  /** `data`, `failover-manager`, `proxy`, `network`. */
  role: "faultline.role",
} as const;

/** The labels of everything one run makes. */
export function runLabels(tag: RunTag): Record<string, string> {
  return {
    [LABELS.run]: tag.runId,
    [LABELS.harnessPid]: String(tag.harnessPid),
    [LABELS.harnessStart]: tag.harnessStart,
    [LABELS.runDir]: tag.runDir,
  };
}

/**
 * The owner of a labelled object in the reaper's terms (`pid` 0: a container or network has no pid of its own),
 * so the reaper's "is its harness alive" and "was it kept on purpose" apply unchanged.
 */
export function ownerOf(labels: Record<string, string> | undefined, what: string): TaggedProcess {
  const l = labels ?? {};
  return {
    pid: 0,
    runId: l[LABELS.run] ?? "",
    runDir: l[LABELS.runDir] ?? "",
    harnessPid: Number(l[LABELS.harnessPid] ?? 0),
    harnessStart: l[LABELS.harnessStart] ?? "",
    command: what,
  };
}
