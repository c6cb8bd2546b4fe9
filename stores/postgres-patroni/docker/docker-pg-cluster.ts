import { createHash } from "node:crypto";
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type Docker from "dockerode";
import { allocatePorts, runTagEnv } from "../../../core/backends/local/index.js";
import {
  connectDocker,
  createRunNetwork,
  hostAddress,
  LABELS,
  PROXY_API_PORT,
  proxyContainerSpec,
  reapDocker,
  removeRunNetwork,
  runLabels,
  saveContainerOutput,
  startProxyContainer,
  startRunReaperOrWarn,
  watchContainerDeaths,
  type RunContainerContext,
} from "../../../core/backends/docker/index.js";
import { sleep } from "../../../core/clock/index.js";
import type { DisposalStack } from "../../../core/disposal/index.js";
import { FaultlineError, InputError } from "../../../core/errors/index.js";
import { imageRefs, requireImages } from "../../../core/images/index.js";
import { wireProxyNetwork, type Network } from "../../../nemesis/network/index.js";
import type { StoreClusterRequest } from "../../store.js";
import type { ClusterReadiness, PatroniMember } from "../cluster-status.js";
import { etcdArgs } from "../etcd-args.js";
import { patroniYaml } from "../patroni-config.js";
import type { Address, PgClusterPlan } from "../plan.js";
import { replicationOf } from "../replication-mode.js";
import { patroniMembers, patroniReadiness } from "../rest.js";
import type { PgSettings } from "../settings.js";
import { findPasswdUser } from "../system-user.js";
import { PG_IMAGES } from "./pg-image.js";

/** Inside each container: the node's directory (mounted), and the standard ports of each program. */
const NODE_DIR = "/node";
const PG_PORT = 5432;
const REST_PORT = 8008;
const ETCD_CLIENT_PORT = 2379;
const ETCD_PEER_PORT = 2380;
const PROXY_HOST_NUMBER = 2;

/** The processes of a started cluster as the store drives them (the local cluster's controls, in containers). */
export interface DockerPgStart {
  /** The plan as the harness sees it: `real` addresses are ports published on 127.0.0.1. */
  plan: PgClusterPlan;
  cluster: DockerPgCluster;
  network: Network;
}

/**
 * Starts the store on the docker backend: one container per data node (the PostgreSQL + Patroni image running
 * `patroni`, which starts its PostgreSQL in the same container) and per etcd member (the same image running
 * `etcd`), each at a fixed address of the run's own network, as the image's `postgres` user, its directory
 * `<runDir>/nodes/<name>` mounted at `/node`; and faultline's proxy container, through which every link goes
 * (clients → PostgreSQL, standby → primary, Patroni → etcd and → other Patronis, etcd ↔ etcd). Each container has
 * its own address, so the proxy tells senders apart by source address. Everything carries the run's labels, and
 * the run's reaper container removes it all should the harness die. The harness reaches PostgreSQL and Patroni's
 * REST API through ports published on 127.0.0.1.
 */
export async function startDockerPgCluster(
  request: StoreClusterRequest<PgSettings>,
  stack: DisposalStack,
): Promise<DockerPgStart> {
  if (request.network !== "proxy" || request.proxyUrl !== undefined) {
    throw new InputError(
      "BACKEND_NOT_SUPPORTED",
      "the postgres-patroni store on the docker backend runs every link through its own proxy container",
      {
        details: { field: request.network !== "proxy" ? "network" : "toxiproxyUrl" },
        hint: "leave out --network direct and --toxiproxy-url with --backend docker",
      },
    );
  }
  const s = request.settings;
  const docker = await connectDocker();
  const removed = await reapDocker(docker);
  if (removed.length > 0) {
    request.say(`removed ${removed.length} container(s)/network(s) left behind by dead run(s)`);
  }
  const images = imageRefs(
    request.docker.images,
    PG_IMAGES,
    request.docker.proxyImage !== undefined ? { proxy: request.docker.proxyImage } : {},
  );
  await requireImages(docker, images, request.docker.images);
  const user = postgresUser();

  const prefix = `fl-${createHash("sha256").update(`${request.tag.runId}:${request.tag.harnessPid}`).digest("hex").slice(0, 10)}`;
  const labels = runLabels(request.tag);
  mkdirSync(join(request.runDir, "nodes", "proxy"), { recursive: true });
  const reaper = request.keepProxyAfterHarness
    ? undefined
    : await startRunReaperOrWarn(docker, prefix, labels, {
        guard: { logFile: join(request.runDir, "nodes", "reaper-guard.log"), env: runTagEnv(request.tag) },
        say: request.say,
      });
  if (reaper) stack.defer("reaper", () => reaper.stop());
  // Each creation is announced to the reaper, which removes what a harness dying meanwhile was creating.
  const create = (spec: Docker.ContainerCreateOptions): Promise<Docker.Container> => {
    const make = (): Promise<Docker.Container> => docker.createContainer(spec);
    return reaper && spec.name ? reaper.creating("container", spec.name, make) : make();
  };
  const makeNetwork = (): ReturnType<typeof createRunNetwork> => createRunNetwork(docker, prefix, labels);
  const net = await (reaper ? reaper.creating("network", prefix, makeNetwork) : makeNetwork());
  stack.defer("network", () => removeRunNetwork(net.network));
  const ctx: RunContainerContext = { network: net.name, labels, prefix };
  const proxyIp = hostAddress(net.subnet, PROXY_HOST_NUMBER);

  const nodeNames = Array.from({ length: s.followers + 1 }, (_, i) => `n${i + 1}`);
  const etcdNames = Array.from({ length: s.failoverManagers }, (_, i) => `s${i + 1}`);
  const ipOf = new Map([
    ...nodeNames.map((n, i) => [n, hostAddress(net.subnet, 11 + i)] as const),
    ...etcdNames.map((n, i) => [n, hostAddress(net.subnet, 31 + i)] as const),
  ]);
  // The proxy's listeners: every node's PostgreSQL and REST API, every member's client and peer port, each on
  // its own port of the proxy's address (7001…); clients get a listener of their own per data node.
  const listeners = [
    ...nodeNames.flatMap((n) => [
      { name: n, node: n, port: PG_PORT, clients: true },
      { name: `${n}-rest`, node: n, port: REST_PORT, clients: false },
    ]),
    ...etcdNames.flatMap((m) => [
      { name: m, node: m, port: ETCD_CLIENT_PORT, clients: false },
      { name: `${m}-peer`, node: m, port: ETCD_PEER_PORT, clients: false },
    ]),
  ].map((l, k) => ({ ...l, publicPort: 7001 + k }));
  const publicOf = (name: string): Address => ({
    host: proxyIp,
    port: listeners.find((l) => l.name === name)!.publicPort,
  });
  const clientPort = (client: string, node: string): number =>
    10_000 + 32 * request.clients.indexOf(client) + nodeNames.indexOf(node);

  const hostPorts = await allocatePorts(1 + request.clients.length * nodeNames.length + 2 * nodeNames.length);
  let next = 0;
  const proxyPorts = new Map<number, number>([[PROXY_API_PORT, hostPorts[next++]!]]);
  for (const c of request.clients)
    for (const n of nodeNames) proxyPorts.set(clientPort(c, n), hostPorts[next++]!);
  const published = new Map(
    nodeNames.map((n) => [n, { sql: hostPorts[next++]!, rest: hostPorts[next++]! }] as const),
  );

  // The plan inside the containers (what the configurations say) and the harness's view of it.
  const dirOf = (name: string): string => join(request.runDir, "nodes", name);
  const inside: PgClusterPlan = {
    scope: "faultline",
    etcd: etcdNames.map((m) => ({
      name: m,
      dir: NODE_DIR,
      client: { real: { host: "0.0.0.0", port: ETCD_CLIENT_PORT }, public: publicOf(m) },
      peer: { real: { host: "0.0.0.0", port: ETCD_PEER_PORT }, public: publicOf(`${m}-peer`) },
    })),
    nodes: nodeNames.map((n) => ({
      name: n,
      dir: NODE_DIR,
      dataDir: `${NODE_DIR}/data`,
      postgres: { real: { host: "0.0.0.0", port: PG_PORT }, public: publicOf(n) },
      rest: { real: { host: "0.0.0.0", port: REST_PORT }, public: publicOf(`${n}-rest`) },
    })),
  };
  const plan: PgClusterPlan = {
    scope: inside.scope,
    etcd: inside.etcd.map((m) => ({
      ...m,
      dir: dirOf(m.name),
      client: { real: { host: ipOf.get(m.name)!, port: ETCD_CLIENT_PORT }, public: m.client.public },
      peer: { real: { host: ipOf.get(m.name)!, port: ETCD_PEER_PORT }, public: m.peer.public },
    })),
    nodes: inside.nodes.map((n) => ({
      ...n,
      dir: dirOf(n.name),
      dataDir: join(dirOf(n.name), "data"),
      postgres: { real: { host: "127.0.0.1", port: published.get(n.name)!.sql }, public: n.postgres.public },
      rest: { real: { host: "127.0.0.1", port: published.get(n.name)!.rest }, public: n.rest.public },
    })),
  };

  const cluster = new DockerPgCluster(docker, plan, request.runDir, request.tag.runId, create);
  stack.defer("containers", () => cluster.stop());
  const proxyUrl = `http://127.0.0.1:${proxyPorts.get(PROXY_API_PORT)!}`;
  const proxy = await startProxyContainer(
    docker,
    proxyContainerSpec(ctx, images.proxy, proxyIp, proxyPorts, request.proxySeed),
    proxyUrl,
    {
      timeoutMs: 20_000,
      logDir: join(request.runDir, "nodes", "proxy"),
      create,
      onCreated: (c) => cluster.adopt("proxy", c, join(request.runDir, "nodes", "proxy", "proxy.log")),
    },
  );
  cluster.proxyPid = proxy.pid;
  const network = await wireProxyNetwork(
    {
      nodes: listeners.map((l) => ({
        name: l.name,
        real: { host: ipOf.get(l.node)!, port: l.port },
        // One source address per container: the sources map names the node by its main listener only.
        sourceAddress: l.name === l.node ? ipOf.get(l.node)! : "",
        publicPort: l.publicPort,
        destination: l.node,
        clients: l.clients,
      })),
      clients: request.clients,
      listeners: {
        host: "0.0.0.0",
        clientPort,
        reachable: (port) => ({ host: "127.0.0.1", port: proxyPorts.get(port)! }),
      },
    },
    { url: proxyUrl },
  );
  stack.defer("proxy listeners", () => network.stop());
  if (network.proxyServer !== "faultline") {
    throw new InputError(
      "PROXY_NOT_SOURCE_AWARE",
      "the postgres-patroni store needs faultline's own proxy image: one proxy listener is shared by every " +
        "standby and Patroni agent, so only a proxy that tells senders apart can cut one link",
      { details: { field: "proxyImage", image: images.proxy }, hint: "leave out --proxy-image" },
    );
  }

  request.say(
    `starting ${nodeNames.length} PostgreSQL + Patroni containers and ${etcdNames.length} etcd containers…`,
  );
  const timing = { ttl: s.ttl, loopWait: s.loopWait, retryTimeout: s.retryTimeout };
  const replication = replicationOf(request.replication, s);
  for (const m of inside.etcd) {
    const dir = prepareDir(dirOf(m.name), user);
    await cluster.create(m.name, {
      ...containerBase(ctx, m.name, "failover-manager", images.store, ipOf.get(m.name)!, dir, user),
      Entrypoint: ["etcd", ...etcdArgs(m, inside)],
    });
  }
  for (const n of inside.nodes) {
    const dir = prepareDir(dirOf(n.name), user);
    const file = join(dir, "patroni.yml");
    writeFileSync(
      file,
      patroniYaml({ plan: inside, node: n, timing, replication, trust: ["127.0.0.0/8", net.subnet] }),
    );
    if (user) chownSync(file, user.uid, user.gid);
    const ports = published.get(n.name)!;
    const base = containerBase(ctx, n.name, "data", images.store, ipOf.get(n.name)!, dir, user);
    await cluster.create(n.name, {
      ...base,
      Entrypoint: ["patroni", `${NODE_DIR}/patroni.yml`],
      ExposedPorts: { [`${PG_PORT}/tcp`]: {}, [`${REST_PORT}/tcp`]: {} },
      HostConfig: {
        ...base.HostConfig,
        PortBindings: {
          [`${PG_PORT}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: String(ports.sql) }],
          [`${REST_PORT}/tcp`]: [{ HostIp: "127.0.0.1", HostPort: String(ports.rest) }],
        },
      },
    });
  }
  await cluster.watch();
  for (const m of etcdNames) await cluster.start(m);
  for (const n of nodeNames) await cluster.start(n);
  await network.ready();
  await cluster.awaitReady(180_000);
  return { plan, cluster, network };
}

/** The image's `postgres` account, as this machine has it (the image is staged with the same ids). */
function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    return findPasswdUser(readFileSync("/etc/passwd", "utf8"), "postgres");
  } catch {
    return undefined;
  }
}

/** Makes a node's directory, owned by the containers' `postgres` user (or open to it, without root). */
function prepareDir(dir: string, user: { uid: number; gid: number } | undefined): string {
  mkdirSync(dir, { recursive: true });
  if (user && process.getuid?.() === 0) chownSync(dir, user.uid, user.gid);
  else chmodSync(dir, 0o777);
  return dir;
}

function containerBase(
  ctx: RunContainerContext,
  name: string,
  role: string,
  image: string,
  ip: string,
  dir: string,
  user: { uid: number; gid: number } | undefined,
): Docker.ContainerCreateOptions & { HostConfig: Docker.HostConfig } {
  return {
    name: `${ctx.prefix}-${name}`,
    Image: image,
    User: user ? `${user.uid}:${user.gid}` : "postgres",
    WorkingDir: NODE_DIR,
    Env: [`HOME=${NODE_DIR}`],
    Labels: { ...ctx.labels, [LABELS.node]: name, [LABELS.role]: role },
    StopTimeout: 1,
    HostConfig: { Binds: [`${dir}:${NODE_DIR}`], NetworkMode: ctx.network, RestartPolicy: { Name: "no" } },
    NetworkingConfig: { EndpointsConfig: { [ctx.network]: { IPAMConfig: { IPv4Address: ip } } } },
  };
}

interface ContainerState {
  container: Docker.Container;
  log: string;
  running: boolean;
  paused: boolean;
  pid: number | undefined;
}

/**
 * The containers of one cluster and the controls the store needs of them (those of the local cluster): kill
 * (`docker kill`, SIGKILL: a data node's Patroni and PostgreSQL die together, a node crash), start again (same
 * container, same address, same data), pause (`docker pause`, the cgroup freezer), the cluster's state through
 * Patroni's REST API, and stop, which saves each container's output to `nodes/<name>/container.log` and removes
 * every container.
 */
export class DockerPgCluster {
  readonly #states = new Map<string, ContainerState>();
  #unwatch: (() => void) | undefined;
  #stopped: Promise<void> | undefined;
  #released = false;
  proxyPid: number | undefined;

  constructor(
    private readonly docker: Docker,
    readonly plan: PgClusterPlan,
    private readonly runDir: string,
    private readonly runId: string,
    private readonly createContainer: (spec: Docker.ContainerCreateOptions) => Promise<Docker.Container>,
  ) {}

  /** Takes a container made elsewhere (the proxy's) into the ones stop removes. */
  adopt(name: string, container: Docker.Container, log: string): void {
    this.#states.set(name, { container, log, running: true, paused: false, pid: undefined });
  }

  /** Creates (without starting) node `name`'s container. */
  async create(name: string, spec: Docker.ContainerCreateOptions): Promise<void> {
    const container = await this.createContainer(spec);
    this.#states.set(name, {
      container,
      log: join(this.runDir, "nodes", name, "container.log"),
      running: false,
      paused: false,
      pid: undefined,
    });
  }

  /** Follows the run's containers' deaths (a process that exits on its own). */
  async watch(): Promise<void> {
    this.#unwatch = await watchContainerDeaths(this.docker, this.runId, async (node) => {
      const s = this.#states.get(node);
      if (!s?.running) return;
      const info = await s.container.inspect().catch(() => undefined);
      if (info && !info.State.Running) s.running = false;
    });
  }

  /** Starts (or restarts) container `name`. */
  async start(name: string): Promise<void> {
    const s = this.#state(name);
    await s.container.start();
    const info = await s.container.inspect();
    s.running = info.State.Running;
    s.paused = false;
    s.pid = info.State.Pid;
  }

  /** Restarts an etcd member; a changed environment (a clock shim) cannot be given to a container here. */
  async startEtcd(name: string, env: Readonly<Record<string, string>> = {}): Promise<void> {
    noEnv(name, env);
    await this.start(name);
  }

  /** Restarts a data node (Patroni, which starts its PostgreSQL). */
  async startNode(name: string, env: Readonly<Record<string, string>> = {}): Promise<void> {
    noEnv(name, env);
    await this.start(name);
  }

  /** SIGKILLs container `name` and waits until it is down. */
  async killProcess(name: string): Promise<void> {
    const s = this.#state(name);
    s.running = false;
    try {
      await s.container.kill({ signal: "SIGKILL" });
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 409) throw err;
    }
    await s.container.wait({ condition: "not-running" });
  }

  /** A data node's crash: its container (Patroni and PostgreSQL) is killed. */
  async kill(name: string, _what: "both"): Promise<void> {
    await this.killProcess(name);
  }

  isEtcd(name: string): boolean {
    return this.plan.etcd.some((m) => m.name === name);
  }

  isRunning(name: string): boolean {
    return this.#states.get(name)?.running ?? false;
  }

  pid(name: string): number | undefined {
    const s = this.#states.get(name);
    return s?.running ? s.pid : undefined;
  }

  /** Pauses (SIGSTOP) or resumes (SIGCONT) container `name` through the cgroup freezer. */
  async signal(name: string, sig: "SIGSTOP" | "SIGCONT"): Promise<number | undefined> {
    const s = this.#state(name);
    if (sig === "SIGSTOP") {
      await s.container.pause();
      s.paused = true;
    } else {
      try {
        await s.container.unpause();
      } catch (err) {
        if (!/not paused|is not running/i.test((err as Error).message)) throw err;
      }
      s.paused = false;
    }
    return s.pid;
  }

  /** `GET /cluster` from the first Patroni that answers. */
  members(): Promise<PatroniMember[] | undefined> {
    return patroniMembers(this.plan.nodes);
  }

  /** The readiness verdict now (see {@link patroniReadiness}). */
  readiness(): Promise<ClusterReadiness> {
    return patroniReadiness(this.plan.nodes);
  }

  /** Polls until ready; rejects with the last reason and the containers' last lines after `timeoutMs`. */
  async awaitReady(timeoutMs: number): Promise<void> {
    const t0 = Date.now();
    let last: ClusterReadiness = { ready: false, leader: undefined, reason: "not asked yet" };
    while (Date.now() - t0 < timeoutMs) {
      last = await this.readiness();
      if (last.ready) return;
      const dead = [...this.plan.nodes, ...this.plan.etcd].find((n) => !this.isRunning(n.name));
      if (dead) throw await this.#startError(`the container of ${dead.name} exited`);
      await sleep(250);
    }
    throw await this.#startError(`not ready after ${timeoutMs} ms: ${last.reason}`);
  }

  /** Lets the harness exit with the containers running (`--leave-running`); the pids by name. */
  release(): Record<string, number> {
    this.#released = true;
    this.#unwatch?.();
    const pids: Record<string, number> = {};
    for (const [name, s] of this.#states) if (s.running && s.pid) pids[name] = s.pid;
    if (this.proxyPid) pids.proxy = this.proxyPid;
    this.#stopped = Promise.resolve();
    return pids;
  }

  /** Saves every container's output and removes it (the proxy's too). Idempotent. */
  stop(): Promise<void> {
    this.#stopped ??= (async () => {
      this.#unwatch?.();
      if (this.#released) return;
      await Promise.all(
        [...this.#states.values()].map(async (s) => {
          await saveContainerOutput(s.container, s.log).catch(() => false);
          await s.container.remove({ force: true, v: true }).catch((err: unknown) => {
            if ((err as { statusCode?: number }).statusCode !== 404) throw err;
          });
          s.running = false;
        }),
      );
    })();
    return this.#stopped;
  }

  #state(name: string): ContainerState {
    const s = this.#states.get(name);
    if (!s) throw new RangeError(`no container for ${name}`);
    return s;
  }

  async #startError(reason: string): Promise<FaultlineError> {
    const tails = await Promise.all(
      [...this.plan.nodes, ...this.plan.etcd].map(async (n) => {
        const s = this.#states.get(n.name);
        if (!s) return `--- ${n.name}: no container`;
        await saveContainerOutput(s.container, s.log).catch(() => false);
        let text = "";
        try {
          text = readFileSync(s.log, "utf8").split("\n").slice(-8).join("\n");
        } catch {
          // nothing written
        }
        return `--- ${s.log}\n${text}`;
      }),
    );
    return new FaultlineError(
      "PG_CLUSTER_NOT_READY",
      `PostgreSQL cluster did not start in docker: ${reason}\n${tails.join("\n")}`,
      {
        details: { reason },
        hint: "see the container logs above; rebuild the image with `faultline images build-local`",
      },
    );
  }
}

function noEnv(name: string, env: Readonly<Record<string, string>>): void {
  if (Object.keys(env).length > 0) {
    throw new InputError(
      "BACKEND_NOT_SUPPORTED",
      `${name}: the postgres-patroni store cannot start a container with a changed environment (a clock fault) yet`,
      { details: { node: name, env: Object.keys(env) }, hint: "run clock faults on the local backend" },
    );
  }
}
