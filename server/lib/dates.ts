// Dates as the university reads them: calendar days in its time zone (TIME_ZONE, default Asia/Almaty) and
// one written form per language on every page, in mail and on charts (public/js/dates.js mirrors
// formatDay for the browser; a unit test keeps the two equal).
// The zone is process-wide state, set once from the configuration by createServices: a day boundary is a
// fact about the university, the same for every request, and the pure functions below are called from
// places that have no configuration at hand (form parsing, view models, the write path's `day`).
import type { Lang } from './i18n/index.js';

export const DEFAULT_TIME_ZONE = 'Asia/Almaty';

/** Whether Intl knows the IANA zone name (e.g. "Asia/Almaty", "Europe/Moscow", "UTC"). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return /^[A-Za-z_+\-/0-9]+$/.test(name);
  } catch {
    return false;
  }
}

let zone = DEFAULT_TIME_ZONE;
let parts = partsFormat(zone);

function partsFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Sets the university's time zone (createServices does, from TIME_ZONE). */
export function setTimeZone(name: string): void {
  if (!isTimeZone(name)) throw new RangeError(`unknown time zone: ${name}`);
  zone = name;
  parts = partsFormat(name);
  wallByMinute.clear();
}

export function timeZone(): string {
  return zone;
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/**
 * Readings by UTC minute: zone offsets are whole minutes, so every instant of a UTC minute reads the same,
 * and `formatToParts` (a few microseconds) stays off the write path, which stamps each response's day.
 */
const wallByMinute = new Map<number, Wall>();
const WALL_CACHE_SIZE = 512;

/** The wall-clock reading of an instant in the university's zone. */
function wall(at: Date): Wall {
  const minute = Math.floor(at.getTime() / 60_000);
  const known = wallByMinute.get(minute);
  if (known) return known;
  const get: Record<string, number> = {};
  for (const p of parts.formatToParts(at)) if (p.type !== 'literal') get[p.type] = Number(p.value);
  const reading = { year: get.year!, month: get.month!, day: get.day!, hour: get.hour!, minute: get.minute! };
  if (wallByMinute.size >= WALL_CACHE_SIZE) wallByMinute.clear();
  if (Number.isFinite(minute)) wallByMinute.set(minute, reading);
  return reading;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2026-12-01": the university's calendar day of an instant. */
export function localDay(at: Date): string {
  const w = wall(at);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

/** How far the zone's wall clock is ahead of UTC at an instant (ms). */
function offsetAt(ms: number): number {
  const w = wall(new Date(ms));
  const seconds = new Date(ms).getUTCSeconds();
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, seconds) - (ms - (ms % 1000));
}

/** The first instant of a calendar day ("2026-12-01") in the university's zone. */
export function startOfDay(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const midnightUtc = Date.UTC(y, m - 1, d);
  // Two rounds settle the offset across a daylight-saving change (none in Kazakhstan since 2024, but TIME_ZONE may name one).
  let guess = midnightUtc - offsetAt(midnightUtc);
  guess = midnightUtc - offsetAt(guess);
  return new Date(guess);
}

/** The last second of a calendar day in the university's zone: a survey is open all of its closing day. */
export function endOfDay(day: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return new Date(startOfDay(next).getTime() - 1000);
}

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A calendar day as each language writes it: kk and ru "01.12.2026" (as in Kazakhstan), en "1 Dec 2026"
 * (never 12/01, which reads as January in the US). A Date is first taken to the university's day.
 */
export function formatDay(day: string | Date, lang: Lang): string {
  const iso = typeof day === 'string' ? day : localDay(day);
  const [y, m, d] = iso.split('-');
  if (lang === 'en') return `${Number(d)} ${EN_MONTHS[Number(m) - 1]} ${y}`;
  return `${d}.${m}.${y}`;
}

/** Day and time of an instant in the university's zone: "01.12.2026, 14:05" / "1 Dec 2026, 14:05". */
export function formatDateTime(at: Date | string, lang: Lang): string {
  const date = typeof at === 'string' ? new Date(at) : at;
  const w = wall(date);
  return `${formatDay(localDay(date), lang)}, ${pad(w.hour)}:${pad(w.minute)}`;
}

/** "01.12.2026 – 20.12.2026". */
export function formatDayRange(from: string | Date, to: string | Date, lang: Lang): string {
  return `${formatDay(from, lang)} – ${formatDay(to, lang)}`;
}
