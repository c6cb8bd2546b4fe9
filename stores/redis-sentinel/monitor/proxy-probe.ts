import type { ProxyLinkView } from "../../failover-evidence.js";
import { FaultlineProxyClient } from "../../../nemesis/proxy-client/index.js";
import type { Network } from "../../../nemesis/network/index.js";

/** What the monitor can ask the proxy when a failover starts (none of it goes through a proxied link). */
export interface ProxyProbe {
  /** Every link fault in effect, in words (`link toxic … (blackhole upstream on s1->n3)`). */
  faults(): Promise<string[]>;
  /** Live proxied connections (faultline's proxy only): who to whom, opened when (epoch ms). */
  connections?(): Promise<{ source: string; destination: string; opened: number }[]>;
  /** Proxy changes (toxics added or removed, proxies disabled) at or after `sinceEpochMs`, in words. */
  changesSince?(sinceEpochMs: number): Promise<string[]>;
}

/** How far back {@link proxyLinkView} lists proxy changes. */
const RECENT_MS = 5_000;

/**
 * The probe of a cluster's network: link faults through its `links`, and with faultline's proxy its live
 * connections (`GET /faultline/connections`) and its event log (`GET /faultline/events`). `undefined` for a
 * direct network.
 */
export function proxyProbe(network: Network): ProxyProbe | undefined {
  const links = network.links;
  if (!links) return undefined;
  const probe: ProxyProbe = { faults: () => links.linkFaults() };
  if (network.proxyServer === "faultline" && network.apiUrl !== undefined) {
    const ext = new FaultlineProxyClient(network.apiUrl, { timeoutMs: 1000 });
    probe.connections = async () =>
      (await ext.listConnections()).map((c) => ({
        source: c.source,
        destination: c.destination,
        opened: Date.parse(c.opened),
      }));
    probe.changesSince = async (since) => {
      const page = await ext.pollEvents({ since: 0 });
      return page.events
        .filter(
          (e) =>
            e.kind.startsWith("toxic.") || e.kind.startsWith("link-toxic.") || e.kind === "proxy.disabled",
        )
        .filter((e) => Date.parse(e.at) >= since)
        .map((e) => `${e.at.slice(11, 23)} ${e.kind} ${e.toxic?.name ?? e.proxy ?? ""}`.trim());
    };
  }
  return probe;
}

/**
 * What the proxy shows of `manager`'s links to `leader` at `now` (epoch ms): every fault, those on these
 * links (faultline's link toxics name `manager->leader`; a plain Toxiproxy's can only be on the leader's proxy),
 * the live connections between them and recent changes. A question the proxy cannot answer is left `null`/empty.
 */
export async function proxyLinkView(
  probe: ProxyProbe,
  manager: string,
  leader: string,
  now: number,
): Promise<ProxyLinkView> {
  const [faults, conns, changes] = await Promise.all([
    probe.faults().catch((err: unknown) => [`(could not list faults: ${String(err)})`]),
    probe.connections?.().catch(() => undefined),
    probe.changesSince?.(now - RECENT_MS).catch(() => [] as string[]),
  ]);
  const onLink = (f: string): boolean =>
    f.includes(`${manager}->${leader}`) ||
    f.includes(`${leader}->${manager}`) ||
    f.endsWith(`on proxy ${leader}`) ||
    f === `proxy ${leader} is disabled`;
  const mine = conns?.filter((c) => c.source === manager && c.destination === leader);
  const oldest = mine && mine.length > 0 ? Math.min(...mine.map((c) => c.opened)) : undefined;
  return {
    faults,
    faultsOnLink: faults.filter(onLink),
    connections: mine ? mine.length : null,
    oldestConnectionMsAgo: oldest === undefined ? null : Math.max(0, now - oldest),
    recentChanges: changes ?? [],
  };
}
