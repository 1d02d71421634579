import type { BillingPlan, Invoice, Subscription } from '@/api/types'

export const plans: BillingPlan[] = [
  { id: 'free', name: 'Free', price_cents: 0, currency: 'usd', interval: 'month', endpoint_limit: 3, min_interval_seconds: 60, retention_days: 7 },
  { id: 'pro', name: 'Pro', price_cents: 1900, currency: 'usd', interval: 'month', endpoint_limit: -1, min_interval_seconds: 30, retention_days: 90 },
]

export function subscription(overrides: Partial<Subscription> = {}): Subscription {
  return {
    plan: 'free',
    status: 'free',
    current_period_end: null,
    cancel_at_period_end: false,
    stripe_configured: true,
    test_mode: true,
    ...overrides,
  }
}

export function invoice(overrides: Partial<Invoice> = {}): Invoice {
  return {
    id: 'in_1',
    number: 'SW-0001',
    status: 'paid',
    amount_due: 1900,
    amount_paid: 1900,
    currency: 'usd',
    period_start: '2026-01-01T12:00:00Z',
    period_end: '2026-02-01T12:00:00Z',
    hosted_invoice_url: 'https://invoice.stripe.com/i/acct_1/in_1',
    invoice_pdf: 'https://pay.stripe.com/invoice/acct_1/in_1/pdf',
    created_at: '2026-01-01T12:00:00Z',
    ...overrides,
  }
}

export const noInvoices = { count: 0, next: null, previous: null, results: [] }
