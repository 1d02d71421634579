-- An invoice's optional texts are NULL when Stripe sent none or an empty
-- string (the API shows both as null; sw-billing now writes NULL).
UPDATE billing.invoices SET number = nullif(number, ''),
    hosted_invoice_url = nullif(hosted_invoice_url, ''), invoice_pdf = nullif(invoice_pdf, '')
WHERE number = '' OR hosted_invoice_url = '' OR invoice_pdf = '';
