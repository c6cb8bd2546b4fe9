import type { AnomalyStory } from "./anomaly-stories.js";
import { escapeHtml as e } from "./escape-html.js";

/** The "what went wrong" section: every anomaly as a story, each with a button that shows it in the timeline. */
export function renderStories(stories: readonly AnomalyStory[], valid: unknown): string {
  if (stories.length === 0) {
    return valid === true
      ? `<p>No anomalies: every checker found the history valid.</p>`
      : `<p class="note">No anomaly to tell (see the checkers above for why the verdict is not valid).</p>`;
  }
  return stories
    .map((s) => {
      const button =
        s.fromMs === undefined
          ? ""
          : ` <button type="button" data-from="${s.fromMs}" data-to="${s.toMs ?? s.fromMs}">show in timeline</button>`;
      const multiLine = s.details.length > 0 && s.details.some((d) => /^(T\d+|\s)/.test(d));
      const details = multiLine
        ? `<pre>${e(s.details.join("\n"))}</pre>`
        : s.details.length > 0
          ? listWithMore(s.details)
          : "";
      const more =
        s.more > 0 ? `<p class="more">… and ${s.more} more like these (results.json lists them all)</p>` : "";
      return `<article class="story"><h3><span class="badge">${e(s.checker)}</span>${e(s.kind)}${button}</h3><p>${e(s.summary)}</p>${details}${more}</article>`;
    })
    .join("\n");
}

/** The first {@link SHOWN_OPEN} sentences as a list, the rest folded away. */
function listWithMore(lines: readonly string[]): string {
  const li = (xs: readonly string[]): string => xs.map((d) => `<li>${e(d)}</li>`).join("");
  if (lines.length <= SHOWN_OPEN + 1) return `<ul>${li(lines)}</ul>`;
  return `<ul>${li(lines.slice(0, SHOWN_OPEN))}</ul><details><summary>${lines.length - SHOWN_OPEN} more examples</summary><ul>${li(lines.slice(SHOWN_OPEN))}</ul></details>`;
}

const SHOWN_OPEN = 5;
