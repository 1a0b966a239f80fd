-- who: traffic between pods and one internet address, as NAT legs grouped per pod IP and record start, so every
-- leg can be attributed to the pod that held the IP at that time.
-- A NAT gateway ENI logs each connection as up to four records; only the two translated ones
-- (srcaddr <> pkt_srcaddr OR dstaddr <> pkt_dstaddr, seed 004) are kept, so a connection counts once:
--   leg 'out': pod -> NAT, pkt_srcaddr = pod, pkt_dstaddr = the address  (flows, rejects, bytes out)
--   leg 'in' : NAT -> pod, pkt_srcaddr = the address, pkt_dstaddr = pod  (bytes in; port = srcport)
-- The pod side must be internal (RFC1918, 100.64/10, link-local, ULA, VPC CIDRs: the internal_cidrs parameter);
-- it is classified once per distinct address, not per record.
-- @params ip ip ip ip day_from day_to t_from t_to ip ip internal_cidrs
WITH legs AS (
  SELECT
    CASE WHEN pkt_dstaddr = ? THEN 'out' ELSE 'in' END AS leg,
    CASE WHEN pkt_dstaddr = ? THEN pkt_srcaddr ELSE pkt_dstaddr END AS pod_ip,
    CASE WHEN pkt_dstaddr = ? THEN pkt_dstaddr ELSE pkt_srcaddr END AS external_ip,
    CASE WHEN pkt_dstaddr = ? THEN dstport ELSE srcport END AS port,
    protocol,
    "start" AS ts,
    count(*) AS flows,
    sum(CASE WHEN action = 'REJECT' THEN 1 ELSE 0 END) AS rejected,
    sum(bytes) AS bytes
  FROM vpc_flow_logs_nat
  WHERE day BETWEEN ? AND ?
    AND "start" >= ? AND "start" < ?
    AND (pkt_dstaddr = ? OR pkt_srcaddr = ?)
    AND (srcaddr <> pkt_srcaddr OR dstaddr <> pkt_dstaddr)
  GROUP BY 1, 2, 3, 4, 5, 6
),
internal AS (
  SELECT DISTINCT p.pod_ip
  FROM (SELECT DISTINCT pod_ip FROM legs) p
  CROSS JOIN UNNEST(split(?, ',')) AS n(cidr)
  WHERE contains(n.cidr, TRY_CAST(p.pod_ip AS IPADDRESS))
)
SELECT legs.leg, legs.pod_ip, legs.external_ip, legs.port, legs.protocol, legs.ts, legs.flows, legs.rejected, legs.bytes
FROM legs
JOIN internal ON internal.pod_ip = legs.pod_ip
