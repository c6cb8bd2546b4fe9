export { DisposalStack } from "./disposal-stack.js";
