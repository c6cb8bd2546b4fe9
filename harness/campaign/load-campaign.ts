import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { InputError, isFaultlineError } from "../../core/errors/index.js";
import { assertReadableInput } from "../../core/user-paths/index.js";
import { CampaignSchema, type Campaign } from "./campaign-schema.js";

/**
 * Parses a campaign file's text (YAML, or JSON, which YAML reads too). Every problem throws one
 * {@link InputError} (exit 254) naming the file and the line (syntax) or the field (`matrix.seed`).
 *
 * @example
 * parseCampaign("name: c\nmatrix: { nemesis: [kill-leader] }\n", "c.yaml").matrix.nemesis; // ["kill-leader"]
 */
export function parseCampaign(text: string, path: string): Campaign {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true });
  } catch (err) {
    const e = err as Error & { linePos?: { line: number }[] };
    const line = e.linePos?.[0]?.line;
    throw new InputError(
      "BAD_CAMPAIGN",
      `${path}${line === undefined ? "" : `:${line}`}: not valid YAML: ${e.message.split("\n")[0]}`,
      { details: { path, line } },
    );
  }
  const parsed = CampaignSchema.safeParse(data ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`);
  throw new InputError("BAD_CAMPAIGN", `${path}: ${problems.join("; ")}`, {
    details: { path, problems },
    hint: "a campaign file has name, run (the fields of a --config file), stores (each store kind's settings) and matrix (store, workload, nemesis, replication, seed)",
  });
}

/** Reads and parses a campaign file; a missing or unreadable file is an {@link InputError} too. */
export function loadCampaign(path: string): Campaign {
  let text: string;
  try {
    // A device, a pipe or a kernel file would never end or block forever: refused before reading.
    assertReadableInput(path, { label: "<file>", kind: "file" });
    text = readFileSync(path, "utf8");
  } catch (err) {
    if (isFaultlineError(err)) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      "BAD_ARGUMENT",
      `<file>: ${code === "ENOENT" ? "no such file" : `cannot read it (${code ?? (err as Error).message})`}: ${path}`,
      {
        details: { path },
      },
    );
  }
  return parseCampaign(text, path);
}
