import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { Incident, IncidentStatus, Role } from '@/api/types'
import { listOf } from '@/test/alerts'
import { endpoint } from '@/test/endpoints'
import { meAs, mockApi, renderApp, signIn } from '@/test/renderApp'
import { incident } from '@/test/status'

const INCIDENTS = '/api/incidents/'
const ENDPOINTS = [endpoint({ id: 'e1', name: 'API' }), endpoint({ id: 'e2', name: 'Website', url: 'https://www.example.com' })]

describe('IncidentsPage', () => {
  let mocks: ReturnType<typeof mockApi>
  let incidents: Incident[]

  function setUp(role: Role = 'member') {
    signIn({ role })
    mocks.http.onGet('/api/auth/me/').reply(200, meAs(role))
    mocks.http.onGet('/api/endpoints/').reply(200, listOf(ENDPOINTS))
    mocks.http.onGet(INCIDENTS).reply(() => [200, listOf(incidents)])
    mocks.http.onPost(`${INCIDENTS}inc1/updates/`).reply((config) => {
      const body = JSON.parse(config.data) as { status: IncidentStatus; message: string }
      const at = new Date().toISOString()
      incidents[0] = {
        ...incidents[0],
        status: body.status,
        resolved_at: body.status === 'resolved' ? at : null,
        updates: [{ ...body, created_at: at }, ...incidents[0].updates],
      }
      return [200, incidents[0]]
    })
  }

  beforeEach(() => {
    mocks = mockApi()
    incidents = [incident()]
  })
  afterEach(() => mocks.restore())

  async function openFirst() {
    const user = userEvent.setup()
    const row = await screen.findByTestId('incident-row', {}, { timeout: 10_000 })
    await user.click(within(row).getByRole('button', { name: 'Open API errors' }))
    return { user, row, detail: await within(row).findByTestId('incident-detail') }
  }

  it('lists incidents; opening one shows its endpoints, impact and timeline', async () => {
    setUp()
    renderApp('/incidents')
    const { detail } = await openFirst()
    expect(within(detail).getByLabelText('Impact of API errors')).toHaveValue('major')
    await waitFor(() => expect(detail).toHaveTextContent('API'))
    expect(within(detail).getAllByTestId('incident-update')[0]).toHaveTextContent('Checks are failing: HTTP 503')
  })

  it('a member adds an update with a status; the timeline shows it newest first', async () => {
    setUp('member')
    renderApp('/incidents')
    const { user, row, detail } = await openFirst()
    const form = within(detail).getByRole('form', { name: 'Add an update' })
    await user.click(within(form).getByRole('button', { name: 'Post update' }))
    expect(await within(form).findByText('Write a message.')).toBeInTheDocument()
    await user.selectOptions(within(form).getByLabelText('Status'), 'identified')
    await user.type(within(form).getByLabelText('Update message'), 'A bad deploy; rolling back.')
    await user.click(within(form).getByRole('button', { name: 'Post update' }))
    await waitFor(() => expect(within(row).getAllByTestId('incident-update')).toHaveLength(2))
    expect(within(row).getAllByTestId('incident-update')[0]).toHaveTextContent('A bad deploy; rolling back.')
    expect(within(row).getByTestId('incident-status')).toHaveTextContent('Identified')
    expect(JSON.parse(mocks.http.history.post[0].data)).toEqual({ status: 'identified', message: 'A bad deploy; rolling back.' })
  })

  it('changes the impact in place (PATCH)', async () => {
    setUp()
    mocks.http.onPatch(`${INCIDENTS}inc1/`).reply((config) => {
      incidents[0] = { ...incidents[0], ...JSON.parse(config.data) }
      return [200, incidents[0]]
    })
    renderApp('/incidents')
    const { user, row, detail } = await openFirst()
    await user.selectOptions(within(detail).getByLabelText('Impact of API errors'), 'critical')
    await waitFor(() => expect(row).toHaveTextContent('Critical impact'))
    expect(JSON.parse(mocks.http.history.patch[0].data)).toEqual({ impact: 'critical' })
  })

  it('resolves an incident', async () => {
    setUp()
    renderApp('/incidents')
    const { user, row, detail } = await openFirst()
    await user.click(within(detail).getByRole('button', { name: 'Resolve' }))
    await waitFor(() => expect(within(row).getByTestId('incident-status')).toHaveTextContent('Resolved'))
    expect(JSON.parse(mocks.http.history.post[0].data)).toMatchObject({ status: 'resolved' })
    expect(within(row).queryByRole('button', { name: 'Resolve' })).not.toBeInTheDocument()
  })

  it('reports an incident with endpoints and impact, then opens it', async () => {
    setUp()
    mocks.http.onPost(INCIDENTS).reply((config) => {
      const body = JSON.parse(config.data)
      const created = incident({ id: 'inc2', title: body.title, impact: body.impact, endpoint_ids: body.endpoint_ids, updates: [{ status: body.status, message: body.message, created_at: new Date().toISOString() }] })
      incidents = [created, ...incidents]
      return [201, created]
    })
    renderApp('/incidents')
    const user = userEvent.setup()
    await user.click(await screen.findByRole('button', { name: 'Report an incident' }, { timeout: 10_000 }))
    const form = screen.getByRole('form', { name: 'Report an incident' })
    await user.type(within(form).getByLabelText('Title'), 'Website slow')
    await user.selectOptions(within(form).getByLabelText('Impact'), 'critical')
    await user.type(within(form).getByLabelText('Message'), 'Pages take 10 s.')
    await user.click(await within(form).findByRole('checkbox', { name: /Website/ }))
    await user.click(within(form).getByRole('button', { name: 'Report incident' }))
    expect(await screen.findByTestId('incident-detail')).toHaveTextContent('Pages take 10 s.')
    expect(JSON.parse(mocks.http.history.post[0].data)).toEqual({
      title: 'Website slow',
      status: 'investigating',
      impact: 'critical',
      message: 'Pages take 10 s.',
      endpoint_ids: ['e2'],
    })
  })
})
