import { cn } from '@/lib/cn'

export type Tone = 'green' | 'amber' | 'red' | 'grey' | 'blue'

const TONES: Record<Tone, { pill: string; dot: string }> = {
  green: { pill: 'bg-emerald-50 text-emerald-700 ring-emerald-600/25', dot: 'bg-emerald-500' },
  amber: { pill: 'bg-amber-50 text-amber-800 ring-amber-600/30', dot: 'bg-amber-500' },
  red: { pill: 'bg-red-50 text-red-700 ring-red-600/25', dot: 'bg-red-500' },
  grey: { pill: 'bg-slate-100 text-slate-600 ring-slate-400/40', dot: 'bg-slate-400' },
  blue: { pill: 'bg-sky-50 text-sky-700 ring-sky-600/25', dot: 'bg-sky-500' },
}

interface TonePillProps {
  label: string
  tone: Tone
  testId?: string
  /** The raw value, as data-status, for tests and the e2e run. */
  status?: string
  className?: string
}

/** A word in a coloured pill with a dot, so meaning never rests on colour alone. */
export function TonePill({ label, tone, testId, status, className }: TonePillProps) {
  const style = TONES[tone]
  return (
    <span
      data-testid={testId}
      data-status={status}
      className={cn(
        'inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset',
        style.pill,
        className,
      )}
    >
      <span aria-hidden="true" className={cn('h-1.5 w-1.5 rounded-full', style.dot)} />
      {label}
    </span>
  )
}
