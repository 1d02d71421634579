import type { ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import { getSubscription } from '@/api/billing'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import type { BillingPlan, Subscription } from '@/api/types'
import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { Spinner } from '@/components/ui/spinner'
import { usePlans } from '@/hooks/usePlans'
import { canManageOrganisation, useRole } from '@/hooks/useRole'
import { formatDate, formatInterval, formatPrice } from '@/lib/format'
import { isUnlimited, overLimitBy, planName, usePlan } from '@/stores/plan'
import { cn } from '@/lib/cn'
import { InvoicesCard } from './InvoicesCard'
import { SubscriptionStatusPill } from './StatusPills'
import { useBillingRedirect } from './useBillingRedirect'

/** Statuses in which the subscription still gives Pro. */
const LIVE = new Set(['trialing', 'active', 'past_due'])
/** Statuses with a Stripe subscription worth managing in the portal. */
const MANAGEABLE = new Set(['trialing', 'active', 'past_due', 'unpaid', 'incomplete', 'paused'])

/** 404: billing not deployed; 503: not configured or down. Either way the plan stays as it is. */
function isUnavailable(error: unknown): boolean {
  const status = toApiError(error).status
  return status === 404 || status === 503
}

function CheckIcon() {
  return (
    <svg viewBox="0 0 16 16" className="mt-0.5 h-4 w-4 shrink-0 text-brand-600" aria-hidden="true">
      <path d="M3.5 8.5l3 3 6-7" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  )
}

interface PlanCardProps {
  plan: BillingPlan
  current: boolean
  /** The Upgrade button, or null when this card has none. */
  action: ReactNode
  note?: string | null
}

function PlanCard({ plan, current, action, note }: PlanCardProps) {
  const features = [
    isUnlimited(plan.endpoint_limit) ? 'Unlimited endpoints' : `Up to ${plan.endpoint_limit} endpoints`,
    `Checks as often as every ${formatInterval(plan.min_interval_seconds)}`,
    `${plan.retention_days} days of check history`,
  ]
  return (
    <Card
      className={cn('flex flex-col p-5 sm:p-6', current && 'ring-2 ring-brand-500')}
      data-testid="plan-card"
      data-plan={plan.id}
      aria-current={current ? 'true' : undefined}
    >
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
            <CheckIcon />
            {feature}
          </li>
        ))}
      </ul>
      <div className="mt-6 space-y-2">
        {action}
        {note && <p className="text-xs text-slate-500">{note}</p>}
      </div>
    </Card>
  )
}

interface SummaryProps {
  subscription: Subscription
  canManage: boolean
  showManage: boolean
  opening: boolean
  busy: boolean
  onManage: () => void
}

/** The organisation's plan, its status, when it renews or ends, and what is used. */
function SubscriptionSummary({ subscription, canManage, showManage, opening, busy, onManage }: SummaryProps) {
  const limit = usePlan((s) => s.endpointLimit)
  const count = usePlan((s) => s.endpointCount)
  const known = usePlan((s) => s.plan !== null)
  const end = subscription.current_period_end
  const live = LIVE.has(subscription.status)
  const over = overLimitBy(limit, count) > 0

  return (
    <Card className="p-5" data-testid="current-plan">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0 space-y-1.5">
          <div className="flex flex-wrap items-center gap-2">
            <h2 className="text-base font-semibold text-slate-900">{planName(subscription.plan)} plan</h2>
            <SubscriptionStatusPill status={subscription.status} />
          </div>
          {subscription.cancel_at_period_end && end ? (
            <p className="text-sm font-medium text-amber-800" data-testid="cancel-note">
              Cancels at period end on {formatDate(end)}. Until then you keep Pro.
            </p>
          ) : live && end ? (
            <p className="text-sm text-slate-600">Renews on {formatDate(end)}.</p>
          ) : subscription.status === 'canceled' || subscription.status === 'incomplete_expired' ? (
            <p className="text-sm text-slate-600">Your subscription has ended; your organisation is on the Free plan.</p>
          ) : null}
          {known && (
            <p className={cn('text-sm', over ? 'font-medium text-amber-800' : 'text-slate-600')} data-testid="plan-usage">
              {isUnlimited(limit)
                ? `${count} endpoint${count === 1 ? '' : 's'}, unlimited on your plan`
                : `${count} of ${limit} endpoints used${over ? ' — the ones over the limit are paused' : ''}`}
            </p>
          )}
        </div>
        {showManage && (
          <div className="shrink-0 space-y-1 sm:text-right">
            <Button variant="outline" onClick={onManage} disabled={!canManage || busy} className="w-full sm:w-auto">
              {opening && <Spinner />}
              Manage subscription
            </Button>
            {!canManage && <p className="text-xs text-slate-500">Only owners and admins can manage billing.</p>}
          </div>
        )}
      </div>
    </Card>
  )
}

export function BillingPage() {
  const canManage = canManageOrganisation(useRole())
  const mePlan = usePlan((s) => s.plan)
  const meStatus = usePlan((s) => s.subscriptionStatus)

  const plans = usePlans()
  const subscriptionQuery = useQuery({ queryKey: queryKeys.subscription, queryFn: getSubscription })
  const { error: actionError, upgrade, manage, upgrading, opening, busy } = useBillingRedirect()

  const unavailable =
    (plans.isError && isUnavailable(plans.error)) || (subscriptionQuery.isError && isUnavailable(subscriptionQuery.error))
  // Without the billing service the tenant's own plan (from /api/auth/me/) still shows.
  const subscription: Subscription | null =
    subscriptionQuery.data ??
    (unavailable && mePlan
      ? {
          plan: mePlan,
          status: meStatus || mePlan,
          current_period_end: null,
          cancel_at_period_end: false,
          stripe_configured: false,
          test_mode: false,
        }
      : null)
  const configured = Boolean(subscription?.stripe_configured) && !unavailable
  const currentPlan = subscription?.plan ?? mePlan
  const status = subscription?.status ?? ''
  const showManage = currentPlan === 'pro' || MANAGEABLE.has(status)

  const upgradeBlocked = !configured
    ? 'Billing is not configured, so upgrades are unavailable.'
    : !canManage
      ? 'Only owners and admins can change the plan.'
      : null

  const actionFor = (plan: BillingPlan) => {
    const current = plan.id === currentPlan
    if (current) {
      return (
        <Button className="w-full" variant="outline" disabled>
          Your current plan
        </Button>
      )
    }
    if (plan.id === 'free') return null
    return (
      <Button className="w-full" onClick={() => upgrade(String(plan.id))} disabled={Boolean(upgradeBlocked) || busy}>
        {upgrading && <Spinner />}
        {upgrading ? 'Opening Stripe Checkout…' : `Upgrade to ${plan.name}`}
      </Button>
    )
  }

  const noteFor = (plan: BillingPlan): string | null => {
    if (plan.id === currentPlan) return null
    if (plan.id === 'free') {
      return 'To return to Free, cancel Pro under "Manage subscription". Endpoints over the Free limit are paused, never deleted.'
    }
    return upgradeBlocked
  }

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Billing</h1>
        <p className="text-sm text-slate-600">Your plan, what each plan includes, and your invoices.</p>
      </div>

      <div className="space-y-3 empty:hidden">
        {subscription?.test_mode && configured && (
          <Alert tone="info" title="Test mode — no real charges" data-testid="billing-test-mode">
            Payments go to Stripe&apos;s test environment. Use a test card such as{' '}
            <span className="whitespace-nowrap font-medium">4242 4242 4242 4242</span>.
          </Alert>
        )}
        {(unavailable || (subscription && !subscription.stripe_configured)) && (
          <Alert tone="warning" title="Billing is not configured" data-testid="billing-not-configured">
            Online payments are not set up on this installation, so plans cannot be changed here. Your current plan stays as
            it is.
          </Alert>
        )}
        {status === 'past_due' && (
          <Alert
            tone="warning"
            title="Your last payment failed"
            data-testid="billing-past-due"
            action={
              canManage && configured ? (
                <Button size="sm" onClick={manage} disabled={busy}>
                  Update payment method
                </Button>
              ) : undefined
            }
          >
            Stripe will retry the charge. Update your payment method to keep Pro; if the payment keeps failing, your
            organisation moves to the Free plan.
          </Alert>
        )}
        {status === 'unpaid' && (
          <Alert tone="error" title="Your subscription is unpaid" data-testid="billing-unpaid">
            Your organisation is on the Free plan until the open invoice is paid.
          </Alert>
        )}
        {actionError && (
          <Alert tone="error" data-testid="billing-error">
            {actionError}
          </Alert>
        )}
      </div>

      {subscription ? (
        <SubscriptionSummary
          subscription={subscription}
          canManage={canManage}
          showManage={showManage && configured}
          opening={opening}
          busy={busy}
          onManage={manage}
        />
      ) : subscriptionQuery.isError ? (
        <Alert tone="error" title="Your subscription could not be loaded">
          {toApiError(subscriptionQuery.error).detail}
        </Alert>
      ) : (
        <Skeleton className="h-24 rounded-xl" />
      )}

      {plans.isPending ? (
        <div className="grid gap-4 md:grid-cols-2">
          <Skeleton className="h-72 rounded-xl" />
          <Skeleton className="h-72 rounded-xl" />
        </div>
      ) : plans.isError ? (
        unavailable ? null : (
          <Alert tone="error" title="Plans could not be loaded">
            {toApiError(plans.error).detail}
          </Alert>
        )
      ) : (
        <section aria-label="Plans" className="grid gap-4 md:grid-cols-2">
          {plans.data.map((plan) => (
            <PlanCard key={plan.id} plan={plan} current={plan.id === currentPlan} action={actionFor(plan)} note={noteFor(plan)} />
          ))}
        </section>
      )}

      {!unavailable && <InvoicesCard />}
    </div>
  )
}
