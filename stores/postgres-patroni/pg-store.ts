import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { allocatePorts, logFilesOf } from "../../core/backends/local/index.js";
import type {
  ClientEndpoints,
  HasConsensusLeader,
  HasProcessParts,
  Killable,
  LinkDelayable,
  LinkToxicable,
  NodeInfo,
  Partitionable,
  Pausable,
  ProcessFaultRecord,
  ProcessPart,
  RestartOptions,
  StoppedCluster,
} from "../../core/cluster/index.js";
import { sleep } from "../../core/clock/index.js";
import { DisposalStack } from "../../core/disposal/index.js";
import { FaultlineError, InputError } from "../../core/errors/index.js";
import {
  directNetwork,
  startProxyProcess,
  wireProxyNetwork,
  type Network,
} from "../../nemesis/network/index.js";
import type { StartedStore, StoreClusterRequest } from "../store.js";
import { pgClient } from "./client/index.js";
import type { DockerPgCluster } from "./docker/docker-pg-cluster.js";
import { askEtcdLeader } from "./etcd-leader.js";
import { launchLocalPgCluster, LocalPgCluster, NODE_ENV } from "./local-cluster.js";
import { startPgMonitor } from "./monitor.js";
import { PG_USERS } from "./patroni-config.js";
import { planCluster, type Listener, type PgClusterPlan } from "./plan.js";
import { replicationOf } from "./replication-mode.js";
import type { PgSettings } from "./settings.js";
import { tryOpenRunDirFor, storeUser } from "./system-user.js";

/** The parts of a data node faults can hit alone: its Patroni agent and its PostgreSQL server. */
const PG_PARTS: readonly ProcessPart[] = ["agent", "store"];

/** The program of a data node each part stands for. */
const PROGRAM = { agent: "patroni", store: "postgres" } as const;

/** How the store's clients find the leader, as `config.json` records it. */
export const LEADER_DISCOVERY =
  "multi-host connection, target_session_attrs=read-write (libpq's rule, in faultline's node-postgres client): " +
  "each client tries its listener to every node in order and uses the first that is not read-only";

/** A running PostgreSQL + Patroni + etcd cluster with the abilities the nemesis uses. */
export type StartedPgStore = StartedStore &
  Killable &
  Pausable &
  HasProcessParts &
  HasConsensusLeader &
  Partitionable &
  LinkDelayable &
  LinkToxicable & { readonly cluster: LocalPgCluster | DockerPgCluster; readonly network: Network };

/**
 * Starts the store on the local backend: data nodes `n1…` (a PostgreSQL 15 server and its Patroni agent each,
 * as Debian's `postgres` user when the harness is root) and etcd members `s1…` (Patroni's consensus store), every
 * link through faultline's proxy: clients → PostgreSQL (each client its own listener per node), standby →
 * primary, Patroni → etcd and → other Patronis' REST APIs, etcd ↔ etcd. None of these programs can choose its
 * source address, so the proxy resolves each connection's sender by the process that owns it (`FAULTLINE_NODE`
 * in its environment or its nearest ancestor's, docs/stores/postgres-patroni.md §5). The harness's own
 * connections (readiness, monitor) use the real listeners. On the docker backend the same cluster runs in
 * containers, told apart by address (`startDockerPgCluster`).
 */
export async function startPgStore(request: StoreClusterRequest<PgSettings>): Promise<StartedPgStore> {
  const stack = new DisposalStack();
  try {
    return await startInside(request, stack);
  } catch (err) {
    await stack.disposeAsync().catch(() => undefined);
    throw err;
  }
}

async function startInside(
  request: StoreClusterRequest<PgSettings>,
  stack: DisposalStack,
): Promise<StartedPgStore> {
  const t0 = performance.now();
  if (request.backend === "docker") {
    // Loaded only for docker runs, so local runs never load dockerode.
    const { startDockerPgCluster } = await import("./docker/docker-pg-cluster.js");
    const { plan, cluster, network } = await startDockerPgCluster(request, stack);
    return startedStore(plan, cluster, network, request, performance.now() - t0, stack);
  }
  const s = request.settings;
  const nodes = s.followers + 1;
  const members = s.failoverManagers;
  const listeners = 2 * (nodes + members);
  const base = nodesBase(request.runDir, stack);
  const plan = planCluster({
    runDir: base,
    nodes,
    etcdMembers: members,
    ports: await allocatePorts(listeners),
    prefixes: { node: "n", etcd: "s" },
  });
  const network = await wireNetwork(plan, request, stack);
  for (const n of plan.nodes) {
    n.postgres.public = network.publicAddress(n.name);
    n.rest.public = network.publicAddress(`${n.name}-rest`);
  }
  for (const m of plan.etcd) {
    m.client.public = network.publicAddress(m.name);
    m.peer.public = network.publicAddress(`${m.name}-peer`);
  }
  request.say(
    `starting ${nodes} PostgreSQL + Patroni nodes and ${members} etcd members (initdb takes a while)…`,
  );
  const cluster = await launchLocalPgCluster(plan, {
    runDir: base,
    ...(base !== request.runDir ? { scratchLogsTo: join(request.runDir, "nodes") } : {}),
    tag: request.tag,
    timing: { ttl: s.ttl, loopWait: s.loopWait, retryTimeout: s.retryTimeout },
    replication: replicationOf(request.replication, s),
    exitWithHarness: !request.keepProxyAfterHarness,
  });
  stack.defer("cluster", () => cluster.stop());
  await network.ready();
  const readyMs = performance.now() - t0;
  return startedStore(plan, cluster, network, request, readyMs, stack);
}

/**
 * Where the nodes' directories go: the run directory when the store user (`postgres`, when the harness is root)
 * can reach it; otherwise (a run directory under root's 0700 home) a directory of its own under the system's
 * temporary directory, whose logs are copied into `<runDir>/nodes/<node>/` and which is removed when the
 * cluster stops.
 */
function nodesBase(runDir: string, stack: DisposalStack): string {
  const user = storeUser();
  if (!user || tryOpenRunDirFor(runDir, user)) return runDir;
  const base = mkdtempSync(join(tmpdir(), "faultline-pg-"));
  chmodSync(base, 0o711);
  writeFileSync(join(base, "run-dir"), `${runDir}\n`);
  stack.defer("node directories", () => {
    const nodes = existsSync(join(base, "nodes"))
      ? readdirSync(join(base, "nodes"), { withFileTypes: true })
      : [];
    for (const node of nodes) {
      if (!node.isDirectory()) continue;
      const into = join(runDir, "nodes", node.name);
      mkdirSync(into, { recursive: true });
      for (const f of readdirSync(join(base, "nodes", node.name))) {
        if (f.endsWith(".log")) copyFileSync(join(base, "nodes", node.name, f), join(into, f));
      }
    }
    rmSync(base, { recursive: true, force: true });
  });
  return base;
}

/** Wires every listener of the plan through the proxy (or directly, for `--network direct`). */
async function wireNetwork(
  plan: PgClusterPlan,
  request: StoreClusterRequest<PgSettings>,
  stack: DisposalStack,
): Promise<Network> {
  const entries = [
    ...plan.nodes.flatMap((n) => [
      entry(n.name, n.postgres, n.name, true),
      entry(`${n.name}-rest`, n.rest, n.name, false),
    ]),
    ...plan.etcd.flatMap((m) => [
      entry(m.name, m.client, m.name, false),
      entry(`${m.name}-peer`, m.peer, m.name, false),
    ]),
  ];
  if (request.network === "direct") {
    return directNetwork({ nodes: entries, clients: request.clients });
  }
  let url = request.proxyUrl;
  let process;
  if (url === undefined) {
    const dir = join(request.runDir, "nodes", "proxy");
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    const started = await startProxyProcess({
      tag: request.tag,
      logFile: join(dir, "proxy.log"),
      cwd: dir,
      exitWithParent: !request.keepProxyAfterHarness,
      ...(request.proxySeed !== undefined ? { seed: request.proxySeed } : {}),
    });
    stack.defer("proxy", () => started.process.kill());
    url = started.url;
    process = started.process;
  }
  const publicPorts = await allocatePorts(entries.length);
  const network = await wireProxyNetwork(
    { nodes: entries.map((e, i) => ({ ...e, publicPort: publicPorts[i]! })), clients: request.clients },
    { url, ...(process ? { process } : {}), ...(request.proxyUrl !== undefined ? { shared: true } : {}) },
  );
  stack.defer("network", () => network.stop());
  if (network.proxyServer !== "faultline") {
    throw new InputError(
      "PROXY_NOT_SOURCE_AWARE",
      "the postgres-patroni store needs faultline's own proxy: its processes cannot choose their source " +
        "address, so only a proxy that resolves each connection's owner can tell them apart",
      { details: { field: "toxiproxyUrl", url }, hint: "leave out --toxiproxy-url" },
    );
  }
  // A lookup reads /proc/net/tcp and the run's processes' descriptors: tens of ms, but up to ~0.5 s on a loaded
  // 2-core machine (nemesis/proxy/source-owner.ts), and a connection left `unknown` escapes every link fault.
  await network.resolveSourcesByOwner?.({ runId: request.tag.runId, envKey: NODE_ENV, timeoutMs: 5000 });
  return network;
}

function entry(name: string, l: Listener, destination: string, clients: boolean) {
  return { name, real: l.real, sourceAddress: "", destination, clients };
}

function startedStore(
  plan: PgClusterPlan,
  cluster: LocalPgCluster | DockerPgCluster,
  network: Network,
  request: StoreClusterRequest<PgSettings>,
  readyMs: number,
  stack: DisposalStack,
): StartedPgStore {
  const nodeInfos: NodeInfo[] = [
    ...plan.nodes.map((n) => ({
      name: n.name,
      role: "data" as const,
      admin: n.postgres.real,
      public: n.postgres.public,
      sourceAddress: "",
      dir: n.dir,
    })),
    ...plan.etcd.map((m) => ({
      name: m.name,
      role: "consensus" as const,
      admin: m.client.real,
      public: m.client.public,
      sourceAddress: "",
      dir: m.dir,
    })),
  ];
  const clients: ClientEndpoints[] = request.clients.map((c) => ({
    name: c,
    endpoints: new Map(plan.nodes.map((n) => [n.name, network.clientAddress(c, n.name)])),
  }));
  const links = network.links;
  if (!links) throw new FaultlineError("NO_LINKS", "the network cannot fault links", {});
  const record = (
    node: string,
    pid: number | undefined,
    signal?: string,
    part?: ProcessPart,
  ): ProcessFaultRecord => ({
    node,
    pid: pid ?? -1,
    ...(signal !== undefined ? { signal } : {}),
    ...(part !== undefined ? { part } : {}),
  });
  const known = (node: string, part?: ProcessPart): void => {
    if (!nodeInfos.some((n) => n.name === node)) {
      throw new InputError("UNKNOWN_NODE", `no node ${node} in this cluster`, {
        details: { node, nodes: nodeInfos.map((n) => n.name) },
      });
    }
    if (part !== undefined && cluster.isEtcd(node)) {
      throw new InputError("NO_SUCH_PART", `${node} is an etcd member, one process: it has no ${part} part`, {
        details: { node, part },
      });
    }
    if (part !== undefined && !(cluster instanceof LocalPgCluster)) {
      throw new InputError(
        "NO_SUCH_PART",
        `${node}'s container is faulted whole on the docker backend: its ${part} part cannot be faulted alone yet`,
        { details: { node, part, backend: "docker" } },
      );
    }
  };
  /** The local cluster, for faults on one part of a node (`known` refused them on docker). */
  const local = (): LocalPgCluster => {
    if (!(cluster instanceof LocalPgCluster))
      throw new Error("process parts exist on the local backend only");
    return cluster;
  };
  let stopped: Promise<StoppedCluster> | undefined;
  let released = false;
  const byPublicPort = new Map(plan.nodes.map((n) => [n.postgres.public.port, n.name]));
  const store: StartedPgStore = {
    kind: "postgres-patroni",
    cluster,
    network,
    readyMs,
    nodes: nodeInfos,
    clients,
    proxy:
      network.apiUrl !== undefined && network.proxyServer !== undefined
        ? { apiUrl: network.apiUrl, server: network.proxyServer }
        : undefined,
    layout: () => ({
      backend: request.backend,
      proxy: network.apiUrl ?? null,
      leaderDiscovery: LEADER_DISCOVERY,
      sourceResolution:
        request.backend === "docker"
          ? "by source address (one container, one address, on the run's docker network)"
          : "by socket owner (FAULTLINE_NODE), docs/stores/postgres-patroni.md §5",
      patroni: {
        ttl: request.settings.ttl,
        loopWait: request.settings.loopWait,
        retryTimeout: request.settings.retryTimeout,
      },
      replication: replicationOf(request.replication, request.settings),
      nodes: [
        ...plan.nodes.map((n) => ({
          name: n.name,
          role: "data (PostgreSQL + Patroni)",
          port: n.postgres.real.port,
          publicPort: n.postgres.public.port,
          restPort: n.rest.real.port,
          restPublicPort: n.rest.public.port,
        })),
        ...plan.etcd.map((m) => ({
          name: m.name,
          role: "consensus (etcd)",
          port: m.client.real.port,
          publicPort: m.client.public.port,
          peerPort: m.peer.real.port,
          peerPublicPort: m.peer.public.port,
        })),
      ],
      clients: Object.fromEntries(
        clients.map((c) => [c.name, Object.fromEntries([...c.endpoints].map(([node, a]) => [node, a.port]))]),
      ),
    }),
    client: (clientName, options) =>
      pgClient({
        clientName,
        nodes: plan.nodes.map((n) => ({ name: n.name, ...network.clientAddress(clientName, n.name) })),
        user: PG_USERS.superuser.username,
        database: "postgres",
        workload: options.workload,
        opTimeoutMs: options.opTimeoutMs,
        isolation: request.settings.isolation,
      }),
    startMonitor: (sink) =>
      startPgMonitor(
        {
          nodes: plan.nodes.map((n) => ({ name: n.name, sql: n.postgres.real, rest: n.rest.real })),
          nodeByPublicPort: (p) => byPublicPort.get(p),
          user: PG_USERS.superuser.username,
        },
        sink,
      ),
    monitorAttached: () => Promise.resolve(),
    async leader() {
      const m = await cluster.members();
      return m?.find((x) => x.role === "leader")?.name;
    },
    async awaitHealthy(timeoutMs, signal) {
      const deadline = Date.now() + timeoutMs;
      let last = "not asked yet";
      while (Date.now() < deadline) {
        signal?.throwIfAborted();
        const r = await cluster.readiness().catch((e: unknown) => ({
          ready: false as const,
          leader: undefined,
          reason: String(e),
        }));
        if (r.ready) return r.leader;
        last = r.reason;
        await sleep(200);
      }
      throw new FaultlineError(
        "NOT_HEALTHY",
        `the PostgreSQL cluster did not recover within ${timeoutMs} ms: ${last}`,
        {
          details: { reason: last },
        },
      );
    },
    processParts: (node) => (cluster.isEtcd(node) || !(cluster instanceof LocalPgCluster) ? [] : PG_PARTS),
    async consensusLeader() {
      return askEtcdLeader(plan.etcd.map((m) => ({ name: m.name, client: m.client.real })));
    },
    async kill(node, part?: ProcessPart) {
      known(node, part);
      if (part !== undefined) {
        const pid = part === "agent" ? cluster.pid(node) : local().postgresPid(node);
        await local().kill(node, PROGRAM[part]);
        return record(node, pid, "SIGKILL", part);
      }
      const pid = cluster.pid(node);
      if (cluster.isEtcd(node)) await cluster.killProcess(node);
      else await cluster.kill(node, "both");
      return record(node, pid, "SIGKILL");
    },
    async restart(node, options?: RestartOptions) {
      const part = options?.part;
      known(node, part);
      if (cluster.isEtcd(node)) {
        await cluster.startEtcd(node, options?.env ?? {});
        return record(node, cluster.pid(node));
      }
      if (part === "store" && cluster.isRunning(node, "patroni")) {
        // Patroni starts a PostgreSQL that died under it by itself (as a replica, promoted again while it still
        // holds the leader lock): starting another one would fight it for the data directory.
        const pid = await local().awaitPostgres(node, 60_000);
        if (pid === undefined) {
          throw new FaultlineError(
            "RESTART_FAILED",
            `${node}'s PostgreSQL did not come back within 60 s (its Patroni runs and should have started it)`,
            { details: { node, part } },
          );
        }
        return record(node, pid, undefined, part);
      }
      // Patroni alone (`agent`) finds its PostgreSQL still running and takes it over as it is.
      await cluster.startNode(node, options?.env ?? {});
      return record(node, part === "store" ? local().postgresPid(node) : cluster.pid(node), undefined, part);
    },
    isRunning: (node, part?: ProcessPart) =>
      cluster.isRunning(node, part === undefined ? undefined : PROGRAM[part]),
    async pause(node, part?: ProcessPart) {
      known(node, part);
      const pid = await cluster.signal(node, "SIGSTOP", part === undefined ? undefined : PROGRAM[part]);
      return record(node, pid, "SIGSTOP", part);
    },
    async resume(node, part?: ProcessPart) {
      known(node, part);
      const pid = await cluster.signal(node, "SIGCONT", part === undefined ? undefined : PROGRAM[part]);
      return record(node, pid, "SIGCONT", part);
    },
    cutLinks: (rules, options) => links.cutLinks(rules, options),
    heal: () => links.heal(),
    delayLinks: (rules, latency) => links.delayLinks(rules, latency),
    granularity: links.granularity,
    addLinkToxics: (rules, toxic) => links.addLinkToxics(rules, toxic),
    linkFaults: () => links.linkFaults(),
    release() {
      released = true;
      const pids = cluster.release();
      return { pids };
    },
    stop() {
      stopped ??= (async () => {
        if (!released) {
          // Resume anything paused first, so every process can die and be waited for.
          for (const n of nodeInfos) await cluster.signal(n.name, "SIGCONT").catch(() => undefined);
          await stack.disposeAsync();
        }
        return {
          logs: logFilesOf(
            nodeInfos.map((n) => ({ name: n.name, dir: join(request.runDir, "nodes", n.name) })),
          ),
        };
      })();
      return stopped;
    },
    async [Symbol.asyncDispose]() {
      await store.stop();
    },
  };
  return store;
}
