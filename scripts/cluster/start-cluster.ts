/**
 * N studio instances (the production server, `scripts/start.mjs`) and an nginx in front of them,
 * on loopback: what `npm run cluster` runs, and what the cluster tests and `bench:load --instances`
 * start. nginx is Debian's nginx-light, started by this module with a configuration of its own in
 * a temporary directory, which includes deploy/nginx/studio-proxy.conf (the SSE settings).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export const NGINX_BINARY = process.env.NGINX_PATH ?? "/usr/sbin/nginx";
export const INSTALL_NGINX = "sudo apt-get install -y nginx-light";

export interface ClusterInstance {
  id: string;
  port: number;
  url: string;
  process: ChildProcess;
  /** Stops the process (SIGTERM by default) and waits for it to exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again with the same id, port and environment; resolves once it listens. */
  restart(): Promise<void>;
  readonly running: boolean;
}

export interface Cluster {
  /** nginx's address: the studio as users reach it. */
  url: string;
  instances: ClusterInstance[];
  /** Stops every instance (SIGTERM) and nginx, and removes the temporary directory. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  instances: number;
  /** nginx port; 0 picks a free one. */
  port?: number;
  /** Environment of every instance (DATABASE_URL, REDIS_URL, …), over this process's. */
  env?: Record<string, string>;
  /** Environment of instance i only. */
  envFor?: (index: number) => Record<string, string>;
  /** Extra node flags for every instance. */
  nodeArgs?: string[];
  /** Prefix of instance ids: `<prefix>-1`, `<prefix>-2`, … */
  idPrefix?: string;
  /** Where instance output goes (default: inherit stderr, discard stdout). */
  onOutput?: (id: string, line: string) => void;
  /** Default 180 s (a first `next start` on a busy machine is slow). */
  startTimeoutMs?: number;
}

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");

/** A port nobody listens on now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function ensureBuild(): void {
  if (existsSync(path.join(root, ".next", "BUILD_ID"))) return;
  console.log("No production build found: running `next build` once for all instances…");
  const build = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (build.status !== 0) throw new Error("next build failed");
}

function startInstance(id: string, port: number, env: Record<string, string>, options: ClusterOptions): Promise<{ child: ChildProcess; exited: Promise<void> }> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(root, "scripts", "start.mjs")], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: "127.0.0.1", INSTANCE_ID: id },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const output = (data: Buffer) => {
    for (const line of data.toString().split("\n")) if (line.trim()) (options.onOutput ?? ((who, text) => process.stderr.write(`[${who}] ${text}\n`)))(id, line);
  };
  child.stderr!.on("data", output);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${id} did not start within ${options.startTimeoutMs ?? 180_000} ms`)), options.startTimeoutMs ?? 180_000);
    child.stdout!.on("data", (data: Buffer) => {
      if (options.onOutput) output(data);
      if (data.toString().includes("ready on")) {
        clearTimeout(timer);
        resolve({ child, exited });
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${id} exited (${code ?? signal}) before it was ready`));
    });
  });
}

function nginxConfig(directory: string, port: number, upstreams: number[]): string {
  const proxy = path.join(root, "deploy", "nginx", "studio-proxy.conf");
  return `# Written by scripts/cluster/start-cluster.ts for one run.
worker_processes 1;
daemon off;
pid ${directory}/nginx.pid;
error_log ${directory}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${directory}/client-body;
  proxy_temp_path ${directory}/proxy;
  fastcgi_temp_path ${directory}/fastcgi;
  uwsgi_temp_path ${directory}/uwsgi;
  scgi_temp_path ${directory}/scgi;
  upstream studio {
${upstreams.map((upstream) => `    server 127.0.0.1:${upstream} max_fails=1 fail_timeout=5s;`).join("\n")}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    include ${proxy};
  }
}
`;
}

async function startNginx(directory: string, port: number, upstreams: number[]): Promise<{ child: ChildProcess; exited: Promise<void> }> {
  if (!existsSync(NGINX_BINARY)) throw new Error(`nginx is not installed (${NGINX_BINARY}). Install it with: ${INSTALL_NGINX}`);
  const file = path.join(directory, "nginx.conf");
  writeFileSync(file, nginxConfig(directory, port, upstreams));
  const child = spawn(NGINX_BINARY, ["-p", directory, "-c", file, "-e", path.join(directory, "error.log")], { stdio: ["ignore", "ignore", "pipe"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr!.on("data", (data: Buffer) => (stderr += data.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}${existsSync(path.join(directory, "error.log")) ? readFileSync(path.join(directory, "error.log"), "utf8") : ""}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (response) => response.status < 502,
      () => false,
    );
    if (ok) return { child, exited };
    if (Date.now() > deadline) throw new Error(`nginx did not answer on ${port}: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  ensureBuild();
  const directory = mkdtempSync(path.join(tmpdir(), "studio-cluster-"));
  chmodSync(directory, 0o755); // nginx workers (nobody, when started as root) write their temp files here
  const started: { stop(): Promise<void> }[] = [];
  try {
    const instances: ClusterInstance[] = [];
    // One after another: the first migrates the database, and two cold starts at once on two cores are slow anyway.
    for (let index = 0; index < options.instances; index += 1) {
      const id = `${options.idPrefix ?? "studio"}-${index + 1}`;
      const port = await freePort();
      const env = { TRUST_PROXY: "1", ...options.env, ...options.envFor?.(index) };
      let current = await startInstance(id, port, env, options);
      const instance: ClusterInstance = {
        id,
        port,
        url: `http://127.0.0.1:${port}`,
        get process() {
          return current.child;
        },
        get running() {
          return current.child.exitCode === null && current.child.signalCode === null;
        },
        async stop(signal = "SIGTERM") {
          if (instance.running) current.child.kill(signal);
          await current.exited;
        },
        async restart() {
          await instance.stop();
          current = await startInstance(id, port, env, options);
        },
      };
      instances.push(instance);
      started.push(instance);
    }
    const port = options.port || (await freePort());
    const nginx = await startNginx(directory, port, instances.map((instance) => instance.port));
    started.push({
      async stop() {
        if (nginx.child.exitCode === null) nginx.child.kill("SIGQUIT");
        await nginx.exited;
      },
    });
    return {
      url: `http://127.0.0.1:${port}`,
      instances,
      async stop() {
        await Promise.all(started.map((part) => part.stop()));
        rmSync(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await Promise.all(started.map((part) => part.stop()));
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}
