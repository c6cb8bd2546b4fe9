/**
 * A toxic as the API knows it (name, type, stream, toxicity, attributes, and for link toxics the selector), how
 * a request body becomes one (Toxiproxy's check order), how an update merges into one, and its JSON.
 */
import { ApiError, ApiMessages } from "./api-error.js";
import { API_LIMITS, checkLength } from "./api-limits.js";
import { decodeStruct, type GoFieldValue } from "./go-decode.js";
import { encodeObject, encodeString, formatFloat32, formatInt } from "./go-json-encode.js";
import { GoJsonError, parseFirstJsonValue, type JsonNode } from "./go-json.js";
import {
  attributeNames,
  defaultAttributes,
  goStructName,
  isLinkToxicType,
  isToxicType,
  parseStream,
  validateAttributes,
  validateToxicity,
  type LinkToxicType,
  type Stream,
} from "./toxic-types.js";

/** Which connections a link toxic applies to: node or client names, `"*"` for any. */
export interface LinkSelector {
  readonly source: string;
  readonly destination: string;
}

/**
 * A toxic's definition. Mutable on purpose: an update changes it in place and bumps `revision`, which is how
 * live links notice the change.
 */
export interface ToxicDef {
  readonly name: string;
  readonly type: LinkToxicType;
  readonly stream: Stream;
  toxicity: number;
  attributes: Record<string, number>;
  revision: number;
  /** Present on link toxics only. */
  readonly link?: LinkSelector;
}

/** A toxic as Toxiproxy's API returns it (field order `attributes, name, type, stream, toxicity`). */
export interface ToxicJson {
  attributes: Record<string, number>;
  name: string;
  type: string;
  stream: Stream;
  toxicity: number;
}

/** A link toxic as faultline's `/faultline/toxics` routes return it. */
export interface LinkToxicJson {
  name: string;
  type: LinkToxicType;
  stream: Stream;
  toxicity: number;
  attributes: Record<string, number>;
  source: string;
  destination: string;
}

/** Parses a request body as Go's decoder would, turning failures into 400 `bad request body: …`. */
export function parseBody(body: string): JsonNode {
  try {
    return parseFirstJsonValue(body);
  } catch (err) {
    if (err instanceof GoJsonError) throw new ApiError(400, ApiMessages.badBody(err.message));
    throw err;
  }
}

/** Runs a Go-style struct decode, turning type mismatches into 400 `bad request body: …`. */
export function decodeOrBadRequest(fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof GoJsonError) throw new ApiError(400, ApiMessages.badBody(err.message));
    throw err;
  }
}

/**
 * Decodes a toxic creation body in Toxiproxy's order: body → stream → default name → type → `exists(name)` (409)
 * → attributes → faultline's attribute and toxicity checks. `link` adds the required `source`/`destination`
 * and allows the cut types.
 */
export function decodeToxicCreate(
  body: string,
  options: { link: boolean; exists: (name: string) => boolean },
): ToxicDef {
  const node = parseBody(body);
  const head: Record<string, GoFieldValue> = {
    name: "",
    type: "",
    stream: "downstream",
    toxicity: 1,
    attributes: { t: "null" },
    source: "",
    destination: "",
  };
  decodeOrBadRequest(() =>
    decodeStruct(
      node,
      options.link ? "faultline.LinkToxic" : "toxiproxy.ToxicWrapper",
      [
        { name: "name", kind: "string" },
        { name: "type", kind: "string" },
        { name: "stream", kind: "string" },
        { name: "toxicity", kind: "float32" },
        { name: "attributes", kind: "raw" },
        ...(options.link
          ? ([
              { name: "source", kind: "string" },
              { name: "destination", kind: "string" },
            ] as const)
          : []),
      ],
      head,
    ),
  );
  checkLength("name", head.name as string, API_LIMITS.nameLength);
  checkLength("type", head.type as string, API_LIMITS.nameLength);
  if (options.link) {
    checkLength("source", head.source as string, API_LIMITS.nameLength);
    checkLength("destination", head.destination as string, API_LIMITS.nameLength);
  }
  const stream = parseStream(head.stream as string);
  if (stream === undefined) throw new ApiError(400, ApiMessages.invalidStream);
  const typeText = head.type as string;
  let name = head.name as string;
  let link: LinkSelector | undefined;
  if (options.link) {
    if (head.source === "") throw new ApiError(400, ApiMessages.missingField("source"));
    if (head.destination === "") throw new ApiError(400, ApiMessages.missingField("destination"));
    link = { source: head.source as string, destination: head.destination as string };
    if (name === "") name = `${typeText}_${stream}_${link.source}_${link.destination}`;
  } else if (name === "") {
    name = `${typeText}_${stream}`;
  }
  if (!(options.link ? isLinkToxicType(typeText) : isToxicType(typeText))) {
    throw new ApiError(400, ApiMessages.invalidType);
  }
  const type = typeText as LinkToxicType;
  if (options.exists(name)) throw new ApiError(409, ApiMessages.toxicExists);
  const attributes = decodeAttributes(type, head.attributes as JsonNode, defaultAttributes(type));
  const toxicity = head.toxicity as number;
  checkToxic(type, attributes, toxicity);
  return { name, type, stream, toxicity, attributes, revision: 0, ...(link ? { link } : {}) };
}

/**
 * Decodes a toxic update body: only `attributes` (merged into the current ones) and `toxicity` (kept when
 * absent) are read, as Toxiproxy does. Returns the new values without applying them.
 */
export function decodeToxicUpdate(
  body: string,
  def: ToxicDef,
): { attributes: Record<string, number>; toxicity: number } {
  const node = parseBody(body);
  const head: Record<string, GoFieldValue> = { toxicity: def.toxicity, attributes: { t: "null" } };
  decodeOrBadRequest(() =>
    decodeStruct(
      node,
      "toxiproxy.ToxicWrapper",
      [
        { name: "toxicity", kind: "float32" },
        { name: "attributes", kind: "raw" },
      ],
      head,
    ),
  );
  const attributes = decodeAttributes(def.type, head.attributes as JsonNode, { ...def.attributes });
  const toxicity = head.toxicity as number;
  checkToxic(def.type, attributes, toxicity);
  return { attributes, toxicity };
}

function decodeAttributes(
  type: LinkToxicType,
  node: JsonNode,
  base: Record<string, number>,
): Record<string, number> {
  const target: Record<string, GoFieldValue> = { ...base };
  decodeOrBadRequest(() =>
    decodeStruct(
      node,
      `*${goStructName(type)}`,
      attributeNames(type).map((name) => ({ name, kind: "int64" as const })),
      target,
    ),
  );
  return target as Record<string, number>;
}

function checkToxic(type: LinkToxicType, attributes: Record<string, number>, toxicity: number): void {
  const problem = validateToxicity(toxicity) ?? validateAttributes(type, attributes);
  if (problem !== undefined) throw new ApiError(400, problem);
}

function encodeAttributes(def: ToxicDef): string {
  return encodeObject(attributeNames(def.type).map((n) => [n, formatInt(def.attributes[n] ?? 0)]));
}

/** A toxic's JSON, byte-compatible with Toxiproxy 2.12. */
export function encodeToxic(def: ToxicDef): string {
  return encodeObject([
    ["attributes", encodeAttributes(def)],
    ["name", encodeString(def.name)],
    ["type", encodeString(def.type)],
    ["stream", encodeString(def.stream)],
    ["toxicity", formatFloat32(def.toxicity)],
  ]);
}

/** A link toxic's JSON (EXTENSIONS.md "LinkToxic"). */
export function encodeLinkToxic(def: ToxicDef): string {
  return encodeObject([
    ["name", encodeString(def.name)],
    ["type", encodeString(def.type)],
    ["stream", encodeString(def.stream)],
    ["toxicity", formatFloat32(def.toxicity)],
    ["attributes", encodeAttributes(def)],
    ["source", encodeString(def.link?.source ?? "*")],
    ["destination", encodeString(def.link?.destination ?? "*")],
  ]);
}

/** A toxic as a plain object (for events and the in-process API). */
export function toxicToJson(def: ToxicDef): ToxicJson {
  return JSON.parse(encodeToxic(def)) as ToxicJson;
}

/** A link toxic as a plain object (for events and the in-process API). */
export function linkToxicToJson(def: ToxicDef): LinkToxicJson {
  return JSON.parse(encodeLinkToxic(def)) as LinkToxicJson;
}
