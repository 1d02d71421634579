import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { meReply, mockApi, renderApp, signIn } from '@/test/renderApp'
import { alert, listOf } from '@/test/alerts'
import type { Alert } from '@/api/types'

const ALERTS = '/api/alerts/'

const newest: Alert[] = [
  alert(),
  alert({
    id: 'a2',
    type: 'certificate_expiring',
    severity: 'warning',
    title: 'Certificate of api.example.com expires in 9 days',
    message: '',
    created_at: '2026-01-01T11:00:00Z',
  }),
  alert({
    id: 'a3',
    type: 'payment_failed',
    severity: 'info',
    title: 'A payment failed',
    endpoint_id: null,
    read_at: '2026-01-01T10:30:00Z',
    resolved_at: '2026-01-01T10:40:00Z',
    created_at: '2026-01-01T10:00:00Z',
  }),
]

describe('AlertsPage and the header bell', () => {
  let mocks: ReturnType<typeof mockApi>
  let unread: number

  beforeEach(() => {
    mocks = mockApi()
    signIn()
    unread = 3
    mocks.http.onGet('/api/auth/me/').reply(() => [200, { ...meReply(), unread_alerts: unread }])
  })
  afterEach(() => mocks.restore())

  it('shows the unread count on the bell, which links to /alerts', async () => {
    mocks.http.onGet(ALERTS).reply(200, listOf(newest))
    renderApp('/alerts')

    const bell = await screen.findByRole('link', { name: 'Alerts, 3 unread' })
    expect(bell).toHaveAttribute('href', '/alerts')
    expect(within(bell).getByTestId('alerts-badge')).toHaveTextContent('3')
  })

  it('lists alerts newest first with severity in words and a link to the endpoint', async () => {
    mocks.http.onGet(ALERTS).reply(200, listOf(newest))
    renderApp('/alerts')

    const rows = await screen.findAllByTestId('alert-row')
    expect(rows.map((row) => within(row).getByRole('heading').textContent)).toEqual(newest.map((a) => a.title))
    expect(rows.map((row) => within(row).getByTestId('alert-severity').textContent)).toEqual(['Critical', 'Warning', 'Info'])
    expect(within(rows[0]).getByRole('link', { name: 'View endpoint' })).toHaveAttribute('href', '/endpoints/e1')
    expect(within(rows[2]).queryByRole('link', { name: 'View endpoint' })).not.toBeInTheDocument()
    // Read and resolved: neither action is offered.
    expect(within(rows[2]).queryByRole('button')).not.toBeInTheDocument()
    expect(within(rows[2]).getByTestId('alert-resolved')).toHaveTextContent('Resolved')
    expect(rows[0]).toHaveAttribute('data-unread', 'true')
    expect(mocks.http.history.get.find((r) => r.url === ALERTS)?.params).toEqual({ page: 1, page_size: 20 })
  })

  it('asks /me again when the list is fetched, so a new alert counts at once', async () => {
    // The header loaded /me (0 unread) before this alert came in; the list has it.
    unread = 0
    mocks.http.onGet(ALERTS).reply(() => {
      unread = 1
      return [200, listOf([alert()])]
    })
    renderApp('/alerts')

    expect(await screen.findByRole('link', { name: 'Alerts, 1 unread' })).toBeInTheDocument()
    expect(screen.getByTestId('unread-summary')).toHaveTextContent('1 unread.')
  })

  it('marks one alert read and refreshes the bell from /me', async () => {
    let current = newest
    mocks.http.onGet(ALERTS).reply(() => [200, listOf(current)])
    mocks.http.onPost('/api/alerts/a1/read/').reply(() => {
      current = [{ ...newest[0], read_at: '2026-01-01T12:10:00Z' }, ...newest.slice(1)]
      unread = 2
      return [200, current[0]]
    })
    renderApp('/alerts')
    const user = userEvent.setup()

    await screen.findByRole('link', { name: 'Alerts, 3 unread' })
    const [first] = await screen.findAllByTestId('alert-row')
    await user.click(within(first).getByRole('button', { name: 'Mark read' }))

    expect(await screen.findByRole('link', { name: 'Alerts, 2 unread' })).toBeInTheDocument()
    await waitFor(() => expect(screen.getAllByTestId('alert-row')[0]).not.toHaveAttribute('data-unread'))
    expect(mocks.http.history.post.map((r) => r.url)).toEqual(['/api/alerts/a1/read/'])
  })

  it('marks all read and says how many', async () => {
    mocks.http.onGet(ALERTS).reply(200, listOf(newest))
    mocks.http.onPost('/api/alerts/read-all/').reply(() => {
      unread = 0
      return [200, { updated: 3 }]
    })
    renderApp('/alerts')
    const user = userEvent.setup()

    await screen.findByRole('link', { name: 'Alerts, 3 unread' })
    await user.click(screen.getByRole('button', { name: 'Mark all read' }))

    expect(await screen.findByText('Marked 3 alerts as read.')).toBeInTheDocument()
    expect(await screen.findByRole('link', { name: 'Alerts, none unread' })).toBeInTheDocument()
    expect(screen.queryByTestId('alerts-badge')).not.toBeInTheDocument()
    expect(screen.getByRole('button', { name: 'Mark all read' })).toBeDisabled()
  })

  it('resolves an alert, and shows the API detail when that fails', async () => {
    mocks.http.onGet(ALERTS).reply(200, listOf(newest))
    mocks.http
      .onPost('/api/alerts/a1/resolve/')
      .replyOnce(404, { detail: 'Alert not found.', code: 'not_found' })
      .onPost('/api/alerts/a1/resolve/')
      .replyOnce(200, { ...newest[0], resolved_at: '2026-01-01T12:20:00Z' })
    renderApp('/alerts')
    const user = userEvent.setup()

    const [first] = await screen.findAllByTestId('alert-row')
    await user.click(within(first).getByRole('button', { name: 'Resolve' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Alert not found.')

    await user.click(within(first).getByRole('button', { name: 'Resolve' }))
    await waitFor(() => expect(screen.queryByRole('alert')).not.toBeInTheDocument())
    expect(mocks.http.history.post).toHaveLength(2)
  })

  it('filters by unread and by type through the URL', async () => {
    mocks.http.onGet(ALERTS).reply(200, listOf(newest))
    const { router } = renderApp('/alerts')
    const user = userEvent.setup()

    await screen.findAllByTestId('alert-row')
    await user.click(screen.getByRole('checkbox', { name: 'Unread only' }))
    await waitFor(() => expect(router.state.location.search).toEqual({ unread: true }))
    await user.selectOptions(screen.getByLabelText('Type'), 'Certificate expiring')
    await waitFor(() => expect(router.state.location.search).toEqual({ unread: true, type: 'certificate_expiring' }))

    await waitFor(() =>
      expect(mocks.http.history.get.filter((r) => r.url === ALERTS).map((r) => r.params)).toEqual([
        { page: 1, page_size: 20 },
        { page: 1, page_size: 20, unread: 1 },
        { page: 1, page_size: 20, unread: 1, type: 'certificate_expiring' },
      ]),
    )
    expect(screen.getByRole('heading', { name: 'Unread alerts' })).toBeInTheDocument()
  })

  it('says when no alert matches the filters and offers to clear them', async () => {
    mocks.http.onGet(ALERTS).reply((config) => [200, listOf(config.params?.unread ? [] : newest)])
    const { router } = renderApp('/alerts?unread=1')
    const user = userEvent.setup()

    expect(await screen.findByText('No alerts match these filters')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Show all alerts' }))
    await waitFor(() => expect(router.state.location.search).toEqual({}))
    expect(await screen.findAllByTestId('alert-row')).toHaveLength(3)
  })

  it('pages through the alerts', async () => {
    mocks.http.onGet(ALERTS).reply((config) => [200, listOf(config.params.page === 2 ? [alert({ id: 'a21' })] : newest, 21)])
    renderApp('/alerts')
    const user = userEvent.setup()

    expect(await screen.findByText('1–20 of 21')).toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Next' }))
    expect(await screen.findByText('21–21 of 21')).toBeInTheDocument()
    expect(screen.getAllByTestId('alert-row')).toHaveLength(1)
  })

  it('lets a member mark read and resolve', async () => {
    mocks.http.onGet('/api/auth/me/').reply(200, { ...meReply(), user: { ...meReply().user, role: 'member' }, unread_alerts: 1 })
    mocks.http.onGet(ALERTS).reply(200, listOf([alert()]))
    renderApp('/alerts')

    const [row] = await screen.findAllByTestId('alert-row')
    expect(within(row).getByRole('button', { name: 'Mark read' })).toBeEnabled()
    expect(within(row).getByRole('button', { name: 'Resolve' })).toBeEnabled()
  })
})
