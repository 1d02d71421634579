import { useState } from 'react'
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { listInvoices } from '@/api/billing'
import { toApiError } from '@/api/errors'
import { queryKeys } from '@/api/queryKeys'
import type { Invoice } from '@/api/types'
import { Alert } from '@/components/ui/alert'
import { Button } from '@/components/ui/button'
import { Card, CardHeader, CardTitle } from '@/components/ui/card'
import { Skeleton } from '@/components/ui/skeleton'
import { formatDate, formatMoney, formatPeriod } from '@/lib/format'
import { isHttpUrl } from '@/lib/redirect'
import { InvoiceStatusPill } from './StatusPills'

export const INVOICE_PAGE_SIZE = 10

function invoiceLabel(invoice: Invoice): string {
  return invoice.number || (invoice.status === 'draft' ? 'Draft' : invoice.id)
}

/** The amount that matters: what was paid once paid, what is owed before. */
function invoiceAmount(invoice: Invoice): string {
  const amount = invoice.status === 'paid' ? invoice.amount_paid : invoice.amount_due
  return formatMoney(amount, invoice.currency)
}

const linkClass = 'font-medium text-brand-700 underline-offset-4 hover:underline'

function InvoiceLinks({ invoice }: { invoice: Invoice }) {
  const label = invoiceLabel(invoice)
  const hosted = isHttpUrl(invoice.hosted_invoice_url) ? invoice.hosted_invoice_url : null
  const pdf = isHttpUrl(invoice.invoice_pdf) ? invoice.invoice_pdf : null
  if (!hosted && !pdf) return <span className="text-slate-400">—</span>
  return (
    <span className="inline-flex gap-3">
      {hosted && (
        <a href={hosted} target="_blank" rel="noopener noreferrer" className={linkClass} aria-label={`View invoice ${label}`}>
          View
        </a>
      )}
      {pdf && (
        <a href={pdf} target="_blank" rel="noopener noreferrer" className={linkClass} aria-label={`Download invoice ${label} as PDF`}>
          PDF
        </a>
      )}
    </span>
  )
}

/** Past invoices from Stripe: a table from 768 px up, stacked rows on a phone. */
export function InvoicesCard() {
  const [page, setPage] = useState(1)
  const invoices = useQuery({
    queryKey: queryKeys.invoicePage(page, INVOICE_PAGE_SIZE),
    queryFn: () => listInvoices(page, INVOICE_PAGE_SIZE),
    placeholderData: keepPreviousData,
  })
  const count = invoices.data?.count ?? 0
  const pages = Math.max(1, Math.ceil(count / INVOICE_PAGE_SIZE))
  const rows = invoices.data?.results ?? []

  return (
    <Card className="overflow-hidden" data-testid="invoices">
      <CardHeader>
        <CardTitle>Invoices</CardTitle>
      </CardHeader>
      {invoices.isPending ? (
        <div className="space-y-2 p-5">
          <Skeleton className="h-5 w-full" />
          <Skeleton className="h-5 w-2/3" />
        </div>
      ) : invoices.isError && !invoices.data ? (
        <div className="p-5">
          <Alert tone="error" title="Invoices could not be loaded">
            {toApiError(invoices.error).detail}
          </Alert>
        </div>
      ) : rows.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-slate-500" data-testid="invoices-empty">
          No invoices yet. They appear here after your first payment.
        </p>
      ) : (
        <>
          <div className="hidden overflow-x-auto md:block">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-200 bg-slate-50/80 text-xs font-semibold uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="px-4 py-3 pl-5">Invoice</th>
                  <th scope="col" className="px-4 py-3">Period</th>
                  <th scope="col" className="px-4 py-3 text-right">Amount</th>
                  <th scope="col" className="px-4 py-3">Status</th>
                  <th scope="col" className="px-4 py-3 pr-5 text-right">
                    <span className="sr-only">Links</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((invoice) => (
                  <tr key={invoice.id} data-testid="invoice-row">
                    <td className="px-4 py-3 pl-5">
                      <span className="font-medium text-slate-900">{invoiceLabel(invoice)}</span>
                      {invoice.created_at && <span className="block text-xs text-slate-500">{formatDate(invoice.created_at)}</span>}
                    </td>
                    <td className="whitespace-nowrap px-4 py-3 text-slate-600">{formatPeriod(invoice.period_start, invoice.period_end)}</td>
                    <td className="whitespace-nowrap px-4 py-3 text-right font-medium tabular-nums text-slate-900">{invoiceAmount(invoice)}</td>
                    <td className="px-4 py-3">
                      <InvoiceStatusPill status={invoice.status} />
                    </td>
                    <td className="px-4 py-3 pr-5 text-right">
                      <InvoiceLinks invoice={invoice} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ul className="divide-y divide-slate-100 md:hidden">
            {rows.map((invoice) => (
              <li key={invoice.id} data-testid="invoice-row" className="px-4 py-3.5">
                <div className="flex items-start justify-between gap-3">
                  <div className="min-w-0">
                    <p className="truncate font-medium text-slate-900">{invoiceLabel(invoice)}</p>
                    <p className="text-sm text-slate-500">{formatPeriod(invoice.period_start, invoice.period_end)}</p>
                  </div>
                  <p className="shrink-0 font-medium tabular-nums text-slate-900">{invoiceAmount(invoice)}</p>
                </div>
                <div className="mt-2 flex items-center justify-between gap-3 text-sm">
                  <InvoiceStatusPill status={invoice.status} />
                  <InvoiceLinks invoice={invoice} />
                </div>
              </li>
            ))}
          </ul>
          {pages > 1 && (
            <nav aria-label="Invoice pages" className="flex items-center justify-between gap-3 border-t border-slate-100 px-5 py-3 text-sm text-slate-600">
              <Button variant="outline" size="sm" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                Previous
              </Button>
              <span className="tabular-nums">
                Page {page} of {pages}
              </span>
              <Button variant="outline" size="sm" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                Next
              </Button>
            </nav>
          )}
        </>
      )}
    </Card>
  )
}
