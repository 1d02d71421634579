import { useState } from 'react'
import { formatAxisTime, formatDateTime, formatLatency } from '@/lib/format'
import { nearestIndex, yAxis, type ChartPoint } from './scale'

const HEIGHT = 220
const PAD = { top: 12, right: 12, bottom: 28, left: 56 }

/** Draws sorted points at a given pixel width: a latency line and red failure marks. */
export function LatencyPlot({ points, width }: { points: ChartPoint[]; width: number }) {
  const [hover, setHover] = useState<ChartPoint | null>(null)
  const okPoints = points.filter((p) => p.ok && p.latency !== null)
  const failed = points.filter((p) => !p.ok)

  const plotW = Math.max(10, width - PAD.left - PAD.right)
  const plotH = HEIGHT - PAD.top - PAD.bottom
  const baseline = PAD.top + plotH
  const start = points[0].time
  const end = points[points.length - 1].time
  const span = Math.max(1, end - start)
  const { max: yMax, ticks: yTicks } = yAxis(Math.max(0, ...okPoints.map((p) => p.latency as number)))
  const x = (time: number) => PAD.left + (points.length > 1 ? ((time - start) / span) * plotW : plotW / 2)
  const y = (latency: number) => baseline - (latency / yMax) * plotH

  const line = okPoints.map((p, i) => `${i ? 'L' : 'M'}${x(p.time).toFixed(1)},${y(p.latency as number).toFixed(1)}`).join('')
  const area =
    okPoints.length > 1
      ? `${line}L${x(okPoints[okPoints.length - 1].time).toFixed(1)},${baseline}L${x(okPoints[0].time).toFixed(1)},${baseline}Z`
      : ''
  const xTicks = points.length > 1 ? [start, start + span / 2, end] : [start]

  const average = okPoints.length ? okPoints.reduce((sum, p) => sum + (p.latency as number), 0) / okPoints.length : null
  const summary = `Latency of the last ${points.length} checks: average ${formatLatency(average)}, ${failed.length} failed.`

  const onMove = (event: React.MouseEvent<SVGRectElement>) => {
    const box = event.currentTarget.getBoundingClientRect()
    const time = start + ((event.clientX - box.left) / Math.max(1, box.width)) * span
    setHover(points[nearestIndex(points, time)])
  }

  return (
    <>
      <p className="mb-2 h-5 truncate text-xs text-slate-600" aria-live="polite">
        {hover ? (
          <>
            <span className="font-medium text-slate-900">{formatDateTime(hover.check.checked_at)}</span>
            {' · '}
            {hover.ok ? formatLatency(hover.latency) : `failed${hover.check.error ? `: ${hover.check.error}` : ''}`}
          </>
        ) : (
          <span className="text-slate-400">Point at the chart for details</span>
        )}
      </p>
      <svg width={width} height={HEIGHT} viewBox={`0 0 ${width} ${HEIGHT}`} role="img" aria-label={summary} className="block">
        {yTicks.map((tick) => (
          <g key={tick}>
            <line
              x1={PAD.left}
              x2={PAD.left + plotW}
              y1={y(tick)}
              y2={y(tick)}
              className="stroke-slate-200"
              strokeDasharray={tick ? '3 4' : undefined}
            />
            <text x={PAD.left - 8} y={y(tick)} dy="0.32em" textAnchor="end" className="fill-slate-500 text-[11px]">
              {formatLatency(tick)}
            </text>
          </g>
        ))}
        {xTicks.map((time, index) => (
          <text
            key={`${index}-${time}`}
            x={x(time)}
            y={HEIGHT - 8}
            textAnchor={xTicks.length === 1 ? 'middle' : index === 0 ? 'start' : index === xTicks.length - 1 ? 'end' : 'middle'}
            className="fill-slate-500 text-[11px]"
          >
            {formatAxisTime(time, span)}
          </text>
        ))}
        {area && <path d={area} className="fill-brand-500/10" />}
        {line && (
          <path d={line} fill="none" className="stroke-brand-600" strokeWidth="2" strokeLinejoin="round" strokeLinecap="round" />
        )}
        {okPoints.length === 1 && (
          <circle cx={x(okPoints[0].time)} cy={y(okPoints[0].latency as number)} r="3.5" className="fill-brand-600" />
        )}
        {failed.map((p, index) => (
          <g key={`failed-${index}`}>
            <line x1={x(p.time)} x2={x(p.time)} y1={PAD.top} y2={baseline} className="stroke-red-200" />
            <circle cx={x(p.time)} cy={baseline} r="3.5" className="fill-red-500" />
          </g>
        ))}
        {hover && (
          <g pointerEvents="none">
            <line x1={x(hover.time)} x2={x(hover.time)} y1={PAD.top} y2={baseline} className="stroke-slate-400" strokeDasharray="2 3" />
            <circle
              cx={x(hover.time)}
              cy={hover.ok && hover.latency !== null ? y(hover.latency) : baseline}
              r="4.5"
              strokeWidth="2"
              className={hover.ok ? 'fill-white stroke-brand-600' : 'fill-white stroke-red-500'}
            />
          </g>
        )}
        <rect
          x={PAD.left}
          y={PAD.top}
          width={plotW}
          height={plotH}
          fill="transparent"
          onMouseMove={onMove}
          onMouseLeave={() => setHover(null)}
        />
      </svg>
    </>
  )
}
