import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mockApi, signIn } from '@/test/renderApp'
import { channel, delivery, listOf } from '@/test/alerts'
import {
  createChannel,
  deleteChannel,
  getNotificationSettings,
  listChannels,
  listDeliveryLog,
  sendTestMessage,
  updateChannel,
  updateNotificationSettings,
} from './notifications'

describe('notifications api', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
    signIn()
  })
  afterEach(() => mocks.restore())

  it('lists channels by page', async () => {
    mocks.http.onGet('/api/notifications/channels/').reply(200, listOf([channel()]))
    const page = await listChannels(1, 100)
    expect(page.results).toEqual([channel()])
    expect(mocks.http.history.get[0].params).toEqual({ page: 1, page_size: 100 })
  })

  it('creates a webhook channel and hands back its one-time secret', async () => {
    const created = { ...channel({ id: 'c2', kind: 'webhook', target: 'https://hooks.example.com/sw' }), secret: 'whsec_abc' }
    mocks.http.onPost('/api/notifications/channels/').reply(201, created)

    const input = { kind: 'webhook', name: 'Ops hook', target: 'https://hooks.example.com/sw', events: ['endpoint_down'], enabled: true } as const
    const reply = await createChannel({ ...input, events: [...input.events] })

    expect(reply.secret).toBe('whsec_abc')
    expect(JSON.parse(mocks.http.history.post[0].data)).toEqual(input)
  })

  it('patches, deletes and tests one channel', async () => {
    mocks.http.onPatch('/api/notifications/channels/c1/').reply(200, channel({ enabled: false }))
    mocks.http.onDelete('/api/notifications/channels/c1/').reply(204)
    mocks.http.onPost('/api/notifications/channels/c1/test/').reply(202)

    expect((await updateChannel('c1', { enabled: false })).enabled).toBe(false)
    await expect(deleteChannel('c1')).resolves.toBeUndefined()
    await expect(sendTestMessage('c1')).resolves.toBeUndefined()
    expect(JSON.parse(mocks.http.history.patch[0].data)).toEqual({ enabled: false })
  })

  it('reads and replaces the delivery settings', async () => {
    mocks.http.onGet('/api/notifications/settings/').reply(200, { debounce_minutes: 15, storm_threshold: 5 })
    mocks.http.onPut('/api/notifications/settings/').reply((config) => [200, JSON.parse(config.data)])

    expect(await getNotificationSettings()).toEqual({ debounce_minutes: 15, storm_threshold: 5 })
    expect(await updateNotificationSettings({ debounce_minutes: 0, storm_threshold: 1000 })).toEqual({
      debounce_minutes: 0,
      storm_threshold: 1000,
    })
  })

  it('reads the delivery log, for one channel when asked', async () => {
    mocks.http.onGet('/api/notifications/log/').reply(200, listOf([delivery()]))

    await listDeliveryLog({ page: 2, pageSize: 20 })
    const page = await listDeliveryLog({ page: 1, pageSize: 20, channel: 'c1' })

    expect(page.results[0].status).toBe('sent')
    expect(mocks.http.history.get.map((r) => r.params)).toEqual([
      { page: 2, page_size: 20 },
      { page: 1, page_size: 20, channel: 'c1' },
    ])
  })

  it('rejects with field errors on a bad target', async () => {
    mocks.http.onPost('/api/notifications/channels/').reply(400, {
      detail: 'Invalid input.',
      code: 'invalid',
      errors: { target: ['Use an https:// URL.'] },
    })
    await expect(createChannel({ kind: 'slack', name: 'S', target: 'http://x' })).rejects.toMatchObject({
      response: { status: 400, data: { errors: { target: ['Use an https:// URL.'] } } },
    })
  })
})
