import { type BusinessCalendar, type WorkingInterval } from './calendar';
import { addBusinessDuration, parseBusinessDuration } from './business-duration';

const weekdays = (intervals: WorkingInterval[]) => ({
  mon: intervals,
  tue: intervals,
  wed: intervals,
  thu: intervals,
  fri: intervals,
});

/** Mon-Fri 09:00-18:00 in Taipei (UTC+8, no daylight-saving time). */
const taipei: BusinessCalendar = {
  timezone: 'Asia/Taipei',
  workingHours: weekdays([['09:00', '18:00']]),
  holidays: [],
};
const withHoliday = (...holidays: string[]): BusinessCalendar => ({ ...taipei, holidays });
/** Local Taipei wall-clock time as an instant. */
const tpe = (local: string) => new Date(`${local}+08:00`);
const iso = (d: Date) => d.toISOString();

describe('parseBusinessDuration', () => {
  it('splits weeks, days and time', () => {
    expect(parseBusinessDuration('P1W2DT3H4M5.5S')).toEqual({
      weeks: 1,
      days: 2,
      timeMs: 3 * 3600_000 + 4 * 60_000 + 5500,
    });
    expect(parseBusinessDuration('PT4H')).toEqual({ weeks: 0, days: 0, timeMs: 4 * 3600_000 });
  });

  it('refuses what is not a duration, and years and months', () => {
    for (const text of ['', 'P', 'PT', '4H', 'P1M', 'P1Y', 'P1DT', 'p1d']) {
      expect(parseBusinessDuration(text)).toBeUndefined();
    }
  });
});

describe('addBusinessDuration', () => {
  // 2027-01-08 is a Friday.
  const friday1500 = tpe('2027-01-08T15:00:00');

  it('counts days as whole working days, skipping the weekend: Friday 15:00 + P2D = Tuesday 15:00', () => {
    expect(iso(addBusinessDuration(taipei, friday1500, 'P2D'))).toBe(iso(tpe('2027-01-12T15:00:00')));
    expect(iso(addBusinessDuration(taipei, friday1500, 'P1D'))).toBe(iso(tpe('2027-01-11T15:00:00')));
    expect(iso(addBusinessDuration(taipei, friday1500, 'P3D'))).toBe(iso(tpe('2027-01-13T15:00:00')));
  });

  it('skips a holiday', () => {
    // Monday 2027-01-11 off: the two working days are Tuesday and Wednesday.
    expect(iso(addBusinessDuration(withHoliday('2027-01-11'), friday1500, 'P2D'))).toBe(
      iso(tpe('2027-01-13T15:00:00')),
    );
  });

  it('counts a week as the working weekdays of the calendar', () => {
    expect(iso(addBusinessDuration(taipei, friday1500, 'P1W'))).toBe(iso(tpe('2027-01-15T15:00:00')));
    expect(iso(addBusinessDuration(withHoliday('2027-01-11'), friday1500, 'P1W'))).toBe(
      iso(tpe('2027-01-18T15:00:00')),
    );
    const monToSat: BusinessCalendar = {
      ...taipei,
      workingHours: { ...taipei.workingHours, sat: [['09:00', '13:00']] },
    };
    // Six working weekdays: Sat, Mon..Fri -> the next Friday.
    expect(iso(addBusinessDuration(monToSat, friday1500, 'P1W'))).toBe(iso(tpe('2027-01-15T15:00:00')));
  });

  it('counts the time part as working hours, after the days', () => {
    // 3 h on Friday, 1 h on Monday.
    expect(iso(addBusinessDuration(taipei, friday1500, 'PT4H'))).toBe(iso(tpe('2027-01-11T10:00:00')));
    // Monday 15:00, then 3 h on Monday and 1 h on Tuesday.
    expect(iso(addBusinessDuration(taipei, friday1500, 'P1DT4H'))).toBe(iso(tpe('2027-01-12T10:00:00')));
  });

  it('starts counting days at the next working instant when it starts outside working hours', () => {
    // Saturday 11:00 -> waits from Monday 09:00 -> Tuesday 09:00.
    expect(iso(addBusinessDuration(taipei, tpe('2027-01-09T11:00:00'), 'P1D'))).toBe(iso(tpe('2027-01-12T09:00:00')));
    // Friday 20:00 -> Monday 09:00 -> Tuesday 09:00.
    expect(iso(addBusinessDuration(taipei, tpe('2027-01-08T20:00:00'), 'P1D'))).toBe(iso(tpe('2027-01-12T09:00:00')));
    // Friday 18:00 is the end of the working day, not inside it.
    expect(iso(addBusinessDuration(taipei, tpe('2027-01-08T18:00:00'), 'P1D'))).toBe(iso(tpe('2027-01-12T09:00:00')));
  });

  it('continues to the next working time when the same time is not working time on the target day', () => {
    const shortFriday: BusinessCalendar = {
      ...taipei,
      workingHours: { ...taipei.workingHours, fri: [['09:00', '13:00']] },
    };
    // Thursday 15:00 + P1D = Friday 15:00, after Friday's hours -> Monday 09:00.
    expect(iso(addBusinessDuration(shortFriday, tpe('2027-01-07T15:00:00'), 'P1D'))).toBe(
      iso(tpe('2027-01-11T09:00:00')),
    );
  });

  it('keeps the local time across a daylight-saving change', () => {
    const berlin: BusinessCalendar = {
      timezone: 'Europe/Berlin',
      workingHours: weekdays([['09:00', '17:00']]),
      holidays: [],
    };
    // Clocks go forward on Sunday 2027-03-28: Friday 10:00 CET (09:00Z) + P1D = Monday 10:00 CEST (08:00Z).
    expect(iso(addBusinessDuration(berlin, new Date('2027-03-26T09:00:00Z'), 'P1D'))).toBe('2027-03-29T08:00:00.000Z');
  });

  it('is wall-clock time without a calendar or with a 24x7 one', () => {
    const allWeek: BusinessCalendar = {
      timezone: 'Asia/Taipei',
      workingHours: { ...weekdays([['00:00', '24:00']]), sat: [['00:00', '24:00']], sun: [['00:00', '24:00']] },
      holidays: [],
    };
    for (const calendar of [undefined, allWeek]) {
      expect(iso(addBusinessDuration(calendar, friday1500, 'P2D'))).toBe(iso(tpe('2027-01-10T15:00:00')));
      expect(iso(addBusinessDuration(calendar, friday1500, 'P1WT1H'))).toBe(iso(tpe('2027-01-15T16:00:00')));
    }
  });

  it('answers the start for a zero duration and refuses what is not a duration', () => {
    const saturday = tpe('2027-01-09T11:00:00');
    expect(iso(addBusinessDuration(taipei, saturday, 'PT0S'))).toBe(iso(saturday));
    expect(iso(addBusinessDuration(taipei, saturday, 'P0D'))).toBe(iso(saturday));
    expect(() => addBusinessDuration(taipei, saturday, 'P1M')).toThrow(RangeError);
    expect(() => addBusinessDuration(taipei, saturday, 'soon')).toThrow(RangeError);
  });
});
