-- who-cidr: the translated NAT records (srcaddr <> pkt_srcaddr OR dstaddr <> pkt_dstaddr, the two that count per
-- connection, as in who.sql) with either side in a range (`who 142.250.0.0/16`), grouped per address pair, ports,
-- protocol and record start. Which side is the pod and which the internet address is decided by the caller with the
-- internal ranges (a range may hold both sides: 100.0.0.0/8 holds 100.64/10), so the per-record work here is one
-- range test per side; classifying every record against every internal range in SQL would cost far more.
-- @params day_from day_to t_from t_to cidr cidr
SELECT
  pkt_srcaddr AS src,
  pkt_dstaddr AS dst,
  srcport,
  dstport,
  protocol,
  "start" AS ts,
  count(*) AS flows,
  sum(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
  sum(bytes) AS bytes
FROM vpc_flow_logs_nat
WHERE day BETWEEN ? AND ?
  AND "start" >= ? AND "start" < ?
  AND (contains(?, TRY_CAST(pkt_dstaddr AS IPADDRESS)) OR contains(?, TRY_CAST(pkt_srcaddr AS IPADDRESS)))
  AND (srcaddr <> pkt_srcaddr OR dstaddr <> pkt_dstaddr)
GROUP BY 1, 2, 3, 4, 5, 6
