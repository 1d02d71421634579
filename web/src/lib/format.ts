const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
  ['second', 1],
]

/** "12 seconds ago", "in 3 minutes", "never". */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never'
  const time = Date.parse(iso)
  if (Number.isNaN(time)) return '—'
  const seconds = Math.round((time - now) / 1000)
  if (Math.abs(seconds) < 5) return 'just now'
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size || unit === 'second') {
      return relative.format(Math.round(seconds / size), unit)
    }
  }
  return '—'
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})

const checkTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})

/** A check's time without the year: "Nov 21, 04:52:34 PM". */
export function formatCheckTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const time = Date.parse(iso)
  return Number.isNaN(time) ? '—' : checkTime.format(time)
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—'
  const time = Date.parse(iso)
  return Number.isNaN(time) ? '—' : dateTime.format(time)
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' })

/** A compact axis label: the time of day, with the date when the span crosses days. */
export function formatAxisTime(time: number, spanMs: number): string {
  return spanMs > 24 * 3600 * 1000 ? shortDate.format(time) : clock.format(time)
}

export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—'
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`
  return `${Math.round(ms)} ms`
}

/** Uptime arrives as a percentage 0–100. */
export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—'
  if (value >= 100) return '100%'
  return `${value.toFixed(value >= 99 ? 2 : 1)}%`
}

export function formatInterval(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`
  if (seconds % 60 === 0) return `${seconds / 60} min`
  return `${seconds} s`
}

function currencyFormat(currency: string, whole: boolean): Intl.NumberFormat {
  const base = new Intl.NumberFormat(undefined, { style: 'currency', currency: currency.toUpperCase() })
  if (!whole) return base
  return new Intl.NumberFormat(undefined, {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: 0,
    maximumFractionDigits: base.resolvedOptions().maximumFractionDigits,
  })
}

/**
 * An amount in the currency's minor unit (Stripe's convention: cents for USD, yen for
 * JPY) as money: 1900 usd → "$19.00". `trimWhole` drops ".00" from whole amounts ("$19").
 */
export function formatMoney(minor: number, currency: string, { trimWhole = false } = {}): string {
  const code = (currency || 'usd').toUpperCase()
  try {
    const digits = new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions()
      .maximumFractionDigits ?? 2
    const amount = minor / 10 ** digits
    return currencyFormat(code, trimWhole && Number.isInteger(amount)).format(amount)
  } catch {
    return `${(minor / 100).toFixed(2)} ${code}`
  }
}

/** A plan's price: "$19", "$0", "$19.50". */
export function formatPrice(cents: number, currency: string): string {
  return formatMoney(cents, currency, { trimWhole: true })
}

const longDate = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' })

/** "Mar 1, 2026" (in the browser's locale). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—'
  const time = Date.parse(iso)
  return Number.isNaN(time) ? '—' : longDate.format(time)
}

/** A billing period: "Jan 1 – Feb 1, 2026"; one side alone when the other is unknown. */
export function formatPeriod(start: string | null | undefined, end: string | null | undefined): string {
  const from = start ? Date.parse(start) : Number.NaN
  const to = end ? Date.parse(end) : Number.NaN
  if (Number.isNaN(from) && Number.isNaN(to)) return '—'
  if (Number.isNaN(from)) return `until ${longDate.format(to)}`
  if (Number.isNaN(to)) return `from ${longDate.format(from)}`
  try {
    return longDate.formatRange(Math.min(from, to), Math.max(from, to))
  } catch {
    return `${longDate.format(from)} – ${longDate.format(to)}`
  }
}

/** An enum value from the API in words: "past_due" → "Past due". */
export function humanise(value: string): string {
  const words = value.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** How long to wait, for "try again in …": "30 seconds", "1 minute", "45 minutes", "2 hours". */
export function formatWait(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds))
  if (s < 60) return s === 1 ? '1 second' : `${s} seconds`
  const minutes = Math.ceil(s / 60)
  if (minutes <= 90) return minutes === 1 ? '1 minute' : `${minutes} minutes`
  const hours = Math.ceil(minutes / 60)
  return `${hours} hours`
}
