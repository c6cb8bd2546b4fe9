import type { Toxiproxy } from "toxiproxy-node-client";
import type {
  LinkCut,
  LinkCutStyle,
  LinkRule,
  LinkToxic,
  LinkToxicable,
  Partitionable,
} from "../../core/cluster/index.js";
import { FaultlineError } from "../../core/errors/index.js";
import { clearProxyToxics, proxyToxicFaults } from "./proxy-toxic-faults.js";

/** Who is on the network: server nodes (one proxy each) and clients (one proxy per client and node). */
export interface DestinationTopology {
  readonly servers: readonly string[];
  readonly clients: readonly string[];
  /** The proxy that carries `client`'s connections to `node`. */
  readonly clientProxy: (client: string, node: string) => string;
}

/** Where a set of rules lands on a per-destination proxy server: one proxy, one stream. */
export interface ProxyStream {
  readonly proxy: string;
  readonly stream: "upstream" | "downstream";
}

/**
 * Maps link rules onto per-destination proxies (spec §2.6 Design A), or says why it cannot. A client's
 * connections to a node have a proxy of their own (`c1-n1`); every server's connections to node X share the
 * proxy `X`, so a rule whose source is a server is expressible only together with the same rule for every other
 * server — then it is that proxy's stream. Returns the distinct (proxy, stream) pairs, or the rules left over.
 */
export function planDestinationRules(
  rules: readonly LinkRule[],
  topology: DestinationTopology,
): { ok: true; targets: ProxyStream[] } | { ok: false; unexpressible: LinkRule[] } {
  const targets = new Map<string, ProxyStream>();
  const put = (proxy: string, stream: ProxyStream["stream"]): void =>
    void targets.set(`${proxy}\u0000${stream}`, { proxy, stream });
  const fromServers = new Map<string, LinkRule[]>();
  for (const r of rules) {
    if (topology.clients.includes(r.source)) {
      put(topology.clientProxy(r.source, r.destination), r.stream);
      continue;
    }
    const key = `${r.destination}\u0000${r.stream}`;
    fromServers.set(key, [...(fromServers.get(key) ?? []), r]);
  }
  const unexpressible: LinkRule[] = [];
  for (const group of fromServers.values()) {
    const { destination, stream } = group[0]!;
    const sources = new Set(group.map((r) => r.source));
    const everyServer = topology.servers.filter((s) => s !== destination).every((s) => sources.has(s));
    const onlyServers = [...sources].every((s) => topology.servers.includes(s));
    if (everyServer && onlyServers) put(destination, stream);
    else unexpressible.push(...group);
  }
  return unexpressible.length > 0
    ? { ok: false, unexpressible }
    : { ok: true, targets: [...targets.values()] };
}

let batches = 0;

/**
 * Link faults on a plain Toxiproxy (no source awareness): each rule set is planned onto per-destination proxies
 * ({@link planDestinationRules}) and applied as standard toxics. A `blackhole` becomes Toxiproxy's `timeout`
 * toxic with timeout 0 (bytes are dropped, not held, until it is removed); `refuse` disables the proxy (its
 * listener closes, its connections drop). Rules that need per-link rules are refused with
 * `LINK_NOT_EXPRESSIBLE`, and nothing is changed. `heal` and `linkFaults` look only at this run's proxies, so a
 * Toxiproxy shared with other users keeps their state.
 *
 * @example
 * const links = destinationLinkToxics(new Toxiproxy(url), topology, () => ["n1", "n2", "c1-n1"]);
 * await links.cutLinks(grudgeRules.filter((r) => r.source !== leader));
 */
export function destinationLinkToxics(
  toxiproxy: Toxiproxy,
  topology: DestinationTopology,
  proxies: () => readonly string[],
): LinkToxicable & Partitionable {
  const api = toxiproxy.getApi();
  const path = (proxy: string): string => `${toxiproxy.host}/proxies/${encodeURIComponent(proxy)}`;
  const apply = async (rules: readonly LinkRule[], toxic: LinkToxic): Promise<LinkCut> => {
    const plan = planDestinationRules(rules, topology);
    if (!plan.ok) {
      const links = [...new Set(plan.unexpressible.map((r) => `${r.source}->${r.destination}`))];
      throw new FaultlineError(
        "LINK_NOT_EXPRESSIBLE",
        `a plain Toxiproxy cannot fault the links ${links.join(", ")} on their own: it has one proxy per destination, shared by every server`,
        {
          details: { rules: plan.unexpressible },
          hint: "per-link faults need faultline's source-aware proxy (leave out --toxiproxy-url)",
          userError: true,
        },
      );
    }
    const id = ++batches;
    const added: { proxy: string; name: string }[] = [];
    const disabled: string[] = [];
    const undo = async (): Promise<void> => {
      await Promise.all(
        added.map((t) =>
          api.delete(`${path(t.proxy)}/toxics/${encodeURIComponent(t.name)}`).catch(ignoreMissing),
        ),
      );
      await Promise.all(disabled.map((p) => api.post(path(p), { enabled: true }).catch(ignoreMissing)));
    };
    try {
      if (toxic.type === "refuse") {
        for (const p of new Set(plan.targets.map((t) => t.proxy))) {
          await api.post(path(p), { enabled: false });
          disabled.push(p);
        }
      } else {
        const type = toxic.type === "blackhole" ? "timeout" : toxic.type;
        const attributes = toxic.type === "blackhole" ? { timeout: 0 } : { ...toxic.attributes };
        for (const t of plan.targets) {
          const name = `fl${id}_${type}_${t.stream}`;
          await api.post(`${path(t.proxy)}/toxics`, {
            name,
            type,
            stream: t.stream,
            toxicity: toxic.toxicity ?? 1,
            attributes,
          });
          added.push({ proxy: t.proxy, name });
        }
      }
    } catch (err) {
      await undo().catch(() => undefined);
      throw err;
    }
    let healed: Promise<void> | undefined;
    return {
      rules,
      heal() {
        healed ??= undo();
        return healed;
      },
    };
  };
  return {
    granularity: "destination",
    addLinkToxics: apply,
    cutLinks: (rules, options?: { readonly cut?: LinkCutStyle }) =>
      apply(rules, { type: options?.cut ?? "blackhole" }),
    heal: () => clearProxyToxics(toxiproxy, proxies()),
    linkFaults: () => proxyToxicFaults(toxiproxy, proxies()),
  };
}

/** A toxic or proxy already gone (a heal-everything removed it) is healed. */
function ignoreMissing(err: unknown): void {
  const e = err as { status?: number; message?: string };
  if (e.status === 404 || /\b404\b|not found/i.test(String(e.message))) return;
  throw err;
}
