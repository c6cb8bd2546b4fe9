import type { Address } from "./plan.js";
import {
  clusterReadiness,
  parseClusterMembers,
  type ClusterReadiness,
  type PatroniMember,
} from "./cluster-status.js";

/**
 * `GET http://host:port<path>` of a Patroni REST API: the status code and the parsed JSON body (`undefined`
 * when unreachable, timed out or not JSON). Health endpoints answer 200 / 503 with a body either way.
 */
export async function patroniGet(
  at: Address,
  path: string,
  timeoutMs = 1000,
): Promise<{ status: number; body: unknown } | undefined> {
  try {
    const res = await fetch(`http://${at.host}:${at.port}${path}`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: res.status, body };
  } catch {
    return undefined;
  }
}

/** A data node as the REST helpers need it: its name and the address its Patroni REST API answers on. */
export interface RestNode {
  name: string;
  rest: { real: Address };
}

/** `GET /cluster` from the first Patroni of `nodes` that answers, parsed; `undefined` when none does. */
export async function patroniMembers(nodes: readonly RestNode[]): Promise<PatroniMember[] | undefined> {
  for (const n of nodes) {
    const r = await patroniGet(n.rest.real, "/cluster");
    if (r?.status === 200) return parseClusterMembers(r.body);
  }
  return undefined;
}

/**
 * The readiness verdict now ({@link clusterReadiness}): `/cluster` from the first Patroni that answers, and
 * `/patroni` of the leader it names.
 */
export async function patroniReadiness(nodes: readonly RestNode[]): Promise<ClusterReadiness> {
  for (const n of nodes) {
    const c = await patroniGet(n.rest.real, "/cluster");
    if (c?.status !== 200) continue;
    const leader = parseClusterMembers(c.body).find((m) => m.role === "leader");
    const node = leader ? nodes.find((x) => x.name === leader.name) : undefined;
    const status = node ? await patroniGet(node.rest.real, "/patroni") : undefined;
    return clusterReadiness(
      c.body,
      status?.body,
      nodes.map((x) => x.name),
    );
  }
  return { ready: false, leader: undefined, reason: "no Patroni REST API answers" };
}
