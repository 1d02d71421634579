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
import { NotFound } from '@/layouts/NotFound'
import { RouteError } from '@/layouts/RouteError'
import { PageSpinner } from '@/components/ui/spinner'
import type { AlertType } from '@/api/types'
import { isAlertType } from '@/lib/alerts'
import { isLoginNotice, type LoginNotice } from '@/features/auth/notices'
import { redirectIfSignedIn, requireSession } from './guards'

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

const securityRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/settings/security',
  component: lazyRouteComponent(() => import('@/features/security/SecurityPage'), 'SecurityPage'),
})

export const routeTree = rootRoute.addChildren([
  indexRoute,
  publicRoute.addChildren([loginRoute, registerRoute, forgotPasswordRoute]),
  openRoute.addChildren([verifyEmailRoute, resetPasswordRoute]),
  appRoute.addChildren([
    dashboardRoute,
    endpointRoute,
    alertsRoute,
    notificationsRoute,
    billingRoute,
    billingSuccessRoute,
    billingCancelRoute,
    securityRoute,
  ]),
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
