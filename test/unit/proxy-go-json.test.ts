/**
 * The Go-compatible JSON reader and writer the proxy API is built on: first-value reading, Go's error wording,
 * and Go's output escaping and float32 printing.
 */
import { describe, expect, it } from "vitest";
import { GoJsonError, parseFirstJsonValue } from "../../nemesis/proxy/go-json.js";
import { encodeString, formatFloat32 } from "../../nemesis/proxy/go-json-encode.js";
import { decodeStruct, type GoFieldValue } from "../../nemesis/proxy/go-decode.js";

function goError(text: string): string {
  try {
    parseFirstJsonValue(text);
  } catch (err) {
    if (err instanceof GoJsonError) return err.message;
    throw err;
  }
  return "no error";
}

describe("parseFirstJsonValue", () => {
  it("should read the first value and ignore trailing bytes, keeping number literals", () => {
    expect(parseFirstJsonValue(' {"a":[1.50,-0,2e3]} {"b":1} junk')).toEqual({
      t: "obj",
      entries: [
        [
          "a",
          {
            t: "arr",
            items: [
              { t: "num", raw: "1.50" },
              { t: "num", raw: "-0" },
              { t: "num", raw: "2e3" },
            ],
          },
        ],
      ],
    });
    expect(parseFirstJsonValue('"\\u00e9\\n\\/"')).toEqual({ t: "str", v: "é\n/" });
  });

  it("should report Go's messages for empty, truncated and malformed input", () => {
    expect(goError("")).toBe("EOF");
    expect(goError("  \n")).toBe("EOF");
    expect(goError('{"a":')).toBe("unexpected EOF");
    expect(goError("x")).toBe("invalid character 'x' looking for beginning of value");
    expect(goError('{"a" 1}')).toBe("invalid character '1' after object key");
    expect(goError('{"a":1 "b"}')).toBe("invalid character '\"' after object key:value pair");
    expect(goError("[1 2]")).toBe("invalid character '2' after array element");
    expect(goError("tru ")).toBe("invalid character ' ' in literal true (expecting 'e')");
    expect(goError("01")).toBe("no error"); // Go's decoder reads 0 and leaves "1" unread
  });
});

describe("decodeStruct", () => {
  const fields = [
    { name: "rate", kind: "int64" },
    { name: "enabled", kind: "bool" },
    { name: "toxicity", kind: "float32" },
  ] as const;

  it("should match keys case-insensitively, prefer an exact match, skip nulls and unknown keys", () => {
    const target: Record<string, GoFieldValue> = { rate: 1, enabled: true, toxicity: 1 };
    decodeStruct(
      parseFirstJsonValue('{"RATE":5,"rate":7,"Enabled":null,"other":"x","ToXiCiTy":0.2}'),
      "T",
      fields,
      target,
    );
    expect(target).toEqual({ rate: 7, enabled: true, toxicity: Math.fround(0.2) });
  });

  it("should reject fractions and exponents for integers and mismatched types with Go's message", () => {
    const run = (json: string): string => {
      try {
        decodeStruct(parseFirstJsonValue(json), "toxics.BandwidthToxic", fields, {});
        return "ok";
      } catch (err) {
        return (err as Error).message;
      }
    };
    expect(run('{"rate":1.5}')).toBe(
      "json: cannot unmarshal number 1.5 into Go struct field BandwidthToxic.rate of type int64",
    );
    expect(run('{"rate":1e2}')).toBe(
      "json: cannot unmarshal number 1e2 into Go struct field BandwidthToxic.rate of type int64",
    );
    expect(run('{"enabled":"true"}')).toBe(
      "json: cannot unmarshal string into Go struct field BandwidthToxic.enabled of type bool",
    );
    expect(run("[]")).toBe("json: cannot unmarshal array into Go value of type toxics.BandwidthToxic");
  });
});

describe("encodeString and formatFloat32", () => {
  it("should escape like Go's encoding/json and print float32 values in their shortest form", () => {
    expect(encodeString("<a&b>\u2028")).toBe('"\\u003ca\\u0026b\\u003e\\u2028"');
    expect(encodeString("\ud800")).toBe('"\ufffd"');
    expect(formatFloat32(Math.fround(0.2))).toBe("0.2");
    expect(formatFloat32(1)).toBe("1");
    expect(formatFloat32(0)).toBe("0");
    expect(formatFloat32(Math.fround(0.123456789))).toBe("0.12345679");
  });
});
