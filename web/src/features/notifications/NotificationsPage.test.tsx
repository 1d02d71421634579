import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { meReply, mockApi, renderApp, signIn } from '@/test/renderApp'
import { channel, delivery, listOf } from '@/test/alerts'
import { ALERT_TYPES, type Channel, type Role } from '@/api/types'

const CHANNELS = '/api/notifications/channels/'
const SETTINGS = '/api/notifications/settings/'
const LOG = '/api/notifications/log/'

const slack = channel({
  id: 'c2',
  kind: 'slack',
  name: 'Ops Slack',
  target: 'https://hooks.slack.com/services/T000/B000/XXXX',
  events: ['endpoint_down', 'endpoint_up'],
  enabled: false,
})

describe('NotificationsPage', () => {
  let mocks: ReturnType<typeof mockApi>
  let channels: Channel[]

  function setUp(role: Role = 'owner') {
    mocks.http.onGet('/api/auth/me/').reply(200, { ...meReply(), user: { ...meReply().user, role }, unread_alerts: 0 })
    mocks.http.onGet(CHANNELS).reply(() => [200, listOf(channels)])
    mocks.http.onGet(SETTINGS).reply(200, { debounce_minutes: 15, storm_threshold: 5 })
    mocks.http.onGet(LOG).reply(200, listOf([]))
  }

  beforeEach(() => {
    mocks = mockApi()
    signIn()
    channels = [channel(), slack]
  })
  afterEach(() => mocks.restore())

  async function rowOf(name: string) {
    const rows = await screen.findAllByTestId('channel-row')
    const row = rows.find((r) => within(r).queryByRole('heading', { name }))
    if (!row) throw new Error(`no channel row ${name}`)
    return row
  }

  it('lists the channels with kind, target, events and state', async () => {
    setUp()
    renderApp('/notifications')

    const email = await rowOf('On-call')
    expect(email).toHaveTextContent('E-mail')
    expect(email).toHaveTextContent('oncall@example.com')
    expect(email).toHaveTextContent('All events')
    expect(within(email).getByTestId('channel-state')).toHaveTextContent('Enabled')
    const other = await rowOf('Ops Slack')
    expect(other).toHaveTextContent('Endpoint down, Endpoint recovered')
    expect(within(other).getByTestId('channel-state')).toHaveTextContent('Disabled')
    expect(within(other).getByRole('button', { name: 'Enable' })).toBeInTheDocument()
    expect(mocks.http.history.get.find((r) => r.url === CHANNELS)?.params).toEqual({ page: 1, page_size: 100 })
  })

  it('adds a webhook and shows its secret once, with a warning', async () => {
    setUp()
    mocks.http.onPost(CHANNELS).reply((config) => {
      const body = JSON.parse(config.data)
      const created = channel({ ...body, id: 'c3' })
      channels = [...channels, created]
      return [201, { ...created, secret: 'whsec_0123456789abcdef' }]
    })
    const { queryClient } = renderApp('/notifications')
    const user = userEvent.setup()

    const form = await screen.findByRole('form', { name: 'Add a channel' })
    await user.selectOptions(within(form).getByLabelText('Kind'), 'Webhook')
    await user.type(within(form).getByLabelText('Name'), 'Pager bridge')
    await user.type(within(form).getByLabelText('Webhook URL'), 'https://hooks.example.com/statuswatch')
    await user.click(within(form).getByRole('button', { name: 'Add channel' }))

    const notice = await screen.findByTestId('webhook-secret')
    expect(notice).toHaveTextContent('it will not be shown again')
    expect(within(notice).getByLabelText('Webhook signing secret')).toHaveValue('whsec_0123456789abcdef')
    expect(JSON.parse(mocks.http.history.post[0].data)).toEqual({
      kind: 'webhook',
      name: 'Pager bridge',
      target: 'https://hooks.example.com/statuswatch',
      events: [...ALERT_TYPES],
      enabled: true,
    })
    expect(await rowOf('Pager bridge')).toBeInTheDocument()
    // The secret lives in the notice only, never in the cached channel list.
    expect(JSON.stringify(queryClient.getQueryCache().getAll().map((q) => q.state.data))).not.toContain('whsec_')

    await user.click(within(notice).getByRole('button', { name: 'Copy' }))
    expect(await within(notice).findByText('Copied to the clipboard.')).toBeInTheDocument()
    await expect(navigator.clipboard.readText()).resolves.toBe('whsec_0123456789abcdef')
    await user.click(within(notice).getByRole('button', { name: 'Done' }))
    expect(screen.queryByTestId('webhook-secret')).not.toBeInTheDocument()
    expect(within(form).getByLabelText('Name')).toHaveValue('')
  })

  it('checks the form before sending: e-mail syntax, at least one event', async () => {
    setUp()
    renderApp('/notifications')
    const user = userEvent.setup()

    const form = await screen.findByRole('form', { name: 'Add a channel' })
    await user.type(within(form).getByLabelText('Name'), 'Team')
    await user.type(within(form).getByLabelText('E-mail address'), 'not-an-address')
    for (const label of ['Endpoint down', 'Endpoint recovered', 'Certificate expiring', 'Payment failed', 'Subscription cancelled', 'Plan limit reached']) {
      await user.click(within(form).getByRole('checkbox', { name: label }))
    }
    await user.click(within(form).getByRole('button', { name: 'Add channel' }))

    expect(await within(form).findByText('Enter a valid e-mail address.')).toBeInTheDocument()
    expect(within(form).getByText('Choose at least one event.')).toBeInTheDocument()
    expect(mocks.http.history.post).toHaveLength(0)
  })

  it('sends the chosen events and enabled state, and puts the API field error under the target', async () => {
    setUp()
    mocks.http
      .onPost(CHANNELS)
      .replyOnce(400, { detail: 'Invalid input.', code: 'invalid', errors: { target: ['Slack URLs must be https:// and public.'] } })
      .onPost(CHANNELS)
      .replyOnce(403, { detail: 'Verify your e-mail address before adding channels.', code: 'email_not_verified' })
    renderApp('/notifications')
    const user = userEvent.setup()

    const form = await screen.findByRole('form', { name: 'Add a channel' })
    await user.selectOptions(within(form).getByLabelText('Kind'), 'Slack')
    await user.type(within(form).getByLabelText('Name'), 'Ops')
    await user.type(within(form).getByLabelText('Slack webhook URL'), 'http://10.0.0.1/hook')
    await user.click(within(form).getByRole('checkbox', { name: 'Payment failed' }))
    await user.click(within(form).getByRole('switch', { name: 'Enabled' }))
    await user.click(within(form).getByRole('button', { name: 'Add channel' }))

    await waitFor(() =>
      expect(within(form).getByLabelText('Slack webhook URL')).toHaveAccessibleDescription('Slack URLs must be https:// and public.'),
    )
    expect(JSON.parse(mocks.http.history.post[0].data)).toEqual({
      kind: 'slack',
      name: 'Ops',
      target: 'http://10.0.0.1/hook',
      events: ALERT_TYPES.filter((t) => t !== 'payment_failed'),
      enabled: false,
    })

    await user.click(within(form).getByRole('button', { name: 'Add channel' }))
    expect(await within(form).findByText('Verify your e-mail address before adding channels.')).toBeInTheDocument()
  })

  it('sends a test message and says "Test sent" on 202', async () => {
    setUp()
    mocks.http.onPost('/api/notifications/channels/c1/test/').reply(202)
    renderApp('/notifications')
    const user = userEvent.setup()

    const row = await rowOf('On-call')
    await user.click(within(row).getByRole('button', { name: 'Send test' }))
    expect(await within(row).findByText('Test sent')).toBeInTheDocument()
  })

  it('disables a channel, and edits only what changed', async () => {
    setUp()
    mocks.http.onPatch('/api/notifications/channels/c1/').reply((config) => {
      const patched = { ...channels[0], ...JSON.parse(config.data) }
      channels = [patched, slack]
      return [200, patched]
    })
    renderApp('/notifications')
    const user = userEvent.setup()

    await user.click(within(await rowOf('On-call')).getByRole('button', { name: 'Disable' }))
    await waitFor(async () => expect(within(await rowOf('On-call')).getByTestId('channel-state')).toHaveTextContent('Disabled'))

    await user.click(within(await rowOf('On-call')).getByRole('button', { name: 'Edit' }))
    const form = await screen.findByRole('form', { name: 'Edit On-call' })
    await user.clear(within(form).getByLabelText('Name'))
    await user.type(within(form).getByLabelText('Name'), 'Night shift')
    await user.click(within(form).getByRole('checkbox', { name: 'Plan limit reached' }))
    await user.click(within(form).getByRole('button', { name: 'Save channel' }))

    expect(await rowOf('Night shift')).toBeInTheDocument()
    expect(mocks.http.history.patch.map((r) => JSON.parse(r.data))).toEqual([
      { enabled: false },
      { name: 'Night shift', events: ALERT_TYPES.filter((t) => t !== 'plan_limit_reached') },
    ])
  })

  it('deletes a channel only after confirming', async () => {
    setUp()
    mocks.http.onDelete('/api/notifications/channels/c2/').reply(() => {
      channels = [channels[0]]
      return [204]
    })
    renderApp('/notifications')
    const user = userEvent.setup()

    await user.click(within(await rowOf('Ops Slack')).getByRole('button', { name: 'Delete Ops Slack' }))
    const dialog = await screen.findByRole('alertdialog')
    expect(dialog).toHaveTextContent('Delete this channel?')
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }))

    await waitFor(() => expect(screen.getAllByTestId('channel-row')).toHaveLength(1))
    expect(mocks.http.history.delete).toHaveLength(1)
  })

  it('checks the settings ranges before saving, and saves both values', async () => {
    setUp()
    mocks.http.onPut(SETTINGS).reply((config) => [200, JSON.parse(config.data)])
    renderApp('/notifications')
    const user = userEvent.setup()

    const debounce = await screen.findByLabelText('Debounce (minutes)')
    expect(debounce).toHaveValue(15)
    await user.clear(debounce)
    await user.type(debounce, '2000')
    const storm = screen.getByLabelText('Storm threshold (changes a minute)')
    await user.clear(storm)
    await user.type(storm, '0')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText('Use 0 to 1,440 minutes.')).toBeInTheDocument()
    expect(screen.getByText('Use 1 to 1,000 changes.')).toBeInTheDocument()
    expect(mocks.http.history.put).toHaveLength(0)

    await user.clear(debounce)
    await user.type(debounce, '0')
    await user.clear(storm)
    await user.type(storm, '1000')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    expect(await screen.findByText('Settings saved.')).toBeInTheDocument()
    expect(JSON.parse(mocks.http.history.put[0].data)).toEqual({ debounce_minutes: 0, storm_threshold: 1000 })
  })

  it('shows a settings error from the server under its field', async () => {
    setUp()
    mocks.http.onPut(SETTINGS).reply(400, { detail: 'Invalid input.', code: 'invalid', errors: { storm_threshold: ['Too low for this plan.'] } })
    renderApp('/notifications')
    const user = userEvent.setup()

    const debounce = await screen.findByLabelText('Debounce (minutes)')
    await user.clear(debounce)
    await user.type(debounce, '30')
    await user.click(screen.getByRole('button', { name: 'Save settings' }))
    await waitFor(() =>
      expect(screen.getByLabelText('Storm threshold (changes a minute)')).toHaveAccessibleDescription('Too low for this plan.'),
    )
  })

  it('lets a member read, without the controls to change anything', async () => {
    setUp('member')
    renderApp('/notifications')

    const row = await rowOf('On-call')
    expect(await screen.findByTestId('notifications-read-only')).toBeInTheDocument()
    expect(screen.queryByRole('form', { name: 'Add a channel' })).not.toBeInTheDocument()
    expect(within(row).queryByRole('button')).not.toBeInTheDocument()
    expect(await screen.findByLabelText('Debounce (minutes)')).toBeDisabled()
    expect(screen.queryByRole('button', { name: 'Save settings' })).not.toBeInTheDocument()
  })

  it('shows the delivery log with status, attempts and errors, filtered by channel', async () => {
    setUp()
    mocks.http.onGet(LOG).reply((config) => {
      const rows = [
        delivery(),
        delivery({ id: 'd2', channel_id: 'c2', status: 'retrying', attempts: 3, error: 'HTTP 503 from hooks.slack.com', sent_at: null }),
        delivery({ id: 'd3', channel_id: 'gone', event_type: 'test', status: 'failed', endpoint_id: null }),
      ]
      return [200, listOf(config.params.channel ? rows.filter((r) => r.channel_id === config.params.channel) : rows)]
    })
    renderApp('/notifications')
    const user = userEvent.setup()

    const log = await screen.findByTestId('delivery-log')
    const table = await within(log).findByRole('table')
    const rows = within(table).getAllByTestId('delivery-row')
    expect(rows.map((r) => within(r).getByTestId('delivery-status').textContent)).toEqual(['Sent', 'Retrying', 'Failed'])
    expect(rows[0]).toHaveTextContent('On-call')
    expect(rows[1]).toHaveTextContent('Ops Slack')
    expect(rows[1]).toHaveTextContent('HTTP 503 from hooks.slack.com')
    expect(within(rows[1]).getByText('3 attempts')).toBeInTheDocument()
    expect(rows[2]).toHaveTextContent('Deleted channel')
    expect(rows[2]).toHaveTextContent('Test')
    expect(within(rows[0]).getByRole('link', { name: 'Endpoint' })).toHaveAttribute('href', '/endpoints/e1')

    await user.selectOptions(within(log).getByLabelText('Channel'), 'Ops Slack')
    await waitFor(() => expect(within(within(log).getByRole('table')).getAllByTestId('delivery-row')).toHaveLength(1))
    expect(mocks.http.history.get.filter((r) => r.url === LOG).at(-1)?.params).toEqual({ page: 1, page_size: 20, channel: 'c2' })
  })
})
