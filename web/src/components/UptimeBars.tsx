import type { UptimeSummary } from '@/api/types'
import { formatPercent } from '@/lib/format'
import { cn } from '@/lib/cn'

const WINDOWS: { key: keyof UptimeSummary; label: string }[] = [
  { key: 'uptime_24h', label: 'Last 24 hours' },
  { key: 'uptime_7d', label: 'Last 7 days' },
  { key: 'uptime_30d', label: 'Last 30 days' },
]

function tone(value: number): string {
  if (value >= 99.9) return 'fill-emerald-500'
  if (value >= 99) return 'fill-lime-500'
  if (value >= 95) return 'fill-amber-500'
  return 'fill-red-500'
}

/** One bar per window; the bar is SVG so its width needs no inline style. */
export function UptimeBars({ uptime }: { uptime: UptimeSummary | undefined }) {
  return (
    <ul className="space-y-4">
      {WINDOWS.map(({ key, label }) => {
        const value = uptime?.[key] ?? null
        const width = value === null ? 0 : Math.max(0, Math.min(100, value))
        return (
          <li key={key} className="space-y-1.5">
            <div className="flex items-baseline justify-between text-sm">
              <span className="text-slate-600">{label}</span>
              <span className="font-semibold tabular-nums text-slate-900" data-testid={`uptime-${key}`}>
                {formatPercent(value)}
              </span>
            </div>
            <svg
              viewBox="0 0 100 8"
              preserveAspectRatio="none"
              className="h-2 w-full overflow-hidden rounded-full"
              role="img"
              aria-label={`${label}: ${value === null ? 'no data' : formatPercent(value)} uptime`}
            >
              <rect width="100" height="8" className="fill-slate-200" />
              {value !== null && <rect width={width} height="8" className={cn(tone(value))} />}
            </svg>
          </li>
        )
      })}
    </ul>
  )
}
