import { describe, expect, it } from "vitest";
import { spreadOverFollowers } from "../../stores/redis-sentinel/index.js";

const followers = [
  { ip: "127.0.0.1", port: "40003", flags: "slave" },
  { ip: "127.0.0.1", port: "40002", flags: "slave" },
];

describe("spreadOverFollowers", () => {
  it("should give client cK the K-th follower in address order, wrapping around", () => {
    const picks = ["c1", "c2", "c3", "c4", "c5"].map((c) => spreadOverFollowers(c)(followers)?.port);
    expect(picks).toEqual(["40002", "40003", "40002", "40003", "40002"]);
  });

  it("should pick the same follower whatever order the failover manager lists them in, and none when none is healthy", () => {
    const pick = spreadOverFollowers("c2");
    expect(pick([...followers].reverse())).toEqual(pick(followers));
    expect(pick([])).toBeNull();
    expect(spreadOverFollowers("reader")(followers)).not.toBeNull();
  });
});
