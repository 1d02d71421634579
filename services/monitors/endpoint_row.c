#include "endpoint_row.h"

#include "sw_rows.h"

void mon_endpoint_from_row(const PGresult *res, int row, void *endpoint)
{
    sw_rows_fill(res, row, &sw__monitors__endpoint__descriptor, endpoint);
}
