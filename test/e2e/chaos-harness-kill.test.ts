/**
 * A chaos test of the harness itself (issue 15, "What must be shown"): `faultline run` (the real CLI, the real Redis
 * store) is SIGKILLed at seeded random moments across start-up, faults, the final phase and checking. After each
 * kill, within 5 s and before any other run starts: no process of that run is left (found by its harness pid and
 * run tag in /proc/<pid>/environ), nothing listens on its ports (from its run directory), and on the docker backend
 * no container or network carries its labels; the history parses, and `faultline check` on the run directory says
 * unknown (exit 2), or gives a verdict when the final read was recorded.
 *
 * The local backend takes 20 kills; the docker backend 5 (a docker run starts slower; the same code paths are
 * covered by phase). Runs are short (--time-limit 6s) to keep CI's cost down. On docker, "left" is what the
 * engine lists (a container being removed is listed until its removal is done), and a last look once 5 s have
 * passed catches what the engine created after the harness died (a create request in flight at the kill).
 */
import { describe, expect, it } from "vitest";
import { beforeAll } from "vitest";
import { DOCKER, DOCKER_FLAGS, SKIP_NOTE, useDockerImages } from "./support/docker-helpers.js";
import {
  exited,
  finalReadRecorded,
  parseHistoryOf,
  PHASES,
  phaseOf,
  portsInRunDir,
  processesOfHarness,
  runDirIn,
  runIdIn,
  seededRandom,
  stillListening,
  type Phase,
} from "./support/chaos-helpers.js";
import { ensureBuilt, flags, runFaultline, startFaultline, tempStore } from "./support/spine-helpers.js";
import Docker from "dockerode";

/** The seed of the kill moments (and of each run: seed + i). */
const SEED = 15_2026;

/** How long after each phase begins a kill may land (ms): the phase's typical length on a CI machine. */
const SPAN: Record<Phase, number> = {
  "start-up": 3500,
  faults: 6000,
  "final phase": 700,
  checking: 250,
};

/** What one kill found. */
interface Outcome {
  i: number;
  aimed: Phase;
  /** The phase the run was in when it was killed, or `finished` when it exited first. */
  hit: Phase | "finished";
  atMs: number;
  /** The kill's wall-clock time (ms since the epoch), to line up with `docker events`. */
  killedAt: number;
  leftProcesses: number[];
  leftPorts: number[];
  /** Containers of the run still running at BOUND_MS (docker). */
  leftRunning: string[];
  /** Containers and networks of the run that still exist once removal had its bound. */
  leftObjects: string[];
  /** What of the run the last look found, once BOUND_MS had passed since the kill and all was gone once. */
  leftLate: string[];
  /** When (ms after the kill) the last process, listener, container and network of the run was gone. */
  goneMs: number;
  historyOps: number | undefined;
  historyError?: string;
  finalRead: boolean;
  checkCode: number | null | undefined;
  checkOutput?: string;
}

/**
 * What of a run the engine still holds: containers (only running ones with `running`) and, without it, networks.
 * The local backend holds none.
 */
type ObjectsOf = (
  harnessPid: number,
  runId: string | undefined,
  options: { running: boolean },
) => Promise<string[]>;

/** How long after the kill nothing of the run may be left (ms): processes, listeners, containers, networks. */
const BOUND_MS = 5000;

beforeAll(() => ensureBuilt(), 180_000);

/** Starts a run, SIGKILLs it at a moment of `aimed` drawn from `r`, and returns what it left. */
async function killOnce(
  i: number,
  aimed: Phase,
  r: number,
  backendFlags: readonly string[],
  objectsOf: ObjectsOf,
): Promise<Outcome> {
  const store = tempStore(`chaos-${i}`);
  const child = startFaultline([
    ...flags(`run --time-limit 6s --nemesis kill-leader --seed ${SEED + i} --recovery-timeout 20s`),
    ...backendFlags,
    "--store-dir",
    store,
  ]);
  const t0 = Date.now();
  const harnessPid = child.pid!;
  const begun = (): boolean => {
    // Start-up counts from the moment the harness starts the store (nothing of the cluster exists before).
    if (aimed === "start-up") return /starting /.test(child.out.stderr);
    const phase = phaseOf(child.out.stderr, runDirIn(store));
    return PHASES.indexOf(phase) >= PHASES.indexOf(aimed);
  };
  while (!begun() && child.exitCode === null && Date.now() - t0 < 120_000) {
    await new Promise((res) => setTimeout(res, 10));
  }
  const delay = Math.floor(r * SPAN[aimed]);
  await Promise.race([new Promise((res) => setTimeout(res, delay)), exited(child)]);
  const finished = child.exitCode !== null;
  const hit = finished ? "finished" : phaseOf(child.out.stderr, runDirIn(store));
  child.kill("SIGKILL");
  const killedAt = Date.now();
  await exited(child);

  // Within BOUND_MS of the kill: nothing of the run left.
  let leftProcesses: number[] = [];
  let leftPorts: number[] = [];
  let leftRunning: string[] = [];
  for (;;) {
    const dir = runDirIn(store);
    const runId = runIdIn(dir);
    leftProcesses = processesOfHarness(harnessPid, runId);
    leftPorts = dir ? stillListening(portsInRunDir(dir)) : [];
    if (leftProcesses.length + leftPorts.length === 0) break;
    if (Date.now() - killedAt > BOUND_MS) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  // Containers still running, then containers and networks at all.
  for (;;) {
    leftRunning = await objectsOf(harnessPid, runIdIn(runDirIn(store)), { running: true });
    if (leftRunning.length === 0 || Date.now() - killedAt > BOUND_MS) break;
    await new Promise((res) => setTimeout(res, 50));
  }
  let leftObjects: string[] = [];
  for (;;) {
    leftObjects = await objectsOf(harnessPid, runIdIn(runDirIn(store)), { running: false });
    if (leftObjects.length === 0 || Date.now() - killedAt > BOUND_MS) break;
    await new Promise((res) => setTimeout(res, 50));
  }

  const goneMs = Date.now() - killedAt;
  const dir = runDirIn(store);
  let historyOps: number | undefined;
  let historyError: string | undefined;
  try {
    historyOps = await parseHistoryOf(dir);
  } catch (err) {
    historyError = (err as Error).message;
  }
  const finalRead = dir !== undefined && finalReadRecorded(dir);
  let checkCode: number | null | undefined;
  let checkOutput: string | undefined;
  if (dir !== undefined && historyOps !== undefined) {
    const c = await runFaultline(["check", dir], { timeoutMs: 60_000 });
    checkCode = c.code;
    checkOutput = (c.stdout + c.stderr).slice(0, 400);
  }
  // The last look, once BOUND_MS has passed: nothing may have appeared meanwhile.
  await new Promise((res) => setTimeout(res, Math.max(0, killedAt + BOUND_MS - Date.now())));
  const lateRunId = runIdIn(runDirIn(store));
  const leftLate = [
    ...processesOfHarness(harnessPid, lateRunId).map((p) => `process ${p}`),
    ...(dir ? stillListening(portsInRunDir(dir)).map((p) => `port ${p}`) : []),
    ...(await objectsOf(harnessPid, lateRunId, { running: false })),
  ];
  return {
    i,
    aimed,
    hit,
    atMs: killedAt - t0,
    killedAt,
    leftProcesses,
    leftPorts,
    leftRunning,
    leftObjects,
    leftLate,
    goneMs,
    historyOps,
    ...(historyError !== undefined ? { historyError } : {}),
    finalRead,
    checkCode,
    ...(checkOutput !== undefined ? { checkOutput } : {}),
  };
}

/** Asserts one kill's outcome: nothing left, a parseable history, and unknown unless the final read was recorded. */
function expectClean(o: Outcome): void {
  const what = JSON.stringify(o);
  expect(o.leftProcesses, what).toEqual([]);
  expect(o.leftPorts, what).toEqual([]);
  expect(o.leftRunning, what).toEqual([]);
  expect(o.leftObjects, what).toEqual([]);
  expect(o.leftLate, what).toEqual([]);
  expect(o.historyError, what).toBeUndefined();
  if (o.checkCode === undefined) return; // killed before the history was created: nothing to check
  if (o.finalRead) expect([0, 1, 2], what).toContain(o.checkCode);
  else expect(o.checkCode, what).toBe(2);
}

async function chaos(
  kills: number,
  backendFlags: readonly string[],
  objectsOf: ObjectsOf,
): Promise<Outcome[]> {
  const random = seededRandom(SEED + kills);
  const outcomes: Outcome[] = [];
  for (let i = 0; i < kills; i++) {
    const aimed = PHASES[i % PHASES.length]!;
    const o = await killOnce(i, aimed, random(), backendFlags, objectsOf);
    process.stderr.write(
      `[chaos] kill ${i + 1}/${kills}: aimed at ${aimed}, hit ${o.hit} at ${o.atMs} ms (${new Date(o.killedAt).toISOString()}), all gone ${o.goneMs} ms later; ` +
        `history ${o.historyOps ?? "none"} ops, final read ${o.finalRead ? "recorded" : "missing"}, ` +
        `check exit ${o.checkCode ?? "-"}\n`,
    );
    expectClean(o);
    outcomes.push(o);
  }
  // The kills landed across the run: start-up, faults, and after the time limit.
  const hit = new Set(outcomes.map((o) => o.hit));
  expect(hit.has("start-up"), JSON.stringify([...hit])).toBe(true);
  expect(hit.has("faults"), JSON.stringify([...hit])).toBe(true);
  expect(hit.has("final phase") || hit.has("checking"), JSON.stringify([...hit])).toBe(true);
  return outcomes;
}

describe("SIGKILL of faultline run at 20 seeded moments, local backend", () => {
  it("should leave no process or listener of the run within 5 s, a parseable history, and an unknown or a verdict", async () => {
    await chaos(20, [], () => Promise.resolve([]));
  }, 900_000);
});

useDockerImages();

describe.skipIf(!DOCKER.ok)(
  `SIGKILL of faultline run at 5 seeded moments, docker backend${SKIP_NOTE}`,
  () => {
    it("should leave no container, network, process or listener of the run within 5 s", async () => {
      const docker = new Docker();
      const objectsOf: ObjectsOf = async (harnessPid, runId, { running }) => {
        const labels = [`faultline.harness-pid=${harnessPid}`, ...(runId ? [`faultline.run=${runId}`] : [])];
        const found = new Set<string>();
        for (const label of labels) {
          const [containers, networks] = await Promise.all([
            docker.listContainers({ all: !running, filters: { label: [label] } }),
            running ? Promise.resolve([]) : docker.listNetworks({ filters: { label: [label] } }),
          ]);
          for (const c of containers) found.add(`container ${(c.Names[0] ?? c.Id).replace(/^\//, "")}`);
          for (const n of networks) found.add(`network ${n.Name}`);
        }
        return [...found];
      };
      await chaos(5, DOCKER_FLAGS, objectsOf);
    }, 900_000);
  },
);
