/**
 * `harness/campaign`: `faultline campaign <file.yaml>` — a matrix of workloads × nemeses × replication modes ×
 * seeds, run one after another, compared in one report.
 */
export { CampaignSchema } from "./campaign-schema.js";
export type { Campaign } from "./campaign-schema.js";
export { parseCampaign, loadCampaign } from "./load-campaign.js";
export { expandMatrix, campaignAxes, cellConfig } from "./expand-matrix.js";
export type { CampaignCell, CampaignAxes } from "./expand-matrix.js";
export { runMetrics } from "./run-metrics.js";
export type { RunMetrics } from "./run-metrics.js";
export { estimateRemainingMs, formatDuration, DEFAULT_OVERHEAD_MS } from "./campaign-eta.js";
export type { FinishedRun } from "./campaign-eta.js";
export { startCampaignProgress } from "./campaign-progress.js";
export type { CampaignProgress, CampaignProgressSink } from "./campaign-progress.js";
export { createCampaignDirectory } from "./campaign-directory.js";
export type { CampaignDirectory } from "./campaign-directory.js";
export { campaignValidity } from "./campaign-results.js";
export type { CampaignResults, CampaignCellResult, CellStatus } from "./campaign-results.js";
export { renderCampaignReport } from "./render-campaign-report.js";
export { runCampaign } from "./run-campaign.js";
export type { CampaignEnvironment, CampaignOutcome } from "./run-campaign.js";
export { parseShard, assignShards, campaignFileHash, seedFromHash, MAX_SHARDS } from "./shard.js";
export type { Shard } from "./shard.js";
export { mergeCampaigns } from "./merge-campaigns.js";
export { openCampaignDirectory } from "./campaign-directory.js";
export type { CampaignRunOptions } from "./run-campaign.js";
