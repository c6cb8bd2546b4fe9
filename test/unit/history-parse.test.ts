import { Readable } from "node:stream";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  parseHistory,
  parseHistoryLine,
  readHistory,
  validateHistory,
} from "../../checkers/history/index.js";
import type { Op } from "../../checkers/history/index.js";
import { tempDir } from "./support/temp-dir.js";

const line = (o: Record<string, unknown>): string => JSON.stringify(o);
const inv = (
  index: number,
  process: number | string,
  f: string,
  value: unknown = null,
): Record<string, unknown> => ({
  index,
  time: index * 10,
  process,
  type: "invoke",
  f,
  value,
});
const done = (
  index: number,
  process: number | string,
  type: string,
  f: string,
  value: unknown = null,
): Record<string, unknown> => ({ index, time: index * 10, process, type, f, value });

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error("expected a throw");
}

describe("parseHistoryLine", () => {
  it("should return the op with its optional fields when the line is valid", () => {
    const op = parseHistoryLine(
      line({
        index: 3,
        time: 7,
        process: 1,
        type: "ok",
        f: "read",
        key: "k",
        value: [1],
        node: "n1",
        error: null,
      }),
      4,
    );
    expect(op).toEqual({
      index: 3,
      time: 7,
      process: 1,
      type: "ok",
      f: "read",
      key: "k",
      value: [1],
      node: "n1",
    });
  });

  it("should name the line and the field when type is not one of the four", () => {
    const text = line({ index: 16, time: 0, process: 0, type: "okay", f: "read" });
    expect(message(() => parseHistoryLine(text, 17))).toBe(
      'history.jsonl line 17: field "type" must be one of invoke, ok, fail, info, got "okay"',
    );
  });

  it("should name the field when a required field is missing or has the wrong type", () => {
    expect(message(() => parseHistoryLine(line({ time: 0, process: 0, type: "ok", f: "r" }), 2))).toBe(
      'history.jsonl line 2: field "index" is missing',
    );
    expect(
      message(() => parseHistoryLine(line({ index: 0, time: -1, process: 0, type: "ok", f: "r" }), 1)),
    ).toBe('history.jsonl line 1: field "time" must be a non-negative integer, got -1');
    expect(
      message(() => parseHistoryLine(line({ index: 0, time: 0, process: "n", type: "ok", f: "r" }), 1)),
    ).toBe(
      'history.jsonl line 1: field "process" must be a non-negative integer, "nemesis" or "monitor", got "n"',
    );
    expect(
      message(() => parseHistoryLine(line({ index: 0, time: 0, process: 0, type: "ok", f: "" }), 1)),
    ).toBe('history.jsonl line 1: field "f" must be a non-empty string, got ""');
    expect(
      message(() => parseHistoryLine(line({ index: 0, time: 0, process: 0, type: "ok", f: "r", key: 3 }), 1)),
    ).toBe('history.jsonl line 1: field "key" must be a string, got 3');
  });

  it("should say the line is not JSON when it cannot be parsed", () => {
    expect(message(() => parseHistoryLine("{nope", 5, "h.jsonl"))).toMatch(
      /^h\.jsonl line 5: not valid JSON \(/,
    );
    expect(message(() => parseHistoryLine("[1]", 5))).toBe(
      "history.jsonl line 5: must be a JSON object, got an array [1]",
    );
  });
});

describe("parseHistory", () => {
  const good = [
    inv(0, 0, "add", 1),
    done(1, 0, "ok", "add", 1),
    inv(2, 1, "read"),
    done(3, 1, "ok", "read", [1]),
  ]
    .map(line)
    .join("\n");

  it("should parse every line when the history is well formed", () => {
    const r = parseHistory(`${good}\n`);
    expect(r.history).toHaveLength(4);
    expect(r.lines).toBe(4);
    expect(r.truncated).toBeUndefined();
    expect(r.incomplete).toBe(0);
  });

  it("should report and skip a truncated last line when the writer crashed mid-line", () => {
    const r = parseHistory(`${good}\n{"index":4,"time":40,"proc`);
    expect(r.history).toHaveLength(4);
    expect(r.truncated).toMatchObject({ line: 5, text: '{"index":4,"time":40,"proc' });
  });

  it("should accept a last line without a final newline when it is complete", () => {
    expect(parseHistory(good).history).toHaveLength(4);
  });

  it("should fail naming the line when a malformed line ends with a newline", () => {
    expect(message(() => parseHistory(`${good}\n{"index":4,"time":40,"proc\n`))).toMatch(
      /^history\.jsonl line 5: not valid JSON/,
    );
  });

  it("should skip blank lines and count them in line numbers", () => {
    const text = `${line(inv(0, 0, "add", 1))}\n\n${line({ ...done(1, 0, "ok", "add", 1), type: "nope" })}\n`;
    expect(message(() => parseHistory(text))).toBe(
      'history.jsonl line 3: field "type" must be one of invoke, ok, fail, info, got "nope"',
    );
  });

  it("should count invokes that never completed as incomplete", () => {
    expect(parseHistory(`${line(inv(0, 0, "add", 1))}\n`).incomplete).toBe(1);
  });
});

describe("validateHistory", () => {
  const ops = (...xs: Record<string, unknown>[]): Op[] => xs.map((x) => x as unknown as Op);

  it("should accept nemesis and monitor events without invokes", () => {
    expect(() =>
      validateHistory(ops(done(0, "nemesis", "info", "start"), done(1, "monitor", "ok", "leader", "n1"))),
    ).not.toThrow();
  });

  it("should reject an index out of order naming the expected index", () => {
    expect(message(() => validateHistory(ops(inv(0, 0, "add", 1), done(2, 0, "ok", "add", 1))))).toBe(
      'history.jsonl line 2: field "index" must be 1 (indices count up from 0 without gaps), got 2',
    );
  });

  it("should reject a completion without an invoke", () => {
    expect(message(() => validateHistory(ops(done(0, 3, "ok", "add", 1))))).toBe(
      'history.jsonl line 1: field "type" is "ok" but process 3 has no invoke in flight (a completion without an invoke)',
    );
  });

  it("should reject two invokes in flight on one process", () => {
    expect(message(() => validateHistory(ops(inv(0, 2, "add", 1), inv(1, 2, "read"))))).toBe(
      'history.jsonl line 2: process 2 invokes "read" while its "add" invoked on line 1 (index 0) has not completed; ' +
        "a process is single-threaded",
    );
  });

  it("should reject a completion whose f differs from its invoke", () => {
    expect(message(() => validateHistory(ops(inv(0, 2, "add", 1), done(1, 2, "ok", "read"))))).toBe(
      'history.jsonl line 2: field "f" must be "add" like its invoke on line 1, got "read"',
    );
  });

  it("should reject a process invoking again after an info retired it", () => {
    expect(
      message(() =>
        validateHistory(ops(inv(0, 2, "add", 1), done(1, 2, "info", "add", 1), inv(2, 2, "add", 2))),
      ),
    ).toBe(
      "history.jsonl line 3: process 2 was retired by its info completion on line 2 and cannot invoke again " +
        "(a retired worker continues under a new process id)",
    );
  });
});

describe("readHistory", () => {
  const text = [inv(0, 0, "add", 1), done(1, 0, "ok", "add", 1)].map(line).join("\n") + '\n{"index":2,"ti';

  it("should read a file as a stream and report a truncated last line", async () => {
    const dir = tempDir("faultline-history-");
    const path = join(dir, "history.jsonl");
    writeFileSync(path, text);
    const r = await readHistory(path);
    expect(r.history.map((o) => o.index)).toEqual([0, 1]);
    expect(r.truncated?.line).toBe(3);
    expect(r.source).toBe("history.jsonl");
  });

  it("should read from a stream split at arbitrary points, multi-byte characters included", async () => {
    const t = `${line({ ...inv(0, 0, "add", "é€😀"), key: "ключ" })}\n${line({ ...done(1, 0, "ok", "add", "é€😀") })}\n`;
    const bytes = Buffer.from(t, "utf8");
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 3) chunks.push(bytes.subarray(i, i + 3));
    const r = await readHistory(Readable.from(chunks));
    expect(r.history[0]).toMatchObject({ key: "ключ", value: "é€😀" });
    expect(r.history).toHaveLength(2);
  });

  it("should fail with the line and field when a line is malformed", async () => {
    const bad = `${line(inv(0, 0, "add", 1))}\n${line({ ...done(1, 0, "ok", "add", 1), time: "soon" })}\n`;
    await expect(readHistory(Readable.from([bad]), { source: "run/history.jsonl" })).rejects.toThrow(
      'run/history.jsonl line 2: field "time" must be a non-negative integer, got "soon"',
    );
  });

  it("should fail with an input error when the file does not exist", async () => {
    await expect(readHistory("/nonexistent/history.jsonl")).rejects.toMatchObject({
      code: "HISTORY_UNREADABLE",
      userError: true,
    });
  });
});
