import { describe, expect, it } from "vitest";
import { memberEvents } from "../../stores/postgres-patroni/monitor.js";

const m = (name: string, role: string, state = "running", timeline = 1) => ({
  name,
  role,
  state,
  host: "127.0.0.1",
  port: 5432,
  timeline,
});

describe("memberEvents (Patroni's /cluster, before → after)", () => {
  it("should name a leader-lock move and a replica's promotion", () => {
    const ev = memberEvents([m("n1", "leader"), m("n2", "replica")], [m("n2", "leader", "running", 2)]);
    expect(ev.map((e) => [e.kind, e.node])).toEqual([
      ["leader-switch", "n2"],
      ["promoted", "n2"],
      ["other", "n2"],
      ["suspects-down", "n1"],
    ]);
    expect(ev[0]!.text).toBe("Patroni leader lock: n1 → n2");
  });

  it("should not call a leader whose key expired demoted: its PostgreSQL may still run", () => {
    const ev = memberEvents([m("n1", "leader"), m("n2", "replica")], [m("n2", "replica")]);
    expect(ev).toEqual([
      {
        event: "member-gone",
        kind: "suspects-down",
        node: "n1",
        text: "n1 left the cluster while holding the leader lock (its Patroni key in etcd expired or was removed; its PostgreSQL may still run)",
      },
    ]);
  });

  it("should call a leader that became a replica demoted, and a member back joined", () => {
    const ev = memberEvents([m("n1", "leader")], [m("n1", "replica"), m("n3", "replica")]);
    expect(ev.map((e) => [e.kind, e.node])).toEqual([
      ["demoted", "n1"],
      ["clears-down", "n3"],
    ]);
  });
});
