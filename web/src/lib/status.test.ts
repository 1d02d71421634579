import { describe, expect, it } from 'vitest'
import { averageUptime, componentTone, dayTone, fromLocalInput, toLocalInput } from './status'

describe('status helpers', () => {
  it('turns a datetime-local value into UTC and back', () => {
    const iso = fromLocalInput('2099-03-01T10:30')
    expect(iso).toBe(new Date('2099-03-01T10:30').toISOString())
    expect(toLocalInput(iso!)).toBe('2099-03-01T10:30')
    expect(fromLocalInput('')).toBeUndefined()
    expect(fromLocalInput('2099-03-01')).toBeUndefined()
    expect(toLocalInput('not a time')).toBe('')
  })

  it('averages the days that have data; a day without data is grey', () => {
    expect(averageUptime([{ uptime: 100 }, { uptime: null }, { uptime: 90 }])).toBe(95)
    expect(averageUptime([{ uptime: null }])).toBeNull()
    expect(dayTone(null)).toBe('fill-slate-200')
    expect(dayTone(100)).toBe('fill-emerald-500')
    expect(dayTone(80)).toBe('fill-red-500')
  })

  it('names a component state in words', () => {
    expect(componentTone('up').label).toBe('Operational')
    expect(componentTone('down').tone).toBe('red')
    expect(componentTone('maintenance').label).toBe('Maintenance')
    expect(componentTone('pending').label).toBe('No data')
  })
})
