import type Docker from "dockerode";
import { harnessAlive, keptOnPurpose, type ReapSelection } from "../reaper/index.js";
import { LABELS, ownerOf } from "./labels.js";

/** A container or network of some run, found by its labels. */
export interface LabelledObject {
  kind: "container" | "network";
  id: string;
  name: string;
  runId: string;
  /** `orphaned` (its harness is gone), `kept` (`--leave-running`) or `harness alive`. */
  state: "orphaned" | "kept" | "harness alive";
}

/** Every container and network carrying faultline's run label, with whether its run's harness lives. */
export async function listLabelled(docker: Docker): Promise<LabelledObject[]> {
  const filters = { label: [LABELS.run] };
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  const describe = (
    kind: LabelledObject["kind"],
    id: string,
    name: string,
    labels: Record<string, string> | undefined,
  ): LabelledObject => {
    const owner = ownerOf(labels, name);
    const state = harnessAlive(owner) ? "harness alive" : keptOnPurpose(owner) ? "kept" : "orphaned";
    return { kind, id, name, runId: owner.runId, state };
  };
  return [
    ...containers.map((c) => describe("container", c.Id, (c.Names[0] ?? c.Id).replace(/^\//, ""), c.Labels)),
    ...networks.map((n) => describe("network", n.Id, n.Name, n.Labels)),
  ];
}

/**
 * The docker half of the reaper (the process half is `reap`): removes the containers, then the networks, of
 * runs whose harness is gone — by default not those kept with `--leave-running`; with `includeKept` those too;
 * with `runId` every object of that run. Returns what it removed.
 *
 * @example
 * const removed = await reapDocker(await connectDocker());
 */
export async function reapDocker(docker: Docker, selection: ReapSelection = {}): Promise<LabelledObject[]> {
  const victims = (await listLabelled(docker)).filter((o) => {
    if (selection.runId !== undefined) return o.runId === selection.runId;
    if (o.state === "harness alive") return false;
    return selection.includeKept === true || o.state === "orphaned";
  });
  const gone = (err: unknown): void => {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err;
  };
  await Promise.all(
    victims
      .filter((o) => o.kind === "container")
      .map((o) => docker.getContainer(o.id).remove({ force: true, v: true }).catch(gone)),
  );
  for (const o of victims.filter((v) => v.kind === "network")) {
    await docker.getNetwork(o.id).remove().catch(gone);
  }
  return victims;
}
