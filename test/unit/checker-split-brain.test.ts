import { describe, expect, it } from "vitest";
import { checkSplitBrain } from "../../checkers/split-brain/index.js";
import type { Row } from "./support/build-history.js";
import { history } from "./support/build-history.js";

const leader = (node: string | null): Row => ["monitor", "ok", "leader", node];
/** A write by process p acknowledged by node. */
const write = (p: number, v: number, node: string): Row[] => [
  [p, "invoke", "write", v],
  [p, "ok", "write", v, { node }],
];

describe("checkSplitBrain", () => {
  it("should be valid across a clean failover, with the acks and leader reports listed", () => {
    const h = history(
      leader("n1"),
      ...write(0, 1, "n1"),
      ["nemesis", "info", "kill-leader"],
      leader("n2"),
      ...write(0, 2, "n2"),
    );
    expect(checkSplitBrain(h)).toEqual({
      valid: true,
      counts: { write: { ok: 2, fail: 0, info: 0 } },
      ackCount: 2,
      acksWithoutNode: 0,
      nodes: ["n1", "n2"],
      leaderReports: [
        { op: 0, time: 0, node: "n1" },
        { op: 4, time: 4_000_000, node: "n2" },
      ],
      episodes: [],
      unverified: [],
    });
  });

  it("should report the old leader acknowledging writes after the monitor named a new one", () => {
    const h = history(
      leader("n1"),
      ...write(0, 1, "n1"),
      leader("n2"),
      ...write(1, 2, "n2"),
      ...write(0, 3, "n1"),
      ...write(0, 4, "n1"),
    );
    const r = checkSplitBrain(h, { monitorLagMs: 0 });
    expect(r).toMatchObject({
      valid: false,
      anomalies: [
        {
          kind: "split-brain",
          explanation:
            "n1 acknowledged 2 write(s) (ops 6, 8) between 0.006 s and 0.009 s, invoked after the monitor had " +
            "reported n2 as leader (op 3 at 0.003 s), and was not reported leader itself: two nodes accepted writes " +
            "as leader at the same time (split brain)",
          ops: [3, 6, 8],
        },
      ],
      episodes: [
        {
          pattern: "non-leader-ack",
          node: "n1",
          otherNode: "n2",
          ops: [6, 8],
          from: { op: 6, time: 6_000_000 },
          to: { op: 9, time: 9_000_000 },
          monitorReport: { op: 3, time: 3_000_000, node: "n2" },
        },
      ],
    });
  });

  it("should accept a failback the monitor reported", () => {
    const h = history(
      leader("n1"),
      ...write(0, 1, "n1"),
      leader("n2"),
      ...write(0, 2, "n2"),
      leader("n1"),
      ...write(0, 3, "n1"),
    );
    expect(checkSplitBrain(h).valid).toBe(true);
  });

  it("should excuse acks the monitor reports within its lag, and only within it", () => {
    // n2 is promoted and acknowledges before the monitor notices (the report comes 2 ms after the ack).
    const h = history(
      leader("n1"),
      ...write(0, 1, "n1"),
      ...write(0, 2, "n2"),
      ["nemesis", "info", "x"],
      leader("n2"),
    );
    expect(checkSplitBrain(h, { monitorLagMs: 5 }).valid).toBe(true);
    expect(checkSplitBrain(h, { monitorLagMs: 1 })).toMatchObject({
      valid: false,
      episodes: [{ pattern: "non-leader-ack", node: "n2", otherNode: "n1", ops: [3] }],
    });
  });

  it("should report leaders alternating in real time when the monitor never reported the node coming back", () => {
    // The monitor only reports n2 becoming leader late (after the lag), so n2's ack is excused by the lag but n1's return is not.
    const h = history(
      leader(null),
      ...write(0, 1, "n1"),
      ...write(1, 2, "n2"),
      ...write(0, 3, "n1"),
      leader("n2"),
    );
    expect(checkSplitBrain(h, { monitorLagMs: 10 })).toMatchObject({
      valid: false,
      anomalies: [
        {
          kind: "split-brain",
          explanation:
            "n1 acknowledged 1 write(s) (op 5) between 0.005 s and 0.006 s, after n2 had acknowledged a write " +
            "invoked as op 3 at 0.003 s, which began after n1 had acknowledged op 2 at 0.002 s; the monitor never " +
            "reported n1 becoming leader again: both acted as leader (split brain)",
          ops: [2, 3, 5],
        },
      ],
      episodes: [
        {
          pattern: "leaders-alternate",
          node: "n1",
          otherNode: "n2",
          ops: [5],
          otherAck: { op: 3, time: 3_000_000 },
          earlierAck: { op: 2, time: 2_000_000 },
        },
      ],
    });
  });

  it("should be unknown when leaders alternate and the history has no leader reports", () => {
    const h = history(...write(0, 1, "n1"), ...write(1, 2, "n2"), ...write(0, 3, "n1"));
    expect(checkSplitBrain(h)).toMatchObject({
      valid: "unknown",
      reason:
        "n1 and n2 took turns acknowledging writes (1 episode(s), first at op 4), but the history has no monitor " +
        "leader reports to tell a failback from split brain",
      unverified: [{ pattern: "leaders-alternate", node: "n1", otherNode: "n2", ops: [4] }],
    });
  });

  it("should not judge overlapping acks, which real time does not order", () => {
    const h = history(
      [0, "invoke", "write", 1],
      [1, "invoke", "write", 2],
      [0, "ok", "write", 1, { node: "n1" }],
      [1, "ok", "write", 2, { node: "n2" }],
      [0, "invoke", "write", 3],
      [0, "ok", "write", 3, { node: "n1" }],
    );
    expect(checkSplitBrain(h).valid).toBe(true);
  });

  it("should count acks without a node and be unknown when a leader report is not a node name", () => {
    expect(checkSplitBrain(history([0, "invoke", "write", 1], [0, "ok", "write", 1]))).toMatchObject({
      valid: true,
      acksWithoutNode: 1,
    });
    expect(checkSplitBrain(history(leader(3 as never)))).toMatchObject({
      valid: "unknown",
      reason: 'op 0: a monitor leader report\'s value must be a node name, null or {"node": …}, got 3',
    });
    expect(checkSplitBrain(history(["monitor", "ok", "leader", { node: "n1", epoch: 3 }]))).toMatchObject({
      leaderReports: [{ node: "n1" }],
    });
  });
});
