-- nat-peers: NAT data processed per internet peer over a window, for the VPC-endpoint savings of `cost`: which
-- peers are AWS services is decided by the caller (the flow-log field below where the format has it, else AWS's
-- published ip-ranges.json), so this returns every internet peer once, with its bytes through the NAT.
-- Legs as in talkers.sql (NAT-translated, ACCEPTed records only, each connection once per direction; seed 004):
--   out leg (dstaddr <> pkt_dstaddr): pod -> NAT, peer = pkt_dstaddr; pkt_dst_aws_service names the peer's service;
--   in leg  (otherwise)             : NAT -> pod, peer = pkt_srcaddr (bytes that came back).
-- pkt_dst_aws_service is NULL in objects whose format lacks it (the engines project absent fields as NULL).
-- @params day_from day_to t_from t_to internal_cidrs
WITH legs AS (
  SELECT
    CASE WHEN dstaddr <> pkt_dstaddr THEN 'out' ELSE 'in' END AS leg,
    CASE WHEN dstaddr <> pkt_dstaddr THEN pkt_srcaddr ELSE pkt_dstaddr END AS pod_ip,
    CASE WHEN dstaddr <> pkt_dstaddr THEN pkt_dstaddr ELSE pkt_srcaddr END AS peer,
    max(CASE WHEN dstaddr <> pkt_dstaddr THEN pkt_dst_aws_service END) AS aws_service,
    sum(bytes) AS bytes
  FROM vpc_flow_logs_nat
  WHERE day BETWEEN ? AND ?
    AND "start" >= ? AND "start" < ?
    AND (srcaddr <> pkt_srcaddr OR dstaddr <> pkt_dstaddr)
    AND action = 'ACCEPT'
  GROUP BY 1, 2, 3
),
internal AS (
  SELECT DISTINCT a.addr
  FROM (SELECT pod_ip AS addr FROM legs UNION SELECT peer FROM legs) a
  CROSS JOIN UNNEST(split(?, ',')) AS n(cidr)
  WHERE contains(n.cidr, TRY_CAST(a.addr AS IPADDRESS))
)
SELECT
  l.peer,
  max(l.aws_service) AS aws_service,
  sum(CASE WHEN l.leg = 'out' THEN l.bytes ELSE 0 END) AS nat_out,
  sum(CASE WHEN l.leg = 'in' THEN l.bytes ELSE 0 END) AS nat_in
FROM legs l
JOIN internal pi ON pi.addr = l.pod_ip
LEFT JOIN internal pe ON pe.addr = l.peer
WHERE pe.addr IS NULL
GROUP BY l.peer
