import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { AuditEntry, Role } from '@/api/types'
import { endOfDayIso, startOfDayIso } from '@/lib/dates'
import { listOf } from '@/test/alerts'
import { meAs, mockApi, renderApp, signIn } from '@/test/renderApp'
import { auditEntry } from '@/test/team'

const LOG = '/api/audit-log/'

const rows: AuditEntry[] = [
  auditEntry(),
  auditEntry({
    id: 'a2',
    actor: { type: 'api_key', id: 'k1', email: null },
    action: 'member.removed',
    target: { type: 'member', id: 'u3' },
    ip: null,
    user_agent: null,
    request_id: 'req-2',
    before: { email: 'dev@example.com', role: 'member' },
    after: null,
  }),
]

describe('AuditLogPage', () => {
  let mocks: ReturnType<typeof mockApi>
  let count: number

  function setUp(role: Role = 'owner') {
    signIn({ role })
    mocks.http.onGet('/api/auth/me/').reply(200, meAs(role))
    mocks.http.onGet(LOG).reply(() => [200, listOf(rows, count)])
  }

  beforeEach(() => {
    mocks = mockApi()
    count = rows.length
  })
  afterEach(() => mocks.restore())

  const lastParams = () => mocks.http.history.get.filter((r) => r.url === LOG).at(-1)?.params

  async function rowOf(action: string) {
    const found = (await screen.findAllByTestId('audit-row', {}, { timeout: 10_000 })).find((r) => within(r).queryByText(action))
    if (!found) throw new Error(`no audit row ${action}`)
    return found
  }

  it('lists time, actor, action, target, IP, user agent and request id', async () => {
    setUp()
    renderApp('/audit-log')
    const row = await rowOf('endpoint.updated')
    expect(within(row).getByTestId('audit-actor-type')).toHaveTextContent('User')
    expect(row).toHaveTextContent('owner@example.com')
    expect(row).toHaveTextContent('endpoint')
    expect(row).toHaveTextContent('e1')
    expect(row).toHaveTextContent('203.0.113.7')
    expect(row).toHaveTextContent('Mozilla/5.0 (X11; Linux x86_64) Firefox/127.0')
    expect(row).toHaveTextContent('req-1')
    expect(within(await rowOf('member.removed')).getByTestId('audit-actor-type')).toHaveTextContent('API key')
    expect(lastParams()).toEqual({ page: 1, page_size: 20 })
  })

  it('sends the filters as query parameters, the days as ISO times, and keeps them in the URL', async () => {
    setUp()
    const { router } = renderApp('/audit-log')
    const user = userEvent.setup()
    const form = await screen.findByRole('form', { name: 'Filter the audit log' }, { timeout: 10_000 })
    await user.type(within(form).getByLabelText('Actor'), 'owner@example.com')
    await user.type(within(form).getByLabelText('Action'), 'endpoint.updated')
    await user.type(within(form).getByLabelText('Target type'), 'endpoint')
    await user.type(within(form).getByLabelText('Target id'), 'e1')
    await user.type(within(form).getByLabelText('From'), '2026-01-01')
    await user.type(within(form).getByLabelText('To'), '2026-01-31')
    await user.click(within(form).getByRole('button', { name: 'Apply filters' }))

    await waitFor(() =>
      expect(lastParams()).toEqual({
        page: 1,
        page_size: 20,
        actor: 'owner@example.com',
        action: 'endpoint.updated',
        target_type: 'endpoint',
        target_id: 'e1',
        from: startOfDayIso('2026-01-01'),
        to: endOfDayIso('2026-01-31'),
      }),
    )
    expect(router.state.location.search).toEqual({
      actor: 'owner@example.com',
      action: 'endpoint.updated',
      target_type: 'endpoint',
      target_id: 'e1',
      from: '2026-01-01',
      to: '2026-01-31',
    })
    expect(screen.getByRole('heading', { name: 'Matching changes' })).toBeInTheDocument()

    // The form starts afresh from the URL's filters after each change.
    const applied = screen.getByRole('form', { name: 'Filter the audit log' })
    expect(within(applied).getByLabelText('Action')).toHaveValue('endpoint.updated')
    await user.click(within(applied).getByRole('button', { name: 'Clear filters' }))
    await waitFor(() => expect(lastParams()).toEqual({ page: 1, page_size: 20 }))
  })

  it('refuses an end before the start', async () => {
    setUp()
    const { router } = renderApp('/audit-log')
    const user = userEvent.setup()
    const form = await screen.findByRole('form', { name: 'Filter the audit log' }, { timeout: 10_000 })
    await user.type(within(form).getByLabelText('From'), '2026-02-01')
    await user.type(within(form).getByLabelText('To'), '2026-01-01')
    await user.click(within(form).getByRole('button', { name: 'Apply filters' }))
    expect(await within(form).findByText('The end comes before the start.')).toBeInTheDocument()
    expect(router.state.location.search).toEqual({})
  })

  it('opens a deep link with its filters and page, and pages on', async () => {
    setUp()
    count = 45
    const { router } = renderApp('/audit-log?action=endpoint.updated&page=2')
    await rowOf('endpoint.updated')
    expect(lastParams()).toEqual({ page: 2, page_size: 20, action: 'endpoint.updated' })
    expect(screen.getByText('21–40 of 45')).toBeInTheDocument()
    await userEvent.setup().click(within(screen.getByRole('navigation', { name: 'Audit log pages' })).getByRole('button', { name: 'Next' }))
    await waitFor(() => expect(router.state.location.search).toEqual({ action: 'endpoint.updated', page: 3 }))
    await waitFor(() => expect(lastParams()).toEqual({ page: 3, page_size: 20, action: 'endpoint.updated' }))
  })

  it('expands a row into a before/after diff, field by field, and filters from it', async () => {
    setUp()
    const { router } = renderApp('/audit-log')
    const user = userEvent.setup()
    const row = await rowOf('endpoint.updated')
    const toggle = within(row).getByRole('button', { name: 'Show the changes of endpoint.updated' })
    await user.click(toggle)
    expect(toggle).toHaveAttribute('aria-expanded', 'true')

    const details = (await screen.findAllByTestId('audit-details'))[0]
    const changed = within(details).getAllByTestId('diff-row')
    expect(changed).toHaveLength(1)
    expect(changed[0]).toHaveAttribute('data-kind', 'changed')
    expect(changed[0]).toHaveTextContent('name')
    expect(changed[0]).toHaveTextContent('"API"')
    expect(changed[0]).toHaveTextContent('"Public API"')
    expect(details).toHaveTextContent('1 field changed, 1 unchanged.')
    await user.click(within(details).getByRole('button', { name: 'Show 1 unchanged field' }))
    expect(within(details).getAllByTestId('diff-row')).toHaveLength(2)
    expect(details).toHaveTextContent('req-1')

    await user.click(within(details).getByRole('button', { name: 'Only this target' }))
    await waitFor(() => expect(router.state.location.search).toEqual({ target_type: 'endpoint', target_id: 'e1' }))
  })

  it('says a deletion removed every field', async () => {
    setUp()
    renderApp('/audit-log')
    const user = userEvent.setup()
    await user.click(within(await rowOf('member.removed')).getByRole('button', { name: 'Show the changes of member.removed' }))
    const details = (await screen.findAllByTestId('audit-details'))[0]
    expect(details).toHaveTextContent('Deleted: every field is gone.')
    expect(within(details).getAllByTestId('diff-row').map((r) => r.getAttribute('data-kind'))).toEqual(['removed', 'removed'])
  })

  it('tells a member the log is for owners and admins, without asking the API', async () => {
    setUp('member')
    renderApp('/audit-log')
    expect(await screen.findByTestId('audit-denied', {}, { timeout: 10_000 })).toHaveTextContent('Only an owner or an admin')
    expect(mocks.http.history.get.some((r) => r.url === LOG)).toBe(false)
  })

  it('shows a 400 about a filter, and a 403 as the permission notice', async () => {
    signIn()
    mocks.http.onGet('/api/auth/me/').reply(200, meAs('owner'))
    mocks.http.onGet(LOG).replyOnce(400, { detail: 'Invalid input.', code: 'invalid', errors: { from: ['Use an ISO-8601 time.'] } })
    mocks.http.onGet(LOG).replyOnce(403, { detail: 'Forbidden.', code: 'permission_denied' })
    const { router } = renderApp('/audit-log?from=2026-01-01')
    expect(await screen.findByText('Use an ISO-8601 time.', {}, { timeout: 10_000 })).toBeInTheDocument()
    await router.navigate({ to: '/audit-log', search: {} })
    expect(await screen.findByTestId('audit-denied')).toBeInTheDocument()
  })
})
