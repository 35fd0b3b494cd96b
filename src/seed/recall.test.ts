/** The recall arithmetic and the documented content match. */
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../package.js';
import { loadGoldenSet, matchByContent, scoreQuery, summarise } from './recall.js';

describe('scoreQuery', () => {
  it('counts relevant ids in the first k and the rank of the first one', () => {
    expect(scoreQuery(['x', 'a', undefined, 'b'], ['a', 'b', 'c'], 3)).toEqual({
      recall: 1 / 3,
      reciprocalRank: 0.5,
    });
    expect(scoreQuery(['a', 'a'], ['a'], 5)).toEqual({ recall: 1, reciprocalRank: 1 });
    expect(scoreQuery([], ['a'], 5)).toEqual({ recall: 0, reciprocalRank: 0 });
  });

  it('averages and rounds', () => {
    expect(
      summarise(
        [
          { recall: 1, reciprocalRank: 1 },
          { recall: 0, reciprocalRank: 0.5 },
        ],
        5,
        'id',
      ),
    ).toEqual({
      k: 5,
      queries: 2,
      recallAtK: 0.5,
      mrr: 0.75,
      matchedBy: 'id',
    });
  });
});

describe('matchByContent', () => {
  const seeded = new Map([
    ['spicy', 'The user loves spicy grilled tofu from street stalls.'],
    ['coffee', 'The user drinks one pour-over coffee every morning.'],
  ]);
  it('matches a reworded memory that keeps most keywords, and nothing below the share', () => {
    expect(matchByContent('Loves spicy grilled tofu sold at street stalls', seeded)).toBe('spicy');
    expect(matchByContent('Enjoys tofu', seeded)).toBeUndefined();
  });
});

describe('loadGoldenSet', () => {
  it('loads the shipped golden queries for every API', async () => {
    const golden = await loadGoldenSet(packageRoot());
    expect(golden.k).toBe(5);
    expect(Object.keys(golden.queries).sort()).toEqual(['mem0', 'memmachine', 'memos']);
  });
});
