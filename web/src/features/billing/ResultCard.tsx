import type { ReactNode } from 'react'
import { Card } from '@/components/ui/card'
import { cn } from '@/lib/cn'

type Tone = 'success' | 'pending' | 'neutral'

const ICON_TONES: Record<Tone, string> = {
  success: 'bg-emerald-50 text-emerald-600 ring-emerald-600/20',
  pending: 'bg-brand-50 text-brand-600 ring-brand-100',
  neutral: 'bg-slate-100 text-slate-500 ring-slate-300',
}

function Icon({ tone }: { tone: Tone }) {
  if (tone === 'pending') {
    return (
      <svg viewBox="0 0 24 24" className="h-6 w-6 animate-spin" aria-hidden="true">
        <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeOpacity="0.25" strokeWidth="2.5" />
        <path d="M21 12a9 9 0 0 0-9-9" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
      </svg>
    )
  }
  return (
    <svg viewBox="0 0 24 24" className="h-6 w-6" aria-hidden="true">
      {tone === 'success' ? (
        <path d="M5 12.5l4.5 4.5L19 7.5" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" strokeLinejoin="round" />
      ) : (
        <path d="M7 7l10 10M17 7L7 17" fill="none" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
      )}
    </svg>
  )
}

/** The page Stripe sends the browser back to: an icon, a title, a few words, links (the main one first). */
export function ResultCard({
  tone,
  title,
  children,
  actions,
  testId,
}: {
  tone: Tone
  title: string
  children: ReactNode
  actions: ReactNode
  testId?: string
}) {
  return (
    <div className="mx-auto max-w-lg py-4 sm:py-10">
      <Card className="p-6 text-center sm:p-8" data-testid={testId}>
        <div className={cn('mx-auto flex h-12 w-12 items-center justify-center rounded-full ring-1 ring-inset', ICON_TONES[tone])}>
          <Icon tone={tone} />
        </div>
        <h1 className="mt-4 text-xl font-semibold tracking-tight text-slate-900" aria-live="polite">
          {title}
        </h1>
        <div className="mt-2 space-y-2 text-sm text-slate-600">{children}</div>
        <div className="mt-6 flex flex-col justify-center gap-2 sm:flex-row">{actions}</div>
      </Card>
    </div>
  )
}
