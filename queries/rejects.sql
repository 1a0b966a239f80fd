-- rejects: REJECTed egress attempts (pod -> NAT records the ENI refused) per pod IP, internet destination, port and
-- time bucket of `granularity` seconds (ts = earliest record start in it, the instant attribution uses; last_ts the
-- latest).
-- A refused record is the pod -> NAT half of a connection (dstaddr <> pkt_dstaddr); nothing was forwarded, so there
-- is no return record. Addresses are classified once per distinct value.
-- @params granularity day_from day_to t_from t_to internal_cidrs
WITH refused AS (
  SELECT
    pkt_srcaddr AS pod_ip,
    pkt_dstaddr AS external_ip,
    dstport AS port,
    protocol,
    "start" - "start" % ? AS bucket,
    min("start") AS ts,
    max("start") AS last_ts,
    count(*) AS flows,
    sum(bytes) AS bytes
  FROM vpc_flow_logs_nat
  WHERE day BETWEEN ? AND ?
    AND "start" >= ? AND "start" < ?
    AND action = 'REJECT'
    AND dstaddr <> pkt_dstaddr
  GROUP BY 1, 2, 3, 4, 5
),
internal AS (
  SELECT DISTINCT a.addr
  FROM (SELECT pod_ip AS addr FROM refused UNION SELECT external_ip FROM refused) a
  CROSS JOIN UNNEST(split(?, ',')) AS n(cidr)
  WHERE contains(n.cidr, TRY_CAST(a.addr AS IPADDRESS))
)
SELECT r.pod_ip, r.external_ip, r.port, r.protocol, r.ts, r.last_ts, r.flows, r.bytes
FROM refused r
JOIN internal pi ON pi.addr = r.pod_ip
LEFT JOIN internal pe ON pe.addr = r.external_ip
WHERE pe.addr IS NULL
