import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { mockApi, renderApp, staffSignIn } from '@/test/renderApp'

const REVENUE = '/api/staff/reports/revenue/'
const USAGE = '/api/staff/reports/usage/'
const CHURN = '/api/staff/reports/churn/'

const revenue = {
  currency: 'usd',
  mrr_cents: 41800,
  months: [
    { month: '2026-01', revenue_cents: 19000, by_plan: { pro: 19000 }, by_method: { card: 19000 } },
    { month: '2026-02', revenue_cents: 41800, by_plan: { pro: 41800 }, by_method: { card: 19000, bank_transfer: 22800 } },
  ],
}
const churn = {
  months: [
    { month: '2026-01', started: 4, canceled: 1, churn_rate: 0.05 },
    { month: '2026-02', started: 2, canceled: 0, churn_rate: 0 },
  ],
}
const usage = {
  tenants_by_plan: { free: 30, pro: 10 },
  tenants_by_status: { active: 35, suspended: 5 },
  endpoints: 321,
  checks_last_24h: 1_000_000,
  api_calls_last_24h: 5_000,
}

describe('StaffReportsPage', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
    staffSignIn()
    mocks.staff.onGet(REVENUE).reply(200, revenue)
    mocks.staff.onGet(USAGE).reply(200, usage)
    mocks.staff.onGet(CHURN).reply(200, churn)
  })
  afterEach(() => mocks.restore())

  it('shows revenue with MRR, churn with its rate, and usage, with charts and tables', async () => {
    renderApp('/staff/reports')
    expect(await screen.findByTestId('mrr', {}, { timeout: 10_000 })).toHaveTextContent('$418.00')
    const revenueCard = screen.getByTestId('report-revenue')
    const rows = within(revenueCard).getAllByTestId('revenue-row')
    expect(rows).toHaveLength(2)
    expect(rows[1]).toHaveTextContent('$418.00')
    expect(rows[1]).toHaveTextContent('Bank transfer $228.00')
    expect(within(revenueCard).getAllByTestId('bar-group')).toHaveLength(2)
    expect(within(revenueCard).getByRole('img', { name: /Revenue per month/ })).toBeInTheDocument()

    const churnCard = await screen.findByTestId('report-churn')
    expect(within(churnCard).getAllByTestId('churn-row')[0]).toHaveTextContent('5.0%')
    expect(within(churnCard).getByTestId('latest-churn')).toHaveTextContent('0.0%')
    const usageCard = await screen.findByTestId('report-usage')
    expect(await within(usageCard).findByTestId('usage-endpoints')).toHaveTextContent('321')
    expect(within(usageCard).getByRole('list', { name: 'Tenants by plan' })).toHaveTextContent('Pro10')
    expect(mocks.staff.history.get.find((r) => r.url === REVENUE)?.params).toEqual({})
  })

  it('asks for a month range, kept in the URL', async () => {
    const { router } = renderApp('/staff/reports')
    const user = userEvent.setup()
    const form = await screen.findByRole('form', { name: 'Months' }, { timeout: 10_000 })
    await user.type(within(form).getByLabelText('From'), '2025-04')
    await user.type(within(form).getByLabelText('To'), '2026-03')
    await user.click(within(form).getByRole('button', { name: 'Show' }))
    await waitFor(() => expect(router.state.location.search).toEqual({ from: '2025-04', to: '2026-03' }))
    await waitFor(() => expect(mocks.staff.history.get.filter((r) => r.url === REVENUE).at(-1)?.params).toEqual({ from: '2025-04', to: '2026-03' }))
    expect(mocks.staff.history.get.filter((r) => r.url === CHURN).at(-1)?.params).toEqual({ from: '2025-04', to: '2026-03' })
  })

  it('refuses a range that ends before it starts, and shows a 400 in its section', async () => {
    mocks.staff.onGet(CHURN).reply(400, { detail: 'Invalid input.', code: 'invalid', errors: { from: ['Use YYYY-MM.'] } })
    renderApp('/staff/reports?from=2026-03&to=2026-01')
    expect(await within(await screen.findByTestId('report-churn', {}, { timeout: 10_000 })).findByText('Use YYYY-MM.')).toBeInTheDocument()
    const form = screen.getByRole('form', { name: 'Months' })
    await userEvent.setup().click(within(form).getByRole('button', { name: 'Show' }))
    expect(await within(form).findByText('The last month comes before the first.')).toBeInTheDocument()
  })
})
