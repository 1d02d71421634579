import { isUnlimited } from '@/stores/plan'
import { cn } from '@/lib/cn'

/** "2 of 3 endpoints used", with a bar drawn in SVG (no inline styles under the CSP). */
export function UsageMeter({ count, limit }: { count: number; limit: number | null }) {
  if (isUnlimited(limit)) {
    return <p className="text-sm text-slate-600">{count} endpoint{count === 1 ? '' : 's'} · unlimited on your plan</p>
  }
  const max = limit as number
  const ratio = max > 0 ? Math.min(1, count / max) : 1
  const full = count >= max
  return (
    <div className="flex items-center gap-3">
      <svg viewBox="0 0 100 6" preserveAspectRatio="none" className="h-1.5 w-28 overflow-hidden rounded-full" aria-hidden="true">
        <rect width="100" height="6" className="fill-slate-200" />
        <rect width={ratio * 100} height="6" className={cn(full ? 'fill-amber-500' : 'fill-brand-500')} />
      </svg>
      <p className="text-sm text-slate-600" data-testid="usage">
        {count} of {max} endpoints used
      </p>
    </div>
  )
}
