import { execFileSync } from "node:child_process";
import { describe } from "vitest";
import { postgresPatroni } from "../../stores/postgres-patroni/index.js";
import { storeContract } from "../contract/store-contract.js";
import { DOCKER, RUN_LABEL, SKIP_NOTE, useDockerImages } from "./support/docker-helpers.js";

/** The containers and networks labelled with `runId`, by name (the engine's own listing, synchronously). */
function labelled(runId: string): string[] {
  const filter = `label=${RUN_LABEL}=${runId}`;
  const list = (args: string[], field: string): string[] =>
    execFileSync("docker", [...args, "--filter", filter, "--format", `{{.${field}}}`], { encoding: "utf8" })
      .split("\n")
      .filter((l) => l.trim() !== "");
  return [
    ...list(["ps", "-a"], "Names").map((n) => `container ${n}`),
    ...list(["network", "ls"], "Name").map((n) => `network ${n}`),
  ];
}

useDockerImages();

describe.skipIf(!DOCKER.ok)(`postgres-patroni on the docker backend${SKIP_NOTE}`, () => {
  storeContract({
    adapter: postgresPatroni,
    backend: "docker",
    network: "proxy",
    opTimeoutMs: 2000,
    // A killed node's container restarts Patroni, which restarts its PostgreSQL, which must stream again.
    recoveryTimeoutMs: 120_000,
    testTimeoutMs: 240_000,
    // Every container (nodes, etcd members, the proxy, the reaper) and the run's network carry the run's label.
    leftovers: (_, runId) => labelled(runId),
  });
});
