import { describe, expect, it } from 'vitest';
import { evaluateTemplate, parseIsoDurationMs } from '../../../local/runtime/expressions/index.js';
import { fakeContext } from './fake-context.js';

const ev = (text: string) => evaluateTemplate(text, fakeContext());

describe('date and time functions', () => {
  it('uses the context clock for utcNow and relative times, in the "o" format', () => {
    expect(ev('@utcNow()')).toBe('2024-03-10T09:08:07.1230000Z');
    expect(ev("@utcNow('yyyy-MM-dd')")).toBe('2024-03-10');
    expect(ev("@getFutureTime(2, 'Day')")).toBe('2024-03-12T09:08:07.1230000Z');
    expect(ev("@getPastTime(1, 'Month', 's')")).toBe('2024-02-10T09:08:07');
  });

  it('adds and subtracts with calendar rules', () => {
    expect(ev("@addDays('2018-03-15T00:00:00Z', 10)")).toBe('2018-03-25T00:00:00.0000000Z');
    expect(ev("@addHours('2018-03-15T00:00:00Z', -1)")).toBe('2018-03-14T23:00:00.0000000Z');
    expect(ev("@addToTime('2018-01-31T10:00:00Z', 1, 'Month')")).toBe('2018-02-28T10:00:00.0000000Z');
    expect(ev("@subtractFromTime('2020-02-29T00:00:00Z', 1, 'Year', 'yyyy-MM-dd')")).toBe('2019-02-28');
    expect(() => ev("@addToTime('2018-01-01T00:00:00Z', 1, 'Fortnight')")).toThrow(/time unit 'Fortnight' is not valid/);
  });

  it('formats with .NET standard and custom format strings', () => {
    const t = "'2018-03-05T13:07:09.1234567Z'";
    expect(ev(`@formatDateTime(${t})`)).toBe('2018-03-05T13:07:09.1234567Z');
    expect(ev(`@formatDateTime(${t}, 's')`)).toBe('2018-03-05T13:07:09');
    expect(ev(`@formatDateTime(${t}, 'u')`)).toBe('2018-03-05 13:07:09Z');
    expect(ev(`@formatDateTime(${t}, 'R')`)).toBe('Mon, 05 Mar 2018 13:07:09 GMT');
    expect(ev(`@formatDateTime(${t}, 'D')`)).toBe('Monday, March 5, 2018');
    expect(ev(`@formatDateTime(${t}, 'D', '')`)).toBe('Monday, 05 March 2018');
    expect(ev(`@formatDateTime(${t}, 'D', 'de-DE')`)).toBe('Montag, 5. März 2018');
    expect(ev("@convertTimeZone('2018-01-01T08:00:00.0000000Z', 'UTC', 'Pacific Standard Time', 'D')")).toBe('Monday, January 1, 2018');
    expect(ev(`@formatDateTime(${t}, 'yyyy-MM-dd')`)).toBe('2018-03-05');
    expect(ev(`@formatDateTime(${t}, 'dd/MM/yy h:mm tt fff')`)).toBe('05/03/18 1:07 PM 123');
    expect(ev(`@formatDateTime(${t}, 'd', 'en-US')`)).toBe('3/5/2018');
    expect(ev("@formatDateTime('2018-03-05T13:07:09Z', 'HH:mm:ss.FFF')")).toBe('13:07:09');
    expect(ev("@formatDateTime('2018-03-05T13:07:09', 'o')")).toBe('2018-03-05T13:07:09.0000000');
  });

  it('converts between Windows time zones, honouring daylight saving', () => {
    expect(ev("@convertFromUtc('2018-01-01T08:00:00.0000000Z', 'Pacific Standard Time')")).toBe('2018-01-01T00:00:00.0000000');
    expect(ev("@convertFromUtc('2018-07-01T08:00:00Z', 'Pacific Standard Time', 'HH:mm')")).toBe('01:00');
    expect(ev("@convertToUtc('01/01/2018 00:00:00', 'Pacific Standard Time')")).toBe('2018-01-01T08:00:00.0000000Z');
    expect(ev("@convertTimeZone('2018-07-01T12:00:00Z', 'W. Europe Standard Time', 'UTC')")).toBe('2018-07-01T10:00:00.0000000Z');
    expect(ev("@convertTimeZone('2018-01-01T12:00:00', 'GMT Standard Time', 'India Standard Time', 'HH:mm')")).toBe('17:30');
    expect(() => ev("@convertFromUtc('2018-01-01T00:00:00Z', 'Europe/Berlin')")).toThrow(/'Europe\/Berlin' is not a known Windows time zone id/);
  });

  it('computes parts, starts, differences and ticks', () => {
    expect(ev("@dayOfWeek('2018-03-15T13:00:00Z')")).toBe(4);
    expect(ev("@dayOfMonth('2018-03-15T13:00:00Z')")).toBe(15);
    expect(ev("@dayOfYear('2018-03-15T13:00:00Z')")).toBe(74);
    expect(ev("@startOfDay('2018-03-15T13:30:30Z')")).toBe('2018-03-15T00:00:00.0000000Z');
    expect(ev("@startOfHour('2018-03-15T13:30:30Z')")).toBe('2018-03-15T13:00:00.0000000Z');
    expect(ev("@startOfMonth('2018-03-15T13:30:30Z')")).toBe('2018-03-01T00:00:00.0000000Z');
    expect(ev("@dateDifference('2015-02-08', '2018-07-30')")).toBe('1268.00:00:00');
    expect(ev("@dateDifference('2018-07-30T10:00:00Z', '2018-07-30T09:30:00.5Z')")).toBe('-00:29:59.5000000');
    expect(ev("@ticks('2018-01-01T08:00:00.0000000Z')")).toBe(636503904000000000);
    expect(ev("@formatTimeSpan('1.02:03:04.5', 'hh\\:mm')")).toBe('02:03');
  });

  it('parses timestamps with locales and explicit formats', () => {
    expect(ev("@parseDateTime('20/03/2020', 'en-GB')")).toBe('2020-03-20T00:00:00.0000000');
    expect(ev("@parseDateTime('03/20/2020 2:05 PM', 'en-US')")).toBe('2020-03-20T14:05:00.0000000');
    expect(ev("@parseDateTime('20-03-2020 14:05', '', 'dd-MM-yyyy HH:mm')")).toBe('2020-03-20T14:05:00.0000000');
    expect(ev("@parseDateTime('2020-03-20T14:05:00+02:00')")).toBe('2020-03-20T12:05:00.0000000Z');
    expect(() => ev("@formatDateTime('not a date')")).toThrow(/was not recognized as a valid DateTime/);
  });

  it('parses ISO 8601 durations for the engine', () => {
    expect(parseIsoDurationMs('PT10S')).toBe(10_000);
    expect(parseIsoDurationMs('P1DT2H')).toBe(26 * 3_600_000);
    expect(parseIsoDurationMs('PT0.5S')).toBe(500);
    expect(() => parseIsoDurationMs('10 seconds')).toThrow(/not a valid ISO 8601 duration/);
    expect(() => parseIsoDurationMs('PT')).toThrow();
  });
});
