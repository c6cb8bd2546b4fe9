import { faultlineCharts } from "./client-charts.js";
import { faultlineReport } from "./client-main.js";
import { faultlineTimeline } from "./client-timeline.js";
import { faultlineUi } from "./client-ui.js";
import { unpackOps } from "./pack-ops.js";

/**
 * The report's page script: the browser-side functions as source text, then a call of the entry point. They
 * are written in TypeScript (type-checked against the DOM and uPlot's types) and embedded from their compiled
 * form. `__name` is defined because a compiler may wrap nested functions in it to keep their names.
 *
 * @example
 * const js = reportScript(); // "var __name = …; function faultlineUi(data) { … } … faultlineReport();"
 */
export function reportScript(): string {
  return [
    '"use strict";',
    "var __name = function (fn) { return fn; };",
    unpackOps.toString(),
    faultlineUi.toString(),
    faultlineCharts.toString(),
    faultlineTimeline.toString(),
    faultlineReport.toString(),
    "faultlineReport();",
  ].join("\n");
}
