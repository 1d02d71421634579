import { describe, expect, it } from 'vitest'
import { ALERT_TYPES } from '@/api/types'
import { bellLabel, deliveryStatusOf, eventLabel, eventsSummary, severityOf, unreadBadge } from './alerts'

describe('alert words', () => {
  it('names the bell for screen readers and caps its badge', () => {
    expect(bellLabel(3)).toBe('Alerts, 3 unread')
    expect(bellLabel(0)).toBe('Alerts, none unread')
    expect(bellLabel(undefined)).toBe('Alerts')
    expect(unreadBadge(7)).toBe('7')
    expect(unreadBadge(120)).toBe('99+')
  })

  it('sums up a channel\'s events', () => {
    expect(eventsSummary([...ALERT_TYPES].reverse())).toBe('All events')
    expect(eventsSummary(['endpoint_down', 'payment_failed'])).toBe('Endpoint down, Payment failed')
    expect(eventsSummary([])).toBe('No events')
  })

  it('spells out values the contract does not list instead of failing', () => {
    expect(eventLabel('test')).toBe('Test')
    expect(eventLabel('endpoint_up')).toBe('Endpoint recovered')
    expect(severityOf('critical')).toEqual({ label: 'Critical', tone: 'red' })
    expect(severityOf('notice')).toEqual({ label: 'Notice', tone: 'grey' })
    expect(deliveryStatusOf('grouped')).toEqual({ label: 'Grouped', tone: 'blue' })
    expect(deliveryStatusOf('queued')).toEqual({ label: 'Queued', tone: 'grey' })
    // Not tried yet (the API says retrying with 0 attempts): nothing has failed.
    expect(deliveryStatusOf('retrying', 0)).toEqual({ label: 'Queued', tone: 'grey' })
    expect(deliveryStatusOf('retrying', 1)).toEqual({ label: 'Retrying', tone: 'amber' })
  })
})
