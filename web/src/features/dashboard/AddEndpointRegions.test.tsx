import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { meReply, mockApi, renderApp, signIn } from '@/test/renderApp'
import { checkerRegions, endpoint, page } from '@/test/endpoints'
import { plans } from '@/test/billing'

/** The add form's Regions and Min failing regions (api.md "Regions"): bodies sent and field errors. */
describe('AddEndpointForm regions', () => {
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

  it('sends the named regions and quorum, and shows the server’s field errors on those fields', async () => {
    mocks.http
      .onPost('/api/endpoints/')
      .replyOnce(400, {
        detail: 'Invalid input.',
        code: 'invalid',
        errors: { regions: ['Unknown region "mars".'], min_failing_regions: ['At most the number of regions.'] },
      })
      .onPost('/api/endpoints/')
      .replyOnce(201, endpoint({ regions: ['eu-west', 'us-east'], min_failing_regions: 2 }))
    renderApp('/dashboard')
    const user = userEvent.setup()

    await user.type(await screen.findByLabelText('URL'), 'https://www.example.com/')
    const regions = screen.getByLabelText('Regions')
    expect(regions).toHaveAttribute('placeholder', 'All regions with a live checker')
    await user.type(regions, 'eu-west, mars')
    await user.type(screen.getByLabelText('Min failing regions'), '2')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    await waitFor(() => expect(screen.getByLabelText('Regions')).toHaveAccessibleDescription('Unknown region "mars".'))
    expect(screen.getByLabelText('Min failing regions')).toHaveAccessibleDescription('At most the number of regions.')
    expect(posted()[0]).toMatchObject({ regions: ['eu-west', 'mars'], min_failing_regions: 2 })

    await user.clear(screen.getByLabelText('Regions'))
    await user.type(screen.getByLabelText('Regions'), 'eu-west us-east')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    expect(await screen.findByText(/Its first check runs now/)).toBeInTheDocument()
    expect(posted()[1]).toEqual({ url: 'https://www.example.com/', interval_seconds: 60, regions: ['eu-west', 'us-east'], min_failing_regions: 2 })
  })

  it('sends empty fields as null: every region with a live checker, failing in a majority', async () => {
    mocks.http.onPost('/api/endpoints/').reply(201, endpoint())
    renderApp('/dashboard')
    const user = userEvent.setup()

    await user.type(await screen.findByLabelText('URL'), 'https://www.example.com/')
    await user.type(screen.getByLabelText('Regions'), ' , ')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    expect(await screen.findByText(/Its first check runs now/)).toBeInTheDocument()
    expect(posted()).toEqual([{ url: 'https://www.example.com/', interval_seconds: 60, regions: null, min_failing_regions: null }])
  })

  it('checks region names and the quorum before sending', async () => {
    renderApp('/dashboard')
    const user = userEvent.setup()

    await user.type(await screen.findByLabelText('URL'), 'https://www.example.com/')
    await user.type(screen.getByLabelText('Regions'), 'EU West')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    await waitFor(() =>
      expect(screen.getByLabelText('Regions')).toHaveAccessibleDescription(
        'Use region names of lower-case letters, digits and "-" (up to 32 characters).',
      ),
    )
    await user.clear(screen.getByLabelText('Regions'))
    await user.type(screen.getByLabelText('Regions'), 'eu-west')
    await user.type(screen.getByLabelText('Min failing regions'), '2')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    await waitFor(() =>
      expect(screen.getByLabelText('Min failing regions')).toHaveAccessibleDescription('No more than the regions named above.'),
    )
    expect(posted()).toEqual([])
  })

  it('a heartbeat has no region fields and sends none', async () => {
    mocks.http.onPost('/api/endpoints/').reply(201, endpoint({ kind: 'heartbeat', url: null, name: 'Nightly backup' }))
    renderApp('/dashboard')
    const user = userEvent.setup()

    await user.selectOptions(await screen.findByLabelText('Kind'), 'heartbeat')
    expect(screen.queryByLabelText('Regions')).not.toBeInTheDocument()
    expect(screen.queryByLabelText('Min failing regions')).not.toBeInTheDocument()
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    await waitFor(() => expect(posted()).toHaveLength(1))
    expect(posted()[0]).not.toHaveProperty('regions')
    expect(posted()[0]).not.toHaveProperty('min_failing_regions')
  })

  it('lists the known regions under Regions; each adds its name once, by mouse or keyboard', async () => {
    mocks.http.onGet('/api/regions/').reply(200, checkerRegions())
    mocks.http.onPost('/api/endpoints/').reply(201, endpoint({ regions: ['us', 'eu'] }))
    renderApp('/dashboard')
    const user = userEvent.setup()

    const hint = await screen.findByRole('group', { name: 'Known regions' })
    expect(hint).toHaveTextContent(/^Regions:\s*eu\s*us\s*\(no live checker\)$/)
    const [eu, us] = within(hint).getAllByTestId('known-region')
    expect(eu).toHaveAttribute('data-live', 'true')
    expect(eu).not.toHaveTextContent('no live checker')
    expect(us).toHaveAttribute('data-live', 'false')
    expect(us).toHaveTextContent('(no live checker)')

    await user.type(screen.getByLabelText('URL'), 'https://www.example.com/')
    const regions = screen.getByLabelText('Regions')
    await user.click(within(hint).getByRole('button', { name: 'Add us' }))
    expect(regions).toHaveValue('us')
    const addEu = within(hint).getByRole('button', { name: 'Add eu' })
    expect(addEu).toHaveAttribute('type', 'button')
    addEu.focus()
    await user.keyboard('{Enter}')
    expect(regions).toHaveValue('us, eu')
    await user.keyboard(' ')
    await user.click(addEu)
    expect(regions).toHaveValue('us, eu')
    // The buttons add names; they do not submit the form.
    expect(posted()).toEqual([])

    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    await waitFor(() => expect(posted()).toHaveLength(1))
    expect(posted()[0]).toMatchObject({ regions: ['us', 'eu'] })
  })

  it('takes the region limit from max_per_endpoint', async () => {
    mocks.http.onGet('/api/regions/').reply(200, checkerRegions(2))
    renderApp('/dashboard')
    const user = userEvent.setup()

    await screen.findByRole('group', { name: 'Known regions' })
    await user.type(screen.getByLabelText('URL'), 'https://www.example.com/')
    await user.type(screen.getByLabelText('Regions'), 'eu us ap')
    expect(screen.getByLabelText('Min failing regions')).toHaveAttribute('max', '2')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    await waitFor(() => expect(screen.getByLabelText('Regions')).toHaveAccessibleDescription('Name at most 2 regions.'))
    expect(posted()).toEqual([])
  })

  it('without the region list (the call fails) the field stays free text, with no error shown', async () => {
    mocks.http.onGet('/api/regions/').reply(503, { detail: 'Service unavailable.', code: 'service_unavailable' })
    mocks.http.onPost('/api/endpoints/').reply(201, endpoint({ regions: ['eu-west'] }))
    renderApp('/dashboard')
    const user = userEvent.setup()

    await user.type(await screen.findByLabelText('URL'), 'https://www.example.com/')
    await waitFor(() => expect(mocks.http.history.get.some((r) => r.url === '/api/regions/')).toBe(true))
    expect(screen.queryByRole('group', { name: 'Known regions' })).not.toBeInTheDocument()
    expect(screen.queryByRole('alert')).not.toBeInTheDocument()
    // Until the limit is known the API's own applies.
    expect(screen.getByLabelText('Min failing regions')).toHaveAttribute('max', '8')
    await user.type(screen.getByLabelText('Regions'), 'eu-west')
    await user.click(screen.getByRole('button', { name: 'Add endpoint' }))
    expect(await screen.findByText(/Its first check runs now/)).toBeInTheDocument()
    expect(posted()[0]).toMatchObject({ regions: ['eu-west'] })
  })
})
