export {
  defaultSuitePath,
  loadSuiteFile,
  loadSuites,
  type SuiteLoadContext,
  suiteFilesUnder,
  suiteFromText,
} from './load.js';
export {
  builtInVariables,
  placeholdersIn,
  resolvePlaceholders,
  UnknownPlaceholderError,
} from './placeholders.js';
export type { AuthMode, OperationRef, SuiteCase, SuiteFile, SuiteStep } from './types.js';
