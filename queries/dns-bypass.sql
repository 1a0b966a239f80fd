-- dns-bypass: pods talking DNS (53) or DNS-over-TLS (853), TCP or UDP, to internet resolvers instead of the VPC
-- resolver, as NAT legs grouped per pod IP and record start (see who.sql for the leg semantics).
-- Internal resolvers (the VPC's .2, CoreDNS, peered networks) are excluded by classifying both ends with the full
-- internal range list (not three LIKE prefixes), once per distinct address.
-- @params day_from day_to t_from t_to internal_cidrs
WITH translated AS (
  SELECT pkt_srcaddr, pkt_dstaddr, srcport, dstport, protocol, "start" AS ts,
    count(*) AS flows,
    sum(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
    sum(bytes) AS bytes
  FROM vpc_flow_logs_nat
  WHERE day BETWEEN ? AND ?
    AND "start" >= ? AND "start" < ?
    AND (dstport IN (53, 853) OR srcport IN (53, 853))
    AND protocol IN (6, 17)
    AND (srcaddr <> pkt_srcaddr OR dstaddr <> pkt_dstaddr)
  GROUP BY 1, 2, 3, 4, 5, 6
),
internal AS (
  SELECT DISTINCT a.addr
  FROM (SELECT pkt_srcaddr AS addr FROM translated UNION SELECT pkt_dstaddr FROM translated) a
  CROSS JOIN UNNEST(split(?, ',')) AS n(cidr)
  WHERE contains(n.cidr, TRY_CAST(a.addr AS IPADDRESS))
)
SELECT
  CASE WHEN si.addr IS NOT NULL THEN 'out' ELSE 'in' END AS leg,
  CASE WHEN si.addr IS NOT NULL THEN t.pkt_srcaddr ELSE t.pkt_dstaddr END AS pod_ip,
  CASE WHEN si.addr IS NOT NULL THEN t.pkt_dstaddr ELSE t.pkt_srcaddr END AS external_ip,
  CASE WHEN si.addr IS NOT NULL THEN t.dstport ELSE t.srcport END AS port,
  t.protocol, t.ts, t.flows, t.rejected, t.bytes
FROM translated t
LEFT JOIN internal si ON si.addr = t.pkt_srcaddr
LEFT JOIN internal di ON di.addr = t.pkt_dstaddr
WHERE (si.addr IS NOT NULL AND di.addr IS NULL AND t.dstport IN (53, 853))
   OR (di.addr IS NOT NULL AND si.addr IS NULL AND t.srcport IN (53, 853))
