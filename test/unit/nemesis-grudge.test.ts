import { describe, expect, it } from "vitest";
import { redisSentinel } from "../../stores/redis-sentinel/index.js";
import { InputError } from "../../core/errors/index.js";
import {
  canInitiate,
  completeGrudge,
  describeGrudge,
  grudgeToLinkRules,
  isolateNode,
  oneWay,
  partitionBridge,
  partitionLeader,
  partitionMajoritiesRing,
  type GrudgeRandom,
} from "../../nemesis/grudge/index.js";

const topology = {
  nodes: ["n1", "n2", "n3"],
  managers: ["s1", "s2", "s3"],
  clients: ["c1", "c2", "c3"],
  // The store's connection matrix (the grudge rules are computed from it).
  connects: redisSentinel.connects,
};

/** Always draws 0: Fisher–Yates then rotates the list by one, a fixed and easy-to-follow order. */
const zero: GrudgeRandom = { int: () => 0 };

describe("describeGrudge", () => {
  it("should describe partition-leader as the two sides in topology order", () => {
    expect(describeGrudge(partitionLeader(topology, "n1"))).toBe("n1, c1 | n2, n3, s1, s2, s3, c2, c3");
  });

  it("should describe isolate-node as the node against everyone", () => {
    expect(describeGrudge(isolateNode(topology, "s2"))).toBe("s2 | n1, n2, n3, s1, s3, c1, c2, c3");
  });

  it("should name the bridge", () => {
    const g = partitionBridge(topology, zero, { bridge: "n2" });
    expect(describeGrudge(g)).toMatch(/^[^|]+ \| [^|]+ \(bridge n2 reaches both sides\)$/);
  });

  it("should describe a one-way cut with the open direction", () => {
    expect(describeGrudge(oneWay(topology, ["n2"], ["n1"]))).toBe("n2 -/-> n1 (n1 still reaches n2)");
    expect(describeGrudge(oneWay(topology, ["n1"], ["n2", "n3"]))).toBe(
      "n1 -/-> n2, n3 (n2, n3 still reach n1)",
    );
  });

  it("should describe each ring member's view and each client's anchor", () => {
    const g = partitionMajoritiesRing(
      { nodes: ["n1", "n2", "n3"], managers: ["s1", "s2"], clients: ["c1"] },
      zero,
    );
    // Always drawing 0 turns [n1, n2, n3, s1, s2] into [n2, n3, s1, s2, n1].
    expect(g.ring).toEqual(["n2", "n3", "s1", "s2", "n1"]);
    expect(describeGrudge(g)).toBe(
      "majorities ring n2 → n3 → s1 → s2 → n1; n2 sees n1, n2, n3; n3 sees n2, n3, s1; s1 sees n3, s1, s2; " +
        "s2 sees s1, s2, n1; n1 sees s2, n1, n2; c1 with n2",
    );
  });
});

describe("partitionLeader", () => {
  it("should take a configured client group", () => {
    const g = partitionLeader(topology, "n2", { clients: ["c3", "c1"] });
    expect(g.components).toEqual([
      ["n2", "c1", "c3"],
      ["n1", "n3", "s1", "s2", "s3", "c2"],
    ]);
  });

  it("should reject a leader that is not a data node, naming it", () => {
    expect(() => partitionLeader(topology, "s1")).toThrow(InputError);
    expect(() => partitionLeader(topology, "n9")).toThrow(
      /the leader must be a node of the topology, got "n9"/,
    );
  });

  it("should reject an unknown client", () => {
    expect(() => partitionLeader(topology, "n1", { clients: ["c7"] })).toThrow(/"c7"/);
  });
});

describe("partitionMajoritiesRing", () => {
  it("should refuse fewer than 4 servers", () => {
    expect(() =>
      partitionMajoritiesRing({ nodes: ["n1", "n2"], managers: ["s1"], clients: [] }, zero),
    ).toThrow(/at least 4 servers/);
  });
});

describe("completeGrudge", () => {
  it("should block every pair across groups except client pairs", () => {
    const t = { nodes: ["n1", "n2"], managers: [], clients: ["c1", "c2"] };
    const g = completeGrudge(t, [
      ["n1", "c1"],
      ["n2", "c2"],
    ]);
    expect(g.blocked).toEqual([
      { from: "n1", to: "n2" },
      { from: "n1", to: "c2" },
      { from: "n2", to: "n1" },
      { from: "n2", to: "c1" },
      { from: "c1", to: "n2" },
      { from: "c2", to: "n1" },
    ]);
  });

  it("should refuse groups that leave an endpoint out or name one twice", () => {
    expect(() => completeGrudge(topology, [["n1"], ["n2"]])).toThrow(/leave out n3, s1/);
    expect(() => completeGrudge(topology, [["n1", "n1"]])).toThrow(/"n1" twice/);
  });
});

describe("grudgeToLinkRules", () => {
  it("should turn a one-way cut into the upstream and downstream rules of its two connection kinds", () => {
    expect(grudgeToLinkRules(oneWay(topology, ["n2"], ["n1"]))).toEqual([
      { source: "n2", destination: "n1", stream: "upstream" },
      { source: "n1", destination: "n2", stream: "downstream" },
    ]);
  });

  it("should prune client and node→manager connections that never exist", () => {
    const rules = grudgeToLinkRules(oneWay(topology, ["c1"], ["s1"]), { prune: true });
    expect(rules).toEqual([{ source: "c1", destination: "s1", stream: "upstream" }]);
    expect(grudgeToLinkRules(oneWay(topology, ["n1"], ["s1"]), { prune: true })).toEqual([
      { source: "s1", destination: "n1", stream: "downstream" },
    ]);
  });
});

describe("canInitiate", () => {
  it("should follow who connects to whom in Redis + Sentinel", () => {
    const table: [string, string, boolean][] = [
      ["c1", "n1", true],
      ["c1", "s1", true],
      ["c1", "c2", false],
      ["n2", "n1", true],
      ["n1", "s1", false],
      ["n1", "c1", false],
      ["s1", "n1", true],
      ["s1", "s2", true],
      ["s1", "c1", false],
      ["n1", "n1", false],
      ["x9", "n1", false],
    ];
    for (const [a, b, expected] of table)
      expect([a, b, canInitiate(topology, a, b)]).toEqual([a, b, expected]);
  });

  it("should let anyone connect to any server, and nobody to a client, when the topology has no matrix", () => {
    const { connects: _matrix, ...bare } = topology;
    expect(canInitiate(bare, "n1", "s1")).toBe(true);
    expect(canInitiate(bare, "s1", "c1")).toBe(false);
    expect(canInitiate(bare, "n1", "n1")).toBe(false);
  });
});
