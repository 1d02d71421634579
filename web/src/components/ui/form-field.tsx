import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from 'react'
import { Label } from './label'
import { cn } from '@/lib/cn'

interface FormFieldProps {
  label: string
  /** The error message for this field, from client validation or the API. */
  error?: string
  hint?: ReactNode
  className?: string
  /** A single input-like element; it receives id and the aria wiring. */
  children: ReactElement<Record<string, unknown>>
}

/** A label, one control and its hint / error, wired together for screen readers. */
export function FormField({ label, error, hint, className, children }: FormFieldProps) {
  const id = useId()
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined
  const control = isValidElement(children)
    ? cloneElement(children, { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })
    : children
  return (
    <div className={cn('space-y-1.5', className)}>
      <Label htmlFor={id}>{label}</Label>
      {control}
      {hint && !error && (
        <p id={hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} role="alert" className="text-xs font-medium text-red-600">
          {error}
        </p>
      )}
    </div>
  )
}
