-- top-destinations: internet addresses pods sent the most bytes to, with the names that resolved to them.
-- Legs as in talkers.sql (translated records only; pod internal, peer on the internet); one row per (address, name)
-- so no array functions are needed; addresses without a resolver answer come back once with a NULL name.
-- @params day_from day_to t_from t_to internal_cidrs limit dns_day_from dns_day_to dns_from dns_to
WITH legs AS (
  SELECT
    CASE WHEN dstaddr <> pkt_dstaddr THEN 'out' ELSE 'in' END AS leg,
    CASE WHEN dstaddr <> pkt_dstaddr THEN pkt_srcaddr ELSE pkt_dstaddr END AS pod_ip,
    CASE WHEN dstaddr <> pkt_dstaddr THEN pkt_dstaddr ELSE pkt_srcaddr END AS peer,
    count(*) AS flows,
    sum(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
    sum(bytes) AS bytes
  FROM vpc_flow_logs_nat
  WHERE day BETWEEN ? AND ?
    AND "start" >= ? AND "start" < ?
    AND (srcaddr <> pkt_srcaddr OR dstaddr <> pkt_dstaddr)
  GROUP BY 1, 2, 3
),
internal AS (
  SELECT DISTINCT a.addr
  FROM (SELECT pod_ip AS addr FROM legs UNION SELECT peer FROM legs) a
  CROSS JOIN UNNEST(split(?, ',')) AS n(cidr)
  WHERE contains(n.cidr, TRY_CAST(a.addr AS IPADDRESS))
),
dest AS (
  SELECT
    l.peer AS external_ip,
    sum(CASE WHEN l.leg = 'out' THEN l.bytes ELSE 0 END) AS bytes_out,
    sum(CASE WHEN l.leg = 'in' THEN l.bytes ELSE 0 END) AS bytes_in,
    sum(CASE WHEN l.leg = 'out' THEN l.flows ELSE 0 END) AS flows,
    sum(CASE WHEN l.leg = 'out' THEN l.rejected ELSE 0 END) AS rejected,
    count(DISTINCT CASE WHEN l.leg = 'out' THEN l.pod_ip END) AS sources
  FROM legs l
  JOIN internal pi ON pi.addr = l.pod_ip
  LEFT JOIN internal pe ON pe.addr = l.peer
  WHERE pe.addr IS NULL
  GROUP BY l.peer
  HAVING sum(CASE WHEN l.leg = 'out' THEN l.flows ELSE 0 END) > 0
  ORDER BY bytes_out DESC, external_ip
  LIMIT ?
),
names AS (
  SELECT DISTINCT a.rdata AS ip, regexp_replace(r.query_name, '\.$', '') AS name
  FROM resolver_query_logs r
  CROSS JOIN UNNEST(r.answers) AS t(a)
  WHERE r.day BETWEEN ? AND ?
    AND to_unixtime(from_iso8601_timestamp(r.query_timestamp)) >= ?
    AND to_unixtime(from_iso8601_timestamp(r.query_timestamp)) < ?
    AND a.type IN ('A', 'AAAA')
    AND a.rdata IN (SELECT external_ip FROM dest)
)
SELECT d.external_ip, d.bytes_out, d.bytes_in, d.flows, d.rejected, d.sources, n.name
FROM dest d
LEFT JOIN names n ON n.ip = d.external_ip
