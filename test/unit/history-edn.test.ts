import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  EdnKeyword,
  EdnList,
  EdnMap,
  EdnSet,
  EdnSymbol,
  EdnTagged,
  fromJepsenEdn,
  parseHistory,
  printEdn,
  readEdn,
  toJepsenEdn,
} from "../../checkers/history/index.js";
import type { Op } from "../../checkers/history/index.js";
import type { InputError } from "../../checkers/errors/index.js";

describe("readEdn", () => {
  it("should read scalars, collections, tags, comments and discards", () => {
    const forms = readEdn(
      `nil true false 42 -7N 1.5 2.5M 1/4 ##Inf "a\\"b\\n\\u00e9" \\a \\newline :k :ns/k sym
       ; a comment
       (1 2) [3 [4]] {:a 1, "b" nil} #{1 2} #_ ignored #inst "2024-01-01" #jepsen.history.Op{:f :read}`,
    );
    expect(forms.map((f) => f.value)).toEqual([
      null,
      true,
      false,
      42,
      -7,
      1.5,
      2.5,
      0.25,
      Infinity,
      'a"b\né',
      "a",
      "\n",
      new EdnKeyword("k"),
      new EdnKeyword("ns/k"),
      new EdnSymbol("sym"),
      new EdnList([1, 2]),
      [3, [4]],
      new EdnMap([
        [new EdnKeyword("a"), 1],
        ["b", null],
      ]),
      new EdnSet([1, 2]),
      new EdnTagged("inst", "2024-01-01"),
      new EdnTagged("jepsen.history.Op", new EdnMap([[new EdnKeyword("f"), new EdnKeyword("read")]])),
    ]);
    expect(forms[15].line).toBe(3);
  });

  it("should name the line when the input is malformed", () => {
    expect(() => readEdn('{:a 1}\n{:b "x', "h.edn")).toThrow("h.edn line 2: unterminated string");
    expect(() => readEdn("{:a 1}\n\n{:b}", "h.edn")).toThrow(
      "h.edn line 3: a map needs an even number of forms",
    );
    expect(() => readEdn("[1 2", "h.edn")).toThrow('h.edn line 1: unterminated collection, expected "]"');
    expect(() => readEdn("1.2.3")).toThrow('history.edn line 1: bad number "1.2.3"');
  });
});

describe("printEdn", () => {
  it("should print values that read back equal", () => {
    const v = [
      new EdnMap([
        [new EdnKeyword("a"), new EdnSet([1, "x\ty"])],
        ["k", new EdnList([null, true, 2.5, -Infinity])],
      ]),
      new EdnTagged("inst", "2024"),
    ];
    const text = printEdn(v);
    expect(text).toBe('[{:a #{1 "x\\ty"}, "k" (nil true 2.5 ##-Inf)} #inst "2024"]');
    expect(readEdn(text)[0].value).toEqual(v);
  });
});

const jepsen = `{:index 0, :time 1000, :type :invoke, :process 0, :f :txn, :value [[:append 3 1] [:r 3 nil]]}
{:index 1, :time 2000, :type :ok, :process 0, :f :txn, :value [[:append 3 1] [:r 3 [1 2]]]}
{:index 2, :time 2500, :type :info, :process :nemesis, :f :start-partition, :value nil}
{:index 3, :time 2600, :type :info, :process :nemesis, :f :start-partition, :value [:isolated {"n1" #{"n2" "n3"}}]}
{:index 4, :time 3000, :type :invoke, :process 1, :f :add, :value 4}
{:index 5, :time 3100, :type :info, :process 1, :f :add, :value 4, :error [:timeout "read timed out"]}
`;

describe("fromJepsenEdn", () => {
  it("should import op maps with keywords, txn vectors, nemesis ops and errors", () => {
    expect(fromJepsenEdn(jepsen)).toEqual([
      {
        index: 0,
        time: 1000,
        type: "invoke",
        process: 0,
        f: "txn",
        value: [
          ["append", 3, 1],
          ["r", 3, null],
        ],
      },
      {
        index: 1,
        time: 2000,
        type: "ok",
        process: 0,
        f: "txn",
        value: [
          ["append", 3, 1],
          ["r", 3, [1, 2]],
        ],
      },
      { index: 2, time: 2500, type: "info", process: "nemesis", f: "start-partition", value: null },
      {
        index: 3,
        time: 2600,
        type: "info",
        process: "nemesis",
        f: "start-partition",
        value: ["isolated", { n1: ["n2", "n3"] }],
      },
      { index: 4, time: 3000, type: "invoke", process: 1, f: "add", value: 4 },
      {
        index: 5,
        time: 3100,
        type: "info",
        process: 1,
        f: "add",
        value: 4,
        error: '[:timeout "read timed out"]',
      },
    ]);
  });

  it("should accept a single vector of ops and records, assigning missing indices", () => {
    const h = fromJepsenEdn(
      "[#jepsen.history.Op{:type :invoke, :f :read, :value nil, :process 0, :time 5}\n {:type :ok, :f :read, :value 3, :process 0, :time 9}]",
    );
    expect(h.map((o) => [o.index, o.type, o.value])).toEqual([
      [0, "invoke", null],
      [1, "ok", 3],
    ]);
  });

  it("should name the line and field when an op is malformed, with a hint about EDN and not history.jsonl", () => {
    expect(() => fromJepsenEdn("{:index 0, :time 1, :type :okay, :process 0, :f :read}\n")).toThrow(
      "history.edn line 1: field :type must be one of :invoke, :ok, :fail, :info, got :okay",
    );
    expect(() => fromJepsenEdn("{:type :ok, :process 0, :f :read, :time -5}")).toThrow(
      "history.edn line 1: field :time must be a non-negative integer (nanoseconds) when present, got -5",
    );
    expect(() => fromJepsenEdn("{:type :invoke, :process 0, :value 3}")).toThrow(
      /^history\.edn line 1: field :f must be a keyword or string, got nothing \(it may be left out only when :value is a vector of micro-ops/,
    );
    expect(() =>
      fromJepsenEdn(
        "{:index 0, :time 1, :type :invoke, :process 0, :f :r}\n{:index 1, :time 1, :type :invoke, :process 0, :f :r}",
      ),
    ).toThrow(/^history\.edn line 2: process 0 invokes "r" while its "r"/);
    for (const bad of [
      "{:type :ok, :process 0, :f :read}", // a completion without an invoke
      "[{:type :invoke, :process 0, :f :read}\n 17]",
      '{:type :invoke, :process 0, :f :read, :value "x}',
    ]) {
      const err = catchError(() => fromJepsenEdn(bad, "h.edn"));
      expect(err.message).toMatch(/^h\.edn line \d+: /);
      expect(err.hint).toContain("EDN");
      expect(err.hint).not.toContain("history.jsonl");
    }
  });

  it("should read Knossos's histories: one vector or list of ops without :time or :index, comments between them", () => {
    const text = `; A register
[{:process 0, :type :invoke, :f :write, :value 1}
 ; a comment between ops
 {:process 0, :type :ok, :f :write, :value 1}
 {:process 1, :type :invoke, :f :cas, :value [1 2]}
 {:process 1, :type :fail, :f :cas, :value [1 2], :error [:timeout nil]}]
`;
    const list = text.replace("[{", "({").replace("nil]}]", "nil]})");
    for (const t of [text, list]) {
      expect(fromJepsenEdn(t)).toEqual([
        { index: 0, time: 0, process: 0, type: "invoke", f: "write", value: 1 },
        { index: 1, time: 0, process: 0, type: "ok", f: "write", value: 1 },
        { index: 2, time: 0, process: 1, type: "invoke", f: "cas", value: [1, 2] },
        { index: 3, time: 0, process: 1, type: "fail", f: "cas", value: [1, 2], error: "[:timeout nil]" },
      ]);
    }
    // Each op of the vector is named by its own line.
    expect(() => fromJepsenEdn(text.replace(":type :ok", ":type :done"))).toThrow(
      /^history\.edn line 4: field :type/,
    );
  });

  it("should read Elle's hand-written histories: no :process, :f or :time, and indices with gaps", () => {
    const h = fromJepsenEdn(`{:index 10 :type :invoke :value [[:append :x 1] [:r :y nil]]}
{:index 11 :type :ok     :value [[:append :x 1] [:r :y nil]]}
{:index 20 :type :invoke, :value [[:r :x nil]], :process 3}
{:index 21 :type :ok,     :value [[:r :x [1]]], :process 3}
{:index 30 :type :invoke :value [[:append :y 2]]}
{:index 31 :type :info   :value [[:append :y 2]]}`);
    // Ops without :process pair among themselves, as one process after the largest in the file.
    expect(h.map((o) => [o.index, o.process, o.type, o.f, o.time, o.extra])).toEqual([
      [0, 4, "invoke", "txn", 0, { index: 10 }],
      [1, 4, "ok", "txn", 0, { index: 11 }],
      [2, 3, "invoke", "txn", 0, { index: 20 }],
      [3, 3, "ok", "txn", 0, { index: 21 }],
      [4, 4, "invoke", "txn", 0, { index: 30 }],
      [5, 4, "info", "txn", 0, { index: 31 }],
    ]);
    expect(h[3].value).toEqual([["r", "x", [1]]]);
  });

  it("should keep unknown keys and read every value kind: keywords, strings, integers, nil, sets, nested vectors", () => {
    const [inv, ok] = fromJepsenEdn(
      `{:type :invoke, :f :read, :process 0, :time 5, :value nil, :node "n1", :run-id :r7, :tags #{:a "b" 3}}
{:type :ok, :f :read, :process 0, :time 9, :value {:x [1 [2 nil]], "y" #{}}, :latency 4, :index 1}`,
    );
    expect(inv).toEqual({
      index: 0,
      time: 5,
      process: 0,
      type: "invoke",
      f: "read",
      value: null,
      node: "n1",
      extra: { "run-id": "r7", tags: ["a", "b", 3] },
    });
    // An :index equal to the position is not kept; every other unknown key is.
    expect(ok).toEqual({
      index: 1,
      time: 9,
      process: 0,
      type: "ok",
      f: "read",
      value: { x: [1, [2, null]], y: [] },
      extra: { latency: 4 },
    });
  });
});

function catchError(f: () => unknown): InputError {
  try {
    f();
  } catch (err) {
    return err as InputError;
  }
  throw new Error("expected an error");
}

describe("toJepsenEdn", () => {
  it("should export Jepsen op maps that import back to the same history", () => {
    const h = fromJepsenEdn(jepsen);
    const text = toJepsenEdn(h);
    expect(text.split("\n")[1]).toBe(
      "{:index 1, :time 2000, :type :ok, :process 0, :f :txn, :value [[:append 3 1] [:r 3 [1 2]]]}",
    );
    expect(fromJepsenEdn(text)).toEqual(h);
  });

  it("should print key, node and error, and non-keyword f names as strings", () => {
    const h: Op[] = [
      { index: 0, time: 0, process: "monitor", type: "ok", f: "leader", value: "n1", node: "n1" },
      {
        index: 1,
        time: 1,
        process: 0,
        type: "invoke",
        f: "set key",
        key: "k 1",
        value: { a: 1, "b c": [2] },
      },
      { index: 2, time: 2, process: 0, type: "fail", f: "set key", key: "k 1", error: 'no "leader"' },
    ];
    expect(toJepsenEdn(h)).toBe(
      '{:index 0, :time 0, :type :ok, :process :monitor, :f :leader, :value "n1", :node "n1"}\n' +
        '{:index 1, :time 1, :type :invoke, :process 0, :f "set key", :key "k 1", :value {:a 1, "b c" [2]}}\n' +
        '{:index 2, :time 2, :type :fail, :process 0, :f "set key", :key "k 1", :error "no \\"leader\\""}\n',
    );
    expect(fromJepsenEdn(toJepsenEdn(h))).toEqual(h);
  });

  it("should write an imported op's extra keys back, with the source's own index", () => {
    // (A keyword's value comes back as a string: JSON has no keywords.)
    const text =
      '{:index 7, :time 0, :type :invoke, :process 0, :f :read, :value nil, :run-id "r7", :ok? true}\n';
    const h = fromJepsenEdn(text);
    expect(h[0].index).toBe(0);
    expect(toJepsenEdn(h)).toBe(text);
    expect(fromJepsenEdn(toJepsenEdn(h))).toEqual(h);
  });

  it("should round-trip any JSON history through EDN (property)", () => {
    const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom("add", "read", "txn", "write"), json), { maxLength: 8 }),
        (xs) => {
          const lines = xs.flatMap(([f, value], i) => [
            JSON.stringify({ index: 2 * i, time: 2 * i, process: i, type: "invoke", f, value }),
            JSON.stringify({ index: 2 * i + 1, time: 2 * i + 1, process: i, type: "ok", f, value }),
          ]);
          const { history } = parseHistory(lines.join("\n"));
          expect(fromJepsenEdn(toJepsenEdn(history))).toEqual(history);
        },
      ),
      { numRuns: 300 },
    );
  });
});
