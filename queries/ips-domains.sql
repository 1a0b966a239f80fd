-- ips-domains: which names resolved to each of several internet addresses (A/AAAA answers), from Route 53 Resolver
-- query logs: one row per (address, asked name) with the number of logged queries whose answer listed the address —
-- once per query, however many times its answer lists it. Names lowercase, without the trailing dot.
-- @params ips dns_day_from dns_day_to dns_from dns_to
WITH targets AS (
  SELECT DISTINCT t.ip FROM UNNEST(split(?, ',')) AS t(ip)
)
SELECT
  a.rdata AS address,
  lower(regexp_replace(h.query_name, '\.$', '')) AS name,
  count(*) AS queries,
  min(h.ts) AS first_seen,
  max(h.ts) AS last_seen
FROM (
  SELECT query_name, answers, to_unixtime(from_iso8601_timestamp(query_timestamp)) AS ts
  FROM resolver_query_logs
  WHERE day BETWEEN ? AND ?
    AND to_unixtime(from_iso8601_timestamp(query_timestamp)) >= ?
    AND to_unixtime(from_iso8601_timestamp(query_timestamp)) < ?
) h
CROSS JOIN UNNEST(array_distinct(filter(h.answers, x -> x.type IN ('A', 'AAAA')))) AS t(a)
JOIN targets ON targets.ip = a.rdata
GROUP BY 1, 2
