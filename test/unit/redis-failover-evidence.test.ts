import { describe, expect, it } from "vitest";
import {
  explainFailover,
  failoverEvidenceCollector,
  managerView,
  proxyLinkView,
  type AdminConnections,
  type UnexplainedEvidence,
} from "../../stores/redis-sentinel/index.js";
import type { FailoverEvidence, ManagerView } from "../../stores/index.js";

const ports: Record<number, string> = {
  23091: "n3",
  32414: "n2",
  20950: "n1",
  27197: "s1",
  27198: "s2",
  23963: "s3",
};
const byPublic = (_h: string, p: number): string | undefined => ports[p];

const view = (over: Partial<ManagerView> = {}): ManagerView => ({
  watching: "n3",
  suspectsDown: true,
  agreesDown: true,
  lastOkCheckMsAgo: 1036,
  checkPendingMs: 1036,
  downAfterMs: 1000,
  switchedToLeaderMsBefore: null,
  peersSayDown: ["s2", "s3"],
  ...over,
});

/** The failover of issue 15 problem 10, as the monitor saw it (run of seed 1062813439, epoch 3). */
const incident = (over: Partial<UnexplainedEvidence> = {}): UnexplainedEvidence => ({
  term: 3,
  manager: "s1",
  leader: "n3",
  agreedDownMsAfterSuspecting: 0,
  quorum: "3/2",
  managers: {
    s1: view({ switchedToLeaderMsBefore: 1036 }),
    s2: view({ suspectsDown: false, agreesDown: false }),
  },
  votes: { s1: "s1", s2: "s1", s3: "s1" },
  leaderCheck: { answered: true, ms: 0.4 },
  proxy: { faults: [], faultsOnLink: [], connections: 0, oldestConnectionMsAgo: null, recentChanges: [] },
  ...over,
});

describe("explainFailover", () => {
  it("should name Sentinel's reconnect race when a live leader is declared down just after the switch to it", () => {
    const r = explainFailover(incident());
    expect(r.cause).toBe("manager-reconnect");
    expect(r.explanation).toContain("s1 declared n3 down (epoch 3) though it was up");
    expect(r.explanation).toContain("s1 had no connection open to it through the proxy");
    expect(r.explanation).toContain("switched to n3 1036 ms before, with down-after 1000 ms");
    expect(r.explanation).toContain("redis/redis#8607");
    expect(r.explanation).toContain("+odown 3/2 at once");
  });

  it("should say when the manager's connections to the leader opened only after it declared it down", () => {
    const r = explainFailover(
      incident({
        proxy: { faults: [], faultsOnLink: [], connections: 2, oldestConnectionMsAgo: 34, recentChanges: [] },
      }),
    );
    expect(r.cause).toBe("manager-reconnect");
    expect(r.explanation).toContain("s1's connections to it through the proxy had opened only 34 ms before");
  });

  it("should say the leader was down when the harness could not reach it either", () => {
    const r = explainFailover(
      incident({ leaderCheck: { answered: false, ms: 1, error: "not connected: refused or closed" } }),
    );
    expect(r).toEqual({
      cause: "leader-down",
      explanation:
        "s1 declared n3 down (epoch 3): n3 was down (the harness could not reach it either: not connected: refused or closed)",
    });
  });

  it("should say the leader had been down when it answered only as a process started after the manager's last answer", () => {
    const r = explainFailover(
      incident({
        leaderCheck: { answered: true, ms: 2, upSeconds: 0 },
        managers: { s1: view({ lastOkCheckMsAgo: 1300, switchedToLeaderMsBefore: 5000 }) },
      }),
    );
    expect(r).toEqual({
      cause: "leader-down",
      explanation:
        "s1 declared n3 down (epoch 3): n3 had been down: it answered the harness only as a new process (up 0 s), and s1's last answer from it was 1300 ms before",
    });
    const longUp = incident({ leaderCheck: { answered: true, ms: 2, upSeconds: 40 } });
    expect(explainFailover(longUp).cause).toBe("manager-reconnect");
  });

  it("should say the leader was stalled when the harness's check timed out", () => {
    const r = explainFailover(
      incident({ leaderCheck: { answered: false, ms: 1000, error: "Command timed out" } }),
    );
    expect(r.cause).toBe("leader-unreachable");
  });

  it("should blame a fault on the manager's link before anything else when the leader answered", () => {
    const fault = "link toxic cut-1 (blackhole upstream on s1->n3)";
    const r = explainFailover(
      incident({
        proxy: {
          faults: [fault],
          faultsOnLink: [fault],
          connections: 2,
          oldestConnectionMsAgo: 900,
          recentChanges: [],
        },
      }),
    );
    expect(r.cause).toBe("link-fault");
    expect(r.explanation).toContain(fault);
  });

  it("should call it unexplained when the leader answered, no fault, and the switch was long before", () => {
    const r = explainFailover(incident({ managers: { s1: view({ switchedToLeaderMsBefore: 6000 }) } }));
    expect(r.cause).toBe("unexplained");
    expect(explainFailover(incident({ managers: { s1: view() } })).cause).toBe("unexplained");
  });
});

describe("managerView", () => {
  it("should read Sentinel's flags, ping times and its peers' down answers", () => {
    const v = managerView(
      {
        ip: "127.0.0.1",
        port: "23091",
        flags: "master,s_down,o_down",
        "last-ping-sent": "1034",
        "last-ok-ping-reply": "1034",
        "down-after-milliseconds": "1000",
      },
      [
        { ip: "127.0.0.1", port: "27198", flags: "sentinel,master_down" },
        { ip: "127.0.0.1", port: "23963", flags: "sentinel" },
      ],
      byPublic,
      1034,
    );
    expect(v).toEqual({
      watching: "n3",
      suspectsDown: true,
      agreesDown: true,
      lastOkCheckMsAgo: 1034,
      checkPendingMs: 1034,
      downAfterMs: 1000,
      switchedToLeaderMsBefore: 1034,
      peersSayDown: ["s2"],
    });
  });
});

describe("proxyLinkView", () => {
  it("should keep the faults and connections of the manager's link to the leader", async () => {
    const v = await proxyLinkView(
      {
        faults: async () => [
          "link toxic a (blackhole upstream on s1->n3)",
          "link toxic b (latency upstream on c1->n1)",
        ],
        connections: async () => [
          { source: "s1", destination: "n3", opened: 9_000 },
          { source: "s2", destination: "n3", opened: 1_000 },
        ],
        changesSince: async () => ["18:22:01.000 link-toxic.added a"],
      },
      "s1",
      "n3",
      10_000,
    );
    expect(v).toEqual({
      faults: ["link toxic a (blackhole upstream on s1->n3)", "link toxic b (latency upstream on c1->n1)"],
      faultsOnLink: ["link toxic a (blackhole upstream on s1->n3)"],
      connections: 1,
      oldestConnectionMsAgo: 1_000,
      recentChanges: ["18:22:01.000 link-toxic.added a"],
    });
  });
});

describe("failoverEvidenceCollector", () => {
  /** A fake of the harness's direct connections: the Sentinels as they answered in the incident. */
  const admin = (pingLeader: () => unknown): AdminConnections =>
    ({
      async command(node: string, ...args: (string | number)[]) {
        const cmd = args.map(String).join(" ");
        if (cmd === "INFO server") return pingLeader();
        if (cmd === "SENTINEL MYID") return `id-${node}`;
        if (cmd === "SENTINEL MASTER faultline")
          return [
            "ip",
            "127.0.0.1",
            "port",
            "23091",
            "flags",
            node === "s1" ? "master,s_down,o_down" : "master",
            "last-ping-sent",
            "1040",
            "last-ok-ping-reply",
            "1040",
            "down-after-milliseconds",
            "1000",
          ];
        if (cmd === "SENTINEL SENTINELS faultline")
          return [["ip", "127.0.0.1", "port", "27198", "flags", "sentinel,master_down"]];
        throw new Error(`unexpected ${node} ${cmd}`);
      },
    }) as unknown as AdminConnections;

  const run = async (pingLeader: () => unknown): Promise<FailoverEvidence[]> => {
    const recorded: FailoverEvidence[] = [];
    let clock = 0;
    const c = failoverEvidenceCollector(
      {
        managers: ["s1", "s2", "s3"],
        masterName: "faultline",
        admin: admin(pingLeader),
        nodeByPublic: byPublic,
      },
      (v) => recorded.push(v),
      () => clock,
    );
    const ev = (m: string, event: string, text: string, extra: Record<string, unknown> = {}): void =>
      c.onEvent(m, { manager: m, event, text, ...extra });
    ev("s1", "+switch-master", "faultline 127.0.0.1 32414 127.0.0.1 23091", { from: "n2", to: "n3" });
    clock = 1036;
    ev("s1", "+sdown", "master faultline 127.0.0.1 23091", { node: "n3" });
    ev("s1", "+odown", "master faultline 127.0.0.1 23091 #quorum 3/2", { node: "n3" });
    ev("s1", "+new-epoch", "3");
    ev("s1", "+try-failover", "master faultline 127.0.0.1 23091", { node: "n3" });
    for (const m of ["s1", "s2", "s3"]) ev(m, "+vote-for-leader", "id-s1 3");
    await c.flush();
    return recorded;
  };

  it("should record one explained failover with every manager's view and the votes", async () => {
    const [e, more] = await run(() => "# Server\r\nuptime_in_seconds:40\r\n");
    expect(more).toBeUndefined();
    expect(e).toMatchObject({
      term: 3,
      manager: "s1",
      leader: "n3",
      agreedDownMsAfterSuspecting: 0,
      quorum: "3/2",
      votes: { s1: "s1", s2: "s1", s3: "s1" },
      leaderCheck: { answered: true, upSeconds: 40 },
      proxy: null,
      cause: "manager-reconnect",
    });
    expect(e!.managers.s1).toMatchObject({
      suspectsDown: true,
      switchedToLeaderMsBefore: 1036,
      peersSayDown: ["s2"],
    });
    expect(e!.managers.s2).toMatchObject({
      suspectsDown: false,
      switchedToLeaderMsBefore: null,
      peersSayDown: [],
    });
  });

  it("should record a dead leader as the cause when the leader does not answer the harness", async () => {
    const [e] = await run(() => {
      throw new Error("Reached the max retries per request limit (which is 0).");
    });
    expect(e).toMatchObject({
      cause: "leader-down",
      leaderCheck: { answered: false, error: "not connected: refused or closed" },
    });
  });
});
