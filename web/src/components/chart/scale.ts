import type { CheckResult } from '@/api/types'

export interface ChartPoint {
  time: number
  latency: number | null
  ok: boolean
  check: CheckResult
}

/** Rounds up to 1, 2 or 5 × 10^n. */
export function niceCeiling(value: number): number {
  if (!(value > 0)) return 1
  const magnitude = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 5, 10]) {
    if (value <= step * magnitude) return step * magnitude
  }
  return 10 * magnitude
}

/** A y axis from 0 with about four round steps that covers `max` (e.g. 42 → 0, 20, 40, 60). */
export function yAxis(max: number): { max: number; ticks: number[] } {
  const step = niceCeiling((max > 0 ? max : 100) / 4)
  const top = Math.max(step, Math.ceil(max / step) * step)
  const ticks: number[] = []
  for (let tick = 0; tick <= top + step / 2; tick += step) ticks.push(tick)
  return { max: top, ticks }
}

/** Checks as points in time order (the API answers newest first). */
export function toPoints(checks: CheckResult[]): ChartPoint[] {
  return checks
    .map((check) => ({ time: Date.parse(check.checked_at), latency: check.latency_ms, ok: check.ok, check }))
    .filter((point) => !Number.isNaN(point.time))
    .sort((a, b) => a.time - b.time)
}

/** The index of the point nearest in time, by binary search over sorted points. */
export function nearestIndex(points: ChartPoint[], time: number): number {
  let low = 0
  let high = points.length - 1
  while (low < high) {
    const mid = (low + high) >> 1
    if (points[mid].time < time) low = mid + 1
    else high = mid
  }
  if (low > 0 && Math.abs(points[low - 1].time - time) <= Math.abs(points[low].time - time)) return low - 1
  return low
}
