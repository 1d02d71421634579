import { useCallback, useEffect } from 'react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useNavigate, useSearch } from '@tanstack/react-router'
import { listEndpoints } from '@/api/endpoints'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { Pagination } from '@/components/Pagination'
import { UpgradePrompt } from '@/components/UpgradePrompt'
import { Alert } from '@/components/ui/alert'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { useMe } from '@/hooks/useMe'
import { pollInterval } from '@/lib/endpoint'
import { selectAtLimit, usePlan } from '@/stores/plan'
import { AddEndpointForm } from './AddEndpointForm'
import { EmptyState } from './EmptyState'
import { EndpointsTable } from './EndpointsTable'
import { TableSkeleton } from './TableSkeleton'
import { UsageMeter } from './UsageMeter'

const PAGE_SIZE = 20

export function DashboardPage() {
  const navigate = useNavigate()
  const { page = 1 } = useSearch({ strict: false }) as { page?: number }
  const me = useMe()
  const endpointLimit = usePlan((s) => s.endpointLimit)
  const endpointCount = usePlan((s) => s.endpointCount)
  const setEndpointCount = usePlan((s) => s.setEndpointCount)
  const atLimit = usePlan(selectAtLimit)

  const endpoints = useQuery({
    queryKey: queryKeys.endpointPage(page, PAGE_SIZE),
    queryFn: () => listEndpoints(page, PAGE_SIZE),
    refetchInterval: (query) => pollInterval(query.state.data?.results),
    placeholderData: keepPreviousData,
  })

  const goToPage = useCallback(
    (next: number) => void navigate({ to: '/dashboard', search: { page: next > 1 ? next : undefined } }),
    [navigate],
  )

  // The list's count is the freshest figure for the plan meter.
  const total = endpoints.data?.count
  useEffect(() => {
    if (total !== undefined) setEndpointCount(total)
  }, [total, setEndpointCount])

  // A page that emptied (its last endpoint deleted) or vanished: step back.
  const pageError = endpoints.error ? toApiError(endpoints.error) : null
  useEffect(() => {
    if (page <= 1) return
    const lastPage = total !== undefined ? Math.max(1, Math.ceil(total / PAGE_SIZE)) : null
    if (pageError?.status === 404) goToPage(1)
    else if (lastPage !== null && page > lastPage) goToPage(lastPage)
  }, [page, total, pageError?.status, goToPage])

  return (
    <div className="space-y-6">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end sm:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Endpoints</h1>
          <p className="text-sm text-slate-600">Status, latency and uptime of everything you monitor.</p>
        </div>
        {me.data && <UsageMeter count={endpointCount} limit={endpointLimit} />}
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Add an endpoint</CardTitle>
          <CardDescription>
            A public web page, TCP port or DNS record, or a heartbeat your job pings. The first check runs as soon as you
            add it.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {atLimit && <UpgradePrompt limit={endpointLimit} count={endpointCount} />}
          <AddEndpointForm disabled={atLimit} onAdded={() => goToPage(1)} />
        </CardContent>
      </Card>

      <Card className="overflow-hidden">
        <CardHeader className="flex-row items-center justify-between">
          <CardTitle>Monitored endpoints</CardTitle>
          {endpoints.isFetching && !endpoints.isPending && (
            <span className="text-xs text-slate-400" aria-live="polite">
              Refreshing…
            </span>
          )}
        </CardHeader>
        {endpoints.isPending ? (
          <TableSkeleton />
        ) : endpoints.isError && !endpoints.data ? (
          <div className="p-5">
            <Alert tone="error" title="Endpoints could not be loaded">
              {pageError?.detail}
            </Alert>
          </div>
        ) : endpoints.data && endpoints.data.results.length === 0 && page === 1 ? (
          <EmptyState />
        ) : (
          <EndpointsTable endpoints={endpoints.data?.results ?? []} />
        )}
        {endpoints.data && endpoints.data.count > 0 && (
          <div className="border-t border-slate-100 px-5 py-3">
            <Pagination page={page} pageSize={PAGE_SIZE} count={endpoints.data.count} onPageChange={goToPage} />
          </div>
        )}
      </Card>
    </div>
  )
}
