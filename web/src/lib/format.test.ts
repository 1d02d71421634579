import { describe, expect, it } from 'vitest'
import { formatInterval, formatLatency, formatMoney, formatPercent, formatPeriod, formatPrice, formatRelative, formatWait } from './format'

describe('format', () => {
  const now = Date.parse('2026-01-01T12:00:00Z')

  it('says how long ago a check ran', () => {
    expect(formatRelative(null, now)).toBe('never')
    expect(formatRelative('2026-01-01T11:59:58Z', now)).toBe('just now')
    expect(formatRelative('2026-01-01T11:59:30Z', now)).toBe('30 seconds ago')
    expect(formatRelative('2026-01-01T11:57:00Z', now)).toBe('3 minutes ago')
    expect(formatRelative('2026-01-01T09:00:00Z', now)).toBe('3 hours ago')
  })

  it('formats latency, uptime and intervals', () => {
    expect(formatLatency(182.4)).toBe('182 ms')
    expect(formatLatency(1530)).toBe('1.5 s')
    expect(formatLatency(null)).toBe('—')
    expect(formatPercent(99.987)).toBe('99.99%')
    expect(formatPercent(93.44)).toBe('93.4%')
    expect(formatPercent(100)).toBe('100%')
    expect(formatPercent(null)).toBe('—')
    expect(formatInterval(60)).toBe('1 min')
    expect(formatInterval(30)).toBe('30 s')
    expect(formatInterval(3600)).toBe('1 h')
  })

  it('formats money in the currency\'s minor unit', () => {
    expect(formatMoney(1900, 'usd')).toBe('$19.00')
    expect(formatMoney(2550, 'EUR')).toBe('€25.50')
    expect(formatMoney(1500, 'jpy')).toBe('¥1,500')
    expect(formatPrice(1900, 'usd')).toBe('$19')
    expect(formatPrice(0, 'usd')).toBe('$0')
    expect(formatPrice(1950, 'usd')).toBe('$19.50')
    expect(formatMoney(100, 'not-a-currency')).toBe('1.00 NOT-A-CURRENCY')
  })

  it('formats a billing period', () => {
    expect(formatPeriod('2026-01-01T12:00:00Z', '2026-02-01T12:00:00Z')).toMatch(/^Jan 1\s–\sFeb 1, 2026$/)
    expect(formatPeriod(null, '2026-02-01T12:00:00Z')).toBe('until Feb 1, 2026')
    expect(formatPeriod(null, null)).toBe('—')
  })

  it('says how long to wait before trying again', () => {
    expect(formatWait(1)).toBe('1 second')
    expect(formatWait(45)).toBe('45 seconds')
    expect(formatWait(60)).toBe('1 minute')
    expect(formatWait(61)).toBe('2 minutes')
    expect(formatWait(1740)).toBe('29 minutes')
    expect(formatWait(3600)).toBe('60 minutes')
    expect(formatWait(7200)).toBe('2 hours')
  })
})
