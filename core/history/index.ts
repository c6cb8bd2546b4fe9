export { openHistoryWriter } from "./history-writer.js";
export type { HistoryWriter, HistoryWriterOptions, OpDraft } from "./history-writer.js";
