// Business dates are calendar dates in Europe/Oslo (backbone issue, I-5, O-20, S-9).
// Pure functions, safe inside workflow code (Intl is deterministic for a given instant).

export const BUSINESS_TIME_ZONE = 'Europe/Oslo';

export type IsoDate = string; // YYYY-MM-DD

const dateParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: BUSINESS_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function osloWallClock(instant: Date): WallClock {
  const parts: Record<string, number> = {};
  for (const p of dateParts.formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** The Oslo calendar date of an instant. */
export function osloDate(instant: Date): IsoDate {
  const w = osloWallClock(instant);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** Offset of Oslo from UTC at an instant, in minutes (60 in winter, 120 in summer). */
function osloOffsetMinutes(instant: Date): number {
  const w = osloWallClock(instant);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/** The instant at which an Oslo wall-clock time occurs (gaps resolve forward, as Oslo clocks do). */
export function osloInstant(date: IsoDate, hour = 0, minute = 0, second = 0, ms = 0): Date {
  const [y, m, d] = parseIsoDate(date);
  const guess = Date.UTC(y, m - 1, d, hour, minute, second, ms);
  let instant = new Date(guess - osloOffsetMinutes(new Date(guess)) * 60000);
  // one correction step handles instants near a DST switch
  instant = new Date(guess - osloOffsetMinutes(instant) * 60000);
  return instant;
}

export function parseIsoDate(date: IsoDate): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`not an ISO date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function isValidIsoDate(date: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

export function addCalendarDays(date: IsoDate, days: number): IsoDate {
  const [y, m, d] = parseIsoDate(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function calendarDaysBetween(from: IsoDate, to: IsoDate): number {
  const [y1, m1, d1] = parseIsoDate(from);
  const [y2, m2, d2] = parseIsoDate(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000);
}

/**
 * A rule's waiting time. Production rules count calendar days in Oslo (the same wall-clock
 * time N days later, so a DST switch does not shift the deadline by an hour); tests pass
 * milliseconds so a timer fires within a test (stack notes: timers in tests).
 */
export type RuleDuration = { calendarDays: number } | { ms: number };

export function deadlineAfter(start: Date, duration: RuleDuration): Date {
  if ('ms' in duration) return new Date(start.getTime() + duration.ms);
  const w = osloWallClock(start);
  const target = addCalendarDays(`${w.year}-${pad(w.month)}-${pad(w.day)}`, duration.calendarDays);
  return osloInstant(target, w.hour, w.minute, w.second, start.getUTCMilliseconds());
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
