import { useState } from 'react'
import type { TenantRef } from '@/api/types'
import { Button } from '@/components/ui/button'
import { Label } from '@/components/ui/label'
import { RadioGroup, RadioGroupItem } from '@/components/ui/radio-group'
import { Spinner } from '@/components/ui/spinner'
import { cn } from '@/lib/cn'

interface TenantPickerProps {
  tenants: TenantRef[]
  pending: boolean
  onChoose: (schema: string) => void
  onReset: () => void
}

/** Shown when one e-mail and password open several organisations. */
export function TenantPicker({ tenants, pending, onChoose, onReset }: TenantPickerProps) {
  const [schema, setSchema] = useState(tenants[0]?.schema ?? '')
  return (
    <form
      className="space-y-4"
      aria-label="Choose an organisation"
      onSubmit={(event) => {
        event.preventDefault()
        if (schema) onChoose(schema)
      }}
    >
      {/* The API's own message addresses API clients (it names tenant_schema): say it for people. */}
      <p className="text-sm text-slate-600">This e-mail and password open more than one organisation. Which one do you want?</p>
      <RadioGroup value={schema} onValueChange={setSchema} aria-label="Organisation">
        {tenants.map((tenant) => {
          const id = `tenant-${tenant.schema}`
          return (
            <Label
              key={tenant.schema}
              htmlFor={id}
              className={cn(
                'flex cursor-pointer items-center gap-3 rounded-lg border px-4 py-3 transition-colors',
                schema === tenant.schema ? 'border-brand-500 bg-brand-50' : 'border-slate-200 hover:bg-slate-50',
              )}
            >
              <RadioGroupItem id={id} value={tenant.schema} />
              <span className="font-medium text-slate-900">{tenant.name}</span>
            </Label>
          )
        })}
      </RadioGroup>
      <Button type="submit" size="lg" className="w-full" disabled={!schema || pending}>
        {pending && <Spinner />}
        Continue
      </Button>
      <Button variant="ghost" className="w-full" onClick={onReset} disabled={pending}>
        Use a different e-mail
      </Button>
    </form>
  )
}
