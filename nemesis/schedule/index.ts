export { FAULT_FAMILIES, PARTITION_KINDS, windowEnd } from "./fault-window.js";
export type {
  FaultFamily,
  PartitionKind,
  Cut,
  StreamChoice,
  PartitionTarget,
  PartitionParams,
  ClockParams,
  LatencyParams,
  LinkParams,
  ProcessParams,
  WindowTiming,
  FaultWindow,
  Schedule,
} from "./fault-window.js";
export {
  DYNAMIC_PROCESS_SELECTORS,
  DYNAMIC_LINK_SELECTORS,
  isProcessSelector,
  isLinkSelector,
  isGroupSelector,
  processDomain,
  processSelectorsMayOverlap,
  linkClass,
  linkSelectorsMayOverlap,
} from "./selectors.js";
export type {
  DynamicProcessSelector,
  NamedProcess,
  ProcessSelector,
  DynamicLinkSelector,
  NamedLink,
  LinkSelector,
} from "./selectors.js";
export {
  DEFAULT_CLUSTER_SHAPE,
  processSelectorProblem,
  linkSelectorProblem,
  partitionKindProblem,
} from "./cluster-shape.js";
export type { ClusterShape } from "./cluster-shape.js";
export { windowClaims, windowConflict, windowsOverlapInTime } from "./conflicts.js";
export type { Claim } from "./conflicts.js";
export { checkSchedule, assertSchedule } from "./check-schedule.js";
export type { ScheduleCheck, ScheduleProblem } from "./check-schedule.js";
export { FAULT_CATALOGUE, FAULT_NAMES, isNemesisChoice, faultNamesOf } from "./catalogue.js";
export type { FaultName, NemesisChoice, FaultAction, FaultEntry, PartitionShape } from "./catalogue.js";
export { DEFAULT_SCHEDULE_OPTIONS, resolveScheduleOptions } from "./schedule-options.js";
export type { ScheduleOptions } from "./schedule-options.js";
export { actionArbitrary } from "./action-arbitrary.js";
export { scheduleArbitrary, MAX_FAULT_STARTS } from "./schedule-arbitrary.js";
export { generateSchedule } from "./generate-schedule.js";
export { scheduleTimeline } from "./timeline.js";
export type { TimelineEvent } from "./timeline.js";
export { describeSchedule, describeWindow, describeAction } from "./describe-schedule.js";
export { resolveProcesses, resolveLinks } from "./resolve-target.js";
export type { FireContext, LinkPair } from "./resolve-target.js";
export { partitionGrudge } from "./partition-grudge.js";
export type { ResolvedPartition } from "./partition-grudge.js";
export { parseNemesisFlag } from "./parse-nemesis-flag.js";
export { parseNemesisInterval, MAX_NEMESIS_INTERVAL } from "./parse-nemesis-interval.js";
export { ScheduleSchema } from "./schedule-schema.js";
export { parseSchedule, parseScheduleFile } from "./parse-schedule-file.js";
export type { ParseScheduleOptions } from "./parse-schedule-file.js";
export { shrinkCandidates, scheduleMeasure, compareMeasures } from "./shrink.js";
export type { ShrinkOptions, ScheduleMeasure } from "./shrink.js";
export { shrinkSearch } from "./shrink-search.js";
export type { ShrinkAttempt, ShrinkResult, ShrinkSearchOptions, StillFailsVerdict } from "./shrink-search.js";
