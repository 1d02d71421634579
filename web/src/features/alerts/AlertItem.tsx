import { useId } from 'react'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { Link } from '@tanstack/react-router'
import { markAlertRead, resolveAlert } from '@/api/alerts'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import type { Alert } from '@/api/types'
import { TonePill } from '@/components/TonePill'
import { Button } from '@/components/ui/button'
import { Spinner } from '@/components/ui/spinner'
import { eventLabel, severityOf } from '@/lib/alerts'
import { cn } from '@/lib/cn'
import { formatDateTime, formatRelative } from '@/lib/format'

interface AlertItemProps {
  alert: Alert
  now: number
  onError: (message: string | null) => void
}

/** One alert: severity in colour and word, what happened, when, and Mark read / Resolve. */
export function AlertItem({ alert, now, onError }: AlertItemProps) {
  const queryClient = useQueryClient()
  const titleId = useId()
  const unread = !alert.read_at
  const resolved = Boolean(alert.resolved_at)
  const severity = severityOf(alert.severity)

  // The list and the bell's count (from /me) both change.
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.alerts }),
      queryClient.invalidateQueries({ queryKey: queryKeys.me }),
    ])
  const mutationOptions = {
    onMutate: () => onError(null),
    onError: (error: unknown) => onError(toApiError(error).detail),
    onSettled: refresh,
  }
  const read = useMutation({ mutationFn: () => markAlertRead(alert.id), ...mutationOptions })
  const resolve = useMutation({ mutationFn: () => resolveAlert(alert.id), ...mutationOptions })

  return (
    <li
      data-testid="alert-row"
      data-unread={unread ? 'true' : undefined}
      data-resolved={resolved ? 'true' : undefined}
      className={cn('px-4 py-4 sm:px-5', unread && 'bg-brand-50/50')}
    >
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <div className="min-w-0 flex-1 space-y-1.5">
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <TonePill label={severity.label} tone={severity.tone} testId="alert-severity" status={alert.severity} />
            <span className="text-xs font-medium text-slate-500">{eventLabel(alert.type)}</span>
            {unread && (
              <span className="inline-flex items-center gap-1 text-xs font-semibold text-brand-700">
                <span aria-hidden="true" className="h-1.5 w-1.5 rounded-full bg-brand-600" />
                Unread
              </span>
            )}
            {resolved && <TonePill label="Resolved" tone="green" testId="alert-resolved" />}
          </div>
          <h3 id={titleId} className={cn('break-words text-sm text-slate-900', unread ? 'font-semibold' : 'font-medium')}>
            {alert.title}
          </h3>
          {alert.message && <p className="whitespace-pre-line break-words text-sm text-slate-600">{alert.message}</p>}
          <p className="flex flex-wrap gap-x-3 gap-y-1 text-xs text-slate-500">
            <time dateTime={alert.created_at} title={formatDateTime(alert.created_at)}>
              {formatRelative(alert.created_at, now)}
            </time>
            {alert.resolved_at && (
              <time dateTime={alert.resolved_at} title={formatDateTime(alert.resolved_at)}>
                Resolved {formatRelative(alert.resolved_at, now)}
              </time>
            )}
            {alert.endpoint_id && (
              <Link
                to="/endpoints/$id"
                params={{ id: alert.endpoint_id }}
                aria-describedby={titleId}
                className="font-medium text-brand-700 underline-offset-4 hover:underline"
              >
                View endpoint
              </Link>
            )}
          </p>
        </div>
        {(unread || !resolved) && (
          <div className="flex shrink-0 flex-wrap gap-2">
            {unread && (
              <Button variant="outline" size="sm" aria-describedby={titleId} onClick={() => read.mutate()} disabled={read.isPending}>
                {read.isPending && <Spinner />}
                Mark read
              </Button>
            )}
            {!resolved && (
              <Button
                variant="outline"
                size="sm"
                aria-describedby={titleId}
                onClick={() => resolve.mutate()}
                disabled={resolve.isPending}
              >
                {resolve.isPending && <Spinner />}
                Resolve
              </Button>
            )}
          </div>
        )}
      </div>
    </li>
  )
}
