/**
 * Every source id that specs, suites, fixtures and code cite (`M-API`, `Z-OAS`, `MM-FLT`, `SEED0`, ...) has an
 * entry in docs/sources.md saying what the source is, where it lives and what is taken from it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from './package.js';

const ROOT = packageRoot();
/** A source id: a vendor prefix and a name (not a date such as YYYY-MM-DD), or a seed page. */
const CITED_ID = /(?<![\w-])(?:(?:M|Z|MM)-[A-Z][A-Z0-9]*|SEED\d)(?![\w-])/g;

function filesUnder(folder: string): string[] {
  return (readdirSync(join(ROOT, folder), { recursive: true }) as string[])
    .filter((name) => /\.(ts|ya?ml|json|md)$/.test(name))
    .map((name) => join(folder, name));
}

/** Each cited id with the first file that cites it. */
function citedIds(): Map<string, string> {
  const cited = new Map<string, string>();
  for (const file of ['specs', 'src', 'suites', 'fixtures'].flatMap(filesUnder)) {
    for (const [id] of readFileSync(join(ROOT, file), 'utf8').matchAll(CITED_ID)) {
      if (!cited.has(id)) cited.set(id, file);
    }
  }
  return cited;
}

/** The ids docs/sources.md defines (`### ID` headings), each with its entry text. */
function documented(): Map<string, string> {
  const text = readFileSync(join(ROOT, 'docs', 'sources.md'), 'utf8');
  const entries = new Map<string, string>();
  for (const section of text.split(/^### /m).slice(1)) {
    const id = section.split(/\s/, 1)[0] ?? '';
    entries.set(id, section);
  }
  return entries;
}

describe('docs/sources.md', () => {
  it('has an entry for every source id that specs, suites, fixtures and code cite', () => {
    const entries = documented();
    const missing = [...citedIds()].filter(([id]) => !entries.has(id)).map(([id, file]) => `${id} (${file})`);
    expect(missing, 'cited but not in docs/sources.md').toEqual([]);
  });

  it('says where each source lives and what is taken from it', () => {
    for (const [id, entry] of documented()) {
      expect(id, 'entry heading').toMatch(new RegExp(`^${CITED_ID.source}$`));
      expect(entry, `${id}: a "- Where:" line`).toMatch(/^- Where: \S/m);
      expect(entry, `${id}: a "- Facts:" line`).toMatch(/^- Facts: \S/m);
    }
  });
});
