import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding memconform's package.json, found from this module's own location so that fixtures and
 * schemas resolve the same way from src/ (vitest), dist/ (the built CLI) and node_modules/memconform
 * (installed), whatever the caller's working directory is.
 */
export function packageRoot(fromUrl: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`memconform: no package.json above ${fileURLToPath(fromUrl)}`);
    dir = parent;
  }
}
