-- ip-domains: which names resolved to an address (A/AAAA answer), from Route 53 Resolver query logs, with the CNAME
-- targets of those answers. Resolver logs cannot attribute pods (srcaddr is CoreDNS), only map IP -> name.
-- One row per (asked name, answer) where the answer is the address itself or a CNAME in the same response; `queries`
-- counts logged queries, once per query however many times its answer lists the address (or the CNAME).
-- @params dns_day_from dns_day_to dns_from dns_to ip ip
SELECT
  regexp_replace(h.query_name, '\.$', '') AS name,
  a.type AS answer_type,
  regexp_replace(a.rdata, '\.$', '') AS answer,
  count(*) AS queries,
  min(h.ts) AS first_seen,
  max(h.ts) AS last_seen
FROM (
  SELECT query_name, answers, to_unixtime(from_iso8601_timestamp(query_timestamp)) AS ts
  FROM resolver_query_logs
  WHERE day BETWEEN ? AND ?
    AND to_unixtime(from_iso8601_timestamp(query_timestamp)) >= ?
    AND to_unixtime(from_iso8601_timestamp(query_timestamp)) < ?
    AND cardinality(filter(answers, x -> x.rdata = ? AND x.type IN ('A', 'AAAA'))) > 0
) h
CROSS JOIN UNNEST(array_distinct(h.answers)) AS t(a)
WHERE a.type = 'CNAME' OR a.rdata = ?
GROUP BY 1, 2, 3
