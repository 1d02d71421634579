import * as z from 'zod/mini'
import { INCIDENT_IMPACTS, INCIDENT_STATUSES } from '@/api/types'
import { fromLocalInput, MAX_MAINTENANCE_MS } from '@/lib/status'

export const SLUG = /^[a-z0-9-]{3,60}$/

export const statusPageSchema = z.object({
  slug: z.string().check(z.trim(), z.regex(SLUG, 'Use 3 to 60 lower-case letters, digits or hyphens.')),
  title: z.string().check(z.trim(), z.minLength(1, 'Give the page a title.'), z.maxLength(200, 'Use at most 200 characters.')),
  description: z.string().check(z.trim(), z.maxLength(2000, 'Use at most 2,000 characters.')),
  public: z.boolean(),
  endpoint_ids: z.array(z.string()),
})
export type StatusPageValues = z.infer<typeof statusPageSchema>
export const NEW_STATUS_PAGE: StatusPageValues = { slug: '', title: '', description: '', public: true, endpoint_ids: [] }

const message = z.string().check(z.trim(), z.minLength(1, 'Write a message.'), z.maxLength(5000, 'Use at most 5,000 characters.'))

export const incidentSchema = z.object({
  title: z.string().check(z.trim(), z.minLength(1, 'Give the incident a title.'), z.maxLength(200, 'Use at most 200 characters.')),
  status: z.enum(INCIDENT_STATUSES),
  impact: z.enum(INCIDENT_IMPACTS),
  message,
  endpoint_ids: z.array(z.string()),
})
export type IncidentValues = z.infer<typeof incidentSchema>
export const NEW_INCIDENT: IncidentValues = { title: '', status: 'investigating', impact: 'minor', message: '', endpoint_ids: [] }

export const incidentUpdateSchema = z.object({ status: z.enum(INCIDENT_STATUSES), message })
export type IncidentUpdateValues = z.infer<typeof incidentUpdateSchema>

export const maintenanceSchema = z
  .object({
    title: z.string().check(z.trim(), z.minLength(1, 'Give the window a title.'), z.maxLength(200, 'Use at most 200 characters.')),
    starts_at: z.string().check(z.refine((v) => fromLocalInput(v) !== undefined, 'Choose when it starts.')),
    ends_at: z.string().check(z.refine((v) => fromLocalInput(v) !== undefined, 'Choose when it ends.')),
    endpoint_ids: z.array(z.string()),
  })
  .check(
    z.refine(
      (v) => {
        const start = fromLocalInput(v.starts_at)
        const end = fromLocalInput(v.ends_at)
        return !start || !end || Date.parse(end) > Date.parse(start)
      },
      { message: 'The end must be after the start.', path: ['ends_at'] },
    ),
    z.refine(
      (v) => {
        const start = fromLocalInput(v.starts_at)
        const end = fromLocalInput(v.ends_at)
        return !start || !end || Date.parse(end) - Date.parse(start) <= MAX_MAINTENANCE_MS
      },
      { message: 'A window lasts at most 7 days.', path: ['ends_at'] },
    ),
  )
export type MaintenanceValues = z.infer<typeof maintenanceSchema>
