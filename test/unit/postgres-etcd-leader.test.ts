import { describe, expect, it } from "vitest";
import { etcdLeaderOf, parseEtcdStatus } from "../../stores/postgres-patroni/etcd-leader.js";

// `POST /v3/maintenance/status` as etcd 3.4.23 answers it (uint64s as decimal strings), trimmed.
const STATUS = {
  header: { cluster_id: "15118495548433857066", member_id: "13668033151171901709", raft_term: "2" },
  version: "3.4.23",
  leader: "13668033151171901709",
  raftTerm: "2",
};

describe("the etcd leader", () => {
  it("should read a member's own id and its leader's from its status", () => {
    expect(parseEtcdStatus("s1", STATUS)).toEqual({
      name: "s1",
      memberId: "13668033151171901709",
      leaderId: "13668033151171901709",
    });
    expect(parseEtcdStatus("s1", { leader: "1" })).toBeUndefined();
    expect(parseEtcdStatus("s1", "not json")).toBeUndefined();
  });

  it("should name the member a majority follows, by that member's own answer", () => {
    const s = (name: string, memberId: string, leaderId: string) => ({ name, memberId, leaderId });
    expect(etcdLeaderOf([s("s1", "11", "22"), s("s2", "22", "22"), s("s3", "33", "22")], 3)).toBe("s2");
    // Two of three agree: a majority, even with the third in an election of its own.
    expect(etcdLeaderOf([s("s1", "11", "33"), s("s2", "22", "0"), s("s3", "33", "33")], 3)).toBe("s3");
  });

  it("should name nobody without a majority, or when the leader itself did not answer", () => {
    const s = (name: string, memberId: string, leaderId: string) => ({ name, memberId, leaderId });
    // A partitioned old leader still believes it leads; the other two have not elected yet.
    expect(etcdLeaderOf([s("s1", "11", "11"), s("s2", "22", "0"), s("s3", "33", "0")], 3)).toBeUndefined();
    expect(etcdLeaderOf([s("s1", "11", "22"), s("s3", "33", "22")], 3)).toBeUndefined();
    expect(etcdLeaderOf([], 3)).toBeUndefined();
  });
});
