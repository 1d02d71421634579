import { Link } from '@tanstack/react-router'
import { buttonVariants } from '@/components/ui/button'
import { planName, usePlan } from '@/stores/plan'
import { ResultCard } from './ResultCard'

/** Where Stripe Checkout returns when the customer backs out. */
export function BillingCancelPage() {
  const plan = usePlan((s) => s.plan)
  return (
    <ResultCard
      tone="neutral"
      title="Checkout cancelled"
      testId="billing-cancel"
      actions={
        <>
          <Link to="/billing" className={buttonVariants()}>
            Back to billing
          </Link>
          <Link to="/dashboard" className={buttonVariants({ variant: 'outline' })}>
            Go to the dashboard
          </Link>
        </>
      }
    >
      <p>Nothing was charged.{plan ? ` Your organisation stays on the ${planName(plan)} plan.` : ''}</p>
      <p>You can upgrade whenever you are ready.</p>
    </ResultCard>
  )
}
