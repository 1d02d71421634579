import type { Tone } from '@/components/TonePill'
import { humanise } from '@/lib/format'

export { ACCOUNT_STATUSES } from '@/api/types'
/** The contract's plans (api.md "Billing": free, pro). */
export const PLAN_IDS = ['free', 'pro'] as const

const STATUS_TONES: Record<string, Tone> = {
  trial: 'blue',
  active: 'green',
  pending_payment: 'amber',
  past_due: 'amber',
  suspended: 'red',
  cancelled: 'grey',
}

export function accountStatusTone(status: string): Tone {
  return STATUS_TONES[status] ?? 'grey'
}

export function statusLabel(status: string): string {
  return status ? humanise(status) : '—'
}

const count = new Intl.NumberFormat()

export function formatCount(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? count.format(value) : '—'
}

/** The members field: a count (or, should a backend send the list, its length). */
export function memberCount(members: unknown): number | null {
  if (typeof members === 'number') return members
  if (Array.isArray(members)) return members.length
  return null
}
