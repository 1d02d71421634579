import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mockApi, signIn } from '@/test/renderApp'
import { alert, listOf } from '@/test/alerts'
import { listAlerts, markAlertRead, markAllAlertsRead, resolveAlert } from './alerts'

describe('alerts api', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
    signIn()
  })
  afterEach(() => mocks.restore())

  it('lists a page with only the filters that are set', async () => {
    mocks.http.onGet('/api/alerts/').reply(200, listOf([alert()], 41))

    const page = await listAlerts({ page: 3, pageSize: 20 })

    expect(page.count).toBe(41)
    expect(page.results[0].id).toBe('a1')
    expect(mocks.http.history.get[0].params).toEqual({ page: 3, page_size: 20 })
    expect(mocks.http.history.get[0].headers?.Authorization).toBe('Bearer access-1')
  })

  it('sends unread=1 and the type when filtering', async () => {
    mocks.http.onGet('/api/alerts/').reply(200, listOf([]))
    await listAlerts({ page: 1, pageSize: 20, unread: true, type: 'certificate_expiring' })
    expect(mocks.http.history.get[0].params).toEqual({ page: 1, page_size: 20, unread: 1, type: 'certificate_expiring' })
  })

  it('marks one alert read, all alerts read, and resolves one', async () => {
    mocks.http.onPost('/api/alerts/a%2F1/read/').reply(200, alert({ id: 'a/1', read_at: '2026-01-01T12:05:00Z' }))
    mocks.http.onPost('/api/alerts/read-all/').reply(200, { updated: 7 })
    mocks.http.onPost('/api/alerts/a1/resolve/').reply(200, alert({ resolved_at: '2026-01-01T12:06:00Z' }))

    // Ids are escaped into the path.
    expect((await markAlertRead('a/1')).read_at).toBe('2026-01-01T12:05:00Z')
    expect(await markAllAlertsRead()).toEqual({ updated: 7 })
    expect((await resolveAlert('a1')).resolved_at).toBe('2026-01-01T12:06:00Z')
    expect(mocks.http.history.post.map((r) => r.url)).toEqual([
      '/api/alerts/a%2F1/read/',
      '/api/alerts/read-all/',
      '/api/alerts/a1/resolve/',
    ])
  })

  it('rejects with the contract error for an unknown alert', async () => {
    mocks.http.onPost('/api/alerts/gone/read/').reply(404, { detail: 'Not found.', code: 'not_found' })
    await expect(markAlertRead('gone')).rejects.toMatchObject({ response: { status: 404, data: { code: 'not_found' } } })
  })
})
