import { useState } from 'react'
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { listInvitations, revokeInvitation } from '@/api/team'
import type { Invitation } from '@/api/types'
import { ConfirmDeleteDialog } from '@/components/ConfirmDeleteDialog'
import { Pagination } from '@/components/Pagination'
import { TonePill } from '@/components/TonePill'
import { Alert } from '@/components/ui/alert'
import { Badge } from '@/components/ui/badge'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { useNow } from '@/hooks/useNow'
import { formatDateTime, formatRelative } from '@/lib/format'
import { roleLabel } from '@/lib/team'
import { InviteForm } from './InviteForm'

export const INVITATION_PAGE_SIZE = 20

function Expiry({ iso, now }: { iso: string; now: number }) {
  const time = Date.parse(iso)
  if (!Number.isNaN(time) && time <= now) return <TonePill label="Expired" tone="grey" status="expired" testId="invitation-expired" />
  return (
    <span className="text-slate-600">
      Expires{' '}
      <time dateTime={iso} title={formatDateTime(iso)}>
        {formatRelative(iso, now)}
      </time>
    </span>
  )
}

function InvitationRow({ invitation, now, onRevoke }: { invitation: Invitation; now: number; onRevoke: () => Promise<void> }) {
  return (
    <li data-testid="invitation-row" className="flex flex-col gap-2 px-4 py-3 text-sm sm:flex-row sm:items-center sm:gap-4 sm:px-5">
      <div className="flex min-w-0 flex-1 flex-wrap items-center gap-2">
        <span className="min-w-0 break-all font-medium text-slate-900">{invitation.email}</span>
        <Badge tone="neutral">{roleLabel(invitation.role)}</Badge>
      </div>
      <div className="flex items-center justify-between gap-4">
        <Expiry iso={invitation.expires_at} now={now} />
        <ConfirmDeleteDialog
          name={invitation.email}
          title="Revoke this invitation?"
          consequence="can no longer use the link to join. You can invite them again later."
          actionLabel="Revoke"
          onConfirm={onRevoke}
          trigger={
            <Button variant="outline" size="sm" aria-label={`Revoke the invitation of ${invitation.email}`}>
              Revoke
            </Button>
          }
        />
      </div>
    </li>
  )
}

/** Owners and admins only: the invite form and the invitations not yet accepted. */
export function InvitationsCard() {
  const queryClient = useQueryClient()
  const now = useNow(60_000)
  const [page, setPage] = useState(1)
  const invitations = useQuery({
    queryKey: queryKeys.invitationPage(page, INVITATION_PAGE_SIZE),
    queryFn: () => listInvitations(page, INVITATION_PAGE_SIZE),
    placeholderData: keepPreviousData,
  })
  const error = invitations.isError && !invitations.data ? toApiError(invitations.error) : null
  // The server decides: a role changed elsewhere a moment ago answers 403.
  const denied = error?.status === 403

  const revoke = async (id: string) => {
    try {
      await revokeInvitation(id)
    } catch (cause) {
      // Accepted or revoked meanwhile: gone either way.
      if (toApiError(cause).status !== 404) throw cause
    }
    await queryClient.invalidateQueries({ queryKey: queryKeys.invitations })
  }

  if (denied) {
    return (
      <Alert tone="info" data-testid="invitations-denied">
        Only owners and admins can see and send invitations.
      </Alert>
    )
  }

  const list = invitations.data?.results ?? []
  return (
    <Card className="overflow-hidden" data-testid="invitations">
      <CardHeader>
        <CardTitle>Invitations</CardTitle>
        <CardDescription>Each person gets an e-mail with a link to choose a password and join.</CardDescription>
      </CardHeader>
      <CardContent className="border-b border-slate-100">
        <InviteForm />
      </CardContent>
      {invitations.isPending ? (
        <div className="space-y-2 p-5" aria-hidden="true">
          <Skeleton className="h-5 w-1/2" />
        </div>
      ) : error ? (
        <div className="p-5">
          <Alert tone="error" title="Invitations could not be loaded">
            {error.detail}
          </Alert>
        </div>
      ) : list.length === 0 ? (
        <p className="px-5 py-6 text-center text-sm text-slate-500" data-testid="invitations-empty">
          No open invitations.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Open invitations">
          {list.map((invitation) => (
            <InvitationRow key={invitation.id} invitation={invitation} now={now} onRevoke={() => revoke(invitation.id)} />
          ))}
        </ul>
      )}
      {invitations.data && invitations.data.count > INVITATION_PAGE_SIZE && (
        <div className="border-t border-slate-100 px-5 py-3">
          <Pagination
            page={page}
            pageSize={INVITATION_PAGE_SIZE}
            count={invitations.data.count}
            onPageChange={setPage}
            emptyLabel="No invitations"
            label="Invitation pages"
          />
        </div>
      )}
    </Card>
  )
}
