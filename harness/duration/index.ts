/**
 * The one duration grammar (`500ms`, `30s`, `2m`, `1h`, bare seconds). Its own component, beside `harness/random`
 * and `harness/errors`, so that the nemesis's schedule parser and the run config both use it and neither imports
 * the other's folder for it.
 */
export { durationMs } from "./duration.js";
