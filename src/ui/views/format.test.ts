import { describe, expect, it } from 'vitest';
import {
  addressDigits,
  formatAddress,
  formatBytes,
  formatBytesExact,
  formatCount,
  formatDelta,
  parseAddress,
} from './format.ts';

describe('view formatting', () => {
  it('prints sizes for reading, and exactly', () => {
    expect(formatBytes(88)).toBe('88 B');
    expect(formatBytes(49688)).toBe('48.5 KiB');
    expect(formatBytes(65536)).toBe('64 KiB');
    expect(formatBytes(0x1fb0000)).toBe('31.7 MiB');
    expect(formatBytes(1024 * 1024)).toBe('1 MiB');
    expect(formatBytesExact(33554432)).toBe('33,554,432 B');
    expect(formatCount(2503)).toBe('2,503');
  });

  it('prints changes with their sign', () => {
    expect([formatDelta(15), formatDelta(-3), formatDelta(0)]).toEqual(['+15', '−3', '±0']);
  });

  it('round-trips record addresses at their own width, past 2^53', () => {
    for (const a of ['0xc00000000200e430', '0xc003fbf4', '0xffffffffffffffff']) {
      expect(formatAddress(parseAddress(a), a.length - 2)).toBe(a);
    }
    expect(addressDigits(['0xc0000000', '0xc200c820'])).toBe(8);
    expect(addressDigits(['0xc0000000', '0xc000000000000000'])).toBe(16);
    expect(formatAddress(0xc000000000000000n - 0x2000000n, 16)).toBe('0xbffffffffe000000');
  });
});
