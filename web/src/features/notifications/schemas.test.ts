import { describe, expect, it } from 'vitest'
import { ALERT_TYPES } from '@/api/types'
import { channel } from '@/test/alerts'
import { channelPatch, channelSchema, channelValues, NEW_CHANNEL, settingsSchema } from './schemas'

describe('channel form rules', () => {
  it('wants an e-mail address for e-mail and an http(s) URL for Slack and webhooks', () => {
    const ok = (kind: 'email' | 'slack' | 'webhook', target: string) =>
      channelSchema.safeParse({ ...NEW_CHANNEL, name: 'A', kind, target }).success
    expect(ok('email', 'ops@example.com')).toBe(true)
    expect(ok('email', 'https://example.com/')).toBe(false)
    expect(ok('slack', 'https://hooks.slack.com/services/T/B/X')).toBe(true)
    expect(ok('webhook', 'ops@example.com')).toBe(false)
    expect(ok('webhook', 'ftp://example.com/')).toBe(false)
    // http:// is the server's call (allowed for addresses its operator permits).
    expect(ok('webhook', 'http://127.0.0.1:9000/hook')).toBe(true)
  })

  it('patches only what changed, events compared as a set', () => {
    const current = channel({ events: ['endpoint_up', 'endpoint_down'] })
    const values = channelValues(current)
    expect(channelPatch(current, values)).toEqual({})
    expect(channelPatch(current, { ...values, events: ['endpoint_down', 'endpoint_up'] })).toEqual({})
    expect(channelPatch(current, { ...values, enabled: false, events: [...ALERT_TYPES] })).toEqual({
      enabled: false,
      events: [...ALERT_TYPES],
    })
  })

  it('keeps the settings within the contract\'s ranges', () => {
    const ok = (debounce_minutes: number, storm_threshold: number) =>
      settingsSchema.safeParse({ debounce_minutes, storm_threshold }).success
    expect(ok(0, 1)).toBe(true)
    expect(ok(1440, 1000)).toBe(true)
    expect(ok(1441, 5)).toBe(false)
    expect(ok(15, 0)).toBe(false)
    expect(ok(15, 1001)).toBe(false)
    expect(ok(1.5, 5)).toBe(false)
    expect(ok(Number.NaN, 5)).toBe(false)
  })
})
