import type { Tone } from '@/components/TonePill'
import { humanise } from '@/lib/format'
import { ALERT_TYPES, type AlertSeverity, type AlertType, type ChannelKind, type DeliveryStatus } from '@/api/types'

// Words for the alert and notification enums of the contract, shared by the alerts and
// notifications pages (filters, event checkboxes, the delivery log).

export const ALERT_TYPE_LABELS: Record<AlertType, string> = {
  endpoint_down: 'Endpoint down',
  endpoint_up: 'Endpoint recovered',
  certificate_expiring: 'Certificate expiring',
  payment_failed: 'Payment failed',
  subscription_canceled: 'Subscription cancelled',
  plan_limit_reached: 'Plan limit reached',
}

export function isAlertType(value: unknown): value is AlertType {
  return typeof value === 'string' && (ALERT_TYPES as readonly string[]).includes(value)
}

/** An alert type in words; other event types (a test message) are spelled out as they come. */
export function eventLabel(type: string): string {
  return isAlertType(type) ? ALERT_TYPE_LABELS[type] : humanise(type || 'unknown')
}

/** "All events", or the chosen ones in words. */
export function eventsSummary(events: readonly string[]): string {
  if (ALERT_TYPES.every((type) => events.includes(type))) return 'All events'
  if (!events.length) return 'No events'
  return events.map(eventLabel).join(', ')
}

export const CHANNEL_KIND_LABELS: Record<ChannelKind, string> = {
  email: 'E-mail',
  slack: 'Slack',
  webhook: 'Webhook',
}

export const SEVERITY: Record<AlertSeverity, { label: string; tone: Tone }> = {
  critical: { label: 'Critical', tone: 'red' },
  warning: { label: 'Warning', tone: 'amber' },
  info: { label: 'Info', tone: 'blue' },
}

export const DELIVERY_STATUS: Record<DeliveryStatus, { label: string; tone: Tone }> = {
  sent: { label: 'Sent', tone: 'green' },
  failed: { label: 'Failed', tone: 'red' },
  retrying: { label: 'Retrying', tone: 'amber' },
  debounced: { label: 'Debounced', tone: 'grey' },
  grouped: { label: 'Grouped', tone: 'blue' },
}

export function severityOf(severity: string): { label: string; tone: Tone } {
  return SEVERITY[severity as AlertSeverity] ?? { label: humanise(severity || 'unknown'), tone: 'grey' }
}

/**
 * A delivery's status in words. The API reports a delivery not tried yet (it waits a few
 * seconds, so that a burst can be grouped) as `retrying` with 0 attempts: "Queued" then,
 * since nothing has failed.
 */
export function deliveryStatusOf(status: string, attempts?: number): { label: string; tone: Tone } {
  if (status === 'retrying' && attempts === 0) return { label: 'Queued', tone: 'grey' }
  return DELIVERY_STATUS[status as DeliveryStatus] ?? { label: humanise(status || 'unknown'), tone: 'grey' }
}

/** The bell's badge: "99+" beyond two digits, so it keeps its size. */
export function unreadBadge(count: number): string {
  return count > 99 ? '99+' : String(count)
}

/** The bell's accessible name: "Alerts, 3 unread". */
export function bellLabel(unread: number | undefined): string {
  if (unread === undefined) return 'Alerts'
  return unread === 0 ? 'Alerts, none unread' : `Alerts, ${unread} unread`
}
