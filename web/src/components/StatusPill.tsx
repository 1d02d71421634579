import type { EndpointStatus } from '@/api/types'
import { cn } from '@/lib/cn'

const STYLES: Record<EndpointStatus, { label: string; pill: string; dot: string }> = {
  up: { label: 'Up', pill: 'bg-emerald-50 text-emerald-700 ring-emerald-600/25', dot: 'bg-emerald-500' },
  down: { label: 'Down', pill: 'bg-red-50 text-red-700 ring-red-600/25', dot: 'bg-red-500 animate-pulse' },
  pending: { label: 'Pending', pill: 'bg-slate-100 text-slate-600 ring-slate-400/40', dot: 'bg-slate-400' },
  paused: { label: 'Paused', pill: 'bg-amber-50 text-amber-800 ring-amber-600/30', dot: 'bg-amber-500' },
}

/** Colour and a word, so the status never depends on colour alone. */
export function StatusPill({ status, className }: { status: EndpointStatus; className?: string }) {
  const style = STYLES[status] ?? STYLES.pending
  return (
    <span
      data-testid="status-pill"
      data-status={status}
      className={cn(
        'inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset',
        style.pill,
        className,
      )}
    >
      <span aria-hidden="true" className={cn('h-1.5 w-1.5 rounded-full', style.dot)} />
      {style.label}
    </span>
  )
}

/** Under a "Paused" pill when the backend paused the endpoint for being over the plan's limit. */
export function PausedByPlanNote({ className }: { className?: string }) {
  return (
    <span
      data-testid="paused-by-plan"
      className={cn('whitespace-nowrap text-xs font-medium text-amber-800', className)}
      title="Paused because your organisation has more endpoints than its plan allows. Upgrade to resume it."
    >
      Over plan limit
    </span>
  )
}
