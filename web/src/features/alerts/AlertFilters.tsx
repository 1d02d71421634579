import { useId } from 'react'
import { ALERT_TYPES, type AlertType } from '@/api/types'
import { inputClasses } from '@/components/ui/input'
import { Label } from '@/components/ui/label'
import { ALERT_TYPE_LABELS, isAlertType } from '@/lib/alerts'
import { cn } from '@/lib/cn'

interface AlertFiltersProps {
  unread: boolean
  type: AlertType | null
  onChange: (filters: { unread: boolean; type: AlertType | null }) => void
}

/** "Unread only" and the alert type; both live in the URL, so a filtered list can be shared. */
export function AlertFilters({ unread, type, onChange }: AlertFiltersProps) {
  const typeId = useId()
  return (
    <div className="flex flex-wrap items-center gap-x-5 gap-y-3">
      <label className="inline-flex cursor-pointer items-center gap-2 text-sm font-medium text-slate-700">
        <input
          type="checkbox"
          className="h-4 w-4 cursor-pointer accent-brand-600"
          checked={unread}
          onChange={(event) => onChange({ unread: event.target.checked, type })}
        />
        Unread only
      </label>
      <div className="flex min-w-0 flex-1 items-center gap-2 sm:flex-none">
        <Label htmlFor={typeId} className="shrink-0">
          Type
        </Label>
        <select
          id={typeId}
          className={cn(inputClasses, 'h-9 min-w-0 sm:w-56')}
          value={type ?? ''}
          onChange={(event) => onChange({ unread, type: isAlertType(event.target.value) ? event.target.value : null })}
        >
          <option value="">All types</option>
          {ALERT_TYPES.map((value) => (
            <option key={value} value={value}>
              {ALERT_TYPE_LABELS[value]}
            </option>
          ))}
        </select>
      </div>
    </div>
  )
}
