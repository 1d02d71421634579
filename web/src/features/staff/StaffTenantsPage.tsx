import { useCallback, useId, useState, type FormEvent } from 'react'
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query'
import { useNavigate, useSearch } from '@tanstack/react-router'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { listStaffTenants, reactivateTenant, suspendTenant } from '@/api/staff'
import type { StaffTenant } from '@/api/types'
import { Pagination } from '@/components/Pagination'
import { TonePill } from '@/components/TonePill'
import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardHeader, CardTitle } from '@/components/ui/card'
import { Input, inputClasses } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { Skeleton } from '@/components/ui/skeleton'
import { cn } from '@/lib/cn'
import { formatDate, humanise } from '@/lib/format'
import { planName } from '@/stores/plan'
import { ACCOUNT_STATUSES, accountStatusTone, formatCount, memberCount, PLAN_IDS, statusLabel } from './staffFormat'
import { TenantActions } from './TenantActions'

export const STAFF_TENANT_PAGE_SIZE = 20

export interface StaffTenantsSearch {
  page?: number
  q?: string
  status?: string
  plan?: string
}

function Filters({ search, onChange }: { search: StaffTenantsSearch; onChange: (next: StaffTenantsSearch) => void }) {
  const ids = { q: useId(), status: useId(), plan: useId() }
  const [q, setQ] = useState(search.q ?? '')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    onChange({ ...search, q: q.trim() || undefined })
  }
  return (
    <form onSubmit={submit} role="search" aria-label="Find tenants" className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_11rem_8rem] lg:flex lg:items-end">
      <div className="space-y-1.5 lg:w-80">
        <Label htmlFor={ids.q}>Search</Label>
        <div className="flex gap-2">
          <Input id={ids.q} type="search" value={q} onChange={(event) => setQ(event.target.value)} placeholder="Name contains…" />
          <Button type="submit" variant="outline">
            Search
          </Button>
        </div>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor={ids.status}>Status</Label>
        <select
          id={ids.status}
          className={inputClasses}
          value={search.status ?? ''}
          onChange={(event) => onChange({ ...search, q: q.trim() || undefined, status: event.target.value || undefined })}
        >
          <option value="">Any status</option>
          {ACCOUNT_STATUSES.map((status) => (
            <option key={status} value={status}>
              {humanise(status)}
            </option>
          ))}
        </select>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor={ids.plan}>Plan</Label>
        <select
          id={ids.plan}
          className={inputClasses}
          value={search.plan ?? ''}
          onChange={(event) => onChange({ ...search, q: q.trim() || undefined, plan: event.target.value || undefined })}
        >
          <option value="">Any plan</option>
          {PLAN_IDS.map((plan) => (
            <option key={plan} value={plan}>
              {planName(plan)}
            </option>
          ))}
        </select>
      </div>
    </form>
  )
}

function Status({ tenant }: { tenant: StaffTenant }) {
  return (
    <TonePill
      label={statusLabel(tenant.account_status)}
      tone={accountStatusTone(tenant.account_status)}
      status={tenant.account_status}
      testId="tenant-status"
    />
  )
}

/** Why it is suspended, as the operator wrote it (the backend sends it with the tenant). */
function SuspensionReason({ tenant }: { tenant: StaffTenant }) {
  if (tenant.account_status !== 'suspended' || !tenant.suspension_reason) return null
  return (
    <p className="mt-1 line-clamp-2 break-words text-xs text-slate-500" title={tenant.suspension_reason} data-testid="suspension-reason">
      “{tenant.suspension_reason}”
    </p>
  )
}

/** /staff/tenants: every tenant, found by name or e-mail and filtered by status and plan; suspend or reactivate. */
export function StaffTenantsPage() {
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const search = useSearch({ strict: false }) as StaffTenantsSearch
  const { page = 1, ...filters } = search
  const [notice, setNotice] = useState<string | null>(null)
  const tenants = useQuery({
    queryKey: queryKeys.staffTenantPage(page, STAFF_TENANT_PAGE_SIZE, filters),
    queryFn: () => listStaffTenants(page, STAFF_TENANT_PAGE_SIZE, filters),
    placeholderData: keepPreviousData,
  })

  const go = useCallback(
    (next: StaffTenantsSearch) => void navigate({ to: '/staff/tenants', search: { ...next, page: next.page && next.page > 1 ? next.page : undefined } }),
    [navigate],
  )
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.staffTenants })

  const suspend = async (tenant: StaffTenant, reason: string) => {
    setNotice(null)
    const updated = await suspendTenant(tenant.id, reason)
    setNotice(`${updated.name ?? tenant.name} is suspended from its next request.`)
    await refresh()
  }
  const reactivate = async (tenant: StaffTenant) => {
    setNotice(null)
    const updated = await reactivateTenant(tenant.id)
    setNotice(`${updated.name ?? tenant.name} is ${statusLabel(updated.account_status ?? 'active').toLowerCase()} again.`)
    await refresh()
  }

  const rows = tenants.data?.results ?? []
  const error = tenants.isError && !tenants.data ? toApiError(tenants.error) : null
  const filtered = Boolean(filters.q || filters.status || filters.plan)

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Tenants</h1>
        <p className="text-sm text-slate-600">Every organisation on this service, newest first.</p>
      </div>
      {notice && <Alert tone="success">{notice}</Alert>}
      <Card className="overflow-hidden" data-testid="staff-tenants">
        <CardHeader className="gap-4">
          <CardTitle>{filtered ? 'Matching tenants' : 'All tenants'}</CardTitle>
          <Filters key={filters.q ?? ''} search={filters} onChange={go} />
        </CardHeader>
        {tenants.isPending ? (
          <div className="space-y-2 p-5" aria-hidden="true">
            <Skeleton className="h-5 w-full" />
            <Skeleton className="h-5 w-2/3" />
          </div>
        ) : error ? (
          <div className="p-5">
            <Alert tone="error" title="Tenants could not be loaded">
              {error.detail}
            </Alert>
          </div>
        ) : rows.length === 0 ? (
          <p className="px-5 py-8 text-center text-sm text-slate-500" data-testid="staff-tenants-empty">
            {filtered ? 'No tenant matches.' : 'No tenants yet.'}
          </p>
        ) : (
          <>
            <div className="hidden xl:block">
              <table className="w-full table-fixed text-left text-sm" aria-label="Tenants">
                <thead className="border-b border-slate-200 bg-slate-50/80 text-xs font-semibold uppercase tracking-wide text-slate-500">
                  <tr>
                    <th scope="col" className="py-3 pl-5 pr-3">Tenant</th>
                    <th scope="col" className="w-20 px-3 py-3">Plan</th>
                    <th scope="col" className="w-40 px-3 py-3">Account</th>
                    <th scope="col" className="w-32 px-3 py-3">Subscription</th>
                    <th scope="col" className="w-24 px-3 py-3 text-right">Endpoints</th>
                    <th scope="col" className="w-24 px-3 py-3 text-right">Members</th>
                    <th scope="col" className="w-32 px-3 py-3">Created</th>
                    <th scope="col" className="w-60 py-3 pl-3 pr-5">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {rows.map((tenant) => (
                    <tr key={tenant.id} data-testid="tenant-row">
                      <td className="py-3 pl-5 pr-3">
                        <span className="block break-words font-medium text-slate-900">{tenant.name}</span>
                        <code className="block truncate font-mono text-xs text-slate-500" title={tenant.id}>
                          {tenant.id}
                        </code>
                      </td>
                      <td className="px-3 py-3">
                        <Badge tone={tenant.plan === 'free' ? 'neutral' : 'brand'}>{planName(tenant.plan)}</Badge>
                      </td>
                      <td className="px-3 py-3">
                        <Status tenant={tenant} />
                        <SuspensionReason tenant={tenant} />
                      </td>
                      <td className="px-3 py-3 text-slate-700">{statusLabel(tenant.subscription_status)}</td>
                      <td className="px-3 py-3 text-right tabular-nums text-slate-700">{formatCount(tenant.endpoint_count)}</td>
                      <td className="px-3 py-3 text-right tabular-nums text-slate-700">{formatCount(memberCount(tenant.members))}</td>
                      <td className="whitespace-nowrap px-3 py-3 text-slate-700">{formatDate(tenant.created_at)}</td>
                      <td className="py-2 pl-3 pr-5">
                        <TenantActions tenant={tenant} onSuspend={(reason) => suspend(tenant, reason)} onReactivate={() => reactivate(tenant)} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ul className="divide-y divide-slate-100 xl:hidden" aria-label="Tenants">
              {rows.map((tenant) => (
                <li key={tenant.id} data-testid="tenant-row" className="space-y-2 px-4 py-4 text-sm sm:px-5">
                  <div className="flex items-start justify-between gap-3">
                    <div className="min-w-0">
                      <p className="break-words font-medium text-slate-900">{tenant.name}</p>
                      <code className="block truncate font-mono text-xs text-slate-500">{tenant.id}</code>
                    </div>
                    <Badge tone={tenant.plan === 'free' ? 'neutral' : 'brand'}>{planName(tenant.plan)}</Badge>
                  </div>
                  <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-600">
                    <Status tenant={tenant} />
                    <span>Subscription {statusLabel(tenant.subscription_status).toLowerCase()}</span>
                    <span>{formatCount(tenant.endpoint_count)} endpoints</span>
                    <span>{formatCount(memberCount(tenant.members))} members</span>
                    <span>Since {formatDate(tenant.created_at)}</span>
                  </div>
                  <SuspensionReason tenant={tenant} />
                  <TenantActions tenant={tenant} onSuspend={(reason) => suspend(tenant, reason)} onReactivate={() => reactivate(tenant)} />
                </li>
              ))}
            </ul>
          </>
        )}
        {tenants.data && tenants.data.count > 0 && (
          <div className={cn('border-t border-slate-100 px-5 py-3')}>
            <Pagination
              page={page}
              pageSize={STAFF_TENANT_PAGE_SIZE}
              count={tenants.data.count}
              onPageChange={(next) => go({ ...filters, page: next })}
              emptyLabel="No tenants"
              label="Tenant pages"
            />
          </div>
        )}
      </Card>
    </div>
  )
}
