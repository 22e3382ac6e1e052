/**
 * ISO 8601 durations (`PT4H`, `P3D`, `P1DT30M`, `PT0.5S`) as used in configuration and approval chains.
 * Years and months are refused: their length depends on the calendar, which makes them ambiguous for
 * business-time arithmetic.
 */
const PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Parses an ISO 8601 duration into milliseconds; returns `undefined` when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = PATTERN.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [, weeks, days, hours, minutes, seconds] = match;
  const n = (v: string | undefined) => (v ? Number(v) : 0);
  return ((n(weeks) * 7 + n(days)) * 24 * 3600 + n(hours) * 3600 + n(minutes) * 60 + n(seconds)) * 1000;
}

/** Like {@link parseDuration} but throws a descriptive error. */
export function requireDuration(text: string, what = 'duration'): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new Error(`${what} must be an ISO 8601 duration such as PT15M or P3D, got "${text}"`);
  return ms;
}
