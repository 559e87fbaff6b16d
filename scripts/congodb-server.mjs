#!/usr/bin/env node
// Starts CongoDB, an in-memory MongoDB-wire-compatible server, as a MongoDB stand-in for local tests.
// CongoDB is the dist_ts/congodb folder of the npm package @push.rocks/smartmongo@2.2.0 (MIT),
// installed into .tools/congodb by scripts/install-servers.sh.
//
// Usage: node scripts/congodb-server.mjs [--port 27117] [--host 127.0.0.1]
// Env:   CONGODB_HOME overrides the install folder (default: <repo>/.tools/congodb).
// Data lives in memory only and is gone when the process stops (SIGTERM/SIGINT stop it cleanly).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '27117' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const port = Number.parseInt(values.port, 10);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`congodb: invalid --port ${values.port}`);
  process.exit(2);
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const home = process.env.CONGODB_HOME || join(repoRoot, '.tools', 'congodb');
const entry = join(home, 'dist_ts', 'congodb', 'index.js');
if (!existsSync(entry)) {
  console.error(`congodb: ${entry} not found; run scripts/install-servers.sh first`);
  process.exit(2);
}

const { CongoServer } = await import(pathToFileURL(entry).href);
const server = new CongoServer({ host: values.host, port, storage: 'memory' });
try {
  await server.start();
} catch (err) {
  console.error(`congodb: cannot listen on ${values.host}:${port}: ${err.message}`);
  process.exit(1);
}
console.log(`congodb: listening on mongodb://${values.host}:${port} (in-memory MongoDB stand-in, pid ${process.pid})`);

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`congodb: ${signal}, stopping`);
  // Do not wait forever for open client sockets.
  setTimeout(() => process.exit(0), 2000).unref();
  try {
    await server.stop();
  } catch (err) {
    console.error(`congodb: error while stopping: ${err.message}`);
  }
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('unhandledRejection', (err) => console.error('congodb: unhandled rejection:', err));
