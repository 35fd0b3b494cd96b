/**
 * Resolves with the first SIGINT or SIGTERM, then removes both listeners (so a second Ctrl-C falls back to
 * Node's default and ends a stuck shutdown). `mock` and `serve` run until it resolves.
 */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
