import { redirect } from '@tanstack/react-router'
import { isAuthenticated } from '@/stores/session'
import { hasStaffSession, useStaffSession } from '@/stores/staffSession'

/** beforeLoad of the authenticated branch: no session, no entry. */
export function requireSession({ location }: { location: { href: string } }): void {
  if (!isAuthenticated()) {
    throw redirect({ to: '/login', search: { redirect: location.href } })
  }
}

/** beforeLoad of the public branch: a signed-in user has no business on /login. */
export function redirectIfSignedIn(): void {
  if (isAuthenticated()) throw redirect({ to: '/dashboard' })
}

/** Only same-origin paths are followed after sign-in, never another site. */
export function safeRedirectTarget(target: unknown): string {
  if (typeof target === 'string' && target.startsWith('/') && !target.startsWith('//') && !target.startsWith('/\\')) {
    return target
  }
  return '/dashboard'
}

/** beforeLoad of the staff console: no staff token (or an expired one), back to /staff/login. */
export function requireStaffSession({ location }: { location: { href: string } }): void {
  if (!hasStaffSession()) {
    useStaffSession.getState().clear()
    throw redirect({ to: '/staff/login', search: { redirect: location.href } })
  }
}

/** beforeLoad of /staff/login: an operator still signed in goes straight to the console. */
export function redirectIfStaff(): void {
  if (hasStaffSession()) throw redirect({ to: '/staff/tenants' })
}
