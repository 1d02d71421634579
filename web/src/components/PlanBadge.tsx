import { Badge } from '@/components/ui/badge'

export function PlanBadge({ plan }: { plan: string | null }) {
  if (!plan) return null
  const name = plan.charAt(0).toUpperCase() + plan.slice(1)
  return (
    <Badge tone={plan === 'free' ? 'neutral' : 'brand'} className="whitespace-nowrap" data-testid="plan-badge">
      {name}
      <span className="hidden sm:inline">plan</span>
    </Badge>
  )
}
