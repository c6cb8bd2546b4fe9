/**
 * `harness/report`: a run's self-contained `report.html` — data built from the history and the verdict (pure,
 * tested on its own), then rendered — and the page shell the campaign report and the results browser share.
 */
export { buildReportData } from "./report-data.js";
export type { ReportData, ReportInput, CheckerLine, FaultWindow } from "./report-data.js";
export { buildClusterTimeline } from "./cluster-timeline.js";
export type { ClusterTimeline } from "./cluster-timeline.js";
export { buildOpTable, OUTCOME_CODES } from "./op-table.js";
export type { OpTable } from "./op-table.js";
export { throughput } from "./throughput.js";
export type { Throughput } from "./throughput.js";
export { replicationLag, readLagSample, LAG_SAMPLE_FS } from "./replication-lag.js";
export type { ReplicationLag } from "./replication-lag.js";
export { anomalyStories, STORY_EXAMPLES } from "./anomaly-stories.js";
export type { AnomalyStory } from "./anomaly-stories.js";
export { linearizableViews } from "./linearizable-view.js";
export type { LinearizableView, LinearOp } from "./linearizable-view.js";
export { cycleViews } from "./cycle-view.js";
export type { CycleView } from "./cycle-view.js";
export { faultPhrase, nodePhrase, leaderAt, seconds } from "./fault-context.js";
export { runSettings } from "./run-settings.js";
export type { RunSetting } from "./run-settings.js";
export type { ClientData, ClientView } from "./client-data.js";
export { packOps, unpackOps, packColumn, unpackColumn } from "./pack-ops.js";
export type { PackedOps, PackedColumn } from "./pack-ops.js";
export { renderReportHtml, verdictText, verdictClass } from "./render-report.js";
export { renderPage } from "./page.js";
export type { PageOptions } from "./page.js";
export { reportScript } from "./client-script.js";
export { cycleSvg } from "./render-cycles.js";
export { escapeHtml } from "./escape-html.js";
export { jsonForScript } from "./safe-json.js";
export { preview } from "./preview.js";
export { REPORT_CSS } from "./report-styles.js";
export { failoverExplanations, renderFailoverExplanations } from "./failover-explanations.js";
export type { FailoverExplanation } from "./failover-explanations.js";
export { isWriteOp, writeAvailability, STRETCHES_KEPT } from "./write-availability.js";
export type { UnavailableStretch, WriteAvailability } from "./write-availability.js";
