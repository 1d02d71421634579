import { TonePill, type Tone } from '@/components/TonePill'
import { humanise } from '@/lib/format'

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

/** The subscription's status in a word and a colour (green live, amber overdue, red ended). */
export function SubscriptionStatusPill({ status }: { status: string }) {
  const known = SUBSCRIPTION[status] ?? { label: humanise(status || 'unknown'), tone: 'grey' as Tone }
  return <TonePill {...known} testId="subscription-status" status={status} />
}

export function InvoiceStatusPill({ status }: { status: string }) {
  const known = INVOICE[status] ?? { label: humanise(status || 'unknown'), tone: 'grey' as Tone }
  return <TonePill {...known} testId="invoice-status" status={status} />
}
