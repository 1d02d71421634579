import { useEffect, useState } from 'react'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { Link, useSearch } from '@tanstack/react-router'
import { fetchMe } from '@/api/auth'
import { getSubscription } from '@/api/billing'
import { queryKeys } from '@/api/queryKeys'
import { Button, buttonVariants } from '@/components/ui/button'
import { useUpgradePlan } from '@/hooks/usePlans'
import { capitalize, planPerks } from '@/lib/plans'
import { ResultCard } from './ResultCard'

/** How often and for how long the page asks whether Stripe's webhook has arrived. */
export const successPolling = { intervalMs: 2_000, durationMs: 30_000 }

/**
 * Where Stripe Checkout returns after payment. The plan changes when Stripe's webhook
 * reaches the backend, usually within seconds: until then the page polls the
 * subscription (and /me, which drives the plan badge), for a short while.
 */
export function BillingSuccessPage() {
  const { session_id: sessionId } = useSearch({ strict: false }) as { session_id?: string }
  const queryClient = useQueryClient()
  const [round, setRound] = useState(0)
  const [timedOut, setTimedOut] = useState(false)
  const pro = useUpgradePlan()

  const subscription = useQuery({
    queryKey: queryKeys.subscription,
    queryFn: getSubscription,
    staleTime: 0,
    refetchInterval: (query) => (timedOut || query.state.data?.plan === 'pro' ? false : successPolling.intervalMs),
  })
  const me = useQuery({
    queryKey: queryKeys.me,
    queryFn: fetchMe,
    staleTime: 0,
    refetchInterval: (query) => (timedOut || query.state.data?.tenant.plan === 'pro' ? false : successPolling.intervalMs),
  })

  const subscriptionPro = subscription.data?.plan === 'pro'
  const mePro = me.data?.tenant.plan === 'pro'
  const confirmed = subscriptionPro || mePro

  // Each round ("Check again" starts a new one) polls for durationMs, then gives up.
  useEffect(() => {
    if (mePro) return
    const timer = window.setTimeout(() => setTimedOut(true), successPolling.durationMs)
    return () => window.clearTimeout(timer)
  }, [round, mePro])

  // Billing says Pro before /me does: make the header catch up.
  useEffect(() => {
    if (subscriptionPro && !mePro) void queryClient.invalidateQueries({ queryKey: queryKeys.me })
    if (mePro && !subscriptionPro) void queryClient.invalidateQueries({ queryKey: queryKeys.subscription })
  }, [subscriptionPro, mePro, queryClient])

  const dashboardLink = (
    <Link to="/dashboard" className={buttonVariants({ variant: confirmed ? 'primary' : 'outline' })}>
      Go to the dashboard
    </Link>
  )
  const billingLink = (
    <Link to="/billing" className={buttonVariants({ variant: 'outline' })}>
      Back to billing
    </Link>
  )
  const links = confirmed ? (
    <>
      {dashboardLink}
      {billingLink}
    </>
  ) : (
    <>
      {billingLink}
      {dashboardLink}
    </>
  )

  const reference = sessionId ? (
    <p className="text-xs text-slate-500">
      Reference: <span className="break-all font-mono">{sessionId}</span>
    </p>
  ) : null

  if (confirmed) {
    return (
      <ResultCard tone="success" title={`You are on the ${pro?.name ?? 'Pro'} plan`} testId="billing-success" actions={links}>
        <p>
          Payment received and confirmed by Stripe.
          {pro ? ` ${capitalize(planPerks(pro))} are yours.` : ''}
        </p>
        {reference}
      </ResultCard>
    )
  }

  if (timedOut) {
    return (
      <ResultCard
        tone="neutral"
        title="Payment received — waiting for Stripe"
        testId="billing-success"
        actions={
          <>
            <Button
              variant="outline"
              onClick={() => {
                setTimedOut(false)
                setRound((n) => n + 1)
                void queryClient.invalidateQueries({ queryKey: queryKeys.subscription })
                void queryClient.invalidateQueries({ queryKey: queryKeys.me })
              }}
            >
              Check again
            </Button>
            {links}
          </>
        }
      >
        <p>
          Stripe has not confirmed the payment yet. This usually takes seconds, sometimes a few minutes; your plan changes
          on its own as soon as it does. You will not be charged twice.
        </p>
        {reference}
      </ResultCard>
    )
  }

  return (
    <ResultCard tone="pending" title="Payment received" testId="billing-success" actions={links}>
      <p>Your plan updates as soon as Stripe confirms the payment. This page follows it for you.</p>
      {reference}
    </ResultCard>
  )
}
