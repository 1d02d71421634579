import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
  type RouterHistory,
} from '@tanstack/react-router'
import type { QueryClient } from '@tanstack/react-query'
import { isAuthenticated } from '@/stores/session'
import { AppLayout } from '@/layouts/AppLayout'
import { PublicLayout } from '@/layouts/PublicLayout'
import { SettingsLayout } from '@/layouts/SettingsLayout'
import { StatusLayout } from '@/layouts/StatusLayout'
import { NotFound } from '@/layouts/NotFound'
import { RouteError } from '@/layouts/RouteError'
import { PageSpinner } from '@/components/ui/spinner'
import { ACCOUNT_STATUSES, type AlertType } from '@/api/types'
import { isAlertType } from '@/lib/alerts'
import { isLoginNotice, type LoginNotice } from '@/features/auth/notices'
import { validateAuditSearch } from '@/features/audit/search'
import { isMonth } from '@/lib/dates'
import { redirectIfSignedIn, redirectIfStaff, requireSession, requireStaffSession } from './guards'

export interface RouterContext {
  queryClient: QueryClient
}

/** A Checkout Session id as Stripe makes them (cs_…); anything else is dropped. */
function checkoutSessionId(value: unknown): string | undefined {
  return typeof value === 'string' && /^cs_[A-Za-z0-9_]{1,250}$/.test(value) ? value : undefined
}

function positiveInt(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10)
  return Number.isInteger(number) && number > 0 ? number : undefined
}

/** A short free-text search value (a name, an e-mail); anything else is dropped. */
function text(value: unknown): string | undefined {
  if (typeof value === 'number') value = String(value)
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  return trimmed && trimmed.length <= 200 ? trimmed : undefined
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value) ? (value as T) : undefined
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function flag(value: unknown): true | undefined {
  return value === true || value === 1 || value === '1' || value === 'true' ? true : undefined
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
})

const indexRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: isAuthenticated() ? '/dashboard' : '/login' })
  },
})

// Public branch: sign-in and sign-up.
const publicRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'public',
  beforeLoad: redirectIfSignedIn,
  component: PublicLayout,
})

const loginRoute = createRoute({
  getParentRoute: () => publicRoute,
  path: '/login',
  validateSearch: (search: Record<string, unknown>): { redirect?: string; notice?: LoginNotice } => ({
    redirect: typeof search.redirect === 'string' ? search.redirect : undefined,
    notice: isLoginNotice(search.notice) ? search.notice : undefined,
  }),
  component: lazyRouteComponent(() => import('@/features/auth/LoginPage'), 'LoginPage'),
})

const registerRoute = createRoute({
  getParentRoute: () => publicRoute,
  path: '/register',
  component: lazyRouteComponent(() => import('@/features/auth/RegisterPage'), 'RegisterPage'),
})

const forgotPasswordRoute = createRoute({
  getParentRoute: () => publicRoute,
  path: '/forgot-password',
  component: lazyRouteComponent(() => import('@/features/auth/ForgotPasswordPage'), 'ForgotPasswordPage'),
})

// Links from e-mails: they work signed in or out, so this branch has no guard.
const openRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'open',
  component: PublicLayout,
})

const verifyEmailRoute = createRoute({
  getParentRoute: () => openRoute,
  path: '/verify-email',
  component: lazyRouteComponent(() => import('@/features/verify/VerifyEmailPage'), 'VerifyEmailPage'),
})

const resetPasswordRoute = createRoute({
  getParentRoute: () => openRoute,
  path: '/reset-password',
  component: lazyRouteComponent(() => import('@/features/auth/ResetPasswordPage'), 'ResetPasswordPage'),
})

const acceptInvitationRoute = createRoute({
  getParentRoute: () => openRoute,
  path: '/invitations/accept',
  component: lazyRouteComponent(() => import('@/features/invitations/AcceptInvitationPage'), 'AcceptInvitationPage'),
})

// Public status pages (/status/{slug}) and the links from their e-mails: no login, their own layout.
const publicStatusRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/status/$slug',
  component: lazyRouteComponent(() => import('@/features/publicStatus/PublicStatusPage'), 'PublicStatusPage'),
})

const confirmSubscriptionRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/status/$slug/confirm',
  component: lazyRouteComponent(() => import('@/features/publicStatus/SubscriptionLinkPage'), 'ConfirmSubscriptionPage'),
})

const unsubscribeRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/status/$slug/unsubscribe',
  component: lazyRouteComponent(() => import('@/features/publicStatus/SubscriptionLinkPage'), 'UnsubscribePage'),
})

// Authenticated branch, guarded.
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: requireSession,
  component: AppLayout,
})

const dashboardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/dashboard',
  validateSearch: (search: Record<string, unknown>): { page?: number } => ({
    page: positiveInt(search.page),
  }),
  component: lazyRouteComponent(() => import('@/features/dashboard/DashboardPage'), 'DashboardPage'),
})

const endpointRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/endpoints/$id',
  component: lazyRouteComponent(() => import('@/features/endpoint/EndpointPage'), 'EndpointPage'),
})

const alertsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/alerts',
  validateSearch: (search: Record<string, unknown>): { page?: number; unread?: true; type?: AlertType } => ({
    page: positiveInt(search.page),
    unread: flag(search.unread),
    type: isAlertType(search.type) ? search.type : undefined,
  }),
  component: lazyRouteComponent(() => import('@/features/alerts/AlertsPage'), 'AlertsPage'),
})

const notificationsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/notifications',
  component: lazyRouteComponent(() => import('@/features/notifications/NotificationsPage'), 'NotificationsPage'),
})

const billingRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/billing',
  component: lazyRouteComponent(() => import('@/features/billing/BillingPage'), 'BillingPage'),
})

const billingSuccessRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/billing/success',
  validateSearch: (search: Record<string, unknown>): { session_id?: string } => ({
    session_id: checkoutSessionId(search.session_id),
  }),
  component: lazyRouteComponent(() => import('@/features/billing/BillingSuccessPage'), 'BillingSuccessPage'),
})

const billingCancelRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/billing/cancel',
  component: lazyRouteComponent(() => import('@/features/billing/BillingCancelPage'), 'BillingCancelPage'),
})

// Settings: one entry of the main navigation, with tabs (Team, API keys, Audit log, Security).
const settingsRoute = createRoute({
  getParentRoute: () => appRoute,
  id: 'settings',
  component: SettingsLayout,
})

const settingsIndexRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/settings',
  beforeLoad: () => {
    throw redirect({ to: '/settings/team' })
  },
})

const teamRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/settings/team',
  component: lazyRouteComponent(() => import('@/features/team/TeamPage'), 'TeamPage'),
})

const apiKeysRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/settings/api-keys',
  component: lazyRouteComponent(() => import('@/features/apiKeys/ApiKeysPage'), 'ApiKeysPage'),
})

const auditLogRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/audit-log',
  validateSearch: validateAuditSearch,
  component: lazyRouteComponent(() => import('@/features/audit/AuditLogPage'), 'AuditLogPage'),
})

const securityRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/settings/security',
  component: lazyRouteComponent(() => import('@/features/security/SecurityPage'), 'SecurityPage'),
})

// Status: one entry of the main navigation, with tabs (Incidents, Maintenance, Status pages).
const statusRoute = createRoute({
  getParentRoute: () => appRoute,
  id: 'status',
  component: StatusLayout,
})

const incidentsRoute = createRoute({
  getParentRoute: () => statusRoute,
  path: '/incidents',
  component: lazyRouteComponent(() => import('@/features/status/IncidentsPage'), 'IncidentsPage'),
})

const maintenancesRoute = createRoute({
  getParentRoute: () => statusRoute,
  path: '/maintenances',
  component: lazyRouteComponent(() => import('@/features/status/MaintenancesPage'), 'MaintenancesPage'),
})

const statusPagesRoute = createRoute({
  getParentRoute: () => statusRoute,
  path: '/status-pages',
  component: lazyRouteComponent(() => import('@/features/status/StatusPagesPage'), 'StatusPagesPage'),
})

// The staff console: apart from the tenant app, with its own session (stores/staffSession).
const staffPublicRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'staff-public',
  beforeLoad: redirectIfStaff,
  component: PublicLayout,
})

const staffLoginRoute = createRoute({
  getParentRoute: () => staffPublicRoute,
  path: '/staff/login',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => ({
    redirect: typeof search.redirect === 'string' ? search.redirect : undefined,
  }),
  component: lazyRouteComponent(() => import('@/features/staff/StaffLoginPage'), 'StaffLoginPage'),
})

const staffRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'staff',
  beforeLoad: requireStaffSession,
  component: lazyRouteComponent(() => import('@/features/staff/StaffLayout'), 'StaffLayout'),
})

const staffIndexRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/staff',
  beforeLoad: () => {
    throw redirect({ to: '/staff/tenants' })
  },
})

const staffTenantsRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/staff/tenants',
  validateSearch: (search: Record<string, unknown>): { page?: number; q?: string; status?: string; plan?: string } => ({
    page: positiveInt(search.page),
    q: text(search.q),
    status: oneOf(search.status, ACCOUNT_STATUSES),
    plan: text(search.plan),
  }),
  component: lazyRouteComponent(() => import('@/features/staff/StaffTenantsPage'), 'StaffTenantsPage'),
})

const staffBankTransferRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/staff/bank-transfer',
  validateSearch: (search: Record<string, unknown>): { tenant_id?: string } => ({
    tenant_id: typeof search.tenant_id === 'string' && UUID.test(search.tenant_id) ? search.tenant_id : undefined,
  }),
  component: lazyRouteComponent(() => import('@/features/staff/StaffBankTransferPage'), 'StaffBankTransferPage'),
})

const staffReportsRoute = createRoute({
  getParentRoute: () => staffRoute,
  path: '/staff/reports',
  validateSearch: (search: Record<string, unknown>): { from?: string; to?: string } => ({
    from: isMonth(search.from) ? search.from : undefined,
    to: isMonth(search.to) ? search.to : undefined,
  }),
  component: lazyRouteComponent(() => import('@/features/staff/StaffReportsPage'), 'StaffReportsPage'),
})

export const routeTree = rootRoute.addChildren([
  indexRoute,
  publicRoute.addChildren([loginRoute, registerRoute, forgotPasswordRoute]),
  openRoute.addChildren([verifyEmailRoute, resetPasswordRoute, acceptInvitationRoute]),
  publicStatusRoute,
  confirmSubscriptionRoute,
  unsubscribeRoute,
  appRoute.addChildren([
    dashboardRoute,
    endpointRoute,
    alertsRoute,
    notificationsRoute,
    billingRoute,
    billingSuccessRoute,
    billingCancelRoute,
    settingsRoute.addChildren([settingsIndexRoute, teamRoute, apiKeysRoute, auditLogRoute, securityRoute]),
    statusRoute.addChildren([incidentsRoute, maintenancesRoute, statusPagesRoute]),
  ]),
  staffPublicRoute.addChildren([staffLoginRoute]),
  staffRoute.addChildren([staffIndexRoute, staffTenantsRoute, staffBankTransferRoute, staffReportsRoute]),
])

export function createAppRouter(context: RouterContext, history?: RouterHistory) {
  return createRouter({
    routeTree,
    context,
    history,
    defaultPreload: 'intent',
    defaultPendingComponent: PageSpinner,
    defaultErrorComponent: RouteError,
    scrollRestoration: false,
  })
}

export type AppRouter = ReturnType<typeof createAppRouter>

declare module '@tanstack/react-router' {
  interface Register {
    router: AppRouter
  }
}
