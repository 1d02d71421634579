import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { meReply, mockApi, renderApp, signIn } from '@/test/renderApp'
import { endpoint, page } from '@/test/endpoints'
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
})
