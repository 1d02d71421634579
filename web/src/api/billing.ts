import { api, PLANS_PATH } from './client'
import type { BillingPlan, CheckoutSession, Invoice, Paginated, PortalSession, Subscription } from './types'

export async function listPlans(): Promise<BillingPlan[]> {
  const { data } = await api.get<BillingPlan[] | Paginated<BillingPlan>>(PLANS_PATH)
  if (Array.isArray(data)) return data
  if (data && Array.isArray(data.results)) return data.results
  throw new Error('Unexpected plans reply')
}

/** Empty strings (how the services say "none") become null. */
function orNull(value: string | null | undefined): string | null {
  return typeof value === 'string' && value ? value : null
}

export async function getSubscription(): Promise<Subscription> {
  const { data } = await api.get<Subscription>('/api/billing/subscription/')
  return { ...data, current_period_end: orNull(data.current_period_end) }
}

export async function listInvoices(page: number, pageSize: number): Promise<Paginated<Invoice>> {
  const { data } = await api.get<Paginated<Invoice>>('/api/billing/invoices/', {
    params: { page, page_size: pageSize },
  })
  return {
    ...data,
    results: data.results.map((invoice) => ({
      ...invoice,
      number: orNull(invoice.number),
      period_start: orNull(invoice.period_start),
      period_end: orNull(invoice.period_end),
      hosted_invoice_url: orNull(invoice.hosted_invoice_url),
      invoice_pdf: orNull(invoice.invoice_pdf),
      created_at: orNull(invoice.created_at),
    })),
  }
}

/**
 * Starts a Stripe Checkout session. `idempotencyKey` is new for every click: the
 * backend forwards it to Stripe, so a repeated request makes one session only.
 */
export async function createCheckoutSession(plan: string, idempotencyKey: string): Promise<CheckoutSession> {
  const { data } = await api.post<CheckoutSession>(
    '/api/billing/create-checkout-session/',
    { plan },
    { headers: { 'Idempotency-Key': idempotencyKey } },
  )
  return data
}

export async function createPortalSession(idempotencyKey: string): Promise<PortalSession> {
  const { data } = await api.post<PortalSession>(
    '/api/billing/create-portal-session/',
    {},
    { headers: { 'Idempotency-Key': idempotencyKey } },
  )
  return data
}
