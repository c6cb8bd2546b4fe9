/**
 * Toxiproxy 2.12's routes (compat spec §1.3): proxies, populate, toxics, reset, version. Status codes, error
 * strings and JSON shapes are Toxiproxy's; COMPAT.md lists the few places faultline decides otherwise.
 */
import { ApiError, ApiMessages } from "./api-error.js";
import { decodeStruct, describeKind, type GoFieldValue } from "./go-decode.js";
import { encodeArray, encodeObject, encodeString } from "./go-json-encode.js";
import type { JsonNode } from "./go-json.js";
import type { Route } from "./http-router.js";
import { json, noContent, type Reply } from "./http-reply.js";
import type { ProxyRegistry, ProxySpec } from "./proxy-registry.js";
import {
  decodeOrBadRequest,
  decodeToxicCreate,
  decodeToxicUpdate,
  encodeToxic,
  parseBody,
} from "./toxic-definition.js";

/** What a handler gets. */
export interface HandlerContext {
  readonly registry: ProxyRegistry;
  readonly params: Readonly<Record<string, string>>;
  readonly body: string;
  readonly query: URLSearchParams;
  /** The server's own version line for `GET /version`. */
  readonly versionBody: string;
}

/** A route handler. */
export type Handler = (ctx: HandlerContext) => Reply | Promise<Reply>;

const PROXY_FIELDS = [
  { name: "name", kind: "string" },
  { name: "listen", kind: "string" },
  { name: "upstream", kind: "string" },
  { name: "enabled", kind: "bool" },
] as const;

/** Decodes one proxy object (`POST /proxies`, a `/populate` element, a `--config` entry). */
export function decodeProxySpec(node: JsonNode): ProxySpec {
  const spec: Record<string, GoFieldValue> = { name: "", listen: "", upstream: "", enabled: true };
  decodeOrBadRequest(() => decodeStruct(node, "toxiproxy.Proxy", PROXY_FIELDS, spec));
  return spec as unknown as ProxySpec;
}

/** Decodes a `/populate` body (a JSON array of proxies). */
export function decodeProxySpecs(node: JsonNode): ProxySpec[] {
  if (node.t === "null") return [];
  if (node.t !== "arr") {
    throw new ApiError(
      400,
      ApiMessages.badBody(
        `json: cannot unmarshal ${describeKind(node)} into Go value of type []toxiproxy.Proxy`,
      ),
    );
  }
  return node.items.map(decodeProxySpec);
}

const listProxies: Handler = ({ registry }) =>
  json(encodeObject(registry.sortedNames().map((n) => [n, registry.proxies.get(n)!.toJson()])));

const createProxy: Handler = ({ registry, body }) =>
  registry.exclusive(async () => {
    const spec = decodeProxySpec(parseBody(body));
    const entry = await registry.createProxy(spec);
    return json(entry.toJson(), 201);
  });

const populate: Handler = ({ registry, body }) =>
  registry.exclusive(async () => {
    const reply = (status: number, proxies: string[], error?: ApiError): Reply => ({
      status,
      body: encodeObject([
        ...(error
          ? ([
              ["error", encodeString(error.message)],
              ["status", String(error.status)],
            ] as [string, string][])
          : []),
        ["proxies", encodeArray(proxies)],
      ]),
    });
    let specs: ProxySpec[];
    try {
      specs = decodeProxySpecs(parseBody(body));
      const result = await registry.populate(specs);
      const proxies = result.proxies.map((p) => p.toJson());
      return result.error ? reply(result.error.status, proxies, result.error) : reply(201, proxies);
    } catch (err) {
      if (err instanceof ApiError) return reply(err.status, [], err);
      throw err;
    }
  });

const getProxy: Handler = ({ registry, params }) => json(registry.proxy(params.proxy!).toJson());

const updateProxy: Handler = ({ registry, params, body }) =>
  registry.exclusive(async () => {
    const entry = registry.proxy(params.proxy!);
    const input: Record<string, GoFieldValue> = {
      name: entry.name,
      listen: entry.listen,
      upstream: entry.upstream,
      enabled: entry.enabled,
    };
    const node = parseBody(body);
    decodeOrBadRequest(() => decodeStruct(node, "toxiproxy.Proxy", PROXY_FIELDS, input));
    await registry.updateProxy(entry, input as { listen: string; upstream: string; enabled: boolean });
    return json(entry.toJson());
  });

const deleteProxy: Handler = ({ registry, params }) =>
  registry.exclusive(() => {
    registry.deleteProxy(registry.proxy(params.proxy!));
    return noContent;
  });

const listToxics: Handler = ({ registry, params }) => {
  const entry = registry.proxy(params.proxy!);
  const ordered = [...entry.streamToxics("upstream"), ...entry.streamToxics("downstream")];
  return json(encodeArray(ordered.map(encodeToxic)));
};

const addToxic: Handler = ({ registry, params, body }) =>
  registry.exclusive(() => {
    const entry = registry.proxy(params.proxy!);
    const def = decodeToxicCreate(body, {
      link: false,
      exists: (name) => entry.toxics.some((t) => t.name === name),
    });
    registry.addToxic(entry, def);
    return json(encodeToxic(def));
  });

const getToxic: Handler = ({ registry, params }) => {
  const entry = registry.proxy(params.proxy!);
  return json(encodeToxic(registry.toxic(entry, params.toxic!)));
};

const updateToxic: Handler = ({ registry, params, body }) =>
  registry.exclusive(() => {
    const entry = registry.proxy(params.proxy!);
    const def = registry.toxic(entry, params.toxic!);
    registry.updateToxic(entry, def, decodeToxicUpdate(body, def));
    return json(encodeToxic(def));
  });

const removeToxic: Handler = ({ registry, params }) =>
  registry.exclusive(() => {
    const entry = registry.proxy(params.proxy!);
    registry.removeToxic(entry, registry.toxic(entry, params.toxic!));
    return noContent;
  });

const reset: Handler = ({ registry }) =>
  registry.exclusive(async () => {
    await registry.reset();
    return noContent;
  });

const version: Handler = ({ versionBody }) => ({
  status: 200,
  body: versionBody,
  contentType: "application/json;charset=utf-8",
});

/** Toxiproxy's route table. */
export const standardRoutes: readonly Route<Handler>[] = [
  { methods: ["POST"], pattern: "/reset", handler: reset },
  { methods: ["GET"], pattern: "/proxies", handler: listProxies },
  { methods: ["POST"], pattern: "/proxies", handler: createProxy },
  { methods: ["POST"], pattern: "/populate", handler: populate },
  { methods: ["GET"], pattern: "/proxies/{proxy}", handler: getProxy },
  { methods: ["POST", "PATCH"], pattern: "/proxies/{proxy}", handler: updateProxy },
  { methods: ["DELETE"], pattern: "/proxies/{proxy}", handler: deleteProxy },
  { methods: ["GET"], pattern: "/proxies/{proxy}/toxics", handler: listToxics },
  { methods: ["POST"], pattern: "/proxies/{proxy}/toxics", handler: addToxic },
  { methods: ["GET"], pattern: "/proxies/{proxy}/toxics/{toxic}", handler: getToxic },
  { methods: ["POST", "PATCH"], pattern: "/proxies/{proxy}/toxics/{toxic}", handler: updateToxic },
  { methods: ["DELETE"], pattern: "/proxies/{proxy}/toxics/{toxic}", handler: removeToxic },
  { methods: ["GET"], pattern: "/version", handler: version },
];
