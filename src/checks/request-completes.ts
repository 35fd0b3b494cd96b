import type { TransportFailure } from '../http/exchange.js';
import { checked } from './outcome.js';
import { ALL_OPERATIONS, quote } from './protocol-support.js';
import type { Check, FindingDraft } from './types.js';

const FAILURE_TEXT: Readonly<Record<TransportFailure['kind'], string>> = {
  timeout: 'timeout',
  refused: 'connection refused',
  reset: 'connection reset',
  dns: 'DNS lookup failure',
  tls: 'TLS failure',
  protocol: 'malformed HTTP answer',
  other: 'transport failure',
};

/** Every request of a case got an HTTP answer (no timeout, reset, refused connection, ...). */
export const requestCompletes: Check = {
  id: 'request-completes',
  title: 'Request completes',
  description: 'Every request gets an HTTP response: a timeout, reset or refused connection is a finding.',
  severity: 'error',
  category: 'protocol',
  sources: ['M-API', 'Z-OAS', 'MM-PLAT', 'MM-OSS'],
  operations: ALL_OPERATIONS,
  run(context) {
    const findings: FindingDraft[] = [];
    for (const { step, exchange } of context.steps) {
      const failure = exchange.failure;
      if (exchange.response || !failure) continue;
      findings.push({
        step: step.name,
        message:
          `Expected an HTTP response within the timeout / Received ${FAILURE_TEXT[failure.kind]} after ` +
          `${Math.round(exchange.durationMs)} ms (${quote(failure.message)})`,
        expected: 'an HTTP response',
        actual: failure.kind,
      });
    }
    return checked(findings);
  },
};
