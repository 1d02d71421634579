import { useId, useState } from 'react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { listDeliveryLog } from '@/api/notifications'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import type { Channel, DeliveryLogEntry } from '@/api/types'
import { Pagination } from '@/components/Pagination'
import { TonePill } from '@/components/TonePill'
import { Alert } from '@/components/ui/alert'
import { Card, CardHeader, CardTitle } from '@/components/ui/card'
import { inputClasses } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Skeleton } from '@/components/ui/skeleton'
import { deliveryStatusOf, eventLabel } from '@/lib/alerts'
import { cn } from '@/lib/cn'
import { formatCheckTime, formatDateTime } from '@/lib/format'

export const LOG_PAGE_SIZE = 20
const POLL_MS = 30_000

function StatusBadge({ status, attempts }: { status: string; attempts: number }) {
  const { label, tone } = deliveryStatusOf(status, attempts)
  return <TonePill label={label} tone={tone} testId="delivery-status" status={status} />
}

function Time({ iso }: { iso: string | null }) {
  if (!iso) return <span className="text-slate-400">—</span>
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className="whitespace-nowrap">
      {formatCheckTime(iso)}
    </time>
  )
}

function Attempts({ count, className }: { count: number; className?: string }) {
  return (
    <span className={cn('tabular-nums', className)}>
      {count} attempt{count === 1 ? '' : 's'}
    </span>
  )
}

function EndpointLink({ id }: { id: string | null }) {
  if (!id) return null
  return (
    <Link to="/endpoints/$id" params={{ id }} className="text-xs font-medium text-brand-700 underline-offset-4 hover:underline">
      Endpoint
    </Link>
  )
}

interface DeliveryLogCardProps {
  /** The organisation's channels, to name each row's channel and fill the filter. */
  channels: Channel[]
  /** True when `channels` is every channel there is: a missing one has been deleted. */
  complete: boolean
}

/**
 * One row per delivery: a table from 1280 px up (below that its columns leave the error too
 * little room), stacked rows below.
 */
export function DeliveryLogCard({ channels, complete }: DeliveryLogCardProps) {
  const filterId = useId()
  const [channel, setChannel] = useState<string | null>(null)
  const [page, setPage] = useState(1)
  const log = useQuery({
    queryKey: queryKeys.deliveryLogPage(channel, page, LOG_PAGE_SIZE),
    queryFn: () => listDeliveryLog({ channel, page, pageSize: LOG_PAGE_SIZE }),
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS,
  })
  const names = new Map(channels.map((c) => [c.id, c.name]))
  const channelName = (entry: DeliveryLogEntry) => names.get(entry.channel_id) ?? (complete ? 'Deleted channel' : 'Another channel')
  const rows = log.data?.results ?? []

  return (
    <Card className="overflow-hidden" data-testid="delivery-log">
      <CardHeader className="gap-3 sm:flex-row sm:items-center sm:justify-between">
        <CardTitle>Delivery log</CardTitle>
        <div className="flex min-w-0 items-center gap-2">
          <Label htmlFor={filterId} className="shrink-0">
            Channel
          </Label>
          <select
            id={filterId}
            className={cn(inputClasses, 'h-9 min-w-0 sm:w-56')}
            value={channel ?? ''}
            onChange={(event) => {
              setChannel(event.target.value || null)
              setPage(1)
            }}
          >
            <option value="">All channels</option>
            {channels.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      </CardHeader>
      {log.isPending ? (
        <div className="space-y-2 p-5" aria-hidden="true">
          <Skeleton className="h-5 w-full" />
          <Skeleton className="h-5 w-2/3" />
        </div>
      ) : log.isError && !log.data ? (
        <div className="p-5">
          <Alert tone="error" title="The delivery log could not be loaded">
            {toApiError(log.error).detail}
          </Alert>
        </div>
      ) : rows.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-slate-500" data-testid="delivery-log-empty">
          {channel ? 'Nothing delivered on this channel yet.' : 'Nothing delivered yet. Messages appear here as they go out.'}
        </p>
      ) : (
        <>
          <div className="hidden overflow-x-auto xl:block">
            <table className="w-full table-fixed text-left text-sm">
              <thead className="border-b border-slate-200 bg-slate-50/80 text-xs font-semibold uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="w-44 py-3 pl-5 pr-3">Time</th>
                  <th scope="col" className="w-40 px-3 py-3">Channel</th>
                  <th scope="col" className="w-36 px-3 py-3">Event</th>
                  <th scope="col" className="w-36 px-3 py-3">Status</th>
                  <th scope="col" className="w-44 px-3 py-3">Sent</th>
                  <th scope="col" className="py-3 pl-3 pr-5">Error</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((entry) => (
                  <tr key={entry.id} data-testid="delivery-row" className="align-top">
                    <td className="py-3 pl-5 pr-3 text-slate-700">
                      <Time iso={entry.created_at} />
                    </td>
                    <td className="px-3 py-3">
                      {/* Wrapped, not cut to "Ops webhook m…": two channels often share a first word. */}
                      <span className="line-clamp-2 break-words font-medium text-slate-900" title={channelName(entry)}>
                        {channelName(entry)}
                      </span>
                    </td>
                    <td className="px-3 py-3 text-slate-700">
                      <span className="block break-words">{eventLabel(entry.event_type)}</span>
                      <EndpointLink id={entry.endpoint_id} />
                    </td>
                    <td className="px-3 py-3">
                      <StatusBadge status={entry.status} attempts={entry.attempts} />
                      <Attempts count={entry.attempts} className="mt-1 block text-xs text-slate-500" />
                    </td>
                    <td className="px-3 py-3 text-slate-700">
                      <Time iso={entry.sent_at} />
                    </td>
                    <td className="py-3 pl-3 pr-5 text-red-700">
                      {entry.error && (
                        <span className="line-clamp-2 break-words" title={entry.error}>
                          {entry.error}
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ul className="divide-y divide-slate-100 xl:hidden">
            {rows.map((entry) => (
              <li key={entry.id} data-testid="delivery-row" className="space-y-1 px-4 py-3 text-sm sm:px-5">
                <div className="flex items-start justify-between gap-3">
                  <p className="min-w-0 break-words font-medium text-slate-900">
                    {eventLabel(entry.event_type)}
                    <span className="font-normal text-slate-500"> · {channelName(entry)}</span>
                  </p>
                  <StatusBadge status={entry.status} attempts={entry.attempts} />
                </div>
                <p className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-600">
                  <span>
                    <Time iso={entry.created_at} />
                  </span>
                  <span>{entry.sent_at ? <>Sent <Time iso={entry.sent_at} /></> : 'Not sent'}</span>
                  <Attempts count={entry.attempts} />
                  <EndpointLink id={entry.endpoint_id} />
                </p>
                {entry.error && <p className="break-words text-xs text-red-700">{entry.error}</p>}
              </li>
            ))}
          </ul>
        </>
      )}
      {log.data && log.data.count > LOG_PAGE_SIZE && (
        <div className="border-t border-slate-100 px-5 py-3">
          <Pagination
            page={page}
            pageSize={LOG_PAGE_SIZE}
            count={log.data.count}
            onPageChange={setPage}
            emptyLabel="No deliveries"
            label="Delivery log pages"
          />
        </div>
      )}
    </Card>
  )
}
