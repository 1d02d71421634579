import { describe, expect, it } from 'vitest'
import { diffJson, formatJsonValue } from './jsonDiff'

describe('diffJson', () => {
  it('compares field by field, nested objects by dotted path, arrays as a whole', () => {
    const rows = diffJson(
      { name: 'API', interval_seconds: 60, settings: { retries: 2, tags: ['a'] }, paused: false },
      { name: 'Public API', interval_seconds: 60, settings: { retries: 3, tags: ['a', 'b'] }, keyword: 'ok' },
    )
    expect(rows).toEqual([
      { path: 'name', kind: 'changed', before: 'API', after: 'Public API' },
      { path: 'interval_seconds', kind: 'same', before: 60, after: 60 },
      { path: 'settings.retries', kind: 'changed', before: 2, after: 3 },
      { path: 'settings.tags', kind: 'changed', before: ['a'], after: ['a', 'b'] },
      { path: 'paused', kind: 'removed', before: false },
      { path: 'keyword', kind: 'added', after: 'ok' },
    ])
  })

  it('treats a created object (before null) as all added, a deleted one as all removed', () => {
    expect(diffJson(null, { role: 'admin' })).toEqual([{ path: 'role', kind: 'added', after: 'admin' }])
    expect(diffJson({ role: 'admin' }, null)).toEqual([{ path: 'role', kind: 'removed', before: 'admin' }])
    expect(diffJson(null, null)).toEqual([])
  })

  it('compares plain values under an empty path', () => {
    expect(diffJson('free', 'pro')).toEqual([{ path: '', kind: 'changed', before: 'free', after: 'pro' }])
  })

  it('tells a string "null" from null', () => {
    expect(formatJsonValue('null')).toBe('"null"')
    expect(formatJsonValue(null)).toBe('null')
    expect(formatJsonValue(undefined)).toBe('—')
  })
})
