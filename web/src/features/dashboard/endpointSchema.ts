import * as z from 'zod/mini'
import { intervalField, nameField, urlField } from '@/lib/endpointFields'

/** The add form on the dashboard; the plan decides the shortest interval. */
export function addEndpointSchema(minIntervalSeconds: number | undefined) {
  return z.object({
    url: urlField,
    name: nameField,
    interval_seconds: intervalField(minIntervalSeconds),
  })
}

export type AddEndpointValues = z.infer<ReturnType<typeof addEndpointSchema>>
export const ADD_ENDPOINT_FIELDS = ['url', 'name', 'interval_seconds'] as const
