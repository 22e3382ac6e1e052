/**
 * ISO 8601 durations counted the way service-desk users read them on a business calendar: "remind after P2D"
 * given on Friday 15:00 means Tuesday 15:00, not Friday 15:00 plus 48 working hours.
 *
 * Semantics, decided once here:
 * - Without a calendar, or with a 24x7 one, everything is wall-clock time: `PnW` = n*7*24h, `PnD` = n*24h.
 * - A start outside working hours first moves to the next working instant (a ticket that arrives on Saturday
 *   starts to wait on Monday 09:00), but only when the duration has a days or weeks part.
 * - The DAYS part counts whole working days: the same local wall-clock time on the n-th following local date
 *   that has working time (a weekday with working intervals that is not a holiday). When that time is not
 *   working time there (a shorter Friday, a gap at lunch), the result continues to the next working instant.
 * - The WEEKS part counts as n times the number of working weekdays of the calendar (5 for Mon-Fri, 6 for
 *   Mon-Sat), i.e. the same weekday one week later when no holiday interferes; holidays push it further, as
 *   for days.
 * - The TIME part (`PT4H`) is working time, added after the days with {@link addBusinessTime}.
 * - A zero duration answers the start as given.
 * - Daylight-saving time: a wall-clock time skipped by a spring-forward jump resolves to an instant around the
 *   jump and is then moved to working time; one that occurs twice resolves to one of its occurrences. Business
 *   calendars rarely put working hours across such a jump.
 *
 * Pure and deterministic (only `Intl`), so workflow code can import it.
 */
import { type BusinessCalendar, type Weekday, addBusinessTime, is24x7, localToInstant, offsetAt } from './calendar';

const DAY_MS = 86_400_000;
/** Index = `Date#getUTCDay()` of a local date. */
const JS_WEEKDAYS: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** A search for the next working day gives up after this many days (matches calendar.ts). */
const MAX_IDLE_DAYS = 3 * 366;
const PATTERN = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** The parts of an ISO 8601 duration as business arithmetic needs them. */
export interface BusinessDurationParts {
  weeks: number;
  days: number;
  /** Hours, minutes and seconds in ms. */
  timeMs: number;
}

/** Parses `PnWnDTnHnMnS` (years and months are refused, as in duration.ts); `undefined` when invalid. */
export function parseBusinessDuration(iso: string): BusinessDurationParts | undefined {
  const match = PATTERN.exec(iso);
  if (!match || iso === 'P' || iso.endsWith('T')) return undefined;
  const n = (v: string | undefined) => (v ? Number(v) : 0);
  const [, weeks, days, hours, minutes, seconds] = match;
  return {
    weeks: n(weeks),
    days: n(days),
    timeMs: Math.round((n(hours) * 3600 + n(minutes) * 60 + n(seconds)) * 1000),
  };
}

/**
 * The instant `iso` after `start` on `calendar` (see the module comment). Throws a `RangeError` for a
 * duration that is not ISO 8601 or a calendar without working days, and the calendar's own error when it is
 * invalid.
 */
export function addBusinessDuration(calendar: BusinessCalendar | undefined, start: Date | number, iso: string): Date {
  const from = typeof start === 'number' ? start : start.getTime();
  if (!Number.isFinite(from)) throw new RangeError('start must be a valid instant');
  const parts = parseBusinessDuration(iso);
  if (!parts) throw new RangeError(`"${iso}" is not an ISO 8601 duration such as PT4H, P2D or P1W`);
  const { weeks, days, timeMs } = parts;

  if (calendar === undefined || is24x7(calendar)) {
    return new Date(from + (weeks * 7 + days) * DAY_MS + timeMs);
  }

  const workingDays = weeks * workingWeekdays(calendar) + days;
  let at = from;
  if (workingDays > 0) {
    at = nextWorkingInstant(calendar, at);
    const zone = calendar.timezone;
    const wall = at + offsetAt(zone, at);
    let day = Math.floor(wall / DAY_MS);
    const timeOfDay = wall - day * DAY_MS;
    for (let counted = 0; counted < workingDays;) {
      day = nextWorkingDay(calendar, day);
      counted++;
    }
    at = nextWorkingInstant(calendar, localToInstant(zone, day * DAY_MS + timeOfDay));
  }
  return timeMs > 0 ? addBusinessTime(calendar, at, timeMs) : new Date(at);
}

/** Weekdays of the calendar that have working intervals. */
function workingWeekdays(calendar: BusinessCalendar): number {
  return JS_WEEKDAYS.filter((d) => (calendar.workingHours[d]?.length ?? 0) > 0).length;
}

/** The first local date after `day` (days since 1970-01-01) with working time. */
function nextWorkingDay(calendar: BusinessCalendar, day: number): number {
  for (let d = day + 1; d <= day + MAX_IDLE_DAYS; d++) {
    const weekday = JS_WEEKDAYS[(((d + 4) % 7) + 7) % 7]!;
    if ((calendar.workingHours[weekday]?.length ?? 0) === 0) continue;
    if (calendar.holidays.includes(new Date(d * DAY_MS).toISOString().slice(0, 10))) continue;
    return d;
  }
  throw new RangeError(`The calendar has no working day within ${MAX_IDLE_DAYS} days`);
}

/** `at` itself when it is working time, else the start of the next working interval. */
function nextWorkingInstant(calendar: BusinessCalendar, at: number): number {
  // One millisecond of business time ends one millisecond after the first working instant at or after `at`.
  return addBusinessTime(calendar, at, 1).getTime() - 1;
}
