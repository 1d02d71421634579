import { Link } from '@tanstack/react-router'
import { Alert } from '@/components/ui/alert'
import { buttonVariants } from '@/components/ui/button'
import { useUpgradePlan } from '@/hooks/usePlans'
import { planPerks } from '@/lib/plans'
import { isUnlimited, overLimitBy } from '@/stores/plan'

/**
 * Shown on the Free plan at its endpoint limit, and after a downgrade left more
 * endpoints than the plan allows (the backend then paused the newest ones). What the
 * upgrade gives comes from the plans API; until it answers the prompt names no figures.
 */
export function UpgradePrompt({ limit, count = 0 }: { limit: number | null; count?: number }) {
  const upgrade = useUpgradePlan()
  const finite = !isUnlimited(limit)
  const over = overLimitBy(limit, count) > 0
  const action = (
    <Link to="/billing" className={buttonVariants({ size: 'sm' })}>
      Upgrade
    </Link>
  )
  if (over) {
    return (
      <Alert
        tone="warning"
        data-testid="upgrade-prompt"
        data-over-limit="true"
        title={`You have ${count} endpoints; your plan monitors up to ${limit}`}
        action={action}
      >
        Endpoints over the limit were paused when your plan changed. Nothing was deleted: upgrade
        {upgrade ? ` to ${upgrade.name}` : ''} to resume them, or delete endpoints you no longer need.
      </Alert>
    )
  }
  return (
    <Alert tone="warning" data-testid="upgrade-prompt" title="You have reached your plan's endpoint limit" action={action}>
      {finite ? `Your plan monitors up to ${limit} endpoint${limit === 1 ? '' : 's'}. ` : ''}
      {upgrade ? `Upgrade to ${upgrade.name} for ${planPerks(upgrade)}.` : 'Upgrade to monitor more.'}
    </Alert>
  )
}
