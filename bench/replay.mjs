// @ts-check
/**
 * The baseline of bench/startup.mjs: a bare Node process that sends recorded requests with the global `fetch`,
 * 4 in flight (memconform run's default concurrency), reads every body and exits. No parsing, no checks.
 * Usage: node bench/replay.mjs requests.json http://origin
 */
import { readFileSync } from 'node:fs';

const [file, origin] = process.argv.slice(2);
/** @type {{ method: string, path: string, headers: Record<string, string>, body?: string }[]} */
const requests = JSON.parse(readFileSync(String(file), 'utf8'));
let next = 0;
async function worker() {
  while (next < requests.length) {
    const request = requests[next++];
    if (request === undefined) return;
    const response = await fetch(String(origin) + request.path, {
      method: request.method,
      headers: request.headers,
      body: request.body,
    });
    await response.arrayBuffer();
  }
}
await Promise.all([worker(), worker(), worker(), worker()]);
