import { Fragment, useCallback, useState } from 'react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useNavigate, useSearch } from '@tanstack/react-router'
import { listAuditLog } from '@/api/audit'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import type { AuditEntry } from '@/api/types'
import { Pagination } from '@/components/Pagination'
import { PermissionNotice } from '@/components/PermissionNotice'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { canManageOrganisation, useServerRole } from '@/hooks/useRole'
import { endOfDayIso, startOfDayIso } from '@/lib/dates'
import { Action, Actor, Clipped, Target, When } from './AuditEntryParts'
import { AuditFilters } from './AuditFilters'
import { DiffView } from './DiffView'
import type { AuditSearch } from './search'

export const AUDIT_PAGE_SIZE = 20

function ChevronIcon({ open }: { open: boolean }) {
  return (
    <svg viewBox="0 0 16 16" className={`h-3.5 w-3.5 transition-transform ${open ? 'rotate-180' : ''}`} fill="none" aria-hidden="true">
      <path d="M4 6l4 4 4-4" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  )
}

function DetailsToggle({ entry, open, onToggle, controls }: { entry: AuditEntry; open: boolean; onToggle: () => void; controls: string }) {
  return (
    <Button
      variant="ghost"
      size="sm"
      aria-expanded={open}
      aria-controls={open ? controls : undefined}
      aria-label={`${open ? 'Hide' : 'Show'} the changes of ${entry.action}`}
      onClick={onToggle}
    >
      Changes
      <ChevronIcon open={open} />
    </Button>
  )
}

interface DetailsProps {
  entry: AuditEntry
  onFilter: (filters: Omit<AuditSearch, 'page'>) => void
}

/** The expanded part of a row: the diff, the whole request facts, and filters from this row. */
function Details({ entry, onFilter, id }: DetailsProps & { id: string }) {
  const actor = entry.actor.id ?? entry.actor.email
  return (
    <div id={id} className="space-y-4 bg-slate-50/70 px-4 py-4 sm:px-5" data-testid="audit-details">
      <DiffView before={entry.before} after={entry.after} />
      <dl className="grid gap-x-4 gap-y-1 text-xs text-slate-600 sm:grid-cols-[8rem_minmax(0,1fr)]">
        <dt className="font-medium text-slate-700">Request id</dt>
        <dd className="break-all font-mono">{entry.request_id ?? '—'}</dd>
        <dt className="font-medium text-slate-700">IP address</dt>
        <dd className="break-all font-mono">{entry.ip ?? '—'}</dd>
        <dt className="font-medium text-slate-700">User agent</dt>
        <dd className="break-all">{entry.user_agent ?? '—'}</dd>
        {entry.actor.id && (
          <>
            <dt className="font-medium text-slate-700">Actor id</dt>
            <dd className="break-all font-mono">{entry.actor.id}</dd>
          </>
        )}
      </dl>
      <div className="flex flex-wrap gap-2">
        {actor && (
          <Button variant="outline" size="sm" onClick={() => onFilter({ actor })}>
            Only this actor
          </Button>
        )}
        {entry.target.type && (
          <Button
            variant="outline"
            size="sm"
            onClick={() => onFilter({ target_type: entry.target.type ?? undefined, target_id: entry.target.id ?? undefined })}
          >
            Only this target
          </Button>
        )}
      </div>
    </div>
  )
}

export function AuditLogPage() {
  const role = useServerRole()
  const canRead = canManageOrganisation(role)
  const navigate = useNavigate()
  const search = useSearch({ strict: false }) as AuditSearch
  const { page = 1, ...filters } = search
  const [open, setOpen] = useState<Set<string>>(() => new Set())
  const [filtersShown, setFiltersShown] = useState(() => Object.values(filters).some(Boolean))

  const log = useQuery({
    queryKey: queryKeys.auditLogPage(page, AUDIT_PAGE_SIZE, filters),
    queryFn: () =>
      listAuditLog(page, AUDIT_PAGE_SIZE, {
        ...filters,
        from: filters.from ? startOfDayIso(filters.from) : undefined,
        to: filters.to ? endOfDayIso(filters.to) : undefined,
      }),
    placeholderData: keepPreviousData,
    enabled: canRead,
  })
  const error = log.isError ? toApiError(log.error) : null
  const filtered = Object.values(filters).some(Boolean)

  const go = useCallback(
    (next: AuditSearch) => void navigate({ to: '/audit-log', search: { ...next, page: next.page && next.page > 1 ? next.page : undefined } }),
    [navigate],
  )
  const toggle = (id: string) =>
    setOpen((current) => {
      const next = new Set(current)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })
  const applyFilters = (next: Omit<AuditSearch, 'page'>) => {
    setOpen(new Set())
    go(next)
  }

  const heading = (
    <div>
      <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Audit log</h1>
      <p className="text-sm text-slate-600">
        Every change in this organisation, who made it and from where, newest first. Rows are kept for a year.
      </p>
    </div>
  )
  if (!role) return <div className="space-y-6">{heading}<Skeleton className="h-24" /></div>
  if (!canRead || error?.status === 403) {
    return (
      <div className="space-y-6">
        {heading}
        <PermissionNotice what="the audit log" testId="audit-denied" />
      </div>
    )
  }

  const rows = log.data?.results ?? []
  return (
    <div className="space-y-6">
      {heading}
      <Card>
        <CardHeader className="flex-row items-center justify-between gap-3">
          <CardTitle>Filters</CardTitle>
          {/* On a phone the six fields fold away until asked for (or while some are set). */}
          <Button
            variant="outline"
            size="sm"
            className="sm:hidden"
            aria-expanded={filtersShown}
            aria-controls="audit-filters"
            onClick={() => setFiltersShown(!filtersShown)}
          >
            {filtersShown ? 'Hide' : filtered ? 'Show (active)' : 'Show'}
          </Button>
        </CardHeader>
        <CardContent id="audit-filters" className={filtersShown ? undefined : 'hidden sm:block'}>
          <AuditFilters key={JSON.stringify(filters)} filters={filters} onApply={applyFilters} />
        </CardContent>
      </Card>

      <Card className="overflow-hidden" data-testid="audit-log">
        <CardHeader>
          <CardTitle>{filtered ? 'Matching changes' : 'All changes'}</CardTitle>
        </CardHeader>
        {log.isPending ? (
          <div className="space-y-2 p-5" aria-hidden="true">
            <Skeleton className="h-5 w-full" />
            <Skeleton className="h-5 w-2/3" />
          </div>
        ) : error && !log.data ? (
          <div className="p-5">
            <Alert tone="error" title="The audit log could not be loaded">
              {Object.values(error.errors).flat().join(' ') || error.detail}
            </Alert>
          </div>
        ) : rows.length === 0 ? (
          <p className="px-5 py-8 text-center text-sm text-slate-500" data-testid="audit-empty">
            {filtered ? 'No changes match these filters.' : 'Nothing recorded yet.'}
          </p>
        ) : (
          <>
            <div className="hidden xl:block">
              <table className="w-full table-fixed text-left text-sm" aria-label="Audit log">
                <thead className="border-b border-slate-200 bg-slate-50/80 text-xs font-semibold uppercase tracking-wide text-slate-500">
                  <tr>
                    <th scope="col" className="w-32 py-3 pl-5 pr-3">Time</th>
                    <th scope="col" className="px-3 py-3">Actor</th>
                    <th scope="col" className="w-48 px-3 py-3">Action</th>
                    <th scope="col" className="w-40 px-3 py-3">Target</th>
                    <th scope="col" className="w-44 px-3 py-3">IP / User agent</th>
                    <th scope="col" className="w-28 px-3 py-3">Request</th>
                    <th scope="col" className="w-32 py-3 pl-3 pr-5">
                      <span className="sr-only">Changes</span>
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {rows.map((entry) => {
                    const expanded = open.has(entry.id)
                    return (
                      <Fragment key={entry.id}>
                        <tr data-testid="audit-row" className="align-top">
                          <td className="py-3 pl-5 pr-3 text-slate-700">
                            <When iso={entry.at} stacked />
                          </td>
                          <td className="px-3 py-3">
                            <Actor actor={entry.actor} stacked />
                          </td>
                          <td className="px-3 py-3">
                            <Action action={entry.action} />
                          </td>
                          <td className="px-3 py-3">
                            <Target target={entry.target} />
                          </td>
                          <td className="px-3 py-3 text-xs text-slate-600">
                            <span className="block font-mono text-slate-700">
                              <Clipped value={entry.ip} />
                            </span>
                            <span className="mt-0.5 block">
                              <Clipped value={entry.user_agent} />
                            </span>
                          </td>
                          <td className="px-3 py-3 text-xs text-slate-600">
                            <Clipped value={entry.request_id} mono />
                          </td>
                          <td className="py-2 pl-3 pr-5 text-right">
                            <DetailsToggle entry={entry} open={expanded} onToggle={() => toggle(entry.id)} controls={`audit-details-${entry.id}-t`} />
                          </td>
                        </tr>
                        {expanded && (
                          <tr>
                            <td colSpan={7} className="p-0">
                              <Details id={`audit-details-${entry.id}-t`} entry={entry} onFilter={applyFilters} />
                            </td>
                          </tr>
                        )}
                      </Fragment>
                    )
                  })}
                </tbody>
              </table>
            </div>
            <ul className="divide-y divide-slate-100 xl:hidden" aria-label="Audit log">
              {rows.map((entry) => {
                const expanded = open.has(entry.id)
                return (
                  <li key={entry.id} data-testid="audit-row">
                    <div className="space-y-2 px-4 py-3 text-sm sm:px-5">
                      <div className="flex items-start justify-between gap-3">
                        <Action action={entry.action} />
                        <span className="shrink-0 text-xs text-slate-600">
                          <When iso={entry.at} />
                        </span>
                      </div>
                      <Actor actor={entry.actor} />
                      <div className="flex items-end justify-between gap-3">
                        <div className="min-w-0 text-xs">
                          <Target target={entry.target} />
                          <p className="mt-1 truncate text-slate-500" title={entry.user_agent ?? undefined}>
                            {[entry.ip, entry.user_agent].filter(Boolean).join(' · ') || '—'}
                          </p>
                        </div>
                        <DetailsToggle entry={entry} open={expanded} onToggle={() => toggle(entry.id)} controls={`audit-details-${entry.id}-l`} />
                      </div>
                    </div>
                    {expanded && <Details id={`audit-details-${entry.id}-l`} entry={entry} onFilter={applyFilters} />}
                  </li>
                )
              })}
            </ul>
          </>
        )}
        {log.data && log.data.count > 0 && (
          <div className="border-t border-slate-100 px-5 py-3">
            <Pagination
              page={page}
              pageSize={AUDIT_PAGE_SIZE}
              count={log.data.count}
              onPageChange={(next) => {
                setOpen(new Set())
                go({ ...filters, page: next })
              }}
              emptyLabel="No changes"
              label="Audit log pages"
            />
          </div>
        )}
      </Card>
    </div>
  )
}
