import { useElementWidth } from '@/hooks/useElementWidth'
import { cn } from '@/lib/cn'
import { yAxis } from './scale'

export interface BarSeries {
  name: string
  /** Tailwind fill class, e.g. "fill-brand-500". */
  fill: string
  /** The legend's swatch, e.g. "bg-brand-500". */
  swatch: string
}

export interface BarGroup {
  label: string
  /** One value per series, in the series' order. */
  values: number[]
}

interface BarChartProps {
  groups: BarGroup[]
  series: BarSeries[]
  format: (value: number) => string
  /** What the chart shows, for screen readers (the table beside it has the numbers). */
  label: string
  height?: number
}

const PAD = { top: 12, right: 8, bottom: 26, left: 64 }

/**
 * Grouped vertical bars in plain SVG (attributes and classes only, for the CSP), drawn at
 * the container's real width. Each bar's value is in its <title>, so pointing at it shows it.
 */
export function BarChart({ groups, series, format, label, height = 200 }: BarChartProps) {
  const [ref, width] = useElementWidth<HTMLDivElement>()
  const plotW = Math.max(10, width - PAD.left - PAD.right)
  const plotH = height - PAD.top - PAD.bottom
  const baseline = PAD.top + plotH
  const max = Math.max(0, ...groups.flatMap((group) => group.values))
  const { max: top, ticks } = yAxis(max)
  const slot = groups.length ? plotW / groups.length : plotW
  const gap = Math.min(12, slot * 0.25)
  const barW = Math.max(1, (slot - gap) / Math.max(1, series.length))
  const y = (value: number) => baseline - (Math.max(0, value) / top) * plotH
  // Leave out labels that would overlap: about 44 px per label.
  const every = Math.max(1, Math.ceil(44 / Math.max(1, slot)))

  return (
    <div className="space-y-2">
      {series.length > 1 && (
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600" aria-hidden="true">
          {series.map((s) => (
            <li key={s.name} className="inline-flex items-center gap-1.5">
              <span className={cn('h-2.5 w-2.5 rounded-sm', s.swatch)} />
              {s.name}
            </li>
          ))}
        </ul>
      )}
      <div ref={ref} className="w-full min-w-0 overflow-hidden">
        {groups.length === 0 ? (
          <div className="flex h-32 items-center justify-center rounded-lg border border-dashed border-slate-200 text-sm text-slate-500">
            No data for these months.
          </div>
        ) : (
          <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className="block">
            {ticks.map((tick) => (
              <g key={tick}>
                <line x1={PAD.left} x2={PAD.left + plotW} y1={y(tick)} y2={y(tick)} className="stroke-slate-200" strokeDasharray={tick ? '3 4' : undefined} />
                <text x={PAD.left - 8} y={y(tick)} dy="0.32em" textAnchor="end" className="fill-slate-500 text-[11px]">
                  {format(tick)}
                </text>
              </g>
            ))}
            {groups.map((group, index) => {
              const x0 = PAD.left + index * slot + gap / 2
              return (
                <g key={`${group.label}-${index}`} data-testid="bar-group">
                  {group.values.map((value, s) => (
                    <rect
                      key={series[s]?.name ?? s}
                      x={x0 + s * barW}
                      y={y(value)}
                      width={Math.max(1, barW - (series.length > 1 ? 1 : 0))}
                      height={Math.max(0, baseline - y(value))}
                      rx={Math.min(3, barW / 4)}
                      className={series[s]?.fill ?? 'fill-brand-500'}
                    >
                      <title>{`${group.label} · ${series[s]?.name ?? ''}: ${format(value)}`}</title>
                    </rect>
                  ))}
                  {index % every === 0 && (
                    <text x={x0 + (slot - gap) / 2} y={height - 8} textAnchor="middle" className="fill-slate-500 text-[11px]">
                      {group.label}
                    </text>
                  )}
                </g>
              )
            })}
          </svg>
        )}
      </div>
    </div>
  )
}

/** Shares of a whole as horizontal SVG bars (widths as attributes: no inline styles). */
export function BreakdownBars({ items, format, label }: { items: [string, number][]; format: (value: number) => string; label: string }) {
  const total = items.reduce((sum, [, value]) => sum + Math.max(0, value), 0)
  if (items.length === 0) return <p className="text-sm text-slate-500">Nothing yet.</p>
  return (
    <ul className="space-y-2.5" aria-label={label}>
      {items.map(([name, value]) => {
        const share = total > 0 ? Math.max(0, value) / total : 0
        return (
          <li key={name} className="grid grid-cols-[minmax(0,9rem)_minmax(0,1fr)_auto] items-center gap-3 text-sm">
            <span className="truncate text-slate-700" title={name}>
              {name}
            </span>
            <svg className="h-2.5 w-full" role="presentation" aria-hidden="true">
              <rect width="100%" height="100%" rx="4" className="fill-slate-100" />
              {share > 0 && <rect width={`${(share * 100).toFixed(2)}%`} height="100%" rx="4" className="fill-brand-500" />}
            </svg>
            <span className="text-right tabular-nums text-slate-900">
              {format(value)}
              <span className="ml-1.5 text-xs text-slate-500">{Math.round(share * 100)}%</span>
            </span>
          </li>
        )
      })}
    </ul>
  )
}
