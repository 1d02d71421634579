import { Link, useLocation } from '@tanstack/react-router'
import { Button } from '@/components/ui/button'
import { Logo } from '@/components/Logo'
import { PlanBadge } from '@/components/PlanBadge'
import { useMe } from '@/hooks/useMe'
import { useLogout } from '@/hooks/useLogout'
import { useUnreadAlerts } from '@/hooks/useUnreadAlerts'
import { bellLabel, unreadBadge } from '@/lib/alerts'
import { usePlan } from '@/stores/plan'
import { useSession } from '@/stores/session'
import { cn } from '@/lib/cn'

// Narrower on a phone, where five links share one row (from 375 px they fit without scrolling).
const navLink =
  'shrink-0 whitespace-nowrap rounded-md px-1.5 py-1.5 text-[0.8125rem] font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 ' +
  'min-[460px]:px-2.5 min-[460px]:text-sm ' +
  'data-[status=active]:bg-brand-50 data-[status=active]:text-brand-700'

/** Settings covers the team, API keys, the audit log and the user's own security. */
function isSettingsPath(pathname: string): boolean {
  return pathname === '/settings' || pathname.startsWith('/settings/') || pathname === '/audit-log'
}

/** Status covers incidents, maintenance windows and the public status pages. */
function isStatusPath(pathname: string): boolean {
  return ['/incidents', '/maintenances', '/status-pages'].some((p) => pathname === p || pathname.startsWith(`${p}/`))
}

/**
 * The phone row leaves out Alerts: the bell beside it goes there too, and so Status fits
 * in its place (five links share the row from 375 px without scrolling).
 */
function MainNav({ className, withAlerts = true }: { className?: string; withAlerts?: boolean }) {
  const { pathname } = useLocation()
  const inSettings = isSettingsPath(pathname)
  const inStatus = isStatusPath(pathname)
  return (
    <nav aria-label="Main" className={cn('items-center gap-0.5 min-[460px]:gap-1', className)}>
      <Link to="/dashboard" className={navLink}>
        Dashboard
      </Link>
      {withAlerts && (
        <Link to="/alerts" className={navLink}>
          Alerts
        </Link>
      )}
      <Link
        to="/incidents"
        className={cn(navLink, inStatus && 'bg-brand-50 text-brand-700')}
        aria-current={inStatus ? 'page' : undefined}
      >
        Status
      </Link>
      <Link to="/notifications" className={navLink}>
        Notifications
      </Link>
      <Link to="/billing" className={navLink}>
        Billing
      </Link>
      <Link
        to="/settings/team"
        className={cn(navLink, inSettings && 'bg-brand-50 text-brand-700')}
        aria-current={inSettings ? 'page' : undefined}
      >
        Settings
      </Link>
    </nav>
  )
}

function BellIcon() {
  return (
    <svg viewBox="0 0 24 24" className="h-5 w-5" fill="none" aria-hidden="true">
      <path
        d="M6 9a6 6 0 1 1 12 0c0 4.5 1.5 6.5 2.5 7.5h-17C4.5 15.5 6 13.5 6 9Z M10 19.5a2 2 0 0 0 4 0"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  )
}

/** The alerts bell: the unread count from /me as a badge, a link to /alerts. */
function AlertsBell() {
  const unread = useUnreadAlerts()
  const label = bellLabel(unread)
  return (
    <Link
      to="/alerts"
      aria-label={label}
      title={label}
      data-testid="alerts-bell"
      className={cn(
        'relative inline-flex h-9 w-9 shrink-0 items-center justify-center rounded-lg text-slate-600',
        'hover:bg-slate-100 hover:text-slate-900 data-[status=active]:bg-brand-50 data-[status=active]:text-brand-700',
      )}
    >
      <BellIcon />
      {unread !== undefined && unread > 0 && (
        <span
          aria-hidden="true"
          data-testid="alerts-badge"
          className="absolute -right-1 -top-1 min-w-[1.25rem] rounded-full bg-red-600 px-1 text-center text-[0.6875rem] font-semibold leading-5 tabular-nums text-white ring-2 ring-white"
        >
          {unreadBadge(unread)}
        </span>
      )}
    </Link>
  )
}

/**
 * App name, navigation, the alerts bell, plan, who is signed in, and Log out. On a phone the
 * navigation (and, from 28rem, the e-mail) moves to a second row so nothing is squeezed out.
 */
export function AppHeader() {
  const me = useMe()
  const plan = usePlan((s) => s.plan)
  const sessionEmail = useSession((s) => s.user?.email)
  const sessionTenant = useSession((s) => s.tenant?.name)
  const tenantName = me.data?.tenant.name ?? sessionTenant
  const email = me.data?.user.email ?? sessionEmail
  const { logout, pending } = useLogout()

  return (
    <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur supports-[backdrop-filter]:bg-white/75">
      <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-4 sm:px-6">
        <Link to="/dashboard" className="rounded-md">
          <Logo />
        </Link>
        <MainNav className="hidden md:flex" />
        <div className="ml-auto flex min-w-0 items-center gap-3">
          <AlertsBell />
          <PlanBadge plan={plan} />
          <div className="hidden min-w-0 text-right leading-tight md:block">
            <p className="truncate text-sm font-medium text-slate-900" data-testid="user-email">
              {email}
            </p>
            {tenantName && <p className="truncate text-xs text-slate-500">{tenantName}</p>}
          </div>
          <Button variant="outline" size="sm" onClick={() => void logout()} disabled={pending}>
            Log out
          </Button>
        </div>
      </div>
      <div className="flex h-11 items-center gap-3 border-t border-slate-100 px-2 min-[460px]:px-3 md:hidden">
        <MainNav className="flex min-w-0 overflow-x-auto" withAlerts={false} />
        {/* Below 36rem the links fill the row: the e-mail is left out rather than squeezed to nothing. */}
        <p className="ml-auto hidden min-w-0 truncate text-xs text-slate-500 min-[36rem]:block" title={tenantName}>
          {email}
        </p>
      </div>
    </header>
  )
}
