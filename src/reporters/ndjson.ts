import type { StreamReporter } from './types.js';

/**
 * The event stream as newline-delimited JSON (`schemas/events.schema.json`): one event a line, written as it
 * happens, so `tail -f` follows a run and a crash or interruption leaves every event up to it.
 */
export const ndjsonReporter: StreamReporter = {
  name: 'ndjson',
  fileName: 'events.ndjson',
  description:
    'every run event as it happens, one JSON object a line (events.ndjson, schemas/events.schema.json)',
  // Exchange events carry whole bodies: they are for `har`, not for a line-per-event log.
  subscribe: (write) => (event) => {
    if (event.type !== 'exchange') write(`${JSON.stringify(event)}\n`);
  },
};
