import { describe, expect, it } from 'vitest';
import { RelevanceIndex, tokenize } from './scoring.js';

const index = new RelevanceIndex([
  { id: 'spicy', text: 'The user likes spicy food and spicy noodles.' },
  { id: 'oily', text: 'The user dislikes heavy or oily dishes such as hotpot.' },
  { id: 'run', text: 'Runs a marathon in November; training five times a week.' },
  { id: 'long', text: `Spicy ${'filler words about many unrelated things '.repeat(10)}` },
]);

describe('tokenize', () => {
  it('lowercases, drops stop words and folds plurals', () => {
    expect(tokenize('The Dishes and MEMORIES of users')).toEqual(['dish', 'memory']);
    expect(tokenize("I'm going to Yunnan")).toEqual(['going', 'yunnan']);
  });
});

describe('RelevanceIndex', () => {
  it('scores in (0, 1) for matches and 0 otherwise', () => {
    const score = index.scorer('spicy food');
    expect(score('spicy')).toBeGreaterThan(0);
    expect(score('spicy')).toBeLessThan(1);
    expect(score('run')).toBe(0);
    expect(score('unknown-id')).toBe(0);
    expect(index.scorer('')('spicy')).toBe(0);
  });

  it('ranks different queries differently', () => {
    const food = index.scorer('oily hotpot dish');
    const sport = index.scorer('marathon training');
    expect(food('oily')).toBeGreaterThan(food('spicy'));
    expect(sport('run')).toBeGreaterThan(sport('oily'));
  });

  it('prefers more matched words and shorter documents', () => {
    const score = index.scorer('spicy noodles');
    expect(score('spicy')).toBeGreaterThan(score('long'));
  });

  it('is deterministic and ignores repeated query words', () => {
    expect(index.scorer('spicy food')('spicy')).toBe(index.scorer('spicy food')('spicy'));
    expect(index.scorer('spicy spicy spicy')('spicy')).toBe(index.scorer('spicy')('spicy'));
  });
});
