export { classifyRedisError } from "./classify.js";
export { redisClient, redisClientOptions, spreadOverFollowers } from "./redis-client.js";
export type { RedisClientOptions, RedisClientTopology } from "./redis-client.js";
export { waitForReplicas } from "./wait-for-replicas.js";
