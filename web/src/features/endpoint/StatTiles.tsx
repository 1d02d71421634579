import type { Endpoint, UptimeSummary } from '@/api/types'
import { formatDateTime, formatInterval, formatLatency, formatRelative } from '@/lib/format'

function Tile({ label, value, title }: { label: string; value: string; title?: string }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white px-4 py-3 shadow-sm">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-base font-semibold leading-snug break-words sm:text-lg tabular-nums text-slate-900" title={title}>
        {value}
      </dd>
    </div>
  )
}

export function StatTiles({ endpoint, uptime, now }: { endpoint: Endpoint; uptime?: UptimeSummary; now: number }) {
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      <Tile label="Last latency" value={formatLatency(endpoint.last_latency_ms)} />
      <Tile label="p50 / p95" value={`${formatLatency(uptime?.latency_p50_ms)} / ${formatLatency(uptime?.latency_p95_ms)}`} />
      <Tile
        label="Last checked"
        value={formatRelative(endpoint.last_checked_at, now)}
        title={formatDateTime(endpoint.last_checked_at)}
      />
      <Tile label="Every" value={formatInterval(endpoint.interval_seconds)} />
    </dl>
  )
}
