-- digest-new: internet destinations of the digest period that are new: an address no pod reached (translated
-- pod -> NAT record) in the baseline before the period, or one a name resolved to that was first resolved inside
-- the period. The flow window [t_from, t_to) is baseline + period; period_from splits them.
-- Two kinds of rows come back (UNION ALL, same columns):
--   'leg' : per pod IP, address, port, protocol and record start, so every leg is attributed at its own time;
--           ip_new says whether the address itself is new;
--   'name': a name that resolved to a returned address (A/AAAA answer), with its first resolution in the DNS window.
-- Addresses are classified once per distinct value (pod internal, destination on the internet), never per record.
-- The baseline only needs the distinct addresses reached, and the period's legs come from its own days only (the
-- partition filter lets the engine skip the baseline's objects there), so the period is not grouped per record over
-- 15 days.
-- @params day_from day_to t_from period_from period_day_from period_day_to period_from t_to internal_cidrs dns_day_from dns_day_to dns_from dns_to period_from
WITH seen AS (
  SELECT DISTINCT pkt_dstaddr AS external_ip
  FROM vpc_flow_logs_nat
  WHERE day BETWEEN ? AND ?
    AND "start" >= ? AND "start" < ?
    AND dstaddr <> pkt_dstaddr
),
period AS (
  SELECT pkt_srcaddr AS pod_ip, pkt_dstaddr AS external_ip, dstport AS port, protocol, "start" AS ts,
    count(*) AS flows,
    sum(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
    sum(bytes) AS bytes
  FROM vpc_flow_logs_nat
  WHERE day BETWEEN ? AND ?
    AND "start" >= ? AND "start" < ?
    AND dstaddr <> pkt_dstaddr
  GROUP BY 1, 2, 3, 4, 5
),
internal AS (
  SELECT DISTINCT a.addr
  FROM (SELECT pod_ip AS addr FROM period UNION SELECT external_ip FROM period) a
  CROSS JOIN UNNEST(split(?, ',')) AS n(cidr)
  WHERE contains(n.cidr, TRY_CAST(a.addr AS IPADDRESS))
),
egress AS (
  SELECT p.*, (s.external_ip IS NULL) AS ip_new
  FROM period p
  JOIN internal pi ON pi.addr = p.pod_ip
  LEFT JOIN internal pe ON pe.addr = p.external_ip
  LEFT JOIN seen s ON s.external_ip = p.external_ip
  WHERE pe.addr IS NULL
),
names AS (
  SELECT a.rdata AS ip, regexp_replace(r.query_name, '\.$', '') AS name,
    min(to_unixtime(from_iso8601_timestamp(r.query_timestamp))) AS first_seen
  FROM resolver_query_logs r
  CROSS JOIN UNNEST(r.answers) AS t(a)
  WHERE r.day BETWEEN ? AND ?
    AND to_unixtime(from_iso8601_timestamp(r.query_timestamp)) >= ?
    AND to_unixtime(from_iso8601_timestamp(r.query_timestamp)) < ?
    AND a.type IN ('A', 'AAAA')
    AND a.rdata IN (SELECT external_ip FROM egress)
  GROUP BY 1, 2
),
fresh AS (
  SELECT external_ip FROM egress WHERE ip_new
  UNION
  SELECT ip FROM names WHERE first_seen >= ?
)
SELECT 'leg' AS kind, e.pod_ip, e.external_ip, e.port, e.protocol, e.ts, e.flows, e.rejected, e.bytes, e.ip_new,
  CAST(NULL AS VARCHAR) AS name, CAST(NULL AS DOUBLE) AS first_seen
FROM egress e
JOIN fresh f ON f.external_ip = e.external_ip
UNION ALL
SELECT 'name', NULL, n.ip, NULL, NULL, NULL, NULL, NULL, NULL, NULL, n.name, n.first_seen
FROM names n
JOIN fresh f ON f.external_ip = n.ip
