import type { PublicComponent } from '@/api/types'
import { formatPercent } from '@/lib/format'
import { averageUptime, dayTone } from '@/lib/status'
import { cn } from '@/lib/cn'

const DAYS = 90

/**
 * A component's last 90 days, one bar per UTC day (oldest on the left). SVG, so the bars
 * need no inline style (CSP); each day names its date and uptime for pointers and readers.
 */
export function DailyUptimeBars({ name, days }: { name: string; days: PublicComponent['uptime_90d'] }) {
  const list = (days ?? []).slice(-DAYS)
  const average = averageUptime(list)
  // Fewer than 90 days: the missing oldest days are shown empty, so bars keep their place.
  const offset = DAYS - list.length
  return (
    <div className="space-y-1">
      <svg
        viewBox={`0 0 ${DAYS * 4} 32`}
        preserveAspectRatio="none"
        className="h-8 w-full"
        role="img"
        aria-label={`${name}: ${average === null ? 'no data' : `${formatPercent(average)} uptime`} over the last 90 days`}
        data-testid="uptime-90d"
      >
        {Array.from({ length: DAYS }, (_, i) => {
          const day = i >= offset ? list[i - offset] : undefined
          const uptime = day?.uptime ?? null
          return (
            <rect key={i} x={i * 4} width="3" height="32" rx="1" className={cn(dayTone(uptime))}>
              {day && <title>{`${day.date}: ${uptime === null ? 'no data' : formatPercent(uptime)}`}</title>}
            </rect>
          )
        })}
      </svg>
      <div className="flex justify-between text-xs text-slate-500">
        <span>90 days ago</span>
        <span className="tabular-nums">{average === null ? 'No data' : `${formatPercent(average)} uptime`}</span>
        <span>Today</span>
      </div>
    </div>
  )
}
