import { forwardRef, type InputHTMLAttributes, type ReactNode } from 'react'
import { cn } from '@/lib/cn'

interface SwitchProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'role'> {
  label: ReactNode
}

/**
 * An on/off toggle: a real checkbox (so forms, react-hook-form and keyboards treat it as
 * one) announced as a switch, drawn with classes only (no inline style, for the CSP).
 */
export const Switch = forwardRef<HTMLInputElement, SwitchProps>(({ label, className, ...props }, ref) => (
  <label className={cn('inline-flex cursor-pointer items-center gap-2.5 text-sm font-medium text-slate-700', className)}>
    <input ref={ref} type="checkbox" role="switch" className="peer sr-only" {...props} />
    <span
      aria-hidden="true"
      className={cn(
        'relative h-5 w-9 shrink-0 rounded-full bg-slate-300 transition-colors',
        'after:absolute after:left-0.5 after:top-0.5 after:h-4 after:w-4 after:rounded-full after:bg-white after:shadow after:transition-transform',
        'peer-checked:bg-brand-600 peer-checked:after:translate-x-4',
        'peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-brand-500',
        'peer-disabled:cursor-not-allowed peer-disabled:opacity-50',
      )}
    />
    {label}
  </label>
))
Switch.displayName = 'Switch'
