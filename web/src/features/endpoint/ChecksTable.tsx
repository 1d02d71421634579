import type { CheckResult } from '@/api/types'
import { formatCheckTime, formatDateTime, formatLatency } from '@/lib/format'
import { cn } from '@/lib/cn'

const PHASES: { key: 'dns_ms' | 'connect_ms' | 'tls_ms' | 'ttfb_ms'; label: string }[] = [
  { key: 'dns_ms', label: 'DNS' },
  { key: 'connect_ms', label: 'Connect' },
  { key: 'tls_ms', label: 'TLS' },
  { key: 'ttfb_ms', label: 'First byte' },
]

function Result({ ok }: { ok: boolean }) {
  return (
    <span className={cn('inline-flex items-center gap-1.5 text-xs font-semibold', ok ? 'text-emerald-700' : 'text-red-700')}>
      <span aria-hidden="true" className={cn('h-1.5 w-1.5 rounded-full', ok ? 'bg-emerald-500' : 'bg-red-500')} />
      {ok ? 'OK' : 'Failed'}
    </span>
  )
}

/** The newest checks: a table from 768 px up, a compact list on phones (nothing scrolls sideways). */
export function ChecksTable({ checks, limit = 20 }: { checks: CheckResult[]; limit?: number }) {
  if (!checks.length) {
    return <p className="px-5 py-8 text-center text-sm text-slate-500">No checks recorded yet.</p>
  }
  const newest = [...checks].sort((a, b) => Date.parse(b.checked_at) - Date.parse(a.checked_at)).slice(0, limit)
  // A backend without regions sends no `region`: then there is no Region column.
  const regional = newest.some((check) => typeof check.region === 'string')
  return (
    <>
      <div className="hidden md:block">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50/80 text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-5 py-2.5">Time</th>
              {regional && <th scope="col" className="px-3 py-2.5">Region</th>}
              <th scope="col" className="px-3 py-2.5">Result</th>
              <th scope="col" className="px-3 py-2.5">HTTP</th>
              <th scope="col" className="px-3 py-2.5 text-right">Total</th>
              {PHASES.map((phase) => (
                <th key={phase.key} scope="col" className="hidden px-3 py-2.5 text-right lg:table-cell">
                  {phase.label}
                </th>
              ))}
              <th scope="col" className="px-5 py-2.5">Error</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {newest.map((check, index) => (
              <tr key={`${check.checked_at}-${index}`} data-testid="check-row">
                <td className="whitespace-nowrap px-5 py-2 text-slate-700" title={formatDateTime(check.checked_at)}>
                  {formatCheckTime(check.checked_at)}
                </td>
                {regional && <td className="whitespace-nowrap px-3 py-2 text-slate-700">{check.region ?? '—'}</td>}
                <td className="px-3 py-2">
                  <Result ok={check.ok} />
                </td>
                <td className="px-3 py-2 tabular-nums text-slate-700">{check.status_code ?? '—'}</td>
                <td className="px-3 py-2 text-right font-medium tabular-nums text-slate-900">{formatLatency(check.latency_ms)}</td>
                {PHASES.map((phase) => (
                  <td key={phase.key} className="hidden px-3 py-2 text-right tabular-nums text-slate-500 lg:table-cell">
                    {formatLatency(check[phase.key])}
                  </td>
                ))}
                <td className="max-w-64 truncate px-5 py-2 text-red-700" title={check.error ?? undefined}>
                  {check.error ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <ul className="divide-y divide-slate-100 md:hidden">
        {newest.map((check, index) => (
          <li key={`${check.checked_at}-${index}`} data-testid="check-row" className="px-4 py-2.5 text-sm">
            <div className="flex items-center gap-3">
              <Result ok={check.ok} />
              <span className="tabular-nums text-slate-700">{check.status_code ?? '—'}</span>
              <span className="font-medium tabular-nums text-slate-900">{formatLatency(check.latency_ms)}</span>
              <span className="ml-auto whitespace-nowrap text-xs text-slate-500" title={formatDateTime(check.checked_at)}>
                {formatCheckTime(check.checked_at)}
              </span>
            </div>
            {/* The region goes on a second line: the first is full on a 375 px phone. */}
            {regional && check.region && <p className="mt-0.5 text-xs text-slate-500">{check.region}</p>}
            {check.error && <p className="mt-1 break-words text-xs text-red-700">{check.error}</p>}
          </li>
        ))}
      </ul>
    </>
  )
}
