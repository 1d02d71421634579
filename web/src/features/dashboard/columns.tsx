import { Link } from '@tanstack/react-router'
import { createColumnHelper } from '@tanstack/react-table'
import type { Endpoint } from '@/api/types'
import { PausedByPlanNote, StatusPill } from '@/components/StatusPill'
import { displayName } from '@/lib/endpoint'
import { formatDateTime, formatLatency, formatPercent, formatRelative } from '@/lib/format'
import { DeleteEndpointButton } from './DeleteEndpointButton'
import { targetSummary } from '@/lib/endpointKinds'

const column = createColumnHelper<Endpoint>()

/** Columns of the endpoints table; `now` keeps the relative times fresh. */
export function endpointColumns(now: number) {
  return [
    column.accessor('name', {
      header: 'Name',
      cell: ({ row }) => (
        <Link
          to="/endpoints/$id"
          params={{ id: row.original.id }}
          className="line-clamp-2 min-w-32 max-w-60 break-words font-medium text-slate-900 hover:text-brand-700 hover:underline"
          title={displayName(row.original)}
        >
          {displayName(row.original)}
        </Link>
      ),
    }),
    column.accessor('url', {
      header: 'Target',
      cell: ({ row }) => (
        <span className="block max-w-64 truncate text-slate-600 xl:max-w-80" title={targetSummary(row.original)}>
          {targetSummary(row.original)}
        </span>
      ),
    }),
    column.accessor('status', {
      header: 'Status',
      cell: ({ getValue, row }) => (
        <span title={getValue() === 'down' ? (row.original.last_error ?? undefined) : undefined}>
          <StatusPill status={getValue()} />
          {row.original.paused_by_plan && <PausedByPlanNote className="mt-1 block" />}
        </span>
      ),
    }),
    column.accessor('last_latency_ms', {
      header: 'Latency',
      cell: ({ getValue }) => <span className="tabular-nums">{formatLatency(getValue())}</span>,
    }),
    column.accessor('last_checked_at', {
      header: 'Last checked',
      cell: ({ getValue }) => (
        <time dateTime={getValue() ?? undefined} title={formatDateTime(getValue())} className="whitespace-nowrap">
          {formatRelative(getValue(), now)}
        </time>
      ),
    }),
    column.accessor('uptime_24h', {
      header: 'Uptime 24h',
      cell: ({ getValue }) => <span className="tabular-nums">{formatPercent(getValue())}</span>,
    }),
    column.display({
      id: 'actions',
      header: () => <span className="sr-only">Actions</span>,
      cell: ({ row }) => <DeleteEndpointButton endpoint={row.original} />,
    }),
  ]
}
