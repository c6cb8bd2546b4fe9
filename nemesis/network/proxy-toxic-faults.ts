import type { Toxiproxy } from "toxiproxy-node-client";

/** A proxy as `GET /proxies` returns it (the node client keeps only some of these fields). */
interface ProxyState {
  name: string;
  enabled: boolean;
  toxics?: { name: string; type: string; stream: string }[];
}

/**
 * The proxy-level faults left on `names` (Toxiproxy's standard API): every toxic, and every disabled proxy, in
 * words. Proxies that do not exist are skipped. Read through `toxiproxy-node-client`'s HTTP client, since its
 * `Proxy` objects drop the toxics.
 */
export async function proxyToxicFaults(toxiproxy: Toxiproxy, names: readonly string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const { data } = await toxiproxy.getApi().get<Record<string, ProxyState>>(`${toxiproxy.host}/proxies`);
  const out: string[] = [];
  for (const name of names) {
    const p = data[name];
    if (!p) continue;
    if (!p.enabled) out.push(`proxy ${name} is disabled`);
    for (const t of p.toxics ?? []) out.push(`toxic ${t.name} (${t.type} ${t.stream}) on proxy ${name}`);
  }
  return out;
}

/** Removes every toxic of the proxies `names` and enables them again (a real Toxiproxy's heal of our proxies). */
export async function clearProxyToxics(toxiproxy: Toxiproxy, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const api = toxiproxy.getApi();
  const { data } = await api.get<Record<string, ProxyState>>(`${toxiproxy.host}/proxies`);
  await Promise.all(
    names.map(async (name) => {
      const p = data[name];
      if (!p) return;
      const path = `${toxiproxy.host}/proxies/${encodeURIComponent(name)}`;
      await Promise.all(
        (p.toxics ?? []).map((t) => api.delete(`${path}/toxics/${encodeURIComponent(t.name)}`)),
      );
      if (!p.enabled) await api.post(path, { enabled: true });
    }),
  );
}
