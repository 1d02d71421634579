import { describe, expect, it } from 'vitest'
import { bankTransferInput, toCents } from './bankTransfer'

describe('bank transfer', () => {
  it('turns a typed amount into cents exactly', () => {
    expect(toCents('190')).toBe(19000)
    expect(toCents('190.5')).toBe(19050)
    expect(toCents('0,07')).toBe(7)
    expect(toCents('19.999')).toBeNull()
    expect(toCents('-3')).toBeNull()
    expect(toCents('1e3')).toBeNull()
  })

  it('sends the contract fields, trimmed, currency in lower case', () => {
    expect(
      bankTransferInput({
        tenant_id: ' 6A1F3C1E-0000-4000-8000-000000000001 ',
        external_payment_id: ' BANK-2026-0042 ',
        amount: '228.00',
        currency: 'EUR',
        payer_name: ' Acme Robotics GmbH ',
        period_months: 12,
      }),
    ).toEqual({
      tenant_id: '6a1f3c1e-0000-4000-8000-000000000001',
      external_payment_id: 'BANK-2026-0042',
      amount_cents: 22800,
      currency: 'eur',
      payer_name: 'Acme Robotics GmbH',
      period_months: 12,
    })
  })
})
