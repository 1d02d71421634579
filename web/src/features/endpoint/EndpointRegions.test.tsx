import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { meReply, mockApi, renderApp, signIn } from '@/test/renderApp'
import { checkerRegions, endpoint, regionalEndpoint } from '@/test/endpoints'
import { plans } from '@/test/billing'

const check = (region: string | undefined, ok: boolean, checkedAt = '2026-01-01T00:00:00Z') => ({
  checked_at: checkedAt,
  ok,
  status_code: ok ? 200 : null,
  latency_ms: ok ? 90 : null,
  dns_ms: null,
  connect_ms: null,
  tls_ms: null,
  ttfb_ms: null,
  error: ok ? null : 'Timed out',
  ...(region === undefined ? {} : { region }),
})

/** Regions and quorum on the endpoint page: per-region rows, the quorum line, the checks' region, the settings. */
describe('EndpointPage regions', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
    signIn()
    mocks.http.onGet('/api/auth/me/').reply(200, meReply({ endpoint_count: 1 }))
    mocks.http.onGet('/api/billing/plans/').reply(200, plans)
    mocks.http.onGet('/api/endpoints/e1/uptime/').reply(200, {
      uptime_24h: null, uptime_7d: null, uptime_30d: null, latency_p50_ms: null, latency_p95_ms: null,
    })
  })
  afterEach(() => mocks.restore())

  it('lists each region’s result and says "failing in 1 of 3 regions — below quorum" as a warning', async () => {
    mocks.http.onGet('/api/endpoints/e1/').reply(200, regionalEndpoint())
    mocks.http.onGet('/api/endpoints/e1/checks/').reply(200, [check('eu-west', true, '2026-01-01T00:01:00Z'), check('ap-south', false)])
    renderApp('/endpoints/e1')

    const line = await screen.findByTestId('quorum-line')
    expect(line).toHaveTextContent(/^failing in 1 of 3 regions — below quorum$/)
    expect(line).toHaveAttribute('data-below-quorum', 'true')
    expect(line.className).toMatch(/amber/)
    // The endpoint itself stays up.
    expect(screen.getAllByTestId('status-pill')[0]).toHaveAttribute('data-status', 'up')

    const card = screen.getByTestId('regions-card')
    expect(within(card).getByText(/Down when 2 of 3 regions fail/)).toBeInTheDocument()
    const rows = within(within(card).getByRole('table')).getAllByTestId('region-row')
    expect(rows.map((row) => within(row).getAllByRole('cell')[0].textContent)).toEqual(['ap-south', 'eu-west', 'us-east'])
    expect(within(rows[0]).getByTestId('status-pill')).toHaveAttribute('data-status', 'down')
    expect(rows[0]).toHaveTextContent('Connection timed out after 10000 ms')
    expect(rows[1]).toHaveTextContent('84 ms')
    expect(rows[1]).toHaveTextContent('200')
    expect(rows[1]).toHaveTextContent('5 minutes ago')

    // The checks table names each check's region.
    await waitFor(() => expect(screen.getAllByRole('table')).toHaveLength(2))
    const checks = screen.getAllByRole('table')[1]
    expect(within(checks).getByRole('columnheader', { name: 'Region' })).toBeInTheDocument()
    const checkRows = within(checks).getAllByTestId('check-row')
    expect(checkRows[0]).toHaveTextContent('eu-west')
    expect(checkRows[1]).toHaveTextContent('ap-south')
  })

  it('says "failing in 2 of 3 regions" when the quorum agrees it is down', async () => {
    mocks.http.onGet('/api/endpoints/e1/').reply(
      200,
      regionalEndpoint({ status: 'down', last_error: 'Timed out', quorum: { regions: 3, required: 2, failing: 2, below_quorum: false } }),
    )
    mocks.http.onGet('/api/endpoints/e1/checks/').reply(200, [])
    renderApp('/endpoints/e1')

    const line = await screen.findByTestId('quorum-line')
    expect(line).toHaveTextContent(/^failing in 2 of 3 regions$/)
    expect(line).toHaveAttribute('data-below-quorum', 'false')
  })

  it('shows no regions, quorum line, Region column or region fields when the backend sends none', async () => {
    mocks.http.onGet('/api/endpoints/e1/').reply(200, endpoint({ status: 'down', last_error: 'Timed out' }))
    mocks.http.onGet('/api/endpoints/e1/checks/').reply(200, [check(undefined, false)])
    renderApp('/endpoints/e1')

    expect(await screen.findAllByTestId('check-row')).not.toHaveLength(0)
    expect(screen.queryByTestId('quorum-line')).not.toBeInTheDocument()
    expect(screen.queryByTestId('regions-card')).not.toBeInTheDocument()
    expect(screen.queryByRole('columnheader', { name: 'Region' })).not.toBeInTheDocument()
    const form = screen.getByRole('form', { name: 'Edit endpoint' })
    expect(within(form).queryByLabelText('Regions')).not.toBeInTheDocument()
    expect(within(form).queryByLabelText('Min failing regions')).not.toBeInTheDocument()
  })

  it('a heartbeat has no region fields and no regions section', async () => {
    mocks.http.onGet('/api/endpoints/e1/').reply(
      200,
      endpoint({
        kind: 'heartbeat', url: null, grace_seconds: 0, ping_url: 'https://app.example.com/api/ping/abc/', status: 'down',
        regions: null, min_failing_regions: null, region_results: [], quorum: { regions: 1, required: 1, failing: 1, below_quorum: false },
      }),
    )
    mocks.http.onGet('/api/endpoints/e1/checks/').reply(200, [])
    renderApp('/endpoints/e1')

    const form = await screen.findByRole('form', { name: 'Edit endpoint' })
    expect(within(form).queryByLabelText('Regions')).not.toBeInTheDocument()
    expect(within(form).queryByLabelText('Min failing regions')).not.toBeInTheDocument()
    expect(screen.queryByTestId('regions-card')).not.toBeInTheDocument()
    expect(screen.queryByTestId('quorum-line')).not.toBeInTheDocument()
  })

  it('edits the regions: clearing them sends null, and the server’s field errors show on the fields', async () => {
    const current = regionalEndpoint({ min_failing_regions: 2 })
    mocks.http.onGet('/api/endpoints/e1/').reply(200, current)
    mocks.http.onGet('/api/endpoints/e1/checks/').reply(200, [])
    mocks.http
      .onPatch('/api/endpoints/e1/')
      .replyOnce(400, {
        detail: 'Invalid input.',
        code: 'invalid',
        errors: { regions: ['Unknown region "mars".'], min_failing_regions: ['At most the number of regions.'] },
      })
      .onPatch('/api/endpoints/e1/')
      .replyOnce(200, { ...current, regions: null, min_failing_regions: null })
    renderApp('/endpoints/e1')
    const user = userEvent.setup()

    const form = await screen.findByRole('form', { name: 'Edit endpoint' })
    const regions = within(form).getByLabelText('Regions')
    const minFailing = within(form).getByLabelText('Min failing regions')
    expect(regions).toHaveValue('ap-south, eu-west, us-east')
    expect(minFailing).toHaveValue(2)

    await user.clear(regions)
    await user.type(regions, 'eu-west mars')
    await user.clear(minFailing)
    await user.type(minFailing, '2')
    await user.click(within(form).getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(regions).toHaveAccessibleDescription('Unknown region "mars".'))
    expect(minFailing).toHaveAccessibleDescription('At most the number of regions.')
    expect(JSON.parse(mocks.http.history.patch[0].data)).toEqual({ regions: ['eu-west', 'mars'] })

    await user.clear(regions)
    await user.clear(minFailing)
    await user.click(within(form).getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(mocks.http.history.patch).toHaveLength(2))
    expect(JSON.parse(mocks.http.history.patch[1].data)).toEqual({ regions: null, min_failing_regions: null })
    expect(await within(form).findByText('Changes saved.')).toBeInTheDocument()
  })

  it('refuses more failing regions than are named before sending', async () => {
    mocks.http.onGet('/api/endpoints/e1/').reply(200, regionalEndpoint())
    mocks.http.onGet('/api/endpoints/e1/checks/').reply(200, [])
    renderApp('/endpoints/e1')
    const user = userEvent.setup()

    const form = await screen.findByRole('form', { name: 'Edit endpoint' })
    await user.type(within(form).getByLabelText('Min failing regions'), '4')
    await user.click(within(form).getByRole('button', { name: 'Save changes' }))
    await waitFor(() =>
      expect(within(form).getByLabelText('Min failing regions')).toHaveAccessibleDescription('No more than the regions named above.'),
    )
    expect(mocks.http.history.patch).toHaveLength(0)
  })

  it('lists the known regions under the settings’ Regions; a name already there is not added again', async () => {
    mocks.http.onGet('/api/regions/').reply(200, checkerRegions())
    mocks.http.onGet('/api/endpoints/e1/').reply(200, regionalEndpoint({ regions: ['eu'] }))
    mocks.http.onGet('/api/endpoints/e1/checks/').reply(200, [])
    mocks.http.onPatch('/api/endpoints/e1/').reply(200, regionalEndpoint({ regions: ['eu', 'us'] }))
    renderApp('/endpoints/e1')
    const user = userEvent.setup()

    const form = await screen.findByRole('form', { name: 'Edit endpoint' })
    const hint = await within(form).findByRole('group', { name: 'Known regions' })
    expect(hint).toHaveTextContent(/^Regions:\s*eu\s*us\s*\(no live checker\)$/)
    const regions = within(form).getByLabelText('Regions')
    expect(regions).toHaveValue('eu')
    await user.click(within(hint).getByRole('button', { name: 'Add eu' }))
    expect(regions).toHaveValue('eu')
    await user.click(within(hint).getByRole('button', { name: 'Add us' }))
    expect(regions).toHaveValue('eu, us')
    await user.click(within(form).getByRole('button', { name: 'Save changes' }))
    await waitFor(() => expect(mocks.http.history.patch).toHaveLength(1))
    expect(JSON.parse(mocks.http.history.patch[0].data)).toEqual({ regions: ['eu', 'us'] })
  })

  it('without the region list the settings stay free text; a heartbeat does not ask for it', async () => {
    mocks.http.onGet('/api/regions/').reply(404, { detail: 'Not found.', code: 'not_found' })
    mocks.http.onGet('/api/endpoints/e1/').reply(200, regionalEndpoint())
    mocks.http.onGet('/api/endpoints/e1/checks/').reply(200, [])
    mocks.http.onPatch('/api/endpoints/e1/').reply(200, regionalEndpoint({ regions: ['eu-west'] }))
    const first = renderApp('/endpoints/e1')
    const user = userEvent.setup()

    const form = await screen.findByRole('form', { name: 'Edit endpoint' })
    await waitFor(() => expect(mocks.http.history.get.filter((r) => r.url === '/api/regions/')).toHaveLength(1))
    expect(within(form).queryByRole('group', { name: 'Known regions' })).not.toBeInTheDocument()
    expect(within(form).queryByRole('alert')).not.toBeInTheDocument()
    await user.clear(within(form).getByLabelText('Regions'))
    await user.type(within(form).getByLabelText('Regions'), 'eu-west')
    await user.click(within(form).getByRole('button', { name: 'Save changes' }))
    expect(await within(form).findByText('Changes saved.')).toBeInTheDocument()
    first.unmount()

    mocks.http.resetHistory()
    mocks.http.onGet('/api/endpoints/e1/').reply(200, endpoint({ kind: 'heartbeat', url: null, grace_seconds: 0, regions: null }))
    renderApp('/endpoints/e1')
    await screen.findByRole('form', { name: 'Edit endpoint' })
    expect(screen.queryByRole('group', { name: 'Known regions' })).not.toBeInTheDocument()
    expect(mocks.http.history.get.some((r) => r.url === '/api/regions/')).toBe(false)
  })
})
