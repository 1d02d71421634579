import { useCallback, useEffect, useState } from 'react'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate, useSearch } from '@tanstack/react-router'
import { listAlerts, markAllAlertsRead } from '@/api/alerts'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import type { AlertType } from '@/api/types'
import { Pagination } from '@/components/Pagination'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { Spinner } from '@/components/ui/spinner'
import { useNow } from '@/hooks/useNow'
import { useUnreadAlerts } from '@/hooks/useUnreadAlerts'
import { AlertFilters } from './AlertFilters'
import { AlertItem } from './AlertItem'

export const ALERT_PAGE_SIZE = 20
/** New alerts appear without a reload. */
const POLL_MS = 30_000

interface AlertsSearch {
  page?: number
  unread?: true
  type?: AlertType
}

export function AlertsPage() {
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const { page = 1, unread, type } = useSearch({ strict: false }) as AlertsSearch
  const unreadCount = useUnreadAlerts()
  const now = useNow()
  const [actionError, setActionError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)

  const filters = { page, pageSize: ALERT_PAGE_SIZE, unread: Boolean(unread), type: type ?? null }
  const alerts = useQuery({
    queryKey: queryKeys.alertPage(filters),
    queryFn: () => listAlerts(filters),
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS,
  })

  const setSearch = useCallback(
    (next: AlertsSearch) =>
      void navigate({
        to: '/alerts',
        search: { page: next.page && next.page > 1 ? next.page : undefined, unread: next.unread, type: next.type },
      }),
    [navigate],
  )
  const goToPage = useCallback((next: number) => setSearch({ page: next, unread, type }), [setSearch, unread, type])

  const readAll = useMutation({
    mutationFn: markAllAlertsRead,
    onMutate: () => {
      setActionError(null)
      setNotice(null)
    },
    onSuccess: ({ updated }) =>
      setNotice(updated === 0 ? 'There were no unread alerts.' : `Marked ${updated} alert${updated === 1 ? '' : 's'} as read.`),
    onError: (error) => setActionError(toApiError(error).detail),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.alerts }),
        queryClient.invalidateQueries({ queryKey: queryKeys.me }),
      ]),
  })

  // The bell and "N unread" come from /me, polled less often than this list: when the list
  // is fetched afresh (on opening the page, every poll), ask /me again so that the two agree
  // and a new alert is not listed as unread under "All read."
  const listUpdatedAt = alerts.dataUpdatedAt
  useEffect(() => {
    if (listUpdatedAt) void queryClient.invalidateQueries({ queryKey: queryKeys.me }, { cancelRefetch: false })
  }, [listUpdatedAt, queryClient])

  // A page that emptied (its alerts read under "Unread only") or vanished: step back.
  const total = alerts.data?.count
  const pageError = alerts.error ? toApiError(alerts.error) : null
  useEffect(() => {
    if (page <= 1) return
    const lastPage = total !== undefined ? Math.max(1, Math.ceil(total / ALERT_PAGE_SIZE)) : null
    if (pageError?.status === 404) goToPage(1)
    else if (lastPage !== null && page > lastPage) goToPage(lastPage)
  }, [page, total, pageError?.status, goToPage])

  const filtered = Boolean(unread || type)
  const rows = alerts.data?.results ?? []

  return (
    <div className="space-y-6">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Alerts</h1>
          <p className="text-sm text-slate-600">
            Outages, recoveries, expiring certificates and billing events, newest first.
            {unreadCount !== undefined && (
              <span data-testid="unread-summary"> {unreadCount === 0 ? 'All read.' : `${unreadCount} unread.`}</span>
            )}
          </p>
        </div>
        <Button
          variant="outline"
          className="w-full sm:w-auto"
          onClick={() => readAll.mutate()}
          disabled={readAll.isPending || unreadCount === 0}
        >
          {readAll.isPending && <Spinner />}
          Mark all read
        </Button>
      </div>

      {actionError && <Alert tone="error">{actionError}</Alert>}
      {notice && !actionError && <Alert tone="success">{notice}</Alert>}

      <Card className="overflow-hidden">
        <CardHeader className="gap-3 sm:flex-row sm:items-center sm:justify-between">
          <CardTitle>{unread ? 'Unread alerts' : 'All alerts'}</CardTitle>
          <AlertFilters
            unread={Boolean(unread)}
            type={type ?? null}
            onChange={(next) => setSearch({ unread: next.unread || undefined, type: next.type ?? undefined })}
          />
        </CardHeader>
        {alerts.isPending ? (
          <div className="space-y-3 p-5" aria-hidden="true">
            <Skeleton className="h-5 w-2/3" />
            <Skeleton className="h-4 w-full" />
            <Skeleton className="h-5 w-1/2" />
          </div>
        ) : alerts.isError && !alerts.data ? (
          <div className="p-5">
            <Alert tone="error" title="Alerts could not be loaded">
              {pageError?.detail}
            </Alert>
          </div>
        ) : rows.length === 0 && page === 1 ? (
          <div className="flex flex-col items-center gap-2 px-6 py-12 text-center" data-testid="alerts-empty">
            <h3 className="text-base font-semibold text-slate-900">{filtered ? 'No alerts match these filters' : 'No alerts yet'}</h3>
            <p className="max-w-sm text-sm text-slate-600">
              {filtered
                ? 'Try another type, or show read alerts too.'
                : 'When an endpoint goes down or recovers, a certificate nears its expiry or a payment fails, it shows up here.'}
            </p>
            {filtered && (
              <Button variant="link" size="sm" onClick={() => setSearch({})}>
                Show all alerts
              </Button>
            )}
          </div>
        ) : (
          <ul className="divide-y divide-slate-100" aria-label="Alerts">
            {rows.map((alert) => (
              <AlertItem key={alert.id} alert={alert} now={now} onError={setActionError} />
            ))}
          </ul>
        )}
        {alerts.data && alerts.data.count > 0 && (
          <div className="border-t border-slate-100 px-5 py-3">
            <Pagination
              page={page}
              pageSize={ALERT_PAGE_SIZE}
              count={alerts.data.count}
              onPageChange={goToPage}
              emptyLabel="No alerts"
            />
          </div>
        )}
      </Card>
    </div>
  )
}
