-- name-answers: the Route 53 Resolver answers for one name, or for every name below a suffix (`*.vendorx.io`), from
-- the query logs: one row per logged query and distinct answer entry that is an address (A/AAAA) or a CNAME. Resolver
-- logs the whole chain in the answer of the query for the name (`telemetry.vendorx.io` → CNAME
-- `ingest.vendorx-cdn.net` → A 34.120.5.77), so a response's addresses are those at the end of the CNAME chain that
-- starts at the asked name. An entry listed twice in one answer is one row (a query counts once).
-- Names compare lowercase, without the trailing dot; with wildcard = 1, dns_name is the suffix and only names below
-- it match (at least one more label), never the suffix itself.
-- @params dns_day_from dns_day_to dns_from dns_to wildcard dns_name dns_name dns_name dns_name
SELECT
  h.name,
  h.query_type,
  h.ts,
  a.type AS answer_type,
  lower(regexp_replace(a.rdata, '\.$', '')) AS answer
FROM (
  SELECT
    lower(regexp_replace(query_name, '\.$', '')) AS name,
    query_type,
    answers,
    to_unixtime(from_iso8601_timestamp(query_timestamp)) AS ts
  FROM resolver_query_logs
  WHERE day BETWEEN ? AND ?
    AND to_unixtime(from_iso8601_timestamp(query_timestamp)) >= ?
    AND to_unixtime(from_iso8601_timestamp(query_timestamp)) < ?
) h
CROSS JOIN UNNEST(array_distinct(h.answers)) AS t(a)
WHERE a.type IN ('A', 'AAAA', 'CNAME')
  AND CASE
    WHEN ? = 1 THEN length(h.name) > length(?) + 1 AND substr(h.name, length(h.name) - length(?)) = '.' || ?
    ELSE h.name = ?
  END
