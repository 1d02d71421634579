import type { Endpoint, RegionResult } from '@/api/types'
import { StatusPill } from '@/components/StatusPill'
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { formatDateTime, formatLatency, formatRelative } from '@/lib/format'
import { cn } from '@/lib/cn'
import { quorumLine } from '@/lib/regions'

/** Under the endpoint's name: how many regions fail, and whether that is short of the quorum. */
export function QuorumLine({ endpoint }: { endpoint: Endpoint }) {
  const line = quorumLine(endpoint)
  if (!line) return null
  return (
    <p
      data-testid="quorum-line"
      data-below-quorum={line.belowQuorum}
      className={cn(
        'inline-flex items-center gap-1.5 text-sm font-medium',
        line.belowQuorum ? 'rounded-md bg-amber-50 px-2 py-0.5 text-amber-800 ring-1 ring-inset ring-amber-600/30' : 'text-red-700',
      )}
    >
      {line.belowQuorum && (
        <span aria-hidden="true" className="h-1.5 w-1.5 shrink-0 rounded-full bg-amber-500" />
      )}
      {line.text}
    </p>
  )
}

function describe(endpoint: Endpoint): string {
  const where = Array.isArray(endpoint.regions) ? 'Checked from the regions in its settings.' : 'Checked from every region with a live checker.'
  const quorum = endpoint.quorum
  if (!quorum || typeof quorum.required !== 'number' || typeof quorum.regions !== 'number') return where
  return `${where} Down when ${quorum.required} of ${quorum.regions} ${quorum.regions === 1 ? 'region fails' : 'regions fail'}.`
}

/** Rows the backend sent with a name; anything else is left out rather than shown broken. */
function rowsOf(endpoint: Endpoint): RegionResult[] {
  if (!Array.isArray(endpoint.region_results)) return []
  return endpoint.region_results.filter((row) => row && typeof row.region === 'string')
}

/** Each region's own view of the endpoint: a table from 768 px up, a list on phones. Absent without regions. */
export function RegionsCard({ endpoint, now }: { endpoint: Endpoint; now: number }) {
  const rows = rowsOf(endpoint)
  if (!rows.length) return null
  return (
    <Card className="overflow-hidden" data-testid="regions-card">
      <CardHeader>
        <CardTitle>Regions</CardTitle>
        <CardDescription>{describe(endpoint)}</CardDescription>
      </CardHeader>
      <div className="hidden md:block">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50/80 text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-5 py-2.5">Region</th>
              <th scope="col" className="px-3 py-2.5">Status</th>
              <th scope="col" className="px-3 py-2.5">Last checked</th>
              <th scope="col" className="px-3 py-2.5 text-right">Latency</th>
              <th scope="col" className="px-3 py-2.5">HTTP</th>
              <th scope="col" className="px-5 py-2.5">Error</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr key={row.region} data-testid="region-row">
                <td className="px-5 py-2 font-medium text-slate-900">{row.region}</td>
                <td className="px-3 py-2">
                  <StatusPill status={row.status} />
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-slate-700" title={formatDateTime(row.last_checked_at)}>
                  {formatRelative(row.last_checked_at, now)}
                </td>
                <td className="px-3 py-2 text-right font-medium tabular-nums text-slate-900">{formatLatency(row.last_latency_ms)}</td>
                <td className="px-3 py-2 tabular-nums text-slate-700">{row.last_status_code ?? '—'}</td>
                <td className="max-w-64 truncate px-5 py-2 text-red-700" title={row.last_error ?? undefined}>
                  {row.last_error ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <ul className="divide-y divide-slate-100 md:hidden">
        {rows.map((row) => {
          const measured = [
            row.last_latency_ms === null || row.last_latency_ms === undefined ? null : formatLatency(row.last_latency_ms),
            row.last_status_code === null || row.last_status_code === undefined ? null : `HTTP ${row.last_status_code}`,
          ].filter(Boolean)
          return (
            <li key={row.region} data-testid="region-row" className="px-4 py-2.5 text-sm">
              <div className="flex items-center gap-3">
                <span className="min-w-0 truncate font-medium text-slate-900">{row.region}</span>
                <StatusPill status={row.status} className="shrink-0" />
                <span className="ml-auto whitespace-nowrap text-xs text-slate-500" title={formatDateTime(row.last_checked_at)}>
                  {formatRelative(row.last_checked_at, now)}
                </span>
              </div>
              {measured.length > 0 && <p className="mt-1 text-xs tabular-nums text-slate-600">{measured.join(' · ')}</p>}
              {row.last_error && <p className="mt-1 break-words text-xs text-red-700">{row.last_error}</p>}
            </li>
          )
        })}
      </ul>
    </Card>
  )
}
