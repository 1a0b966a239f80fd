-- coverage-dns: what the resolver query-log table holds for a window, per hour of query time (hours without any
-- logged query are gaps; the latest query time tells how far delivery has got). Run by the Athena engine beside each
-- resolver query.
-- @params dns_day_from dns_day_to dns_from dns_to
SELECT
  CAST(floor(to_unixtime(from_iso8601_timestamp(query_timestamp)) / 3600) * 3600 AS BIGINT) AS hour,
  count(*) AS records,
  max(to_unixtime(from_iso8601_timestamp(query_timestamp))) AS newest
FROM resolver_query_logs
WHERE day BETWEEN ? AND ?
  AND to_unixtime(from_iso8601_timestamp(query_timestamp)) >= ?
  AND to_unixtime(from_iso8601_timestamp(query_timestamp)) < ?
GROUP BY 1
