import { describe, expect, it } from "vitest";
import { clusterReadiness, parseClusterMembers } from "../../stores/postgres-patroni/index.js";

// Shapes as Patroni 3.0.2 answered while measuring (docs/stores/postgres-patroni.md).
const member = (name: string, role: string, state = "running") => ({
  name,
  role,
  state,
  api_url: `http://127.0.0.1:1/patroni`,
  host: "127.0.0.1",
  port: 5432,
  timeline: 1,
  ...(role === "leader" ? {} : { lag: 0 }),
});
const cluster = (...members: object[]) => ({ members });
const leaderStatus = (
  replication: { application_name: string; state: string; sync_state?: string }[],
  role = "master",
) => ({
  state: "running",
  role,
  timeline: 3,
  replication: replication.map((r) => ({ usename: "replicator", sync_state: "async", ...r })),
});
const ALL = ["pg1", "pg2", "pg3"];

describe("clusterReadiness", () => {
  it("should be ready when one running leader sees every other member streaming", () => {
    const body = cluster(member("pg1", "replica"), member("pg2", "leader"), member("pg3", "replica"));
    const status = leaderStatus([
      { application_name: "pg3", state: "streaming", sync_state: "sync" },
      { application_name: "pg1", state: "streaming" },
    ]);
    expect(clusterReadiness(body, status, ALL)).toEqual({
      ready: true,
      leader: "pg2",
      timeline: 3,
      streaming: [
        { name: "pg3", syncState: "sync" },
        { name: "pg1", syncState: "async" },
      ],
    });
  });

  it("should not be ready while a standby Patroni calls running has not started streaming", () => {
    const body = cluster(member("pg1", "leader"), member("pg2", "replica"), member("pg3", "replica"));
    const status = leaderStatus([
      { application_name: "pg2", state: "streaming" },
      { application_name: "pg3", state: "startup" },
    ]);
    expect(clusterReadiness(body, status, ALL)).toEqual({
      ready: false,
      leader: "pg1",
      reason: "not streaming yet: pg3",
    });
  });

  it("should not be ready without exactly one running leader running as primary", () => {
    expect(clusterReadiness(cluster(member("pg1", "replica")), undefined, ALL)).toEqual({
      ready: false,
      leader: undefined,
      reason: "0 members report leader",
    });
    expect(clusterReadiness(cluster(member("pg1", "leader", "starting")), undefined, ALL)).toMatchObject({
      ready: false,
      reason: "leader pg1 is starting",
    });
    expect(clusterReadiness(cluster(member("pg1", "leader")), undefined, ALL)).toMatchObject({
      reason: "no status from leader pg1",
    });
    expect(
      clusterReadiness(cluster(member("pg1", "leader")), leaderStatus([], "replica"), ["pg1"]),
    ).toMatchObject({
      reason: "leader pg1 runs as replica",
    });
    expect(
      clusterReadiness(cluster(member("pg1", "leader")), leaderStatus([], "primary"), ["pg1"]),
    ).toMatchObject({
      ready: true,
    });
  });
});

describe("parseClusterMembers", () => {
  it("should keep lag as bytes or unknown, and throw on a body that is not a member list", () => {
    const ms = parseClusterMembers(
      cluster({ ...member("pg2", "replica"), lag: "unknown" }, member("pg1", "leader")),
    );
    expect(ms.map((m) => [m.name, m.lag])).toEqual([
      ["pg2", "unknown"],
      ["pg1", undefined],
    ]);
    expect(() => parseClusterMembers({ nodes: [] })).toThrow();
  });
});
