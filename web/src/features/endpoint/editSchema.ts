import * as z from 'zod/mini'
import { intervalField, nameField, urlField } from '@/lib/endpointFields'

export const METHODS = ['GET', 'HEAD', 'POST'] as const

export function editEndpointSchema(minIntervalSeconds: number | undefined) {
  return z.object({
    name: nameField,
    url: urlField,
    method: z.enum(METHODS, { error: 'Choose GET, HEAD or POST.' }),
    interval_seconds: intervalField(minIntervalSeconds),
    timeout_ms: z
      .number({ error: 'Enter the timeout in milliseconds.' })
      .check(
        z.refine(Number.isInteger, 'Use whole milliseconds.'),
        z.gte(1000, 'The timeout is at least 1,000 ms.'),
        z.lte(30_000, 'The timeout is at most 30,000 ms.'),
      ),
    expected_status: z.nullable(
      z
        .number({ error: 'Enter an HTTP status code.' })
        .check(
          z.refine(Number.isInteger, 'Enter an HTTP status code.'),
          z.gte(100, 'Enter an HTTP status code (100–599).'),
          z.lte(599, 'Enter an HTTP status code (100–599).'),
        ),
    ),
    keyword: z.string().check(z.trim(), z.maxLength(200, 'Use at most 200 characters.')),
  })
}

export type EditEndpointValues = z.infer<ReturnType<typeof editEndpointSchema>>
export const EDIT_ENDPOINT_FIELDS = [
  'name',
  'url',
  'method',
  'interval_seconds',
  'timeout_ms',
  'expected_status',
  'keyword',
] as const
