import { PASSWORD_RULES } from './schemas'
import { cn } from '@/lib/cn'

/** Shows, as the user types, which password rules are met. */
export function PasswordChecklist({ value }: { value: string }) {
  return (
    <ul className="grid grid-cols-2 gap-x-3 gap-y-1 text-xs" aria-label="Password requirements">
      {PASSWORD_RULES.map((rule) => {
        const met = rule.test(value)
        return (
          <li key={rule.label} className={cn('flex items-center gap-1.5', met ? 'text-emerald-700' : 'text-slate-500')}>
            <svg viewBox="0 0 16 16" className="h-3.5 w-3.5 shrink-0" aria-hidden="true">
              {met ? (
                <path d="M3.5 8.5l3 3 6-7" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
              ) : (
                <circle cx="8" cy="8" r="3" fill="currentColor" />
              )}
            </svg>
            <span>
              {rule.label}
              <span className="sr-only">{met ? ' (met)' : ' (missing)'}</span>
            </span>
          </li>
        )
      })}
    </ul>
  )
}
