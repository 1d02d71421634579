import * as z from 'zod/mini'
import type { BankTransferInput } from '@/api/types'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const AMOUNT = /^\d{1,9}([.,]\d{1,2})?$/

/** "190", "190.5", "190,50" → 19050: the amount in the currency's minor unit, without floating-point rounding. */
export function toCents(amount: string): number | null {
  const value = amount.trim()
  if (!AMOUNT.test(value)) return null
  const [whole, fraction = ''] = value.split(/[.,]/)
  return Number.parseInt(whole, 10) * 100 + Number.parseInt(fraction.padEnd(2, '0'), 10)
}

export const bankTransferSchema = z.object({
  tenant_id: z.string().check(z.trim(), z.regex(UUID, 'Paste the tenant’s id (a UUID) from the tenants list.')),
  external_payment_id: z.string().check(
    z.trim(),
    z.minLength(1, 'Enter the bank’s reference for this payment.'),
    z.maxLength(200, 'Use at most 200 characters.'),
  ),
  amount: z.string().check(
    z.refine((v) => toCents(v) !== null, 'Enter an amount such as 190 or 190.00.'),
    z.refine((v) => (toCents(v) ?? 1) > 0, 'The amount must be more than zero.'),
  ),
  currency: z.string().check(z.trim(), z.regex(/^[A-Za-z]{3}$/, 'Use a three-letter code such as EUR.')),
  payer_name: z.string().check(z.trim(), z.minLength(1, 'Enter who paid, as the bank statement says.'), z.maxLength(200, 'Use at most 200 characters.')),
  period_months: z
    .number({ error: 'Enter a number of months.' })
    .check(z.refine(Number.isInteger, 'Use whole months.'), z.gte(1, 'Use 1 to 36 months.'), z.lte(36, 'Use 1 to 36 months.')),
})

export type BankTransferValues = z.infer<typeof bankTransferSchema>

export function bankTransferInput(values: BankTransferValues): BankTransferInput {
  return {
    tenant_id: values.tenant_id.trim().toLowerCase(),
    external_payment_id: values.external_payment_id.trim(),
    amount_cents: toCents(values.amount) ?? 0,
    currency: values.currency.trim().toLowerCase(),
    payer_name: values.payer_name.trim(),
    period_months: values.period_months,
  }
}

/** The API's field names, mapped onto the form's (the amount is typed in whole units there). */
export function formFieldOf(apiField: string): keyof BankTransferValues | null {
  if (apiField === 'amount_cents') return 'amount'
  const fields: (keyof BankTransferValues)[] = ['tenant_id', 'external_payment_id', 'currency', 'payer_name', 'period_months']
  return (fields as string[]).includes(apiField) ? (apiField as keyof BankTransferValues) : null
}
