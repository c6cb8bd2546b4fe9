/**
 * Request routing with gorilla/mux's observable behaviour, which Toxiproxy's clients meet: paths are matched
 * after percent-decoding (so a name containing `/` cannot be addressed), `{param}` matches one non-empty
 * segment, an unclean path (`//`, `.`, `..`) is redirected (301) to its clean form, an unknown path is
 * `404 page not found`, and a known path with the wrong method is a bare 405.
 */

/** Path parameters by name. */
export type Params = Readonly<Record<string, string>>;

/** A route: methods, a pattern like `/proxies/{proxy}/toxics`, and what it does. */
export interface Route<H> {
  readonly methods: readonly string[];
  readonly pattern: string;
  readonly handler: H;
}

/** The outcome of routing one request. */
export type RouteMatch<H> =
  | { readonly kind: "found"; readonly handler: H; readonly params: Params }
  | { readonly kind: "redirect"; readonly location: string }
  | { readonly kind: "bad-request" }
  | { readonly kind: "method-not-allowed" }
  | { readonly kind: "not-found" };

/** Matches a request target (`req.url`) and method against `routes`. */
export function matchRoute<H>(routes: readonly Route<H>[], method: string, target: string): RouteMatch<H> {
  let raw = target;
  const abs = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/]*/.exec(raw);
  if (abs) raw = raw.slice(abs[0].length) || "/";
  const q = raw.indexOf("?");
  const rawPath = q === -1 ? raw : raw.slice(0, q);
  const query = q === -1 ? "" : raw.slice(q);
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return { kind: "bad-request" };
  }
  const clean = cleanPath(path);
  if (clean !== path) return { kind: "redirect", location: encodeURI(clean) + query };
  const segments = path.split("/").slice(1);
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPattern(route.pattern, segments);
    if (!params) continue;
    if (route.methods.includes(method)) return { kind: "found", handler: route.handler, params };
    pathMatched = true;
  }
  return pathMatched ? { kind: "method-not-allowed" } : { kind: "not-found" };
}

function matchPattern(pattern: string, segments: readonly string[]): Params | undefined {
  const parts = pattern.split("/").slice(1);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const seg = segments[i]!;
    if (part.startsWith("{") && part.endsWith("}")) {
      if (seg === "") return undefined;
      params[part.slice(1, -1)] = seg;
    } else if (part !== seg) {
      return undefined;
    }
  }
  return params;
}

/** gorilla/mux's `cleanPath`: Go's `path.Clean`, keeping a trailing slash. */
export function cleanPath(p: string): string {
  if (p === "") return "/";
  if (!p.startsWith("/")) p = "/" + p;
  const out: string[] = [];
  for (const seg of p.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") out.pop();
    else out.push(seg);
  }
  let np = "/" + out.join("/");
  if (p.endsWith("/") && np !== "/") np += "/";
  return np;
}
