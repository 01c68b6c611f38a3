import { ExpressionError } from '../errors.js';
import { fields, fromFields, TICKS_PER_MS, toDate, type Timestamp } from './timestamp.js';

/**
 * Windows time zone ids (what Logic Apps accepts) mapped to IANA zones (what ICU knows), after
 * the CLDR windowsZones table's "001" territory entries. Daylight rules come from ICU.
 */
const WINDOWS_TO_IANA: Record<string, string> = {
  'UTC': 'Etc/UTC',
  'Coordinated Universal Time': 'Etc/UTC',
  'Dateline Standard Time': 'Etc/GMT+12',
  'UTC-11': 'Etc/GMT+11',
  'UTC-09': 'Etc/GMT+9',
  'UTC-08': 'Etc/GMT+8',
  'UTC-02': 'Etc/GMT+2',
  'UTC+12': 'Etc/GMT-12',
  'UTC+13': 'Etc/GMT-13',
  'Hawaiian Standard Time': 'Pacific/Honolulu',
  'Alaskan Standard Time': 'America/Anchorage',
  'Pacific Standard Time (Mexico)': 'America/Tijuana',
  'Pacific Standard Time': 'America/Los_Angeles',
  'US Mountain Standard Time': 'America/Phoenix',
  'Mountain Standard Time (Mexico)': 'America/Mazatlan',
  'Mountain Standard Time': 'America/Denver',
  'Central America Standard Time': 'America/Guatemala',
  'Central Standard Time': 'America/Chicago',
  'Central Standard Time (Mexico)': 'America/Mexico_City',
  'Canada Central Standard Time': 'America/Regina',
  'SA Pacific Standard Time': 'America/Bogota',
  'Eastern Standard Time (Mexico)': 'America/Cancun',
  'Eastern Standard Time': 'America/New_York',
  'US Eastern Standard Time': 'America/Indiana/Indianapolis',
  'Cuba Standard Time': 'America/Havana',
  'Venezuela Standard Time': 'America/Caracas',
  'Paraguay Standard Time': 'America/Asuncion',
  'Atlantic Standard Time': 'America/Halifax',
  'SA Western Standard Time': 'America/La_Paz',
  'Pacific SA Standard Time': 'America/Santiago',
  'Newfoundland Standard Time': 'America/St_Johns',
  'E. South America Standard Time': 'America/Sao_Paulo',
  'SA Eastern Standard Time': 'America/Cayenne',
  'Argentina Standard Time': 'America/Argentina/Buenos_Aires',
  'Greenland Standard Time': 'America/Nuuk',
  'Montevideo Standard Time': 'America/Montevideo',
  'Mid-Atlantic Standard Time': 'Etc/GMT+2',
  'Azores Standard Time': 'Atlantic/Azores',
  'Cape Verde Standard Time': 'Atlantic/Cape_Verde',
  'GMT Standard Time': 'Europe/London',
  'Greenwich Standard Time': 'Atlantic/Reykjavik',
  'Morocco Standard Time': 'Africa/Casablanca',
  'W. Europe Standard Time': 'Europe/Berlin',
  'Central Europe Standard Time': 'Europe/Budapest',
  'Romance Standard Time': 'Europe/Paris',
  'Central European Standard Time': 'Europe/Warsaw',
  'W. Central Africa Standard Time': 'Africa/Lagos',
  'Jordan Standard Time': 'Asia/Amman',
  'GTB Standard Time': 'Europe/Bucharest',
  'Middle East Standard Time': 'Asia/Beirut',
  'Egypt Standard Time': 'Africa/Cairo',
  'E. Europe Standard Time': 'Europe/Chisinau',
  'Syria Standard Time': 'Asia/Damascus',
  'South Africa Standard Time': 'Africa/Johannesburg',
  'FLE Standard Time': 'Europe/Kiev',
  'Israel Standard Time': 'Asia/Jerusalem',
  'Turkey Standard Time': 'Europe/Istanbul',
  'Arabic Standard Time': 'Asia/Baghdad',
  'Arab Standard Time': 'Asia/Riyadh',
  'Russian Standard Time': 'Europe/Moscow',
  'E. Africa Standard Time': 'Africa/Nairobi',
  'Iran Standard Time': 'Asia/Tehran',
  'Arabian Standard Time': 'Asia/Dubai',
  'Azerbaijan Standard Time': 'Asia/Baku',
  'Mauritius Standard Time': 'Indian/Mauritius',
  'Georgian Standard Time': 'Asia/Tbilisi',
  'Caucasus Standard Time': 'Asia/Yerevan',
  'Afghanistan Standard Time': 'Asia/Kabul',
  'West Asia Standard Time': 'Asia/Tashkent',
  'Ekaterinburg Standard Time': 'Asia/Yekaterinburg',
  'Pakistan Standard Time': 'Asia/Karachi',
  'India Standard Time': 'Asia/Kolkata',
  'Sri Lanka Standard Time': 'Asia/Colombo',
  'Nepal Standard Time': 'Asia/Kathmandu',
  'Central Asia Standard Time': 'Asia/Almaty',
  'Bangladesh Standard Time': 'Asia/Dhaka',
  'Myanmar Standard Time': 'Asia/Yangon',
  'SE Asia Standard Time': 'Asia/Bangkok',
  'N. Central Asia Standard Time': 'Asia/Novosibirsk',
  'North Asia Standard Time': 'Asia/Krasnoyarsk',
  'China Standard Time': 'Asia/Shanghai',
  'North Asia East Standard Time': 'Asia/Irkutsk',
  'Singapore Standard Time': 'Asia/Singapore',
  'W. Australia Standard Time': 'Australia/Perth',
  'Taipei Standard Time': 'Asia/Taipei',
  'Ulaanbaatar Standard Time': 'Asia/Ulaanbaatar',
  'Tokyo Standard Time': 'Asia/Tokyo',
  'Korea Standard Time': 'Asia/Seoul',
  'Cen. Australia Standard Time': 'Australia/Adelaide',
  'AUS Central Standard Time': 'Australia/Darwin',
  'E. Australia Standard Time': 'Australia/Brisbane',
  'AUS Eastern Standard Time': 'Australia/Sydney',
  'West Pacific Standard Time': 'Pacific/Port_Moresby',
  'Tasmania Standard Time': 'Australia/Hobart',
  'Vladivostok Standard Time': 'Asia/Vladivostok',
  'Central Pacific Standard Time': 'Pacific/Guadalcanal',
  'New Zealand Standard Time': 'Pacific/Auckland',
  'Fiji Standard Time': 'Pacific/Fiji',
  'Tonga Standard Time': 'Pacific/Tongatapu',
  'Samoa Standard Time': 'Pacific/Apia',
  'Line Islands Standard Time': 'Pacific/Kiritimati',
};

const BY_LOWER = new Map(Object.entries(WINDOWS_TO_IANA).map(([k, v]) => [k.toLowerCase(), v]));

export function knownTimeZoneIds(): string[] {
  return Object.keys(WINDOWS_TO_IANA);
}

export function ianaZone(windowsId: string): string {
  const zone = BY_LOWER.get(windowsId.trim().toLowerCase());
  if (!zone) {
    throw new ExpressionError(
      `The time zone '${windowsId}' is not a known Windows time zone id. Logic Apps takes Windows ids such as 'UTC', 'Pacific Standard Time', 'W. Europe Standard Time' or 'GMT Standard Time'.`,
    );
  }
  return zone;
}

/** Offset of an IANA zone from UTC at a UTC instant, in minutes. */
function offsetMinutes(zone: string, utcMs: number): number {
  if (zone === 'Etc/UTC') return 0;
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(utcMs);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? '0');
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

function shift(ts: Timestamp, minutes: number, kind: Timestamp['kind']): Timestamp {
  return { ticks: ts.ticks + BigInt(minutes) * 60_000n * TICKS_PER_MS, kind };
}

/** A UTC instant as wall-clock time in a Windows zone (kind unspecified unless the zone is UTC). */
export function fromUtc(ts: Timestamp, windowsId: string): Timestamp {
  const zone = ianaZone(windowsId);
  if (zone === 'Etc/UTC') return { ticks: ts.ticks, kind: 'utc' };
  return shift(ts, offsetMinutes(zone, toDate(ts).getTime()), 'unspecified');
}

/** Wall-clock time in a Windows zone as a UTC instant. */
export function toUtc(ts: Timestamp, windowsId: string): Timestamp {
  const zone = ianaZone(windowsId);
  const wall = { ticks: ts.ticks, kind: 'utc' as const };
  if (zone === 'Etc/UTC') return wall;
  // Two passes settle the offset across daylight-saving boundaries.
  let offset = offsetMinutes(zone, toDate(wall).getTime());
  offset = offsetMinutes(zone, toDate(shift(wall, -offset, 'utc')).getTime());
  return shift(wall, -offset, 'utc');
}

/** Start of the day for a wall-clock timestamp, keeping its kind. */
export function startOf(ts: Timestamp, unit: 'hour' | 'day' | 'month'): Timestamp {
  const f = fields(ts);
  if (unit === 'hour') return fromFields(f.year, f.month, f.day, f.hour, 0, 0, 0, ts.kind);
  if (unit === 'day') return fromFields(f.year, f.month, f.day, 0, 0, 0, 0, ts.kind);
  return fromFields(f.year, f.month, 1, 0, 0, 0, 0, ts.kind);
}
