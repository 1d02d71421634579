import { describe, expect, it } from 'vitest'
import { formatInterval, formatLatency, formatPercent, formatRelative } from './format'

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
})
