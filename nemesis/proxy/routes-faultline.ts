/**
 * faultline's extension routes under `/faultline/` (EXTENSIONS.md): the sources map, the source resolver,
 * per-proxy link identity, link toxics (any toxic plus the `blackhole` and `refuse` cuts, selected by source,
 * destination and stream), live connections, and the event log.
 */
import { existsSync } from "node:fs";
import { isIP } from "node:net";
import { ApiError, ApiMessages } from "./api-error.js";
import { API_LIMITS, checkLength } from "./api-limits.js";
import { normalizeAddress } from "./connection.js";
import { encodeArray, encodeObject, encodePlain, encodeString } from "./go-json-encode.js";
import type { JsonNode } from "./go-json.js";
import type { Route } from "./http-router.js";
import { json, noContent } from "./http-reply.js";
import type { SourceResolverJson } from "./event-log.js";
import { DEFAULT_NODE_ENV_KEY, DEFAULT_OWNER_TIMEOUT_MS } from "./source-owner.js";
import { decodeToxicCreate, decodeToxicUpdate, encodeLinkToxic, parseBody } from "./toxic-definition.js";
import type { Handler } from "./routes-standard.js";

/** Longest long-poll, in ms. */
export const MAX_EVENT_WAIT_MS = 10_000;

function sourcesBody(sources: Record<string, string>): string {
  return encodeObject([
    ["sources", encodeObject(Object.entries(sources).map(([a, n]) => [a, encodeString(n)]))],
  ]);
}

/** Reads `{"sources": {addr: name | null}}`; `allowNull` for PATCH (null deletes). */
function decodeSources(body: string, allowNull: boolean): Map<string, string | null> {
  const node = parseBody(body);
  if (node.t !== "obj") throw new ApiError(400, ApiMessages.badBody('expected an object {"sources": {…}}'));
  const field = [...node.entries].reverse().find(([k]) => k.toLowerCase() === "sources")?.[1];
  if (field === undefined || field.t === "null") throw new ApiError(400, ApiMessages.missingField("sources"));
  if (field.t !== "obj") throw new ApiError(400, ApiMessages.badBody("sources must be an object"));
  const out = new Map<string, string | null>();
  for (const [addr, name] of field.entries) {
    if (isIP(addr) === 0)
      throw new ApiError(400, `invalid source address: ${JSON.stringify(addr)} is not an IP address`);
    if (name.t === "null" && allowNull) out.set(normalizeAddress(addr), null);
    else if (name.t === "str" && name.v !== "") {
      checkLength(`source name for ${addr}`, name.v, API_LIMITS.nameLength);
      out.set(normalizeAddress(addr), name.v);
    } else
      throw new ApiError(
        400,
        `invalid source name for ${addr}: must be a non-empty string${allowNull ? " or null" : ""}`,
      );
  }
  return out;
}

const getSources: Handler = ({ registry }) => json(sourcesBody(registry.rules.sourcesObject()));

const putSources: Handler = ({ registry, body }) =>
  registry.exclusive(() => {
    registry.setSources(decodeSources(body, false), true);
    return json(sourcesBody(registry.rules.sourcesObject()));
  });

const patchSources: Handler = ({ registry, body }) =>
  registry.exclusive(() => {
    registry.setSources(decodeSources(body, true), false);
    return json(sourcesBody(registry.rules.sourcesObject()));
  });

/** Longest owner lookup bound a client may set, in ms. */
export const MAX_OWNER_TIMEOUT_MS = 10_000;

/** Reads `{"mode": "owner" | "address", "runId"?, "envKey"?, "timeoutMs"?}`; fields left out take defaults. */
export function decodeSourceResolver(body: string): SourceResolverJson {
  const node = parseBody(body);
  if (node.t !== "obj")
    throw new ApiError(400, ApiMessages.badBody('expected an object {"mode": "owner" | "address", …}'));
  const pick = (name: string): JsonNode | undefined =>
    [...node.entries].reverse().find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
  const mode = pick("mode");
  if (mode === undefined || mode.t === "null") throw new ApiError(400, ApiMessages.missingField("mode"));
  if (mode.t !== "str" || (mode.v !== "owner" && mode.v !== "address"))
    throw new ApiError(400, ApiMessages.badBody('mode must be "owner" or "address"'));
  const runId = pick("runId");
  if (runId !== undefined && runId.t !== "null" && (runId.t !== "str" || runId.v === ""))
    throw new ApiError(400, ApiMessages.badBody("runId must be a non-empty string or null"));
  const envKey = pick("envKey");
  if (envKey !== undefined && (envKey.t !== "str" || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(envKey.v)))
    throw new ApiError(400, ApiMessages.badBody("envKey must be an environment variable name"));
  const timeout = pick("timeoutMs");
  if (
    timeout !== undefined &&
    (timeout.t !== "num" ||
      !/^\d+$/.test(timeout.raw) ||
      Number(timeout.raw) < 1 ||
      Number(timeout.raw) > MAX_OWNER_TIMEOUT_MS)
  )
    throw new ApiError(
      400,
      ApiMessages.badBody(`timeoutMs must be an integer from 1 to ${MAX_OWNER_TIMEOUT_MS}`),
    );
  const runIdText = runId?.t === "str" ? runId.v : null;
  if (runIdText !== null) checkLength("runId", runIdText, API_LIMITS.nameLength);
  return {
    mode: mode.v,
    runId: runIdText,
    envKey: envKey?.t === "str" ? envKey.v : DEFAULT_NODE_ENV_KEY,
    timeoutMs: timeout?.t === "num" ? Number(timeout.raw) : DEFAULT_OWNER_TIMEOUT_MS,
  };
}

const getSourceResolver: Handler = ({ registry }) => json(encodePlain(registry.sourceResolver()));

const setSourceResolver: Handler = ({ registry, body }) =>
  registry.exclusive(() => {
    const config = decodeSourceResolver(body);
    if (config.mode === "owner" && !existsSync("/proc/net/tcp")) {
      throw new ApiError(
        400,
        "source resolver mode owner needs Linux's /proc/net/tcp, which this machine does not have",
      );
    }
    registry.setSourceResolver(config);
    return json(encodePlain(registry.sourceResolver()));
  });

const getLink: Handler = ({ registry, params }) =>
  json(encodePlain(registry.linkIdentity(registry.proxy(params.proxy!))));

function optionalName(node: JsonNode | undefined, field: string): string | null | undefined {
  if (node === undefined) return undefined;
  if (node.t === "null") return null;
  if (node.t === "str" && node.v !== "") {
    checkLength(field, node.v, API_LIMITS.nameLength);
    return node.v;
  }
  throw new ApiError(400, ApiMessages.badBody(`${field} must be a non-empty string or null`));
}

const putLink: Handler = ({ registry, params, body }) =>
  registry.exclusive(() => {
    const entry = registry.proxy(params.proxy!);
    const node = parseBody(body);
    if (node.t !== "obj" && node.t !== "null")
      throw new ApiError(400, ApiMessages.badBody("expected an object"));
    const entries = node.t === "obj" ? node.entries : [];
    const pick = (name: string): JsonNode | undefined =>
      [...entries].reverse().find(([k]) => k.toLowerCase() === name)?.[1];
    registry.setLinkIdentity(entry, {
      destination: optionalName(pick("destination"), "destination"),
      source: optionalName(pick("source"), "source"),
    });
    return json(encodePlain(registry.linkIdentity(entry)));
  });

const listLinkToxics: Handler = ({ registry }) =>
  json(encodeArray(registry.rules.toxics.map(encodeLinkToxic)));

const addLinkToxic: Handler = ({ registry, body }) =>
  registry.exclusive(() => {
    const def = decodeToxicCreate(body, { link: true, exists: (n) => registry.rules.find(n) !== undefined });
    registry.addLinkToxic(def);
    return json(encodeLinkToxic(def));
  });

const getLinkToxic: Handler = ({ registry, params }) =>
  json(encodeLinkToxic(registry.linkToxic(params.name!)));

const updateLinkToxic: Handler = ({ registry, params, body }) =>
  registry.exclusive(() => {
    const def = registry.linkToxic(params.name!);
    registry.updateLinkToxic(def, decodeToxicUpdate(body, def));
    return json(encodeLinkToxic(def));
  });

const removeLinkToxic: Handler = ({ registry, params }) =>
  registry.exclusive(() => {
    registry.removeLinkToxics([registry.linkToxic(params.name!)]);
    return noContent;
  });

const removeAllLinkToxics: Handler = ({ registry }) =>
  registry.exclusive(() => {
    registry.removeLinkToxics();
    return noContent;
  });

/**
 * `POST /faultline/batch` `{"add": [LinkToxic…], "remove": [name…]}`: removes and adds link toxics as one
 * change, so a partition of many links starts (and heals) at one instant instead of one HTTP round trip per
 * link. Everything is validated first (400 / 404 / 409 as for the single routes, naming the entry); nothing
 * is applied unless all of it can be. Answers 200 with the added toxics.
 */
const batchLinkToxics: Handler = ({ registry, body }) =>
  registry.exclusive(() => {
    const node = parseBody(body);
    if (node.t !== "obj")
      throw new ApiError(400, ApiMessages.badBody('expected an object {"add": […], "remove": […]}'));
    let parsed: { add?: unknown; remove?: unknown };
    try {
      parsed = JSON.parse(body) as { add?: unknown; remove?: unknown };
    } catch {
      throw new ApiError(400, ApiMessages.badBody("invalid JSON"));
    }
    const adds = parsed.add ?? [];
    const removes = parsed.remove ?? [];
    if (!Array.isArray(adds))
      throw new ApiError(400, ApiMessages.badBody("add must be an array of link toxics"));
    if (!Array.isArray(removes) || !removes.every((n) => typeof n === "string")) {
      throw new ApiError(400, ApiMessages.badBody("remove must be an array of toxic names"));
    }
    const removing = (removes as string[]).map((name, i) => {
      const def = registry.rules.find(name);
      if (!def) throw new ApiError(404, `toxic not found: remove[${i}] ${JSON.stringify(name)}`);
      return def;
    });
    const removedNames = new Set(removes as string[]);
    const taken = new Set<string>();
    const defs = adds.map((entry, i) => {
      try {
        const def = decodeToxicCreate(JSON.stringify(entry), {
          link: true,
          exists: (n) => taken.has(n) || (registry.rules.find(n) !== undefined && !removedNames.has(n)),
        });
        taken.add(def.name);
        return def;
      } catch (err) {
        if (err instanceof ApiError) throw new ApiError(err.status, `add[${i}]: ${err.message}`);
        throw err;
      }
    });
    if (removing.length > 0) registry.removeLinkToxics(removing);
    for (const def of defs) registry.addLinkToxic(def);
    return json(encodeArray(defs.map(encodeLinkToxic)));
  });

const listConnections: Handler = ({ registry }) => json(encodePlain(registry.connections()));

function intParam(query: URLSearchParams, name: string, fallback: number): number {
  const text = query.get(name);
  if (text === null || text === "") return fallback;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new ApiError(
      400,
      `bad request: ${name} must be a non-negative integer, got ${JSON.stringify(text)}`,
    );
  }
  return Number(text);
}

const events: Handler = async ({ registry, query }) => {
  const since = intParam(query, "since", 0);
  const wait = Math.min(intParam(query, "wait", 0), MAX_EVENT_WAIT_MS);
  await registry.events.waitFor(since, wait);
  const list = registry.events.since(since);
  const next = list.length > 0 ? list[list.length - 1]!.seq : Math.max(since, 0);
  return json(
    encodeObject([
      ["events", encodePlain(list)],
      ["next", String(next)],
    ]),
  );
};

/** The `/faultline/…` route table. */
export const faultlineRoutes: readonly Route<Handler>[] = [
  { methods: ["GET"], pattern: "/faultline/sources", handler: getSources },
  { methods: ["PUT"], pattern: "/faultline/sources", handler: putSources },
  { methods: ["PATCH"], pattern: "/faultline/sources", handler: patchSources },
  { methods: ["GET"], pattern: "/faultline/source-resolver", handler: getSourceResolver },
  { methods: ["POST", "PUT"], pattern: "/faultline/source-resolver", handler: setSourceResolver },
  { methods: ["GET"], pattern: "/faultline/proxies/{proxy}/link", handler: getLink },
  { methods: ["PUT"], pattern: "/faultline/proxies/{proxy}/link", handler: putLink },
  { methods: ["GET"], pattern: "/faultline/toxics", handler: listLinkToxics },
  { methods: ["POST"], pattern: "/faultline/toxics", handler: addLinkToxic },
  { methods: ["DELETE"], pattern: "/faultline/toxics", handler: removeAllLinkToxics },
  { methods: ["GET"], pattern: "/faultline/toxics/{name}", handler: getLinkToxic },
  { methods: ["PATCH", "POST"], pattern: "/faultline/toxics/{name}", handler: updateLinkToxic },
  { methods: ["DELETE"], pattern: "/faultline/toxics/{name}", handler: removeLinkToxic },
  { methods: ["POST"], pattern: "/faultline/batch", handler: batchLinkToxics },
  { methods: ["GET"], pattern: "/faultline/connections", handler: listConnections },
  { methods: ["GET"], pattern: "/faultline/events", handler: events },
];
