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

  it("should name the line and field when an op is malformed", () => {
    expect(() => fromJepsenEdn("{:index 0, :time 1, :type :okay, :process 0, :f :read}\n")).toThrow(
      "history.edn line 1: field :type must be one of :invoke, :ok, :fail, :info, got :okay",
    );
    expect(() => fromJepsenEdn("{:index 0, :type :ok, :process 0, :f :read}")).toThrow(
      "history.edn line 1: field :time must be a non-negative integer (nanoseconds), got nothing",
    );
    expect(() =>
      fromJepsenEdn(
        "{:index 0, :time 1, :type :invoke, :process 0, :f :r}\n{:index 1, :time 1, :type :invoke, :process 0, :f :r}",
      ),
    ).toThrow(/^history\.edn line 2: process 0 invokes "r" while its "r"/);
  });
});

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
