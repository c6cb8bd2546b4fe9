import type { Command } from "commander";
import { registerProxyCommand } from "./proxy.js";

/** A subcommand: adds itself to the program and returns the subcommand it created. */
export type RegisterCommand = (program: Command) => Command;

/** Every subcommand, in the order `faultline --help` lists them. */
export const commands: RegisterCommand[] = [registerProxyCommand];
