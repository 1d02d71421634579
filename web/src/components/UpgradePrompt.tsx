import { Link } from '@tanstack/react-router'
import { Alert } from '@/components/ui/alert'
import { buttonVariants } from '@/components/ui/button'

export function UpgradePrompt({ limit }: { limit: number | null }) {
  return (
    <Alert
      tone="warning"
      data-testid="upgrade-prompt"
      title="You have reached your plan's endpoint limit"
      action={
        <Link to="/billing" className={buttonVariants({ size: 'sm' })}>
          Upgrade
        </Link>
      }
    >
      {limit !== null && limit >= 0
        ? `Your plan monitors up to ${limit} endpoint${limit === 1 ? '' : 's'}. `
        : ''}
      Upgrade to Pro for unlimited endpoints and 30-second checks.
    </Alert>
  )
}
