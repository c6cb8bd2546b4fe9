/**
 * Reading a proxies file (`faultline proxy --config proxies.json`): the same JSON array `POST /populate` takes.
 * Every problem is an {@link InputError} naming the file, the entry and the field.
 */
import { readFileSync } from "node:fs";
import { InputError } from "../../core/errors/index.js";
import { assertReadableInput } from "../../core/user-paths/index.js";
import { ApiError } from "./api-error.js";
import { GoJsonError, parseFirstJsonValue } from "./go-json.js";
import type { ProxySpec } from "./proxy-registry.js";
import { decodeProxySpec } from "./routes-standard.js";

/** Parses the text of a proxies file; `file` names it in errors. */
export function parseProxyConfig(text: string, file: string): ProxySpec[] {
  const fail = (message: string, details: Record<string, unknown>): never => {
    throw new InputError("PROXY_CONFIG_INVALID", `${file}: ${message}`, {
      details: { file, ...details },
      hint: 'the file must be a JSON array like [{"name":"db","listen":"127.0.0.1:26379","upstream":"127.0.0.1:6379"}]',
    });
  };
  let node;
  try {
    node = parseFirstJsonValue(text);
  } catch (err) {
    if (err instanceof GoJsonError) return fail(`not valid JSON: ${err.message}`, {});
    throw err;
  }
  if (node.t !== "arr")
    return fail(
      `expected a JSON array of proxies, got ${node.t === "obj" ? "an object" : "a " + node.t}`,
      {},
    );
  return node.items.map((item, i) => {
    const entry = i + 1;
    let spec: ProxySpec;
    try {
      spec = decodeProxySpec(item);
    } catch (err) {
      if (err instanceof ApiError) {
        const field = /struct field Proxy\.(\w+)/.exec(err.message)?.[1];
        return fail(
          `entry ${entry}${field ? `, field "${field}"` : ""}: ${err.message.replace(/^bad request body: /, "")}`,
          {
            entry,
            field,
          },
        );
      }
      throw err;
    }
    if (spec.name === "")
      return fail(`entry ${entry}: missing required field "name"`, { entry, field: "name" });
    if (spec.upstream === "") {
      return fail(`entry ${entry} ("${spec.name}"): missing required field "upstream"`, {
        entry,
        field: "upstream",
      });
    }
    return spec;
  });
}

/** Reads and parses a proxies file. */
export function loadProxyConfig(file: string): ProxySpec[] {
  // A device, a pipe or a kernel file would never end or block forever: refused (exit 254), named, before reading.
  assertReadableInput(file, { label: "--config", kind: "file" });
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new InputError("PROXY_CONFIG_UNREADABLE", `cannot read ${file}: ${(err as Error).message}`, {
      details: { file },
      hint: "check the path given to --config",
      cause: err,
    });
  }
  return parseProxyConfig(text, file);
}
