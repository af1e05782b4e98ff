import { mkdirSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnStarted } from './measured-process.mjs';
import { treeCpuTicks } from './proc-stats.mjs';

/**
 * The loopback servers the generators hit, each on core 1: a minimal node:http server, and nginx
 * where installed. A target lives for the whole bench and stops by itself after `lifetimeS`.
 * `cpuTicks()` reads its CPU from /proc, so each run can tell whether the target was saturated.
 */

const TARGET_CORE = 1;
const SERVER_SCRIPT = fileURLToPath(new URL('./target-server.mjs', import.meta.url));

/** `serverTiming`: the `node-st` target, the same server with a Server-Timing header on every response. */
export async function startNodeTarget(tools, { lifetimeS, serverTiming = false }) {
  const args = [SERVER_SCRIPT, String(lifetimeS), ...(serverTiming ? ['server-timing'] : [])];
  const child = spawnStarted(tools, { command: process.execPath, args, core: TARGET_CORE, limitS: lifetimeS + 30 });
  const port = await firstLine(child, 10_000);
  const url = `http://127.0.0.1:${port}/`;
  await expectOk(url);
  if (serverTiming) return target('node-st', `node:http ${process.version}, 1 process, a Server-Timing header of 3 components on every response`, url, child);
  return target('node', `node:http ${process.version}, 1 process`, url, child);
}

export async function startNginxTarget(tools, { lifetimeS, tmpDir }) {
  const port = await freeLoopbackPort();
  const prefix = join(tmpDir, 'nginx');
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(conf, nginxConfig(prefix, port));
  const child = spawnStarted(tools, {
    command: tools.nginx,
    args: ['-p', prefix, '-c', conf, '-e', join(prefix, 'logs', 'error.log')],
    core: TARGET_CORE,
    limitS: lifetimeS + 30,
  });
  const stderr = [];
  child.stderr.on('data', (chunk) => stderr.push(chunk));
  const url = `http://127.0.0.1:${port}/`;
  await waitFor(() => expectOk(url), 10_000, () => `nginx did not answer on ${url}: ${Buffer.concat(stderr).toString().trim()}`);
  return target('nginx', 'nginx, 1 worker', url, child);
}

function nginxConfig(prefix, port) {
  return `daemon off;
master_process on;
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'logs', 'error.log')} warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${join(prefix, 'client_body')};
  proxy_temp_path ${join(prefix, 'proxy')};
  fastcgi_temp_path ${join(prefix, 'fastcgi')};
  uwsgi_temp_path ${join(prefix, 'uwsgi')};
  scgi_temp_path ${join(prefix, 'scgi')};
  keepalive_timeout 120s;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:${port};
    location / {
      default_type text/plain;
      return 200 "ok";
    }
  }
}
`;
}

function target(kind, label, url, child) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    kind,
    label,
    url,
    pid: child.pid,
    cpuTicks: () => treeCpuTicks(child.pid),
    async stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    },
  };
}

function firstLine(child, timeoutMs) {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error('the node target printed no port')), timeoutMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      text += chunk;
      const newline = text.indexOf('\n');
      if (newline >= 0) {
        clearTimeout(timer);
        resolve(text.slice(0, newline).trim());
      }
    });
    child.once('exit', (code) => reject(new Error(`the node target exited (${code}) before printing its port`)));
  });
}

/** One GET that must answer 200 "ok"; the body is drained. */
function expectOk(url) {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, timeout: 2000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () =>
        response.statusCode === 200 && body === 'ok' ? resolve() : reject(new Error(`${url} answered ${response.statusCode} "${body.slice(0, 40)}"`)),
      );
    });
    request.on('timeout', () => request.destroy(new Error(`${url}: no answer within 2 s`)));
    request.on('error', reject);
  });
}

async function waitFor(attempt, timeoutMs, describe) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(describe(error));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function freeLoopbackPort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
