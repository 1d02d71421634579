import { useEffect } from 'react'
import { useQueryClient } from '@tanstack/react-query'
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router'
import { queryKeys } from '@/api/queryKeys'
import { Logo } from '@/components/Logo'
import { Button } from '@/components/ui/button'
import { cn } from '@/lib/cn'
import { useStaffSession } from '@/stores/staffSession'

const navLink =
  'shrink-0 whitespace-nowrap rounded-md px-2.5 py-1.5 text-sm font-medium text-slate-300 hover:bg-white/10 hover:text-white ' +
  'data-[status=active]:bg-white/15 data-[status=active]:text-white'

function StaffNav({ className }: { className?: string }) {
  return (
    <nav aria-label="Staff" className={cn('items-center gap-1', className)}>
      <Link to="/staff/tenants" className={navLink}>
        Tenants
      </Link>
      <Link to="/staff/bank-transfer" className={navLink}>
        Bank transfer
      </Link>
      <Link to="/staff/reports" className={navLink}>
        Reports
      </Link>
    </nav>
  )
}

/**
 * The staff console's shell, apart from the tenant app: its own dark header, its own
 * session. When the token is gone (a 401, its 15 minutes over, Log out) it returns to
 * /staff/login, which brings the operator back here afterwards.
 */
export function StaffLayout() {
  const navigate = useNavigate()
  const queryClient = useQueryClient()
  const location = useRouterState({ select: (state) => state.location })
  const access = useStaffSession((s) => s.access)
  const email = useStaffSession((s) => s.email)
  const expiresAt = useStaffSession((s) => s.expiresAt)

  // Only from a page of the console: while the router is already on its way to /staff/login
  // this shell may render once more, and must not send it there again (with itself as redirect).
  const onConsolePage = location.pathname.startsWith('/staff/') && !location.pathname.startsWith('/staff/login')
  const href = location.href
  useEffect(() => {
    if (access || !onConsolePage) return
    queryClient.removeQueries({ queryKey: queryKeys.staff })
    void navigate({ to: '/staff/login', search: { redirect: href } })
  }, [access, onConsolePage, href, navigate, queryClient])

  // No refresh token: at its expiry the session simply ends.
  useEffect(() => {
    if (!expiresAt) return
    const timer = window.setTimeout(() => useStaffSession.getState().clear(), Math.max(0, expiresAt - Date.now()))
    return () => window.clearTimeout(timer)
  }, [expiresAt])

  const logout = () => {
    useStaffSession.getState().clear()
    queryClient.removeQueries({ queryKey: queryKeys.staff })
    void navigate({ to: '/staff/login' })
  }

  return (
    <div className="min-h-dvh bg-slate-50">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-30 bg-slate-900 text-white">
        <div className="mx-auto flex h-14 max-w-6xl items-center gap-3 px-4 sm:px-6">
          <Link to="/staff/tenants" className="flex items-center gap-2 rounded-md">
            <Logo className="text-white" />
            <span className="rounded bg-amber-400 px-1.5 py-0.5 text-[0.6875rem] font-bold uppercase tracking-wide text-slate-900">
              Staff
            </span>
          </Link>
          <StaffNav className="hidden md:flex" />
          <div className="ml-auto flex min-w-0 items-center gap-3">
            <p className="hidden min-w-0 truncate text-sm text-slate-300 sm:block" data-testid="staff-email">
              {email}
            </p>
            <Button
              variant="outline"
              size="sm"
              onClick={logout}
              className="border-slate-600 bg-transparent text-white hover:bg-white/10"
            >
              Log out
            </Button>
          </div>
        </div>
        <div className="flex h-11 items-center border-t border-white/10 px-2 md:hidden">
          <StaffNav className="flex min-w-0 overflow-x-auto" />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
        <Outlet />
      </main>
    </div>
  )
}
