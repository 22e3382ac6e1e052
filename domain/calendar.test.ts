import {
  type BusinessCalendar,
  type WorkingInterval,
  addBusinessTime,
  businessTimeBetween,
  is24x7,
  isWorkingTime,
  validateCalendar,
} from './calendar';

const MIN = 60_000;
const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);
const iso = (d: Date) => d.toISOString();

const weekdays = (intervals: WorkingInterval[]) => ({
  mon: intervals,
  tue: intervals,
  wed: intervals,
  thu: intervals,
  fri: intervals,
});

/** Mon-Fri 09:00-17:00 in Berlin: 8 business hours a day. */
const berlin: BusinessCalendar = {
  timezone: 'Europe/Berlin',
  workingHours: weekdays([['09:00', '17:00']]),
  holidays: [],
};

describe('addBusinessTime in Europe/Berlin, Mon-Fri 09:00-17:00', () => {
  // 2027-03-05 is a Friday; Berlin is UTC+1 in winter.
  it('adds two business days from Friday afternoon to Tuesday afternoon across the weekend', () => {
    expect(iso(addBusinessTime(berlin, at('2027-03-05T13:00:00Z'), 16 * H))).toBe('2027-03-09T13:00:00.000Z');
  });

  it('skips a holiday', () => {
    const withHoliday = { ...berlin, holidays: ['2027-03-08'] };
    expect(iso(addBusinessTime(withHoliday, at('2027-03-05T13:00:00Z'), 16 * H))).toBe('2027-03-10T13:00:00.000Z');
  });

  it('starts counting at the next working interval when started outside working hours', () => {
    // Saturday 10:00 -> Monday 10:00
    expect(iso(addBusinessTime(berlin, at('2027-03-06T09:00:00Z'), H))).toBe('2027-03-08T09:00:00.000Z');
    // Tuesday 07:00 -> 09:30
    expect(iso(addBusinessTime(berlin, at('2027-03-09T06:00:00Z'), 30 * MIN))).toBe('2027-03-09T08:30:00.000Z');
    // Monday 18:00 -> Tuesday 10:00
    expect(iso(addBusinessTime(berlin, at('2027-03-08T17:00:00Z'), H))).toBe('2027-03-09T09:00:00.000Z');
  });

  it('ends at the close of the day rather than the next opening', () => {
    expect(iso(addBusinessTime(berlin, at('2027-03-05T15:00:00Z'), H))).toBe('2027-03-05T16:00:00.000Z');
  });

  it('answers the start itself for a zero duration and refuses negative ones', () => {
    expect(iso(addBusinessTime(berlin, at('2027-03-06T09:00:00Z'), 0))).toBe('2027-03-06T09:00:00.000Z');
    expect(() => addBusinessTime(berlin, 0, -1)).toThrow(RangeError);
    expect(() => addBusinessTime(berlin, Number.NaN, 1)).toThrow(RangeError);
  });

  it('accepts a Date as well as epoch ms', () => {
    expect(iso(addBusinessTime(berlin, new Date('2027-03-05T13:00:00Z'), 16 * H))).toBe('2027-03-09T13:00:00.000Z');
  });
});

describe('working intervals across midnight', () => {
  // A night shift in Taipei (UTC+8, no DST): 22:00 Mon-Fri running into 06:00 Tue-Sat.
  const nights: BusinessCalendar = {
    timezone: 'Asia/Taipei',
    workingHours: {
      mon: [['22:00', '24:00']],
      tue: [
        ['00:00', '06:00'],
        ['22:00', '24:00'],
      ],
      wed: [
        ['00:00', '06:00'],
        ['22:00', '24:00'],
      ],
      thu: [
        ['00:00', '06:00'],
        ['22:00', '24:00'],
      ],
      fri: [
        ['00:00', '06:00'],
        ['22:00', '24:00'],
      ],
      sat: [['00:00', '06:00']],
    },
    holidays: [],
  };

  it('runs through midnight without a gap', () => {
    // Monday 2027-03-01 23:00 +08 + 3h = Tuesday 02:00 +08
    expect(iso(addBusinessTime(nights, at('2027-03-01T15:00:00Z'), 3 * H))).toBe('2027-03-01T18:00:00.000Z');
    // Monday 21:00 .. Tuesday 07:00 local: 22:00-06:00 = 8 hours
    expect(businessTimeBetween(nights, at('2027-03-01T13:00:00Z'), at('2027-03-01T23:00:00Z'))).toBe(8 * H);
  });

  it('continues after the weekend', () => {
    // Friday 2027-03-05 23:00 +08: 1h Friday + 6h Saturday morning, then Monday 22:00 + 1h
    expect(iso(addBusinessTime(nights, at('2027-03-05T15:00:00Z'), 8 * H))).toBe('2027-03-08T15:00:00.000Z');
  });

  it('removes only the intervals listed under the holiday date', () => {
    const saturdayOff = { ...nights, holidays: ['2027-03-06'] };
    // Friday 22:00-24:00 still counts; Saturday 00:00-06:00 does not.
    expect(businessTimeBetween(saturdayOff, at('2027-03-05T12:00:00Z'), at('2027-03-06T12:00:00Z'))).toBe(2 * H);
  });
});

describe('daylight-saving changes', () => {
  const weekendNights: BusinessCalendar = {
    timezone: 'Europe/Berlin',
    workingHours: { sat: [['00:00', '06:00']], sun: [['00:00', '06:00']] },
    holidays: [],
  };

  it('counts real elapsed time on the spring-forward night (Berlin, 2027-03-28)', () => {
    // Saturday 6h + Sunday 00:00 CET .. 06:00 CEST = 5h
    expect(businessTimeBetween(weekendNights, at('2027-03-26T00:00:00Z'), at('2027-03-29T00:00:00Z'))).toBe(11 * H);
    // Sunday 00:00 CET (Sat 23:00Z) + 4h of real time = 05:00 CEST
    expect(iso(addBusinessTime(weekendNights, at('2027-03-27T23:00:00Z'), 4 * H))).toBe('2027-03-28T03:00:00.000Z');
  });

  it('counts real elapsed time on the fall-back night (Berlin, 2027-10-31)', () => {
    // Saturday 6h + Sunday 00:00 CEST .. 06:00 CET = 7h
    expect(businessTimeBetween(weekendNights, at('2027-10-29T00:00:00Z'), at('2027-11-01T00:00:00Z'))).toBe(13 * H);
    // Sunday 00:00 CEST (Sat 22:00Z) + 6h = 05:00 CET
    expect(iso(addBusinessTime(weekendNights, at('2027-10-30T22:00:00Z'), 6 * H))).toBe('2027-10-31T04:00:00.000Z');
  });

  it('maps a start inside the spring-forward gap to the moment of the jump', () => {
    const gap: BusinessCalendar = {
      timezone: 'Europe/Berlin',
      workingHours: { sun: [['02:30', '04:00']] },
      holidays: [],
    };
    // 02:30 does not exist: the interval is 03:00 CEST (01:00Z) .. 04:00 CEST (02:00Z)
    expect(businessTimeBetween(gap, at('2027-03-27T00:00:00Z'), at('2027-03-29T00:00:00Z'))).toBe(H);
    expect(iso(addBusinessTime(gap, at('2027-03-27T00:00:00Z'), 30 * MIN))).toBe('2027-03-28T01:30:00.000Z');
  });

  it('maps an ambiguous fall-back time to its first occurrence', () => {
    const early: BusinessCalendar = {
      timezone: 'Europe/Berlin',
      workingHours: { sun: [['01:00', '02:30']] },
      holidays: [],
    };
    const late: BusinessCalendar = {
      timezone: 'Europe/Berlin',
      workingHours: { sun: [['02:30', '04:00']] },
      holidays: [],
    };
    const from = at('2027-10-30T00:00:00Z');
    const to = at('2027-11-01T00:00:00Z');
    // 01:00 CEST .. 02:30 CEST (first pass)
    expect(businessTimeBetween(early, from, to)).toBe(1.5 * H);
    // 02:30 CEST (00:30Z) .. 04:00 CET (03:00Z)
    expect(businessTimeBetween(late, from, to)).toBe(2.5 * H);
    expect(iso(addBusinessTime(late, from, 30 * MIN))).toBe('2027-10-31T01:00:00.000Z');
  });

  it('keeps a daytime working day at 8 hours around the change (Berlin)', () => {
    // Friday 2027-03-26 15:00 CET + 16h -> Tuesday 2027-03-30 15:00 CEST
    expect(iso(addBusinessTime(berlin, at('2027-03-26T14:00:00Z'), 16 * H))).toBe('2027-03-30T13:00:00.000Z');
    // Friday 2027-10-29 15:00 CEST + 16h -> Tuesday 2027-11-02 15:00 CET
    expect(iso(addBusinessTime(berlin, at('2027-10-29T13:00:00Z'), 16 * H))).toBe('2027-11-02T14:00:00.000Z');
  });

  describe('America/New_York (2027-03-14 and 2027-11-07)', () => {
    const ny: BusinessCalendar = {
      timezone: 'America/New_York',
      workingHours: weekdays([['09:00', '17:00']]),
      holidays: [],
    };
    // Every hour of every day, but with a holiday so the 24x7 shortcut does not apply.
    const allDay: BusinessCalendar = {
      timezone: 'America/New_York',
      workingHours: Object.fromEntries(
        (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((d) => [d, [['00:00', '24:00']]]),
      ),
      holidays: ['2000-01-01'],
    };

    it('moves from EST to EDT over the weekend', () => {
      // Friday 16:00 EST (21:00Z) + 2h -> Monday 10:00 EDT (14:00Z)
      expect(iso(addBusinessTime(ny, at('2027-03-12T21:00:00Z'), 2 * H))).toBe('2027-03-15T14:00:00.000Z');
      // Friday 16:00 EDT (20:00Z) + 2h -> Monday 10:00 EST (15:00Z)
      expect(iso(addBusinessTime(ny, at('2027-11-05T20:00:00Z'), 2 * H))).toBe('2027-11-08T15:00:00.000Z');
    });

    it('has a 23-hour and a 25-hour day', () => {
      // Saturday 00:00 EST .. Monday 00:00 EDT
      expect(businessTimeBetween(allDay, at('2027-03-13T05:00:00Z'), at('2027-03-15T04:00:00Z'))).toBe(47 * H);
      // Saturday 00:00 EDT .. Monday 00:00 EST
      expect(businessTimeBetween(allDay, at('2027-11-06T04:00:00Z'), at('2027-11-08T05:00:00Z'))).toBe(49 * H);
      // and agrees with the wall clock everywhere, as it covers every instant
      expect(iso(addBusinessTime(allDay, at('2027-03-14T06:30:00Z'), 5 * H))).toBe('2027-03-14T11:30:00.000Z');
    });
  });

  it('Asia/Taipei has no DST and a lunch break', () => {
    const taipei: BusinessCalendar = {
      timezone: 'Asia/Taipei',
      workingHours: weekdays([
        ['09:00', '12:00'],
        ['13:00', '18:00'],
      ]),
      holidays: ['2027-02-08'],
    };
    // Monday 2027-03-01 11:00 +08 + 2h -> 14:00 +08
    expect(iso(addBusinessTime(taipei, at('2027-03-01T03:00:00Z'), 2 * H))).toBe('2027-03-01T06:00:00.000Z');
    // A whole week is 5 x 8h
    expect(businessTimeBetween(taipei, at('2027-02-28T16:00:00Z'), at('2027-03-07T16:00:00Z'))).toBe(40 * H);
    expect(isWorkingTime(taipei, at('2027-03-01T04:30:00Z'))).toBe(false); // 12:30, lunch
    expect(isWorkingTime(taipei, at('2027-03-01T05:30:00Z'))).toBe(true); // 13:30
  });
});

describe('businessTimeBetween', () => {
  it('is 0 when to is not after from', () => {
    expect(businessTimeBetween(berlin, at('2027-03-09T13:00:00Z'), at('2027-03-09T12:00:00Z'))).toBe(0);
    expect(businessTimeBetween(berlin, at('2027-03-09T13:00:00Z'), at('2027-03-09T13:00:00Z'))).toBe(0);
    expect(businessTimeBetween(undefined, 10, 5)).toBe(0);
  });

  it('is the inverse of addBusinessTime on fixed pseudo-random samples', () => {
    const calendars: BusinessCalendar[] = [
      {
        timezone: 'Europe/Berlin',
        workingHours: weekdays([
          ['08:30', '12:00'],
          ['12:45', '17:15'],
        ]),
        holidays: ['2027-03-29', '2027-04-02', '2027-10-03', '2027-12-24', '2027-12-25'],
      },
      { timezone: 'America/New_York', workingHours: weekdays([['09:00', '17:00']]), holidays: ['2027-11-25'] },
      {
        timezone: 'Asia/Taipei',
        workingHours: { mon: [['22:00', '24:00']], tue: [['00:00', '06:00']], sat: [['10:00', '14:00']] },
        holidays: [],
      },
    ];
    let seed = 20270328;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const base = at('2027-01-01T00:00:00Z');
    for (const calendar of calendars) {
      for (let i = 0; i < 60; i++) {
        const start = base + Math.floor(next() * 365 * 24 * 60) * MIN;
        const duration = Math.floor(next() * 80 * 60 + 1) * MIN;
        const end = addBusinessTime(calendar, start, duration);
        expect(businessTimeBetween(calendar, start, end)).toBe(duration);
        expect(isWorkingTime(calendar, end.getTime() - 1)).toBe(true);

        const later = start + Math.floor(next() * 30 * 24 * 60) * MIN;
        const measured = businessTimeBetween(calendar, start, later);
        const back = addBusinessTime(calendar, start, measured).getTime();
        expect(back).toBeLessThanOrEqual(later);
        expect(businessTimeBetween(calendar, back, later)).toBe(0);
      }
    }
  });
});

describe('wall clock', () => {
  it('counts wall-clock time without a calendar', () => {
    expect(iso(addBusinessTime(undefined, at('2027-03-27T22:00:00Z'), 4 * H))).toBe('2027-03-28T02:00:00.000Z');
    expect(businessTimeBetween(undefined, at('2027-03-27T22:00:00Z'), at('2027-03-28T02:00:00Z'))).toBe(4 * H);
    expect(is24x7(undefined)).toBe(true);
  });

  it('recognises a 24x7 calendar, also written as several intervals', () => {
    const days = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
    const always: BusinessCalendar = {
      timezone: 'Europe/Berlin',
      workingHours: Object.fromEntries(
        days.map((d) => [
          d,
          [
            ['12:00', '24:00'],
            ['00:00', '12:00'],
          ],
        ]),
      ),
      holidays: [],
    };
    expect(is24x7(always)).toBe(true);
    expect(is24x7({ ...always, holidays: ['2027-12-25'] })).toBe(false);
    expect(is24x7(berlin)).toBe(false);
    expect(iso(addBusinessTime(always, at('2027-03-27T22:00:00Z'), 4 * H))).toBe('2027-03-28T02:00:00.000Z');
  });
});

describe('validateCalendar', () => {
  it('accepts a sound calendar', () => {
    expect(validateCalendar(berlin)).toEqual([]);
  });

  it('names every problem with its path', () => {
    const errors = validateCalendar(
      {
        timezone: 'Mars/Olympus_Mons',
        workingHours: {
          mon: [
            ['09:00', '12:00'],
            ['11:00', '13:00'],
          ],
          tue: [['18:00', '09:00']],
          wed: [['9:00', '24:00']],
          thu: [['24:00', '24:00']],
          fri: [['08:00', '00:00']],
          funday: [['09:00', '10:00']],
        } as BusinessCalendar['workingHours'],
        holidays: ['2027-02-30', 'tomorrow'],
      },
      'body',
    );
    const paths = errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.timezone',
        'body.workingHours.mon.1',
        'body.workingHours.tue.0',
        'body.workingHours.wed.0.0',
        'body.workingHours.thu.0.0',
        'body.workingHours.fri.0.1',
        'body.workingHours.funday',
        'body.holidays.0',
        'body.holidays.1',
      ]),
    );
    expect(errors.find((e) => e.path === 'body.workingHours.mon.1')?.message).toMatch(/overlaps/);
  });

  it('allows touching intervals and 24:00 as an end', () => {
    const touching: BusinessCalendar = {
      timezone: 'UTC',
      workingHours: {
        mon: [
          ['09:00', '12:00'],
          ['12:00', '24:00'],
        ],
      },
      holidays: [],
    };
    expect(validateCalendar(touching)).toEqual([]);
  });

  it('refuses a calendar without working time, and the arithmetic throws on it', () => {
    const never: BusinessCalendar = { timezone: 'UTC', workingHours: { mon: [], sat: [] }, holidays: [] };
    expect(validateCalendar(never)).toEqual([expect.objectContaining({ path: 'workingHours' })]);
    expect(() => addBusinessTime(never, 0, H)).toThrow(/at least one working interval/);
    expect(() => businessTimeBetween(never, 0, H)).toThrow(/Invalid business calendar/);
  });

  it('gives up instead of searching forever when holidays cover years of working days', () => {
    const mondays: string[] = [];
    for (let t = at('2027-01-04T00:00:00Z'); t < at('2031-01-01T00:00:00Z'); t += 7 * 24 * H) {
      mondays.push(new Date(t).toISOString().slice(0, 10));
    }
    const onlyMondays: BusinessCalendar = {
      timezone: 'UTC',
      workingHours: { mon: [['09:00', '10:00']] },
      holidays: mondays,
    };
    expect(() => addBusinessTime(onlyMondays, at('2027-01-01T00:00:00Z'), H)).toThrow(/no working time/);
  });
});
