import { Outlet } from '@tanstack/react-router'
import { Logo } from '@/components/Logo'

/** Sign-in and sign-up: a centred card on a quiet background. */
export function PublicLayout() {
  return (
    <div className="flex min-h-dvh flex-col bg-gradient-to-b from-brand-50 via-slate-50 to-slate-50">
      <header className="mx-auto flex w-full max-w-md items-center justify-center px-4 pt-10 pb-6 sm:pt-16">
        <Logo className="text-lg" />
      </header>
      <main id="main" className="mx-auto w-full max-w-md flex-1 px-4 pb-12">
        <Outlet />
      </main>
      <footer className="pb-6 text-center text-xs text-slate-500">
        Uptime monitoring for your HTTP endpoints
      </footer>
    </div>
  )
}
