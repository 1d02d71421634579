import { useState } from 'react'
import { useQuery } from '@tanstack/react-query'
import { Link, useParams } from '@tanstack/react-router'
import { getEndpoint, getUptime, listChecks } from '@/api/endpoints'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { LatencyChart } from '@/components/chart/LatencyChart'
import { StatusPill } from '@/components/StatusPill'
import { UptimeBars } from '@/components/UptimeBars'
import { Alert } from '@/components/ui/alert'
import { buttonVariants } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { PageSpinner } from '@/components/ui/spinner'
import { displayName, pollInterval } from '@/lib/endpoint'
import { formatDateTime, formatRelative } from '@/lib/format'
import { useNow } from '@/hooks/useNow'
import { ChecksTable } from './ChecksTable'
import { EditEndpointForm } from './EditEndpointForm'
import { EndpointActions } from './EndpointActions'
import { PingUrlCard } from './PingUrlCard'
import { QuorumLine, RegionsCard } from './RegionsCard'
import { StatTiles } from './StatTiles'
import { TargetLine } from './TargetLine'

export function EndpointPage() {
  const { id } = useParams({ strict: false }) as { id: string }
  const now = useNow()
  const [actionError, setActionError] = useState<string | null>(null)

  const endpoint = useQuery({
    queryKey: queryKeys.endpoint(id),
    queryFn: () => getEndpoint(id),
    refetchInterval: (query) => pollInterval(query.state.data ? [query.state.data] : undefined),
  })
  const found = endpoint.isSuccess
  const pollMs = pollInterval(endpoint.data ? [endpoint.data] : undefined)
  const checks = useQuery({
    queryKey: queryKeys.checks(id),
    queryFn: () => listChecks(id, 100),
    refetchInterval: pollMs,
    enabled: found,
  })
  const uptime = useQuery({
    queryKey: queryKeys.uptime(id),
    queryFn: () => getUptime(id),
    refetchInterval: 30_000,
    enabled: found,
  })

  if (endpoint.isPending) return <PageSpinner />
  if (endpoint.isError) {
    const error = toApiError(endpoint.error)
    return (
      <div className="space-y-4">
        <BackLink />
        <Alert tone="error" title={error.status === 404 ? 'Endpoint not found' : 'The endpoint could not be loaded'}>
          {error.status === 404 ? 'It may have been deleted.' : error.detail}
        </Alert>
      </div>
    )
  }

  const data = endpoint.data
  return (
    <div className="space-y-6">
      <BackLink />
      <div className="flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <div className="min-w-0 space-y-1">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="min-w-0 break-words text-2xl font-semibold tracking-tight text-slate-900">{displayName(data)}</h1>
            <StatusPill status={data.status} />
          </div>
          <TargetLine endpoint={data} />
          <QuorumLine endpoint={data} />
          {data.status === 'down' && data.last_error && <p className="text-sm text-red-700">{data.last_error}</p>}
          {data.tls_expires_at && <TlsExpiry expiresAt={data.tls_expires_at} now={now} />}
        </div>
        <EndpointActions endpoint={data} onError={setActionError} />
      </div>
      {data.paused_by_plan && (
        <Alert
          tone="warning"
          title="Paused: over your plan's endpoint limit"
          data-testid="paused-by-plan-alert"
          action={
            <Link to="/billing" className={buttonVariants({ size: 'sm' })}>
              Upgrade
            </Link>
          }
        >
          Your organisation has more endpoints than its plan allows, so this one is not being checked. Upgrade to Pro to
          resume it, or delete another endpoint to make room.
        </Alert>
      )}
      {actionError && <Alert tone="error">{actionError}</Alert>}
      {data.ping_url && (
        <PingUrlCard pingUrl={data.ping_url} intervalSeconds={data.interval_seconds} graceSeconds={data.grace_seconds ?? 0} />
      )}

      <StatTiles endpoint={data} uptime={uptime.data} now={now} />

      <RegionsCard endpoint={data} now={now} />

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <Card className="min-w-0 lg:col-span-2">
          <CardHeader>
            <CardTitle>Response time</CardTitle>
            <CardDescription>{chartCaption(checks.data?.length ?? 0)}</CardDescription>
          </CardHeader>
          <CardContent>
            {checks.isError ? (
              <Alert tone="error">{toApiError(checks.error).detail}</Alert>
            ) : (
              <LatencyChart checks={checks.data ?? []} />
            )}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Uptime</CardTitle>
            <CardDescription>Share of successful checks.</CardDescription>
          </CardHeader>
          <CardContent>
            <UptimeBars uptime={uptime.data} />
          </CardContent>
        </Card>
      </div>

      <Card className="overflow-hidden">
        <CardHeader>
          <CardTitle>Recent checks</CardTitle>
        </CardHeader>
        <ChecksTable checks={checks.data ?? []} />
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Settings</CardTitle>
          <CardDescription>Changes apply from the next check.</CardDescription>
        </CardHeader>
        <CardContent>
          <EditEndpointForm endpoint={data} />
        </CardContent>
      </Card>
    </div>
  )
}

function chartCaption(count: number): string {
  if (count === 0) return 'Latency of each check.'
  return `${count === 1 ? 'The last check' : `The last ${count} checks`}. Red marks are failed checks.`
}

const TLS_WARN_DAYS = 14

function TlsExpiry({ expiresAt, now }: { expiresAt: string; now: number }) {
  const days = (Date.parse(expiresAt) - now) / 86_400_000
  const soon = days < TLS_WARN_DAYS
  return (
    <p className={soon ? 'text-sm font-medium text-amber-700' : 'text-sm text-slate-500'} title={formatDateTime(expiresAt)}>
      {days < 0 ? 'TLS certificate expired ' : 'TLS certificate expires '}
      {formatRelative(expiresAt, now)}
    </p>
  )
}

function BackLink() {
  return (
    <Link to="/dashboard" className={buttonVariants({ variant: 'link', size: 'sm' }) + ' h-auto'}>
      ← All endpoints
    </Link>
  )
}
