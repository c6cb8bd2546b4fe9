/**
 * JUnit XML for CI (the Ant/Surefire dialect every CI reads: GitHub Actions reporters, GitLab, Jenkins): one
 * `<testsuite>` per run, one `<testcase>` per checker. An invalid checker is a `<failure>` whose text is its
 * explanations, followed by the report's account of the faults around each anomaly; a checker that could not
 * decide (`unknown`) is an `<error>` with its reason.
 */

/** One run as a test suite. */
export interface JunitRun {
  /** The suite's name: the test name, or a campaign cell's id. */
  name: string;
  /** Checker results by label. */
  results: Record<string, unknown>;
  /** Seconds the run took (the history's span). */
  seconds: number;
  /** ISO time the run started, when known. */
  timestamp?: string;
  /** `seed`, `runId`, `runDir`, `replay`, … as `<property>`s. */
  properties?: Record<string, string | number | undefined>;
  /** Extra context per checker label (the report's anomaly stories), appended to its failure text. */
  context?: Record<string, string[]>;
  /** Set when the run produced no verdict (crashed, interrupted before checking): one errored test case. */
  error?: string;
  /**
   * What an incomplete run is missing (no final phase, interrupted, final reads failed): one errored test case
   * `run` of type `incomplete`, so CI never counts the run as passed.
   */
  incomplete?: readonly string[];
}

/**
 * Replaces what XML 1.0 cannot carry even escaped — C0 controls other than tab, newline and carriage return,
 * U+FFFE / U+FFFF, lone surrogates — with U+FFFD.
 */
function xmlChars(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const high = c >= 0xd800 && c <= 0xdbff;
    const low = c >= 0xdc00 && c <= 0xdfff;
    if (high && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text[i]! + text[i + 1]!;
        i++;
        continue;
      }
    }
    const bad =
      (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff || high || low;
    out += bad ? "\uFFFD" : text[i]!;
  }
  return out;
}

/** Escapes text for XML content and attribute values, replacing characters XML cannot carry with U+FFFD. */
export function escapeXml(text: unknown): string {
  return xmlChars(String(text))
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

/** Failure text is capped so a run with 100,000 lost writes still gives CI a readable file. */
const MAX_TEXT = 64 * 1024;

const cap = (s: string): string =>
  s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}\n… (cut; results.json has it all)` : s;
const firstLine = (s: string): string => {
  const line = s.split("\n")[0] ?? "";
  return line.length > 300 ? `${line.slice(0, 299)}…` : line;
};

function testcases(
  run: JunitRun,
  classname: string,
): { xml: string; failures: number; errors: number; tests: number } {
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  if (run.error !== undefined) {
    errors++;
    cases.push(
      `    <testcase classname="${escapeXml(classname)}" name="run" time="${run.seconds.toFixed(3)}">\n      <error message="${escapeXml(firstLine(run.error))}" type="no-verdict">${escapeXml(cap(run.error))}</error>\n    </testcase>`,
    );
  }
  if (run.error === undefined && run.incomplete !== undefined && run.incomplete.length > 0) {
    errors++;
    const text = `incomplete run: ${run.incomplete.join("; ")}`;
    cases.push(
      `    <testcase classname="${escapeXml(classname)}" name="run" time="${run.seconds.toFixed(3)}">\n      <error message="${escapeXml(firstLine(text))}" type="incomplete">${escapeXml(cap(text))}</error>\n    </testcase>`,
    );
  }
  for (const [label, raw] of Object.entries(run.results)) {
    const r = (raw ?? {}) as Record<string, unknown>;
    const open = `    <testcase classname="${escapeXml(classname)}" name="${escapeXml(label)}" time="0">`;
    if (r.valid === true) {
      cases.push(`${open}</testcase>`);
    } else if (r.valid === false) {
      failures++;
      const anomalies = Array.isArray(r.anomalies)
        ? (r.anomalies as { kind?: unknown; explanation?: unknown }[])
        : [];
      const kinds = [...new Set(anomalies.map((a) => String(a.kind)))].join(",") || "invalid";
      const text = anomalies.map((a) => `${String(a.kind)}: ${String(a.explanation)}`).join("\n\n");
      const context = run.context?.[label] ?? [];
      const body = context.length > 0 ? `${text}\n\nAround the faults:\n${context.join("\n")}` : text;
      cases.push(
        `${open}\n      <failure message="${escapeXml(firstLine(String(anomalies[0]?.explanation ?? "invalid")))}" type="${escapeXml(kinds)}">${escapeXml(cap(body))}</failure>\n    </testcase>`,
      );
    } else {
      errors++;
      const reason = String(r.reason ?? "the checker could not decide");
      cases.push(
        `${open}\n      <error message="${escapeXml(firstLine(reason))}" type="unknown">${escapeXml(cap(reason))}</error>\n    </testcase>`,
      );
    }
  }
  return { xml: cases.join("\n"), failures, errors, tests: cases.length };
}

function suite(
  run: JunitRun,
  classname: string,
): { xml: string; failures: number; errors: number; tests: number } {
  const c = testcases(run, classname);
  const props = Object.entries(run.properties ?? {})
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `      <property name="${escapeXml(k)}" value="${escapeXml(v)}"/>`)
    .join("\n");
  const attrs = [
    `name="${escapeXml(run.name)}"`,
    `tests="${c.tests}"`,
    `failures="${c.failures}"`,
    `errors="${c.errors}"`,
    `skipped="0"`,
    `time="${run.seconds.toFixed(3)}"`,
    ...(run.timestamp ? [`timestamp="${escapeXml(run.timestamp)}"`] : []),
  ].join(" ");
  const xml = `  <testsuite ${attrs}>\n${props ? `    <properties>\n${props}\n    </properties>\n` : ""}${c.xml}\n  </testsuite>`;
  return { xml, failures: c.failures, errors: c.errors, tests: c.tests };
}

/**
 * `junit.xml` for one or more runs (a campaign is many), under one `<testsuites>` named `name`.
 *
 * @example
 * junitXml("faultline", [{ name: "set-partition-leader", results: verdict.results, seconds: 22.4, properties: { seed: 42 } }]);
 */
export function junitXml(name: string, runs: readonly JunitRun[]): string {
  const suites = runs.map((r) => suite(r, `faultline.${r.name}`));
  const total = (k: "tests" | "failures" | "errors"): number => suites.reduce((n, s) => n + s[k], 0);
  const seconds = runs.reduce((n, r) => n + r.seconds, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="${escapeXml(name)}" tests="${total("tests")}" failures="${total("failures")}" errors="${total("errors")}" time="${seconds.toFixed(3)}">
${suites.map((s) => s.xml).join("\n")}
</testsuites>
`;
}
