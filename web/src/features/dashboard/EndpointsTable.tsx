import { useMemo } from 'react'
import { Link } from '@tanstack/react-router'
import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import type { Endpoint } from '@/api/types'
import { PausedByPlanNote, StatusPill } from '@/components/StatusPill'
import { useNow } from '@/hooks/useNow'
import { formatLatency, formatPercent, formatRelative } from '@/lib/format'
import { displayName } from '@/lib/endpoint'
import { cn } from '@/lib/cn'
import { endpointColumns } from './columns'
import { DeleteEndpointButton } from './DeleteEndpointButton'
import { targetSummary } from '@/lib/endpointKinds'

/** A table from 768 px up; stacked cards below, so nothing scrolls sideways on a phone. */
export function EndpointsTable({ endpoints }: { endpoints: Endpoint[] }) {
  const now = useNow()
  const columns = useMemo(() => endpointColumns(now), [now])
  const table = useReactTable({
    data: endpoints,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => row.id,
  })
  const rows = table.getRowModel().rows

  return (
    <>
      <div className="hidden overflow-x-auto md:block">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-slate-200 bg-slate-50/80 text-xs font-semibold uppercase tracking-wide text-slate-500">
            {table.getHeaderGroups().map((group) => (
              <tr key={group.id}>
                {group.headers.map((header) => (
                  <th key={header.id} scope="col" className="whitespace-nowrap px-4 py-3 first:pl-5 last:pr-5">
                    {header.isPlaceholder ? null : flexRender(header.column.columnDef.header, header.getContext())}
                  </th>
                ))}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((row) => (
              <tr
                key={row.id}
                data-testid="endpoint-row"
                data-url={row.original.url ?? undefined}
                data-paused={row.original.status === 'paused' ? 'true' : undefined}
                className={cn('hover:bg-slate-50/60', row.original.status === 'paused' && 'bg-slate-50/70 text-slate-500')}
              >
                {row.getVisibleCells().map((cell) => (
                  <td key={cell.id} className="px-4 py-3 first:pl-5 last:pr-3 last:text-right">
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <ul className="divide-y divide-slate-100 md:hidden">
        {rows.map(({ original: endpoint }) => (
          <li
            key={endpoint.id}
            data-testid="endpoint-row"
            data-url={endpoint.url ?? undefined}
            data-paused={endpoint.status === 'paused' ? 'true' : undefined}
            className={cn('px-4 py-3.5', endpoint.status === 'paused' && 'bg-slate-50/70')}
          >
            <div className="flex items-start gap-2">
              <div className="min-w-0 flex-1">
                <Link
                  to="/endpoints/$id"
                  params={{ id: endpoint.id }}
                  className="line-clamp-2 break-words font-medium text-slate-900 hover:underline"
                >
                  {displayName(endpoint)}
                </Link>
                <p className="truncate text-sm text-slate-500" title={targetSummary(endpoint)}>
                  {targetSummary(endpoint)}
                </p>
                {endpoint.paused_by_plan && <PausedByPlanNote className="mt-0.5 block" />}
                {endpoint.status === 'down' && endpoint.last_error && (
                  <p className="mt-0.5 line-clamp-2 break-words text-xs text-red-700">{endpoint.last_error}</p>
                )}
              </div>
              <StatusPill status={endpoint.status} className="mt-0.5 shrink-0" />
              <DeleteEndpointButton endpoint={endpoint} className="-mr-2 -mt-1.5 shrink-0" />
            </div>
            <dl className="mt-2.5 grid grid-cols-3 gap-2 text-xs">
              <div className="min-w-0">
                <dt className="text-slate-500">Latency</dt>
                <dd className="font-medium tabular-nums text-slate-900">{formatLatency(endpoint.last_latency_ms)}</dd>
              </div>
              <div className="min-w-0">
                <dt className="text-slate-500">Checked</dt>
                <dd className="truncate font-medium text-slate-900">{formatRelative(endpoint.last_checked_at, now)}</dd>
              </div>
              <div className="min-w-0">
                <dt className="text-slate-500">Uptime 24h</dt>
                <dd className="font-medium tabular-nums text-slate-900">{formatPercent(endpoint.uptime_24h)}</dd>
              </div>
            </dl>
          </li>
        ))}
      </ul>
    </>
  )
}
