import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // better-sqlite3, pg, bullmq (reads its Lua scripts from disk) and ioredis are Node-only: load them from node_modules at runtime instead of bundling.
  serverExternalPackages: ["better-sqlite3", "pg", "bullmq", "ioredis"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
