import { STATUS_CODES } from 'node:http';
import type { ExchangeEvent, RunEvent } from '../runner/events.js';
import type { StreamReporter } from './types.js';

type NameValue = { name: string; value: string };

const headerList = (headers: Readonly<Record<string, string>>): NameValue[] =>
  Object.entries(headers).map(([name, value]) => ({ name, value }));

function queryOf(url: string): NameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/** One HAR 1.2 entry from a recorded exchange (credentials already redacted by the HTTP layer). */
function entry(event: ExchangeEvent): Record<string, unknown> {
  const { request, response, failure, durationMs } = event.exchange;
  const requestType = request.headers['content-type'];
  const responseType = response?.headers['content-type'] ?? '';
  return {
    startedDateTime: event.startedAt,
    time: durationMs,
    request: {
      method: request.method,
      url: request.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(request.headers),
      queryString: queryOf(request.url),
      ...(request.body === undefined
        ? {}
        : { postData: { mimeType: requestType ?? 'application/json', text: request.body } }),
      headersSize: -1,
      bodySize: request.body === undefined ? 0 : Buffer.byteLength(request.body),
    },
    response: {
      status: response?.status ?? 0,
      statusText: response ? (STATUS_CODES[response.status] ?? '') : '',
      httpVersion: response ? 'HTTP/1.1' : '',
      cookies: [],
      headers: response ? headerList(response.headers) : [],
      content: {
        size: response?.bodyBytes ?? 0,
        mimeType: responseType,
        ...(response ? { text: response.body } : {}),
        ...(response?.truncated ? { comment: 'cut at the size limit' } : {}),
      },
      redirectURL: '',
      headersSize: -1,
      bodySize: response?.bodyBytes ?? -1,
      // HAR's way to say no answer came (Chrome writes the same custom field).
      ...(failure ? { _error: `${failure.kind}: ${failure.message}` } : {}),
    },
    cache: {},
    timings: { send: 0, wait: durationMs, receive: 0 },
    comment: `${event.api} ${event.targetUrl} › ${event.caseId} › ${event.step}`,
  };
}

/**
 * Every request of the run and its answer as HAR 1.2 (report.har), for replay and inspection in browsers'
 * network panels, Postman, Insomnia or Schemathesis. Credentials are redacted as in every report: the
 * credential header reads `[REDACTED]` and the token never appears.
 */
export const harReporter: StreamReporter = {
  name: 'har',
  fileName: 'report.har',
  description: 'every request and answer as HAR 1.2 (report.har), tokens redacted, for replay in other tools',
  subscribe: (write) => {
    const entries: Record<string, unknown>[] = [];
    let version = '';
    return (event: RunEvent) => {
      if (event.type === 'run-start') version = event.tool.version;
      else if (event.type === 'exchange') entries.push(entry(event));
      else if (event.type === 'run-end') {
        const har = { log: { version: '1.2', creator: { name: 'memconform', version }, pages: [], entries } };
        write(`${JSON.stringify(har, null, 2)}\n`);
      }
    };
  },
};
