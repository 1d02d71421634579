import { useEffect } from 'react'
import { Outlet, useNavigate } from '@tanstack/react-router'
import { AppHeader } from '@/components/AppHeader'
import { VerifyEmailBanner } from '@/components/VerifyEmailBanner'
import { useSession } from '@/stores/session'

/** The shell of every signed-in page: header on top, the page below. */
export function AppLayout() {
  const navigate = useNavigate()
  const signedIn = useSession((s) => Boolean(s.refresh))

  // Signed out elsewhere (another tab, or an expired refresh token): leave at once.
  useEffect(() => {
    if (!signedIn) void navigate({ to: '/login' })
  }, [signedIn, navigate])

  return (
    <div className="min-h-dvh">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-3 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <AppHeader />
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:px-6 sm:py-8">
        <VerifyEmailBanner />
        <Outlet />
      </main>
    </div>
  )
}
