/**
 * The mock's CORS policy. Prism (prism-http-server/dist/server.js, setCommonCORSHeaders) reflects any
 * `Origin` together with `Access-Control-Allow-Credentials: true`, so any web page a developer visits could
 * read the mock with their cookies or credentials. memconform answers any origin without credentials
 * (`Access-Control-Allow-Origin: *`, which browsers never combine with credentials), and reflects one
 * configured origin (`--cors-origin`) with credentials for a front end that needs them.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Rewrites the CORS headers Prism sets on every response of `server`. Runs first on each request (a prepended
 * listener) and wraps `setHeader`, the only way Prism's micri server writes headers.
 */
export function installCorsPolicy(server: Server, credentialedOrigin?: string): void {
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const credentialed = credentialedOrigin !== undefined && req.headers.origin === credentialedOrigin;
    const setHeader = res.setHeader.bind(res);
    res.setHeader = (name: string, value: number | string | readonly string[]) => {
      const lower = name.toLowerCase();
      if (lower === 'access-control-allow-origin') {
        return setHeader(name, credentialed ? (credentialedOrigin as string) : '*');
      }
      if (lower === 'access-control-allow-credentials' && !credentialed) return res;
      return setHeader(name, value);
    };
    // The answer depends on Origin whenever one origin is special: caches must keep them apart.
    if (credentialedOrigin !== undefined) setHeader('Vary', 'Origin');
  });
}

/** Checks a `--cors-origin` value: an origin as browsers send it (scheme, host, optional port; no path). */
export function parseCorsOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.origin === 'null' || url.origin !== value.replace(/\/$/, '')) return undefined;
  return url.origin;
}
