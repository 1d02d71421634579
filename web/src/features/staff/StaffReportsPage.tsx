import { useState, type FormEvent, type ReactNode } from 'react'
import { useQuery } from '@tanstack/react-query'
import { useNavigate, useSearch } from '@tanstack/react-router'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import { getChurnReport, getRevenueReport, getUsageReport } from '@/api/staff'
import type { Breakdown, ChurnReport, RevenueReport, UsageReport } from '@/api/types'
import { BarChart, BreakdownBars } from '@/components/chart/BarChart'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card'
import { FormField } from '@/components/ui/form-field'
import { Input } from '@/components/ui/input'
import { Skeleton } from '@/components/ui/skeleton'
import { formatMonth } from '@/lib/dates'
import { formatMoney, formatPercent, humanise } from '@/lib/format'
import { formatCount } from './staffFormat'

export interface ReportsSearch {
  /** YYYY-MM; the server's default (the last 12 months) when absent. */
  from?: string
  to?: string
}

function entries(breakdown: Breakdown | null | undefined): [string, number][] {
  if (!breakdown || typeof breakdown !== 'object') return []
  return Object.entries(breakdown).filter((entry): entry is [string, number] => typeof entry[1] === 'number')
}

function BreakdownText({ breakdown, format }: { breakdown: Breakdown; format: (value: number) => string }) {
  const list = entries(breakdown)
  if (!list.length) return <span className="text-slate-400">—</span>
  return (
    <span className="flex flex-wrap gap-x-3 gap-y-0.5">
      {list.map(([name, value]) => (
        <span key={name} className="whitespace-nowrap">
          <span className="text-slate-500">{humanise(name)}</span> {format(value)}
        </span>
      ))}
    </span>
  )
}

function Tile({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white px-4 py-3" data-testid={testId}>
      <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</p>
      <p className="mt-1 text-2xl font-semibold tabular-nums tracking-tight text-slate-900">{value}</p>
      {hint && <p className="text-xs text-slate-500">{hint}</p>}
    </div>
  )
}

function Section({ title, description, children, testId }: { title: string; description: string; children: ReactNode; testId: string }) {
  return (
    <Card data-testid={testId}>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent className="space-y-5">{children}</CardContent>
    </Card>
  )
}

function Failure({ error, what }: { error: unknown; what: string }) {
  const apiError = toApiError(error)
  const fields = Object.values(apiError.errors).flat()
  return (
    <Alert tone="error" title={`The ${what} report could not be loaded`}>
      {fields.length ? fields.join(' ') : apiError.detail}
    </Alert>
  )
}

const Loading = () => (
  <div className="space-y-3" aria-hidden="true">
    <Skeleton className="h-16 w-full" />
    <Skeleton className="h-40 w-full" />
  </div>
)

function Revenue({ report }: { report: RevenueReport }) {
  const money = (cents: number) => formatMoney(cents, report.currency)
  const whole = (cents: number) => formatMoney(cents, report.currency, { trimWhole: true })
  const total = report.months.reduce((sum, month) => sum + month.revenue_cents, 0)
  const range = report.months.length ? `${formatMonth(report.months[0].month)} – ${formatMonth(report.months[report.months.length - 1].month)}` : ''
  return (
    <>
      <div className="grid gap-3 sm:grid-cols-3">
        <Tile label="MRR" value={money(report.mrr_cents)} hint="Monthly recurring revenue now" testId="mrr" />
        <Tile label="Revenue in range" value={money(total)} hint={range} />
        <Tile label="Months" value={String(report.months.length)} />
      </div>
      <BarChart
        groups={report.months.map((month) => ({ label: formatMonth(month.month), values: [month.revenue_cents] }))}
        series={[{ name: 'Revenue', fill: 'fill-brand-500', swatch: 'bg-brand-500' }]}
        format={whole}
        label={`Revenue per month, ${range}: ${money(total)} in all.`}
      />
      <div className="overflow-x-auto">
        <table className="w-full min-w-[32rem] text-left text-sm" aria-label="Revenue per month">
          <thead className="border-b border-slate-200 text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-2 pr-3">Month</th>
              <th scope="col" className="px-3 py-2 text-right">Revenue</th>
              <th scope="col" className="px-3 py-2">By plan</th>
              <th scope="col" className="py-2 pl-3">By method</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {report.months.map((month) => (
              <tr key={month.month} data-testid="revenue-row">
                <td className="whitespace-nowrap py-2 pr-3 text-slate-700">{formatMonth(month.month)}</td>
                <td className="whitespace-nowrap px-3 py-2 text-right font-medium tabular-nums text-slate-900">{money(month.revenue_cents)}</td>
                <td className="px-3 py-2 text-slate-700">
                  <BreakdownText breakdown={month.by_plan} format={money} />
                </td>
                <td className="py-2 pl-3 text-slate-700">
                  <BreakdownText breakdown={month.by_method} format={money} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

function Usage({ report }: { report: UsageReport }) {
  const endpoints = typeof report.endpoints === 'number' ? report.endpoints : entries(report.endpoints).reduce((sum, [, n]) => sum + n, 0)
  const tenants = entries(report.tenants_by_plan).reduce((sum, [, n]) => sum + n, 0)
  return (
    <>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Tile label="Tenants" value={formatCount(tenants)} />
        <Tile label="Endpoints" value={formatCount(endpoints)} testId="usage-endpoints" />
        <Tile label="Checks, last 24 h" value={formatCount(report.checks_last_24h)} />
        <Tile label="API calls, last 24 h" value={formatCount(report.api_calls_last_24h)} />
      </div>
      <div className="grid gap-6 md:grid-cols-2">
        <div className="space-y-3">
          <h3 className="text-sm font-semibold text-slate-900">Tenants by plan</h3>
          <BreakdownBars items={entries(report.tenants_by_plan).map(([k, v]) => [humanise(k), v])} format={formatCount} label="Tenants by plan" />
        </div>
        <div className="space-y-3">
          <h3 className="text-sm font-semibold text-slate-900">Tenants by account status</h3>
          <BreakdownBars items={entries(report.tenants_by_status).map(([k, v]) => [humanise(k), v])} format={formatCount} label="Tenants by account status" />
        </div>
      </div>
    </>
  )
}

function Churn({ report }: { report: ChurnReport }) {
  const started = report.months.reduce((sum, m) => sum + m.started, 0)
  const canceled = report.months.reduce((sum, m) => sum + m.canceled, 0)
  return (
    <>
      <div className="grid gap-3 sm:grid-cols-3">
        <Tile label="Started" value={formatCount(started)} hint="New paid subscriptions" />
        <Tile label="Cancelled" value={formatCount(canceled)} />
        <Tile
          label="Latest churn rate"
          value={report.months.length ? formatPercent(report.months[report.months.length - 1].churn_rate * 100) : '—'}
          testId="latest-churn"
        />
      </div>
      <BarChart
        groups={report.months.map((month) => ({ label: formatMonth(month.month), values: [month.started, month.canceled] }))}
        series={[
          { name: 'Started', fill: 'fill-brand-500', swatch: 'bg-brand-500' },
          { name: 'Cancelled', fill: 'fill-red-400', swatch: 'bg-red-400' },
        ]}
        format={formatCount}
        label={`Subscriptions started and cancelled per month: ${started} started, ${canceled} cancelled.`}
      />
      <div className="overflow-x-auto">
        <table className="w-full min-w-[24rem] text-left text-sm" aria-label="Churn per month">
          <thead className="border-b border-slate-200 text-xs font-semibold uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="py-2 pr-3">Month</th>
              <th scope="col" className="px-3 py-2 text-right">Started</th>
              <th scope="col" className="px-3 py-2 text-right">Cancelled</th>
              <th scope="col" className="py-2 pl-3 text-right">Churn rate</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {report.months.map((month) => (
              <tr key={month.month} data-testid="churn-row">
                <td className="whitespace-nowrap py-2 pr-3 text-slate-700">{formatMonth(month.month)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{formatCount(month.started)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{formatCount(month.canceled)}</td>
                <td className="py-2 pl-3 text-right tabular-nums">{formatPercent(month.churn_rate * 100)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

function RangeForm({ range, onApply }: { range: ReportsSearch; onApply: (range: ReportsSearch) => void }) {
  const [from, setFrom] = useState(range.from ?? '')
  const [to, setTo] = useState(range.to ?? '')
  const [error, setError] = useState<string | null>(null)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const bad = [from, to].find((value) => value && !/^\d{4}-(0[1-9]|1[0-2])$/.test(value))
    if (bad) return setError('Use months as YYYY-MM.')
    if (from && to && from > to) return setError('The last month comes before the first.')
    setError(null)
    onApply({ from: from || undefined, to: to || undefined })
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Months" className="flex flex-col gap-3 sm:flex-row sm:items-start">
      <FormField label="From" className="sm:w-44">
        <Input type="month" value={from} max={to || undefined} placeholder="2025-04" onChange={(event) => setFrom(event.target.value)} />
      </FormField>
      <FormField label="To" className="sm:w-44" error={error ?? undefined}>
        <Input type="month" value={to} min={from || undefined} placeholder="2026-03" onChange={(event) => setTo(event.target.value)} />
      </FormField>
      <div className="flex gap-2 sm:mt-6">
        <Button type="submit" className="flex-1 sm:flex-none">
          Show
        </Button>
        {(range.from || range.to) && (
          <Button variant="outline" onClick={() => onApply({})} className="flex-1 sm:flex-none">
            Last 12 months
          </Button>
        )}
      </div>
    </form>
  )
}

/** /staff/reports: revenue with MRR, usage, churn; revenue and churn for a range of months. */
export function StaffReportsPage() {
  const navigate = useNavigate()
  const { from, to } = useSearch({ strict: false }) as ReportsSearch
  const revenue = useQuery({ queryKey: queryKeys.staffRevenue(from, to), queryFn: () => getRevenueReport({ from, to }) })
  const usage = useQuery({ queryKey: queryKeys.staffUsage, queryFn: getUsageReport })
  const churn = useQuery({ queryKey: queryKeys.staffChurn(from, to), queryFn: () => getChurnReport({ from, to }) })

  return (
    <div className="space-y-6">
      <div className="flex flex-col gap-4 lg:flex-row lg:items-end lg:justify-between">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Reports</h1>
          <p className="text-sm text-slate-600">
            {from || to
              ? `Revenue and churn from ${from ? formatMonth(from, 'long') : 'the start'} to ${to ? formatMonth(to, 'long') : 'now'}.`
              : 'Revenue and churn over the last 12 months; usage now.'}
          </p>
        </div>
        <RangeForm key={`${from}-${to}`} range={{ from, to }} onApply={(range) => void navigate({ to: '/staff/reports', search: range })} />
      </div>

      <Section title="Revenue" description="Payments received per month, by plan and by payment method." testId="report-revenue">
        {revenue.isPending ? <Loading /> : revenue.isError ? <Failure error={revenue.error} what="revenue" /> : <Revenue report={revenue.data} />}
      </Section>
      <Section title="Churn" description="Paid subscriptions started and cancelled per month." testId="report-churn">
        {churn.isPending ? <Loading /> : churn.isError ? <Failure error={churn.error} what="churn" /> : <Churn report={churn.data} />}
      </Section>
      <Section title="Usage" description="What the service carries now." testId="report-usage">
        {usage.isPending ? <Loading /> : usage.isError ? <Failure error={usage.error} what="usage" /> : <Usage report={usage.data} />}
      </Section>
    </div>
  )
}
