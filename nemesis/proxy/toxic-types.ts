/**
 * The toxic types: their attributes (all integers, zero by default), the Go struct each one decodes into (for
 * error messages), and the attribute checks faultline adds where Toxiproxy would crash or misbehave
 * (COMPAT.md "Attribute validation").
 */

/** A Toxiproxy toxic type. `noop` is accepted by Toxiproxy's API, so it is here too. */
export type ToxicType =
  "latency" | "bandwidth" | "slow_close" | "timeout" | "reset_peer" | "slicer" | "limit_data" | "noop";

/** A type a link toxic may have: any toxic type plus faultline's two cuts. */
export type LinkToxicType = ToxicType | "blackhole" | "refuse";

/** `upstream`: client → server bytes; `downstream`: server → client bytes. */
export type Stream = "upstream" | "downstream";

/** A toxic's attributes: every attribute of its type, each an integer. */
export type ToxicAttributes = Readonly<Record<string, number>>;

interface TypeSpec {
  readonly goStruct: string;
  readonly attributes: readonly string[];
  readonly validate?: (a: ToxicAttributes) => string | undefined;
}

const TYPES: Readonly<Record<LinkToxicType, TypeSpec>> = {
  latency: { goStruct: "toxics.LatencyToxic", attributes: ["latency", "jitter"] },
  bandwidth: {
    goStruct: "toxics.BandwidthToxic",
    attributes: ["rate"],
    // Go panics on a negative rate (a slice with a negative length) and takes the server down.
    validate: (a) => (a.rate! < 0 ? `invalid attribute: rate must be >= 0, got ${a.rate}` : undefined),
  },
  slow_close: { goStruct: "toxics.SlowCloseToxic", attributes: ["delay"] },
  timeout: { goStruct: "toxics.TimeoutToxic", attributes: ["timeout"] },
  reset_peer: { goStruct: "toxics.ResetToxic", attributes: ["timeout"] },
  slicer: {
    goStruct: "toxics.SlicerToxic",
    attributes: ["average_size", "size_variation", "delay"],
    // Go recurses forever on average_size <= 0 and panics when size_variation > average_size (#541).
    validate: (a) => {
      if (a.average_size! <= 0) return `invalid attribute: average_size must be > 0, got ${a.average_size}`;
      if (a.size_variation! < 0) {
        return `invalid attribute: size_variation must be >= 0, got ${a.size_variation}`;
      }
      if (a.size_variation! > a.average_size!) {
        return `invalid attribute: size_variation (${a.size_variation}) must not exceed average_size (${a.average_size})`;
      }
      if (a.delay! < 0) return `invalid attribute: delay must be >= 0, got ${a.delay}`;
      return undefined;
    },
  },
  limit_data: { goStruct: "toxics.LimitDataToxic", attributes: ["bytes"] },
  noop: { goStruct: "toxics.NoopToxic", attributes: [] },
  blackhole: { goStruct: "faultline.BlackholeToxic", attributes: [] },
  refuse: { goStruct: "faultline.RefuseToxic", attributes: [] },
};

const STANDARD: readonly ToxicType[] = [
  "latency",
  "bandwidth",
  "slow_close",
  "timeout",
  "reset_peer",
  "slicer",
  "limit_data",
  "noop",
];

/** Whether `type` names a Toxiproxy toxic type (exact, case-sensitive, as Go's registry lookup). */
export function isToxicType(type: string): type is ToxicType {
  return (STANDARD as readonly string[]).includes(type);
}

/** Whether `type` names a type a link toxic may have. */
export function isLinkToxicType(type: string): type is LinkToxicType {
  return isToxicType(type) || type === "blackhole" || type === "refuse";
}

/** The attribute names of a type, in the order Toxiproxy serialises them. */
export function attributeNames(type: LinkToxicType): readonly string[] {
  return TYPES[type].attributes;
}

/** The Go struct a type's attributes decode into (for error messages). */
export function goStructName(type: LinkToxicType): string {
  return TYPES[type].goStruct;
}

/** Every attribute of `type` set to zero. */
export function defaultAttributes(type: LinkToxicType): Record<string, number> {
  return Object.fromEntries(TYPES[type].attributes.map((n) => [n, 0]));
}

/** Checks a type's attributes; returns the 400 message, or `undefined` when they are usable. */
export function validateAttributes(type: LinkToxicType, attributes: ToxicAttributes): string | undefined {
  return TYPES[type].validate?.(attributes);
}

/** Checks a toxicity; Toxiproxy accepts anything, faultline keeps it a probability. */
export function validateToxicity(toxicity: number): string | undefined {
  return toxicity >= 0 && toxicity <= 1
    ? undefined
    : `invalid toxicity: must be between 0 and 1, got ${toxicity}`;
}

/** Parses a `stream` value the way Toxiproxy does: case-insensitive `upstream` / `downstream`. */
export function parseStream(text: string): Stream | undefined {
  const lower = text.toLowerCase();
  return lower === "upstream" || lower === "downstream" ? lower : undefined;
}
