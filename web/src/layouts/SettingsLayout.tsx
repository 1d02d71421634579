import { Link, Outlet } from '@tanstack/react-router'
import { canManageOrganisation, useRole } from '@/hooks/useRole'

const tab =
  'shrink-0 whitespace-nowrap border-b-2 border-transparent px-1 pb-2.5 pt-1 text-sm font-medium text-slate-600 ' +
  'hover:border-slate-300 hover:text-slate-900 data-[status=active]:border-brand-600 data-[status=active]:text-brand-700'

/**
 * The organisation's and the user's settings under one "Settings" entry of the main
 * navigation, with tabs: Team, API keys and Audit log (the last two for owners and
 * admins only, as the API allows), Security.
 */
export function SettingsLayout() {
  const canManage = canManageOrganisation(useRole())
  return (
    <div className="space-y-6">
      <nav aria-label="Settings" className="-mx-4 overflow-x-auto border-b border-slate-200 px-4 sm:mx-0 sm:px-0">
        <div className="flex gap-5">
          <Link to="/settings/team" className={tab}>
            Team
          </Link>
          {canManage && (
            <Link to="/settings/api-keys" className={tab}>
              API keys
            </Link>
          )}
          {canManage && (
            <Link to="/audit-log" className={tab}>
              Audit log
            </Link>
          )}
          <Link to="/settings/security" className={tab}>
            Security
          </Link>
        </div>
      </nav>
      <Outlet />
    </div>
  )
}
