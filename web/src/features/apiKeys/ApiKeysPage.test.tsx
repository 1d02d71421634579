import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { ApiKey, Role } from '@/api/types'
import { endOfDayIso } from '@/lib/dates'
import { listOf } from '@/test/alerts'
import { meAs, mockApi, renderApp, signIn } from '@/test/renderApp'
import { apiKey } from '@/test/team'

const KEYS = '/api/api-keys/'
const SECRET = 'sw_Xr5Tb2Wm.4f9c1e7a2b8d6f3c0e5a9b7d1c4f8e2a'

describe('ApiKeysPage', () => {
  let mocks: ReturnType<typeof mockApi>
  let keys: ApiKey[]

  function setUp(role: Role = 'owner') {
    signIn({ role })
    mocks.http.onGet('/api/auth/me/').reply(200, meAs(role))
    mocks.http.onGet(KEYS).reply(() => [200, listOf(keys)])
  }

  beforeEach(() => {
    mocks = mockApi()
    keys = [
      apiKey(),
      apiKey({ id: 'k2', name: 'Grafana', prefix: 'sw_efgh5678', scope: 'write', last_used_at: '2026-01-03T12:00:00Z', expires_at: '2020-01-01T00:00:00Z' }),
    ]
  })
  afterEach(() => mocks.restore())

  async function rowOf(name: string) {
    const rows = await screen.findAllByTestId('api-key-row', {}, { timeout: 10_000 })
    const row = rows.find((r) => within(r).queryByText(name))
    if (!row) throw new Error(`no key row ${name}`)
    return row
  }

  it('lists the keys: name, prefix, scope, created, last used and expiry', async () => {
    setUp()
    renderApp('/settings/api-keys')
    const first = await rowOf('Deploy pipeline')
    expect(first).toHaveTextContent('sw_abcd1234…')
    expect(within(first).getByTestId('api-key-scope')).toHaveTextContent('Read')
    expect(first).toHaveTextContent('Never')
    const other = await rowOf('Grafana')
    expect(within(other).getByTestId('api-key-scope')).toHaveTextContent('Write')
    expect(within(other).getByTestId('api-key-expired')).toBeInTheDocument()
    expect(mocks.http.history.get.find((r) => r.url === KEYS)?.params).toEqual({ page: 1, page_size: 20 })
  })

  it('creates a key and shows it once, with a copy button and a clear warning', async () => {
    setUp()
    mocks.http.onPost(KEYS).reply((config) => {
      const body = JSON.parse(config.data)
      const created = apiKey({ id: 'k3', name: body.name, scope: body.scope, prefix: 'sw_Xr5Tb2Wm', expires_at: body.expires_at ?? null })
      keys = [created, ...keys]
      return [201, { ...created, key: SECRET }]
    })
    const { queryClient } = renderApp('/settings/api-keys')
    const user = userEvent.setup()

    const form = await screen.findByRole('form', { name: 'Create an API key' }, { timeout: 10_000 })
    await user.type(within(form).getByLabelText('Name'), 'Terraform')
    await user.click(within(form).getByRole('radio', { name: /Write/ }))
    await user.type(within(form).getByLabelText('Expires on (optional)'), '2099-03-01')
    await user.click(within(form).getByRole('button', { name: 'Create key' }))

    const notice = await screen.findByTestId('new-api-key')
    expect(notice).toHaveTextContent('you will not see it again')
    expect(within(notice).getByLabelText('New API key')).toHaveValue(SECRET)
    expect(JSON.parse(mocks.http.history.post[0].data)).toEqual({ name: 'Terraform', scope: 'write', expires_at: endOfDayIso('2099-03-01') })
    expect(await rowOf('Terraform')).toBeInTheDocument()
    // The key is in the notice only: neither the list nor the mutation cache keeps it.
    expect(JSON.stringify(queryClient.getQueryCache().getAll().map((q) => q.state.data))).not.toContain(SECRET)
    await waitFor(() => expect(JSON.stringify(queryClient.getMutationCache().getAll().map((m) => m.state.data))).not.toContain(SECRET))

    await user.click(within(notice).getByRole('button', { name: 'Copy' }))
    expect(await within(notice).findByText('Copied to the clipboard.')).toBeInTheDocument()
    await expect(navigator.clipboard.readText()).resolves.toBe(SECRET)
    await user.click(within(notice).getByRole('button', { name: 'Done' }))
    expect(screen.queryByTestId('new-api-key')).not.toBeInTheDocument()
  })

  it('leaves expires_at out for a key that never expires, and puts API field errors under their fields', async () => {
    setUp()
    mocks.http
      .onPost(KEYS)
      .replyOnce(400, { detail: 'Invalid input.', code: 'invalid', errors: { name: ['A key with this name exists.'], expires_at: ['Too far away.'] } })
    renderApp('/settings/api-keys')
    const user = userEvent.setup()

    const form = await screen.findByRole('form', { name: 'Create an API key' }, { timeout: 10_000 })
    await user.click(within(form).getByRole('button', { name: 'Create key' }))
    expect(await within(form).findByText('Give the key a name.')).toBeInTheDocument()
    expect(mocks.http.history.post).toHaveLength(0)
    await user.type(within(form).getByLabelText('Name'), 'Deploy pipeline')
    await user.click(within(form).getByRole('button', { name: 'Create key' }))
    await waitFor(() => expect(within(form).getByLabelText('Name')).toHaveAccessibleDescription('A key with this name exists.'))
    expect(within(form).getByLabelText('Expires on (optional)')).toHaveAccessibleDescription('Too far away.')
    expect(JSON.parse(mocks.http.history.post[0].data)).toEqual({ name: 'Deploy pipeline', scope: 'read' })
  })

  it('refuses an expiry day in the past before sending', async () => {
    setUp()
    renderApp('/settings/api-keys')
    const user = userEvent.setup()
    const form = await screen.findByRole('form', { name: 'Create an API key' }, { timeout: 10_000 })
    await user.type(within(form).getByLabelText('Name'), 'Old')
    await user.type(within(form).getByLabelText('Expires on (optional)'), '2020-01-01')
    await user.click(within(form).getByRole('button', { name: 'Create key' }))
    expect(await within(form).findByText('Choose today or a later day.')).toBeInTheDocument()
    expect(mocks.http.history.post).toHaveLength(0)
  })

  it('revokes a key after a confirmation', async () => {
    setUp()
    mocks.http.onDelete(`${KEYS}k1/`).reply(() => {
      keys = keys.filter((k) => k.id !== 'k1')
      return [204]
    })
    renderApp('/settings/api-keys')
    const user = userEvent.setup()

    await user.click(within(await rowOf('Deploy pipeline')).getByRole('button', { name: 'Revoke Deploy pipeline' }))
    const dialog = await screen.findByRole('alertdialog')
    expect(dialog).toHaveTextContent('stops working at once')
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }))
    await waitFor(() => expect(screen.queryAllByText('Deploy pipeline')).toHaveLength(0))
    expect(mocks.http.history.delete[0].url).toBe(`${KEYS}k1/`)
  })

  it('tells a member the page is for owners and admins, without asking the API', async () => {
    setUp('member')
    renderApp('/settings/api-keys')
    expect(await screen.findByTestId('api-keys-denied', {}, { timeout: 10_000 })).toHaveTextContent('Owners and admins only')
    expect(screen.queryByRole('form', { name: 'Create an API key' })).not.toBeInTheDocument()
    expect(mocks.http.history.get.some((r) => r.url === KEYS)).toBe(false)
  })

  it('says the same when the server answers 403', async () => {
    setUp()
    mocks.http.onGet(KEYS).reply(403, { detail: 'Forbidden.', code: 'permission_denied' })
    renderApp('/settings/api-keys')
    expect(await screen.findByTestId('api-keys-denied', {}, { timeout: 10_000 })).toBeInTheDocument()
  })
})
