/** Dates typed in forms (YYYY-MM-DD, YYYY-MM) and the ISO-8601 UTC times the API takes. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/

function two(n: number): string {
  return String(n).padStart(2, '0')
}

/** Today in the browser's time zone, as a date input writes it. */
export function todayDate(now: Date = new Date()): string {
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`
}

function parseDate(value: string): { y: number; m: number; d: number } | null {
  const match = DATE.exec(value)
  if (!match) return null
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const probe = new Date(y, m - 1, d)
  return probe.getFullYear() === y && probe.getMonth() === m - 1 && probe.getDate() === d ? { y, m, d } : null
}

export function isDate(value: unknown): value is string {
  return typeof value === 'string' && parseDate(value) !== null
}

/** The first moment of that day in the browser's time zone, in UTC: "2026-03-01" → "2026-02-28T23:00:00.000Z" in Paris. */
export function startOfDayIso(value: string): string | undefined {
  const date = parseDate(value)
  return date ? new Date(date.y, date.m - 1, date.d, 0, 0, 0, 0).toISOString() : undefined
}

/** The last moment of that day in the browser's time zone, in UTC: a key "expiring on" a day works all that day. */
export function endOfDayIso(value: string): string | undefined {
  const date = parseDate(value)
  return date ? new Date(date.y, date.m - 1, date.d, 23, 59, 59, 999).toISOString() : undefined
}

export function isMonth(value: unknown): value is string {
  return typeof value === 'string' && MONTH.test(value)
}

/** "2026-03" → "Mar 2026"; anything else as it is. */
export function formatMonth(value: string, style: 'short' | 'long' = 'short'): string {
  const match = MONTH.exec(value)
  if (!match) return value
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1))
  return new Intl.DateTimeFormat(undefined, { month: style, year: 'numeric', timeZone: 'UTC' }).format(date)
}
