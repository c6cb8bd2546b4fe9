export { buildReportData } from "./report-data.js";
export type { ReportData, FaultWindow } from "./report-data.js";
export { renderReportHtml } from "./render-report.js";
export { timelineSvg } from "./timeline-svg.js";
export { escapeHtml } from "./escape-html.js";
