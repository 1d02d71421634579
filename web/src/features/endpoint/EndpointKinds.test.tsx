import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { meReply, mockApi, renderApp, signIn } from '@/test/renderApp'
import { endpoint } from '@/test/endpoints'
import { plans } from '@/test/billing'

const PING_URL = 'https://app.example.com/api/ping/Qm9vdHN0cmFwLXRva2VuLWZvci10ZXN0cy0wMTIzNDU2Nzg/'

/** The endpoint page of the other kinds: the ping URL, DNS's record type and expected value. */
describe('EndpointPage kinds', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
    signIn()
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ endpoint_count: 1 }))
    mocks.http.onGet('/api/billing/plans/').reply(200, plans)
    mocks.http.onGet('/api/endpoints/e1/checks/').reply(200, [])
    mocks.http.onGet('/api/endpoints/e1/uptime/').reply(200, {
      uptime_24h: null, uptime_7d: null, uptime_30d: null, latency_p50_ms: null, latency_p95_ms: null,
    })
  })
  afterEach(() => mocks.restore())

  const heartbeat = endpoint({
    kind: 'heartbeat',
    url: null,
    name: 'Nightly backup',
    interval_seconds: 86_400,
    grace_seconds: 600,
    ping_url: PING_URL,
    last_status_code: null,
  })

  it('shows a heartbeat’s ping URL with a copy button and the /fail form', async () => {
    mocks.http.onGet('/api/endpoints/e1/').reply(200, heartbeat)
    renderApp('/endpoints/e1')
    const user = userEvent.setup()

    const card = await screen.findByTestId('ping-url-card')
    expect(within(card).getByLabelText('Ping URL')).toHaveValue(PING_URL)
    expect(within(card).getByText(/No ping within 86400 s plus 600 s of grace/)).toBeInTheDocument()
    expect(within(card).getAllByText(new RegExp(`${PING_URL}fail/`)).length).toBeGreaterThan(0)
    await user.click(within(card).getByRole('button', { name: 'Copy' }))
    expect(await within(card).findByText('Copied to the clipboard.')).toBeInTheDocument()
    await expect(navigator.clipboard.readText()).resolves.toBe(PING_URL)
    expect(screen.getByText('Heartbeat: pinged by your job')).toBeInTheDocument()
  })

  it('edits a heartbeat’s grace period; it has no URL, method or timeout', async () => {
    mocks.http.onGet('/api/endpoints/e1/').reply(200, heartbeat)
    mocks.http.onPatch('/api/endpoints/e1/').reply(200, { ...heartbeat, grace_seconds: 1200 })
    renderApp('/endpoints/e1')
    const user = userEvent.setup()

    const form = await screen.findByRole('form', { name: 'Edit endpoint' })
    expect(within(form).queryByLabelText('URL')).not.toBeInTheDocument()
    expect(within(form).queryByLabelText('Method')).not.toBeInTheDocument()
    expect(within(form).queryByLabelText('Timeout (ms)')).not.toBeInTheDocument()
    const grace = within(form).getByLabelText('Grace period (seconds)')
    await user.clear(grace)
    await user.type(grace, '1200')
    await user.click(within(form).getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(mocks.http.history.patch).toHaveLength(1))
    expect(JSON.parse(mocks.http.history.patch[0].data)).toEqual({ grace_seconds: 1200 })
  })

  it('shows a DNS check’s record type and expected value, and edits them', async () => {
    const dns = endpoint({
      kind: 'dns',
      url: 'dns://example.com',
      name: 'example.com',
      record_type: 'A',
      expected_value: '93.184.216.34',
      last_status_code: null,
    })
    mocks.http.onGet('/api/endpoints/e1/').reply(200, dns)
    mocks.http.onPatch('/api/endpoints/e1/').reply(200, { ...dns, record_type: 'AAAA', expected_value: null })
    renderApp('/endpoints/e1')
    const user = userEvent.setup()

    expect(await screen.findByTestId('dns-target')).toHaveTextContent('A records of example.com · expecting 93.184.216.34')
    const form = screen.getByRole('form', { name: 'Edit endpoint' })
    expect(within(form).getByLabelText('Host name')).toHaveValue('example.com')
    expect(within(form).queryByLabelText('Keyword in body')).not.toBeInTheDocument()
    await user.selectOptions(within(form).getByLabelText('Record type'), 'AAAA')
    await user.clear(within(form).getByLabelText('Expected value'))
    await user.click(within(form).getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(mocks.http.history.patch).toHaveLength(1))
    expect(JSON.parse(mocks.http.history.patch[0].data)).toEqual({ record_type: 'AAAA', expected_value: null })
  })

  it('shows a TCP check’s host and port, and sends a new one as tcp://', async () => {
    const tcp = endpoint({ kind: 'tcp', url: 'tcp://db.example.com:5432', name: 'db.example.com', last_status_code: null })
    mocks.http.onGet('/api/endpoints/e1/').reply(200, tcp)
    mocks.http.onPatch('/api/endpoints/e1/').reply(200, { ...tcp, url: 'tcp://db.example.com:6432' })
    renderApp('/endpoints/e1')
    const user = userEvent.setup()

    expect(await screen.findByText('db.example.com:5432')).toBeInTheDocument()
    const form = screen.getByRole('form', { name: 'Edit endpoint' })
    const target = within(form).getByLabelText('Host and port')
    await user.clear(target)
    await user.type(target, 'db.example.com:6432')
    await user.click(within(form).getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(mocks.http.history.patch).toHaveLength(1))
    expect(JSON.parse(mocks.http.history.patch[0].data)).toEqual({ url: 'tcp://db.example.com:6432' })
  })
})
