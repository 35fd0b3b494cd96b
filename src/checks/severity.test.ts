import { describe, expect, it } from 'vitest';
import { atOrAbove } from './severity.js';

describe('atOrAbove', () => {
  it('compares severities against --fail-on', () => {
    expect(atOrAbove('error', 'error')).toBe(true);
    expect(atOrAbove('warning', 'error')).toBe(false);
    expect(atOrAbove('warning', 'warning')).toBe(true);
    expect(atOrAbove('info', 'warning')).toBe(false);
    expect(atOrAbove('info', 'info')).toBe(true);
  });
});
