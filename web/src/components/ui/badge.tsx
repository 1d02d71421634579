import type { HTMLAttributes } from 'react'
import { cva, type VariantProps } from 'class-variance-authority'
import { cn } from '@/lib/cn'

const badgeVariants = cva(
  'inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-semibold ring-1 ring-inset',
  {
    variants: {
      tone: {
        neutral: 'bg-slate-100 text-slate-700 ring-slate-300',
        brand: 'bg-brand-50 text-brand-700 ring-brand-100',
        success: 'bg-emerald-50 text-emerald-700 ring-emerald-600/20',
        danger: 'bg-red-50 text-red-700 ring-red-600/20',
        warning: 'bg-amber-50 text-amber-800 ring-amber-600/30',
        info: 'bg-sky-50 text-sky-700 ring-sky-600/20',
      },
    },
    defaultVariants: { tone: 'neutral' },
  },
)

export interface BadgeProps extends HTMLAttributes<HTMLSpanElement>, VariantProps<typeof badgeVariants> {}

export function Badge({ className, tone, ...props }: BadgeProps) {
  return <span className={cn(badgeVariants({ tone }), className)} {...props} />
}
