import { describe, expect, it } from 'vitest';
import { tableLabel } from './tableNames';

describe('storage table labels', () => {
  it('names known tables in words, never by their identifier', () => {
    expect(tableLabel('metrics_blocks')).toBe('Compressed metrics');
    expect(tableLabel('logs')).toBe('Logs');
  });
  it('turns an unknown table into words', () => {
    expect(tableLabel('future_things')).toBe('Future things');
  });
});
