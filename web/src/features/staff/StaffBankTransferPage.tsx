import { useEffect, useState } from 'react'
import { useForm } from 'react-hook-form'
import { zodResolver } from '@hookform/resolvers/zod'
import { useQueryClient } from '@tanstack/react-query'
import { useSearch } from '@tanstack/react-router'
import { rateLimitMessage, toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { confirmBankTransfer } from '@/api/staff'
import type { BankTransferInput } from '@/api/types'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Spinner } from '@/components/ui/spinner'
import { usePlans } from '@/hooks/usePlans'
import { formatMoney } from '@/lib/format'
import { findPlan, UPGRADE_PLAN_ID } from '@/lib/plans'
import { bankTransferInput, bankTransferSchema, formFieldOf, toCents, type BankTransferValues } from './bankTransfer'

type Outcome =
  | { kind: 'done'; sent: BankTransferInput; duplicate: boolean }
  | { kind: 'conflict'; sent: BankTransferInput }
  | null

function money(cents: number, currency: string): string {
  return /^[a-z]{3}$/i.test(currency) ? formatMoney(cents, currency) : `${(cents / 100).toFixed(2)} ${currency}`
}

/**
 * /staff/bank-transfer: records a payment that arrived by bank transfer. The tenant gets Pro
 * for the paid months and an invoice marked paid. Repeating the same payment id with the same
 * data changes nothing (200); with other data the server refuses it (409 payment_conflict).
 */
export function StaffBankTransferPage() {
  const search = useSearch({ strict: false }) as { tenant_id?: string }
  const queryClient = useQueryClient()
  const [outcome, setOutcome] = useState<Outcome>(null)
  const [formError, setFormError] = useState<string | null>(null)
  const empty: BankTransferValues = {
    tenant_id: search.tenant_id ?? '',
    external_payment_id: '',
    amount: '',
    currency: '',
    payer_name: '',
    period_months: 12,
  }
  const {
    register,
    handleSubmit,
    setError,
    reset,
    watch,
    getValues,
    setValue,
    formState: { errors, isSubmitting },
  } = useForm<BankTransferValues>({ resolver: zodResolver(bankTransferSchema), defaultValues: empty })
  // A transfer pays for Pro, in the currency the plans are sold in (public /api/billing/plans/).
  const planCurrency = findPlan(usePlans().data, UPGRADE_PLAN_ID)?.currency?.toUpperCase()
  useEffect(() => {
    if (planCurrency && !getValues('currency')) setValue('currency', planCurrency)
  }, [planCurrency, getValues, setValue])
  const cents = toCents(watch('amount') ?? '')
  const currency = watch('currency') ?? ''

  const submit = handleSubmit(async (values) => {
    setFormError(null)
    setOutcome(null)
    const sent = bankTransferInput(values)
    let duplicate: boolean
    try {
      duplicate = (await confirmBankTransfer(sent)).duplicate === true
    } catch (error) {
      const apiError = toApiError(error)
      if (apiError.code === 'payment_conflict' || apiError.status === 409) {
        setOutcome({ kind: 'conflict', sent })
        setError('external_payment_id', { type: 'server', message: 'Already recorded with other details.' })
        return
      }
      if (apiError.status === 404) {
        setError('tenant_id', { type: 'server', message: 'No tenant has this id.' }, { shouldFocus: true })
        return
      }
      if (apiError.status === 429) {
        setFormError(rateLimitMessage(error, 'Too many requests.'))
        return
      }
      const leftovers: string[] = []
      for (const [field, messages] of Object.entries(apiError.errors)) {
        const target = formFieldOf(field)
        if (target) setError(target, { type: 'server', message: messages.join(' ') })
        else leftovers.push(...messages)
      }
      setFormError(leftovers.length ? leftovers.join(' ') : Object.keys(apiError.errors).length ? null : apiError.detail)
      return
    }
    setOutcome({ kind: 'done', sent, duplicate })
    reset({ ...empty, tenant_id: '', currency: planCurrency ?? '' })
    void queryClient.invalidateQueries({ queryKey: queryKeys.staff })
  })

  return (
    <div className="max-w-3xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Bank transfer</h1>
        <p className="text-sm text-slate-600">
          Record a payment that arrived in the bank: the tenant gets Pro for the months paid, its account becomes active,
          and a paid invoice is listed.
        </p>
      </div>

      {outcome?.kind === 'done' && outcome.duplicate && (
        <Alert tone="info" title="Already recorded" data-testid="bank-transfer-duplicate">
          The payment <code className="break-all font-mono">{outcome.sent.external_payment_id}</code> was confirmed before
          with exactly these details, so nothing changed: no second period of Pro, no second invoice.
        </Alert>
      )}
      {outcome?.kind === 'done' && !outcome.duplicate && (
        <Alert tone="success" title="Payment recorded" data-testid="bank-transfer-done">
          {outcome.sent.payer_name} paid {money(outcome.sent.amount_cents, outcome.sent.currency)} for{' '}
          {outcome.sent.period_months} month{outcome.sent.period_months === 1 ? '' : 's'} of Pro (reference{' '}
          <code className="font-mono">{outcome.sent.external_payment_id}</code>). Recording the same payment again changes
          nothing.
        </Alert>
      )}
      {outcome?.kind === 'conflict' && (
        <Alert tone="error" title="This payment reference is already recorded, with other details" data-testid="bank-transfer-conflict">
          A payment with the reference <code className="break-all font-mono">{outcome.sent.external_payment_id}</code> was
          confirmed before for a different tenant, amount, currency, payer or period. Nothing was changed. Check the bank
          statement: a different payment needs its own reference.
        </Alert>
      )}
      {formError && <Alert tone="error">{formError}</Alert>}

      <Card>
        <CardHeader>
          <CardTitle>Confirm a payment</CardTitle>
          <CardDescription>Copy the details from the bank statement.</CardDescription>
        </CardHeader>
        <CardContent>
          <form onSubmit={submit} noValidate aria-label="Confirm a bank transfer" className="space-y-4">
            <fieldset disabled={isSubmitting} className="grid gap-4 sm:grid-cols-2">
              <legend className="sr-only">Payment</legend>
              <FormField label="Tenant id" error={errors.tenant_id?.message} className="sm:col-span-2" hint="From the tenants list (its “Bank transfer” button fills it in).">
                <Input autoComplete="off" spellCheck={false} className="font-mono" placeholder="a UUID" {...register('tenant_id')} />
              </FormField>
              <FormField label="Payment reference" error={errors.external_payment_id?.message} hint="The bank’s id for this payment: it makes a repeat harmless.">
                <Input autoComplete="off" spellCheck={false} {...register('external_payment_id')} />
              </FormField>
              <FormField label="Payer" error={errors.payer_name?.message}>
                <Input autoComplete="off" {...register('payer_name')} />
              </FormField>
              <FormField
                label="Amount"
                error={errors.amount?.message}
                hint={cents !== null && cents > 0 ? `${money(cents, currency)} (amount_cents ${cents})` : 'In whole units, e.g. 228.00'}
              >
                <Input inputMode="decimal" autoComplete="off" placeholder="228.00" {...register('amount')} />
              </FormField>
              <div className="grid grid-cols-2 gap-4">
                <FormField label="Currency" error={errors.currency?.message} hint={planCurrency ? `Pro is sold in ${planCurrency}.` : undefined}>
                  <Input autoComplete="off" maxLength={3} placeholder="EUR" className="uppercase" {...register('currency')} />
                </FormField>
                <FormField label="Months of Pro" error={errors.period_months?.message}>
                  <Input type="number" min={1} max={36} step={1} inputMode="numeric" {...register('period_months', { valueAsNumber: true })} />
                </FormField>
              </div>
            </fieldset>
            <div className="flex justify-end">
              <Button type="submit" className="w-full sm:w-auto" disabled={isSubmitting}>
                {isSubmitting && <Spinner />}
                Confirm payment
              </Button>
            </div>
          </form>
        </CardContent>
      </Card>
    </div>
  )
}
