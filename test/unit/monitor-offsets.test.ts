import { describe, expect, it } from "vitest";
import { replicationOffsets } from "../../stores/redis-sentinel/index.js";

describe("replicationOffsets", () => {
  const ports: Record<number, string> = { 27301: "n1", 27302: "n2", 27303: "n3" };
  const byPublic = (_h: string, p: number) => ports[p];

  it("should give the leader's offset and each follower's offset and lag behind its leader", () => {
    const sample = replicationOffsets(
      new Map([
        ["n1", "# Replication\r\nrole:master\r\nconnected_slaves:2\r\nmaster_repl_offset:5000\r\n"],
        [
          "n2",
          "role:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:27301\r\nmaster_link_status:up\r\nslave_repl_offset:4200\r\n",
        ],
        [
          "n3",
          "role:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:27301\r\nmaster_link_status:down\r\nslave_repl_offset:5000\r\n",
        ],
      ]),
      byPublic,
    );
    expect(sample).toEqual({
      leader: "n1",
      offset: 5000,
      followers: {
        n2: { of: "n1", offset: 4200, lagBytes: 800, link: "up" },
        n3: { of: "n1", offset: 5000, lagBytes: 0, link: "down" },
      },
    });
  });

  it("should name every master in a split brain, choose the one followed as leader, and skip silent nodes", () => {
    const sample = replicationOffsets(
      new Map([
        ["n1", "role:master\nmaster_repl_offset:900"],
        ["n2", "role:master\nmaster_repl_offset:700"],
        [
          "n3",
          "role:slave\nmaster_host:127.0.0.1\nmaster_port:27302\nslave_repl_offset:650\nmaster_link_status:up",
        ],
        ["n4", undefined],
      ]),
      byPublic,
    );
    expect(sample.leader).toBe("n2");
    expect(sample.offset).toBe(700);
    expect(sample.masters).toEqual(["n1", "n2"]);
    expect(sample.followers).toEqual({ n3: { of: "n2", offset: 650, lagBytes: 50, link: "up" } });
  });

  it("should leave the lag unknown when the follower's leader was not sampled as a leader", () => {
    const sample = replicationOffsets(
      new Map([
        [
          "n2",
          "role:slave\nmaster_host:127.0.0.1\nmaster_port:27301\nslave_repl_offset:10\nmaster_link_status:down",
        ],
      ]),
      byPublic,
    );
    expect(sample).toEqual({
      leader: null,
      offset: null,
      followers: { n2: { of: "n1", offset: 10, lagBytes: null, link: "down" } },
    });
  });
});
