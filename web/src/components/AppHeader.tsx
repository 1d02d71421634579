import { Link } from '@tanstack/react-router'
import { Button } from '@/components/ui/button'
import { Logo } from '@/components/Logo'
import { PlanBadge } from '@/components/PlanBadge'
import { useMe } from '@/hooks/useMe'
import { useLogout } from '@/hooks/useLogout'
import { usePlan } from '@/stores/plan'
import { useSession } from '@/stores/session'
import { cn } from '@/lib/cn'

const navLink =
  'rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900 ' +
  'data-[status=active]:bg-brand-50 data-[status=active]:text-brand-700'

function MainNav({ className }: { className?: string }) {
  return (
    <nav aria-label="Main" className={cn('items-center gap-1', className)}>
      <Link to="/dashboard" className={navLink}>
        Dashboard
      </Link>
      <Link to="/billing" className={navLink}>
        Billing
      </Link>
    </nav>
  )
}

/**
 * App name, navigation, plan, who is signed in, and Log out. On a phone the
 * navigation and e-mail move to a second row so nothing is squeezed out.
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
      <div className="flex h-11 items-center gap-3 border-t border-slate-100 px-3 md:hidden">
        <MainNav className="flex" />
        <p className="ml-auto min-w-0 truncate text-xs text-slate-500" title={tenantName}>
          {email}
        </p>
      </div>
    </header>
  )
}
