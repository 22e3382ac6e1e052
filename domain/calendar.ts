/**
 * Business calendars: a time zone, working hours per weekday and holidays, and the arithmetic that SLA and
 * approval timers need ("add 4 business hours", "how much business time passed").
 *
 * Pure and deterministic so Temporal workflow code can import it: no Node built-ins, no clock (callers pass
 * instants), time-zone rules come only from the built-in `Intl.DateTimeFormat`.
 *
 * Semantics, decided once here:
 * - Working hours are local wall-clock intervals `[start, end)` listed under the weekday of the local date
 *   they belong to. `"24:00"` is allowed as an end and means the next local midnight; a shift across midnight
 *   is written as two intervals (`fri: [["22:00","24:00"]], sat: [["00:00","06:00"]]`), which meet without a
 *   gap. A holiday removes every interval listed under that local date (so it removes `sat 00:00-06:00` when
 *   Saturday is the holiday, not Friday's `22:00-24:00`).
 * - A local time maps to "the first instant at which the wall clock shows that time or later". So a time
 *   skipped by a daylight-saving jump (02:30 on a spring-forward night in Berlin) maps to the instant of the
 *   jump (03:00 CEST), and a time that occurs twice (02:30 on a fall-back night) maps to its first
 *   occurrence. This mapping never runs backwards, and an interval counts the real elapsed time between its
 *   two instants: `00:00-06:00` is 5 hours on a spring-forward day and 7 hours on a fall-back day,
 *   `09:00-17:00` stays 8 hours when the change happens at night.
 * - Adding business time that ends exactly at the end of a working interval answers that end (Friday 17:00),
 *   not the start of the next interval. Adding zero answers the start as given, even outside working hours.
 * - `undefined` calendar (and a 24x7 calendar) count wall-clock time.
 */
import { type FieldError } from './errors';
import { badRequest } from './errors';

/** Weekdays in the order they are usually shown. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** `["09:00", "18:00"]`: local start inclusive, end exclusive; `"24:00"` allowed as an end. */
export type WorkingInterval = [string, string];

export interface BusinessCalendar {
  /** IANA time zone, e.g. `Europe/Berlin`. */
  timezone: string;
  /** Working intervals per weekday; a missing or empty weekday has no working time. */
  workingHours: Partial<Record<Weekday, WorkingInterval[]>>;
  /** Local dates (`YYYY-MM-DD`) without working time. */
  holidays: string[];
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** A search for working time gives up after this many consecutive days without any. */
const MAX_IDLE_DAYS = 3 * 366;
/** Absolute bound on the days a single call walks, whatever the input. */
const MAX_DAYS = 100 * 366;
/** Index = `Date#getUTCDay()` of a local date. */
const JS_WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// ---------------------------------------------------------------------------------------------------------
// Validation

/** Field errors of a calendar (paths relative to `basePath`); empty when it is usable. */
export function validateCalendar(calendar: BusinessCalendar, basePath = ''): FieldError[] {
  const errors: FieldError[] = [];
  const at = (...parts: (string | number)[]) => [basePath, ...parts].filter((p) => p !== '').join('.');
  const input = calendar as Partial<Record<keyof BusinessCalendar, unknown>> | null | undefined;
  if (!input || typeof input !== 'object') return [{ path: at(), message: 'must be a calendar object' }];

  if (typeof input.timezone !== 'string' || input.timezone === '') {
    errors.push({ path: at('timezone'), message: 'is required (an IANA time zone such as Europe/Berlin)' });
  } else if (!isTimeZone(input.timezone)) {
    errors.push({ path: at('timezone'), message: `"${input.timezone}" is not a known IANA time zone` });
  }

  let intervals = 0;
  const hours = input.workingHours;
  if (!hours || typeof hours !== 'object' || Array.isArray(hours)) {
    errors.push({ path: at('workingHours'), message: 'must map weekdays (mon..sun) to lists of intervals' });
  } else {
    for (const [day, list] of Object.entries(hours as Record<string, unknown>)) {
      if (!(WEEKDAYS as readonly string[]).includes(day)) {
        errors.push({ path: at('workingHours', day), message: `unknown weekday; use one of ${WEEKDAYS.join(', ')}` });
        continue;
      }
      if (list === undefined) continue;
      if (!Array.isArray(list)) {
        errors.push({ path: at('workingHours', day), message: 'must be a list of ["HH:MM", "HH:MM"] intervals' });
        continue;
      }
      const parsed: { start: number; end: number; index: number }[] = [];
      list.forEach((interval: unknown, index) => {
        const path = at('workingHours', day, index);
        if (!Array.isArray(interval) || interval.length !== 2) {
          errors.push({ path, message: 'must be a ["HH:MM", "HH:MM"] pair' });
          return;
        }
        const [startText, endText] = interval as unknown[];
        const start = parseTime(startText, false);
        const end = parseTime(endText, true);
        if (start === undefined) errors.push({ path: `${path}.0`, message: 'must be a time "HH:MM" (00:00-23:59)' });
        if (end === undefined) errors.push({ path: `${path}.1`, message: 'must be a time "HH:MM" (00:01-24:00)' });
        if (start === undefined || end === undefined) return;
        if (end <= start) {
          errors.push({
            path,
            message:
              'end must be after start; split an interval that crosses midnight into ["22:00","24:00"] and ' +
              '["00:00","06:00"] of the next day',
          });
          return;
        }
        parsed.push({ start, end, index });
      });
      parsed.sort((a, b) => a.start - b.start);
      for (let i = 1; i < parsed.length; i++) {
        const previous = parsed[i - 1]!;
        const current = parsed[i]!;
        if (current.start < previous.end) {
          errors.push({
            path: at('workingHours', day, current.index),
            message: `overlaps interval ${previous.index} of ${day}`,
          });
        }
      }
      intervals += parsed.length;
    }
    if (intervals === 0 && !errors.some((e) => e.path.startsWith(at('workingHours')))) {
      errors.push({
        path: at('workingHours'),
        message: 'needs at least one working interval; a calendar without working time never reaches a deadline',
      });
    }
  }

  if (!Array.isArray(input.holidays)) {
    errors.push({ path: at('holidays'), message: 'must be a list of local dates "YYYY-MM-DD"' });
  } else {
    input.holidays.forEach((day: unknown, index) => {
      if (parseLocalDate(day) === undefined) {
        errors.push({ path: at('holidays', index), message: 'must be a valid date "YYYY-MM-DD"' });
      }
    });
  }
  return errors;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Minutes since local midnight, or `undefined`. */
function parseTime(text: unknown, allowMidnightEnd: boolean): number | undefined {
  if (typeof text !== 'string') return undefined;
  if (text === '24:00') return allowMidnightEnd ? 24 * 60 : undefined;
  const match = TIME.exec(text);
  if (!match) return undefined;
  const minutes = Number(match[1]) * 60 + Number(match[2]);
  return allowMidnightEnd && minutes === 0 ? undefined : minutes;
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, or `undefined` when it is not a real date. */
function parseLocalDate(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = DATE.exec(text);
  if (!match) return undefined;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) return undefined;
  return ms / DAY_MS;
}

// ---------------------------------------------------------------------------------------------------------
// Compiled form

interface Compiled {
  zone: string;
  /** Index = JS weekday; minute pairs, sorted. */
  week: [number, number][][];
  holidays: Set<number>;
  /** Every minute of every day is working time and there are no holidays. */
  always: boolean;
}

// Keyed by object identity: treat a calendar as immutable once it has been used (they arrive as fresh
// objects from the database or as workflow arguments).
const compiledCache = new WeakMap<BusinessCalendar, Compiled>();

function compile(calendar: BusinessCalendar): Compiled {
  const cached = compiledCache.get(calendar);
  if (cached) return cached;
  const errors = validateCalendar(calendar);
  if (errors.length > 0) {
    throw badRequest(`Invalid business calendar: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
  }
  const week = JS_WEEKDAYS.map((day) =>
    (calendar.workingHours[day] ?? [])
      .map(([s, e]): [number, number] => [parseTime(s, false)!, parseTime(e, true)!])
      .sort((a, b) => a[0] - b[0]),
  );
  const holidays = new Set(calendar.holidays.map((h) => parseLocalDate(h)!));
  const always = holidays.size === 0 && week.every((intervals) => coversWholeDay(intervals));
  const compiled: Compiled = { zone: calendar.timezone, week, holidays, always };
  compiledCache.set(calendar, compiled);
  return compiled;
}

function coversWholeDay(sorted: [number, number][]): boolean {
  let reached = 0;
  for (const [start, end] of sorted) {
    if (start > reached) return false;
    reached = Math.max(reached, end);
  }
  return reached >= 24 * 60;
}

// ---------------------------------------------------------------------------------------------------------
// Time-zone arithmetic with Intl only

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Offset of local wall-clock time from UTC at an instant, in ms (Berlin summer: +7_200_000). */
export function offsetAt(zone: string, instant: number): number {
  const fields = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const part of formatter(zone).formatToParts(instant)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  const wall = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour % 24, fields.minute, fields.second);
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The first instant at which the wall clock of `zone` shows `wall` (local time written as if it were UTC ms)
 * or later: the only instant for a normal time, the first of two in a fall-back overlap, the moment of the
 * jump for a time inside a spring-forward gap. Assumes at most one offset change within a day either side,
 * which holds for every zone in the tz database.
 */
export function localToInstant(zone: string, wall: number): number {
  const before = offsetAt(zone, wall - DAY_MS);
  const after = offsetAt(zone, wall + DAY_MS);
  const candidates: number[] = [];
  for (const offset of before === after ? [before] : [before, after]) {
    const instant = wall - offset;
    if (offsetAt(zone, instant) === offset) candidates.push(instant);
  }
  if (candidates.length > 0) return Math.min(...candidates);
  // In a gap: the jump lies between the instant the time would have with the new offset (still before the
  // jump) and with the old one (already after it). Offsets and transitions are whole seconds.
  let lo = wall - Math.max(before, after);
  let hi = wall - Math.min(before, after);
  const old = offsetAt(zone, lo);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetAt(zone, mid) === old) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The local date (days since 1970-01-01) an instant falls on in `zone`. */
function localDay(zone: string, instant: number): number {
  return Math.floor((instant + offsetAt(zone, instant)) / DAY_MS);
}

/** Working intervals of one local date as instants `[start, end)`, in order. */
function workingIntervals(c: Compiled, day: number): [number, number][] {
  if (c.holidays.has(day)) return [];
  const minutes = c.week[(((day + 4) % 7) + 7) % 7]!;
  if (minutes.length === 0) return [];
  const midnight = day * DAY_MS;
  // Fast path: one offset around the whole day means no daylight-saving change can touch it.
  const offset = offsetAt(c.zone, midnight - DAY_MS);
  const steady = offset === offsetAt(c.zone, midnight + 2 * DAY_MS);
  const toInstant = (minute: number) =>
    steady ? midnight + minute * MINUTE_MS - offset : localToInstant(c.zone, midnight + minute * MINUTE_MS);
  const result: [number, number][] = [];
  for (const [start, end] of minutes) {
    const a = toInstant(start);
    const b = toInstant(end);
    if (b > a) result.push([a, b]);
  }
  return result;
}

function toMs(value: Date | number, what: string): number {
  const ms = typeof value === 'number' ? value : value.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`${what} must be a valid instant`);
  return ms;
}

// ---------------------------------------------------------------------------------------------------------
// Public arithmetic

/** True when the calendar counts every moment (working hours cover all week, no holidays). */
export function is24x7(calendar: BusinessCalendar | undefined): boolean {
  return calendar === undefined || compile(calendar).always;
}

/**
 * The instant `durationMs` of business time after `start`. Time before the first working interval is
 * skipped; see the module comment for the exact rules. Throws when the calendar is invalid or no working
 * time exists within three years of the search (e.g. a run of holidays), so a timer never spins forever.
 */
export function addBusinessTime(
  calendar: BusinessCalendar | undefined,
  start: Date | number,
  durationMs: number,
): Date {
  const from = toMs(start, 'start');
  if (!Number.isFinite(durationMs) || durationMs < 0) {
    throw new RangeError(`durationMs must be a finite, non-negative number, got ${durationMs}`);
  }
  if (calendar === undefined || durationMs === 0) return new Date(from + durationMs);
  const c = compile(calendar);
  if (c.always) return new Date(from + durationMs);

  let remaining = durationMs;
  // The day before as well: in a fall-back overlap at midnight, an instant can belong to the previous date.
  const first = localDay(c.zone, from) - 1;
  let idle = 0;
  for (let day = first; day < first + MAX_DAYS; day++) {
    let worked = false;
    for (const [a, b] of workingIntervals(c, day)) {
      const s = Math.max(a, from);
      if (b <= s) continue;
      worked = true;
      if (remaining <= b - s) return new Date(s + remaining);
      remaining -= b - s;
    }
    idle = worked ? 0 : idle + 1;
    if (idle > MAX_IDLE_DAYS) {
      throw new RangeError(
        `The calendar has no working time for ${MAX_IDLE_DAYS} days after ${new Date(day * DAY_MS).toISOString().slice(0, 10)}`,
      );
    }
  }
  throw new RangeError(`Adding ${durationMs} ms of business time needs more than ${MAX_DAYS} days`);
}

/** Business time in ms between two instants; 0 when `to` is not after `from`. */
export function businessTimeBetween(
  calendar: BusinessCalendar | undefined,
  from: Date | number,
  to: Date | number,
): number {
  const a = toMs(from, 'from');
  const b = toMs(to, 'to');
  if (b <= a) return 0;
  if (calendar === undefined) return b - a;
  const c = compile(calendar);
  if (c.always) return b - a;
  let total = 0;
  const last = localDay(c.zone, b) + 1;
  for (let day = localDay(c.zone, a) - 1; day <= last; day++) {
    for (const [s, e] of workingIntervals(c, day)) {
      const overlap = Math.min(e, b) - Math.max(s, a);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/** True when `at` lies inside a working interval (always true without a calendar). */
export function isWorkingTime(calendar: BusinessCalendar | undefined, at: Date | number): boolean {
  const t = toMs(at, 'at');
  if (calendar === undefined) return true;
  const c = compile(calendar);
  if (c.always) return true;
  const day = localDay(c.zone, t);
  for (const d of [day - 1, day]) {
    if (workingIntervals(c, d).some(([s, e]) => s <= t && t < e)) return true;
  }
  return false;
}
