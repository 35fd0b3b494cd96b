import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot, packageVersion } from './package.js';

describe('packageRoot', () => {
  it('finds the package root from the module, not the working directory', () => {
    const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8'));
    expect(manifest.name).toBe('memconform');
    expect(packageRoot()).toBe(join(import.meta.dirname, '..'));
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
