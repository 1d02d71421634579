import { describe, expect, it } from 'vitest'
import { nearestIndex, toPoints, yAxis } from './scale'
import type { CheckResult } from '@/api/types'

function check(checked_at: string, latency_ms: number | null, ok = true): CheckResult {
  return { checked_at, ok, latency_ms, status_code: ok ? 200 : null, dns_ms: null, connect_ms: null, tls_ms: null, ttfb_ms: null, error: null }
}

describe('latency chart scales', () => {
  it('picks round y ticks that cover the maximum', () => {
    expect(yAxis(42)).toEqual({ max: 60, ticks: [0, 20, 40, 60] })
    expect(yAxis(620)).toEqual({ max: 800, ticks: [0, 200, 400, 600, 800] })
    expect(yAxis(0).ticks[0]).toBe(0)
  })

  it('orders checks oldest first and finds the nearest point', () => {
    const points = toPoints([
      check('2026-01-01T00:02:00Z', 30),
      check('2026-01-01T00:00:00Z', 10),
      check('2026-01-01T00:01:00Z', null, false),
    ])
    expect(points.map((p) => p.latency)).toEqual([10, null, 30])
    expect(nearestIndex(points, Date.parse('2026-01-01T00:01:40Z'))).toBe(2)
    expect(nearestIndex(points, Date.parse('2026-01-01T00:00:20Z'))).toBe(0)
  })
})
