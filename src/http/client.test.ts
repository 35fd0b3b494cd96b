import { createServer, type Server } from 'node:http';
import {
  type AddressInfo,
  createServer as createTcpServer,
  type Socket,
  type Server as TcpServer,
} from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClient } from './client.js';
import { toCurl } from './curl.js';
import { REDACTED_CREDENTIAL } from './exchange.js';
import { withoutUserinfo } from './redact.js';

const TOKEN = 'tok-very-secret-1234';
/** Every server a test started (HTTP servers are TCP servers too), closed after each test. */
const servers: TcpServer[] = [];
const sockets = new Set<Socket>();
const clients: HttpClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  server.on('connection', (socket) => sockets.add(socket));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A TCP server that writes `answer` to every connection and closes it: answers no HTTP server would send. */
async function serveRaw(answer: string): Promise<string> {
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    socket.once('data', () => socket.end(answer));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(timeoutMs = 2_000, maxBodyBytes = 1024 * 1024): HttpClient {
  const c = createHttpClient({ timeoutMs, maxBodyBytes, userAgent: 'memconform/test' });
  clients.push(c);
  return c;
}

const post = (url: string) => ({
  method: 'POST',
  url,
  headers: { 'Content-Type': 'application/json', authorization: `Token ${TOKEN}` },
  body: '{"q":1}',
  json: { q: 1 },
  credentialHeader: 'authorization',
  secrets: [TOKEN],
});

describe('http client', () => {
  it('records request and response, parsing JSON and redacting the credential', async () => {
    let seenAuth: string | undefined;
    const url = await serve((req, res) => {
      seenAuth = req.headers.authorization;
      res.setHeader('Set-Cookie', ['a=1', 'b=2']);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
    });
    const exchange = await client().send(post(`${url}/x`));
    expect(seenAuth).toBe(`Token ${TOKEN}`);
    expect(exchange.failure).toBeUndefined();
    expect(exchange.request.headers.authorization).toBe(REDACTED_CREDENTIAL);
    expect(exchange.request.headers['content-type']).toBe('application/json');
    expect(exchange.request.json).toEqual({ q: 1 });
    expect(exchange.response).toMatchObject({
      status: 200,
      json: { ok: true },
      truncated: false,
      bodyBytes: 11,
    });
    expect(exchange.response?.headers['set-cookie']).toBe('a=1, b=2');
    expect(JSON.stringify(exchange)).not.toContain(TOKEN);
  });

  it('records the URL without user name and password, which are credentials too', () => {
    expect(withoutUserinfo('http://someone:s3cret@127.0.0.1:8080/api')).toBe('http://127.0.0.1:8080/api');
    expect(withoutUserinfo('https://host.example/v1/memories/search/')).toBe(
      'https://host.example/v1/memories/search/',
    );
    expect(withoutUserinfo('not a url')).toBe('not a url');
  });

  it('records non-JSON and empty bodies with jsonError, whatever the content type', async () => {
    const url = await serve((req, res) => {
      if (req.url === '/empty') res.writeHead(204).end();
      else res.writeHead(200, { 'Content-Type': 'application/json' }).end('<html>oops</html>');
    });
    const html = await client().send(post(`${url}/html`));
    expect(html.response?.json).toBeUndefined();
    expect(html.response?.body).toBe('<html>oops</html>');
    expect(html.response?.jsonError).toMatch(/JSON/);
    const empty = await client().send(post(`${url}/empty`));
    expect(empty.response).toMatchObject({ status: 204, body: '', jsonError: 'empty body' });
  });

  it('cuts oversize bodies and marks them truncated without JSON', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(`[${'1,'.repeat(50_000)}1]`);
    });
    const exchange = await client(2_000, 1_000).send(post(url));
    expect(exchange.response).toMatchObject({
      truncated: true,
      jsonError: 'body truncated at the size limit',
    });
    expect(exchange.response?.body.length).toBe(1_000);
    expect(exchange.response?.json).toBeUndefined();
  });

  it('ends in timeout when the server accepts and never answers', async () => {
    const url = await serve(() => {
      /* never answers */
    });
    const exchange = await client(300).send(post(url));
    expect(exchange.failure?.kind).toBe('timeout');
    expect(exchange.response).toBeUndefined();
  });

  it('ends in timeout when the server dribbles the body', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('[');
      const timer = setInterval(() => res.write('1,'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const exchange = await client(400).send(post(url));
    expect(exchange.failure?.kind).toBe('timeout');
  });

  it('never sends the userinfo of a URL, as a header or otherwise', async () => {
    let seen: Record<string, unknown> = {};
    const url = await serve((req, res) => {
      seen = { ...req.headers, url: req.url };
      res.writeHead(204).end();
    });
    const exchange = await client().send({
      method: 'GET',
      url: `${url.replace('http://', 'http://someone:s3cret@')}/x?y=1`,
      headers: {},
    });
    expect(exchange.response?.status).toBe(204);
    expect(seen.url).toBe('/x?y=1');
    expect(seen.authorization).toBeUndefined();
    expect(JSON.stringify(exchange)).not.toContain('s3cret');
  });

  it('keeps every value of a repeated header and goes on after a cut body on a kept-alive pool', async () => {
    const url = await serve((req, res) => {
      res.setHeader('X-Repeated', ['one', 'two']);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(req.url === '/big' ? `[${'1,'.repeat(50_000)}1]` : '[]');
    });
    const http = client(2_000, 1_000);
    expect((await http.send(post(`${url}/big`))).response?.truncated).toBe(true);
    const after = await http.send(post(`${url}/small`));
    expect(after.response).toMatchObject({ status: 200, json: [], truncated: false });
    expect(after.response?.headers['x-repeated']).toBe('one, two');
  });

  it('classifies a garbled answer as protocol and a body cut by the server as reset', async () => {
    const garbled = await serveRaw('NOT HTTP AT ALL\r\n\r\n');
    expect((await client().send(post(garbled))).failure?.kind).toBe('protocol');
    const cut = await serveRaw('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n[1,2');
    expect((await client().send(post(cut))).failure?.kind).toBe('reset');
  });

  it('sends a request once more on a new connection when the kept-alive one was closed while idle', async () => {
    // Answers the first request on each connection and keeps it open, then drops the connection when another
    // request arrives on it: what a client sees when the server's idle timer closed it a moment before.
    let connections = 0;
    const server = createTcpServer((socket) => {
      connections += 1;
      sockets.add(socket);
      let received = '';
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        const requests = received.split(' HTTP/1.1\r\n').length - 1;
        if (requests === 1 && received.endsWith('{"q":1}')) {
          socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]');
        } else if (requests > 1) socket.destroy();
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const http = client();
    expect((await http.send(post(url))).response?.status).toBe(200);
    const again = await http.send(post(url));
    expect(again.failure).toBeUndefined();
    expect(again.response).toMatchObject({ status: 200, json: [] });
    expect(connections).toBe(2);
  });

  it('classifies refused, reset and dns failures', async () => {
    const closed = await serve(() => undefined);
    const server = servers.pop() as Server;
    await new Promise((resolve) => server.close(resolve));
    expect((await client().send(post(closed))).failure?.kind).toBe('refused');

    const reset = await serve((req) => req.socket.destroy());
    expect((await client().send(post(reset))).failure?.kind).toBe('reset');

    const dns = await client().send(post('http://no-such-host.invalid/x'));
    expect(dns.failure?.kind).toBe('dns');
  });
});

describe('toCurl', () => {
  it('single-quotes values and puts a shell variable where the credential was', () => {
    const curl = toCurl(
      {
        method: 'POST',
        url: "http://h/x?a='b'",
        headers: {
          'content-type': 'application/json',
          authorization: REDACTED_CREDENTIAL,
          'user-agent': 'x',
        },
        body: `{"q":"it's $(rm -rf /)"}`,
      },
      { header: 'authorization', valueExpression: 'Token $MEMCONFORM_TOKEN' },
    );
    expect(curl).toBe(
      `curl -sS -X POST 'http://h/x?a='\\''b'\\''' -H 'Content-Type: application/json' -H "Authorization: Token $MEMCONFORM_TOKEN" --data-raw '{"q":"it'\\''s $(rm -rf /)"}'`,
    );
  });

  it('drops a redacted header it cannot express', () => {
    const curl = toCurl({ method: 'GET', url: 'http://h/', headers: { authorization: REDACTED_CREDENTIAL } });
    expect(curl).toBe(`curl -sS -X GET 'http://h/'`);
  });
});
