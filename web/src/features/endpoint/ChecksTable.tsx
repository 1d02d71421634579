import type { CheckResult } from '@/api/types'
import { formatDateTime, formatLatency } from '@/lib/format'
import { cn } from '@/lib/cn'

const PHASES: { key: keyof CheckResult; label: string }[] = [
  { key: 'dns_ms', label: 'DNS' },
  { key: 'connect_ms', label: 'Connect' },
  { key: 'tls_ms', label: 'TLS' },
  { key: 'ttfb_ms', label: 'First byte' },
]

/** The newest checks; scrolls sideways inside its card on narrow screens. */
export function ChecksTable({ checks, limit = 20 }: { checks: CheckResult[]; limit?: number }) {
  if (!checks.length) {
    return <p className="px-5 py-8 text-center text-sm text-slate-500">No checks recorded yet.</p>
  }
  const newest = [...checks].sort((a, b) => Date.parse(b.checked_at) - Date.parse(a.checked_at)).slice(0, limit)
  return (
    <div className="overflow-x-auto">
      <table className="w-full min-w-[40rem] text-left text-sm">
        <thead className="border-b border-slate-200 bg-slate-50/80 text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-5 py-2.5">Time</th>
            <th scope="col" className="px-3 py-2.5">Result</th>
            <th scope="col" className="px-3 py-2.5">HTTP</th>
            <th scope="col" className="px-3 py-2.5 text-right">Total</th>
            {PHASES.map((phase) => (
              <th key={phase.key} scope="col" className="px-3 py-2.5 text-right">
                {phase.label}
              </th>
            ))}
            <th scope="col" className="px-5 py-2.5">Error</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {newest.map((check, index) => (
            <tr key={`${check.checked_at}-${index}`} data-testid="check-row">
              <td className="whitespace-nowrap px-5 py-2.5 text-slate-700">{formatDateTime(check.checked_at)}</td>
              <td className="px-3 py-2.5">
                <span className={cn('inline-flex items-center gap-1.5 text-xs font-semibold', check.ok ? 'text-emerald-700' : 'text-red-700')}>
                  <span aria-hidden="true" className={cn('h-1.5 w-1.5 rounded-full', check.ok ? 'bg-emerald-500' : 'bg-red-500')} />
                  {check.ok ? 'OK' : 'Failed'}
                </span>
              </td>
              <td className="px-3 py-2.5 tabular-nums text-slate-700">{check.status_code ?? '—'}</td>
              <td className="px-3 py-2.5 text-right tabular-nums font-medium text-slate-900">{formatLatency(check.latency_ms)}</td>
              {PHASES.map((phase) => (
                <td key={phase.key} className="px-3 py-2.5 text-right tabular-nums text-slate-500">
                  {formatLatency(check[phase.key] as number | null)}
                </td>
              ))}
              <td className="max-w-64 truncate px-5 py-2.5 text-red-700" title={check.error ?? undefined}>
                {check.error ?? ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
