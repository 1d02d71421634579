import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { screen, waitFor, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { mockApi, renderApp, staffSignIn } from '@/test/renderApp'

const CONFIRM = '/api/staff/billing/confirm-bank-transfer/'
const ACME = '6a1f3c1e-0000-4000-8000-000000000001'

async function fill({ reference = 'SEPA-42', amount = '228.00', currency = 'EUR', payer = 'Acme GmbH', months = '12' } = {}) {
  const user = userEvent.setup()
  const form = await screen.findByRole('form', { name: 'Confirm a bank transfer' }, { timeout: 10_000 })
  await user.type(within(form).getByLabelText('Payment reference'), reference)
  await user.type(within(form).getByLabelText('Payer'), payer)
  await user.type(within(form).getByLabelText('Amount'), amount)
  await user.type(within(form).getByLabelText('Currency'), currency)
  await user.clear(within(form).getByLabelText('Months of Pro'))
  await user.type(within(form).getByLabelText('Months of Pro'), months)
  await user.click(within(form).getByRole('button', { name: 'Confirm payment' }))
  return { user, form }
}

describe('StaffBankTransferPage', () => {
  let mocks: ReturnType<typeof mockApi>
  beforeEach(() => {
    mocks = mockApi()
    staffSignIn()
  })
  afterEach(() => mocks.restore())

  it('sends the contract fields, the amount in cents, and says what it did', async () => {
    mocks.staff.onPost(CONFIRM).reply(200, { payment: { external_payment_id: 'SEPA-42' }, duplicate: false })
    renderApp(`/staff/bank-transfer?tenant_id=${ACME}`)
    expect(await screen.findByLabelText('Tenant id', {}, { timeout: 10_000 })).toHaveValue(ACME)
    await fill()

    const done = await screen.findByTestId('bank-transfer-done')
    expect(done).toHaveTextContent('Acme GmbH paid €228.00 for 12 months of Pro')
    expect(done).toHaveTextContent('Recording the same payment again changes nothing.')
    expect(JSON.parse(mocks.staff.history.post[0].data)).toEqual({
      tenant_id: ACME,
      external_payment_id: 'SEPA-42',
      amount_cents: 22800,
      currency: 'eur',
      payer_name: 'Acme GmbH',
      period_months: 12,
    })
    expect(mocks.staff.history.post[0].headers?.Authorization).toBe('Bearer staff.token.1')
  })

  it('says a repeat of a recorded payment (duplicate) changed nothing', async () => {
    mocks.staff.onPost(CONFIRM).reply(200, { payment: { external_payment_id: 'SEPA-42' }, duplicate: true })
    renderApp(`/staff/bank-transfer?tenant_id=${ACME}`)
    await fill()
    expect(await screen.findByTestId('bank-transfer-duplicate')).toHaveTextContent('was confirmed before with exactly these details')
    expect(screen.queryByTestId('bank-transfer-done')).not.toBeInTheDocument()
  })

  it('fills in the currency Pro is sold in, from the plans', async () => {
    mocks.http.onGet('/api/billing/plans/').reply(200, [
      { id: 'free', name: 'Free', price_cents: 0, currency: 'usd', interval: 'month', endpoint_limit: 3, min_interval_seconds: 60, retention_days: 7 },
      { id: 'pro', name: 'Pro', price_cents: 1900, currency: 'usd', interval: 'month', endpoint_limit: -1, min_interval_seconds: 30, retention_days: 90 },
    ])
    renderApp('/staff/bank-transfer')
    await waitFor(async () => expect(await screen.findByLabelText('Currency')).toHaveValue('USD'))
    expect(screen.getByLabelText('Currency')).toHaveAccessibleDescription('Pro is sold in USD.')
  })

  it('explains 409 payment_conflict and changes nothing', async () => {
    mocks.staff.onPost(CONFIRM).reply(409, { detail: 'Conflict.', code: 'payment_conflict' })
    renderApp(`/staff/bank-transfer?tenant_id=${ACME}`)
    const { form } = await fill({ amount: '19' })
    const conflict = await screen.findByTestId('bank-transfer-conflict')
    expect(conflict).toHaveTextContent('already recorded, with other details')
    expect(conflict).toHaveTextContent('SEPA-42')
    expect(within(form).getByLabelText('Payment reference')).toHaveAccessibleDescription('Already recorded with other details.')
    expect(screen.queryByTestId('bank-transfer-done')).not.toBeInTheDocument()
  })

  it('puts 404 under the tenant id and API field errors under their fields (amount_cents under Amount)', async () => {
    mocks.staff
      .onPost(CONFIRM)
      .replyOnce(404, { detail: 'Not found.', code: 'not_found' })
      .onPost(CONFIRM)
      .replyOnce(400, { detail: 'Invalid input.', code: 'invalid', errors: { amount_cents: ['Does not match the Pro price.'] } })
    renderApp(`/staff/bank-transfer?tenant_id=${ACME}`)
    const { user, form } = await fill()
    await waitFor(() => expect(within(form).getByLabelText('Tenant id')).toHaveAccessibleDescription('No tenant has this id.'))
    await user.click(within(form).getByRole('button', { name: 'Confirm payment' }))
    await waitFor(() => expect(within(form).getByLabelText('Amount')).toHaveAccessibleDescription('Does not match the Pro price.'))
  })

  it('checks the form before sending', async () => {
    renderApp('/staff/bank-transfer')
    const { form } = await fill({ amount: '12.345', currency: 'EURO', months: '0' })
    expect(await within(form).findByText('Paste the tenant’s id (a UUID) from the tenants list.')).toBeInTheDocument()
    expect(within(form).getByText('Enter an amount such as 190 or 190.00.')).toBeInTheDocument()
    expect(within(form).getByText('Use 1 to 36 months.')).toBeInTheDocument()
    expect(mocks.staff.history.post).toHaveLength(0)
  })
})
