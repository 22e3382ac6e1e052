import { parseDuration, requireDuration } from './duration';

describe('parseDuration', () => {
  it.each([
    ['PT15M', 15 * 60_000],
    ['PT4H', 4 * 3_600_000],
    ['P3D', 3 * 86_400_000],
    ['P1DT2H30M', 86_400_000 + 2 * 3_600_000 + 30 * 60_000],
    ['PT1.5S', 1500],
    ['P2W', 14 * 86_400_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'P', 'PT', '15m', 'P1M', 'P1Y', 'PT-1H', 'P1DT'])('rejects %p', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('names what was wrong', () => {
    expect(() => requireDuration('soon', 'ACCESS_TOKEN_TTL')).toThrow(/ACCESS_TOKEN_TTL .*"soon"/);
  });
});
