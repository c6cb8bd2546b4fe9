import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import {
  checkPatroniTiming,
  DEFAULT_REPLICATION,
  etcdArgs,
  FAST_PATRONI_TIMING,
  findPasswdUser,
  patroniConfig,
  patroniReplicationKeys,
  patroniYaml,
  planCluster,
} from "../../stores/postgres-patroni/index.js";

const plan = (): ReturnType<typeof planCluster> =>
  planCluster({ runDir: "/run/x", nodes: 3, etcdMembers: 3, ports: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] });

describe("checkPatroniTiming", () => {
  it("should accept the fast settings faultline starts with", () => {
    expect(checkPatroniTiming(FAST_PATRONI_TIMING)).toEqual({ ok: true });
    expect(checkPatroniTiming({ ttl: 30, loopWait: 10, retryTimeout: 10 })).toEqual({ ok: true });
  });

  it("should name every broken limit when the settings are below Patroni's minimums or break the sum rule", () => {
    expect(checkPatroniTiming({ ttl: 10, loopWait: 0, retryTimeout: 2 })).toEqual({
      ok: false,
      problems: [
        "ttl must be at least 20, got 10",
        "loop_wait must be at least 1, got 0",
        "retry_timeout must be at least 3, got 2",
      ],
    });
    expect(checkPatroniTiming({ ttl: 20, loopWait: 2, retryTimeout: 10 })).toEqual({
      ok: false,
      problems: ["loop_wait + 2 × retry_timeout must not exceed ttl: 2 + 2 × 10 > 20"],
    });
    expect(checkPatroniTiming({ ttl: 20.5, loopWait: 1, retryTimeout: 5 })).toEqual({
      ok: false,
      problems: ["ttl must be a whole number of seconds, got 20.5"],
    });
  });
});

describe("planCluster", () => {
  it("should give each etcd member a client and a peer port and each node a PostgreSQL and a REST port, in order", () => {
    const p = plan();
    expect(p.etcd.map((m) => [m.name, m.dir, m.client.real.port, m.peer.real.port])).toEqual([
      ["etcd1", "/run/x/nodes/etcd1", 1, 2],
      ["etcd2", "/run/x/nodes/etcd2", 3, 4],
      ["etcd3", "/run/x/nodes/etcd3", 5, 6],
    ]);
    expect(p.nodes.map((n) => [n.name, n.dataDir, n.postgres.real.port, n.rest.real.port])).toEqual([
      ["pg1", "/run/x/nodes/pg1/data", 7, 8],
      ["pg2", "/run/x/nodes/pg2/data", 9, 10],
      ["pg3", "/run/x/nodes/pg3/data", 11, 12],
    ]);
    expect(p.nodes[0]!.postgres.public).toEqual({ host: "127.0.0.1", port: 7 });
  });

  it("should refuse when too few ports are given", () => {
    expect(() => planCluster({ runDir: "/r", nodes: 3, etcdMembers: 3, ports: [1, 2] })).toThrow(
      /needs 12 ports, got 2/,
    );
  });
});

describe("etcdArgs", () => {
  it("should bind real ports, advertise public ones and list every member's public peer URL", () => {
    const p = plan();
    p.etcd[1]!.peer.public = { host: "127.0.0.1", port: 40004 };
    p.etcd[1]!.client.public = { host: "127.0.0.1", port: 40003 };
    const args = etcdArgs(p.etcd[1]!, p);
    const flag = (f: string): string => args[args.indexOf(f) + 1]!;
    expect(flag("--name")).toBe("etcd2");
    expect(flag("--data-dir")).toBe("/run/x/nodes/etcd2/data");
    expect(flag("--listen-client-urls")).toBe("http://127.0.0.1:3");
    expect(flag("--advertise-client-urls")).toBe("http://127.0.0.1:40003");
    expect(flag("--listen-peer-urls")).toBe("http://127.0.0.1:4");
    expect(flag("--initial-advertise-peer-urls")).toBe("http://127.0.0.1:40004");
    expect(flag("--initial-cluster")).toBe(
      "etcd1=http://127.0.0.1:2,etcd2=http://127.0.0.1:40004,etcd3=http://127.0.0.1:6",
    );
    expect(flag("--initial-cluster-token")).toBe("faultline");
  });
});

describe("patroniReplicationKeys", () => {
  it("should map each replication mode to Patroni's synchronous_mode flags", () => {
    const keys = (mode: "async" | "sync" | "sync-strict") =>
      patroniReplicationKeys({ ...DEFAULT_REPLICATION, mode, synchronousNodeCount: 2 });
    expect(keys("async")).toMatchObject({ synchronous_mode: false, synchronous_mode_strict: false });
    expect(keys("sync")).toMatchObject({
      synchronous_mode: true,
      synchronous_mode_strict: false,
      synchronous_node_count: 2,
    });
    expect(keys("sync-strict")).toMatchObject({ synchronous_mode: true, synchronous_mode_strict: true });
    expect(keys("async").maximum_lag_on_failover).toBe(1_048_576);
  });
});

describe("patroniConfig", () => {
  it("should bind real addresses, announce public ones and carry the timing and replication settings", () => {
    const p = plan();
    p.nodes[1]!.postgres.public = { host: "127.0.0.1", port: 50009 };
    p.etcd[0]!.client.public = { host: "127.0.0.1", port: 50001 };
    const c = patroniConfig({
      plan: p,
      node: p.nodes[1]!,
      timing: FAST_PATRONI_TIMING,
      replication: { ...DEFAULT_REPLICATION, mode: "sync-strict", synchronousCommit: "remote_apply" },
    }) as any;
    expect(c.name).toBe("pg2");
    expect(c.scope).toBe("faultline");
    expect(c.postgresql.listen).toBe("127.0.0.1:9");
    expect(c.postgresql.connect_address).toBe("127.0.0.1:50009");
    expect(c.restapi).toEqual({ listen: "127.0.0.1:10", connect_address: "127.0.0.1:10" });
    expect(c.etcd3.hosts).toEqual(["127.0.0.1:50001", "127.0.0.1:3", "127.0.0.1:5"]);
    expect(c.bootstrap.dcs).toMatchObject({
      ttl: 20,
      loop_wait: 1,
      retry_timeout: 5,
      synchronous_mode: true,
      synchronous_mode_strict: true,
      postgresql: {
        use_pg_rewind: true,
        parameters: { wal_log_hints: "on", synchronous_commit: "remote_apply" },
      },
    });
    expect(c.bootstrap.initdb).toContain("data-checksums");
    expect(c.postgresql.data_dir).toBe("/run/x/nodes/pg2/data");
    expect(c.postgresql.parameters.unix_socket_directories).toBe("/run/x/nodes/pg2");
    expect(c.postgresql.parameters.lc_messages).toBe("C");
    expect(c.postgresql.pg_hba).toContain("host replication all 127.0.0.0/8 trust");
  });

  it("should render YAML that reads back to the same configuration", () => {
    const input = {
      plan: plan(),
      node: plan().nodes[0]!,
      timing: FAST_PATRONI_TIMING,
      replication: DEFAULT_REPLICATION,
    };
    expect(parse(patroniYaml(input))).toEqual(patroniConfig(input));
  });
});

describe("findPasswdUser", () => {
  it("should find an account's uid and gid, and nothing for a missing or malformed entry", () => {
    const passwd =
      "root:x:0:0:root:/root:/bin/bash\npostgres:x:101:104:PostgreSQL administrator,,,:/var/lib/postgresql:/bin/bash\nbad:x:abc:1::/:/bin/sh\n";
    expect(findPasswdUser(passwd, "postgres")).toEqual({ name: "postgres", uid: 101, gid: 104 });
    expect(findPasswdUser(passwd, "nobody")).toBeUndefined();
    expect(findPasswdUser(passwd, "bad")).toBeUndefined();
  });
});
