-- ip-domains: which names resolved to an address (A/AAAA answer), from Route 53 Resolver query logs, with the CNAME
-- targets of those answers. Resolver logs cannot attribute pods (srcaddr is CoreDNS), only map IP -> name.
-- One scan of the resolver table gives two kinds of rows, so Athena bills its partitions once per question, not
-- again for the coverage aggregate (queries/coverage-dns.sql) every other resolver query runs beside it:
--   * answer rows (coverage_hour NULL): one per (asked name, answer) where the answer is the address itself or a CNAME
--     in the same response; `queries` counts logged queries, once per query however many times its answer lists the
--     address (or the CNAME);
--   * coverage rows (name NULL): one per hour of query time in the window; `queries` is the queries logged in that
--     hour, `last_seen` the newest of them.
-- Each query yields its coverage row (t.i = 0) and, when an A/AAAA answer is the address, one row per distinct
-- answer that is that address or a CNAME (t.i = 1…).
-- @params ip ip dns_day_from dns_day_to dns_from dns_to
-- @coverage resolver_query_logs
-- @address ip
SELECT
  coverage_hour,
  name,
  answer_type,
  answer,
  count(*) AS queries,
  min(ts) AS first_seen,
  max(ts) AS last_seen
FROM (
  SELECT
    CASE WHEN t.i = 0 THEN CAST(floor(h.ts / 3600) * 3600 AS BIGINT) END AS coverage_hour,
    CASE WHEN t.i > 0 THEN regexp_replace(h.query_name, '\.$', '') END AS name,
    CASE WHEN t.i > 0 THEN h.hits[t.i].type END AS answer_type,
    CASE WHEN t.i > 0 THEN regexp_replace(h.hits[t.i].rdata, '\.$', '') END AS answer,
    h.ts
  FROM (
    SELECT
      query_name,
      ts,
      CASE WHEN cardinality(filter(answers, x -> x.rdata = ? AND x.type IN ('A', 'AAAA'))) > 0
        THEN filter(array_distinct(answers), x -> x.type = 'CNAME' OR x.rdata = ?) END AS hits
    FROM (
      SELECT query_name, answers, to_unixtime(from_iso8601_timestamp(query_timestamp)) AS ts
      FROM resolver_query_logs
      WHERE day BETWEEN ? AND ?
        AND to_unixtime(from_iso8601_timestamp(query_timestamp)) >= ?
        AND to_unixtime(from_iso8601_timestamp(query_timestamp)) < ?
    ) r
  ) h
  CROSS JOIN UNNEST(sequence(0, coalesce(cardinality(h.hits), 0))) AS t(i)
) x
GROUP BY 1, 2, 3, 4
