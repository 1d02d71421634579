import type { ReactNode } from 'react'
import { Logo } from '@/components/Logo'

/** The public status page's own frame: the organisation's page first, StatusWatch small below. */
export function StatusPublicLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-dvh flex-col bg-slate-50">
      <main id="main" className="mx-auto w-full max-w-3xl flex-1 px-4 pb-12 pt-8 sm:px-6 sm:pt-12">
        {children}
      </main>
      <footer className="flex items-center justify-center gap-2 pb-6 text-xs text-slate-500">
        Powered by <Logo className="text-xs" />
      </footer>
    </div>
  )
}

/** An unknown slug or a page that is not public: the same plain answer. */
export function StatusNotFound() {
  return (
    <div className="mx-auto flex min-h-[50vh] max-w-md flex-col items-center justify-center gap-3 text-center" data-testid="status-not-found">
      <p className="text-sm font-semibold text-brand-600">404</p>
      <h1 className="text-2xl font-semibold text-slate-900">Status page not found</h1>
      <p className="text-slate-600">There is no public status page at this address.</p>
    </div>
  )
}
