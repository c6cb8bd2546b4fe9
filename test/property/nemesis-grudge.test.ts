import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canInitiate,
  endpoints,
  grudgeToLinkRules,
  isolateNode,
  oneWay,
  partitionBridge,
  partitionHalves,
  partitionLeader,
  partitionMajoritiesRing,
  reaches,
  roleOf,
  servers,
  type Grudge,
  type GrudgeRandom,
  type LinkRule,
  type Topology,
} from "../../nemesis/grudge/index.js";

/** A deterministic GrudgeRandom from a seed (mulberry32), independent of the code under test. */
function seeded(seed: number): GrudgeRandom {
  let a = seed >>> 0;
  return {
    int(max: number): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * max);
    },
  };
}

const names = (prefix: string, n: number): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

function topologyArb(min: { nodes?: number; servers?: number } = {}): fc.Arbitrary<Topology> {
  return fc
    .record({
      nodes: fc.integer({ min: min.nodes ?? 1, max: 6 }),
      managers: fc.integer({ min: 0, max: 5 }),
      clients: fc.integer({ min: 0, max: 5 }),
    })
    .filter((c) => c.nodes + c.managers >= (min.servers ?? 1))
    .map((c) => ({
      nodes: names("n", c.nodes),
      managers: names("s", c.managers),
      clients: names("c", c.clients),
    }));
}

const bothClients = (t: Topology, a: string, b: string): boolean =>
  roleOf(t, a) === "client" && roleOf(t, b) === "client";

/** Every ordered pair of distinct endpoints. */
function pairs(t: Topology): [string, string][] {
  const all = endpoints(t);
  return all.flatMap((a) => all.filter((b) => b !== a).map((b): [string, string] => [a, b]));
}

/** Servers `s` reaches and is reached by (itself included): what a server "sees". */
function sees(g: Grudge, s: string): string[] {
  return servers(g.topology).filter((x) => reaches(g, s, x) && reaches(g, x, s));
}

/** Any grudge kind over any topology that supports it. */
const anyGrudgeArb: fc.Arbitrary<Grudge> = fc
  .tuple(topologyArb(), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 4 }))
  .map(([t, seed, pick, kind]): Grudge => {
    const all = endpoints(t);
    const srv = servers(t);
    const r = seeded(seed);
    if (kind === 1 && srv.length >= 2) return partitionHalves(t, r);
    if (kind === 2 && srv.length >= 4) return partitionMajoritiesRing(t, r);
    if (kind === 3 && srv.length >= 3) return partitionBridge(t, r);
    if (kind === 4) {
      const from = all.filter((_, i) => (pick >> i) & 1);
      const to = all.filter((n) => !from.includes(n));
      if (from.length > 0 && to.length > 0) return oneWay(t, from, to);
    }
    if (pick % 2 === 0) return partitionLeader(t, t.nodes[pick % t.nodes.length] as string);
    return isolateNode(t, srv[pick % srv.length] as string);
  });

describe("partitionMajoritiesRing", () => {
  it("should let every server see a majority and no two servers see the same one, for 4+ servers", () => {
    fc.assert(
      fc.property(topologyArb({ servers: 4 }), fc.nat(), (t, seed) => {
        const g = partitionMajoritiesRing(t, seeded(seed));
        const srv = servers(t);
        const majority = Math.floor(srv.length / 2) + 1;
        const seen = new Set<string>();
        for (const s of srv) {
          const view = sees(g, s);
          expect(view.length).toBeGreaterThanOrEqual(majority);
          const key = [...view].sort().join(",");
          expect(seen.has(key)).toBe(false);
          seen.add(key);
          // The recorded view is what reachability says.
          const recorded = g.views.find((v) => v.member === s)!.sees;
          expect([...recorded].sort()).toEqual([...view].sort());
        }
        expect([...g.ring].sort()).toEqual([...srv].sort());
      }),
    );
  });

  it("should cut something for 5+ servers and keep reachability symmetric", () => {
    fc.assert(
      fc.property(topologyArb({ servers: 5 }), fc.nat(), (t, seed) => {
        const g = partitionMajoritiesRing(t, seeded(seed));
        expect(g.blocked.length).toBeGreaterThan(0);
        for (const [a, b] of pairs(t)) expect(reaches(g, a, b)).toBe(reaches(g, b, a));
      }),
    );
  });

  it("should give each client exactly its anchor's view", () => {
    fc.assert(
      fc.property(topologyArb({ servers: 4 }), fc.nat(), (t, seed) => {
        const g = partitionMajoritiesRing(t, seeded(seed));
        for (const { client, anchor } of g.anchors) {
          const view = g.views.find((v) => v.member === anchor)!.sees;
          for (const s of servers(t)) expect(reaches(g, client, s)).toBe(view.includes(s));
        }
      }),
    );
  });
});

describe("partitionBridge", () => {
  it("should let the bridge reach both sides and keep the sides apart", () => {
    fc.assert(
      fc.property(topologyArb({ servers: 3 }), fc.nat(), (t, seed) => {
        const g = partitionBridge(t, seeded(seed));
        const [a, b] = g.components;
        expect([...a, ...b, g.bridge].sort()).toEqual(endpoints(t).sort());
        expect(a.filter((x) => servers(t).includes(x)).length).toBeGreaterThan(0);
        expect(b.filter((x) => servers(t).includes(x)).length).toBeGreaterThan(0);
        for (const x of endpoints(t)) {
          expect(reaches(g, g.bridge, x)).toBe(true);
          expect(reaches(g, x, g.bridge)).toBe(true);
        }
        for (const x of a) {
          for (const y of b) {
            if (bothClients(t, x, y)) continue;
            expect(reaches(g, x, y)).toBe(false);
            expect(reaches(g, y, x)).toBe(false);
          }
        }
        for (const side of [a, b])
          for (const x of side) for (const y of side) expect(reaches(g, x, y)).toBe(true);
      }),
    );
  });
});

describe("partitionHalves", () => {
  it("should split the servers into two halves, smaller first, that cannot reach each other", () => {
    fc.assert(
      fc.property(topologyArb({ servers: 2 }), fc.nat(), (t, seed) => {
        const g = partitionHalves(t, seeded(seed));
        const [a, b] = g.components;
        const srv = servers(t);
        expect([...a, ...b].sort()).toEqual(endpoints(t).sort());
        expect(a.filter((x) => srv.includes(x)).length).toBe(Math.floor(srv.length / 2));
        expect(b.filter((x) => srv.includes(x)).length).toBe(Math.ceil(srv.length / 2));
        for (const [x, y] of pairs(t)) {
          const sameSide = a.includes(x) === a.includes(y);
          expect(reaches(g, x, y)).toBe(sameSide || bothClients(t, x, y));
        }
      }),
    );
  });

  it("should deal clients round-robin, larger side first", () => {
    const t = { nodes: names("n", 3), managers: names("s", 2), clients: names("c", 3) };
    const g = partitionHalves(t, seeded(1));
    expect(g.components[1].filter((x) => x.startsWith("c"))).toEqual(["c1", "c3"]);
    expect(g.components[0].filter((x) => x.startsWith("c"))).toEqual(["c2"]);
  });

  it("should give the same halves for the same seed", () => {
    fc.assert(
      fc.property(topologyArb({ servers: 2 }), fc.nat(), (t, seed) => {
        expect(partitionHalves(t, seeded(seed))).toEqual(partitionHalves(t, seeded(seed)));
      }),
    );
  });
});

describe("isolateNode", () => {
  it("should make the node reach nobody and nobody reach it, and leave every other pair open", () => {
    fc.assert(
      fc.property(topologyArb(), fc.nat(), (t, pick) => {
        const node = servers(t)[pick % servers(t).length]!;
        const g = isolateNode(t, node);
        for (const [x, y] of pairs(t)) {
          expect(reaches(g, x, y)).toBe(x !== node && y !== node);
        }
      }),
    );
  });
});

describe("oneWay", () => {
  it("should block from→to and leave to→from and every other pair open", () => {
    fc.assert(
      fc.property(topologyArb({ servers: 2 }), fc.nat(), fc.nat(), (t, i, j) => {
        const srv = servers(t);
        const a = srv[i % srv.length]!;
        const b = srv.filter((x) => x !== a)[j % (srv.length - 1)]!;
        const g = oneWay(t, [a], [b]);
        expect(reaches(g, a, b)).toBe(false);
        expect(reaches(g, b, a)).toBe(true);
        expect(g.blocked).toEqual([{ from: a, to: b }]);
      }),
    );
  });
});

describe("partitionLeader", () => {
  it("should put the leader and the first ⌈N/2⌉−1 clients against everything else", () => {
    fc.assert(
      fc.property(topologyArb(), fc.nat(), (t, pick) => {
        const leader = t.nodes[pick % t.nodes.length]!;
        const g = partitionLeader(t, leader);
        const withLeader = t.clients.slice(0, Math.max(0, Math.ceil(t.clients.length / 2) - 1));
        expect(g.components[0]).toEqual([leader, ...withLeader]);
        for (const [x, y] of pairs(t)) {
          const sameSide = g.components[0].includes(x) === g.components[0].includes(y);
          expect(reaches(g, x, y)).toBe(sameSide || bothClients(t, x, y));
        }
      }),
    );
  });
});

/**
 * A model of the proxy: a connection opened by `initiator` to `acceptor` carries initiator→acceptor bytes on its
 * upstream and acceptor→initiator bytes on its downstream; a stream's bytes flow unless a rule matches it.
 */
function flows(
  rules: readonly LinkRule[],
  initiator: string,
  acceptor: string,
  stream: LinkRule["stream"],
): boolean {
  return !rules.some((r) => r.source === initiator && r.destination === acceptor && r.stream === stream);
}

describe("grudgeToLinkRules", () => {
  it("should block exactly the grudge's directed pairs on every possible connection", () => {
    fc.assert(
      fc.property(anyGrudgeArb, (g) => {
        const rules = grudgeToLinkRules(g);
        for (const [initiator, acceptor] of pairs(g.topology)) {
          expect(flows(rules, initiator, acceptor, "upstream")).toBe(reaches(g, initiator, acceptor));
          expect(flows(rules, initiator, acceptor, "downstream")).toBe(reaches(g, acceptor, initiator));
        }
        expect(rules.length).toBe(2 * g.blocked.length);
        expect(new Set(rules.map((r) => JSON.stringify(r))).size).toBe(rules.length);
      }),
    );
  });

  it("should, when pruned, still block exactly the grudge on every connection Redis and Sentinel can open", () => {
    fc.assert(
      fc.property(anyGrudgeArb, (g) => {
        const rules = grudgeToLinkRules(g, { prune: true });
        for (const r of rules) expect(canInitiate(g.topology, r.source, r.destination)).toBe(true);
        for (const [initiator, acceptor] of pairs(g.topology)) {
          if (!canInitiate(g.topology, initiator, acceptor)) continue;
          expect(flows(rules, initiator, acceptor, "upstream")).toBe(reaches(g, initiator, acceptor));
          expect(flows(rules, initiator, acceptor, "downstream")).toBe(reaches(g, acceptor, initiator));
        }
      }),
    );
  });

  it("should keep replication rules between any two data nodes (a failover can change who leads)", () => {
    fc.assert(
      fc.property(topologyArb({ nodes: 2 }), fc.nat(), (t, pick) => {
        const node = t.nodes[pick % t.nodes.length]!;
        const rules = grudgeToLinkRules(isolateNode(t, node), { prune: true });
        for (const other of t.nodes.filter((n) => n !== node)) {
          for (const [src, dst] of [
            [node, other],
            [other, node],
          ]) {
            expect(rules).toContainEqual({ source: src, destination: dst, stream: "upstream" });
            expect(rules).toContainEqual({ source: src, destination: dst, stream: "downstream" });
          }
        }
      }),
    );
  });
});
