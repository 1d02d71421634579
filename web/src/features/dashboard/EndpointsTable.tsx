import { useMemo } from 'react'
import { Link } from '@tanstack/react-router'
import { flexRender, getCoreRowModel, useReactTable } from '@tanstack/react-table'
import type { Endpoint } from '@/api/types'
import { StatusPill } from '@/components/StatusPill'
import { useNow } from '@/hooks/useNow'
import { formatLatency, formatPercent, formatRelative } from '@/lib/format'
import { displayName } from '@/lib/endpoint'
import { endpointColumns } from './columns'
import { DeleteEndpointButton } from './DeleteEndpointButton'

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
              <tr key={row.id} data-testid="endpoint-row" data-url={row.original.url} className="hover:bg-slate-50/60">
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
          <li key={endpoint.id} data-testid="endpoint-row" data-url={endpoint.url} className="flex gap-3 px-4 py-4">
            <div className="min-w-0 flex-1 space-y-1.5">
              <div className="flex items-center gap-2">
                <Link
                  to="/endpoints/$id"
                  params={{ id: endpoint.id }}
                  className="truncate font-medium text-slate-900 hover:underline"
                >
                  {displayName(endpoint)}
                </Link>
                <StatusPill status={endpoint.status} className="shrink-0" />
              </div>
              <p className="truncate text-sm text-slate-500">{endpoint.url}</p>
              <dl className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
                <div className="flex gap-1">
                  <dt className="text-slate-400">Latency</dt>
                  <dd className="tabular-nums">{formatLatency(endpoint.last_latency_ms)}</dd>
                </div>
                <div className="flex gap-1">
                  <dt className="text-slate-400">Checked</dt>
                  <dd>{formatRelative(endpoint.last_checked_at, now)}</dd>
                </div>
                <div className="flex gap-1">
                  <dt className="text-slate-400">24h</dt>
                  <dd className="tabular-nums">{formatPercent(endpoint.uptime_24h)}</dd>
                </div>
              </dl>
            </div>
            <DeleteEndpointButton endpoint={endpoint} />
          </li>
        ))}
      </ul>
    </>
  )
}
