/** The built-in reference implementation: an in-memory server for MemOS, Mem0 and MemMachine. */
export {
  datasetFileText,
  emptyReferenceDataset,
  loadDatasetFile,
  loadReferenceDataset,
  type ReferenceDataset,
} from './dataset.js';
export { FAULTS, type Fault } from './faults.js';
export { renameUsers, type UserRenames } from './rename-users.js';
export {
  DEFAULT_REFERENCE_TOKEN,
  type ReferenceOptions,
  type RunningReference,
  startReferenceServer,
} from './server.js';
