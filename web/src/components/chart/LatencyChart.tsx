import { useMemo } from 'react'
import type { CheckResult } from '@/api/types'
import { useElementWidth } from '@/hooks/useElementWidth'
import { LatencyPlot } from './LatencyPlot'
import { toPoints } from './scale'

/**
 * Latency over time, drawn in SVG by hand (no chart library, no inline styles) at
 * the container's real width so labels keep their size on a phone.
 */
export function LatencyChart({ checks }: { checks: CheckResult[] }) {
  const [containerRef, width] = useElementWidth<HTMLDivElement>()
  const points = useMemo(() => toPoints(checks), [checks])
  return (
    <div ref={containerRef} className="w-full min-w-0 overflow-hidden">
      {points.length ? (
        <LatencyPlot points={points} width={width} />
      ) : (
        <div className="flex h-40 items-center justify-center rounded-lg border border-dashed border-slate-200 px-4 text-center text-sm text-slate-500">
          No checks yet. The first one runs within seconds of adding the endpoint.
        </div>
      )}
    </div>
  )
}
