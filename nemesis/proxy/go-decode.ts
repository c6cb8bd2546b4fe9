/**
 * Decoding a {@link JsonNode} into a flat struct the way Go's `encoding/json` fills a Go struct: keys match
 * field names exactly first, then case-insensitively; unknown keys are ignored; `null` leaves the field as it
 * was; a JSON type that does not fit the field's type is an error; integer fields reject fractions and
 * exponents. The first error wins (Go keeps decoding but reports the first type error).
 */
import { GoJsonError, goKindName, type JsonNode } from "./go-json.js";

/** The Go types a toxiproxy struct field can have. */
export type GoFieldKind = "string" | "bool" | "int64" | "float32" | "raw";

/** One field of a Go struct: its JSON name and Go type. */
export interface GoField {
  readonly name: string;
  readonly kind: GoFieldKind;
}

/** The value a decoded field holds. `raw` fields keep the node for a second decoding pass. */
export type GoFieldValue = string | boolean | number | JsonNode;

const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Decodes `node` into `target` (which holds the defaults and is updated in place), as `json.Unmarshal` into a
 * Go struct named `structName` would.
 */
export function decodeStruct(
  node: JsonNode,
  structName: string,
  fields: readonly GoField[],
  target: Record<string, GoFieldValue>,
): void {
  if (node.t === "null") return;
  if (node.t !== "obj") {
    throw new GoJsonError(`json: cannot unmarshal ${baseKind(node)} into Go value of type ${structName}`);
  }
  for (const [key, value] of node.entries) {
    const field = fields.find((f) => f.name === key) ?? fields.find((f) => foldEq(f.name, key));
    if (field === undefined) continue;
    if (value.t === "null") continue;
    target[field.name] = decodeField(value, field, `${shortName(structName)}.${field.name}`);
  }
}

function decodeField(value: JsonNode, field: GoField, path: string): GoFieldValue {
  const mismatch = (goType: string, kind = baseKind(value)): never => {
    throw new GoJsonError(`json: cannot unmarshal ${kind} into Go struct field ${path} of type ${goType}`);
  };
  switch (field.kind) {
    case "raw":
      return value;
    case "string":
      return value.t === "str" ? value.v : mismatch("string");
    case "bool":
      return value.t === "bool" ? value.v : mismatch("bool");
    case "int64": {
      if (value.t !== "num") return mismatch("int64");
      if (!/^-?\d+$/.test(value.raw)) return mismatch("int64", goKindName(value));
      const n = Number(value.raw);
      // Go accepts the full int64 range; faultline keeps integers exact, so it stops at 2^53 (COMPAT.md).
      if (!Number.isSafeInteger(n)) return mismatch("int64", goKindName(value));
      return n === 0 ? 0 : n;
    }
    case "float32": {
      if (value.t !== "num") return mismatch("float32");
      const n = Number(value.raw);
      if (!Number.isFinite(n) || Math.abs(n) > FLOAT32_MAX) return mismatch("float32", goKindName(value));
      return Math.fround(n);
    }
  }
}

/** Case-insensitive key match (ASCII folding, which is what every toxiproxy field name needs). */
export function foldEq(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

function baseKind(node: JsonNode): string {
  return node.t === "num" ? "number" : goKindName(node);
}

function shortName(structName: string): string {
  const dot = structName.lastIndexOf(".");
  return dot === -1 ? structName : structName.slice(dot + 1);
}

/** Reads an unknown-shaped value's Go kind for messages about whole bodies. */
export function describeKind(node: JsonNode): string {
  return baseKind(node);
}
