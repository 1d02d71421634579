import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { meReply, mockApi, renderApp, signIn } from '@/test/renderApp'
import { endpoint, page } from '@/test/endpoints'
import { plans } from '@/test/billing'

/** The add form's kinds (api.md "More kinds of monitor"): fields per kind and the bodies sent. */
describe('AddEndpointForm kinds', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
    signIn()
    mocks.http.onGet('/api/billing/plans/').reply(200, plans)
    mocks.http.onGet('/api/auth/me/').reply(200, meReply())
    mocks.http.onGet('/api/endpoints/').reply(200, page([]))
  })
  afterEach(() => mocks.restore())

  const posted = () => mocks.http.history.post.map((r) => JSON.parse(r.data) as Record<string, unknown>)

  it('adds a TCP port as tcp://host:port, and checks host:port before sending', async () => {
    mocks.http.onPost('/api/endpoints/').reply(201, endpoint({ kind: 'tcp', url: 'tcp://db.example.com:5432', name: 'db.example.com' }))
    renderApp('/dashboard')
    const user = userEvent.setup()

    await user.selectOptions(await screen.findByLabelText('Kind'), 'tcp')
    expect(screen.queryByLabelText('URL')).not.toBeInTheDocument()
    await user.type(screen.getByLabelText('Host and port'), 'db.example.com')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    await waitFor(() =>
      expect(screen.getByLabelText('Host and port')).toHaveAccessibleDescription('Enter a host and port, such as db.example.com:5432.'),
    )
    expect(posted()).toEqual([])

    await user.type(screen.getByLabelText('Host and port'), ':5432')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    expect(await screen.findByText(/Added db.example.com/)).toBeInTheDocument()
    expect(posted()).toEqual([{ kind: 'tcp', url: 'tcp://db.example.com:5432', interval_seconds: 60, regions: null, min_failing_regions: null }])
  })

  it('adds a DNS record with its type and expected value, and shows API field errors under them', async () => {
    mocks.http
      .onPost('/api/endpoints/')
      .replyOnce(400, { detail: 'Invalid input.', code: 'invalid', errors: { expected_value: ['Control characters are not allowed.'] } })
      .onPost('/api/endpoints/')
      .replyOnce(201, endpoint({ kind: 'dns', url: 'dns://example.com', record_type: 'MX', name: 'example.com' }))
    renderApp('/dashboard')
    const user = userEvent.setup()

    await user.selectOptions(await screen.findByLabelText('Kind'), 'dns')
    await user.type(screen.getByLabelText('Host name'), 'example.com')
    await user.selectOptions(screen.getByLabelText('Record type'), 'MX')
    await user.type(screen.getByLabelText('Expected value (optional)'), 'mx1.example.com')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    await waitFor(() =>
      expect(screen.getByLabelText('Expected value (optional)')).toHaveAccessibleDescription('Control characters are not allowed.'),
    )
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    expect(await screen.findByText(/Added example.com/)).toBeInTheDocument()
    expect(posted()[1]).toEqual({
      kind: 'dns',
      url: 'dns://example.com',
      record_type: 'MX',
      expected_value: 'mx1.example.com',
      interval_seconds: 60,
      regions: null,
      min_failing_regions: null,
    })
  })

  it('refuses a DNS name that is not a host name before sending', async () => {
    renderApp('/dashboard')
    const user = userEvent.setup()
    await user.selectOptions(await screen.findByLabelText('Kind'), 'dns')
    await user.type(screen.getByLabelText('Host name'), 'not a name')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    await waitFor(() => expect(screen.getByLabelText('Host name')).toHaveAccessibleDescription('Enter a host name such as example.com.'))
    expect(posted()).toEqual([])
  })

  it('adds a heartbeat without a URL, with its grace period', async () => {
    mocks.http.onPost('/api/endpoints/').reply(201, endpoint({ kind: 'heartbeat', url: null, name: 'Nightly backup', grace_seconds: 300 }))
    renderApp('/dashboard')
    const user = userEvent.setup()

    await user.selectOptions(await screen.findByLabelText('Kind'), 'heartbeat')
    expect(screen.queryByLabelText('URL')).not.toBeInTheDocument()
    expect(screen.getByText(/your job calls its ping URL/)).toBeInTheDocument()
    await user.type(screen.getByLabelText('Name (optional)'), 'Nightly backup')
    await user.clear(screen.getByLabelText('Every (s)'))
    await user.type(screen.getByLabelText('Every (s)'), '86400')
    await user.clear(screen.getByLabelText('Grace (s)'))
    await user.type(screen.getByLabelText('Grace (s)'), '90000')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    await waitFor(() => expect(screen.getByLabelText('Grace (s)')).toHaveAccessibleDescription('At most a day (86,400 seconds).'))

    await user.clear(screen.getByLabelText('Grace (s)'))
    await user.type(screen.getByLabelText('Grace (s)'), '300')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    expect(await screen.findByText('Added Nightly backup. Open it for its ping URL.')).toBeInTheDocument()
    expect(posted()).toEqual([{ kind: 'heartbeat', name: 'Nightly backup', interval_seconds: 86_400, grace_seconds: 300 }])
  })
})
