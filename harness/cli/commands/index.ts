import type { Command } from "commander";
import { registerCampaignCommand } from "./campaign.js";
import { registerCheckCommand } from "./check.js";
import { registerCleanupCommand } from "./cleanup.js";
import { registerImagesCommand } from "./images.js";
import { registerProxyCommand } from "./proxy.js";
import { registerReplayCommand } from "./replay.js";
import { registerRunCommand } from "./run.js";
import { registerServeCommand } from "./serve.js";
import { registerShrinkCommand } from "./shrink.js";
import { registerStoresCommand } from "./stores.js";
import { registerWorkloadsCommand } from "./workloads.js";

/** A subcommand: adds itself to the program and returns the subcommand it created. */
export type RegisterCommand = (program: Command) => Command;

/** Every subcommand, in the order `faultline --help` lists them. */
export const commands: RegisterCommand[] = [
  registerRunCommand,
  registerReplayCommand,
  registerShrinkCommand,
  registerWorkloadsCommand,
  registerStoresCommand,
  registerCheckCommand,
  registerCampaignCommand,
  registerServeCommand,
  registerCleanupCommand,
  registerImagesCommand,
  registerProxyCommand,
];
