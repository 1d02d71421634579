import { describe, expect, it } from 'vitest'
import { endOfDayIso, formatMonth, isDate, isMonth, startOfDayIso, todayDate } from './dates'

describe('dates', () => {
  it('turns a typed day into the first and last moment of that local day, in UTC', () => {
    const start = startOfDayIso('2026-03-01') as string
    const end = endOfDayIso('2026-03-01') as string
    expect(new Date(start).getDate()).toBe(1)
    expect(new Date(start).getHours()).toBe(0)
    expect(new Date(end).getHours()).toBe(23)
    expect(Date.parse(end) - Date.parse(start)).toBe(24 * 3600_000 - 1)
    expect(start.endsWith('Z')).toBe(true)
  })

  it('refuses what is not a real day or month', () => {
    expect(isDate('2026-02-30')).toBe(false)
    expect(isDate('2026-2-3')).toBe(false)
    expect(isDate('2026-02-28')).toBe(true)
    expect(startOfDayIso('soon')).toBeUndefined()
    expect(isMonth('2026-13')).toBe(false)
    expect(isMonth('2026-01')).toBe(true)
  })

  it('writes today as a date input does, and months in words', () => {
    expect(todayDate(new Date(2026, 0, 5, 23, 30))).toBe('2026-01-05')
    expect(formatMonth('2026-03')).toMatch(/2026/)
    expect(formatMonth('later')).toBe('later')
  })
})
