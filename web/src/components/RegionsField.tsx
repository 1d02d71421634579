import type { UseFormRegisterReturn } from 'react-hook-form'
import type { CheckerRegion } from '@/api/types'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { RegionsHint } from '@/components/RegionsHint'
import { cn } from '@/lib/cn'
import { ALL_REGIONS } from '@/lib/regions'

interface RegionsFieldProps {
  /** The form's register('regions'). */
  input: UseFormRegisterReturn
  error?: string
  hint?: string
  className?: string
  /** GET /api/regions/'s regions (undefined while not known) and what picking one does. */
  regions: CheckerRegion[] | undefined
  onPick: (name: string) => void
}

/** The Regions text field of an endpoint form, with the known regions to pick from below it. */
export function RegionsField({ input, error, hint, className, regions, onPick }: RegionsFieldProps) {
  return (
    <div className={cn(className, 'space-y-1.5')}>
      <FormField label="Regions" error={error} hint={hint}>
        <Input placeholder={ALL_REGIONS} autoComplete="off" spellCheck={false} {...input} />
      </FormField>
      <RegionsHint regions={regions} onPick={onPick} />
    </div>
  )
}
