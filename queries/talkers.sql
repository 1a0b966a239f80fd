-- talkers: bytes through the NAT gateway per pod IP and time bucket, for `top` (by workload/namespace), `cost` and
-- the daily digest. Only NAT-translated records count (srcaddr <> pkt_srcaddr OR dstaddr <> pkt_dstaddr, seed 004),
-- so each connection counts once per direction; which side is the pod follows from the record's shape, not a guess:
--   out leg (dstaddr <> pkt_dstaddr): pod -> NAT, pod = pkt_srcaddr, peer = pkt_dstaddr (bytes the pod sent);
--   in leg  (otherwise)             : NAT -> pod, pod = pkt_dstaddr, peer = pkt_srcaddr (bytes that came back).
-- nat_out/nat_in: ACCEPTed translated legs whatever the peer: the NAT gateway bills every byte it processes, also
-- towards peered or private destinations; a REJECTed record was dropped, not processed.
-- egress_*: legs between an internal pod and an internet peer (as in who.sql, REJECTed attempts included and counted
-- in egress_rejected): what `top` ranks. Addresses are classified once per distinct value, never per record.
-- Legs are grouped per bucket of `granularity` seconds; ts is the earliest record start in the bucket: the instant
-- the pod IP is attributed at.
-- @params granularity day_from day_to t_from t_to internal_cidrs
WITH legs AS (
  SELECT
    CASE WHEN dstaddr <> pkt_dstaddr THEN 'out' ELSE 'in' END AS leg,
    CASE WHEN dstaddr <> pkt_dstaddr THEN pkt_srcaddr ELSE pkt_dstaddr END AS pod_ip,
    CASE WHEN dstaddr <> pkt_dstaddr THEN pkt_dstaddr ELSE pkt_srcaddr END AS peer,
    "start" - "start" % ? AS bucket,
    action,
    min("start") AS ts,
    count(*) AS flows,
    sum(bytes) AS bytes
  FROM vpc_flow_logs_nat
  WHERE day BETWEEN ? AND ?
    AND "start" >= ? AND "start" < ?
    AND (srcaddr <> pkt_srcaddr OR dstaddr <> pkt_dstaddr)
  GROUP BY 1, 2, 3, 4, 5
),
internal AS (
  SELECT DISTINCT a.addr
  FROM (SELECT pod_ip AS addr FROM legs UNION SELECT peer FROM legs) a
  CROSS JOIN UNNEST(split(?, ',')) AS n(cidr)
  WHERE contains(n.cidr, TRY_CAST(a.addr AS IPADDRESS))
),
marked AS (
  SELECT l.*, (pi.addr IS NOT NULL AND pe.addr IS NULL) AS egress
  FROM legs l
  LEFT JOIN internal pi ON pi.addr = l.pod_ip
  LEFT JOIN internal pe ON pe.addr = l.peer
)
SELECT
  pod_ip,
  bucket,
  min(ts) AS ts,
  sum(CASE WHEN leg = 'out' AND action = 'ACCEPT' THEN bytes ELSE 0 END) AS nat_out,
  sum(CASE WHEN leg = 'in' AND action = 'ACCEPT' THEN bytes ELSE 0 END) AS nat_in,
  sum(CASE WHEN leg = 'out' AND egress THEN flows ELSE 0 END) AS egress_flows,
  sum(CASE WHEN leg = 'out' AND egress AND action = 'REJECT' THEN flows ELSE 0 END) AS egress_rejected,
  sum(CASE WHEN leg = 'out' AND egress THEN bytes ELSE 0 END) AS egress_out,
  sum(CASE WHEN leg = 'in' AND egress THEN bytes ELSE 0 END) AS egress_in
FROM marked
GROUP BY pod_ip, bucket
