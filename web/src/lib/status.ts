import type { IncidentImpact, IncidentStatus, OverallStatus, SubscriberState } from '@/api/types'
import type { Tone } from '@/components/TonePill'

export const OVERALL: Record<OverallStatus, { label: string; tone: Tone }> = {
  operational: { label: 'All systems operational', tone: 'green' },
  degraded: { label: 'Degraded performance', tone: 'amber' },
  major_outage: { label: 'Major outage', tone: 'red' },
  maintenance: { label: 'Under maintenance', tone: 'blue' },
}

/** A component's state on the public page (an endpoint's status, or the page's words). */
export function componentTone(status: string): { label: string; tone: Tone } {
  switch (status) {
    case 'up':
    case 'operational':
      return { label: 'Operational', tone: 'green' }
    case 'degraded':
      return { label: 'Degraded', tone: 'amber' }
    case 'down':
    case 'major_outage':
      return { label: 'Outage', tone: 'red' }
    case 'maintenance':
      return { label: 'Maintenance', tone: 'blue' }
    default:
      return { label: 'No data', tone: 'grey' }
  }
}

export const INCIDENT_STATUS_LABELS: Record<IncidentStatus, { label: string; tone: Tone }> = {
  investigating: { label: 'Investigating', tone: 'red' },
  identified: { label: 'Identified', tone: 'amber' },
  monitoring: { label: 'Monitoring', tone: 'blue' },
  resolved: { label: 'Resolved', tone: 'green' },
}

export function incidentStatus(status: string): { label: string; tone: Tone } {
  return INCIDENT_STATUS_LABELS[status as IncidentStatus] ?? { label: status, tone: 'grey' }
}

export const IMPACT_LABELS: Record<IncidentImpact, { label: string; tone: Tone }> = {
  none: { label: 'No impact', tone: 'grey' },
  minor: { label: 'Minor', tone: 'amber' },
  major: { label: 'Major', tone: 'red' },
  critical: { label: 'Critical', tone: 'red' },
}

export function impactLabel(impact: string): { label: string; tone: Tone } {
  return IMPACT_LABELS[impact as IncidentImpact] ?? { label: impact, tone: 'grey' }
}

export const SUBSCRIBER_LABELS: Record<SubscriberState, { label: string; tone: Tone }> = {
  pending: { label: 'Pending', tone: 'amber' },
  confirmed: { label: 'Confirmed', tone: 'green' },
  unsubscribed: { label: 'Unsubscribed', tone: 'grey' },
}

/** A day's uptime bar colour; grey for a day without checks. */
export function dayTone(uptime: number | null): string {
  if (uptime === null) return 'fill-slate-200'
  if (uptime >= 99.9) return 'fill-emerald-500'
  if (uptime >= 99) return 'fill-lime-500'
  if (uptime >= 95) return 'fill-amber-500'
  return 'fill-red-500'
}

/** The mean of the days that have a value, or null when none has. */
export function averageUptime(days: { uptime: number | null }[]): number | null {
  const values = days.map((d) => d.uptime).filter((v): v is number => typeof v === 'number')
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null
}

const pad = (n: number) => String(n).padStart(2, '0')

/** An ISO time as a datetime-local input's value, in the browser's time zone. */
export function toLocalInput(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return ''
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`
}

/** A datetime-local input's value (browser time zone) as ISO-8601 UTC; undefined when it is no time. */
export function fromLocalInput(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return undefined
  const time = new Date(value).getTime()
  return Number.isNaN(time) ? undefined : new Date(time).toISOString()
}

export const MAX_MAINTENANCE_MS = 7 * 24 * 3600 * 1000

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** "Dec 3, 2026, 5:55 PM": incidents and windows need no seconds. */
export function formatWhen(iso: string | null | undefined): string {
  if (!iso) return '—'
  const time = Date.parse(iso)
  return Number.isNaN(time) ? '—' : when.format(time)
}
