import { describe, expect, it } from 'vitest'
import { displayName, isPaused, pollInterval } from './endpoint'

describe('endpoint helpers', () => {
  it('names an endpoint after its host when it has no name', () => {
    expect(displayName({ name: '', url: 'https://api.example.com/health' })).toBe('api.example.com')
    expect(displayName({ name: 'API', url: 'https://api.example.com/' })).toBe('API')
  })

  it('reads paused from the field, or from the status in older replies', () => {
    expect(isPaused({ status: 'paused', paused: true })).toBe(true)
    expect(isPaused({ status: 'pending', paused: false })).toBe(false)
    expect(isPaused({ status: 'paused' })).toBe(true)
  })

  it('polls faster while a first check is pending', () => {
    expect(pollInterval([{ status: 'up' }, { status: 'pending' }])).toBe(2_000)
    expect(pollInterval([{ status: 'up' }])).toBe(10_000)
    expect(pollInterval(undefined)).toBe(10_000)
  })
})
