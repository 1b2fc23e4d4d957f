import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // better-sqlite3 and pg are native/Node-only: load them from node_modules at runtime instead of bundling.
  serverExternalPackages: ["better-sqlite3", "pg"],
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
