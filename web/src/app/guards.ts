import { redirect } from '@tanstack/react-router'
import { isAuthenticated } from '@/stores/session'

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
