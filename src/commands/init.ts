import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILES, STARTER_CONFIG } from '../config.js';
import { MemconformError, UsageError } from '../errors.js';
import { type FlagTable, flagHelp, parseFlags } from './args.js';
import type { Command } from './types.js';

/** Flags of `memconform init`. */
export const INIT_FLAGS: FlagTable = {
  force: { type: 'boolean', description: 'overwrite an existing config file' },
  help: { type: 'boolean', short: 'h', description: 'show this help' },
};

/** `memconform init`: writes a commented starter config into the working folder (never over one, unless --force). */
export const initCommand: Command['run'] = async (argv, io) => {
  const values = parseFlags('init', argv, INIT_FLAGS);
  const file = CONFIG_FILES[0] as string;
  if (values.help === true) {
    io.stdout(
      `Usage: memconform init [--force]\n\nWrites a commented ${file} into the working folder.\n\n${flagHelp(INIT_FLAGS)}\n`,
    );
    return 0;
  }
  const path = join(io.cwd, file);
  if (existsSync(path) && values.force !== true) {
    throw new UsageError(`${path} already exists; edit it, or pass --force to overwrite it`);
  }
  try {
    writeFileSync(path, STARTER_CONFIG);
  } catch (error) {
    throw new MemconformError(
      'MC_ERR_CONFIG',
      `cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  io.stderr(`memconform: wrote ${file}; edit it, then run: memconform run\n`);
  return 0;
};
