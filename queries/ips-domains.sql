-- ips-domains: which names resolved to each of several internet addresses (A/AAAA answers), from Route 53 Resolver
-- query logs: one row per (address, asked name) with the number of logged queries whose answer listed the address —
-- once per query, however many times its answer lists it. Names lowercase, without the trailing dot.
-- Like ip-domains.sql, one scan also gives the resolver table's coverage (rows with coverage_hour set: `queries` is
-- the queries logged in that hour, `last_seen` the newest), so Athena reads the table once per question: each query
-- yields its coverage row (t.i = 0) and one row per distinct A/AAAA answer (t.i = 1…), kept when it is a target.
-- @params ips dns_day_from dns_day_to dns_from dns_to
-- @coverage resolver_query_logs
WITH targets AS (
  SELECT DISTINCT t.ip FROM UNNEST(split(?, ',')) AS t(ip)
)
SELECT
  u.coverage_hour,
  u.address,
  u.name,
  count(*) AS queries,
  min(u.ts) AS first_seen,
  max(u.ts) AS last_seen
FROM (
  SELECT
    CASE WHEN t.i = 0 THEN CAST(floor(h.ts / 3600) * 3600 AS BIGINT) END AS coverage_hour,
    CASE WHEN t.i > 0 THEN h.addrs[t.i].rdata END AS address,
    CASE WHEN t.i > 0 THEN lower(regexp_replace(h.query_name, '\.$', '')) END AS name,
    h.ts
  FROM (
    SELECT query_name, ts, array_distinct(filter(answers, x -> x.type IN ('A', 'AAAA'))) AS addrs
    FROM (
      SELECT query_name, answers, to_unixtime(from_iso8601_timestamp(query_timestamp)) AS ts
      FROM resolver_query_logs
      WHERE day BETWEEN ? AND ?
        AND to_unixtime(from_iso8601_timestamp(query_timestamp)) >= ?
        AND to_unixtime(from_iso8601_timestamp(query_timestamp)) < ?
    ) r
  ) h
  CROSS JOIN UNNEST(sequence(0, coalesce(cardinality(h.addrs), 0))) AS t(i)
) u
LEFT JOIN targets ON targets.ip = u.address
WHERE u.coverage_hour IS NOT NULL OR targets.ip IS NOT NULL
GROUP BY 1, 2, 3
