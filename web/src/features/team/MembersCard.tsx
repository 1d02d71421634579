import { useState } from 'react'
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { listMembers, removeMember, updateMemberRole } from '@/api/team'
import type { Member, Role } from '@/api/types'
import { ConfirmDeleteDialog } from '@/components/ConfirmDeleteDialog'
import { Pagination } from '@/components/Pagination'
import { TonePill } from '@/components/TonePill'
import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { inputClasses } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/skeleton'
import { Spinner } from '@/components/ui/spinner'
import { useLogout } from '@/hooks/useLogout'
import { useMe } from '@/hooks/useMe'
import { useNow } from '@/hooks/useNow'
import { cn } from '@/lib/cn'
import { formatDate, formatDateTime, formatRelative } from '@/lib/format'
import { assignableRoles, canManageMember, isSelf, roleLabel } from '@/lib/team'
import { useSession } from '@/stores/session'
import { removalError, roleChangeError, withArticle } from './teamMessages'

export const MEMBER_PAGE_SIZE = 50

interface RowProps {
  member: Member
  self: boolean
  /** The signed-in user may change this member's role and remove them. */
  manageable: boolean
  roles: Role[]
  /** The role being saved for this member, while it is. */
  pendingRole: Role | null
  error: string | undefined
  now: number
  onRole: (role: Role) => void
  onRemove: () => Promise<unknown>
  describeRemovalError: (cause: unknown) => string
}

function RoleControl({ member, manageable, roles, pendingRole, onRole }: RowProps) {
  if (!manageable || roles.length === 0) {
    return (
      <Badge tone={member.role === 'owner' ? 'brand' : 'neutral'} data-testid="member-role">
        {roleLabel(member.role)}
      </Badge>
    )
  }
  const options = roles.includes(member.role) ? roles : [member.role, ...roles]
  return (
    <span className="inline-flex items-center gap-2">
      <select
        aria-label={`Role of ${member.email}`}
        className={cn(inputClasses, 'h-8 w-28 py-0')}
        value={pendingRole ?? member.role}
        disabled={pendingRole !== null}
        onChange={(event) => onRole(event.target.value as Role)}
      >
        {options.map((role) => (
          <option key={role} value={role}>
            {roleLabel(role)}
          </option>
        ))}
      </select>
      {pendingRole !== null && <Spinner label="Saving" className="text-brand-600" />}
    </span>
  )
}

function RemoveButton({ member, self, manageable, onRemove, describeRemovalError }: RowProps) {
  if (!manageable) return null
  return (
    <ConfirmDeleteDialog
      name={self ? 'You' : member.email}
      title={self ? 'Leave this organisation?' : 'Remove this member?'}
      consequence={
        self
          ? 'will lose access to this organisation and be signed out here and everywhere else.'
          : 'will lose access at once and be signed out everywhere. You can invite them again later.'
      }
      actionLabel={self ? 'Leave' : 'Remove'}
      onConfirm={onRemove}
      describeError={describeRemovalError}
      trigger={
        <Button variant="outline" size="sm" aria-label={self ? 'Leave the organisation' : `Remove ${member.email}`}>
          {self ? 'Leave' : 'Remove'}
        </Button>
      }
    />
  )
}

function Verified({ member }: { member: Member }) {
  return member.email_verified ? (
    <TonePill label="Verified" tone="green" status="verified" testId="member-verified" />
  ) : (
    <TonePill label="Unverified" tone="amber" status="unverified" testId="member-verified" />
  )
}

function TwoFactor({ member, prefix = '' }: { member: Member; prefix?: string }) {
  return (
    <TonePill
      label={`${prefix}${member.two_factor_enabled ? 'On' : 'Off'}`}
      tone={member.two_factor_enabled ? 'green' : 'grey'}
      status={member.two_factor_enabled ? 'on' : 'off'}
      testId="member-two-factor"
    />
  )
}

function LastLogin({ iso, now }: { iso: string | null; now: number }) {
  if (!iso) return <span className="text-slate-500">Never</span>
  return (
    <time dateTime={iso} title={formatDateTime(iso)} className="whitespace-nowrap">
      {formatRelative(iso, now)}
    </time>
  )
}

function Identity({ member, self }: { member: Member; self: boolean }) {
  return (
    <span className="inline-flex min-w-0 flex-wrap items-center gap-2">
      <span className="min-w-0 break-words font-medium text-slate-900 [overflow-wrap:anywhere]">{member.email}</span>
      {self && <Badge tone="info">You</Badge>}
    </span>
  )
}

function RowError({ error }: { error: string | undefined }) {
  if (!error) return null
  return (
    <p role="alert" className="mt-2 text-sm font-medium text-red-600" data-testid="member-error">
      {error}
    </p>
  )
}

/**
 * Everyone in the organisation, for every role; owners and admins also change roles and
 * remove people (an admin never an owner). A table from 1024 px, stacked rows below.
 */
export function MembersCard({ actorRole }: { actorRole: Role | undefined }) {
  const me = useMe()
  const sessionUser = useSession((s) => s.user)
  const queryClient = useQueryClient()
  const { logout } = useLogout()
  const now = useNow(60_000)
  const [page, setPage] = useState(1)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [notice, setNotice] = useState<string | null>(null)
  const members = useQuery({
    queryKey: queryKeys.memberPage(page, MEMBER_PAGE_SIZE),
    queryFn: () => listMembers(page, MEMBER_PAGE_SIZE),
    placeholderData: keepPreviousData,
  })
  const self = me.data?.user ?? sessionUser ?? undefined
  const roles = assignableRoles(actorRole)

  const setError = (id: string, message: string | null) =>
    setErrors((current) => {
      const next = { ...current }
      if (message) next[id] = message
      else delete next[id]
      return next
    })
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.members })

  const changeRole = useMutation({
    mutationFn: ({ member, role }: { member: Member; role: Role }) => updateMemberRole(member.id, role),
    onMutate: ({ member }) => {
      setError(member.id, null)
      setNotice(null)
    },
    onSuccess: (_updated, { member, role }) => {
      setNotice(isSelf(member, self) ? `You are now ${withArticle(role)}.` : `${member.email} is now ${withArticle(role)}.`)
      // A change of one's own role changes what this app shows: /me says the new role.
      if (isSelf(member, self)) void queryClient.invalidateQueries({ queryKey: queryKeys.me })
    },
    onError: (error, { member }) => setError(member.id, roleChangeError(error, member, isSelf(member, self))),
    onSettled: refresh,
  })

  const remove = async (member: Member) => {
    try {
      await removeMember(member.id)
    } catch (error) {
      // Removed already (by someone else, a moment ago): the list just needs reading again.
      if (toApiError(error).status !== 404) throw error
    }
    if (isSelf(member, self)) {
      // The server has ended every sign-in of this user, this one included.
      await logout()
      return
    }
    setNotice(`${member.email} was removed. Their sign-ins have ended.`)
    await refresh()
  }

  const list = members.data?.results ?? []
  const rowProps = (member: Member): RowProps => {
    const mine = isSelf(member, self)
    return {
      member,
      self: mine,
      manageable: canManageMember(actorRole, member),
      roles,
      pendingRole: changeRole.isPending && changeRole.variables?.member.id === member.id ? changeRole.variables.role : null,
      error: errors[member.id],
      now,
      onRole: (role) => {
        if (role !== member.role) changeRole.mutate({ member, role })
      },
      onRemove: () => remove(member),
      describeRemovalError: (cause) => removalError(cause, member, mine),
    }
  }

  return (
    <Card className="overflow-hidden" data-testid="members">
      <CardHeader>
        <CardTitle>Members</CardTitle>
        <CardDescription>Everyone who can sign in to this organisation.</CardDescription>
      </CardHeader>
      {notice && (
        <div className="border-b border-slate-100 px-5 py-3">
          <Alert tone="success">{notice}</Alert>
        </div>
      )}
      {members.isPending ? (
        <div className="space-y-2 p-5" aria-hidden="true">
          <Skeleton className="h-5 w-2/3" />
          <Skeleton className="h-5 w-1/2" />
        </div>
      ) : members.isError && !members.data ? (
        <div className="p-5">
          <Alert tone="error" title="Members could not be loaded">
            {toApiError(members.error).detail}
          </Alert>
        </div>
      ) : list.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-slate-500">No members on this page.</p>
      ) : (
        <>
          <div className="hidden lg:block">
            <table className="w-full table-fixed text-left text-sm" aria-label="Members">
              <thead className="border-b border-slate-200 bg-slate-50/80 text-xs font-semibold uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="py-3 pl-5 pr-3">Member</th>
                  <th scope="col" className="w-40 px-3 py-3">Role</th>
                  <th scope="col" className="w-32 px-3 py-3">E-mail</th>
                  <th scope="col" className="w-32 px-3 py-3">Two-factor</th>
                  <th scope="col" className="w-32 px-3 py-3">Joined</th>
                  <th scope="col" className="w-36 px-3 py-3">Last sign-in</th>
                  <th scope="col" className="w-28 py-3 pl-3 pr-5">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {list.map((member) => {
                  const props = rowProps(member)
                  return (
                    <tr key={member.id} data-testid="member-row" className="align-top">
                      <td className="py-3 pl-5 pr-3">
                        <Identity member={member} self={props.self} />
                        <RowError error={props.error} />
                      </td>
                      <td className="px-3 py-3">
                        <RoleControl {...props} />
                      </td>
                      <td className="px-3 py-3">
                        <Verified member={member} />
                      </td>
                      <td className="px-3 py-3">
                        <TwoFactor member={member} />
                      </td>
                      <td className="whitespace-nowrap px-3 py-3 text-slate-700">{formatDate(member.created_at)}</td>
                      <td className="px-3 py-3 text-slate-700">
                        <LastLogin iso={member.last_login_at} now={now} />
                      </td>
                      <td className="py-3 pl-3 pr-5 text-right">
                        <RemoveButton {...props} />
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
          <ul className="divide-y divide-slate-100 lg:hidden" aria-label="Members">
            {list.map((member) => {
              const props = rowProps(member)
              return (
                <li key={member.id} data-testid="member-row" className="space-y-2 px-4 py-4 text-sm sm:px-5">
                  <Identity member={member} self={props.self} />
                  <div className="flex flex-wrap items-center gap-2">
                    {!props.manageable && <RoleControl {...props} />}
                    <Verified member={member} />
                    <TwoFactor member={member} prefix="Two-factor " />
                  </div>
                  <p className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
                    <span>Joined {formatDate(member.created_at)}</span>
                    <span>
                      Last sign-in <LastLogin iso={member.last_login_at} now={now} />
                    </span>
                  </p>
                  {props.manageable && (
                    <div className="flex flex-wrap items-center justify-between gap-2">
                      <RoleControl {...props} />
                      <RemoveButton {...props} />
                    </div>
                  )}
                  <RowError error={props.error} />
                </li>
              )
            })}
          </ul>
        </>
      )}
      {members.data && members.data.count > MEMBER_PAGE_SIZE && (
        <div className="border-t border-slate-100 px-5 py-3">
          <Pagination
            page={page}
            pageSize={MEMBER_PAGE_SIZE}
            count={members.data.count}
            onPageChange={setPage}
            emptyLabel="No members"
            label="Member pages"
          />
        </div>
      )}
    </Card>
  )
}
