import { useQuery } from '@tanstack/react-query'
import { listPlans } from '@/api/billing'
import { queryKeys } from '@/api/queryKeys'
import type { BillingPlan } from '@/api/types'
import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { formatInterval, formatPrice } from '@/lib/format'
import { isUnlimited, minIntervalFor, usePlan } from '@/stores/plan'
import { cn } from '@/lib/cn'

function PlanCard({ plan, current }: { plan: BillingPlan; current: boolean }) {
  const features = [
    isUnlimited(plan.endpoint_limit) ? 'Unlimited endpoints' : `Up to ${plan.endpoint_limit} endpoints`,
    `Checks as often as every ${formatInterval(plan.min_interval_seconds)}`,
    `${plan.retention_days} days of check history`,
  ]
  return (
    <Card className={cn('flex flex-col p-6', current && 'ring-2 ring-brand-500')} data-testid="plan-card">
      <div className="flex items-center justify-between gap-2">
        <h2 className="text-lg font-semibold text-slate-900">{plan.name}</h2>
        {current && <Badge tone="brand">Current plan</Badge>}
      </div>
      <p className="mt-3 text-3xl font-semibold tracking-tight text-slate-900">
        {formatPrice(plan.price_cents, plan.currency)}
        <span className="text-sm font-normal text-slate-500"> / {plan.interval}</span>
      </p>
      <ul className="mt-5 flex-1 space-y-2 text-sm text-slate-700">
        {features.map((feature) => (
          <li key={feature} className="flex gap-2">
            <svg viewBox="0 0 16 16" className="mt-0.5 h-4 w-4 shrink-0 text-brand-600" aria-hidden="true">
              <path d="M3.5 8.5l3 3 6-7" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
            </svg>
            {feature}
          </li>
        ))}
      </ul>
      <Button className="mt-6 w-full" variant={current ? 'outline' : 'primary'} disabled title="Checkout arrives in a later release">
        {current ? 'Your plan' : `Switch to ${plan.name}`}
      </Button>
    </Card>
  )
}

const STATUS_LABELS: Record<string, string> = {
  free: 'None (free plan)',
  trialing: 'Trial',
  active: 'Active',
  past_due: 'Payment overdue',
  canceled: 'Cancelled',
  unpaid: 'Unpaid',
  incomplete: 'Incomplete',
  incomplete_expired: 'Expired',
  paused: 'Paused',
}

/** The tenant's own plan, from /api/auth/me/: shown even when billing is not set up. */
function CurrentPlan() {
  const plan = usePlan((s) => s.plan)
  const status = usePlan((s) => s.subscriptionStatus)
  const limit = usePlan((s) => s.endpointLimit)
  const count = usePlan((s) => s.endpointCount)
  if (!plan) return <Skeleton className="h-28 rounded-xl" />
  const name = plan.charAt(0).toUpperCase() + plan.slice(1)
  const items = [
    { label: 'Plan', value: name },
    { label: 'Subscription', value: (status && STATUS_LABELS[status]) || status || '—' },
    { label: 'Endpoints', value: isUnlimited(limit) ? `${count} (unlimited)` : `${count} of ${limit}` },
    { label: 'Fastest checks', value: `every ${formatInterval(minIntervalFor(plan))}` },
  ]
  return (
    <Card className="p-5" data-testid="current-plan">
      <h2 className="text-base font-semibold text-slate-900">Your plan</h2>
      <dl className="mt-3 grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-4">
        {items.map((item) => (
          <div key={item.label} className="min-w-0">
            <dt className="text-slate-500">{item.label}</dt>
            <dd className="font-medium text-slate-900">{item.value}</dd>
          </div>
        ))}
      </dl>
    </Card>
  )
}

/** Plans from the API; online checkout is added in a later release. */
export function BillingPage() {
  const currentPlan = usePlan((s) => s.plan)
  const plans = useQuery({ queryKey: queryKeys.plans, queryFn: listPlans, retry: false })

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Billing</h1>
        <p className="text-sm text-slate-600">Your plan and what each plan includes.</p>
      </div>
      {plans.isPending ? (
        <div className="grid gap-4 md:grid-cols-2">
          <Skeleton className="h-72 rounded-xl" />
          <Skeleton className="h-72 rounded-xl" />
        </div>
      ) : plans.isError || !plans.data.length ? (
        // 503 billing_not_configured, or 404 where the billing service is not deployed.
        <>
          <CurrentPlan />
          <Alert tone="warning" title="Billing is not configured" data-testid="billing-not-configured">
            Plans and payments are not available on this installation yet. Your current plan stays as it is.
          </Alert>
        </>
      ) : (
        <>
          <Alert tone="info">Online upgrades are coming soon. Until then, contact us to change your plan.</Alert>
          <div className="grid gap-4 md:grid-cols-2">
            {plans.data.map((plan) => (
              <PlanCard key={plan.id} plan={plan} current={plan.id === currentPlan} />
            ))}
          </div>
        </>
      )}
    </div>
  )
}
