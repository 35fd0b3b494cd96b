import { describe, expect, it } from 'vitest';
import { machineFilterEqualities, requestFilter } from './filters.js';

describe('machineFilterEqualities', () => {
  it.each([
    ['', []],
    ['@@', []],
    ['metadata.user_id=123', [{ key: 'user_id', value: 123 }]],
    ["metadata.user_id='123'", [{ key: 'user_id', value: '123' }]],
    ['m.flag=TRUE', [{ key: 'flag', value: true }]],
    [
      "m.user_id = 'u-123' and metadata.session_id=abc",
      [
        { key: 'user_id', value: 'u-123' },
        { key: 'session_id', value: 'abc' },
      ],
    ],
    ["metadata.note = 'rock AND roll'", [{ key: 'note', value: 'rock AND roll' }]],
    ['metadata.a != 1 AND metadata.b=2', [{ key: 'b', value: 2 }]],
    [
      "(metadata.a = 'x' AND producer_role = user) AND m.b = 'y'",
      [
        { key: 'a', value: 'x' },
        { key: 'b', value: 'y' },
      ],
    ],
    ['metadata.a IN (1, 2)', []],
    ['metadata.a=1 OR metadata.b=2', []],
    ['NOT metadata.a=1', []],
    // the vendor skips the stray quote and reads the bare word
    ["metadata.a='open", [{ key: 'a', value: 'open' }]],
    // the vendor refuses these (MM-FLT in docs/sources.md): not a request to judge
    ['metadata.user_id=u-123', undefined],
    ["metadata.a='it''s'", undefined],
    [42, undefined],
  ])('%j', (filter, expected) => {
    expect(machineFilterEqualities(filter)).toEqual(expected);
  });
});

describe('requestFilter', () => {
  const item = (value: Record<string, unknown>) => ({
    index: 0,
    pointer: '/x',
    idPointer: '/x/id',
    scorePointer: '/x/score',
    value,
  });
  it('evaluates MemOS time bounds with a time-zone margin around date-only values', () => {
    const filter = requestFilter('memos', { filter: { and: [{ create_time: { gte: '2025-09-01' } }] } });
    const at = (iso: string) => filter?.test(item({ create_time: Date.parse(iso) })).holds;
    expect(at('2025-09-03T00:00:00Z')).toBe(true);
    expect(at('2025-09-01T02:00:00Z')).toBeUndefined();
    expect(at('2025-08-30T00:00:00Z')).toBe(false);
  });
  it('leaves filters it cannot read alone', () => {
    expect(requestFilter('memos', { filter: { agent_id: 'a' } })).toBeUndefined();
    expect(requestFilter('memos', { filter: null })).toBeUndefined();
    expect(requestFilter('memmachine', { filter: 'producer_id = x' })).toBeUndefined();
    expect(requestFilter('mem0', { metadata: {} })).toBeUndefined();
  });
});
