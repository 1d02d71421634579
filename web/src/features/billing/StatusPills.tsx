import { cn } from '@/lib/cn'

type Tone = 'green' | 'amber' | 'red' | 'grey' | 'blue'

const TONES: Record<Tone, { pill: string; dot: string }> = {
  green: { pill: 'bg-emerald-50 text-emerald-700 ring-emerald-600/25', dot: 'bg-emerald-500' },
  amber: { pill: 'bg-amber-50 text-amber-800 ring-amber-600/30', dot: 'bg-amber-500' },
  red: { pill: 'bg-red-50 text-red-700 ring-red-600/25', dot: 'bg-red-500' },
  grey: { pill: 'bg-slate-100 text-slate-600 ring-slate-400/40', dot: 'bg-slate-400' },
  blue: { pill: 'bg-sky-50 text-sky-700 ring-sky-600/25', dot: 'bg-sky-500' },
}

const SUBSCRIPTION: Record<string, { label: string; tone: Tone }> = {
  free: { label: 'No subscription', tone: 'grey' },
  trialing: { label: 'Trial', tone: 'green' },
  active: { label: 'Active', tone: 'green' },
  past_due: { label: 'Past due', tone: 'amber' },
  canceled: { label: 'Cancelled', tone: 'red' },
  unpaid: { label: 'Unpaid', tone: 'red' },
  incomplete: { label: 'Incomplete', tone: 'amber' },
  incomplete_expired: { label: 'Expired', tone: 'grey' },
  paused: { label: 'Paused', tone: 'grey' },
}

const INVOICE: Record<string, { label: string; tone: Tone }> = {
  paid: { label: 'Paid', tone: 'green' },
  open: { label: 'Open', tone: 'amber' },
  draft: { label: 'Draft', tone: 'grey' },
  void: { label: 'Void', tone: 'grey' },
  uncollectible: { label: 'Uncollectible', tone: 'red' },
}

function humanise(status: string): string {
  const words = status.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function Pill({ label, tone, testId, status }: { label: string; tone: Tone; testId: string; status: string }) {
  const style = TONES[tone]
  return (
    <span
      data-testid={testId}
      data-status={status}
      className={cn(
        'inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset',
        style.pill,
      )}
    >
      <span aria-hidden="true" className={cn('h-1.5 w-1.5 rounded-full', style.dot)} />
      {label}
    </span>
  )
}

/** The subscription's status in a word and a colour (green live, amber overdue, red ended). */
export function SubscriptionStatusPill({ status }: { status: string }) {
  const known = SUBSCRIPTION[status] ?? { label: humanise(status || 'unknown'), tone: 'grey' as Tone }
  return <Pill {...known} testId="subscription-status" status={status} />
}

export function InvoiceStatusPill({ status }: { status: string }) {
  const known = INVOICE[status] ?? { label: humanise(status || 'unknown'), tone: 'grey' as Tone }
  return <Pill {...known} testId="invoice-status" status={status} />
}
