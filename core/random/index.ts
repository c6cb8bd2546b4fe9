export type { Random } from "./random.js";
export { createRandom, freshSeed } from "./random.js";
