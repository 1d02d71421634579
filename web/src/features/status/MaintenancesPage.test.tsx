import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { Maintenance } from '@/api/types'
import { listOf } from '@/test/alerts'
import { endpoint } from '@/test/endpoints'
import { meAs, mockApi, renderApp, signIn } from '@/test/renderApp'
import { maintenance } from '@/test/status'

const WINDOWS = '/api/maintenances/'
const ENDPOINTS = [endpoint({ id: 'e1', name: 'API' })]

describe('MaintenancesPage', () => {
  let mocks: ReturnType<typeof mockApi>
  let windows: Maintenance[]

  beforeEach(() => {
    mocks = mockApi()
    windows = [maintenance()]
    signIn({ role: 'member' })
    mocks.http.onGet('/api/auth/me/').reply(200, meAs('member'))
    mocks.http.onGet('/api/endpoints/').reply(200, listOf(ENDPOINTS))
    mocks.http.onGet(WINDOWS).reply(() => [200, listOf(windows)])
  })
  afterEach(() => mocks.restore())

  async function fill(user: ReturnType<typeof userEvent.setup>, form: HTMLElement, start: string, end: string) {
    const starts = within(form).getByLabelText('Starts')
    const ends = within(form).getByLabelText('Ends')
    await user.clear(starts)
    await user.type(starts, start)
    await user.clear(ends)
    await user.type(ends, end)
  }

  it('schedules a window (UTC times); ends before starts and over 7 days are refused before sending', async () => {
    mocks.http.onPost(WINDOWS).reply((config) => {
      const created = maintenance({ id: 'm2', ...JSON.parse(config.data) })
      windows = [...windows, created]
      return [201, created]
    })
    renderApp('/maintenances')
    const user = userEvent.setup()
    const form = await screen.findByRole('form', { name: 'Schedule maintenance' }, { timeout: 10_000 })
    await user.type(within(form).getByLabelText('Title'), 'Network work')
    await fill(user, form, '2099-03-01T10:00', '2099-03-01T09:00')
    await user.click(within(form).getByRole('button', { name: 'Schedule' }))
    expect(await within(form).findByText('The end must be after the start.')).toBeInTheDocument()
    await fill(user, form, '2099-03-01T10:00', '2099-03-09T10:00')
    await user.click(within(form).getByRole('button', { name: 'Schedule' }))
    expect(await within(form).findByText('A window lasts at most 7 days.')).toBeInTheDocument()
    expect(mocks.http.history.post).toHaveLength(0)
    await fill(user, form, '2099-03-01T10:00', '2099-03-01T12:00')
    await user.click(await within(form).findByRole('checkbox', { name: /API/ }))
    await user.click(within(form).getByRole('button', { name: 'Schedule' }))
    await waitFor(() => expect(screen.getAllByTestId('maintenance-row')).toHaveLength(2))
    expect(JSON.parse(mocks.http.history.post[0].data)).toEqual({
      title: 'Network work',
      starts_at: new Date('2099-03-01T10:00').toISOString(),
      ends_at: new Date('2099-03-01T12:00').toISOString(),
      endpoint_ids: ['e1'],
    })
  })

  it('shows the API field errors next to the fields', async () => {
    mocks.http.onPost(WINDOWS).reply(400, { detail: 'Invalid input.', code: 'invalid', errors: { ends_at: ['At most 7 days after the start.'] } })
    renderApp('/maintenances')
    const user = userEvent.setup()
    const form = await screen.findByRole('form', { name: 'Schedule maintenance' }, { timeout: 10_000 })
    await user.type(within(form).getByLabelText('Title'), 'Network work')
    await user.click(within(form).getByRole('button', { name: 'Schedule' }))
    expect(await within(form).findByText('At most 7 days after the start.')).toBeInTheDocument()
  })

  it('edits a window (PATCH) and cancels one (DELETE)', async () => {
    mocks.http.onPatch(`${WINDOWS}m1/`).reply((config) => {
      windows[0] = { ...windows[0], ...JSON.parse(config.data) }
      return [200, windows[0]]
    })
    mocks.http.onDelete(`${WINDOWS}m1/`).reply(() => {
      windows = []
      return [204]
    })
    renderApp('/maintenances')
    const user = userEvent.setup()
    const row = await screen.findByTestId('maintenance-row', {}, { timeout: 10_000 })
    await user.click(within(row).getByRole('button', { name: 'Edit' }))
    const form = await screen.findByRole('form', { name: 'Edit the maintenance window' })
    expect(within(form).getByLabelText('Title')).toHaveValue('Database upgrade')
    await user.clear(within(form).getByLabelText('Title'))
    await user.type(within(form).getByLabelText('Title'), 'Database upgrade, part 2')
    await user.click(within(form).getByRole('button', { name: 'Save window' }))
    await waitFor(() => expect(screen.getByTestId('maintenance-row')).toHaveTextContent('Database upgrade, part 2'))
    expect(JSON.parse(mocks.http.history.patch[0].data)).toMatchObject({ title: 'Database upgrade, part 2', endpoint_ids: ['e1'] })

    await user.click(within(screen.getByTestId('maintenance-row')).getByRole('button', { name: 'Cancel window' }))
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Yes, cancel it' }))
    expect(await screen.findByText('No maintenance scheduled.')).toBeInTheDocument()
    expect(mocks.http.history.delete).toHaveLength(1)
  })
})
