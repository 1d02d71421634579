import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import type { StaffTenant } from '@/api/types'
import { listOf } from '@/test/alerts'
import { mockApi, renderApp, staffSignIn } from '@/test/renderApp'

const TENANTS = '/api/staff/tenants/'
const ACME = '6a1f3c1e-0000-4000-8000-000000000001'
const GLOBEX = '6a1f3c1e-0000-4000-8000-000000000002'

function tenant(overrides: Partial<StaffTenant> = {}): StaffTenant {
  return {
    id: ACME,
    name: 'Acme',
    plan: 'pro',
    account_status: 'active',
    subscription_status: 'active',
    endpoint_count: 12,
    members: 4,
    created_at: '2026-01-01T12:00:00Z',
    ...overrides,
  }
}

describe('StaffTenantsPage', () => {
  let mocks: ReturnType<typeof mockApi>
  let tenants: StaffTenant[]

  beforeEach(() => {
    mocks = mockApi()
    staffSignIn()
    tenants = [
      tenant(),
      tenant({ id: GLOBEX, name: 'Globex', plan: 'free', account_status: 'suspended', subscription_status: 'canceled', endpoint_count: 1, members: null, suspension_reason: 'Chargebacks' }),
    ]
    mocks.staff.onGet(TENANTS).reply(() => [200, listOf(tenants, 45)])
  })
  afterEach(() => mocks.restore())

  const lastParams = () => mocks.staff.history.get.filter((r) => r.url === TENANTS).at(-1)?.params

  async function rowOf(name: string) {
    const rows = await screen.findAllByTestId('tenant-row', {}, { timeout: 10_000 })
    const row = rows.find((r) => within(r).queryByText(name))
    if (!row) throw new Error(`no tenant row ${name}`)
    return row
  }

  it('lists the tenants with plan, account and subscription status, endpoints, members and creation', async () => {
    renderApp('/staff/tenants')
    const acme = await rowOf('Acme')
    expect(acme).toHaveTextContent('Pro')
    expect(within(acme).getByTestId('tenant-status')).toHaveTextContent('Active')
    expect(acme).toHaveTextContent('12')
    expect(acme).toHaveTextContent('4')
    const globex = await rowOf('Globex')
    expect(within(globex).getByTestId('tenant-status')).toHaveTextContent('Suspended')
    expect(within(globex).getByTestId('suspension-reason')).toHaveTextContent('“Chargebacks”')
    // A count the backend could not make (null) is a dash, not 0.
    expect(globex).toHaveTextContent('—')
    expect(lastParams()).toEqual({ page: 1, page_size: 20 })
    expect(mocks.staff.history.get[0].headers?.Authorization).toBe('Bearer staff.token.1')
    expect(screen.getByText('1–20 of 45')).toBeInTheDocument()
  })

  it('searches and filters by status and plan, in the URL and the query, and pages', async () => {
    const { router } = renderApp('/staff/tenants')
    const user = userEvent.setup()
    await rowOf('Acme')
    await user.type(screen.getByLabelText('Search'), 'acme')
    await user.click(screen.getByRole('button', { name: 'Search' }))
    await waitFor(() => expect(lastParams()).toEqual({ page: 1, page_size: 20, q: 'acme' }))
    await user.selectOptions(screen.getByLabelText('Status'), 'past_due')
    await user.selectOptions(screen.getByLabelText('Plan'), 'pro')
    await waitFor(() => expect(lastParams()).toEqual({ page: 1, page_size: 20, q: 'acme', status: 'past_due', plan: 'pro' }))
    expect(router.state.location.search).toEqual({ q: 'acme', status: 'past_due', plan: 'pro' })
    await user.click(within(screen.getByRole('navigation', { name: 'Tenant pages' })).getByRole('button', { name: 'Next' }))
    await waitFor(() => expect(lastParams()).toEqual({ page: 2, page_size: 20, q: 'acme', status: 'past_due', plan: 'pro' }))
  })

  it('suspends with a reason (required) and reactivates, each after a dialog', async () => {
    mocks.staff.onPost(`${TENANTS}${ACME}/suspend/`).reply((config) => {
      tenants = tenants.map((t) => (t.id === ACME ? { ...t, account_status: 'suspended' } : t))
      return [200, { ...tenants[0], reason: JSON.parse(config.data).reason }]
    })
    mocks.staff.onPost(`${TENANTS}${GLOBEX}/reactivate/`).reply(() => {
      tenants = tenants.map((t) => (t.id === GLOBEX ? { ...t, account_status: 'active' } : t))
      return [200, tenants[1]]
    })
    renderApp('/staff/tenants')
    const user = userEvent.setup()

    await user.click(within(await rowOf('Acme')).getByRole('button', { name: 'Suspend Acme' }))
    let dialog = await screen.findByRole('alertdialog')
    await user.click(within(dialog).getByRole('button', { name: 'Suspend' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Say why')
    expect(mocks.staff.history.post).toHaveLength(0)
    await user.type(within(dialog).getByLabelText('Reason'), 'Chargebacks')
    await user.click(within(dialog).getByRole('button', { name: 'Suspend' }))
    expect(await screen.findByText('Acme is suspended from its next request.')).toBeInTheDocument()
    expect(JSON.parse(mocks.staff.history.post[0].data)).toEqual({ reason: 'Chargebacks' })
    await waitFor(async () => expect(within(await rowOf('Acme')).getByTestId('tenant-status')).toHaveTextContent('Suspended'))

    await user.click(within(await rowOf('Globex')).getByRole('button', { name: 'Reactivate Globex' }))
    dialog = await screen.findByRole('alertdialog')
    await user.click(within(dialog).getByRole('button', { name: 'Reactivate' }))
    expect(await screen.findByText('Globex is active again.')).toBeInTheDocument()
  })

  it('says so in the dialog when the tenant is gone (404)', async () => {
    mocks.staff.onPost(`${TENANTS}${ACME}/suspend/`).reply(404, { detail: 'Not found.', code: 'not_found' })
    renderApp('/staff/tenants')
    const user = userEvent.setup()
    await user.click(within(await rowOf('Acme')).getByRole('button', { name: 'Suspend Acme' }))
    const dialog = await screen.findByRole('alertdialog')
    await user.type(within(dialog).getByLabelText('Reason'), 'Abuse')
    await user.click(within(dialog).getByRole('button', { name: 'Suspend' }))
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('This tenant no longer exists.')
  })

  it('links each tenant to the bank-transfer form, filled in', async () => {
    const { router } = renderApp('/staff/tenants')
    await userEvent.setup().click(within(await rowOf('Acme')).getByRole('link', { name: 'Record a bank transfer for Acme' }))
    await waitFor(() => expect(router.state.location.pathname).toBe('/staff/bank-transfer'))
    expect(await screen.findByLabelText('Tenant id', {}, { timeout: 10_000 })).toHaveValue(ACME)
  })
})
