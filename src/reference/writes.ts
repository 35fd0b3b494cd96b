import type { FaultSwitches } from './faults.js';

/**
 * Whether a write or a delete takes effect. The write-path faults are read here and nowhere else, so every
 * API breaks the same way.
 */

/** False under `writes-not-searchable`: what is added is stored, but search never finds it. */
export function writesSearchable(faults: FaultSwitches): boolean {
  return !faults.on('writes-not-searchable');
}

/** False under `deletes-ignored`: the delete is acknowledged and nothing is removed. */
export function deletesLand(faults: FaultSwitches): boolean {
  return !faults.on('deletes-ignored');
}
