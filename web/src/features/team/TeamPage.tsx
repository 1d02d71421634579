import { Alert } from '@/components/ui/alert'
import { canManageOrganisation, useRole, useServerRole } from '@/hooks/useRole'
import { useMe } from '@/hooks/useMe'
import { useSession } from '@/stores/session'
import { InvitationsCard } from './InvitationsCard'
import { MembersCard } from './MembersCard'

/** /settings/team: the members (every role reads them) and, for owners and admins, invitations. */
export function TeamPage() {
  const role = useRole()
  const canManage = canManageOrganisation(role)
  const serverRole = useServerRole()
  const me = useMe()
  const sessionTenant = useSession((s) => s.tenant?.name)
  const tenantName = me.data?.tenant.name ?? sessionTenant
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Team</h1>
        <p className="text-sm text-slate-600">
          Who can sign in to {tenantName ? <span className="font-medium text-slate-800">{tenantName}</span> : 'this organisation'}, and
          what they may do.
        </p>
      </div>
      {role && !canManage && (
        <Alert tone="info" data-testid="team-read-only">
          Only owners and admins can invite people, change roles or remove members. You can see the team here.
        </Alert>
      )}
      <MembersCard actorRole={role} />
      {canManage && canManageOrganisation(serverRole) && <InvitationsCard />}
    </div>
  )
}
